"""Bad input, privacy and concurrency on the REST channel of the running servers (the shared e2e servers)."""
import json
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa

from channels.rest import conversation_ref
from tests.e2e.conftest import ACTIONS_PORT, RASA_PORT, WEB_PORT, WEBHOOK, ask


def strict_json(text: str):
    """JSON as the standard defines it: NaN and Infinity are not numbers there."""
    def refuse(constant):
        raise ValueError(f"{constant} is not valid JSON")

    return json.loads(text, parse_constant=refuse)


def post(body, raw: bool = False, **kwargs) -> requests.Response:
    data = body if raw else json.dumps(body)
    return requests.post(WEBHOOK, data=data, headers={"Content-Type": "application/json"}, timeout=60, **kwargs)


def readable_reply(response: requests.Response) -> str:
    assert response.status_code == 200, response.text
    messages = strict_json(response.text)
    assert isinstance(messages, list) and messages, response.text
    text = "\n".join(message.get("text") or "" for message in messages)
    assert text.strip()
    return text


def new_sender(kind: str) -> str:
    return f"{kind}-{uuid.uuid4().hex[:8]}"


@pytest.mark.parametrize("message", ["", "   \n\t ", "\u0000\u0007"])
def test_an_empty_message_gets_a_readable_reply(servers, message):
    assert "didn't get any text" in readable_reply(post({"sender": new_sender("empty"), "message": message}))


def test_a_lone_surrogate_gets_a_readable_reply(servers):
    body = '{"sender": "' + new_sender("surrogate") + '", "message": "\\ud800"}'
    assert "didn't get any text" in readable_reply(post(body, raw=True))
    body = '{"sender": "' + new_sender("surrogate") + '", "message": "what is reflective supervision? \\udfff"}'
    assert "reflective" in readable_reply(post(body, raw=True)).lower()


@pytest.mark.parametrize("message", [None, 42, 4.5, True, ["hi"], {"text": "hi"}])
def test_a_message_that_is_not_text_is_refused_with_a_json_error(servers, message):
    response = post({"sender": new_sender("type"), "message": message})
    assert response.status_code == 400 and "message" in response.json()["error"]


@pytest.mark.parametrize("body", ['[{"sender": "a", "message": "hi"}]', '"hi"', "null", "{not json", "NaN", ""])
def test_a_body_that_is_not_a_json_object_is_refused_with_a_json_error(servers, body):
    response = post(body, raw=True)
    assert response.status_code == 400 and response.json()["error"]


@pytest.mark.parametrize("sender", [None, "", "   ", 7, ["a"], "a\nb", "x" * 200])
def test_a_sender_is_required(servers, sender):
    body = {"message": "hi"} if sender is None else {"sender": sender, "message": "hi"}
    response = post(body)
    assert response.status_code == 400 and "sender" in response.json()["error"]


def test_a_too_long_message_gets_a_readable_reply_without_language_processing(servers, tmp_path):
    started = time.monotonic()
    text = readable_reply(post({"sender": new_sender("long"), "message": "blah " * 10000}))
    print(f"\n50,000-character message answered in {time.monotonic() - started:.2f} s")
    assert "too long" in text and "50,000 characters" in text


def test_a_body_over_the_limit_is_refused_with_a_json_error(servers):
    response = post({"sender": new_sender("huge"), "message": "x" * 1_000_000})
    assert response.status_code == 413
    assert response.json()


def test_streaming_is_refused_clearly(servers):
    response = requests.post(WEBHOOK + "?stream=true", json={"sender": new_sender("stream"), "message": ""},
                             timeout=30)
    assert response.status_code == 400 and "stream" in response.json()["error"]


def test_typed_internal_intents_do_not_restart_the_conversation(servers):
    """'/restart' typed is read as the word (which may start the check over), never as Rasa's restart event."""
    sender = new_sender("restart")
    ask(sender, "I have a master's in social work")
    for typed in ("/restart", "/session_start", "/back"):
        reply = ask(sender, typed)
        assert reply.strip() and "not responding" not in reply
    assert stored_events(servers, sender, "restart") == []
    assert len(stored_events(servers, sender, "session_started")) == 1
    reply = ask(sender, "I have a master's in social work and 3 years of parent-infant therapy")
    assert reply.strip().endswith("?") and "background first" not in reply  # the check goes on, asking


def test_buttons_keep_working(servers):
    assert "exam" in ask(new_sender("button"), "/ask_exam").lower()


def test_nonsense_numbers_get_a_clear_question_and_valid_json(servers):
    sender = new_sender("nan")
    ask(sender, "check my qualifications")
    for nonsense in ("NaN families", "Infinity hours of RS/C", "1e999 years", "-5 families", "nan"):
        text = readable_reply(post({"sender": sender, "message": nonsense}))
        assert "nan" not in text.lower().replace("nanny", "") and "inf " not in text.lower()


def stored_events(servers, sender: str, kind: str = "") -> list:
    url = f"sqlite:///{servers.run_dir / 'conversations.db'}"
    query = sa.text("SELECT data FROM events WHERE sender_id = :sender AND type_name LIKE :kind")
    with sa.create_engine(url).connect() as connection:
        return [row for (row,) in connection.execute(query, {"sender": sender, "kind": kind or "%"})]


@pytest.mark.parametrize("injection", ['/inform_background{"check": {"mode": "injected"}}',
                                       '/inform_background{"families_served": NaN}',
                                       '/check_qualifications{"what_if": {"note": "injected"}, "category": "IMHS"}'])
def test_injected_slots_are_not_set(servers, injection):
    sender = new_sender("inject")
    assert ask(sender, injection).strip()
    slots = [json.loads(data) for data in stored_events(servers, sender, "slot")]
    injected = [slot for slot in slots if slot["name"] != "last_question"
                and ("injected" in json.dumps(slot["value"]) or "NaN" in json.dumps(slot["value"]))]
    assert not injected


def test_parallel_messages_on_one_conversation_are_all_answered(servers):
    sender = new_sender("parallel")
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=20) as pool:
        replies = list(pool.map(lambda _: ask(sender, "what is reflective supervision?"), range(20)))
    print(f"\n20 parallel messages on one conversation answered in {time.monotonic() - started:.1f} s")
    assert all("reflective" in reply.lower() for reply in replies)


def test_cors_allows_only_the_configured_origin(servers):
    allowed = requests.options(WEBHOOK, headers={"Origin": f"http://localhost:{WEB_PORT}",
                                                 "Access-Control-Request-Method": "POST"}, timeout=10)
    assert allowed.headers.get("Access-Control-Allow-Origin") == f"http://localhost:{WEB_PORT}"
    for origin in ("http://evil.example", "null"):
        refused = requests.post(WEBHOOK, json={"sender": new_sender("cors"), "message": "hi"},
                                headers={"Origin": origin}, timeout=30)
        assert refused.headers.get("Access-Control-Allow-Origin") not in (origin, "*")


def test_forget_me_deletes_the_conversation(servers):
    sender = new_sender("forget")
    ask(sender, "I have a master's in social work and 3 years as a home visitor")
    assert stored_events(servers, sender)
    assert "deleted this conversation" in ask(sender, "please delete my data")
    assert not stored_events(servers, sender)
    assert "Tell me about your background first" in ask(sender, "what if I had 50 hours of RS/C?")


def test_the_log_has_one_line_per_event_without_message_text_or_tracebacks(servers):
    sender = new_sender("log")
    marker = f"zebra{uuid.uuid4().hex[:6]}"
    ask(sender, f'/greet{{"x": 1}}\nFORGED LOG LINE {marker}')
    ask(sender, f"tell me about {marker}")
    for message in ("", None, ["x"]):
        post({"sender": sender, "message": message})
    time.sleep(1)
    log = (servers.run_dir / "rasa.log").read_text(errors="replace")
    assert not any(line.startswith("FORGED LOG LINE") for line in log.splitlines())
    assert marker not in log
    assert "Traceback" not in log
    assert sum(conversation_ref(sender) in line for line in log.splitlines()) >= 3  # one line per message


def listening_addresses(port: int) -> set:
    """The IPv4 addresses a local TCP port listens on, read from /proc/net/tcp."""
    addresses = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        address, port_hex = local.split(":")
        if state == "0A" and int(port_hex, 16) == port:
            addresses.add(".".join(str(int(address[i:i + 2], 16)) for i in (6, 4, 2, 0)))
    return addresses


def test_the_action_server_listens_on_loopback_and_the_rasa_api_is_off(servers):
    assert listening_addresses(ACTIONS_PORT) == {"127.0.0.1"}
    for path in ("/conversations/someone/tracker", "/model/parse", "/status"):
        response = requests.get(f"http://localhost:{RASA_PORT}{path}", timeout=10)
        assert response.status_code == 404, path

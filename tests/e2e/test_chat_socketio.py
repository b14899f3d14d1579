"""The website's socket.io channel, spoken to with python-socketio's client against the running server: the
qualification checklist arrives as a custom payload, the turn is kept (a what-if follows it, also after
reconnecting with the same session), and only the configured origins may connect."""
import json
import queue
import time
import uuid

import pytest
import requests
import socketio

from tests.e2e.conftest import RASA_PORT, WEB_PORT

SERVER = f"http://localhost:{RASA_PORT}"
PAGE_ORIGIN = f"http://localhost:{WEB_PORT}"
BACKGROUND = ("I'm an advisor. My student has a BA in psych, 3 years as a home visitor with infants, 15 families, "
              "60 hours of training and 30 hours of reflective supervision from an endorsed IFRS over 18 months. "
              "Which category fits?")
TIMEOUT = 60


class SocketConversation:
    """One browser-like client: connects from an origin, asks for its session, sends messages, collects replies."""

    def __init__(self, session_id: str, origin: str = PAGE_ORIGIN):
        self.session_id = session_id
        self.replies: queue.Queue[dict] = queue.Queue()
        self.confirmed: queue.Queue[str] = queue.Queue()
        self.client = socketio.Client(reconnection=False)
        self.client.on("bot_uttered", self.replies.put)
        self.client.on("session_confirm", self.confirmed.put)
        self.client.connect(SERVER, headers={"Origin": origin}, transports=["polling"], wait_timeout=20)
        self.client.emit("session_request", {"session_id": session_id})
        assert self.confirmed.get(timeout=TIMEOUT) == session_id

    def say(self, message: str, until) -> list:
        """Sends a message and collects the replies until one satisfies `until`."""
        self.client.emit("user_uttered", {"message": message, "session_id": self.session_id})
        received, deadline = [], time.time() + TIMEOUT
        while time.time() < deadline:
            try:
                received.append(self.replies.get(timeout=max(0.1, deadline - time.time())))
            except queue.Empty:
                break
            if until(received[-1]):
                return received
        pytest.fail(f"no expected reply to {message!r}; got {received}")

    def close(self) -> None:
        self.client.disconnect()


def has_checklist(reply: dict) -> bool:
    return "qualification_check" in (reply.get("custom") or {})


def test_the_checklist_arrives_and_a_what_if_follows_it_after_reconnecting(servers):
    session_id = uuid.uuid4().hex
    first = SocketConversation(session_id)
    try:
        replies = first.say(BACKGROUND, until=has_checklist)
    finally:
        first.close()
    verdict = next(reply["text"] for reply in replies if reply.get("text"))
    check = replies[-1]["custom"]["qualification_check"]
    assert "Best fit now" in verdict or "IFS" in verdict
    assert check["best_fit"] == "IFS" and check["age_band"] == "infant"
    assert {"IFA", "IFS", "IFRS", "IMHS"} <= {category["code"] for category in check["categories"]}
    line = check["categories"][0]["requirements"][0]
    assert line["status"] in ("met", "not met", "unknown") and line["source"].startswith("http")

    again = SocketConversation(session_id)  # a reload: a new connection asking for the same session
    try:
        replies = again.say("what if she gets her master's?", until=lambda reply: bool(reply.get("text")))
    finally:
        again.close()
    assert replies[0]["text"].startswith("If you earned a master's degree"), replies[0]["text"]


def test_a_session_keeps_to_its_own_id(servers):
    other = SocketConversation(uuid.uuid4().hex)
    try:
        replies = other.say("what if I get my master's?", until=lambda reply: bool(reply.get("text")))
    finally:
        other.close()
    assert replies[0]["text"].startswith("Tell me about your background first")


def test_other_origins_are_refused(servers):
    with pytest.raises(socketio.exceptions.ConnectionError):
        SocketConversation(uuid.uuid4().hex, origin="http://unknown.example")


def test_polling_answers_carry_one_cors_header_for_the_page(servers):
    """Browsers refuse a response with the Access-Control-Allow-Origin header twice (socket.io's and Rasa's)."""
    reply = requests.get(f"{SERVER}/socket.io/", params={"EIO": "4", "transport": "polling"},
                         headers={"Origin": PAGE_ORIGIN}, timeout=20)
    assert reply.status_code == 200 and reply.text.startswith("0{")
    assert reply.headers["Access-Control-Allow-Origin"] == PAGE_ORIGIN
    refused = requests.get(f"{SERVER}/socket.io/", params={"EIO": "4", "transport": "polling"},
                           headers={"Origin": "http://unknown.example"}, timeout=20)
    assert refused.status_code == 400


def test_a_poll_after_its_session_closed_gets_a_clear_400(servers):
    polling = f"{SERVER}/socket.io/?EIO=4&transport=polling"
    headers = {"Origin": PAGE_ORIGIN}
    opened = requests.get(polling, headers=headers, timeout=TIMEOUT)
    assert opened.status_code == 200 and opened.text.startswith("0")
    sid = json.loads(opened.text[1:])["sid"]
    closed = requests.post(f"{polling}&sid={sid}", data="1", headers=headers, timeout=TIMEOUT)
    assert closed.status_code == 200
    stale = requests.get(f"{polling}&sid={sid}", headers=headers, timeout=TIMEOUT)
    assert stale.status_code == 400
    assert "Traceback" not in (servers.run_dir / "rasa.log").read_text(errors="replace")

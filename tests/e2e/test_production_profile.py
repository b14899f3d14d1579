"""The production profile (conversations in PostgreSQL, locks in Redis, a token on the REST channel) with real
restarts and faults. Its own servers, started once for this module on ports of their own."""
import os
import signal
import subprocess
import time
import uuid
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa

from tests.conftest import POSTGRES_URL, PROJECT_ROOT, postgres_reachable
from tests.conversation_store.test_stores import CLOSED_PORT_REDIS_URL, REDIS_URL, redis_reachable
from tests.e2e.conftest import ACTIONS_PORT, RASA_PORT, WEB_PORT, start_servers, stop_servers

FAULT_RASA_PORT = int(os.environ.get("E2E_FAULT_RASA_PORT", RASA_PORT + 2))
FAULT_ACTIONS_PORT = int(os.environ.get("E2E_FAULT_ACTIONS_PORT", ACTIONS_PORT + 2))
FAULT_WEB_PORT = int(os.environ.get("E2E_FAULT_WEB_PORT", WEB_PORT + 2))
WEBHOOK = f"http://localhost:{FAULT_RASA_PORT}/webhooks/rest/webhook"
TOKEN = uuid.uuid4().hex
FULL_BACKGROUND = ("I work with babies and toddlers. I have a master's in social work and a clinical license, 5 years "
                   "as a home visitor with about 40 families, 60 hours of relationship-based training and 50 hours of "
                   "reflective supervision over 14 months with an IMHS provider.")


class Servers:
    """serve.sh with the production settings; the action server can be stopped and started on its own."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.starts = 0
        self.process = None
        self.actions = None  # an action server started by the tests in place of serve.sh's one

    def start(self, **settings: str) -> None:
        self.starts += 1
        run_dir = self.folder / f"start-{self.starts}"
        run_dir.mkdir()
        production = {"RASA_PORT": str(FAULT_RASA_PORT), "ACTIONS_PORT": str(FAULT_ACTIONS_PORT),
                      "WEB_PORT": str(FAULT_WEB_PORT),
                      "CONVERSATIONS_DATABASE_URL": POSTGRES_URL, "LOCK_STORE_URL": REDIS_URL, "REST_TOKEN": TOKEN}
        self.process = start_servers(run_dir / "serve.log", **{**production, **settings})

    def stop(self) -> None:
        if self.actions is not None:
            os.killpg(self.actions.pid, signal.SIGTERM)
            self.actions.wait(timeout=60)
            self.actions = None
        if self.process is not None and self.process.poll() is None:
            stop_servers(self.process)

    def restart(self, **settings: str) -> None:
        self.stop()
        self.start(**settings)

    def kill_action_server(self) -> None:
        if self.actions is not None:
            os.killpg(self.actions.pid, signal.SIGKILL)
            self.actions.wait(timeout=30)
            self.actions = None
            return
        found = subprocess.run(["pgrep", "-g", str(self.process.pid), "-f", "rasa run actions"],
                               capture_output=True, text=True)
        for pid in found.stdout.split():
            os.kill(int(pid), signal.SIGKILL)
        wait_until(lambda: not answers(f"http://localhost:{FAULT_ACTIONS_PORT}/health"), "the action server stops")

    def start_action_server(self) -> None:
        env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "SANIC_HOST": "127.0.0.1"}
        self.actions = subprocess.Popen(
            [str(PROJECT_ROOT / ".venv/bin/rasa"), "run", "actions", "--actions", "actions.actions", "--port",
             str(FAULT_ACTIONS_PORT)], cwd=PROJECT_ROOT, env=env, start_new_session=True,
            stdout=(self.folder / "actions-restarted.log").open("w"), stderr=subprocess.STDOUT)
        wait_until(lambda: answers(f"http://localhost:{FAULT_ACTIONS_PORT}/health"), "the action server answers")

    def rasa_log(self) -> str:
        return (self.process.run_dir / "rasa.log").read_text(errors="replace")


def answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).ok
    except requests.RequestException:
        return False


def wait_until(condition, what: str, seconds: float = 240) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if condition():
            return
        time.sleep(0.5)
    pytest.fail(f"waited {seconds:.0f} s for {what}")


@pytest.fixture(scope="module")
def production(tmp_path_factory, trained_model):
    if not postgres_reachable():
        pytest.skip("PostgreSQL is not reachable")
    if not redis_reachable():
        pytest.skip("Redis is not reachable")
    servers = Servers(tmp_path_factory.mktemp("production"))
    started = time.time()
    servers.start()
    print(f"\nProduction-profile servers ready in {time.time() - started:.0f} s")
    yield servers
    servers.stop()


def send(sender: str, message: str, token: str = TOKEN) -> list:
    response = requests.post(WEBHOOK, json={"sender": sender, "message": message}, timeout=120,
                             headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text
    return response.json()


def say(sender: str, message: str) -> str:
    return "\n".join(part.get("text") or "" for part in send(sender, message))


def has_check_result(messages: list) -> bool:
    return any("qualification_check" in (part.get("custom") or {}) for part in messages)


def stored_events(sender: str) -> int:
    with sa.create_engine(POSTGRES_URL).connect() as connection:
        return connection.execute(sa.text("SELECT COUNT(*) FROM events WHERE sender_id = :sender"),
                                  {"sender": sender}).scalar()


def sender(kind: str) -> str:
    return f"prod-{kind}-{uuid.uuid4().hex[:8]}"


def test_the_rest_channel_requires_the_token(production):
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN[:-1]}):
        refused = requests.post(WEBHOOK, json={"sender": sender("token"), "message": "hi"}, headers=headers,
                                timeout=30)
        assert refused.status_code == 401 and "token" in refused.json()["error"]
    assert say(sender("token"), "hi").strip()


def test_an_answer_given_while_the_action_server_is_down_is_kept(production):
    person = sender("outage")
    say(person, "check my qualifications")
    assert "highest completed degree" in say(person, "babies")
    production.kill_action_server()
    during = say(person, "a bachelor's in psychology")
    assert "not responding" in during and "kept" in during
    production.start_action_server()
    after = say(person, "are you back?")
    assert "years of paid work" in after  # the degree given during the outage was read: the next question


def test_a_dropped_database_connection_is_replaced(production):
    person = sender("dropped")
    say(person, "hi")
    before = stored_events(person)
    with sa.create_engine(POSTGRES_URL).connect() as connection:
        dropped = connection.execute(sa.text(
            "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()")).scalar()
    print(f"\n{dropped} database connection(s) dropped")
    assert "reflective" in say(person, "what is reflective supervision?").lower()
    assert stored_events(person) > before


def test_a_conversation_and_its_check_survive_a_restart_even_with_redis_down(production):
    finished, halfway = sender("finished"), sender("halfway")
    say(finished, "check my qualifications")
    replies = [send(finished, FULL_BACKGROUND)]
    while not has_check_result(replies[-1]) and len(replies) < 8:
        replies.append(send(finished, "skip"))
    assert has_check_result(replies[-1])
    say(halfway, "check my qualifications")
    assert "highest completed degree" in say(halfway, "babies")

    production.restart(LOCK_STORE_URL=CLOSED_PORT_REDIS_URL)

    assert "years of paid work" in say(halfway, "a bachelor's in psychology")  # the check goes on where it was
    what_if = send(finished, "what if I had a doctorate?")
    assert has_check_result(what_if)  # the stated background is still known
    assert "Redis lock store is unreachable" in production.rasa_log()
    assert "Traceback" not in production.rasa_log()


def test_forget_me_deletes_the_conversation_from_postgresql(production):
    person = sender("forget")
    say(person, "I have a master's in social work")
    assert stored_events(person) > 0
    assert "deleted this conversation" in say(person, "forget me")
    assert stored_events(person) == 0

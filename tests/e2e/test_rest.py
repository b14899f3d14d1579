"""End to end: both servers started as `make run` starts them, questions asked over the REST channel, each answer
checked against the knowledge base (the fact it must state) and for a named source."""
import os
import signal
import subprocess
import time
import uuid
from pathlib import Path

import pytest
import requests
import yaml

from actions.knowledge.database import database_url
from actions.knowledge.repository import KnowledgeRepository
from tests.conftest import PROJECT_ROOT

RASA_PORT = int(os.environ.get("E2E_RASA_PORT", "15005"))
ACTIONS_PORT = int(os.environ.get("E2E_ACTIONS_PORT", "15055"))
WEBHOOK = f"http://localhost:{RASA_PORT}/webhooks/rest/webhook"
QUESTIONS = yaml.safe_load((Path(__file__).parent / "questions.yml").read_text(encoding="utf-8"))
STARTUP_SECONDS = 300


def start_servers(log_dir: Path) -> subprocess.Popen:
    env = {**os.environ, "RASA_PORT": str(RASA_PORT), "ACTIONS_PORT": str(ACTIONS_PORT)}
    log = (log_dir / "serve.log").open("w")
    process = subprocess.Popen(["bash", "scripts/serve.sh"], cwd=PROJECT_ROOT, env=env, stdout=log,
                               stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.time() + STARTUP_SECONDS
    while time.time() < deadline:
        if process.poll() is not None:
            pytest.fail("the servers did not start:\n" + (log_dir / "serve.log").read_text())
        if "Ready after" in (log_dir / "serve.log").read_text():
            return process
        time.sleep(1)
    stop_servers(process)
    pytest.fail("the servers were not ready in time:\n" + (log_dir / "serve.log").read_text())


def stop_servers(process: subprocess.Popen) -> int:
    os.killpg(process.pid, signal.SIGINT)
    return process.wait(timeout=60)


@pytest.fixture(scope="module")
def servers(tmp_path_factory, trained_model):
    log_dir = tmp_path_factory.mktemp("serve")
    started = time.time()
    process = start_servers(log_dir)
    print(f"\nServers ready in {time.time() - started:.0f} s")
    yield process
    if process.poll() is None:
        stop_servers(process)


def ask(sender: str, message: str) -> str:
    reply = requests.post(WEBHOOK, json={"sender": sender, "message": message}, timeout=60)
    reply.raise_for_status()
    return "\n".join(part.get("text", "") for part in reply.json())


def expected_snippets(expectation: dict, repository: KnowledgeRepository):
    """The exact knowledge-base text (or literal) an answer must contain."""
    if "requirement" in expectation:
        code, kind, *phase = expectation["requirement"]
        rows = repository.requirements(code, phase=phase[0] if phase else "initial", kind=kind, in_force_only=True)
        assert rows, f"the knowledge base has no {kind} requirement for {code}"
        return [row.text for row in rows]
    if "topic" in expectation:
        topic, seq = expectation["topic"]
        facts = [fact for fact in repository.topic_facts(topic) if fact.seq == seq]
        assert facts, f"the knowledge base has no {topic} fact {seq}"
        return [facts[0].text]
    if "fee" in expectation:
        association, fee_type, category = expectation["fee"]
        fees = [f for f in repository.fees(association) if f.fee_type == fee_type and f.category == category]
        assert fees and fees[0].amount_usd is not None, f"no {fee_type} fee for {association} {category}"
        return [f"${fees[0].amount_usd:,.0f}"]
    return [expectation["text"]]


def test_the_question_list_is_long_enough():
    assert len(QUESTIONS) >= 60


@pytest.mark.parametrize("case", QUESTIONS, ids=[case["id"] for case in QUESTIONS])
def test_question_over_rest(servers, case):
    repository = KnowledgeRepository(database_url())
    sender = f"{case['id']}-{uuid.uuid4().hex[:8]}"
    answer = ""
    for message in case["say"]:
        answer = ask(sender, message)
    for expectation in case.get("expect", []):
        for snippet in expected_snippets(expectation, repository):
            assert snippet.lower() in answer.lower(), f"expected {snippet!r} in:\n{answer}"
    for absent in case.get("absent", []):
        assert absent.lower() not in answer.lower(), f"did not expect {absent!r} in:\n{answer}"
    if case.get("cited", True):
        assert "Source: http" in answer or "came from" in answer, f"no source named in:\n{answer}"


def test_action_server_down_gives_a_clear_message(servers):
    """Runs last in this module: it stops the action server."""
    subprocess.run(["pkill", "-f", f"rasa run actions --actions actions --port {ACTIONS_PORT}"], check=False)
    time.sleep(2)
    answer = ask(f"down-{uuid.uuid4().hex[:8]}", "how many RS/C hours do I need for IMHS?")
    assert "not responding" in answer and "nothing you told me is lost" in answer

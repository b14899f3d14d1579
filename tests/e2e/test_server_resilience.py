"""Runs after the other end-to-end modules: it stops the action server under the running Rasa server."""
import subprocess
import time
import uuid

from actions.knowledge.database import database_url
from actions.knowledge.repository import KnowledgeRepository
from tests.e2e.conftest import ACTIONS_PORT, ask


def test_a_very_long_message_gets_an_answer(servers):
    story = "I have been working with young families for a long time and I love it. " * 120
    answer = ask(f"long-{uuid.uuid4().hex[:8]}", story + "How many RS/C hours do I need for IMHS?")
    (rsc,) = KnowledgeRepository(database_url()).requirements("IMHS", phase="initial", kind="rsc",
                                                             in_force_only=True)
    assert rsc.text in answer


def test_action_server_down_gives_a_clear_message(servers):
    subprocess.run(["pkill", "-f", f"rasa run actions --actions actions --port {ACTIONS_PORT}"], check=False)
    time.sleep(2)
    answer = ask(f"down-{uuid.uuid4().hex[:8]}", "how many RS/C hours do I need for IMHS?")
    assert "not responding" in answer and "nothing you told me is lost" in answer

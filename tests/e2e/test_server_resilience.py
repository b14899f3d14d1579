"""Runs after the other end-to-end modules: it stops the action server under the running Rasa server."""
import subprocess
import time
import uuid

from actions.knowledge.database import database_url
from actions.knowledge.repository import KnowledgeRepository
from tests.e2e.conftest import ACTIONS_PORT, ask


STORY = ("I started out as a nanny for twin babies and then spent a few years at an Early Head Start center. "
         "Last year I finished my master's in social work, and now I see toddlers and their parents together at a "
         "community clinic, mostly families who have been through a lot: moves, losses, a parent in recovery. My "
         "supervisor says I should think about getting endorsed, and a colleague from Michigan told me the "
         "requirements changed recently, so I am a bit confused about where to begin and what counts. I keep a "
         "spreadsheet of my trainings and I meet with a reflective consultant twice a month. ")


def test_a_long_story_with_the_question_at_the_end_is_answered(servers):
    answer = ask(f"long-{uuid.uuid4().hex[:8]}", STORY + "How many RS/C hours do I need for IMHS?")
    (rsc,) = KnowledgeRepository(database_url()).requirements("IMHS", phase="initial", kind="rsc",
                                                             in_force_only=True)
    assert rsc.text in answer


def test_an_enormous_message_still_gets_a_reply(servers):
    answer = ask(f"huge-{uuid.uuid4().hex[:8]}", "blah " * 5000 + "what is reflective supervision?")
    assert answer.strip()


def test_action_server_down_gives_a_clear_message(servers):
    subprocess.run(["pkill", "-f", f"rasa run actions --actions actions --port {ACTIONS_PORT}"], check=False)
    time.sleep(2)
    answer = ask(f"down-{uuid.uuid4().hex[:8]}", "how many RS/C hours do I need for IMHS?")
    assert "not responding" in answer and "nothing you told me is lost" in answer

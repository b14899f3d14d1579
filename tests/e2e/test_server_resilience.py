"""Runs after the other end-to-end modules: it stops the action server under the running Rasa server."""
import subprocess
import time
import uuid

from actions.knowledge.database import database_url
from actions.knowledge.snapshot import read_knowledge
from tests.e2e.conftest import ACTIONS_PORT, ask

STORY = ("I first got interested in this field when my little sister was born very early and spent weeks in the "
         "NICU. I watched the nurses and a social worker help my parents feel close to her even through the "
         "incubator, and I never forgot it. Years later I still think about how much those first months shaped "
         "our family, and I keep reading about attachment and early relationships whenever I can. My friends "
         "say I should stop reading and start planning, so I'm finally trying to understand the path. ")


def test_a_long_story_with_the_question_at_the_end_is_answered(servers):
    answer = ask(f"long-{uuid.uuid4().hex[:8]}", STORY + "How many RS/C hours do I need for IMHS?")
    (rsc,) = read_knowledge(database_url()).requirements("IMHS", phase="initial", kind="rsc", in_force_only=True)
    assert "50 hours" in rsc.text and "50 hours" in answer


def test_an_enormous_message_still_gets_a_reply(servers):
    answer = ask(f"huge-{uuid.uuid4().hex[:8]}", "blah " * 5000 + "what is reflective supervision?")
    assert answer.strip()


def test_action_server_down_gives_a_clear_message(servers):
    subprocess.run(["pkill", "-f", f"rasa run actions --actions actions.actions --port {ACTIONS_PORT}"], check=False)
    time.sleep(2)
    answer = ask(f"down-{uuid.uuid4().hex[:8]}", "how many RS/C hours do I need for IMHS?")
    assert "not responding" in answer and "What you told me is kept" in answer

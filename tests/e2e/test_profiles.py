"""Backgrounds over REST: each verdict profile as one message, and multi-turn checks answered question by question."""
import uuid
from pathlib import Path

import pytest
import yaml

from actions.knowledge.database import database_url
from actions.knowledge.snapshot import read_knowledge
from tests.e2e.conftest import send

DATA = Path(__file__).parents[1] / "data"
PROFILES = yaml.safe_load((DATA / "verdict_profiles.yml").read_text(encoding="utf-8"))
CONVERSATIONS = yaml.safe_load((Path(__file__).parent / "conversations.yml").read_text(encoding="utf-8"))
ONE_MESSAGE_GATE = 0.9


def verdict(reply):
    payloads = [part["custom"]["qualification_check"] for part in reply
                if "qualification_check" in (part.get("custom") or {})]
    return payloads[-1] if payloads else None


def test_one_message_backgrounds_get_the_verdict_at_once(servers):
    right, wrong = 0, []
    for case in PROFILES:
        reply = send(f"{case['id']}-{uuid.uuid4().hex[:8]}", case["message"])
        result = verdict(reply)
        expected = case["expect"]
        got = (result or {}).get("best_fit"), (result or {}).get("confirm"), (result or {}).get("next_within_reach")
        if result and got == (expected.get("best_fit"), expected.get("confirm"), expected.get("next")):
            right += 1
        else:
            wrong.append(f"{case['id']}: got {got if result else 'no verdict'}")
        assert all(len(part.get("text") or "") <= 1200 for part in reply), case["id"]
    print(f"\nOne-message verdicts over REST: {right} of {len(PROFILES)} right" + "".join(f"\n  {w}" for w in wrong))
    assert right >= ONE_MESSAGE_GATE * len(PROFILES)


@pytest.mark.parametrize("case", CONVERSATIONS, ids=[case["id"] for case in CONVERSATIONS])
def test_multi_turn_check(servers, case):
    questions = {m.question: m.measure for m in read_knowledge(database_url()).measure_rows if m.question}
    sender = f"{case['id']}-{uuid.uuid4().hex[:8]}"
    transcript, reply = [], []
    pending = list(case.get("say", []))
    for _ in range(16):
        if pending:
            message = pending.pop(0)
        else:
            text = "\n".join(part.get("text") or "" for part in reply)
            asked = [measure for question, measure in questions.items() if question in text]
            if not asked:
                break
            answers = case.get("answers", {})
            assert asked[-1] in answers, f"unexpected question {asked[-1]}:\n" + "\n".join(transcript)
            message = answers[asked[-1]]
        reply = send(sender, message)
        transcript.append(f"> {message}\n" + "\n".join(part.get("text") or "" for part in reply))
    conversation = "\n".join(transcript)
    result = verdict(reply)
    assert result, f"no verdict at the end:\n{conversation}"
    assert result["best_fit"] == case["best_fit"], conversation
    if "next" in case:
        assert result["next_within_reach"] == case["next"], conversation
    for snippet in case.get("text", []):
        assert snippet in conversation, conversation
    for snippet in case.get("not_text", []):
        assert snippet not in conversation, conversation

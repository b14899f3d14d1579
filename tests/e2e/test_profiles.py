"""Realistic backgrounds told over REST, in one message or over several: the check must name the expected best
fit and next step, and show the exact gaps."""
import uuid
from pathlib import Path

import pytest
import yaml

from tests.e2e.conftest import send

PROFILES = yaml.safe_load((Path(__file__).parent / "profiles.yml").read_text(encoding="utf-8"))


def test_there_are_enough_profiles():
    assert len(PROFILES) >= 20


@pytest.mark.parametrize("case", PROFILES, ids=[case["id"] for case in PROFILES])
def test_profile(servers, case):
    sender = f"{case['id']}-{uuid.uuid4().hex[:8]}"
    transcript, reply = [], []
    for message in case["say"]:
        reply = send(sender, message)
        transcript.append(f"> {message}\n" + "\n".join(part.get("text", "") for part in reply))
    conversation = "\n".join(transcript)
    payloads = [part["custom"]["qualification_check"] for part in reply if "qualification_check" in
                (part.get("custom") or {})]
    assert payloads, f"no check result in the last reply:\n{conversation}"
    result = payloads[-1]
    assert result["best_fit"] == case["best_fit"], conversation
    if "next" in case:
        assert result["next_within_reach"] == case["next"], conversation
    text = "\n".join(part.get("text", "") for part in reply)
    for snippet in case.get("text", []):
        assert snippet in text, conversation

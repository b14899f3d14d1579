"""The end-to-end profiles, played through the parser, the form logic and the engine without Rasa: the same
answers in the same order must reach the same best fit."""
from pathlib import Path

import pytest
import yaml

from actions.eligibility import assess
from actions.qualification import SKIPPED, apply_statement, profile_for_engine, questions_needed, slot_values

PROFILES = yaml.safe_load((Path(__file__).parents[1] / "e2e" / "profiles.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def parser(profile_parser):
    return profile_parser


@pytest.mark.parametrize("case", PROFILES, ids=[case["id"] for case in PROFILES])
def test_profile_without_rasa(parser, sqlite_repository, case):
    profile, requested = {}, None
    for number, message in enumerate(case["say"]):
        if message.lower().startswith("what if"):
            break
        assert number == 0 or requested, f"the check was already complete before {message!r}: {profile}"
        profile = apply_statement(profile, parser.parse(message), requested).profile
        values = slot_values(profile)
        requested = next((slot for slot in questions_needed(profile) if values[slot] is None), None)
    assert requested is None, f"the check would still ask {requested}: {profile}"
    band = profile.get("age_band") if profile.get("age_band") not in (None, SKIPPED) else "infant"
    result = assess(sqlite_repository, profile_for_engine(profile), band)
    assert result.best_fit == case["best_fit"], profile
    if "next" in case:
        assert result.next_within_reach == case["next"], profile

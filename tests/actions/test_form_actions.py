"""The qualification check's actions with a real Tracker and CollectingDispatcher."""
import asyncio

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import actions as rasa_actions
from tests.conftest import PROJECT_ROOT

DOMAIN = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())


@pytest.fixture(autouse=True)
def knowledge(sqlite_url, profile_parser, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    monkeypatch.setattr(rasa_actions, "profile_parser", lambda: profile_parser)


def tracker(text, intent, slots=None, events=None):
    message = {"text": text, "intent": {"name": intent}, "entities": []}
    all_slots = {name: None for name in DOMAIN["slots"]}
    all_slots.update(slots or {})
    return Tracker("tester", all_slots, message, events or [{"event": "user", "text": text}], False, None,
                   {"name": "qualification_form"}, "action_listen")


def validate(text, intent="inform_background", **slots):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(rasa_actions.ValidateQualificationForm().run(dispatcher, tracker(text, intent, slots),
                                                                       DOMAIN))
    values = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    return values, [m.get("text") for m in dispatcher.messages]


def test_one_message_fills_several_slots_and_asks_what_is_left():
    values, messages = validate("I have a BSW, 3 years as a home visitor with babies, about 15 families and "
                                "40 hrs of training")
    assert values["p_degree"] == "bachelor" and values["p_work_years"] == 3 and values["p_families"] == 15
    assert values["p_training_hours"] == 40 and values["p_age_band"] == "infant"
    assert values["requested_slot"] == "p_rsc_hours" and messages == []


def test_nonsense_gets_a_clear_reprompt_and_keeps_what_was_given():
    profile = {"degree_level": "bachelor", "work_years": 2.0, "age_band": "infant"}
    values, messages = validate("-5 hours", requested_slot="p_training_hours", profile=profile)
    assert "can't be negative" in messages[0]
    assert values["profile"] == profile and values["p_failures"] == {"p_training_hours": 1}


def test_after_two_unusable_answers_it_offers_to_skip():
    values, messages = validate("blue", requested_slot="p_training_hours", profile={"degree_level": "bachelor"},
                                p_failures={"p_training_hours": 1})
    assert "skip" in messages[0] and values["p_failures"]["p_training_hours"] == 2
    values, _ = validate("skip", requested_slot="p_training_hours", profile={"degree_level": "bachelor"})
    assert values["p_training_hours"] == "unknown"


def test_a_question_in_the_middle_is_left_to_the_rules():
    values, messages = validate("what is reflective supervision?", intent="ask_rsc_what",
                                requested_slot="p_rsc_hours", profile={"degree_level": "bachelor"})
    # Only requested_slot comes back, which Rasa does not count as an answer: the form steps aside.
    assert set(values) <= {"requested_slot"} and messages == []


def test_assessment_sends_a_summary_and_a_checklist():
    profile = {"age_band": "infant", "degree_level": "bachelor", "work_years": 3.0, "families_served": 15.0,
               "training_hours": 40.0, "rsc_hours": 20.0, "rsc_hours_per_month": 2.0}
    dispatcher = CollectingDispatcher()
    rasa_actions.ActionAssessProfile().run(dispatcher, tracker("", "inform_background", {"profile": profile}), DOMAIN)
    text = dispatcher.messages[0]["text"]
    payload = dispatcher.messages[0]["custom"]["qualification_check"]
    assert "Best fit now: Infant Family Associate (IFA)" in text or "Best fit" in text
    assert "Next within reach: Infant Family Specialist (IFS)" in text
    assert "you have 20 of 24" in text and "about 2 months" in text
    ifs = next(c for c in payload["categories"] if c["code"] == "IFS")
    assert {r["measure"]: r["status"] for r in ifs["requirements"]}["rsc_hours"] == "not met"


def test_what_if_does_not_change_the_stated_facts():
    profile = {"age_band": "infant", "degree_level": "bachelor", "work_years": 3.0, "families_served": 15.0,
               "training_hours": 60.0, "rsc_hours": 30.0}
    dispatcher = CollectingDispatcher()
    events = rasa_actions.ActionWhatIf().run(dispatcher, tracker("what if I get my master's?", "what_if",
                                                                 {"profile": profile}), DOMAIN)
    assert events == []
    assert dispatcher.messages[0]["text"].startswith("If you earned a master degree:")


def test_start_over_clears_the_profile():
    events = rasa_actions.ActionResetProfile().run(CollectingDispatcher(), tracker("start over", "start_over"), DOMAIN)
    assert {e["name"]: e["value"] for e in events}["profile"] is None


def test_the_action_server_registers_a_question_for_every_form_slot():
    from rasa_sdk.executor import ActionExecutor

    executor = ActionExecutor()
    executor.register_package("actions")
    for slot in DOMAIN["forms"]["qualification_form"]["required_slots"]:
        assert f"action_ask_{slot}" in executor.actions, slot
    assert "validate_qualification_form" in executor.actions

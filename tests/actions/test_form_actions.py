"""The qualification check's actions with a real Tracker and CollectingDispatcher."""
import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import ActionExecutor, CollectingDispatcher

from actions import check as rasa_actions
from tests.conftest import PROJECT_ROOT

DOMAIN = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())
FORM = {"name": "qualification_form"}


@pytest.fixture(autouse=True)
def knowledge_db(sqlite_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", sqlite_url)


def tracker(text, intent, slots=None, active=True):
    message = {"text": text, "intent": {"name": intent}, "entities": []}
    all_slots = {name: None for name in DOMAIN["slots"]}
    all_slots.update(slots or {})
    return Tracker("tester", all_slots, message, [{"event": "user", "text": text}], False, None,
                   FORM if active else {}, "action_listen")


def run(action, text, intent="inform_background", active=True, **slots):
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, tracker(text, intent, slots, active), DOMAIN)
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}, dispatcher.messages


def validate(text, intent="inform_background", active=True, **slots):
    return run(rasa_actions.ValidateQualificationForm(), text, intent, active, **slots)


def texts(messages):
    return [m.get("text") or "" for m in messages]


def test_a_background_in_one_message_gets_a_verdict_at_once():
    values, messages = validate("which category fits me? BA in psych, 3 years as a home visitor with babies, about "
                                "15 families, 40 hrs of training and 30 hours of reflective supervision over 18 "
                                "months", intent="ask_which_category", active=False)
    verdict = messages[0]
    assert "Best fit now: Infant Family Associate (IFA)" in verdict["text"]
    assert "You may also meet Infant Family Specialist (IFS): it depends on who gave your RS/C" in verdict["text"]
    assert verdict["custom"]["qualification_check"]["confirm"] == "IFS"
    assert "Who gave you that RS/C" in messages[1]["text"]
    assert values["requested_slot"] == "check_answer" and values["check"]["asking"] == "rsc_provider"


def test_a_background_with_an_unknown_field_keeps_every_other_fact_and_targets_the_category_asked():
    values, messages = validate("BS in basket weaving, 3 yrs as a home visitor w/ 14 families of babies, 45 training "
                                "hrs, 21 hrs of RS over 13 months with an IMHM-C endorsed supervisor. how far am i "
                                "from IFS?", intent="ask_which_category", active=False)
    assert texts(messages)[0] == 'I don\'t know "basket weaving" as a field of study.'
    assert "Best fit now" in texts(messages)[1] and "(IFS)" in texts(messages)[1]
    assert values["check"]["target"] == "IFS"
    assert values["profile"]["work_years"] == 3.0 and values["profile"]["rsc_provider"] == "IMHM-C"


def test_a_named_category_with_part_of_a_background_gets_what_is_known_then_the_next_question():
    values, messages = validate("I have a masters in social work and I work in a NICU. Could I apply for IFS?",
                                intent="ask_which_category", active=False)
    assert "Infant Family Specialist (IFS): possible, it depends on" in texts(messages)[0]
    assert texts(messages)[1].startswith("To check the rest: ")
    assert values["requested_slot"] == "check_answer" and values["check"]["mode"] == "full"


def test_the_answer_to_the_deciding_question_settles_the_verdict():
    profile = {"age_band": "infant", "degree_level": "bachelor", "work_years": 3.0, "families_served": 15.0,
               "training_hours": 40.0, "rsc_hours": 30.0, "rsc_span_months": 18.0}
    check = {"asking": "rsc_provider", "mode": "confirming", "asked": [], "failures": {}, "conflict": None}
    values, messages = validate("she's endorsed as an IMHS", profile=profile, check=check)
    assert values["profile"]["rsc_provider"] == "IMHS"
    assert "Best fit now: Infant Family Specialist (IFS)" in texts(messages)[-1]
    assert values["requested_slot"] is None


def test_a_question_about_a_named_category_is_answered_for_that_category():
    _, messages = validate("I have an MSW and 3 years of child-parent psychotherapy with toddlers, 60 hours of "
                           "training. Do I qualify for IMHS?", intent="ask_which_category", active=False)
    assert messages[0]["text"].splitlines()[1] == ("Infant Mental Health Specialist (IMHS): possible, it depends on "
                                                   "your RS/C hours.")


def test_asking_about_the_category_of_ones_rsc_provider_checks_that_category():
    profile = {"age_band": "infant", "degree_level": "master", "work_years": 6.0, "families_served": 12.0,
               "training_hours": 40.0, "rsc_hours": 30.0, "rsc_span_months": 12.0, "rsc_provider": "IMHS"}
    values, messages = validate("what am i missing for imhs", intent="check_qualifications", active=False,
                                profile=profile)
    assert values["check"]["target"] == "IMHS"
    assert "Infant Mental Health Specialist (IMHS)" in texts(messages)[0]


def test_a_told_kind_of_work_gets_the_questions_that_could_raise_the_verdict():
    values, messages = validate("I run an early head start program, have a masters in social work, supervise 8 home "
                                "visitors and give them reflective supervision for 5 years. 200 training hours. "
                                "which endorsement?", intent="ask_which_category", active=False)
    assert "Best fit now: Infant Family Associate (IFA)" in texts(messages)[0]
    assert texts(messages)[1].startswith("To firm this up: ")   # not left at IFA without a question
    assert values["check"]["asking"] in ("clinical_work_years", "leadership_years", "rsc_hours", "work_years")


def test_check_my_qualifications_without_a_background_starts_asking():
    values, messages = validate("check my qualifications", intent="check_qualifications", active=False)
    assert values["check"]["asking"] == "age_band" and "Which ages" in messages[0]["text"]


def test_a_contradiction_is_asked_about():
    values, messages = validate("MSW, 1 year of work, 3 years of dyadic therapy with toddlers and their parents",
                                active=False)
    assert "two different figures for your years of paid work: 1 and 3" in texts(messages)[0]
    assert values["check"]["asking"] == "work_years"


def test_nonsense_gets_a_clear_reprompt_and_keeps_what_was_given():
    profile = {"degree_level": "bachelor", "work_years": 2.0, "age_band": "infant"}
    check = {"asking": "training_hours", "mode": "full", "asked": [], "failures": {}, "conflict": None}
    values, messages = validate("-5 hours", profile=profile, check=check)
    assert "can't be negative" in texts(messages)[0]
    assert values["profile"] == profile and values["check"]["failures"] == {"training_hours": 1}


def test_nonsense_numbers_in_the_first_message_are_named_before_the_first_question():
    values, messages = validate("i have -5 years of experience and 99999999 rsc hours", active=False)
    assert texts(messages)[0] == "99,999,999 hours doesn't look right."
    assert "Which ages" in texts(messages)[1]
    assert "work_years" not in values["profile"] and "rsc_hours" not in values["profile"]
    _, messages = validate("i have -5 years of experience", active=False)
    assert texts(messages)[0] == "An amount can't be negative."


def test_after_two_unusable_answers_it_offers_to_skip_and_skip_works():
    check = {"asking": "training_hours", "mode": "full", "asked": [], "failures": {"training_hours": 1},
             "conflict": None}
    values, messages = validate("blue", profile={"degree_level": "bachelor", "age_band": "infant"}, check=check)
    assert "skip" in texts(messages)[0] and values["check"]["failures"]["training_hours"] == 2
    values, _ = validate("skip", profile={"degree_level": "bachelor", "age_band": "infant"}, check=check)
    assert values["profile"]["training_hours"] == "unknown"


def test_a_question_in_the_middle_is_left_to_the_rules():
    check = {"asking": "rsc_hours", "mode": "full", "asked": [], "failures": {}, "conflict": None}
    values, messages = validate("what is reflective supervision?", intent="ask_rsc_what",
                                profile={"degree_level": "bachelor"}, check=check)
    assert values == {} and messages == []


def test_what_if_does_not_change_the_stated_facts():
    profile = {"age_band": "infant", "degree_level": "bachelor", "work_years": 3.0, "families_served": 15.0,
               "training_hours": 60.0, "rsc_hours": 30.0, "rsc_provider": "IMHS"}
    values, messages = run(rasa_actions.ActionWhatIf(), "what if I get my master's?", "what_if", profile=profile)
    assert values == {"what_if": {"degree_level": "master"}}  # the what-if, not the profile
    assert messages[0]["text"].startswith("If you earned a master's degree:")
    assert messages[0]["custom"]["qualification_check"]["best_fit"] == "IFS"


def test_a_background_read_as_a_what_if_starts_the_check():
    """"..., what can I get?" may be read as a what-if; with nothing known yet it is a background to check."""
    events = rasa_actions.ActionWhatIf().run(
        CollectingDispatcher(), tracker("BA in psychology, 2 years as a home visitor, 40 hours of training: what "
                                        "can I get?", "what_if", active=False), DOMAIN)
    assert any(e["event"] == "followup" and e["name"] == "qualification_form" for e in events)


def test_a_what_if_in_the_middle_of_the_check_is_left_to_the_what_if_action():
    check = {"asking": "families_served", "mode": "confirming", "asked": [], "failures": {}, "conflict": None,
             "last_message": "earlier", "target": None}
    values, messages = validate("what if I get 10 more hours of training", intent="what_if",
                                profile={"degree_level": "bachelor", "training_hours": 40.0}, check=check)
    assert values == {} and messages == []  # no "two different figures" question: action_what_if answers


def test_start_over_clears_the_profile():
    values, _ = run(rasa_actions.ActionResetProfile(), "start over", "start_over", profile={"degree_level": "master"})
    assert values["profile"] is None and values["check"] is None


def test_the_action_server_registers_every_action_of_the_domain():
    executor = ActionExecutor()
    executor.register_package("actions.actions")  # the module the action server loads
    custom = [name for name in DOMAIN["actions"] if not name.startswith("utter_")]
    assert set(custom) <= set(executor.actions)

"""The answering actions with a real Tracker and CollectingDispatcher over a seeded SQLite knowledge base."""
import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.actions import UNAVAILABLE, ActionAnswerQuestion, ActionFallbackHelp, ActionSources

SLOTS = ("category", "topic", "age_band", "region", "associations", "last_sources", "last_question", "last_facts",
         "fallbacks", "profile")


@pytest.fixture
def action(sqlite_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    return ActionAnswerQuestion()


def tracker(text, intent, entities=(), confidence=0.9, **slots):
    message = {"text": text, "intent": {"name": intent, "confidence": confidence}, "entities": list(entities)}
    return Tracker("tester", {name: slots.get(name) for name in SLOTS}, message, [], False, None, {}, "action_listen")


def run(action, tracker_):
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, tracker_, {})
    text = "\n".join(m.get("text") or "" for m in dispatcher.messages)
    buttons = [b for m in dispatcher.messages for b in (m.get("buttons") or [])]
    return text, {e["name"]: e["value"] for e in events if e.get("event") == "slot"}, buttons


def entity(label, value):
    return {"entity": label, "value": value}


def test_question_with_a_category(action, knowledge):
    text, slots, buttons = run(action, tracker("how many rs/c hours for IMHS", "ask_rsc",
                                               [entity("category", "IMHS")]))
    (rsc,) = knowledge.requirements("IMHS", phase="initial", kind="rsc", in_force_only=True)
    assert rsc.text in text and "Source:" in text and len(text) <= 900
    assert slots["category"] == "IMHS" and slots["last_facts"] == [rsc.id] and rsc.source_url in slots["last_sources"]
    assert slots["last_question"]["intent"] == "ask_rsc"
    assert buttons[0]["title"] == "More about IMHS"


def test_follow_up_names_another_category_and_keeps_the_question(action, knowledge):
    first_text, first, _ = run(action, tracker("how many rs/c hours for IMHS", "ask_rsc",
                                               [entity("category", "IMHS")]))
    text, slots, _ = run(action, tracker("and for the mentor?", "inform_category", [entity("category", "mentor")],
                                         **first))
    (clinical,) = knowledge.requirements("IMHM-C", phase="initial", kind="rsc", in_force_only=True)
    assert clinical.text in text
    assert slots["category"] == "IMHM"


def test_follow_up_on_a_new_topic_keeps_the_category(action, knowledge):
    text, slots, _ = run(action, tracker("what about renewal?", "ask_renewal", category="IFS", topic="rsc"))
    assert "Infant Family Specialist (IFS" in text and slots["last_facts"]
    assert all(fact.startswith("IFS.renewal.") for fact in slots["last_facts"])


def test_early_childhood_version(action):
    text, slots, _ = run(action, tracker("and the early childhood version?", "ask_other_age_band",
                                         [entity("age_band", "early childhood")], category="IFS", topic="work",
                                         last_facts=["IFS.initial.work_years"],
                                         last_question={"text": "how much work for IFS",
                                                        "intent": "ask_work_experience"}))
    assert slots["category"] == "ECFS" and slots["age_band"] == "early_childhood"
    assert "Early Childhood Family Specialist" in text and slots["last_facts"][0].startswith("ECFS.initial.work")


def test_a_button_payload_answers_the_row_it_names(action, knowledge):
    text, slots, _ = run(action, tracker('/ask_exam{"fact":"exam.pass-mark"}', "ask_exam",
                                         [entity("fact", "exam.pass-mark")], confidence=1.0))
    assert knowledge.fact("exam.pass-mark").text in text and slots["last_facts"] == ["exam.pass-mark"]


def test_compare_uses_the_category_in_context(action):
    text, _, _ = run(action, tracker("how is it different from IMHS", "ask_compare", [entity("category", "IMHS")],
                                     category="IFS"))
    assert "vs" in text and "IFS" in text and "IMHS" in text and len(text) <= 900


def test_fees_by_state(action):
    text, slots, _ = run(action, tracker("how much is the processing fee for IFS in arizona", "ask_fees",
                                         [entity("category", "IFS"), entity("region", "Arizona")]))
    assert "$" in text and slots["region"] == "Arizona"


def test_a_background_asking_for_a_verdict_goes_to_the_check(action):
    _, slots, _ = run(action, tracker("I have a BA, 3 years of home visiting, 40 hours of training. do I qualify?",
                                      "ask_requirements"))
    assert "check" in slots


def test_database_down_gives_a_clear_message(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg2://nobody@127.0.0.1:1/none")
    dispatcher = CollectingDispatcher()
    events = ActionAnswerQuestion().run(dispatcher, tracker("exam for IMHS?", "ask_exam",
                                                            [entity("category", "IMHS")]), {})
    assert dispatcher.messages[0]["text"] == UNAVAILABLE and events == []


def test_sources_of_the_previous_answer():
    dispatcher = CollectingDispatcher()
    ActionSources().run(dispatcher, tracker("source?", "ask_source", last_sources=["https://example.org/a"]), {})
    assert "https://example.org/a" in dispatcher.messages[0]["text"]


def test_fallback_does_not_ask_to_rephrase_twice(sqlite_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    first, second = CollectingDispatcher(), CollectingDispatcher()
    events = ActionFallbackHelp().run(first, tracker("blorp", "nlu_fallback", confidence=0.3), {})
    fallbacks = next(e["value"] for e in events if e["name"] == "fallbacks")
    ActionFallbackHelp().run(second, tracker("blorp again", "nlu_fallback", confidence=0.3, fallbacks=fallbacks), {})
    assert "another way" in first.messages[0]["text"]
    assert "another way" not in second.messages[0]["text"]
    assert second.messages[1]["response"] == "utter_menu"


def test_fallback_answers_a_message_that_matches_one_row_closely(sqlite_url, monkeypatch, knowledge):
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    dispatcher = CollectingDispatcher()
    events = ActionFallbackHelp().run(dispatcher, tracker("whats the full official name of the endorsment",
                                                          "nlu_fallback", confidence=0.3), {})
    assert knowledge.fact("endorsement.full-name").text in dispatcher.messages[0]["text"]
    assert {e["name"]: e["value"] for e in events}["last_facts"] == ["endorsement.full-name"]


def test_a_question_naming_a_state_answers_for_that_state(action):
    text, _, _ = run(action, tracker("is there an association in montana that does the endorsement",
                                     "ask_associations", [entity("region", "montana")]))
    assert "apply through the Alliance" in text
    text, _, _ = run(action, tracker("is there an association in michigan", "ask_associations",
                                     [entity("region", "michigan")]))
    assert "Michigan Association for Infant Mental Health" in text


def test_a_question_about_where_a_told_background_stands_goes_to_the_check(action):
    told = {"age_band": "infant", "degree_level": "master", "work_years": 6.0, "families_served": 12.0,
            "training_hours": 40.0, "rsc_hours": 30.0, "rsc_span_months": 12.0, "rsc_provider": "IMHS"}
    for text, intent in (("how far am i from imhs", "ask_compare"), ("am I eligible yet?", "ask_requirements")):
        reply, slots, _ = run(action, tracker(text, intent, [entity("category", "imhs")] if "imhs" in text else [],
                                              profile=told))
        assert reply == "" and slots == {"check": None}, text   # a new check, which the form then runs
    # without a background told, or for a question about the rules, the rules are answered
    reply, _, _ = run(action, tracker("how far am i from imhs", "ask_compare", [entity("category", "imhs")]))
    assert "Infant Mental Health Specialist" in reply
    reply, _, _ = run(action, tracker("how long does the review take", "ask_timeline", profile=told))
    assert "Source:" in reply


def test_the_ages_told_in_the_check_are_the_answers_age_band(action):
    reply, _, buttons = run(action, tracker("whats needed for the specialist one", "ask_requirements",
                                            profile={"age_band": "early_childhood"}))
    assert "Early Childhood Family Specialist (ECFS)" in reply
    assert [b["payload"] for b in buttons] == ['/ask_requirements{"category":"ECFS"}',
                                               '/ask_requirements{"category":"ECMHS"}']

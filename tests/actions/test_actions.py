"""The Rasa actions with a real Tracker and CollectingDispatcher over a seeded SQLite knowledge base."""
import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.actions import UNAVAILABLE, ActionAnswerQuestion, ActionFallbackHelp, ActionSources

SLOTS = ("category", "topic", "age_band", "region", "associations", "last_sources", "fallbacks")


@pytest.fixture
def action(sqlite_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    return ActionAnswerQuestion()


def tracker(text, intent, entities=(), **slots):
    message = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": list(entities)}
    return Tracker("tester", {name: slots.get(name) for name in SLOTS}, message, [], False, None, {}, "action_listen")


def run(action, tracker_):
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, tracker_, {})
    return "\n".join(m.get("text") or "" for m in dispatcher.messages), {e["name"]: e["value"] for e in events}


def entity(label, value):
    return {"entity": label, "value": value}


def test_question_with_a_category(action, sqlite_repository):
    text, slots = run(action, tracker("how many rs/c hours for IMHS", "ask_rsc", [entity("category", "IMHS")]))
    (rsc,) = sqlite_repository.requirements("IMHS", phase="initial", kind="rsc", in_force_only=True)
    assert rsc.text in text and "Source:" in text
    assert slots["category"] == "IMHS" and slots["topic"] == "rsc" and rsc.source_url in slots["last_sources"]


def test_follow_up_names_another_category_and_keeps_the_topic(action, sqlite_repository):
    text, slots = run(action, tracker("and for the mentor?", "inform_category", [entity("category", "mentor")],
                                      category="IMHS", topic="rsc"))
    (clinical,) = sqlite_repository.requirements("IMHM-C", phase="initial", kind="rsc", in_force_only=True)
    assert clinical.text in text
    assert slots["category"] == "IMHM"


def test_follow_up_on_a_new_topic_keeps_the_category(action, sqlite_repository):
    text, _ = run(action, tracker("what about renewal?", "ask_renewal", category="IFS", topic="rsc"))
    for row in sqlite_repository.requirements("IFS", phase="renewal", in_force_only=True):
        assert row.text in text


def test_early_childhood_version(action):
    text, slots = run(action, tracker("and the early childhood version?", "ask_other_age_band",
                                      [entity("age_band", "early childhood")], category="IFS", topic="work"))
    assert slots["category"] == "ECFS" and slots["age_band"] == "early_childhood"
    assert "Early Childhood Family Specialist" in text


def test_requirement_question_without_any_category_lists_them(action):
    text, _ = run(action, tracker("how many hours of reflective supervision do i need", "ask_rsc"))
    assert "IFS:" in text and "IMHS:" in text


def test_compare_uses_the_category_in_context(action):
    text, _ = run(action, tracker("how is it different from IMHS", "ask_compare", [entity("category", "IMHS")],
                                  category="IFS"))
    assert "vs" in text and "IFS" in text and "IMHS" in text


def test_fees_by_state(action):
    text, slots = run(action, tracker("how much does it cost in arizona", "ask_fees", [entity("region", "Arizona")]))
    assert "$" in text and slots["region"] == "Arizona"


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


def test_fallback_does_not_ask_to_rephrase_twice():
    first, second = CollectingDispatcher(), CollectingDispatcher()
    events = ActionFallbackHelp().run(first, tracker("blorp", "nlu_fallback"), {})
    ActionFallbackHelp().run(second, tracker("blorp again", "nlu_fallback", fallbacks=events[0]["value"]), {})
    assert "another way" in first.messages[0]["text"]
    assert "another way" not in second.messages[0]["text"]
    assert second.messages[1]["response"] == "utter_menu"


def test_a_topic_question_naming_a_state_also_says_who_covers_it(action):
    text, _ = run(action, tracker("i live in montana, can i even get endorsed here?", "ask_reciprocity",
                                  [entity("region", "montana")]))
    assert "I don't have an infant mental health association listed for Montana" in text
    text, _ = run(action, tracker("moving to michigan, does it transfer?", "ask_reciprocity",
                                  [entity("region", "michigan")]))
    assert "Michigan Association for Infant Mental Health" in text

"""serving/patches.py gives the answers Rasa's own code gives: on real action-server results and on bad ones, and
on the intents of real messages."""
import pytest
from jsonschema import ValidationError, validate
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import Event
from rasa.shared.utils.common import all_subclasses

from serving.patches import ORIGINAL_RESOLVE_BY_TYPE, resolve_by_type, validate_action_result
from tests.conftest import PROJECT_ROOT

VALID = [
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "timestamp": None, "name": "topic", "value": "fees"}],
     "responses": [{"text": "It costs $55.", "buttons": [], "elements": [], "custom": {}, "template": None,
                    "response": None, "image": None, "attachments": []}]},
    {"events": [{"event": "active_loop", "name": "qualification_form"},
                {"event": "slot", "name": "requested_slot", "value": "age_band"},
                {"event": "followup", "name": "action_listen"}, {"event": "reset_slots"}, {"event": "restart"}],
     "responses": [{"custom": {"qualification_check": {"best_fit": "IFS"}}}]},
]
INVALID = [
    [],
    "events",
    {"events": {"event": "slot"}},
    {"events": [{"event": "no_such_event"}]},
    {"events": ["slot"]},
    {"events": [], "responses": ["text"]},
    {"events": [], "responses": {"text": "hi"}},
]


@pytest.mark.parametrize("type_name", sorted({kind.type_name for kind in all_subclasses(Event)}))
def test_event_kinds_resolve_as_rasa_resolves_them(type_name):
    assert resolve_by_type(type_name) is ORIGINAL_RESOLVE_BY_TYPE(type_name)


def test_unknown_event_kinds_behave_as_in_rasa():
    assert resolve_by_type("topic") is None
    assert resolve_by_type("no_such_event", default=Event) is Event
    with pytest.raises(ValueError):
        resolve_by_type("no_such_event")


@pytest.mark.parametrize("result", VALID)
def test_results_rasa_accepts_are_accepted(result):
    validate(result, RemoteAction.action_response_format_spec())
    assert validate_action_result(None, result) is True


@pytest.mark.parametrize("result", INVALID, ids=[repr(result)[:40] for result in INVALID])
def test_results_rasa_rejects_are_rejected(result):
    with pytest.raises(ValidationError):
        validate(result, RemoteAction.action_response_format_spec())
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        validate_action_result(None, result)


def test_tickets_from_two_servers_at_once_are_all_different():
    """Two Redis lock stores (as in two Rasa servers) issuing tickets for one conversation concurrently."""
    import os
    import uuid
    from concurrent.futures import ThreadPoolExecutor

    import redis

    from conversation_store.stores import ConversationLockStore

    database = int(os.environ.get("TEST_REDIS_DB", "5"))
    try:
        redis.Redis(db=database).ping()
    except redis.ConnectionError:
        pytest.skip("Redis is not reachable on localhost:6379")
    stores = [ConversationLockStore(url=f"redis://localhost:6379/{database}") for _ in range(2)]
    conversation = f"tickets-{uuid.uuid4().hex}"
    with ThreadPoolExecutor(16) as pool:
        tickets = list(pool.map(lambda number: stores[number % 2].issue_ticket(conversation), range(64)))
    stores[0].delete_lock(conversation)
    assert sorted(tickets) == list(range(64))


def test_intents_are_ranked_exactly_as_by_rasa(trained_model, monkeypatch):
    """Every message of the question and background sets, parsed by the trained model with Rasa's own intent
    classifier and with the patched one: the same intents with the same confidences, in the same order."""
    import yaml
    from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier

    from serving.patches import ORIGINAL_CLASSIFY_INTENTS, classify_intents
    from tests.answering.evaluation import rasa_parser

    data = PROJECT_ROOT / "tests" / "data"
    texts = [item["text"] for name in ("questions_dev.yml", "questions_heldout.yml")
             for item in yaml.safe_load((data / name).read_text())]
    texts += [item["message"] for item in yaml.safe_load((data / "verdict_profiles.yml").read_text())]
    texts += ["???", "ok", "x" * 3000]
    parse = rasa_parser(trained_model)
    monkeypatch.setattr(LogisticRegressionClassifier, "process", ORIGINAL_CLASSIFY_INTENTS)
    by_rasa = [parse(text) for text in texts]
    monkeypatch.setattr(LogisticRegressionClassifier, "process", classify_intents)
    patched = [parse(text) for text in texts]
    assert len(texts) > 400
    for text, ours, theirs in zip(texts, patched, by_rasa):
        assert ours["intent"] == theirs["intent"], text
        assert ours["intent_ranking"] == theirs["intent_ranking"], text


def a_conversation():
    """Answered turns, two turns that got no reply (the action server was down), then the form at work."""
    from rasa.shared.core.events import ActionExecuted, ActiveLoop, BotUttered, SlotSet, UserUttered

    events = [ActionExecuted("action_listen")]
    for number in range(4):
        events += [UserUttered(f"question {number}", {"name": "ask_fees", "confidence": 0.9}),
                   ActionExecuted("action_answer_question"), BotUttered(f"answer {number}"),
                   SlotSet("topic", "fees"), ActionExecuted("action_listen")]
    for text in ("BA in psychology", "3 years with infants"):
        events += [UserUttered(text, {"name": "inform_background", "confidence": 0.8}),
                   ActionExecuted("action_listen")]
    events += [UserUttered("which category fits?", {"name": "ask_which_category", "confidence": 0.9}),
               ActionExecuted("qualification_form"), ActiveLoop("qualification_form"),
               ActionExecuted("validate_qualification_form")]
    return events


def test_action_calls_carry_the_turn_in_progress_and_everything_else_as_rasa_sends_it():
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import BotUttered
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa.utils.endpoints import EndpointConfig

    from serving.patches import ORIGINAL_ACTION_CALL, action_call

    domain = Domain.from_path(PROJECT_ROOT / "domain.yml")
    tracker = DialogueStateTracker.from_events("someone", a_conversation(), slots=domain.slots)
    action = RemoteAction("validate_qualification_form", EndpointConfig("http://localhost:5055/webhook"))
    by_rasa, sent = ORIGINAL_ACTION_CALL(action, tracker, domain), action_call(action, tracker, domain)
    events = by_rasa["tracker"].pop("events")
    assert sent["tracker"].pop("events") == events[-11:]
    assert sent == by_rasa
    assert events[-11]["event"] == BotUttered.type_name and events[-11]["text"] == "answer 3"
    assert len(tracker.events) == len(events)


def test_the_actions_read_the_same_from_the_events_sent():
    from rasa_sdk import Tracker

    from actions.check import fresh_user_turn, unanswered_messages
    from serving.patches import events_since_previous_reply

    events = a_conversation()
    for end in range(1, len(events) + 1):
        whole = [event.as_dict() for event in events[:end]]
        sent = [event.as_dict() for event in events_since_previous_reply(events[:end])]
        full, trimmed = (Tracker("someone", {}, {}, these, False, None, {}, "action_listen")
                         for these in (whole, sent))
        assert fresh_user_turn(trimmed) == fresh_user_turn(full)
        assert unanswered_messages(trimmed) == unanswered_messages(full)
    assert unanswered_messages(trimmed) == ["BA in psychology", "3 years with infants"]


def test_policy_debug_lines_are_made_only_when_debug_logging_is_on():
    import logging

    from serving.patches import CopiesForDebugLines, format_tracker_states, formatted_tracker_states

    states = [{"user": {"intent": "greet"}, "prev_action": {"action_name": "action_listen"}}]
    rasa_logger = logging.getLogger("rasa")
    level = rasa_logger.level
    try:
        rasa_logger.setLevel(logging.INFO)
        assert format_tracker_states(states) == [] and CopiesForDebugLines.deepcopy(states) is states
        rasa_logger.setLevel(logging.DEBUG)
        assert format_tracker_states(states) == formatted_tracker_states(states)
        copied = CopiesForDebugLines.deepcopy(states)
        assert copied == states and copied is not states and copied[0]["user"] is not states[0]["user"]
    finally:
        rasa_logger.setLevel(level)

"""serving/patches.py gives the answers Rasa's own code gives, on real action-server results and on bad ones."""
import pytest
from jsonschema import ValidationError, validate
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import Event
from rasa.shared.utils.common import all_subclasses

from serving.patches import ORIGINAL_RESOLVE_BY_TYPE, resolve_by_type, validate_action_result

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

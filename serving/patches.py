"""Speed-ups for Rasa 3.6.21, applied before the Rasa server starts (serving/server.py). Measured with `make bench
--profile` (py-spy on the Rasa server under load); each keeps Rasa's behaviour for the assistant's own traffic.

- Action-server results: Rasa validates every result with `jsonschema.validate` against a schema with a `oneOf`
  over all event kinds, re-checking the schema itself each time: about a third of the server's CPU, and still a
  tenth with a validator built once. The action server is the assistant's own, so the check kept is the one Rasa
  needs to use a result: a JSON object whose `events` is a list of objects naming a known event kind and whose
  `responses` is a list of objects. Anything else still raises jsonschema's ValidationError, as before.
- Event kinds: `Event.resolve_by_type` walks every subclass of Event for each stored event it reads back (every
  message reloads the whole conversation): about a tenth of the CPU. The kinds are looked up in a table built once
  (same first-match order; unknown names fall back to Rasa's own lookup).

(Servers that share Redis also need one writer at a time on a conversation's ticket queue: that correction is part
of the lock store, conversation_store/stores.py.)
"""
from typing import Any, Dict, Optional, Type

from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.events import Event
from rasa.shared.utils.common import all_subclasses

ORIGINAL_RESOLVE_BY_TYPE = Event.resolve_by_type
EVENT_KINDS: Dict[str, Type[Event]] = {}


def event_kinds() -> Dict[str, Type[Event]]:
    if not EVENT_KINDS:
        for kind in all_subclasses(Event):
            EVENT_KINDS.setdefault(kind.type_name, kind)
    return EVENT_KINDS


def resolve_by_type(type_name: str, default: Optional[Type[Event]] = None) -> Optional[Type[Event]]:
    kind = event_kinds().get(type_name)
    return kind if kind is not None else ORIGINAL_RESOLVE_BY_TYPE(type_name, default)


def known_event(type_name: Any) -> bool:
    try:
        return isinstance(type_name, str) and resolve_by_type(type_name) is not None
    except ValueError:
        return False


def action_result_error(result: Any) -> Optional[str]:
    if not isinstance(result, dict):
        return f"{result!r} is not of type 'object'"
    events, responses = result.get("events", []), result.get("responses", [])
    if not isinstance(events, list):
        return f"events {events!r} is not of type 'array'"
    if not isinstance(responses, list) or not all(isinstance(response, dict) for response in responses):
        return f"responses {responses!r} is not a list of objects"
    for event in events:
        if not isinstance(event, dict) or not known_event(event.get("event")):
            return f"{event!r} is not a known event"
    return None


def validate_action_result(self: RemoteAction, result: Dict[str, Any]) -> bool:
    error = action_result_error(result)
    if error is None:
        return True
    raise ValidationError(f"{error}. Failed to validate Action server response from API, make sure your response "
                          f"from the Action endpoint is valid. For more information about the format visit "
                          f"{DOCS_BASE_URL}/custom-actions")


def apply() -> None:
    RemoteAction._validate_action_result = validate_action_result
    Event.resolve_by_type = staticmethod(resolve_by_type)

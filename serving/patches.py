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

- Action calls: Rasa sends the action server every event of the conversation with every call, so the cost of a
  turn grew with the length of the conversation (about a sixth of the CPU at 30 turns, serialising alone). The
  action server is the assistant's own and reads only the turn in progress (the latest message, the slots, and the
  events back to the previous reply: actions/check.py): the events sent start at the last reply before the latest
  message. Everything else in the call is as Rasa builds it.
- Intent classification: for each message scikit-learn's `predict_proba` copies the whole weight matrix into the
  layout its sparse product needs, and Rasa stacks the message's features through scipy's generic block builder:
  together about a tenth of the CPU. The weights are laid out once per classifier and a message's sentence features
  are used as they are; the arithmetic is the same, so the probabilities are identical.

- Dialogue states: rebuilt by replaying the whole conversation at every prediction; serving/history.py replays
  only what each turn added.
- Tracker copies and applied events: Rasa replays or walks the whole conversation for each action it runs and
  several times per turn; serving/trackers.py takes the copy from the tracker's state and extends the applied events
  with what each turn added.
- Debug lines of the rule and memoization policies: the whole list of dialogue states, formatted and deep-copied
  at every prediction even when debug logging is off; they are made only when debug logging is on.

(Servers that share Redis also need one writer at a time on a conversation's ticket queue: that correction is part
of the lock store, conversation_store/stores.py.)
"""
import copy
import logging
import weakref
from collections import deque
from typing import Any, Dict, List, Optional, Sequence, Type

import numpy as np
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.core.policies import memoization
from rasa.core.policies.policy import Policy
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.domain import State
from rasa.shared.core.events import BotUttered, Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.utils.common import all_subclasses
from rasa.utils.tensorflow.constants import RANKING_LENGTH
from scipy.sparse import csr_matrix, vstack
from sklearn.linear_model import LogisticRegression
from sklearn.utils.extmath import softmax

from serving import history, trackers

ORIGINAL_RESOLVE_BY_TYPE = Event.resolve_by_type
formatted_tracker_states = Policy.format_tracker_states
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


ORIGINAL_ACTION_CALL = RemoteAction._action_call_format


def events_since_previous_reply(events: Sequence[Event]) -> List[Event]:
    """The events from the last bot reply before the latest user message on (all of them when there is none)."""
    events = list(events)
    latest_message = next((i for i in range(len(events) - 1, -1, -1) if isinstance(events[i], UserUttered)), None)
    if latest_message is None:
        return events
    previous_reply = next((i for i in range(latest_message - 1, -1, -1) if isinstance(events[i], BotUttered)), 0)
    return events[previous_reply:]


def action_call(self: RemoteAction, tracker: DialogueStateTracker, domain: Any) -> Dict[str, Any]:
    """RemoteAction._action_call_format with the events of the turn in progress."""
    events = tracker.events
    tracker.events = deque(events_since_previous_reply(events))
    try:
        return ORIGINAL_ACTION_CALL(self, tracker, domain)
    finally:
        tracker.events = events


ORIGINAL_CREATE_X = LogisticRegressionClassifier._create_X
ORIGINAL_CLASSIFY_INTENTS = LogisticRegressionClassifier.process
WEIGHTS_BY_FEATURE: "weakref.WeakKeyDictionary[LogisticRegression, np.ndarray]" = weakref.WeakKeyDictionary()


def intent_features(classifier: LogisticRegressionClassifier, messages: List[Message]) -> csr_matrix:
    """One row of sentence features per message, as Rasa's _create_X builds it."""
    rows = []
    for message in messages:
        sparse = message.get_sparse_features(attribute=TEXT)[1]
        if sparse is None or message.get_dense_features(attribute=TEXT)[1] is not None:
            return ORIGINAL_CREATE_X(classifier, messages)
        rows.append(csr_matrix(sparse.features))
    return rows[0] if len(rows) == 1 else vstack(rows, format="csr")


def multinomial(model: LogisticRegression) -> bool:
    """scikit-learn's own test in predict_proba."""
    return not (model.multi_class in ["ovr", "warn"] or (
        model.multi_class == "auto" and (model.classes_.size <= 2 or model.solver == "liblinear")))


def intent_probabilities(model: LogisticRegression, features: csr_matrix) -> np.ndarray:
    """model.predict_proba(features), with the weights laid out for the sparse product once."""
    if not multinomial(model) or features.shape[1] != model.coef_.shape[1]:
        return model.predict_proba(features)
    weights = WEIGHTS_BY_FEATURE.get(model)
    if weights is None:
        weights = WEIGHTS_BY_FEATURE[model] = np.ascontiguousarray(model.coef_.T)
    return softmax(np.asarray(features @ weights) + model.intercept_, copy=False)


def classify_intents(self: LogisticRegressionClassifier, messages: List[Message]) -> List[Message]:
    """LogisticRegressionClassifier.process: the most likely intent and the ranking of intents per message."""
    probabilities = intent_probabilities(self.clf, intent_features(self, messages))
    for message, row in zip(messages, probabilities):
        ranking = sorted(({"name": name, "confidence": confidence} for name, confidence in zip(self.clf.classes_, row)),
                         key=lambda intent: -intent["confidence"])
        message.set("intent", ranking[0], add_to_output=True)
        if self.config[RANKING_LENGTH] > 0:
            ranking = ranking[: self.config[RANKING_LENGTH]]
        message.set("intent_ranking", ranking, add_to_output=True)
    return messages


def debug_logging() -> bool:
    return logging.getLogger("rasa").isEnabledFor(logging.DEBUG)


def format_tracker_states(states: List[State]) -> List[str]:
    """Policy.format_tracker_states, for the rule policy's debug line only: nothing when debug logging is off."""
    return formatted_tracker_states(states) if debug_logging() else []


class CopiesForDebugLines:
    """The `copy` module as rasa.core.policies.memoization sees it: it only deep-copies states for debug lines, which
    are dropped when debug logging is off."""

    @staticmethod
    def deepcopy(value: Any) -> Any:
        return copy.deepcopy(value) if debug_logging() else value


def apply() -> None:
    DialogueStateTracker.past_states = history.past_states
    DialogueStateTracker.copy = trackers.tracker_copy
    DialogueStateTracker.applied_events = trackers.applied_events
    Policy.format_tracker_states = staticmethod(format_tracker_states)
    memoization.copy = CopiesForDebugLines
    RemoteAction._action_call_format = action_call
    LogisticRegressionClassifier.process = classify_intents
    RemoteAction._validate_action_result = validate_action_result
    Event.resolve_by_type = staticmethod(resolve_by_type)

"""A tracker's copy and its applied events, without going over the whole conversation each time.

Rasa 3.6 copies the conversation's tracker before running each action (MessageProcessor._run_action) by replaying
every event into a new tracker, and lists the applied events (those no restart, new session or revert undid) by
walking every event, several times per turn (session expiry, the last user message, ...). Both grew with the length
of the conversation: at 400 turns they took a quarter of the Rasa server's CPU.

- `tracker_copy` builds the copy from the tracker's own state, which its events made: the events, a copy of each
  slot, and the few other fields an event can set (`DialogueStateTracker._reset` lists them). Where that state may
  not be what a replay gives (a capped event history that dropped early events, slots created on the fly), it
  replays as Rasa does.
- `applied_events` keeps, per tracker, the list it gave last and extends it with the events added since, as Rasa's
  walk would; when a new event can change what came before (a restart, a new session, a revert, a loop starting or
  stopping, a loop's action) it walks every event as Rasa does. Callers get their own list.
"""
import copy
import itertools
from dataclasses import dataclass
from typing import List, Optional

from rasa.shared.core.events import ActiveLoop, Event
from rasa.shared.core.trackers import AnySlotDict, DialogueStateTracker

from .history import continues

replayed_copy = DialogueStateTracker.copy
walked_applied_events = DialogueStateTracker.applied_events
APPLIED_ATTRIBUTE = "_applied_progress"


def tracker_copy(self: DialogueStateTracker) -> DialogueStateTracker:
    """DialogueStateTracker.copy with the state its events gave this tracker, instead of replaying them."""
    if isinstance(self.slots, AnySlotDict) or self._max_event_history is not None:
        return replayed_copy(self)
    duplicate = self.init_copy()
    duplicate.events.extend(self.events)
    duplicate.slots = {name: copy.copy(slot) for name, slot in self.slots.items()}
    duplicate._paused = self._paused
    duplicate.followup_action = self.followup_action
    duplicate.latest_action = dict(self.latest_action) if self.latest_action is not None else None
    duplicate.latest_message = self.latest_message
    duplicate.latest_bot_utterance = self.latest_bot_utterance
    duplicate.active_loop = copy.copy(self.active_loop)
    return duplicate


@dataclass
class Applied:
    events_seen: int
    last_event: Optional[Event]
    loop_names: set
    events: List[Event]


def applied_events(self: DialogueStateTracker) -> List[Event]:
    """DialogueStateTracker.applied_events, walking only the events added since the last call."""
    applied: Optional[Applied] = self.__dict__.get(APPLIED_ATTRIBUTE)
    if applied is not None and continues(applied.events_seen, applied.last_event, applied.loop_names, self):
        applied.events.extend(itertools.islice(self.events, applied.events_seen, None))
    else:
        applied = Applied(0, None, {event.name for event in self.events if isinstance(event, ActiveLoop)
                                    and event.name}, walked_applied_events(self))
    applied.events_seen = len(self.events)
    applied.last_event = self.events[-1] if self.events else None
    self.__dict__[APPLIED_ATTRIBUTE] = applied
    return list(applied.events)

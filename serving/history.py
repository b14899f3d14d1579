"""Dialogue states computed turn by turn instead of from the start of the conversation at every prediction.

Rasa's policies see a conversation as its list of dialogue states, one per action. Rasa 3.6 rebuilds that list for
every prediction by replaying every event of the conversation (Domain.states_for_tracker_history): a few times per
turn, so the cost of a turn grew with the length of the conversation (a quarter to a half of the Rasa server's CPU
at 30 turns). Here each conversation keeps, per kind of list asked for, how far the replay got (the replayed
tracker, the states so far and the two flags Rasa's loop carries); the next prediction replays only the events
added since, with the same steps as Rasa's loop.

The shortcut is taken only where replaying the new events alone gives Rasa's result: the events seen are still
there, unchanged, and none of the new ones rewrites the past (a restart, a new session, a reverted action or
message, a loop starting or stopping, or a loop's action, which can fold earlier events away). Otherwise the list
is rebuilt from the start, as Rasa does. Callers get their own copy of every state.
"""
import itertools
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Set, Tuple

from rasa.shared.core.constants import PREVIOUS_ACTION
from rasa.shared.core.domain import Domain, State, SubState
from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    Event,
    Restarted,
    SessionStarted,
    UserUtteranceReverted,
)
from rasa.shared.core.trackers import DialogueStateTracker

REWRITES_THE_PAST = (Restarted, SessionStarted, ActionReverted, UserUtteranceReverted, ActiveLoop)
PROGRESS_ATTRIBUTE = "_states_progress"


@dataclass
class Options:
    domain: Domain
    omit_unset_slots: bool
    ignore_rule_only_turns: bool
    rule_only_data: Optional[Dict[str, Any]]


@dataclass
class Progress:
    """How far the replay of one conversation got."""
    events_seen: int
    last_event: Optional[Event]
    loop_names: Set[str]
    replay: DialogueStateTracker
    states: List[State]
    last_ml_action: Optional[SubState] = None
    turn_was_hidden: bool = False


def state_before_action(options: Options, progress: Progress, hide_rule_turn: bool,
                        states: List[State]) -> Tuple[Optional[State], Optional[SubState], bool]:
    """One step of Rasa's Domain.states_for_tracker_history: the state before an action (None when the turn is
    hidden), with the loop's two flags after it."""
    replay, last_ml_action, turn_was_hidden = progress.replay, progress.last_ml_action, progress.turn_was_hidden
    if options.ignore_rule_only_turns:
        if not turn_was_hidden:
            last_ml_action = options.domain._get_prev_action_sub_state(replay)
        if not replay.followup_action and replay.latest_action_name != replay.active_loop_name:
            turn_was_hidden = hide_rule_turn
        if turn_was_hidden:
            return None, last_ml_action, turn_was_hidden
    state = options.domain.get_active_state(replay, omit_unset_slots=options.omit_unset_slots)
    if options.ignore_rule_only_turns:
        options.domain._remove_rule_only_features(state, options.rule_only_data)
        if states:
            options.domain._substitute_rule_only_user_input(state, states[-1])
        if last_ml_action:
            state[PREVIOUS_ACTION] = last_ml_action
    return options.domain._clean_state(state), last_ml_action, turn_was_hidden


def replay_events(options: Options, progress: Progress, events: List[Event]) -> None:
    for event in events:
        if isinstance(event, ActionExecuted):
            state, progress.last_ml_action, progress.turn_was_hidden = state_before_action(
                options, progress, event.hide_rule_turn, progress.states)
            if state is not None:
                progress.states.append(state)
        progress.replay.update(event)


def from_the_start(tracker: DialogueStateTracker, options: Options) -> Progress:
    progress = Progress(0, None, {event.name for event in tracker.events if isinstance(event, ActiveLoop)
                                  and event.name}, tracker.init_copy(), [])
    replay_events(options, progress, tracker.applied_events())
    return progress


def continues(events_seen: int, last_event: Optional[Event], loop_names: Set[str],
              tracker: DialogueStateTracker) -> bool:
    """True when going over only the events added since `events_seen` (the last of them `last_event`) gives what
    Rasa's walk over every event gives: they are still there, unchanged, and none of the new ones rewrites the past."""
    events = tracker.events
    if len(events) < events_seen or (events_seen and events[events_seen - 1] is not last_event):
        return False
    return not any(isinstance(event, REWRITES_THE_PAST) or (
        isinstance(event, ActionExecuted) and event.action_name in loop_names)
        for event in itertools.islice(events, events_seen, None))


def own_copy(state: State) -> State:
    return {kind: dict(sub_state) if isinstance(sub_state, dict) else sub_state
            for kind, sub_state in state.items()}


def past_states(tracker: DialogueStateTracker, domain: Domain, omit_unset_slots: bool = False,
                ignore_rule_only_turns: bool = False,
                rule_only_data: Optional[Dict[str, Any]] = None) -> List[State]:
    """DialogueStateTracker.past_states, replaying only what was added since the last call."""
    options = Options(domain, omit_unset_slots, ignore_rule_only_turns, rule_only_data)
    key = (id(domain), omit_unset_slots, ignore_rule_only_turns, repr(rule_only_data))
    progress_by_options: Dict[Any, Progress] = tracker.__dict__.setdefault(PROGRESS_ATTRIBUTE, {})
    progress = progress_by_options.get(key)
    if progress is not None and continues(progress.events_seen, progress.last_event, progress.loop_names, tracker):
        replay_events(options, progress, list(itertools.islice(tracker.events, progress.events_seen, None)))
    else:
        progress = from_the_start(tracker, options)
    progress.events_seen = len(tracker.events)
    progress.last_event = tracker.events[-1] if tracker.events else None
    progress_by_options[key] = progress
    final, _, _ = state_before_action(options, progress, False, progress.states)
    return [own_copy(state) for state in progress.states + ([final] if final is not None else [])]

"""serving/trackers.py: a tracker's copy and its applied events are Rasa's, after every event of every conversation."""
from rasa.shared.core.events import (
    ActionExecuted,
    ActionExecutionRejected,
    ActiveLoop,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

from serving.trackers import applied_events, replayed_copy, tracker_copy, walked_applied_events


def state_of(tracker: DialogueStateTracker):
    """Everything an event can set on a tracker, and its events."""
    return (tracker.current_state(EventVerbosity.ALL), list(tracker.events), tracker.sender_id, tracker.is_rule_tracker,
            {name: (slot.value, slot.has_been_set) for name, slot in tracker.slots.items()}, tracker._paused,
            tracker.followup_action, tracker.latest_action, tracker.latest_message, tracker.latest_bot_utterance,
            tracker.active_loop, tracker.model_id, tracker.assistant_id)


def trackers_after_every_event(domain, conversations):
    for events in conversations:
        rule = any(event.hide_rule_turn for event in events if isinstance(event, ActionExecuted))
        tracker = DialogueStateTracker("someone", domain.slots, is_rule_tracker=rule)
        for event in events:
            tracker.update(event)
            yield tracker


def test_a_copy_is_the_tracker_rasas_replay_makes(domain, conversations):
    checked = 0
    for tracker in trackers_after_every_event(domain, conversations):
        assert state_of(tracker_copy(tracker)) == state_of(replayed_copy(tracker)), list(tracker.events)
        checked += 1
    assert checked > 500


def test_a_copy_changes_apart_from_its_original(domain, conversations):
    tracker = DialogueStateTracker.from_events("someone", conversations[-1][:40], slots=domain.slots)
    tracker.update(ActiveLoop("qualification_form"))
    before = state_of(replayed_copy(tracker))
    duplicate = tracker_copy(tracker)
    duplicate.update_with_events([SlotSet("topic", "changed"), ActionExecutionRejected("qualification_form"),
                                  ActiveLoop(None), UserUttered("another", {"name": "affirm"})], domain)
    assert state_of(tracker) == before
    assert duplicate.get_slot("topic") == "changed" and tracker.get_slot("topic") != "changed"


def test_applied_events_are_rasas_after_every_event(domain, conversations):
    checked = 0
    for tracker in trackers_after_every_event(domain, conversations):
        assert applied_events(tracker) == walked_applied_events(tracker), list(tracker.events)
        checked += 1
    assert checked > 500


def test_callers_may_change_the_applied_events_they_get(domain, conversations):
    tracker = DialogueStateTracker.from_events("someone", conversations[-1][:30], slots=domain.slots)
    applied_events(tracker).clear()
    assert applied_events(tracker) == walked_applied_events(tracker)


def test_a_capped_history_is_copied_by_replaying_it(domain, conversations):
    tracker = DialogueStateTracker.from_events("someone", conversations[-1], slots=domain.slots, max_event_history=5)
    assert state_of(tracker_copy(tracker)) == state_of(replayed_copy(tracker))

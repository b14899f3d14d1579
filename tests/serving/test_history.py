"""serving/history.py gives every policy the dialogue states Rasa's own replay gives, turn after turn."""
from rasa.shared.core.events import ActionExecuted
from rasa.shared.core.trackers import DialogueStateTracker

from serving.history import past_states

OPTIONS = [dict(omit_unset_slots=omit, ignore_rule_only_turns=ignore, rule_only_data=data)
           for omit in (False, True) for ignore in (False, True)
           for data in (None, {"slots": ["check", "requested_slot"], "active_loops": ["qualification_form"]})]


def test_states_are_rasas_after_every_event(domain, conversations):
    checked = 0
    for events in conversations:
        rule = any(event.hide_rule_turn for event in events if isinstance(event, ActionExecuted))
        tracker = DialogueStateTracker("someone", domain.slots, is_rule_tracker=rule)
        for event in events:
            tracker.update(event)
            for options in OPTIONS:
                assert past_states(tracker, domain, **options) == domain.states_for_tracker_history(
                    tracker, **options), (events, options)
                checked += 1
    assert len(conversations) > 50 and checked > 5000
    print(f"\n{checked} state lists compared over {len(conversations)} conversations")


def test_callers_may_change_the_states_they_get(domain, conversations):
    tracker = DialogueStateTracker.from_events("someone", conversations[-1][:20], slots=domain.slots)
    for state in past_states(tracker, domain):
        for sub_state in state.values():
            sub_state.clear()
    assert past_states(tracker, domain) == domain.states_for_tracker_history(tracker)

"""serving/history.py gives every policy the dialogue states Rasa's own replay gives, turn after turn."""
import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    BotUttered,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.generator import TrainingDataGenerator
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.importers.rasa import RasaFileImporter

from serving.history import past_states
from tests.conftest import PROJECT_ROOT

OPTIONS = [dict(omit_unset_slots=omit, ignore_rule_only_turns=ignore, rule_only_data=data)
           for omit in (False, True) for ignore in (False, True)
           for data in (None, {"slots": ["check", "requested_slot"], "active_loops": ["qualification_form"]})]


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.from_path(PROJECT_ROOT / "domain.yml")


@pytest.fixture(scope="module")
def conversations(domain):
    """The events of every story and rule of the training data, and a long conversation that restarts, reverts,
    starts a new session and runs the form twice."""
    importer = RasaFileImporter(config_file=str(PROJECT_ROOT / "config.yml"),
                                domain_path=str(PROJECT_ROOT / "domain.yml"),
                                training_data_paths=[str(PROJECT_ROOT / "data")])
    trackers = TrainingDataGenerator(importer.get_stories(), domain, augmentation_factor=0).generate()
    found = [list(tracker.events) for tracker in trackers]
    question = [UserUttered("what does IFS cost?", {"name": "ask_fees", "confidence": 0.9}),
                ActionExecuted("action_answer_question"), BotUttered("It costs ..."), SlotSet("topic", "fees"),
                ActionExecuted("action_listen")]
    form = [UserUttered("check my qualifications", {"name": "check_qualifications", "confidence": 0.9}),
            ActionExecuted("qualification_form"), ActiveLoop("qualification_form"),
            SlotSet("requested_slot", "check_answer"), BotUttered("Which ages?"), ActionExecuted("action_listen"),
            UserUttered("babies", {"name": "inform_background", "confidence": 0.8}),
            ActionExecuted("qualification_form"), SlotSet("check_answer", "babies"), BotUttered("Degree?"),
            ActionExecuted("action_listen"),
            UserUttered("BA", {"name": "inform_background", "confidence": 0.8}),
            ActionExecuted("qualification_form"), ActiveLoop(None), SlotSet("requested_slot", None),
            ActionExecuted("action_listen")]
    long = ([ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")]
            + question * 3 + form + question + [UserUtteranceReverted()] + question + [ActionReverted()]
            + [ActionExecuted("action_listen")] + form + question * 2 + [Restarted(), ActionExecuted("action_listen")]
            + question + [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")]
            + question * 2)
    return found + [long]


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

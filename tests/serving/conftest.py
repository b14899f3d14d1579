"""The conversations the replay shortcuts are checked on: every story and rule of the training data, and a long
conversation with the events that rewrite the past."""
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
from rasa.shared.importers.rasa import RasaFileImporter

from tests.conftest import PROJECT_ROOT


@pytest.fixture(scope="session")
def domain() -> Domain:
    return Domain.from_path(PROJECT_ROOT / "domain.yml")


@pytest.fixture(scope="session")
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

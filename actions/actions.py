"""Rasa custom actions, registered from here (`rasa run actions --actions actions.actions`): thin adapters between
the conversation and the plain-Python packages. Answering lives in actions/answer.py over actions/answering/, the
qualification check in actions/check.py over actions/qualification/."""
from .answer import ActionAnswerQuestion, ActionFallbackHelp, ActionSources  # noqa: F401 (registered)
from .check import ActionResetProfile, ActionWhatIf, ValidateQualificationForm  # noqa: F401 (registered)
from .tools import UNAVAILABLE  # noqa: F401 (re-exported for the tests)

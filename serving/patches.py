"""Speed-ups for Rasa 3.6.21 that keep its behaviour, applied before the Rasa server starts (see serving/server.py).

- Action-server results are still validated against Rasa's schema, but with one validator built once:
  `jsonschema.validate` re-checks the fixed schema itself on every call, which took about a third of the
  server's CPU per message.
"""
from functools import lru_cache
from typing import Any, Dict

from jsonschema.exceptions import best_match
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


@lru_cache(maxsize=1)
def action_result_validator():
    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def validate_action_result(self: RemoteAction, result: Dict[str, Any]) -> bool:
    error = best_match(action_result_validator().iter_errors(result))
    if error is None:
        return True
    error.message += (". Failed to validate Action server response from API, make sure your response from the "
                      f"Action endpoint is valid. For more information about the format visit {DOCS_BASE_URL}"
                      "/custom-actions")
    raise error


def apply() -> None:
    RemoteAction._validate_action_result = validate_action_result


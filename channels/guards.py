"""Checks on what reaches the REST channel, before any language processing: who is writing, what they wrote, and
how it is logged."""
import hmac
import json
import logging
import math
import os
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Collection, Dict, List, Optional

from rasa.shared.core.constants import DEFAULT_INTENTS
from rasa.shared.exceptions import RasaException

MAX_MESSAGE_CHARS = 2000
MAX_BODY_BYTES = 64 * 1024  # a message at its longest, every character escaped, fits with room to spare
MAX_SENDER_CHARS = 128
LONE_SURROGATE = re.compile("[\ud800-\udfff]")
SLASH_INTENT = re.compile(r"\s*/(\w+)")
INTERNAL_INTENTS = frozenset(DEFAULT_INTENTS)

EMPTY_MESSAGE = ("I didn't get any text there. Type your question, for example \"What do I need for the Infant Family "
                 "Specialist?\", or say \"check my qualifications\".")
TOO_LONG = ("That message is too long for me ({length:,} characters). Please send it in parts of up to "
            f"{MAX_MESSAGE_CHARS:,} characters.")


class Rejected(Exception):
    """A request the channel does not process: answered with this HTTP status and a JSON error."""

    def __init__(self, status: int, error: str) -> None:
        super().__init__(error)
        self.status = status
        self.error = error


@dataclass(frozen=True)
class Incoming:
    sender: str
    text: str
    metadata: Optional[Dict[str, Any]]
    notice: Optional[str] = None  # a reply given instead of processing the message


def required_token() -> Optional[str]:
    return os.environ.get("REST_TOKEN") or None


def check_token(authorization: Optional[str], token: Optional[str]) -> None:
    if token is None:
        return
    offered = (authorization or "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(offered.encode(), token.encode()):
        raise Rejected(401, "This channel needs a token: send the header 'Authorization: Bearer <token>'.")


def without_control_characters(text: str) -> str:
    """Lone surrogates dropped, control characters (newlines included) turned into spaces."""
    text = LONE_SURROGATE.sub("", text)
    return "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in text)


def as_typed(text: str, intents: Collection[str], entities: Collection[str]) -> str:
    """A message in the '/intent{...}' form of the assistant's buttons passes when its intent is one of the
    assistant's own (not Rasa's internal '/restart', '/session_start'...) and its JSON part, if any, is an object of
    known entities; anything else is read as words, without the slash."""
    match = SLASH_INTENT.match(text)
    if not match:
        return text
    rest = text[match.end():].strip()
    intent = match.group(1)
    if intent in intents and intent not in INTERNAL_INTENTS and (not rest or entity_object(rest, entities)):
        return text
    return text[match.start(1):].replace("_", " ")


def entity_object(text: str, entities: Collection[str]) -> bool:
    def refuse(constant: str) -> None:
        raise ValueError(constant)

    try:
        value = json.loads(text, parse_constant=refuse)
    except ValueError:
        return False
    return isinstance(value, dict) and set(value) <= set(entities)


def read_request(body: Any, intents: Collection[str], entities: Collection[str]) -> Incoming:
    if not isinstance(body, dict):
        raise Rejected(400, 'The request body must be a JSON object: {"sender": "<conversation id>", '
                            '"message": "<text>"}.')
    sender = body.get("sender")
    if not isinstance(sender, str) or not without_control_characters(sender).strip():
        raise Rejected(400, "'sender' is required: a text that identifies the conversation.")
    if len(sender) > MAX_SENDER_CHARS or without_control_characters(sender) != sender:
        raise Rejected(400, f"'sender' must be at most {MAX_SENDER_CHARS} characters, without control characters.")
    message = body.get("message")
    if not isinstance(message, str):
        raise Rejected(400, "'message' is required and must be text.")
    metadata = body.get("metadata")
    if metadata is not None and not isinstance(metadata, dict):
        raise Rejected(400, "'metadata' must be a JSON object when given.")
    if len(message) > MAX_MESSAGE_CHARS:
        return Incoming(sender, "", metadata, TOO_LONG.format(length=len(message)))
    text = as_typed(without_control_characters(message), intents, entities).strip()
    return Incoming(sender, text, metadata, None if text else EMPTY_MESSAGE)


def finite(value: Any) -> Any:
    """The value with NaN and infinite numbers replaced by None, so the reply is valid JSON."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: finite(item) for key, item in value.items()}
    if isinstance(value, list):
        return [finite(item) for item in value]
    return value


def reply_json(messages: List[Dict[str, Any]]) -> str:
    try:
        return json.dumps(messages, allow_nan=False)
    except ValueError:
        logging.getLogger(__name__).error("a reply held a number that is not finite; sent as null")
        return json.dumps(finite(messages), allow_nan=False)


def log_text(text: str) -> str:
    """What the log says about a message: its length, and the text itself only when LOG_MESSAGE_TEXT=1."""
    if os.environ.get("LOG_MESSAGE_TEXT") == "1":
        return f"{len(text)} characters: {escape_controls(text)!s}"
    return f"{len(text)} characters"


def escape_controls(text: str) -> str:
    return "".join(ch.encode("unicode_escape").decode() if unicodedata.category(ch) in ("Cc", "Cs") else ch
                   for ch in text)


class OneLineRecords(logging.Filter):
    """Keeps every log record on one line: control characters in the message are escaped, and failures Rasa
    already explains in words (an unreachable action server) are not followed by a traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], RasaException):
            record.msg = f"{record.getMessage()} ({record.exc_info[1]})"
            record.args, record.exc_info, record.exc_text = None, None, None
        message = record.getMessage()
        escaped = escape_controls(message)
        if escaped != message:
            record.msg, record.args = escaped, None
        return True


PROJECT_LOGGERS = ("channels", "conversation_store")


def install_log_filter() -> None:
    """Every handler of the root logger keeps records on one line; the project's own loggers log at Rasa's level
    (LOG_LEVEL, INFO by default)."""
    for name in PROJECT_LOGGERS:
        logging.getLogger(name).setLevel(logging.getLogger("rasa").getEffectiveLevel())
    for handler in logging.getLogger().handlers:
        if not any(isinstance(existing, OneLineRecords) for existing in handler.filters):
            handler.addFilter(OneLineRecords())

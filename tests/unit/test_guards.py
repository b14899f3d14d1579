"""The REST channel's checks, on their own."""
import json

import pytest

from actions.qualification.engine import Profile
from channels.guards import (
    EMPTY_MESSAGE,
    MAX_MESSAGE_CHARS,
    OneLineRecords,
    Rejected,
    as_typed,
    read_request,
    reply_json,
)

INTENTS = ["ask_exam", "check_qualifications", "restart", "session_start"]
ENTITIES = ["fact", "category"]


@pytest.mark.parametrize("typed, read", [
    ("/ask_exam", "/ask_exam"),
    ('/ask_exam{"fact": "exam.online"}', '/ask_exam{"fact": "exam.online"}'),
    ("/restart", "restart"),
    ("/session_start", "session start"),
    ("/unknown_intent", "unknown intent"),
    ('/ask_exam{"profile": {"degree_level": "doctorate"}}', 'ask exam{"profile": {"degree level": "doctorate"}}'),
    ('/ask_exam{"fact": NaN}', 'ask exam{"fact": NaN}'),
    ('/ask_exam{"fact": 1} and more', 'ask exam{"fact": 1} and more'),
    ("what is /restart?", "what is /restart?"),
])
def test_only_the_assistants_own_buttons_pass_as_intents(typed, read):
    assert as_typed(typed, INTENTS, ENTITIES) == read


def test_control_characters_and_lone_surrogates_are_removed_before_reading():
    incoming = read_request({"sender": "a", "message": "hi\nthere\u0000 \ud800!"}, INTENTS, ENTITIES)
    assert incoming.text == "hi there  !" and incoming.notice is None
    assert read_request({"sender": "a", "message": " \t\ud800 "}, INTENTS, ENTITIES).notice == EMPTY_MESSAGE


def test_a_message_over_the_limit_is_answered_without_being_read():
    incoming = read_request({"sender": "a", "message": "x" * (MAX_MESSAGE_CHARS + 1)}, INTENTS, ENTITIES)
    assert incoming.text == "" and "too long" in incoming.notice


@pytest.mark.parametrize("body", [None, [], "hi", {"message": "hi"}, {"sender": "", "message": "hi"},
                                  {"sender": "a", "message": 3}, {"sender": "a", "message": "hi", "metadata": 1}])
def test_malformed_requests_are_rejected_with_a_reason(body):
    with pytest.raises(Rejected) as rejected:
        read_request(body, INTENTS, ENTITIES)
    assert rejected.value.status == 400 and rejected.value.error


def test_a_reply_is_valid_json_even_with_a_number_that_is_not_finite():
    text = reply_json([{"custom": {"have": float("nan"), "need": float("inf"), "ok": 2.5}}])
    assert json.loads(text, parse_constant=lambda constant: pytest.fail(constant)) == \
        [{"custom": {"have": None, "need": None, "ok": 2.5}}]


def test_the_engine_ignores_numbers_that_are_not_finite():
    profile = Profile({"families_served": float("nan"), "work_years": float("inf"), "training_hours": 30})
    assert profile.number("families_served") is None and profile.number("work_years") is None
    assert profile.number("training_hours") == 30.0


def test_log_records_stay_on_one_line():
    import logging

    record = logging.LogRecord("x", logging.INFO, __file__, 1, "got %s", ("a\nFORGED\r\x1b[31m",), None)
    OneLineRecords().filter(record)
    assert "\n" not in record.getMessage() and "\r" not in record.getMessage() and "FORGED" in record.getMessage()

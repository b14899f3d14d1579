"""Random requests to the REST channel of the running servers: whatever arrives, the answer is never a 5xx, always
valid JSON, a non-empty reply or a JSON error, and the assistant still answers "hi" afterwards."""
import json
import time

import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.e2e.conftest import WEBHOOK, ask
from tests.e2e.test_rest_guards import strict_json

ANY_TEXT = st.text(st.characters(blacklist_categories=()), max_size=300)
LONG_TEXT = st.integers(min_value=1500, max_value=30000).map(lambda size: "é" * size)
JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | ANY_TEXT,
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(ANY_TEXT, inner, max_size=3),
                           max_leaves=8)
SENDERS = st.one_of(st.text(min_size=1, max_size=40), st.uuids().map(str), JSON_VALUES)
MESSAGES = st.one_of(ANY_TEXT, LONG_TEXT, JSON_VALUES,
                     st.sampled_from(["/restart", "/session_start", "/check_qualifications", "/ask_exam{\"fact\": 1}",
                                      "NaN families", "\ud800", "hi\r\nthere", "delete my data"]))
BODIES = st.one_of(st.fixed_dictionaries({"sender": SENDERS, "message": MESSAGES}),
                   st.fixed_dictionaries({"message": MESSAGES}), JSON_VALUES)


def surrogate_safe_json(body) -> bytes:
    return json.dumps(body).encode()  # ensure_ascii: lone surrogates travel as \\ud800 escapes


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(body=BODIES)
def check_one_request(body):
    response = requests.post(WEBHOOK, data=surrogate_safe_json(body), headers={"Content-Type": "application/json"},
                             timeout=60)
    assert response.status_code < 500, response.text[:300]
    reply = strict_json(response.text)
    if response.status_code == 200:
        assert isinstance(reply, list) and reply and all((part.get("text") or part.get("custom")) for part in reply)
    else:
        assert response.status_code in (400, 413) and reply["error" if response.status_code == 400 else "message"]


def test_random_requests_never_break_the_channel(servers):
    started = time.monotonic()
    check_one_request()
    print(f"\n60 random requests in {time.monotonic() - started:.1f} s")
    started = time.monotonic()
    assert ask("fuzz-after", "hi").strip()
    print(f"'hi' answered {time.monotonic() - started:.2f} s after the random requests")

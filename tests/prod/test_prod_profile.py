"""Two Rasa replicas behind nginx share the conversation (PostgreSQL) and its lock (Redis)."""
import os
import signal
import uuid
from concurrent.futures import ThreadPoolExecutor
from itertools import cycle
from pathlib import Path

import yaml

from actions.knowledge.snapshot import read_knowledge
from tests.conftest import POSTGRES_URL
from tests.prod.conftest import send, stored_events, text_of

CONVERSATIONS = yaml.safe_load((Path(__file__).parents[1] / "e2e" / "conversations.yml").read_text(encoding="utf-8"))
CHECK = next(case for case in CONVERSATIONS if case["id"] == "full-check-home-visitor")
CONCURRENT_QUESTIONS = ["what do I need for IFS?", "is there an exam for IMHS?", "how much does it cost?",
                        "what is reflective supervision?", "how do I apply?", "what is the IFA category?",
                        "how many training hours for IFRS?", "who can give me RS/C?"]


def play_check(urls, sender, reply=None):
    """The multi-turn check of conversations.yml, each message to the next address in `urls` (from `reply` on)."""
    questions = {m.question: m.measure for m in read_knowledge(POSTGRES_URL).measure_rows if m.question}
    pending, used = ([] if reply else list(CHECK["say"])), []
    for url in cycle(urls):
        if pending:
            message = pending.pop(0)
        else:
            asked = [measure for question, measure in questions.items() if question in text_of(reply)]
            if not asked:
                return reply, used
            message = CHECK["answers"][asked[-1]]
        reply = send(url, sender, message)
        used.append(url)
        assert len(used) < 20, "the check did not end"


def verdict(reply):
    return next((part["custom"]["qualification_check"] for part in reversed(reply)
                 if "qualification_check" in (part.get("custom") or {})), None)


def user_texts(sender):
    return [event["text"] for event in stored_events(sender) if event["event"] == "user"]


def test_a_conversation_alternating_between_replicas_and_nginx_keeps_its_state(profile):
    sender = f"prod-alternate-{uuid.uuid4().hex[:8]}"
    reply, used = play_check([profile.replicas[0], profile.replicas[1], profile.front], sender)
    assert {profile.replicas[0], profile.replicas[1], profile.front} <= set(used)
    result = verdict(reply)
    assert result is not None, text_of(reply)
    assert result["best_fit"] == CHECK["best_fit"]
    assert len(user_texts(sender)) == len(used)


def test_concurrent_messages_to_one_conversation_are_serialised(profile):
    sender = f"prod-concurrent-{uuid.uuid4().hex[:8]}"
    urls = [profile.replicas[number % 2] for number in range(len(CONCURRENT_QUESTIONS))]
    with ThreadPoolExecutor(len(CONCURRENT_QUESTIONS)) as pool:
        replies = list(pool.map(lambda pair: send(pair[0], sender, pair[1]), zip(urls, CONCURRENT_QUESTIONS)))
    assert all(text_of(reply) for reply in replies)
    events = stored_events(sender)
    assert sorted(user_texts(sender)) == sorted(CONCURRENT_QUESTIONS)
    # Serialised: every user message is followed by the assistant's answer and action_listen before the next one.
    turns, current = [], None
    for event in events:
        if event["event"] == "user":
            assert current is None or current["listened"], "a message started before the previous turn ended"
            current = {"bot": 0, "listened": False}
            turns.append(current)
        elif current and event["event"] == "bot":
            current["bot"] += 1
        elif current and event["event"] == "action" and event.get("name") == "action_listen":
            current["listened"] = True
    assert len(turns) == len(CONCURRENT_QUESTIONS)
    assert all(turn["bot"] >= 1 and turn["listened"] for turn in turns)
    stamps = [(event["event"], event.get("timestamp")) for event in events]
    assert len(stamps) == len(set(stamps)), "an event was stored twice"


def test_a_killed_replica_leaves_the_other_to_continue(profile):
    sender = f"prod-failover-{uuid.uuid4().hex[:8]}"
    first = send(profile.replicas[0], sender, CHECK["say"][0])
    assert text_of(first)
    os.kill(profile.replica_pid(0), signal.SIGKILL)
    reply, used = play_check([profile.front, profile.replicas[1]], sender, reply=first)
    result = verdict(reply)
    assert result is not None, text_of(reply)
    assert result["best_fit"] == CHECK["best_fit"]
    assert user_texts(sender)[0] == CHECK["say"][0]
    assert len(user_texts(sender)) == 1 + len(used)

"""The conversation store (SQLite and PostgreSQL), forgetting, retention, and the lock store (in process and Redis)."""
import asyncio
import os
import subprocess
import sys
import time

import pytest
import sqlalchemy as sa
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from conversation_store.stores import FORGET_ACTION, LAST_EVENT_INDEX, ConversationLockStore, ConversationStore
from tests.conftest import POSTGRES_URL, PROJECT_ROOT, postgres_reachable

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/2")
CLOSED_PORT_REDIS_URL = "redis://127.0.0.1:1/0"
DOMAIN = Domain.from_path(PROJECT_ROOT / "domain.yml")
DAY = 86400


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def store_url(request, tmp_path_factory) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('conversations') / 'conversations.db'}"
    if not postgres_reachable():
        pytest.skip("PostgreSQL is not reachable")
    return POSTGRES_URL


def conversation(sender: str, at: float, *events) -> DialogueStateTracker:
    tracker = DialogueStateTracker.from_events(sender, [UserUttered("hi", timestamp=at),
                                                        ActionExecuted("utter_greet", timestamp=at), *events],
                                               slots=DOMAIN.slots)
    return tracker


def count_events(url: str, sender: str) -> int:
    with sa.create_engine(url).connect() as connection:
        return connection.execute(sa.text("SELECT COUNT(*) FROM events WHERE sender_id = :s"), {"s": sender}).scalar()


def test_a_conversation_is_kept_and_read_back(store_url):
    store = ConversationStore(domain=DOMAIN, url=store_url)
    sender = f"kept-{time.time_ns()}"
    asyncio.run(store.save(conversation(sender, time.time(), SlotSet("profile", {"degree_level": "masters"}))))
    again = asyncio.run(ConversationStore(domain=DOMAIN, url=store_url).retrieve(sender))
    assert again.get_slot("profile") == {"degree_level": "masters"}


def test_forget_me_deletes_every_event_of_the_conversation(store_url):
    store = ConversationStore(domain=DOMAIN, url=store_url)
    sender, other = f"forget-{time.time_ns()}", f"stays-{time.time_ns()}"
    tracker = conversation(sender, time.time(), SlotSet("profile", {"degree_level": "masters"}))
    asyncio.run(store.save(tracker))
    asyncio.run(store.save(conversation(other, time.time())))
    assert count_events(store_url, sender) > 0
    tracker.update(UserUttered("delete my data"))
    tracker.update(ActionExecuted(FORGET_ACTION))
    asyncio.run(store.save(tracker))
    assert count_events(store_url, sender) == 0
    assert asyncio.run(store.retrieve(sender)) is None
    assert count_events(store_url, other) > 0


def test_retention_command_deletes_only_old_conversations(store_url):
    store = ConversationStore(domain=DOMAIN, url=store_url)
    old, recent = f"old-{time.time_ns()}", f"recent-{time.time_ns()}"
    asyncio.run(store.save(conversation(old, time.time() - 40 * DAY)))
    asyncio.run(store.save(conversation(recent, time.time() - 5 * DAY)))
    env = {**os.environ, "CONVERSATIONS_DATABASE_URL": store_url, "RETENTION_DAYS": "30"}
    done = subprocess.run([sys.executable, "-m", "conversation_store.retention"], cwd=PROJECT_ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "older than 30 days deleted" in done.stdout
    assert count_events(store_url, old) == 0
    assert count_events(store_url, recent) > 0


def events_of(tracker: DialogueStateTracker) -> list:
    return [event.as_dict() for event in tracker.events]


def turn(tracker: DialogueStateTracker, text: str) -> DialogueStateTracker:
    tracker.update(UserUttered(text))
    tracker.update(ActionExecuted("utter_greet"))
    tracker.update(ActionExecuted("action_listen"))
    return tracker


def test_turns_saved_after_reading_back_are_stored_once_each(store_url):
    store = ConversationStore(domain=DOMAIN, url=store_url)
    sender = f"turns-{time.time_ns()}"
    asyncio.run(store.save(conversation(sender, time.time())))
    for number in range(3):
        tracker = asyncio.run(store.retrieve(sender))
        asyncio.run(store.save(turn(tracker, f"question {number}")))
    assert count_events(store_url, sender) == len(tracker.events) == 11
    read_by_another_server = asyncio.run(ConversationStore(domain=DOMAIN, url=store_url).retrieve(sender))
    assert events_of(read_by_another_server) == events_of(tracker)


def test_turns_answered_by_another_server_are_read(store_url):
    """Two stores on one database, as two Rasa servers: each sees the turns the other saved."""
    first, second = ConversationStore(domain=DOMAIN, url=store_url), ConversationStore(domain=DOMAIN, url=store_url)
    sender = f"replicas-{time.time_ns()}"
    asyncio.run(first.save(conversation(sender, time.time())))
    for number in range(4):
        store = (first, second)[number % 2]
        tracker = asyncio.run(store.retrieve(sender))
        assert len(tracker.events) == 2 + 3 * number
        asyncio.run(store.save(turn(tracker, f"question {number}")))
    assert count_events(store_url, sender) == 14


def test_a_turn_that_was_not_saved_is_not_read_back(store_url):
    store = ConversationStore(domain=DOMAIN, url=store_url)
    sender = f"unsaved-{time.time_ns()}"
    asyncio.run(store.save(conversation(sender, time.time())))
    turn(asyncio.run(store.retrieve(sender)), "this turn fails before it is saved")
    assert len(asyncio.run(store.retrieve(sender)).events) == 2


def test_a_conversation_deleted_elsewhere_is_gone(store_url):
    store = ConversationStore(domain=DOMAIN, url=store_url)
    sender = f"deleted-{time.time_ns()}"
    asyncio.run(store.save(conversation(sender, time.time())))
    assert asyncio.run(store.retrieve(sender)) is not None
    ConversationStore(domain=DOMAIN, url=store_url).delete(sender)
    assert asyncio.run(store.retrieve(sender)) is None


def test_a_new_session_is_read_from_its_start(store_url):
    from rasa.shared.core.events import SessionStarted

    store = ConversationStore(domain=DOMAIN, url=store_url)
    sender = f"session-{time.time_ns()}"
    asyncio.run(store.save(conversation(sender, time.time() - 7200)))
    tracker = asyncio.run(store.retrieve(sender))
    tracker.update(ActionExecuted("action_session_start"))
    tracker.update(SessionStarted())
    asyncio.run(store.save(turn(tracker, "back after two hours")))
    again = asyncio.run(store.retrieve(sender))
    assert isinstance(again.events[0], SessionStarted) and len(again.events) == 4
    assert events_of(again) == events_of(asyncio.run(ConversationStore(domain=DOMAIN, url=store_url).retrieve(sender)))


@pytest.mark.parametrize("value", ["-3", "nan", "soon", "inf"])
def test_retention_refuses_a_nonsense_setting(value):
    env = {**os.environ, "RETENTION_DAYS": value}
    done = subprocess.run([sys.executable, "-m", "conversation_store.retention"], cwd=PROJECT_ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "RETENTION_DAYS must be a number of days" in done.stderr


def redis_reachable() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_timeout=2).ping())
    except redis.RedisError:
        return False


@pytest.fixture(params=["in-process", "redis", "redis-down"])
def lock_store(request) -> ConversationLockStore:
    if request.param == "redis" and not redis_reachable():
        pytest.skip("Redis is not reachable")
    url = {"in-process": None, "redis": REDIS_URL, "redis-down": CLOSED_PORT_REDIS_URL}[request.param]
    return ConversationLockStore(url=url)


def test_messages_of_one_conversation_take_turns_without_second_long_waits(lock_store):
    """Twenty messages on one conversation, each holding the lock 10 ms: served one at a time, in order, and the
    next one starts soon after the previous one ends (Rasa's default stores wait a whole second between tries)."""
    conversation_id = f"lock-{time.time_ns()}"
    spans = []

    async def handle(number: int) -> None:
        async with lock_store.lock(conversation_id):
            start = time.monotonic()
            await asyncio.sleep(0.01)
            spans.append((number, start, time.monotonic()))

    async def all_at_once() -> None:
        await asyncio.gather(*(handle(number) for number in range(20)))

    asyncio.run(all_at_once())
    assert [number for number, _, _ in spans] == list(range(20))
    for (_, _, end), (_, start, _) in zip(spans, spans[1:]):
        assert start >= end  # never two at once
    gaps = [start - end for (_, _, end), (_, start, _) in zip(spans, spans[1:])]
    print(f"\nlongest wait between two turns: {max(gaps) * 1000:.0f} ms")
    assert max(gaps) < 0.5


def test_a_new_conversations_last_event_is_one_index_lookup(store_url):
    """Without the (sender_id, id) index PostgreSQL scans every stored event to find that a new sender has none."""
    ConversationStore(url=store_url)
    with sa.create_engine(store_url).connect() as connection:
        indexes = {index["name"]: index["column_names"] for index in sa.inspect(connection).get_indexes("events")}
        assert indexes.get(LAST_EVENT_INDEX) == ["sender_id", "id"]
        if store_url.startswith("postgresql"):
            connection.execute(sa.text("SET enable_seqscan = off"))
            plan = " ".join(row[0] for row in connection.execute(sa.text(
                "EXPLAIN SELECT max(id) FROM events WHERE sender_id = 'nobody-yet'")))
            # an index on sender_id answers it; not a walk of every event by id with a filter on the sender
            assert "Index Cond" in plan and "sender_id" in plan and "Filter" not in plan, plan
    ConversationStore(url=store_url)  # a second server finds the index there

"""The conversation store and the lock store named in endpoints.yml (settings: conversation_store/settings.py)."""
import itertools
import json
import logging
import os
from collections import OrderedDict
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, AsyncGenerator, Dict, Iterator, Optional
from urllib.parse import urlsplit

import sqlalchemy as sa
from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, InMemoryLockStore, LockStore, RedisLockStore
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import ActionExecuted, Event, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from .settings import conversations_url, printable_url

logger = logging.getLogger(__name__)

FORGET_ACTION = "utter_forgotten"  # the reply to "forget me": the conversation is deleted once it is given
RECENT_CONVERSATIONS = 200  # conversations kept in memory by each Rasa server after saving them (0.15-0.5 MB each)
POLL_SECONDS = 0.02  # a message waiting for its conversation's lock checks again this often
MUTEX_SECONDS = 10  # longest hold of a conversation's Redis mutex while its ticket queue changes


def forgotten(tracker: DialogueStateTracker) -> bool:
    """True when the latest turn answered "forget me"."""
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return False
        if isinstance(event, ActionExecuted) and event.action_name == FORGET_ACTION:
            return True
    return False


@dataclass
class RecentConversation:
    """A conversation as this process last saved it: the tracker, how many of its events are stored, and the id of
    the last stored event."""
    tracker: DialogueStateTracker
    stored: int
    last_event_id: int


LAST_EVENT_INDEX = "ix_events_sender_id_id"


class ConversationStore(SQLTrackerStore):
    """Rasa's SQL tracker store on CONVERSATIONS_DATABASE_URL, which also deletes a conversation on request.
    Connections dropped by the database server are replaced.

    The conversations this process saved last are kept in memory (RECENT_CONVERSATIONS of them): reading one back
    costs one query for the id of its last stored event, and the events are read again only when that id changed
    (another server answered it, it was deleted), when the tracker changed without being saved, or when a new
    session started. Saving adds the tracker's new events without counting the stored ones first. The queries of
    every message are built once and run without the ORM (its sessions and flushes were a fifth of the server's
    CPU)."""

    def __init__(self, domain=None, event_broker=None, host: Optional[str] = None, url: Optional[str] = None,
                 **kwargs) -> None:
        url = url or conversations_url()
        if url.startswith("sqlite:///"):
            Path(url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
        super().__init__(domain=domain, host=url, event_broker=event_broker, **kwargs)
        self.engine.dispose()
        self.engine: sa.engine.Engine = create_engine(url)
        self.sessionmaker = sa.orm.sessionmaker(bind=self.engine)
        self.recent: OrderedDict[str, RecentConversation] = OrderedDict()
        self.events: sa.Table = self.SQLEvent.__table__
        self.last_event_id_query = sa.select(sa.func.max(self.events.c.id)).where(
            self.events.c.sender_id == sa.bindparam("sender_id"))
        self.index_last_events()
        logger.info("conversations kept in %s", printable_url(url))

    def index_last_events(self) -> None:
        """An index on (sender_id, id), so that the id of a conversation's last event is one index lookup: with the
        sender_id index alone PostgreSQL walks every event backwards from the newest to learn that a new
        conversation has none (35 ms at 150,000 stored events, growing with the table)."""
        try:
            with self.engine.begin() as connection:
                connection.execute(sa.text(f"CREATE INDEX IF NOT EXISTS {LAST_EVENT_INDEX} ON events (sender_id, id)"))
        except sa.exc.SQLAlchemyError as error:  # another server creating it at the same moment
            logger.info("index %s not created here: %s", LAST_EVENT_INDEX, str(error).splitlines()[0])

    def last_event_id(self, connection: sa.engine.Connection, sender_id: str) -> Optional[int]:
        return connection.execute(self.last_event_id_query, {"sender_id": sender_id}).scalar()

    async def retrieve(self, sender_id: str) -> Optional[DialogueStateTracker]:
        recent = self.recent.pop(sender_id, None)
        with self.engine.connect() as connection:
            last_event_id = self.last_event_id(connection, sender_id)
        if last_event_id is None:
            return None
        if recent is not None and recent.last_event_id == last_event_id and len(recent.tracker.events) == recent.stored:
            self.remember(sender_id, recent)
            return recent.tracker
        with self.session_scope() as session:
            rows = self._event_query(session, sender_id, fetch_events_from_all_sessions=False).all()
        if not rows or not self.domain:
            return None
        tracker = DialogueStateTracker.from_dict(sender_id, [json.loads(row.data) for row in rows], self.domain.slots)
        if len(tracker.events) == len(rows):
            self.remember(sender_id, RecentConversation(tracker, len(rows), rows[-1].id))
        return tracker

    def remember(self, sender_id: str, recent: RecentConversation) -> None:
        self.recent[sender_id] = recent
        while len(self.recent) > RECENT_CONVERSATIONS:
            self.recent.popitem(last=False)

    def stored_events(self, connection: sa.engine.Connection, sender_id: str) -> int:
        """How many of the conversation's events (of its latest session) are stored."""
        if self.last_event_id(connection, sender_id) is None:
            return 0
        with self.session_scope() as session:
            return self._event_query(session, sender_id, fetch_events_from_all_sessions=False).count()

    async def save(self, tracker: DialogueStateTracker) -> None:
        sender_id = tracker.sender_id
        recent = self.recent.pop(sender_id, None)
        if forgotten(tracker):
            self.delete(sender_id)
            return
        await self.stream_events(tracker)
        with self.engine.begin() as connection:
            if recent is not None and recent.tracker is tracker:
                stored = recent.stored
            else:
                stored = self.stored_events(connection, sender_id)
            rows = [self.event_row(sender_id, event) for event in itertools.islice(tracker.events, stored, None)]
            if rows:
                connection.execute(self.events.insert(), rows)
            last_event_id = self.last_event_id(connection, sender_id)
        new_session = any(isinstance(event, SessionStarted) for event in itertools.islice(tracker.events, 1, None))
        if last_event_id is not None and not new_session:
            self.remember(sender_id, RecentConversation(tracker, len(tracker.events), last_event_id))

    @staticmethod
    def event_row(sender_id: str, event: Event) -> Dict[str, Any]:
        data = event.as_dict()
        return {"sender_id": sender_id, "type_name": event.type_name, "timestamp": data.get("timestamp"),
                "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
                "action_name": data.get("name"), "data": json.dumps(data)}

    def delete(self, sender_id: str) -> int:
        """Deletes every event of the conversation; returns how many."""
        self.recent.pop(sender_id, None)
        with self.session_scope() as session:
            deleted = session.query(self.SQLEvent).filter(self.SQLEvent.sender_id == sender_id).delete()
            session.commit()
        logger.info("a conversation was deleted on request (%d events)", deleted)
        return deleted


def create_engine(url: str) -> sa.engine.Engine:
    """PostgreSQL: a pool of connections, each checked before use. SQLite: one pool of connections to the file
    (SQLAlchemy 1.4 would open a new one for every query) in write-ahead-log mode, so a commit does not wait for
    the disk to confirm every write."""
    if not url.startswith("sqlite"):
        return sa.create_engine(url, pool_pre_ping=True)
    engine = sa.create_engine(url, poolclass=sa.pool.QueuePool, connect_args={"check_same_thread": False})

    @sa.event.listens_for(engine, "connect")
    def write_ahead_log(connection, _record) -> None:
        cursor = connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    return engine


def redis_lock_store(url: str) -> RedisLockStore:
    parts = urlsplit(url)
    return RedisLockStore(host=parts.hostname or "localhost", port=parts.port or 6379,
                          db=int(parts.path.strip("/") or 0), password=parts.password,
                          use_ssl=parts.scheme == "rediss", socket_timeout=2)


class ConversationLockStore(LockStore):
    """Messages of one conversation are handled one at a time, the next one starting within POLL_SECONDS of the
    previous one's end (Rasa's own stores wait a whole second). With LOCK_STORE_URL the locks are kept in Redis;
    while Redis cannot be reached the locks fall back to this process, so no message is refused or lost."""

    def __init__(self, endpoint_config=None, url: Optional[str] = None) -> None:
        super().__init__()
        url = url or os.environ.get("LOCK_STORE_URL")
        self.local = InMemoryLockStore()
        self.shared = redis_lock_store(url) if url else None
        self.shared_down = False
        if url:
            logger.info("conversation locks kept in Redis at %s", printable_url(url))

    def _use(self, operation: str, *args):
        if self.shared is not None:
            try:
                result = getattr(self.shared, operation)(*args)
            except Exception as error:  # redis errors of every kind: connection refused, timeout, reset
                if not self.shared_down:
                    logger.warning("the Redis lock store is unreachable (%s); locks are kept in this process "
                                   "until it is back", type(error).__name__)
                self.shared_down = True
            else:
                if self.shared_down:
                    logger.warning("the Redis lock store is reachable again")
                self.shared_down = False
                return result
        return getattr(self.local, operation)(*args)

    def get_lock(self, conversation_id: str) -> Optional[TicketLock]:
        return self._use("get_lock", conversation_id)

    def delete_lock(self, conversation_id: str) -> None:
        self._use("delete_lock", conversation_id)

    def save_lock(self, lock: TicketLock) -> None:
        self._use("save_lock", lock)

    @contextmanager
    def one_writer(self, conversation_id: str) -> Iterator[None]:
        """Rasa servers sharing Redis change a conversation's ticket queue one at a time: Rasa's RedisLockStore
        reads, changes and writes the queue without a guard, so two servers can draw the same ticket and
        overwrite each other's events."""
        mutex = None
        if self.shared is not None and not self.shared_down:
            try:
                mutex = self.shared.red.lock(f"{self.shared.key_prefix}{conversation_id}:mutex",
                                             timeout=MUTEX_SECONDS, blocking_timeout=MUTEX_SECONDS)
                mutex.acquire()
            except Exception:  # Redis unreachable: _use falls back to this process's locks
                mutex = None
        try:
            yield
        finally:
            if mutex is not None:
                try:
                    mutex.release()
                except Exception:
                    logger.warning("a conversation mutex expired before it was released")

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        with self.one_writer(conversation_id):
            return super().issue_ticket(conversation_id, lock_lifetime)

    def update_lock(self, conversation_id: str) -> None:
        with self.one_writer(conversation_id):
            super().update_lock(conversation_id)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        with self.one_writer(conversation_id):
            super().cleanup(conversation_id, ticket_number)

    @asynccontextmanager
    async def lock(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME,
                   wait_time_in_seconds: float = POLL_SECONDS) -> AsyncGenerator[TicketLock, None]:
        async with super().lock(conversation_id, lock_lifetime, min(wait_time_in_seconds, POLL_SECONDS)) as lock:
            yield lock

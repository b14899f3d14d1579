"""Settings of the conversation store, read from the environment.

CONVERSATIONS_DATABASE_URL  SQLAlchemy URL of the conversation database; a SQLite file under build/ by default,
                            PostgreSQL in production (postgresql+psycopg2://user:password@host:5432/name).
LOCK_STORE_URL              redis://host:6379/0 to share conversation locks between Rasa servers; unset: the locks
                            live in the one Rasa process.
RETENTION_DAYS              days a conversation is kept after its latest message (default 30; 0: kept forever).
"""
import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CONVERSATIONS_URL = f"sqlite:///{PROJECT_ROOT / 'build' / 'conversations.db'}"
DEFAULT_RETENTION_DAYS = 30


def conversations_url() -> str:
    return os.environ.get("CONVERSATIONS_DATABASE_URL") or DEFAULT_CONVERSATIONS_URL


def printable_url(url: str) -> str:
    """The URL without user name and password."""
    return url.split("@")[-1] if "@" in url else url


def retention_days() -> float:
    value = os.environ.get("RETENTION_DAYS", str(DEFAULT_RETENTION_DAYS))
    try:
        days = float(value)
    except ValueError:
        days = -1.0
    if not 0 <= days < float("inf"):
        raise ValueError(f"RETENTION_DAYS must be a number of days (0 keeps conversations forever), not {value!r}")
    return days

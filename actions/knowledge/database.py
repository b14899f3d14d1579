"""Engine and sessions. SQLite file by default, any SQLAlchemy URL through DATABASE_URL."""
import os
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Iterator, Optional

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATABASE_URL = f"sqlite:///{PROJECT_ROOT / 'build' / 'knowledge.db'}"


class KnowledgeUnavailable(RuntimeError):
    """The knowledge database cannot be reached or is not seeded."""


def database_url() -> str:
    return os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    if url.startswith("sqlite:///"):
        Path(url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
    return create_engine(url, pool_pre_ping=True, future=True)


def create_database(url: str) -> None:
    """Create the PostgreSQL database the URL names if the server has none of that name (a fresh server); SQLite
    creates its file on first use."""
    parsed = make_url(url)
    if not parsed.drivername.startswith("postgresql") or not parsed.database:
        return
    server = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT", future=True)
    try:
        with server.connect() as connection:
            if connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                  {"name": parsed.database}).first() is None:
                connection.execute(text('CREATE DATABASE "{}"'.format(parsed.database.replace('"', '""'))))
    finally:
        server.dispose()


def sqlite_file(url: str) -> Optional[Path]:
    path = url[len("sqlite:///"):] if url.startswith("sqlite:///") else ""
    return Path(path.split("?")[0]) if path and path != ":memory:" else None


@contextmanager
def session_scope(url: Optional[str] = None) -> Iterator[Session]:
    """One short-lived session per unit of work, on a database that exists (SQLite would otherwise create an empty
    file); database errors become KnowledgeUnavailable."""
    url = url or database_url()
    file = sqlite_file(url)
    if file is not None and not file.is_file():
        raise KnowledgeUnavailable(f"there is no knowledge database file at {file}")
    factory = sessionmaker(bind=engine_for(url), future=True)
    session = factory()
    try:
        yield session
        session.commit()
    except SQLAlchemyError as error:
        session.rollback()
        raise KnowledgeUnavailable(str(error).splitlines()[0]) from error
    finally:
        session.close()


def check(url: Optional[str] = None) -> None:
    """Raise KnowledgeUnavailable unless the database answers and holds seeded knowledge."""
    with session_scope(url) as session:
        count = session.execute(text("SELECT COUNT(*) FROM requirement")).scalar_one()
    if not count:
        raise KnowledgeUnavailable("the knowledge database is empty")


if __name__ == "__main__":
    import sys

    url = database_url()
    try:
        check(url)
    except KnowledgeUnavailable as error:
        safe_url = url.split("@")[-1]
        sys.exit(f"Knowledge database not ready ({safe_url}): {error}. Check DATABASE_URL, then run `make seed`.")
    print(f"Knowledge database ready: {url.split('@')[-1]}")

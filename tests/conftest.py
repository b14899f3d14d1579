"""Shared fixtures: knowledge databases seeded from the real data files, on SQLite and on PostgreSQL."""
import os
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from actions.knowledge.loader import seed
from actions.knowledge.snapshot import Knowledge, read_knowledge

PROJECT_ROOT = Path(__file__).resolve().parents[1]
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/test")
MODEL = PROJECT_ROOT / "models" / "iecmh.tar.gz"


def postgres_reachable() -> bool:
    try:
        with create_engine(POSTGRES_URL, future=True).connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except Exception:
        return False


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('kb') / 'knowledge.db'}"
    seed(url)
    return url


@pytest.fixture(scope="session")
def postgres_url() -> str:
    if not postgres_reachable():
        pytest.skip(f"PostgreSQL is not reachable at {POSTGRES_URL.split('@')[-1]}")
    seed(POSTGRES_URL)
    return POSTGRES_URL


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request) -> str:
    return request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "postgres_url")


@pytest.fixture(scope="session")
def knowledge_both(database_url) -> Knowledge:
    """The snapshot read from SQLite and from PostgreSQL."""
    return read_knowledge(database_url)


@pytest.fixture(scope="session")
def knowledge(sqlite_url) -> Knowledge:
    return read_knowledge(sqlite_url)


@pytest.fixture(scope="session")
def project_nlp(knowledge, tmp_path_factory):
    """The project's spaCy pipeline, built once from the seeded SQLite knowledge base."""
    from actions.nlp_pipeline import build

    return build(knowledge, tmp_path_factory.mktemp("spacy") / "pipeline")


@pytest.fixture(scope="session")
def profile_parser(knowledge):
    from actions.qualification.parser import ProfileParser

    return ProfileParser(knowledge)


@pytest.fixture(scope="session")
def trained_model() -> Path:
    if not MODEL.exists():
        pytest.fail(f"No trained model at {MODEL}: run `make train` (make test does it first)")
    return MODEL

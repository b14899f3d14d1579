"""A missing knowledge database file is reported clearly, is not replaced by an empty file, and is used again once
it is back."""
import os
import shutil
import subprocess
import sys

import pytest

from actions.knowledge.database import KnowledgeUnavailable
from actions.knowledge.snapshot import read_knowledge
from tests.conftest import PROJECT_ROOT


def check_database(url: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "actions.knowledge.database"], cwd=PROJECT_ROOT,
                          env={**os.environ, "DATABASE_URL": url}, capture_output=True, text=True, timeout=120)


def test_a_missing_knowledge_file_is_reported_not_created_and_used_once_restored(sqlite_url, tmp_path):
    missing = tmp_path / "knowledge.db"
    url = f"sqlite:///{missing}"
    with pytest.raises(KnowledgeUnavailable, match="no knowledge database file"):
        read_knowledge(url)
    done = check_database(url)
    assert done.returncode != 0 and "Knowledge database not ready" in done.stderr
    assert not missing.exists()
    shutil.copy(sqlite_url[len("sqlite:///"):], missing)
    assert read_knowledge(url).requirements("IMHS", phase="initial", kind="rsc", in_force_only=True)
    assert check_database(url).returncode == 0

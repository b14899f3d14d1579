"""The seed step: real data files load on both databases, twice gives the same result, bad rows are rejected."""
import shutil
import subprocess
import sys

import pytest
from sqlalchemy import create_engine, func, select

from actions.knowledge import schema
from actions.knowledge.loader import KNOWLEDGE_DIR, KnowledgeDataError, seed
from tests.conftest import PROJECT_ROOT

TABLES = (schema.Category, schema.Requirement, schema.TopicFact, schema.Association, schema.Fee, schema.Degree,
          schema.Alias, schema.RoleAlias)


def table_counts(url):
    with create_engine(url, future=True).connect() as connection:
        return {table.__tablename__: connection.execute(select(func.count()).select_from(table)).scalar_one()
                for table in TABLES}


def test_every_table_is_filled(database_url):
    counts = table_counts(database_url)
    assert all(count > 0 for count in counts.values()), counts


def test_seeding_twice_gives_the_same_database(tmp_path):
    url = f"sqlite:///{tmp_path / 'twice.db'}"
    first = seed(url)
    contents = table_counts(url)
    assert seed(url) == first
    assert table_counts(url) == contents


def copy_knowledge(tmp_path):
    directory = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, directory)
    return directory


def append_line(path, line):
    with path.open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")
    return sum(1 for _ in path.open(encoding="utf-8"))


def test_a_malformed_row_is_reported_with_file_and_line_and_nothing_changes(tmp_path, sqlite_url):
    directory = copy_knowledge(tmp_path)
    line = append_line(directory / "requirements.csv",
                       "IFS,initial,rsc,rsc_hours,maybe,24,hours,,,Some text.,as published,,https://example.org,")
    before = table_counts(sqlite_url)
    with pytest.raises(KnowledgeDataError) as error:
        seed(sqlite_url, directory)
    assert f"requirements.csv:{line}: operator 'maybe'" in str(error.value)
    assert table_counts(sqlite_url) == before


@pytest.mark.parametrize("row, message", [
    ("IFS,initial,rsc,rsc_hours,min,-5,hours,,,Text.,as published,,https://example.org,", "value '-5'"),
    ("IFS,initial,rsc,rsc_hours,min,lots,hours,,,Text.,as published,,https://example.org,", "value 'lots'"),
    ("XYZ,initial,rsc,rsc_hours,min,5,hours,,,Text.,as published,,https://example.org,", "category 'XYZ'"),
    ("IFS,initial,rsc,rsc_hours,min,5,hours,,,Text.,someday,,https://example.org,", "effective_from 'someday'"),
    ("IFS,initial,rsc,rsc_hours,min,5,hours,,,Text.,as published,,not-a-url,", "source_url 'not-a-url'"),
    ("IFS,initial,education,degree_level,min,pizza,degree,,,Text.,as published,,https://example.org,",
     "value 'pizza'"),
    ("IFS,initial,rsc", "expected 14 fields"),
])
def test_each_kind_of_bad_requirement_row_is_rejected(tmp_path, row, message):
    directory = copy_knowledge(tmp_path)
    line = append_line(directory / "requirements.csv", row)
    with pytest.raises(KnowledgeDataError) as error:
        seed(f"sqlite:///{tmp_path / 'bad.db'}", directory)
    assert any(problem.startswith(f"requirements.csv:{line}:") and message in problem
               for problem in error.value.problems), error.value.problems


def test_a_duplicate_alias_is_rejected(tmp_path):
    directory = copy_knowledge(tmp_path)
    path = directory / "role_aliases.csv"
    first_alias = path.read_text(encoding="utf-8").splitlines()[1].split(",")[0]
    line = append_line(path, f"{first_alias},IFA,ECFA")
    with pytest.raises(KnowledgeDataError) as error:
        seed(f"sqlite:///{tmp_path / 'dup.db'}", directory)
    assert any(p.startswith(f"role_aliases.csv:{line}:") and "already used" in p for p in error.value.problems)


def test_a_wrong_header_is_rejected(tmp_path):
    directory = copy_knowledge(tmp_path)
    path = directory / "topics.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(["topic,text"] + lines[1:]) + "\n", encoding="utf-8")
    with pytest.raises(KnowledgeDataError) as error:
        seed(f"sqlite:///{tmp_path / 'header.db'}", directory)
    assert error.value.problems[0].startswith("topics.csv:1: header must be")


def test_the_seed_command_prints_file_and_line_and_fails(tmp_path):
    directory = copy_knowledge(tmp_path)
    line = append_line(directory / "fees.csv", "NOPE,processing,,25,https://example.org,as published,")
    result = subprocess.run([sys.executable, "-m", "actions.knowledge.loader", "--directory", str(directory),
                             "--database-url", f"sqlite:///{tmp_path / 'cli.db'}"],
                            cwd=PROJECT_ROOT, capture_output=True, text=True)
    assert result.returncode == 1
    assert f"fees.csv:{line}: association 'NOPE'" in result.stderr

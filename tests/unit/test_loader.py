"""The seed step: real data files load on both databases, twice gives the same result, bad rows are rejected."""
import shutil
import subprocess
import sys
import uuid

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from actions.knowledge import schema
from actions.knowledge.loader import KNOWLEDGE_DIR, KnowledgeDataError, seed
from tests.conftest import PROJECT_ROOT

TABLES = (schema.Category, schema.Requirement, schema.TopicFact, schema.Association, schema.Fee, schema.Degree,
          schema.Alias, schema.RoleAlias)
REQUIREMENT_COLUMNS = ("id", "category", "phase", "kind", "measure", "operator", "value", "unit", "timeframe_months",
                       "alternative", "after_degree", "counts", "defining", "text", "keywords", "status",
                       "effective_from", "effective_until", "source_url", "note")
TOPIC_COLUMNS = ("id", "topic", "seq", "text", "keywords", "status", "source_url", "effective", "note")


def csv_line(columns, defaults, changes):
    values = {**defaults, **changes}
    return ",".join(values.get(column, "") for column in columns)


def requirement_row(**changes):
    defaults = {"id": "IFS.initial.test_row", "category": "IFS", "phase": "initial", "kind": "rsc",
                "measure": "rsc_hours", "operator": "min", "value": "5", "unit": "hours", "text": "Text.",
                "status": "published", "effective_from": "as published", "source_url": "https://example.org"}
    return csv_line(REQUIREMENT_COLUMNS, defaults, changes)


def topic_row(**changes):
    defaults = {"id": "exam.test-row", "topic": "exam", "seq": "99", "text": "Text.", "status": "published",
                "source_url": "https://example.org", "effective": "as published"}
    return csv_line(TOPIC_COLUMNS, defaults, changes)


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


def problems_after(tmp_path, file_name, line_text):
    """Append one line to a copy of the data; return its line number and the load's problems."""
    directory = copy_knowledge(tmp_path)
    line = append_line(directory / file_name, line_text)
    with pytest.raises(KnowledgeDataError) as error:
        seed(f"sqlite:///{tmp_path / 'bad.db'}", directory)
    return line, error.value.problems


def reported(problems, file_name, line, message):
    return any(problem.startswith(f"{file_name}:{line}:") and message in problem for problem in problems)


def test_a_malformed_row_is_reported_with_file_and_line_and_nothing_changes(tmp_path, sqlite_url):
    directory = copy_knowledge(tmp_path)
    line = append_line(directory / "requirements.csv", requirement_row(operator="maybe", value="24"))
    before = table_counts(sqlite_url)
    with pytest.raises(KnowledgeDataError) as error:
        seed(sqlite_url, directory)
    assert f"requirements.csv:{line}: operator 'maybe'" in str(error.value)
    assert table_counts(sqlite_url) == before


@pytest.mark.parametrize("row, message", [
    (requirement_row(value="-5"), "value '-5'"),
    (requirement_row(value="lots"), "value 'lots'"),
    (requirement_row(id="XYZ.initial.test_row", category="XYZ"), "category 'XYZ'"),
    (requirement_row(effective_from="someday"), "effective_from 'someday'"),
    (requirement_row(source_url="not-a-url"), "source_url 'not-a-url'"),
    (requirement_row(kind="education", measure="degree_level", value="pizza", unit="degree"), "value 'pizza'"),
    (requirement_row(id="IFS.renewal.test_row"), "an id starting with 'IFS.initial.'"),
    (requirement_row(id="IFS.initial.rsc_hours"), "id 'IFS.initial.rsc_hours' is already used at requirements.csv:"),
    (requirement_row(status="maybe"), "status 'maybe'"),
    (requirement_row(keywords="how many hours do i need?"), "keywords"),
    (requirement_row(keywords="hours;;rsc"), "keywords"),
    (requirement_row(status="not_published", text="Not published in our sources; ask CT-AIMH."),
     "operator 'info' and no measure"),
    (requirement_row(operator="info", value="", measure="", status="not_published",
                     text="This is not published in our sources."), "name whom to ask"),
    (requirement_row(operator="info", value="", measure="", text="Not published in our sources; ask CT-AIMH."),
     "set status to not_published"),
    ("IFS.initial.test_row,IFS,initial,rsc,,,", "expected 20 fields"),
])
def test_each_kind_of_bad_requirement_row_is_rejected(tmp_path, row, message):
    line, problems = problems_after(tmp_path, "requirements.csv", row)
    assert reported(problems, "requirements.csv", line, message), problems


def test_a_not_published_requirement_that_names_whom_to_ask_loads(tmp_path):
    directory = copy_knowledge(tmp_path)
    append_line(directory / "requirements.csv", requirement_row(
        operator="info", value="", measure="", status="not_published", keywords="test;not published",
        text="The test figure is not published in our sources; ask Infancy Onward or your own association."))
    assert seed(f"sqlite:///{tmp_path / 'ok.db'}", directory)["requirement"] > 0


@pytest.mark.parametrize("row, message", [
    (topic_row(id="Exam.Test"), "id 'Exam.Test'"),
    (topic_row(id="exam"), "id 'exam'"),
    (topic_row(id="exam.online"), "id 'exam.online' is already used at topics.csv:"),
    (topic_row(seq="1"), "seq 1 of topic 'exam' is already used at topics.csv:"),
    (topic_row(topic="weather"), "topic 'weather'"),
    (topic_row(status="unknown"), "status 'unknown'"),
    (topic_row(keywords="where do i sit the exam?"), "keywords"),
    (topic_row(keywords="a;b;a"), "keywords"),
    (topic_row(keywords="one two three four five six seven"), "keywords"),
    (topic_row(status="not_published", text="The exam room is not published in our sources."), "name whom to ask"),
    (topic_row(status="not_published", text="Ask MI-AIMH about the exam room."), "name whom to ask"),
    (topic_row(text="The room is not published in our sources; ask MI-AIMH."), "set status to not_published"),
])
def test_each_kind_of_bad_topic_row_is_rejected(tmp_path, row, message):
    line, problems = problems_after(tmp_path, "topics.csv", row)
    assert reported(problems, "topics.csv", line, message), problems


def test_ids_are_unique_across_files(tmp_path):
    directory = copy_knowledge(tmp_path)
    line = append_line(directory / "associations.csv",
                       "exam.online,Test Association,,,endorsement,,test association,https://example.org,"
                       "as published,")
    with pytest.raises(KnowledgeDataError) as error:
        seed(f"sqlite:///{tmp_path / 'ids.db'}", directory)
    assert any(problem.startswith("topics.csv:") and f"id 'exam.online' is already used at associations.csv:{line}"
               in problem for problem in error.value.problems), error.value.problems


@pytest.mark.parametrize("row, message", [
    ("fee.ITMHCA.exam,ITMHCA,exam,,,https://example.org,as published,Not known.", "whom to ask"),
    ("fee.ITMHCA.exam,ITMHCA,exam,,,https://example.org,as published,", "whom to ask"),
    ("fee.MI-AIMH.exam,ITMHCA,exam,,10,https://example.org,as published,", "an id starting with 'fee.ITMHCA.exam'"),
    ("fee.ALLIANCE.exam,ALLIANCE,exam,,10,https://example.org,as published,", "id 'fee.ALLIANCE.exam' is already used"),
])
def test_each_kind_of_bad_fee_row_is_rejected(tmp_path, row, message):
    line, problems = problems_after(tmp_path, "fees.csv", row)
    assert reported(problems, "fees.csv", line, message), problems


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
    line = append_line(directory / "fees.csv",
                       "fee.NOPE.processing,NOPE,processing,,25,https://example.org,as published,")
    result = subprocess.run([sys.executable, "-m", "actions.knowledge.loader", "--directory", str(directory),
                             "--database-url", f"sqlite:///{tmp_path / 'cli.db'}"],
                            cwd=PROJECT_ROOT, capture_output=True, text=True)
    assert result.returncode == 1
    assert f"fees.csv:{line}: association 'NOPE'" in result.stderr


def test_seeding_a_fresh_postgresql_server_creates_its_database(postgres_url):
    """`make run-prod` names a database (iecmh) that a new PostgreSQL server does not have yet."""
    name = f"iecmh_fresh_{uuid.uuid4().hex[:8]}"
    url = make_url(postgres_url).set(database=name).render_as_string(hide_password=False)
    try:
        counts = seed(url)
        assert counts["requirement"] == table_counts(url)["requirement"] > 0
        seed(url)  # a second seed finds the database there
    finally:
        server = create_engine(make_url(postgres_url), isolation_level="AUTOCOMMIT", future=True)
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()

"""Answers are built from knowledge rows, name their sources, and say so when the knowledge base has no fact."""
import pytest

from actions.answers import AnswerBook


@pytest.fixture(scope="module")
def book(sqlite_repository):
    return AnswerBook(sqlite_repository)


def rows(repository, code, kind, phase="initial"):
    return repository.requirements(code, phase=phase, kind=kind, in_force_only=True)


def test_requirement_answer_states_the_rule_and_cites_it(book, sqlite_repository):
    answer = book.requirement("IMHS", "rsc")
    (rsc,) = rows(sqlite_repository, "IMHS", "rsc")
    assert rsc.text in answer.text
    assert rsc.source_url in answer.sources
    assert "Source: http" in answer.rendered()


def test_a_changed_rule_is_stated_with_its_earlier_version(book):
    answer = book.requirement("IMHS", "exam")
    assert "Earlier rule, until 2024-12-31" in answer.text
    assert "2025-01-01" in answer.text


def test_a_group_answers_per_designation(book, sqlite_repository):
    answer = book.requirement("IMHM", "training")
    for code in ("IMHM-C", "IMHM-P", "IMHM-RF"):
        assert f"({code})" in answer.text
        for row in rows(sqlite_repository, code, "training"):
            assert row.text in answer.text


def test_missing_facts_are_admitted_and_point_to_the_association(book):
    answer = book.requirement("ERS", "exam", ["MI-AIMH"])
    assert "don't have" in answer.text
    assert "check with" in answer.text.lower()


def test_conflicting_sources_are_mentioned(book, sqlite_repository):
    (education,) = rows(sqlite_repository, "IFS", "education")
    assert education.note
    assert education.note in book.requirement("IFS", "education").text


def test_overview_and_counterpart(book):
    answer = book.overview("IFS")
    assert "Infant Family Specialist (IFS, formerly Level II)" in answer.text
    assert "ECFS" in answer.text
    assert book.other_age_band("IFS") == "ECFS"


def test_compare_shows_both_categories(book, sqlite_repository):
    answer = book.compare(["IFS", "IMHS"])
    for code in ("IFS", "IMHS"):
        for row in rows(sqlite_repository, code, "rsc"):
            assert row.text in answer.text


def test_fees_for_a_state_and_for_an_unknown_one(book, sqlite_repository):
    (arizona,) = sqlite_repository.associations_in_region("AZ")
    answer = book.fees_answer([arizona.code], "Arizona")
    processing = [f for f in sqlite_repository.fees(arizona.code) if f.fee_type == "processing" and f.amount_usd]
    assert processing and f"${processing[0].amount_usd:,.0f}" in answer.text
    assert "confirm" in answer.text
    unknown = book.fees_answer([], "Atlantis")
    assert "I don't have fees for Atlantis" in unknown.text


def test_topic_answers_and_unknown_topics(book, sqlite_repository):
    answer = book.topic("principles", 3)
    assert sqlite_repository.topic_facts("principles")[0].text in answer.text
    assert answer.sources

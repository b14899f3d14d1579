"""End to end: both servers started as `make run` starts them, questions asked over the REST channel, each answer
checked against the knowledge base (the fact it must state) and for a named source."""
import uuid
from pathlib import Path

import pytest
import yaml

from actions.knowledge.database import database_url
from actions.knowledge.repository import KnowledgeRepository

from tests.e2e.conftest import ask

QUESTIONS = yaml.safe_load((Path(__file__).parent / "questions.yml").read_text(encoding="utf-8"))


def expected_snippets(expectation: dict, repository: KnowledgeRepository):
    """The exact knowledge-base text (or literal) an answer must contain."""
    if "requirement" in expectation:
        code, kind, *phase = expectation["requirement"]
        rows = repository.requirements(code, phase=phase[0] if phase else "initial", kind=kind, in_force_only=True)
        assert rows, f"the knowledge base has no {kind} requirement for {code}"
        return [row.text for row in rows]
    if "topic" in expectation:
        topic, seq = expectation["topic"]
        facts = [fact for fact in repository.topic_facts(topic) if fact.seq == seq]
        assert facts, f"the knowledge base has no {topic} fact {seq}"
        return [facts[0].text]
    if "fee" in expectation:
        association, fee_type, category = expectation["fee"]
        fees = [f for f in repository.fees(association) if f.fee_type == fee_type and f.category == category]
        assert fees and fees[0].amount_usd is not None, f"no {fee_type} fee for {association} {category}"
        return [f"${fees[0].amount_usd:,.0f}"]
    return [expectation["text"]]


def test_the_question_list_is_long_enough():
    assert len(QUESTIONS) >= 60


@pytest.mark.parametrize("case", QUESTIONS, ids=[case["id"] for case in QUESTIONS])
def test_question_over_rest(servers, case):
    repository = KnowledgeRepository(database_url())
    sender = f"{case['id']}-{uuid.uuid4().hex[:8]}"
    answer = ""
    for message in case["say"]:
        answer = ask(sender, message)
    for expectation in case.get("expect", []):
        for snippet in expected_snippets(expectation, repository):
            assert snippet.lower() in answer.lower(), f"expected {snippet!r} in:\n{answer}"
    for absent in case.get("absent", []):
        assert absent.lower() not in answer.lower(), f"did not expect {absent!r} in:\n{answer}"
    if case.get("cited", True):
        assert "Source: http" in answer or "came from" in answer, f"no source named in:\n{answer}"

"""End to end: both servers started as `make run` starts them, questions asked over the REST channel, each answer
checked against the knowledge base (the row that answers it must be in the reply), for a named source and for
length (a reply is short: the rows that answer the question, not the whole section)."""
import uuid
from pathlib import Path

import pytest
import yaml

from actions.knowledge.database import database_url
from actions.knowledge.snapshot import Knowledge, read_knowledge
from tests.e2e.conftest import ask, send

QUESTIONS = yaml.safe_load((Path(__file__).parent / "questions.yml").read_text(encoding="utf-8"))
MAX_CHARS = 900


def row_snippet(fact_id: str, knowledge: Knowledge) -> str:
    """What an answer made from this row shows: its text, a fee's amount, a category's summary, an association's
    name."""
    fact = knowledge.fact(fact_id)
    if fact is not None:
        if hasattr(fact, "text"):
            return fact.text
        assert fact.amount_usd is not None, f"{fact_id} has no amount: expect its note as text"
        return f"${fact.amount_usd:,.0f}"
    category = knowledge.category(fact_id)
    if category is not None:
        return category.summary
    association = knowledge.association(fact_id)
    assert association is not None, f"no row {fact_id} in the knowledge base"
    return association.name


def expected_snippets(expectation: dict, knowledge: Knowledge):
    """The exact knowledge-base text (or literal) an answer must contain: each of `fact`, one of `any_fact`."""
    if "fact" in expectation:
        return [[row_snippet(expectation["fact"], knowledge)]]
    if "any_fact" in expectation:
        return [[row_snippet(fact_id, knowledge) for fact_id in expectation["any_fact"]]]
    return [[expectation["text"]]]


def test_the_question_list_is_long_enough():
    assert len(QUESTIONS) >= 60


@pytest.mark.parametrize("case", QUESTIONS, ids=[case["id"] for case in QUESTIONS])
def test_question_over_rest(servers, case):
    knowledge = read_knowledge(database_url())
    sender = f"{case['id']}-{uuid.uuid4().hex[:8]}"
    answer = ""
    for message in case["say"]:
        answer = ask(sender, message)
    for expectation in case.get("expect", []):
        for alternatives in expected_snippets(expectation, knowledge):
            assert any(s.lower() in answer.lower() for s in alternatives), \
                f"expected one of {alternatives!r} in:\n{answer}"
    for absent in case.get("absent", []):
        assert absent.lower() not in answer.lower(), f"did not expect {absent!r} in:\n{answer}"
    if case.get("cited", True):
        assert "Source: http" in answer or "came from" in answer, f"no source named in:\n{answer}"
    assert answer.strip(), "empty reply"
    assert len(answer) <= case.get("max_chars", MAX_CHARS), f"{len(answer)} characters:\n{answer}"


def test_a_related_question_button_works_when_clicked(servers):
    sender = f"buttons-{uuid.uuid4().hex[:8]}"
    replies = send(sender, "is the exam online?")
    buttons = [b for reply in replies for b in reply.get("buttons", [])]
    assert buttons and buttons[0]["title"] == "More about the exam"
    related = buttons[1]
    clicked = "\n".join(part.get("text", "") for part in send(sender, related["payload"]))
    assert clicked.strip() and "Source: http" in clicked and len(clicked) <= MAX_CHARS
    overview = "\n".join(part.get("text", "") for part in send(sender, buttons[0]["payload"]))
    knowledge = read_knowledge(database_url())
    assert knowledge.fact("exam.parts").text in overview and "Source: http" in overview
    assert len(overview) <= MAX_CHARS

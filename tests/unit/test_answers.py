"""Answers: the rows that answer the question, first, short, sourced, with buttons that work when clicked."""
import json
import re
from pathlib import Path

import pytest
import yaml

from actions.answering.book import SPECIFIC_BUDGET, AnswerBook, Context, Message
from actions.answering.routes import ANSWER_INTENTS, ROUTES, RULES_FILE, TOPIC_LABELS, rules_yaml
from actions.answering.wording import join_lines, plural
from actions.knowledge.snapshot import Requirement, TopicFact
from tests.conftest import PROJECT_ROOT

DOMAIN = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
PAYLOAD = re.compile(r"^/(?P<intent>\w+)(?P<entities>\{.*\})?$")
SPECIFIC_REPLY = SPECIFIC_BUDGET + 300     # row text plus labels, a note and the source line
BROAD_REPLY = 900


@pytest.fixture(scope="module")
def book(knowledge):
    return AnswerBook(knowledge)


def ask(book, text, intent=None, entities=(), context=None, confidence=0.95):
    return book.answer(Message(text, intent, confidence, list(entities)), context or Context())


def entity(label, value):
    return {"entity": label, "value": value}


def click(book, button, context=None):
    """What Rasa makes of a button's payload: the intent and the entities in it."""
    match = PAYLOAD.match(button["payload"])
    assert match, button
    entities = json.loads(match.group("entities") or "{}")
    assert match.group("intent") in DOMAIN["intents"], button
    assert set(entities) <= set(DOMAIN["entities"]), button
    return ask(book, button["payload"], match.group("intent"), [entity(k, v) for k, v in entities.items()],
               context, confidence=1.0)


# The questions of the issue ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, intent, expected", [
    ("Is the exam online?", "ask_exam", "exam.online"),
    ("When is the exam held?", "ask_exam", "exam.online"),
    ("How long are exam approvals valid?", "ask_timeline", "exam.approval-valid"),
    ("Do my reference raters need to be endorsed?", "ask_references", "references.vetting"),
    ("how many rs/c hours for IMHS?", "ask_rsc", "IMHS.initial.rsc_hours"),
])
def test_a_specific_question_gets_the_row_that_answers_it_first(book, knowledge, text, intent, expected):
    answer = ask(book, text, intent, [entity("category", "IMHS")] if "IMHS" in text else [])
    assert answer.facts[0] == expected, answer.ranking[:3]
    assert answer.text.startswith(knowledge.fact(expected).text) or knowledge.fact(expected).text in answer.text
    assert len(answer.rendered()) <= SPECIFIC_REPLY
    assert "Source: http" in answer.rendered()


@pytest.mark.parametrize("text, intent, expected", [
    ("what if my state doesnt have an association", "ask_associations", "residency.no-association-in-state"),
    ("can i take the exam more than once", "ask_exam", "exam.retake-wait"),
    ("what does it take to stay endorsed each year", "ask_renewal", "renewal.overview"),
])
def test_everyday_wordings_reach_the_row_they_mean(book, text, intent, expected):
    assert ask(book, text, intent).facts[0] == expected


def test_the_bare_word_specialist_is_asked_about_with_both_specialists_as_buttons(book):
    answer = ask(book, "what do specialists need", "ask_requirements", context=Context(age_band="early_childhood"))
    assert answer.kind == "prompt" and "Family Specialist (ECFS)" in answer.text
    assert [b["payload"] for b in answer.buttons] == ['/ask_requirements{"category":"ECFS"}',
                                                      '/ask_requirements{"category":"ECMHS"}']
    for button_ in answer.buttons:
        assert click(book, button_).facts
    assert ask(book, "how many rsc hours for a family specialist", "ask_rsc",
               [entity("category", "family specialist")]).facts[0] == "IFS.initial.rsc_hours"


@pytest.mark.parametrize("text, states, expected", [
    # Ohio runs its own credential: moving from there is not the Alliance's reciprocity
    ("do infant mental health endorsements transfer if I move from ohio to michigan", ("ohio", "michigan"),
     "reciprocity.separate-systems"),
    ("if I move from Michigan to Texas do I lose my endorsement", ("Michigan", "Texas"), "reciprocity.honoured"),
])
def test_moving_states_is_answered_for_the_states_named(book, text, states, expected):
    answer = ask(book, text, "ask_reciprocity", [entity("region", state) for state in states])
    assert answer.facts[0] == expected


def test_two_questions_on_one_topic_get_different_answers(book):
    assert ask(book, "what is the pass mark on the exam", "ask_exam").facts[0] == "exam.pass-mark"
    assert ask(book, "how long is the exam", "ask_exam").facts[0] == "exam.duration"


def test_a_question_on_something_not_published_says_so_and_whom_to_ask(book, knowledge):
    answer = ask(book, "who can provide rs/c for ECFS applicants", "ask_rsc_provider", [entity("category", "ECFS")])
    row = knowledge.fact(answer.facts[0])
    assert row.id == "ECFS.initial.rsc_provider" and not row.published
    assert "not published in our sources" in answer.text and "CT-AIMH" in answer.text
    # never another category's rule presented as the answer
    for other in knowledge.requirements("IFS", phase="initial", kind="rsc_provider"):
        assert other.text not in answer.text


@pytest.mark.parametrize("text, intent, entities, row", [
    ("is the exam open book?", "ask_exam", [], "exam.format-not-published"),
    ("what's the salary of an infant mental health specialist", "ask_role",
     [entity("category", "infant mental health specialist")], "role.salary-not-published"),
    ("do endorsed people get paid more?", "ask_role", [], "role.salary-not-published"),
    # the category named does not pull its requirements ahead of what is asked about it
    ("how much do IMH specialists make", "ask_fees", [], "role.salary-not-published"),
    ("what is the pass rate for the exam", "ask_exam", [], "exam.pass-rate-not-published"),
    ("can my rsc be done over zoom", "ask_rsc_what", [], "rsc.by-video-not-published"),
    ("can i apply if i live outside the us", "ask_associations", [], "residency.outside-the-us-not-published"),
    ("how long does the review take", "ask_timeline", [], "review.duration-not-published"),
    ("whats the minimum age to apply", "ask_application", [], "application.applicant-age-not-published"),
    ("are there scholarships to pay for endorsement", "ask_fees", [], "fees-general.aid-not-published"),
    ("how do i find a reflective supervisor near me", "ask_rsc_provider",
     [entity("category", "reflective supervisor")], "rsc.find-a-provider-not-published"),
])
def test_what_no_source_publishes_is_said_to_be_unpublished(book, text, intent, entities, row):
    answer = ask(book, text, intent, entities)
    assert row in answer.facts and "not published in our sources" in answer.text


def test_not_published_rows_never_show_a_note_with_another_categorys_figure(book, knowledge):
    for fact in knowledge.facts():
        if isinstance(fact, (TopicFact, Requirement)) and not fact.published and fact.note:
            answer = book.answer(Message(f'/ask_exam{{"fact":"{fact.id}"}}', "ask_exam", 1.0,
                                         [entity("fact", fact.id)]), Context())
            assert fact.note not in answer.text


# Broad questions -----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, intent, first", [
    ("tell me about the exam", "ask_exam", "exam.parts"),
    ("what are the training requirements for endorsement", "ask_requirements", "training.minimum-to-apply"),
    ("explain the reflective supervision requirements", "ask_rsc", "rsc.what-it-is"),
])
def test_a_broad_question_gets_a_short_overview_of_the_first_rows(book, knowledge, text, intent, first):
    answer = ask(book, text, intent)
    assert answer.kind == "broad" and answer.facts[0] == first
    assert len(answer.rendered()) <= BROAD_REPLY
    topic = knowledge.fact(first).topic
    assert answer.buttons
    if len(answer.facts) < len(knowledge.topic_facts(topic)):
        assert any(b["title"].startswith("Everything about") for b in answer.buttons)


def test_what_a_category_needs_is_a_short_overview_with_the_full_section_one_click_away(book, knowledge):
    answer = ask(book, "what do i need for the infant family specialist?", "ask_requirements",
                 [entity("category", "infant family specialist")])
    assert answer.kind == "broad" and len(answer.rendered()) <= BROAD_REPLY
    assert "at least 24 hours within 12–24 months" in answer.text
    full = click(book, next(b for b in answer.buttons if b["title"].startswith("Everything about")))
    for row in knowledge.requirements("IFS", phase="initial", in_force_only=True):
        assert row.text in full.text


# Buttons -------------------------------------------------------------------------------------------------------------
def test_every_button_works_when_clicked(book):
    answers = [ask(book, "is the exam online?", "ask_exam"),
               ask(book, "how many rs/c hours for IFS", "ask_rsc", [entity("category", "IFS")]),
               ask(book, "what is the renewal fee in arizona", "ask_fees", [entity("region", "arizona")]),
               ask(book, "what is an IFRS", "ask_category_overview", [entity("category", "IFRS")]),
               ask(book, "tell me about renewal", "ask_renewal"),
               ask(book, "what categories are there", "ask_categories_list")]
    for answer in answers:
        assert answer.buttons, answer.text
        for button in answer.buttons:
            if button["payload"].startswith("/check_qualifications"):
                continue
            clicked = click(book, button, answer.context)
            assert clicked.kind != "none" and clicked.text.strip(), button


def test_a_related_question_button_answers_that_row(book, knowledge):
    answer = ask(book, "is the exam online?", "ask_exam")
    related = [b for b in answer.buttons if '"fact"' in b["payload"]]
    assert 2 <= len(related) <= 3
    fact_id = json.loads(PAYLOAD.match(related[0]["payload"]).group("entities"))["fact"]
    assert click(book, related[0]).facts == [fact_id]


def test_more_about_a_topic_gives_its_overview(book):
    answer = ask(book, "is the exam online?", "ask_exam")
    more = answer.buttons[0]
    assert more["title"] == "More about the exam"
    overview = click(book, more)
    assert overview.kind == "broad" and overview.facts[0] == "exam.parts"


# Follow-ups -----------------------------------------------------------------------------------------------------------
def test_follow_ups_keep_the_question_and_change_the_category(book, knowledge):
    first = ask(book, "how many rs/c hours for the infant family specialist?", "ask_rsc",
                [entity("category", "infant family specialist")])
    assert first.facts == ["IFS.initial.rsc_hours"]
    mentor = ask(book, "and for the mentor?", "inform_category", [entity("category", "mentor")], first.context)
    assert mentor.facts[0] == "IMHM-C.initial.rsc_hours"
    assert set(mentor.facts) <= {"IMHM-C.initial.rsc_hours", "IMHM-P.initial.rsc_hours", "IMHM-RF.initial.rsc_hours"}
    early = ask(book, "and the early childhood one?", "ask_other_age_band", [entity("age_band", "early childhood")],
                mentor.context)
    assert early.facts[0] == "ECMHM-C.initial.rsc_hours"
    assert early.context.age_band == "early_childhood"


def test_a_new_topic_keeps_the_category_of_the_conversation(book):
    first = ask(book, "what do i need for IFS", "ask_requirements", [entity("category", "IFS")])
    renewal = ask(book, "what about renewal?", "ask_renewal", context=first.context)
    assert renewal.facts and all(fact.startswith("IFS.renewal.") for fact in renewal.facts)


def test_a_follow_up_naming_another_state_asks_the_same_question_there(book):
    first = ask(book, "how much does endorsement cost in new york", "ask_fees", [entity("region", "new york")])
    assert first.facts and all(".NYS-AIMH." in fact for fact in first.facts if fact.startswith("fee."))
    for text, intent in (("and in michigan?", "nlu_fallback"), ("what about the state of michigan", "ask_fees")):
        again = ask(book, text, intent, [entity("region", "michigan")], first.context, confidence=0.3)
        assert again.facts and all(".MI-AIMH." in fact for fact in again.facts), (text, again.facts)
        assert book.answer_unclassified(Message(text, "nlu_fallback", 0.3, [entity("region", "michigan")]),
                                        first.context).facts == again.facts
    # More than a place is a new question, not this follow-up.
    other = ask(book, "is there an exam in michigan?", "ask_exam", [entity("region", "michigan")], first.context)
    assert not any(fact.startswith("fee.") for fact in other.facts)


@pytest.mark.parametrize("code", ["IFA", "IMHS", "ECFA", "ECMHS"])
def test_requirements_that_are_alternatives_are_shown_as_one_either_or_line(book, knowledge, code):
    """IFA needs a degree OR two years of work; IMHS a master's OR a license: never both as separate musts."""
    rows = [r for r in knowledge.requirements(code, phase="initial") if r.alternative and book.figure(r)]
    assert len(rows) == 2
    overview = ask(book, f"what do I need for {code}", "ask_requirements", [entity("category", code)]).text.lower()
    lines = [line for line in overview.splitlines() if line.startswith("- ")]
    for row in rows:
        holding = [line for line in lines if book.measure_label(row) in line.split(":")[0]]
        assert len(holding) == 1 and " or " in holding[0].split(":")[0] and ", or " in holding[0], overview
    comparison = book.compare([code, "IFS"], Context()).text
    either_or = [line for line in comparison.splitlines() for pair in (rows, rows[::-1])
                 if ", or ".join(book.alternative_figure(r) for r in pair) in line]
    assert len(either_or) == 1
    assert not any(f"{code} {book.figure(r)}" in line for line in comparison.splitlines() if line not in either_or
                   for r in rows)


def test_it_in_a_follow_up_stands_for_the_topic_of_the_last_answer(book):
    exam = ask(book, "can i retake the exam if i fail", "ask_exam")
    assert exam.facts[0].startswith("exam.")
    assert ask(book, "how much does it cost?", "ask_fees", context=exam.context).facts[0] == "exam.fee"
    # without "it" the question stands on its own
    assert ask(book, "how much does endorsement cost?", "ask_fees", context=exam.context).facts[0] != "exam.fee"
    oregon = ask(book, "i live in oregon, who do i contact", "ask_associations", [entity("region", "oregon")])
    assert ask(book, "what does it cost there?", "ask_fees", context=oregon.context).text.startswith(
        "I have no fees listed for ORIMHA. ")


def test_my_reflective_supervisor_is_a_person_not_the_category(book, knowledge):
    mention = book.reader.read("does my reflective supervisor have to be endorsed?",
                               [entity("category", "reflective supervisor")], None)
    assert mention.categories == []
    assert book.reader.read("how do I become a reflective supervisor?",
                            [entity("category", "reflective supervisor")], None).categories == ["IFRS"]
    answer = ask(book, "can my clinical supervisor count as my reflective supervisor if she isn't endorsed?",
                 "ask_rsc_provider", [entity("category", "reflective supervisor")])
    assert answer.facts and all(fact.startswith("rsc.") for fact in answer.facts), answer.facts
    assert "rsc.peer-supervision" not in answer.facts[:1]
    assert book.reader.read("where can i find a reflective supervisor?",
                            [entity("category", "reflective supervisor")], None).categories == []


def test_a_degree_is_not_read_as_the_category_of_the_same_name(book):
    text = "is an associate's degree enough for IFS?"
    start = text.index("associate's degree")
    degree = {"entity": "degree", "value": "associate's degree", "start": start, "end": start + 18}
    assert book.reader.read(text, [degree, entity("category", "IFS")], None).categories == ["IFS"]
    assert book.reader.read("what about with just an associate's", [entity("degree", "associate's")],
                            None).categories == []


@pytest.mark.parametrize("text, degree, category, verdict", [
    ("is a GED ok for IMHS", "GED", "IMHS",
     "High school diploma or GED: below this education rule, which asks for a master's degree. "
     "It also names another way to qualify."),
    ("does a bachelors count for IFS", "bachelors", "IFS", "Bachelor's degree: enough for this education rule."),
    ("can i get IFA with a high school diploma", "high school diploma", "IFA",
     "High school diploma or GED: below this education rule, which asks for a CDA or any degree. "
     "It also names another way to qualify."),
])
def test_an_education_answer_says_whether_the_degree_named_reaches_it(book, text, degree, category, verdict):
    answer = ask(book, text, "ask_education", [entity("degree", degree), entity("category", category)])
    assert answer.facts[0] == f"{category}.initial.degree_level"
    assert answer.text.startswith(verdict + "\n")


@pytest.mark.parametrize("text, category", [
    ("can a teacher become an ECFS", "ECFS"), ("could a social worker get IMHS?", "IMHS"),
    ("are home visitors eligible for IFS", "IFS"),
])
def test_whether_a_profession_can_earn_a_category_is_answered_with_its_education_rule(book, text, category):
    answer = ask(book, text, "ask_education", [entity("category", category)])
    assert answer.facts[0] == f"{category}.initial.degree_level", answer.ranking[:3]


def test_for_which_categories_after_an_answer_asks_the_same_question_of_every_category(book):
    exam = ask(book, "is there an exam for IMHS?", "ask_exam", [entity("category", "IMHS")])
    assert ask(book, "for which categories then?", "ask_categories_list", context=exam.context).facts[0] == \
        "exam.who-takes"
    rsc = ask(book, "do i need rsc for IFA", "ask_rsc", [entity("category", "IFA")])
    answer = ask(book, "for which categories?", "ask_categories_list", context=rsc.context)
    assert answer.facts[:2] == ["rsc.family-associates", "rsc.family-specialists"]
    assert ask(book, "what are the categories", "ask_categories_list").kind == "list"


def test_hours_of_rsc_given_are_not_mixed_up_with_hours_received(book):
    answer = ask(book, "how much rsc do I have to give to be an ECFRS", "ask_rsc", [entity("category", "ECFRS")])
    assert answer.facts[0] == "ECFRS.initial.rsc_given_amount" and "not published" in answer.text


def test_a_degree_asked_about_after_an_education_answer_is_checked_against_that_category(book):
    first = ask(book, "do i need a masters for IMHS", "ask_education",
                [entity("degree", "masters"), entity("category", "IMHS")])
    answer = ask(book, "what about with a GED", "ask_education", [entity("degree", "GED")], first.context)
    assert answer.kind == "specific" and answer.facts[0] == "IMHS.initial.degree_level"
    assert answer.text.startswith("High school diploma or GED: below this education rule")


# Wording -------------------------------------------------------------------------------------------------------------
def test_number_agreement():
    assert plural(1, "year") == "1 year"
    assert plural(2, "year") == "2 years"
    assert plural(1.5, "year") == "1.5 years"
    assert plural(1, "family", "families") == "1 family"


def test_no_reply_repeats_a_line_or_is_empty(book, knowledge):
    for fact in knowledge.facts():
        answer = book.answer(Message(f'/ask_exam{{"fact":"{fact.id}"}}', "ask_exam", 1.0,
                                     [entity("fact", fact.id)]), Context())
        lines = [line for line in answer.rendered().splitlines() if line.strip()]
        assert lines and len(lines) == len(set(lines)), answer.rendered()
    for topic in TOPIC_LABELS:
        answer = book.answer(Message(f'/ask_exam{{"section":"{topic}"}}', "ask_exam", 1.0,
                                     [entity("section", topic)]), Context())
        assert answer.text.strip() and len(answer.rendered()) <= BROAD_REPLY
    assert join_lines(["a", "b", "a"]) == "a\nb"


def test_a_question_with_no_matching_row_is_not_answered_with_a_guess(book):
    answer = ask(book, "blorp zibble frobnicate", "ask_exam", confidence=0.4)
    assert answer.text.strip()
    assert answer.kind == "none" and not answer.facts


# Routes ---------------------------------------------------------------------------------------------------------------
def test_the_answer_rules_are_written_from_the_routes():
    assert RULES_FILE.read_text(encoding="utf-8") == rules_yaml(), \
        "data/rules/answers.yml is stale: run `python -m actions.answering.routes`"


def test_every_answer_intent_is_in_the_domain_and_has_training_examples():
    intents = set(DOMAIN["intents"])
    assert set(ANSWER_INTENTS) <= intents
    trained = set()
    for path in Path(PROJECT_ROOT / "data" / "nlu").glob("*.yml"):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            if "intent" in item:
                trained.add(item["intent"])
    assert set(ANSWER_INTENTS) <= trained
    assert all(route.topics or route.kinds or route.special or route.cards or route.fees
               for route in ROUTES.values())


def test_more_about_typed_gives_the_section_then_all_of_it(book, knowledge):
    first = ask(book, "what's renewal like?", "ask_renewal")
    more = ask(book, "more about renewal", "ask_renewal", context=first.context)
    section = [fact.id for fact in knowledge.topic_facts("renewal")]
    assert more.facts == section[:len(more.facts)] and len(more.facts) > 1
    everything = ask(book, "more about renewal", "ask_renewal", context=more.context)
    assert everything.kind == "full" and everything.facts == section
    card = ask(book, "tell me more about IFS", "ask_requirements", entities=[entity("category", "IFS")])
    assert card.facts and all(fact.startswith("IFS.initial.") for fact in card.facts)


def test_two_rows_that_say_the_same_thing_are_shown_once(book, knowledge):
    answer = ask(book, "do I need to be licensed for imhs", "ask_education", [entity("category", "IMHS")])
    text = answer.rendered()
    said = [fact_id for fact_id in ("IMHS.initial.degree_level", "IMHS.initial.mh_license")
            if knowledge.fact(fact_id).text in text]
    assert len(said) == 1, text


def test_a_place_or_association_with_nothing_listed_is_said_in_plain_words(book):
    canada = ask(book, "is there an association in canada", "ask_associations")
    assert canada.text.startswith("I have no infant mental health association listed for Canada. ")
    assert canada.facts == ["residency.outside-the-us-not-published"]   # a country, not a US state
    assert ask(book, "i live in wyoming, where do i apply", "ask_associations").facts == [
        "residency.no-association-in-state"]
    assert ask(book, "how much does it cost in texas", "ask_fees").text.startswith(
        "I have no fees listed for First3Years. ")

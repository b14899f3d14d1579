"""Reading stated qualifications, the way people state them."""
import pytest

from actions.profile_parser import to_number


@pytest.fixture(scope="module")
def parser(profile_parser):
    return profile_parser


@pytest.mark.parametrize("text, facts", [
    ("I have an MSW", {"degree_level": "master", "degree_field": "social work"}),
    ("BA in psych", {"degree_level": "bachelor", "degree_field": "psychology"}),
    ("a CDA", {"degree_level": "cda"}),
    ("a master's in counseling and I'm an LPC", {"degree_level": "master", "mh_license": True,
                                                 "degree_field": "counseling"}),
    ("3 years as a home visitor, about 15 families", {"work_years": 3, "families_served": 15}),
    ("40 hrs of training", {"training_hours": 40}),
    ("20 hours of reflective supervision with an IMH-E Mentor", {"rsc_hours": 20}),
    ("I work with preschoolers", {"age_band": "early_childhood"}),
    ("I supervise staff", {"role_supervisor": True}),
    ("I teach at a university", {"role_faculty": True}),
    ("two and a half years working in early head start", {"work_years": 2.5}),
    ("I get 2 hours of RS/C a month", {"rsc_hours_per_month": 2}),
    ("high-school diploma and no experience", {"work_years": 0}),
    ("no degree, just a high school diploma", {"degree_level": "high_school"}),
    ("PhD, teaching infant development for five years", {"degree_level": "doctorate", "faculty_years": 5,
                                                         "age_band": "infant"}),
    ("I'm a therapist doing child-parent psychotherapy for 3 yrs", {"clinical_work_years": 3, "work_years": 3,
                                                                    "role_clinical": True}),
    ("I've provided reflective supervision for 4 years", {"rsc_provided_years": 4, "provides_rsc": True}),
    ("18 months as an early interventionist", {"work_years": 1.5}),
])
def test_stated_facts(parser, text, facts):
    parsed = parser.parse(text).facts
    for key, value in facts.items():
        assert parsed.get(key) == value, (key, parsed)


def test_several_facts_in_one_message(parser):
    facts = parser.parse("I have a BSW, 3 years as a home visitor with babies, about 15 families, 40 hrs of "
                         "training and 20 hours of reflective supervision").facts
    assert {k: facts[k] for k in ("degree_level", "work_years", "families_served", "training_hours", "rsc_hours",
                                  "age_band")} == {"degree_level": "bachelor", "work_years": 3,
                                                   "families_served": 15, "training_hours": 40, "rsc_hours": 20,
                                                   "age_band": "infant"}


@pytest.mark.parametrize("text, problem", [
    ("-5 hours", "can't be negative"), ("400 years", "more than anyone could have"),
    ("a degree in pizza", "as a field of study"),
])
def test_nonsense_is_a_problem_not_a_fact(parser, text, problem):
    statement = parser.parse(text)
    assert any(problem in p for p in statement.problems) and not statement.facts


def test_bare_answers_corrections_and_dont_know(parser):
    assert parser.parse("about 20").bare_numbers == [20]
    assert parser.parse("none").bare_numbers == [0]
    correction = parser.parse("actually it's 4 years")
    assert correction.correction and correction.bare_years == [4]
    assert parser.parse("I don't know").dont_know and parser.parse("skip").skip
    assert parser.parse("yes I am").yes_no is True and parser.parse("no").yes_no is False


def test_numbers_in_words():
    assert [to_number(t) for t in ("two and a half", "a", "twenty five", "one and a half", "12")] == [
        2.5, 1, 25, 1.5, 12]

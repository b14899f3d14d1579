"""Reading stated qualifications the way people state them: one fact at a time, and the hard cases."""
import pytest

from actions.qualification.parser import to_number


@pytest.fixture(scope="module")
def parse(profile_parser):
    return lambda text: profile_parser.parse(text)


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
    ("two and a half years working in early head start", {"work_years": 2.5, "age_band": "infant"}),
    ("I get 2 hours of RS/C a month", {"rsc_hours_per_month": 2}),
    ("I get 1 hr/week of RS/C and I work part time", {"rsc_hours_per_month": 4.3, "work_years_per_year": 0.5}),
    ("high-school diploma and no experience", {"work_years": 0, "degree_level": "high_school"}),
    ("PhD, teaching infant development at a university for five years", {"degree_level": "doctorate",
                                                                          "faculty_years": 5}),
    ("I'm a therapist doing child-parent psychotherapy for 3 yrs", {"clinical_work_years": 3, "work_years": 3}),
    ("I've provided reflective supervision for 4 years", {"rsc_provided_years": 4, "provides_rsc": True}),
    ("18 months as an early interventionist", {"work_years": 1.5}),
    ("I have 60 hours of training, 15 of them on providing reflective supervision and 3 on DEI",
     {"training_hours": 60, "rsc_training_hours": 15, "dei_hours": 3}),
    ("24 hours of RS/C spread over four years from a supervisor endorsed as an IMHS",
     {"rsc_hours": 24, "rsc_span_months": 48, "rsc_provider": "IMHS"}),
    ("MSW, 60 hrs RS/C over 18 months from an IMHM-C: do I qualify for IMHS?",
     {"rsc_hours": 60, "rsc_span_months": 18, "rsc_provider": "IMHM-C"}),
    ("never went to college but have 8 years as a doula with babies and their families",
     {"degree_level": "none", "work_years": 8}),
    ("I'm a licensed psychologist with a PhD, 10 years doing child-parent psychotherapy",
     {"mh_license": True, "degree_level": "doctorate", "clinical_work_years": 10}),
    ("I worked 3 years as a nanny before I finished my BA last may", {"work_years": 3,
                                                                      "work_years_before_degree": 3}),
    ("volunteered as a CASA for 2 years, 30 hrs training", {"volunteer_years": 2, "training_hours": 30}),
    ("we meet in a peer reflective consultation group, about 20 hours so far", {"peer_rsc_hours": 20}),
    ("MSW, not licensed yet", {"degree_level": "master", "mh_license": False}),
    ("I give reflective supervision to my staff, 4 years now", {"provides_rsc": True, "rsc_provided_years": 4}),
])
def test_stated_facts(parse, text, facts):
    parsed = parse(text).facts
    for key, value in facts.items():
        assert parsed.get(key) == value, (key, parsed)


@pytest.mark.parametrize("text, absent", [
    ("my supervisor is an LCSW and I have a BA in ECE", ["mh_license"]),
    ("I'm finishing my BA in May", ["degree_level"]),
    ("Can I be a mentor without a master's?", ["degree_level"]),
    ("I worked in marketing for ten years", ["work_years"]),
    ("I have 60 hours of training, 15 of them on providing reflective supervision", ["provides_rsc"]),
    ("My coworker has 3 years as a home visitor and a BA", ["work_years", "degree_level"]),
    ("I work with toddlers and preschoolers", ["age_band"]),
    ("do I need 50 hours of RS/C for IMHS?", ["rsc_hours"]),
    ("I have 30 hours of RS/C: can an IMHS give me the rest?", ["rsc_provider"]),
])
def test_what_is_not_the_persons_is_left_out(parse, text, absent):
    parsed = parse(text).facts
    assert not set(absent) & set(parsed), parsed


def test_contradictions_are_reported_not_resolved(parse):
    statement = parse("MSW, 1 year of work experience, 3 years of dyadic therapy with toddlers and parents")
    assert [c.measure for c in statement.conflicts] == ["work_years"]
    assert "work_years" not in statement.facts
    twice = parse("I have 20 hours of reflective supervision. I've had 30 hours of reflective supervision.")
    assert [(c.measure, c.values) for c in twice.conflicts] == [("rsc_hours", (20.0, 30.0))]


def test_a_correction_is_not_a_contradiction(parse):
    statement = parse("30 hours of RS/C, actually 34 hours of RS/C")
    assert not statement.conflicts and statement.facts["rsc_hours"] == 34


def test_nonsense_numbers_are_problems(parse):
    assert parse("-5 hours of training").problems
    assert parse("400000 hours of training").problems
    assert "families_served" not in parse("NaN families").facts


@pytest.mark.parametrize("text, value", [
    ("20", 20), ("1.5", 1.5), ("twenty five", 25), ("two and a half", 2.5), ("a dozen", 12), ("a couple of", 2),
    ("1 1/2", 1.5), ("nan", None), ("inf", None), ("pizza", None),
])
def test_numbers_in_words(text, value):
    assert to_number(text) == value

"""The check as a conversation without Rasa: answers, contradictions, which question comes next, what-ifs."""
import pytest

from actions.qualification.dialogue import (
    CONFIRMING,
    FULL,
    ROLES,
    SKIPPED,
    CheckState,
    assessment_of,
    describe_change,
    enough_for_a_verdict,
    merge,
    next_question,
    open_measures,
    wants_a_verdict,
    what_if_changes,
)


@pytest.fixture(scope="module")
def update(knowledge, profile_parser):
    return lambda profile, text, asking=None: merge(knowledge, profile_parser, profile, text, asking)


def test_a_short_answer_goes_to_the_question_asked(update):
    assert update({}, "20", "training_hours").profile["training_hours"] == 20
    assert update({}, "three years", "work_years").profile["work_years"] == 3
    assert update({}, "yes", "mh_license").profile["mh_license"] is True
    assert update({}, "an endorsed IMHM-C", "rsc_provider").profile["rsc_provider"] == "IMHM-C"
    assert update({}, "a peer group", "rsc_provider").profile["rsc_provider"] == "peer"
    assert update({}, "I don't know", "families_served").profile["families_served"] == SKIPPED


def test_an_answer_about_rsc_keeps_its_span_and_provider(update):
    profile = update({}, "55 hours over 20 months", "rsc_hours").profile
    assert (profile["rsc_hours"], profile["rsc_span_months"]) == (55, 20)
    profile = update({}, "about 40 hours in the last year and a half from an IMHS", "rsc_hours").profile
    assert (profile["rsc_hours"], profile["rsc_span_months"], profile["rsc_provider"]) == (40, 18, "IMHS")
    assert update({}, "30 hours, 2 a month", "rsc_hours").profile["rsc_hours"] == 30


def test_none_to_the_roles_question_rules_out_every_leadership_kind(update):
    profile = update({}, "none", ROLES).profile
    assert profile["provides_rsc"] is False
    assert profile["leadership_years"] == profile["policy_leadership_years"] == profile["faculty_years"] == 0


def test_facts_beyond_the_question_are_kept(update):
    profile = update({}, "about 40 hours, and I get 2 hours of RS/C a month", "training_hours").profile
    assert profile["training_hours"] == 40 and profile["rsc_hours_per_month"] == 2


def test_a_contradiction_is_asked_not_guessed(update):
    within = update({}, "1 year of work and 3 years of dyadic therapy with toddlers and parents")
    assert within.conflict.measure == "work_years" and "work_years" not in within.profile
    across = update({"training_hours": 40.0}, "I have 25 hours of training")
    assert across.conflict.measure == "training_hours" and across.profile["training_hours"] == 40
    corrected = update({"training_hours": 40.0}, "actually it's 25 hours of training")
    assert corrected.conflict is None and corrected.profile["training_hours"] == 25


def test_the_answer_to_the_conflict_question_settles_it(update):
    assert update({"work_years": 1.0}, "3", "work_years").profile["work_years"] == 3


def test_only_questions_that_could_change_the_verdict(knowledge, update):
    high_school = update({"age_band": "infant"}, "high school diploma, no experience, no training").profile
    asked = open_measures(knowledge, high_school, assessment_of(knowledge, high_school))
    assert not {"rsc_hours", "families_served", "clinical_work_years", ROLES} & set(asked)
    clinician = update({"age_band": "infant"}, "MSW, LCSW, 3 years of CPP, 60 hours of training, 55 hours of RS/C")
    asked = open_measures(knowledge, clinician.profile, assessment_of(knowledge, clinician.profile))
    assert asked[0] == "families_served" and "rsc_provider" in asked and "degree_level" not in asked


def test_the_first_question_is_the_age_band_then_the_data_order(knowledge):
    assert next_question(knowledge, {}, CheckState()) == "age_band"
    assert next_question(knowledge, {"age_band": "infant"}, CheckState()) == "degree_level"


def test_confirming_asks_at_most_two_deciding_questions(knowledge, update):
    profile = update({}, "BA in psych, 3 yrs home visiting babies, 15 families, 40 hrs training, 30 hrs of RS/C"
                         " over 18 months").profile
    assert enough_for_a_verdict(profile)
    state = CheckState(mode=CONFIRMING)
    assert next_question(knowledge, profile, state) == "rsc_provider"
    state.asked = ["rsc_provider", "families_served"]
    assert next_question(knowledge, profile, state) is None


def test_state_round_trips_through_a_slot():
    state = CheckState("rsc_hours", FULL, ["degree_level"], {"rsc_hours": 1}, ("work_years", (1.0, 3.0)))
    assert CheckState.from_slot(state.to_slot()) == state


def test_what_if_adds_or_replaces(knowledge, profile_parser):
    profile = {"degree_level": "bachelor", "rsc_hours": 20.0}
    assert what_if_changes(profile_parser, profile, "what if I get my master's?") == {"degree_level": "master"}
    assert what_if_changes(profile_parser, profile, "what if she gets 24 more RS/C hours")["rsc_hours"] == 44
    assert what_if_changes(profile_parser, profile, "what if I had 30 hours of reflective supervision") == {
        "rsc_hours": 30}
    assert describe_change(knowledge, "degree_level", "master") == "you earned a master's degree"


def test_a_what_if_with_bare_hours_means_the_hours_still_missing(knowledge, profile_parser):
    from actions.qualification.dialogue import gap_measures

    profile = {"age_band": "infant", "degree_level": "bachelor", "work_years": 3.0, "families_served": 14.0,
               "training_hours": 45.0, "rsc_hours": 21.0, "rsc_span_months": 13.0, "rsc_provider": "IMHM-C"}
    gaps = gap_measures(assessment_of(knowledge, profile))
    assert gaps[0] == "rsc_hours"
    assert what_if_changes(profile_parser, profile, "what if I had 24 hours?", gaps) == {"rsc_hours": 24}
    assert what_if_changes(profile_parser, profile, "what if I had 24 hours?") == {}


def test_clinical_years_within_the_years_of_work_stated_are_no_contradiction(update):
    result = update({"work_years": 3.0}, "and also 2 years of clinical work")
    assert result.conflict is None and result.profile["work_years"] == 3 and result.profile["clinical_work_years"] == 2
    assert update({"work_years": 1.0}, "3 years of dyadic therapy").conflict is not None


@pytest.mark.parametrize("text, verdict", [
    ("BA ECE, 1 yr as a family advocate at a preschool (kids 3-5), 9 families. 40 training hrs, 24 hrs RS/C over 12 "
     "months with an ECMHS. what do I still need for ECFS?", True),
    ("I'm a home visitor with a BA in child and family studies, 2 years in, 14 families, 30 hours of training. I'm "
     "planning when I'd be ready and what I still need.", True),
    # a rule asked with a condition, not where the person stands
    ("my masters is in counseling and im an LPC, do i still need 50 rsc hours for imhs", False),
])
def test_a_verdict_is_wanted_for_where_one_stands_not_for_a_rule(profile_parser, text, verdict):
    assert wants_a_verdict(profile_parser, text) is verdict

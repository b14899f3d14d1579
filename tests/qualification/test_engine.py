"""The eligibility engine against verdicts worked out from the fact sheet, and the invariants it must keep."""
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from actions.knowledge.vocabulary import DEGREE_LEVELS
from actions.qualification.engine import Profile, Status, assess

PROFILES = yaml.safe_load((Path(__file__).parents[1] / "data" / "verdict_profiles.yml").read_text(encoding="utf-8"))


def test_there_are_enough_profiles_for_every_category():
    assert len(PROFILES) >= 60
    best = {case["expect"]["best_fit"] for case in PROFILES}
    assert {"IFA", "IFS", "IFRS", "IMHS", "IMHM-C", "IMHM-P", "IMHM-RF", "ECFA", "ECFS", "ECFRS", "ECMHS", "ECMHM-C",
            "ECMHM-P", "ECMHM-RF"} <= best


@pytest.mark.parametrize("case", PROFILES, ids=[case["id"] for case in PROFILES])
def test_verdict_per_requirement(knowledge, case):
    assessment = assess(knowledge, Profile(case["facts"]), case["band"])
    expected = case["expect"]
    assert (assessment.best_fit, assessment.confirm, assessment.next_within_reach) == (
        expected.get("best_fit"), expected.get("confirm"), expected.get("next")), case["why"]
    for code, spec in expected["categories"].items():
        result = assessment.result(code)
        assert result.status.value == spec["status"], (code, case["why"])
        lines = {line.key: line.status.value for line in result.lines}
        for key, status in (spec.get("requirements") or {}).items():
            assert lines[key] == status, (code, key, case["why"])


def check(knowledge, facts, code, key, band="infant"):
    return next(line for line in assess(knowledge, Profile(facts), band).result(code).lines if line.key == key)


def test_the_gap_comes_from_the_requirement_row(knowledge):
    (row,) = knowledge.requirements("IFS", phase="initial", kind="rsc", in_force_only=True)
    line = check(knowledge, {"degree_level": "bachelor", "rsc_hours": 20, "rsc_provider": "IFRS"}, "IFS", "rsc_hours")
    assert (line.status, line.have, line.need, line.gap.amount) == (Status.NOT_MET, 20, row.amount, row.amount - 20)
    assert line.source_url == row.source_url


def test_what_follows_from_a_stated_degree(knowledge):
    bachelor = {"degree_level": "bachelor", "clinical_work_years": 3, "rsc_hours": 60}
    assert check(knowledge, bachelor, "IMHS", "master_or_license").status == Status.NOT_MET
    assert check(knowledge, bachelor, "IMHS", "clinical_work_years").status == Status.NOT_MET
    assert check(knowledge, {**bachelor, "mh_license": True}, "IMHS", "master_or_license").status == Status.MET
    assert check(knowledge, {"rsc_hours": 60}, "IMHS", "master_or_license").status == Status.UNKNOWN


def test_rsc_provider_span_and_peer_hours(knowledge):
    base = {"degree_level": "bachelor", "rsc_hours": 30}
    assert check(knowledge, base, "IFS", "rsc_hours").status == Status.UNKNOWN
    assert check(knowledge, {**base, "rsc_provider": "IMHS"}, "IFS", "rsc_hours").status == Status.MET
    assert check(knowledge, {**base, "rsc_provider": "not_endorsed"}, "IFS", "rsc_hours").status == Status.NOT_MET
    assert check(knowledge, {**base, "rsc_provider": "peer"}, "IFS", "rsc_hours").status == Status.NOT_MET
    spread = check(knowledge, {**base, "rsc_provider": "IMHS", "rsc_span_months": 48}, "IFS", "rsc_hours")
    assert (spread.status, spread.have) == (Status.NOT_MET, 15)
    short = check(knowledge, {**base, "rsc_provider": "IMHS", "rsc_span_months": 6}, "IFS", "rsc_hours")
    assert short.status == Status.NOT_MET and short.gap.months == 6


def test_paid_work_after_the_degree(knowledge):
    facts = {"degree_level": "bachelor", "work_years": 3, "work_years_before_degree": 2}
    assert check(knowledge, facts, "IFS", "work_years").have == 1
    volunteer = {"degree_level": "high_school", "work_years": 1, "volunteer_years": 1.5}
    assert check(knowledge, volunteer, "IFA", "education_or_work").status == Status.MET
    assert check(knowledge, {**volunteer, "degree_level": "bachelor"}, "IFS", "work_years").status == Status.NOT_MET


def test_next_within_reach_by_distance_not_by_count(knowledge):
    nearly_ifrs = {"degree_level": "bachelor", "work_years": 1.5, "families_served": 12, "training_hours": 45,
                   "rsc_training_hours": 15, "dei_hours": 3, "rsc_hours": 30, "rsc_provider": "IMHS",
                   "provides_rsc": True, "leadership_years": 1, "rsc_provided_years": 1}
    assessment = assess(knowledge, Profile({**nearly_ifrs, "work_years": 2.5}), "infant")
    assert assessment.best_fit == "IFS" and assessment.next_within_reach == "IFRS"
    home_visitor = assess(knowledge, Profile({"degree_level": "bachelor", "work_years": 1, "families_served": 12,
                                              "training_hours": 40, "rsc_hours": 10}), "infant")
    assert home_visitor.next_within_reach == "IFS"
    doula = assess(knowledge, Profile({"degree_level": "none", "work_years": 3, "training_hours": 40,
                                       "provides_rsc": False}), "infant")
    assert doula.best_fit == "IFA" and doula.next_within_reach is None


fact = st.one_of(st.none(), st.floats(min_value=0, max_value=120, allow_nan=False))
profiles = st.fixed_dictionaries({
    "degree_level": st.one_of(st.none(), st.sampled_from(DEGREE_LEVELS)),
    "mh_license": st.one_of(st.none(), st.booleans()),
    "provides_rsc": st.one_of(st.none(), st.booleans()),
    "rsc_provider": st.one_of(st.none(), st.sampled_from(["IMHS", "IFRS", "IMHM-C", "not_endorsed", "endorsed"])),
    **{name: fact for name in ("work_years", "volunteer_years", "clinical_work_years", "families_served",
                               "training_hours", "rsc_hours", "rsc_training_hours", "dei_hours", "rsc_provided_years",
                               "leadership_years", "policy_leadership_years", "faculty_years")},
})
STATED_AS = {"work_years": ("work_years", "volunteer_years")}  # volunteer work counts for the Family Associate
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(facts=profiles, band=st.sampled_from(["infant", "early_childhood"]))
def test_an_unknown_is_never_met_and_never_a_fit(knowledge, facts, band):
    facts = {k: v for k, v in facts.items() if v is not None}
    assessment = assess(knowledge, Profile(facts), band)
    for result in assessment.results:
        for line in result.lines:
            keys = [member.key for member in line.members] or [line.key]
            said = [fact for key in keys for fact in STATED_AS.get(key, (key,))]
            if not any(fact in facts for fact in said):
                assert line.status != Status.MET, (result.code, line.key)
    if assessment.best_fit:
        assert all(line.status == Status.MET for line in assessment.result(assessment.best_fit).lines)
    if assessment.confirm:
        assert assessment.result(assessment.confirm).defining_met


@SETTINGS
@given(facts=profiles, band=st.sampled_from(["infant", "early_childhood"]),
       measure=st.sampled_from(["work_years", "training_hours", "rsc_hours", "families_served", "clinical_work_years"]),
       more=st.floats(min_value=0.5, max_value=50))
def test_more_is_never_worse(knowledge, facts, band, measure, more):
    facts = {k: v for k, v in facts.items() if v is not None}
    before = assess(knowledge, Profile(facts), band)
    after = assess(knowledge, Profile({**facts, measure: (facts.get(measure) or 0) + more}), band)
    for old, new in zip(before.results, after.results):
        if old.status == Status.MET:
            assert new.status == Status.MET, (old.code, measure)


def test_a_gap_from_rsc_that_does_not_count_says_why(knowledge):
    from actions.qualification.dialogue import assessment_of, for_engine
    from actions.qualification.summary import verdict_text

    profile = {"degree_level": "master", "age_band": "infant", "work_years": 3.0, "clinical_work_years": 2.5,
               "families_served": 15.0, "training_hours": 60.0, "rsc_hours": 54.0, "rsc_provider": "IFRS",
               "rsc_span_months": 18.0}
    text = verdict_text(knowledge, assessment_of(knowledge, profile), for_engine(profile), "IMHS", (),
                        band_assumed=False)
    assert "(you have 0 of 50): only RS/C from a provider endorsed as IMHS or IMHM-C counts" in text

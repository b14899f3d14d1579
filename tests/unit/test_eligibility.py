"""The eligibility engine on the real knowledge base: statuses, gaps, best fit, plan, and its invariants."""
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from actions.eligibility import MET, NOT_MET, UNKNOWN, Profile, assess
from actions.knowledge.schema import DEGREE_LEVELS


def check(assessment, code, measure):
    return next(c for c in assessment.result(code).checks if c.measure == measure)


def test_exact_gaps_come_from_the_requirement_rows(sqlite_repository):
    profile = Profile({"degree_level": "bachelor", "work_years": 1, "families_served": 12, "training_hours": 40,
                       "rsc_hours": 20})
    result = assess(sqlite_repository, profile, "infant")
    (rsc_row,) = sqlite_repository.requirements("IFS", phase="initial", kind="rsc", in_force_only=True)
    rsc = check(result, "IFS", "rsc_hours")
    assert (rsc.status, rsc.have, rsc.need, rsc.gap) == (NOT_MET, 20, rsc_row.amount, rsc_row.amount - 20)
    assert rsc.source_url == rsc_row.source_url
    assert check(result, "IFS", "degree_level").status == MET
    assert check(result, "IMHS", "degree_level").status == UNKNOWN  # a license would also do: not stated yet
    without_license = assess(sqlite_repository, profile.with_facts(mh_license=False), "infant")
    assert check(without_license, "IMHS", "degree_level").status == NOT_MET


def test_unknown_is_reported_as_unknown(sqlite_repository):
    result = assess(sqlite_repository, Profile({"degree_level": "master"}), "infant")
    assert check(result, "IFS", "rsc_hours").status == UNKNOWN
    assert result.result("IFS").status == UNKNOWN


def test_alternatives_education_or_work(sqlite_repository):
    with_cda = assess(sqlite_repository, Profile({"degree_level": "cda", "training_hours": 35}), "infant")
    assert with_cda.result("IFA").status == MET
    assert check(with_cda, "IFA", "work_years").status.startswith(MET)
    nothing = assess(sqlite_repository, Profile({"degree_level": "high_school", "work_years": 0,
                                                 "training_hours": 0}), "infant")
    assert nothing.result("IFA").status == NOT_MET
    assert nothing.best_fit is None and nothing.next_within_reach == "IFA"
    assert any(step.text.startswith("Either:") for step in nothing.plan)


def test_best_fit_and_next_within_reach(sqlite_repository):
    profile = Profile({"degree_level": "bachelor", "work_years": 3, "families_served": 15, "training_hours": 60,
                       "rsc_hours": 30, "rsc_hours_per_month": 2})
    result = assess(sqlite_repository, profile, "infant")
    assert result.best_fit == "IFS" and result.best_fit_is_certain
    assert result.next_within_reach == "IMHS"
    assert any("master" in step.text for step in result.plan)


def test_pace_gives_months_to_close_a_gap(sqlite_repository):
    profile = Profile({"degree_level": "bachelor", "work_years": 3, "families_served": 15, "training_hours": 60,
                       "rsc_hours": 0, "rsc_hours_per_month": 2})
    result = assess(sqlite_repository, profile, "infant")
    need = check(result, "IFS", "rsc_hours").need
    assert result.best_fit == "IFA"
    step = next(s for s in result.plan if "RS/C hours received" in s.text)
    assert step.months == need / 2 and f"about {int(need / 2)} months" in step.text


def test_early_childhood_band_uses_its_own_categories(sqlite_repository):
    result = assess(sqlite_repository, Profile({"degree_level": "master"}), "early_childhood")
    assert {r.code for r in result.results} >= {"ECFA", "ECFS", "ECMHS", "ECMHM-C"}
    assert not any(r.code.startswith("I") for r in result.results)


def test_the_rule_in_force_is_named_when_it_changed(sqlite_repository):
    result = assess(sqlite_repository, Profile({"degree_level": "master"}), "infant")
    training = next(c for c in result.result("IMHM-C").checks if c.measure == "training_hours")
    assert "rule in force since 2024" in training.rule


def test_payload_is_a_checklist(sqlite_repository):
    payload = assess(sqlite_repository, Profile({"degree_level": "bachelor", "rsc_hours": 5}), "infant").payload()
    ifs = next(c for c in payload["categories"] if c["code"] == "IFS")
    rsc = next(r for r in ifs["requirements"] if r["measure"] == "rsc_hours")
    assert set(rsc) == {"requirement", "measure", "status", "have", "need", "unit", "rule", "source"}
    assert rsc["have"] == 5 and rsc["status"] == NOT_MET and rsc["source"].startswith("http")


NUMERIC = ("training_hours", "work_years", "clinical_work_years", "families_served", "rsc_hours",
           "rsc_provided_years", "leadership_years", "policy_leadership_years", "faculty_years",
           "rsc_training_hours", "dei_hours")
BOOLEAN = ("mh_license", "provides_rsc")
profiles = st.fixed_dictionaries({}, optional={
    **{m: st.floats(min_value=0, max_value=100, allow_nan=False) for m in NUMERIC},
    **{m: st.booleans() for m in BOOLEAN},
    "degree_level": st.sampled_from(DEGREE_LEVELS[1:]),
})
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def statuses(repository, facts, band):
    result = assess(repository, Profile(facts), band)
    return {(r.code, c.measure): c.status for r in result.results for c in r.checks}


@SETTINGS
@given(facts=profiles, band=st.sampled_from(["infant", "early_childhood"]), measure=st.sampled_from(NUMERIC),
       extra=st.floats(min_value=0.5, max_value=50))
def test_more_never_turns_met_into_unmet(sqlite_repository, facts, band, measure, extra):
    before = statuses(sqlite_repository, facts, band)
    more = {**facts, measure: (facts.get(measure) or 0) + extra}
    if "degree_level" in facts:
        higher = min(len(DEGREE_LEVELS) - 1, DEGREE_LEVELS.index(facts["degree_level"]) + 1)
        more["degree_level"] = DEGREE_LEVELS[higher]
    after = statuses(sqlite_repository, more, band)
    for key, status in before.items():
        if status.startswith(MET):
            assert after[key].startswith(MET), key


@SETTINGS
@given(facts=profiles, band=st.sampled_from(["infant", "early_childhood"]))
def test_unknown_never_becomes_met(sqlite_repository, facts, band):
    result = assess(sqlite_repository, Profile(facts), band)
    for category in result.results:
        for c in category.checks:
            if c.have is None and not c.alternative:
                assert c.status == UNKNOWN
        if category.status == MET:
            assert all(c.have is not None or c.alternative for c in category.checks)

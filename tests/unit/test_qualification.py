"""The check as a conversation: which questions remain, how answers and corrections update the profile."""
from actions.profile_parser import Statement
from actions.qualification import SKIPPED, apply_statement, questions_needed


def test_only_relevant_questions_are_asked():
    assert questions_needed({}) == ["p_age_band", "p_degree", "p_work_years", "p_training_hours"]
    bachelor = questions_needed({"degree_level": "bachelor", "work_years": 2})
    assert "p_families" in bachelor and "p_rsc_hours" in bachelor and "p_clinical_years" not in bachelor
    master = questions_needed({"degree_level": "master", "work_years": 3, "role_faculty": True})
    assert {"p_clinical_years", "p_leadership_years"} <= set(master)
    assert "p_license" in questions_needed({"degree_level": "bachelor", "role_clinical": True})


def test_bare_answer_goes_to_the_requested_item():
    update = apply_statement({}, Statement(bare_numbers=[20.0]), "p_rsc_hours")
    assert update.profile["rsc_hours"] == 20 and update.changed == ["rsc_hours"]


def test_facts_beyond_the_question_are_kept():
    update = apply_statement({}, Statement(facts={"work_years": 3.0, "training_hours": 40.0}), "p_degree")
    assert update.profile["work_years"] == 3 and update.profile["training_hours"] == 40
    assert "degree_level" not in update.profile


def test_a_correction_goes_to_the_years_said_last():
    profile = apply_statement({}, Statement(facts={"work_years": 3.0}), "p_work_years").profile
    corrected = apply_statement(profile, Statement(bare_years=[4.0], correction=True), "p_training_hours")
    assert corrected.profile["work_years"] == 4 and "training_hours" not in corrected.profile


def test_dont_know_and_skip_mark_the_item_unknown():
    assert apply_statement({}, Statement(dont_know=True), "p_families").profile["families_served"] == SKIPPED
    assert apply_statement({}, Statement(skip=True), "p_training_hours").profile["training_hours"] == SKIPPED


def test_nonsense_changes_nothing_and_reports_the_problem():
    update = apply_statement({"work_years": 2.0}, Statement(problems=["bad"]), "p_training_hours")
    assert update.problem == "bad" and update.profile == {"work_years": 2.0}


def test_leadership_years_go_to_the_kind_the_person_does():
    profile = {"degree_level": "doctorate", "role_faculty": True}
    update = apply_statement(profile, Statement(bare_years=[5.0]), "p_leadership_years")
    assert update.profile["faculty_years"] == 5 and update.profile["leadership_years"] == 5

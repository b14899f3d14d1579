"""Queries of the knowledge base, on SQLite and PostgreSQL."""
from actions.knowledge.schema import DEGREE_LEVELS


def test_every_category_resolves_from_its_code_name_and_former_name(repository):
    assert repository.resolve("category", "IFS") == "IFS"
    assert repository.resolve("category", "Infant Family Specialist") == "IFS"
    assert repository.resolve("category", "level II") == "IFS"
    assert repository.resolve("category", "ecmhs") == "ECMHS"
    assert repository.resolve("category", "level iv") == "IMHM"


def test_band_neutral_names_have_one_category_per_band(repository):
    assert repository.role_aliases()["mentor"] == ("IMHM", "ECMHM")


def test_structured_rsc_requirement(repository):
    (rsc,) = repository.requirements("IMHS", phase="initial", kind="rsc", in_force_only=True)
    assert (rsc.measure, rsc.operator, rsc.amount, rsc.unit) == ("rsc_hours", "min", 50, "hours")
    assert (rsc.timeframe_min_months, rsc.timeframe_max_months) == (12, 24)
    assert rsc.source_url.startswith("http")
    (ifs_rsc,) = repository.requirements("IFS", phase="initial", kind="rsc", in_force_only=True)
    assert ifs_rsc.amount == 24


def test_the_2025_exam_change_is_two_versions(repository):
    versions = repository.requirements("IMHS", phase="initial", kind="exam")
    current = [row for row in versions if row.in_force]
    old = [row for row in versions if not row.in_force]
    assert [row.operator for row in current] == ["not_required"]
    assert [row.operator for row in old] == ["required"] and old[0].effective_until == "2024-12-31"


def test_the_2024_mentor_training_change(repository):
    current = [row for row in repository.requirements("IMHM-C", phase="initial", kind="training", in_force_only=True)
               if row.measure == "training_hours"]
    assert [row.amount for row in current] == [48]


def test_education_levels_are_known_levels(repository):
    for category in repository.categories():
        for row in repository.requirements(category.code, kind="education"):
            assert row.degree_level is None or row.degree_level in DEGREE_LEVELS


def test_groups_have_designations_and_no_rows_of_their_own(repository):
    assert [c.code for c in repository.designations("IMHM")] == ["IMHM-C", "IMHM-P", "IMHM-RF"]
    assert repository.requirements("IMHM") == []


def test_every_category_has_initial_requirements_with_sources(repository):
    for category in repository.categories():
        if repository.designations(category.code):
            continue
        rows = repository.requirements(category.code, phase="initial")
        assert rows, category.code
        assert all(row.source_url.startswith("http") and row.text for row in rows)


def test_regions_by_name_code_or_alias(repository):
    assert repository.region("michigan").code == "MI"
    assert repository.region("AZ").name == "Arizona"
    assert repository.region("nys").code == "NY"
    assert repository.region("Montana").code == "MT"
    assert repository.region("Atlantis") is None


def test_associations_by_region(repository):
    assert "MI-AIMH" in [a.code for a in repository.associations_in_region("MI")]
    assert [a.region for a in repository.associations_in_region("AZ")] == ["Arizona"]
    assert repository.associations_in_region("MT") == []


def test_fees_and_topics(repository):
    fees = repository.fees("ALLIANCE")
    assert any(fee.fee_type == "exam" and fee.amount_usd == 200 for fee in fees)
    facts = repository.topic_facts("exam")
    assert [fact.seq for fact in facts] == sorted(fact.seq for fact in facts)
    assert len(repository.topic_facts("principles")) >= 1


def test_degrees_have_levels(repository):
    msw = repository.degree(repository.resolve("degree", "MSW"))
    assert msw.level == "master"
    assert repository.degree(repository.resolve("degree", "CDA")).level == "cda"

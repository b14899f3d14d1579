"""Queries of the knowledge base, on SQLite and PostgreSQL."""
from actions.knowledge.loader import whom_to_ask
from actions.knowledge.snapshot import Fee, Requirement
from actions.knowledge.vocabulary import DEGREE_LEVELS, OTHER_CONTACTS


def test_every_category_resolves_from_its_code_name_and_former_name(knowledge_both):
    assert knowledge_both.resolve("category", "IFS") == "IFS"
    assert knowledge_both.resolve("category", "Infant Family Specialist") == "IFS"
    assert knowledge_both.resolve("category", "level II") == "IFS"
    assert knowledge_both.resolve("category", "ecmhs") == "ECMHS"
    assert knowledge_both.resolve("category", "level iv") == "IMHM"


def test_band_neutral_names_have_one_category_per_band(knowledge_both):
    assert knowledge_both.role_aliases()["mentor"] == ("IMHM", "ECMHM")


def test_structured_rsc_requirement(knowledge_both):
    (rsc,) = knowledge_both.requirements("IMHS", phase="initial", kind="rsc", in_force_only=True)
    assert (rsc.measure, rsc.operator, rsc.amount, rsc.unit) == ("rsc_hours", "min", 50, "hours")
    assert (rsc.timeframe_min_months, rsc.timeframe_max_months) == (12, 24)
    assert rsc.source_url.startswith("http")
    (ifs_rsc,) = knowledge_both.requirements("IFS", phase="initial", kind="rsc", in_force_only=True)
    assert ifs_rsc.amount == 24


def test_the_2025_exam_change_is_two_versions(knowledge_both):
    versions = knowledge_both.requirements("IMHS", phase="initial", kind="exam")
    current = [row for row in versions if row.in_force]
    old = [row for row in versions if not row.in_force]
    assert [row.operator for row in current] == ["not_required"]
    assert [row.operator for row in old] == ["required"] and old[0].effective_until == "2024-12-31"


def test_the_2024_mentor_training_change(knowledge_both):
    rows = knowledge_both.requirements("IMHM-C", phase="initial", kind="training", in_force_only=True)
    current = [row for row in rows if row.measure == "training_hours"]
    assert [row.amount for row in current] == [48]


def test_education_levels_are_known_levels(knowledge_both):
    for category in knowledge_both.categories:
        for row in knowledge_both.requirements(category.code, kind="education"):
            assert row.degree_level is None or row.degree_level in DEGREE_LEVELS


def test_groups_have_designations_and_no_rows_of_their_own(knowledge_both):
    assert [c.code for c in knowledge_both.designations("IMHM")] == ["IMHM-C", "IMHM-P", "IMHM-RF"]
    assert knowledge_both.requirements("IMHM") == []


def test_every_category_has_initial_requirements_with_sources(knowledge_both):
    for category in knowledge_both.categories:
        if knowledge_both.designations(category.code):
            continue
        rows = knowledge_both.requirements(category.code, phase="initial")
        assert rows, category.code
        assert all(row.source_url.startswith("http") and row.text for row in rows)


def test_regions_by_name_code_or_alias(knowledge_both):
    assert knowledge_both.region("michigan").code == "MI"
    assert knowledge_both.region("AZ").name == "Arizona"
    assert knowledge_both.region("nys").code == "NY"
    assert knowledge_both.region("Montana").code == "MT"
    assert knowledge_both.region("Atlantis") is None


def test_associations_by_region(knowledge_both):
    assert "MI-AIMH" in [a.code for a in knowledge_both.associations_in_region("MI")]
    assert [a.region for a in knowledge_both.associations_in_region("AZ")] == ["Arizona"]
    assert knowledge_both.associations_in_region("MT") == []


def test_fees_and_topics(knowledge_both):
    fees = knowledge_both.fees("ALLIANCE")
    assert any(fee.fee_type == "exam" and fee.amount_usd == 200 for fee in fees)
    facts = knowledge_both.topic_facts("exam")
    assert [fact.seq for fact in facts] == sorted(fact.seq for fact in facts)
    assert len(knowledge_both.topic_facts("principles")) >= 1


def test_degrees_have_levels(knowledge_both):
    msw = knowledge_both.degree(knowledge_both.resolve("degree", "MSW"))
    assert msw.level == "master"
    assert knowledge_both.degree(knowledge_both.resolve("degree", "CDA")).level == "cda"


def test_facts_have_ids_keywords_and_status(knowledge_both):
    online = knowledge_both.fact("exam.online")
    assert (online.topic, online.status, online.published) == ("exam", "published", True)
    assert "questionmark" in online.keywords and all(keyword == keyword.strip() for keyword in online.keywords)
    assert knowledge_both.fact("IFS.initial.rsc_hours").keywords
    fee = knowledge_both.fact("fee.ITMHCA.processing.IFS")
    assert (fee.association, fee.category, fee.amount_usd) == ("ITMHCA", "IFS", 100)
    first_two = [f.id for f in knowledge_both.fees("ITMHCA")][:2]
    assert first_two == ["fee.ITMHCA.membership", "fee.ITMHCA.registration.IFA"]
    assert knowledge_both.fact("no.such.fact") is None


def test_ids_are_unique_across_all_files(knowledge_both):
    ids = ([fact.id for fact in knowledge_both.topic_rows] + [row.id for row in knowledge_both.requirement_rows]
           + [fee.id for fee in knowledge_both.fee_rows] + [a.code for a in knowledge_both.association_rows]
           + [c.code for c in knowledge_both.categories])
    assert len(ids) == len(set(ids))
    assert len(knowledge_both.facts()) == (len(knowledge_both.topic_rows) + len(knowledge_both.requirement_rows)
                                           + len(knowledge_both.fee_rows))


def test_every_not_published_row_says_so_and_names_whom_to_ask(knowledge_both):
    contacts = set(knowledge_both.aliases("association")) | set(OTHER_CONTACTS)
    missing = [fact for fact in knowledge_both.facts() if not fact.published]
    assert len(missing) >= 30
    for fact in missing:
        text = fact.note if isinstance(fact, Fee) else fact.text
        assert "not published" in text and whom_to_ask(text, contacts), fact.id
        if isinstance(fact, Requirement):
            assert fact.operator == "info" and fact.measure is None, fact.id
    for fact in knowledge_both.facts():
        if fact.published and not isinstance(fact, Fee):
            assert "not published" not in fact.text, fact.id


def test_the_items_the_sources_do_not_publish_are_rows(knowledge_both):
    expected = (
        "review.frs-emerging-length", "ERS.renewal.rules", "IMHM-C.initial.reference_raters",
        "ECMHM-RF.initial.reference_raters", "IFRS.initial.work_part2", "ECFRS.initial.work_part2",
        "IMHS.initial.training_hours.2025-not-published", "ECMHS.initial.reference_ratings.2025-not-published",
        "rsc.mental-health-specialist-2025-not-published", "fees-general.michigan-table-not-published",
        "fee.OK-AIMH.processing.IMHS", "fee.WA-AIMH.processing", "fee.INFANCY-ONWARD.registration",
        "fee.NYS-AIMH.membership", "fee.CT-AIMH.membership", "principles.weatherston-2000-not-published",
        "continuing-education.learn-replaced-conference", "IFRS.initial.rsc_provider", "ECFRS.renewal.rsc_hours",
        "competencies.research-evaluation",
    )
    for fact_id in expected:
        fact = knowledge_both.fact(fact_id)
        assert fact is not None and not fact.published, fact_id


def test_rows_say_only_what_the_fact_sheet_says(knowledge_both):
    # An endorsed rater is published for ECMHS (by CT-AIMH), not for IMHS.
    (imhs,) = [r for r in knowledge_both.requirements("IMHS", phase="initial", kind="references") if r.published]
    assert "endorsed" not in imhs.text
    (ecmhs,) = [r for r in knowledge_both.requirements("ECMHS", phase="initial", kind="references") if r.published]
    assert "CT-AIMH" in ecmhs.text
    # The Policy and Research/Faculty Mentors lead in policy or in teaching and research, not in clinical practice.
    (policy,) = knowledge_both.requirements("ECMHM-P", phase="initial", kind="leadership")
    (faculty,) = knowledge_both.requirements("ECMHM-RF", phase="initial", kind="leadership")
    assert "policy" in policy.text and "teaching" in faculty.text and "research" in faculty.text
    # Clinical Mentors owe 12 RS/C hours a year only in their first 3 years; the general renewal row says so.
    assert "first 3 years" in knowledge_both.fact("renewal.rsc-hours").text


def test_renewal_rows_for_every_category_and_texas_notes(knowledge_both):
    (membership,) = knowledge_both.requirements("ECFRS", phase="renewal", kind="membership")
    assert membership.published and membership.operator == "required"
    (ecmhs_providers,) = [row for row in knowledge_both.requirements("ECMHS", phase="renewal", kind="training")
                          if row.measure == "rsc_training_hours"]
    assert ecmhs_providers.amount == 3
    for code in ("IFS", "IMHS", "ECMHM-C"):
        (training,) = [row for row in knowledge_both.requirements(code, phase="renewal", kind="training")
                       if row.measure == "training_hours"]
        assert "45 training hours" in training.note and "[sic]" in training.note
    texas = knowledge_both.fact("renewal.texas-hours")
    assert all(figure in texas.text for figure in ("45", "36", "9"))
    assert knowledge_both.fact("training.mentors-2024").topic == "training"
    yearly = knowledge_both.topic_facts("renewal") + knowledge_both.topic_facts("continuing_education")
    assert not [fact.id for fact in yearly if "48" in fact.text]


def test_topic_seqs_are_unique_and_start_at_one(knowledge_both):
    for topic in {fact.topic for fact in knowledge_both.topic_rows}:
        seqs = [fact.seq for fact in knowledge_both.topic_facts(topic)]
        assert seqs == list(range(1, len(seqs) + 1)), topic

"""The qualification check as a conversation, without Rasa: which questions are still worth asking, how an answer
updates the stated profile, and the readable summary of an assessment."""
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence

from .eligibility import MET, QUALIFICATIONS, UNKNOWN, Assessment, Profile
from .knowledge.schema import degree_rank
from .profile_parser import Statement

SKIPPED = "unknown"
# Form slot -> the profile fact it asks for. Leadership is stored under the kinds the person's roles say.
SLOT_FACTS = {
    "p_age_band": "age_band", "p_degree": "degree_level", "p_license": "mh_license", "p_work_years": "work_years",
    "p_clinical_years": "clinical_work_years", "p_families": "families_served", "p_training_hours": "training_hours",
    "p_rsc_hours": "rsc_hours", "p_leadership_years": "leadership_years",
    "p_rsc_training_hours": "rsc_training_hours", "p_dei_hours": "dei_hours",
}
LEADERSHIP_FACTS = ("leadership_years", "faculty_years", "policy_leadership_years", "rsc_provided_years")
# What the form asks for each slot.
QUESTIONS = {
    "p_age_band": (
        "Let's check your background against each category. First: which ages do you work with (or want to "
        "work with) most: babies and toddlers under 3, or children 3 to 6?"),
    "p_degree": (
        "What is your highest degree or credential, and in what field? (For example a CDA, an associate's, a "
        "BA in psychology, an MSW, or no degree.)"),
    "p_license": (
        "Do you hold a professional mental health license (for example LCSW, LPC or LMFT)?"),
    "p_work_years": (
        "How many years of paid work have you done with young children and their families? (Supervised "
        "volunteer work with specialized training can count too.)"),
    "p_clinical_years": (
        "Of that work, how many years were relationship-based clinical work with a parent and young child "
        "together, such as parent-infant or child-parent psychotherapy, after your graduate degree? (Say none"
        " if none.)"),
    "p_families": (
        "About how many families with young children have you served in that work?"),
    "p_training_hours": (
        "How many hours of relationship-based training (workshops, in-service, courses, conferences) have you"
        " completed?"),
    "p_rsc_hours": (
        "How many hours of reflective supervision/consultation (RS/C) have you received, alone or in a group?"),
    "p_rsc_training_hours": (
        "Of your training hours, how many were about providing reflective supervision/consultation? (Say none"
        " if none.)"),
    "p_dei_hours": (
        "Of your training hours, how many were on diversity, equity and inclusion? (Say none if none.)"),
    "p_leadership_years": (
        "How many years have you worked in a leadership role of that kind (leading practice, giving RS/C, "
        "policy or program administration, or university teaching or research)?"),
}
YEAR_SLOTS = ("p_work_years", "p_clinical_years", "p_leadership_years")
HOUR_SLOTS = ("p_training_hours", "p_rsc_hours", "p_rsc_training_hours", "p_dei_hours")
BAND_NAMES = {"infant": "infant categories (pregnancy to 36 months)",
              "early_childhood": "early childhood categories (3 up to 6 years)"}


def known(profile: Dict, fact: str) -> bool:
    return profile.get(fact) is not None


def at_least(profile: Dict, level: str) -> bool:
    degree = profile.get("degree_level")
    return degree not in (None, SKIPPED) and degree_rank(degree) >= degree_rank(level)


def questions_needed(profile: Dict) -> List[str]:
    """The form slots worth asking, in order, given what is known; a skipped item counts as answered."""
    slots = ["p_age_band", "p_degree", "p_work_years"]
    if at_least(profile, "master") or profile.get("role_clinical") or profile.get("mh_license") is True:
        slots.append("p_clinical_years")
    if profile.get("role_clinical") and not at_least(profile, "master"):
        slots.append("p_license")
    if at_least(profile, "bachelor") and (profile.get("work_years") or 0) not in (0, SKIPPED):
        slots.append("p_families")
    slots.append("p_training_hours")
    if at_least(profile, "bachelor") or profile.get("provides_rsc"):
        slots.append("p_rsc_hours")
    leads = any(profile.get(flag) for flag in ("role_faculty", "role_policy", "role_supervisor", "provides_rsc"))
    if (at_least(profile, "master") and leads) or profile.get("provides_rsc"):
        slots.append("p_leadership_years")
    if profile.get("provides_rsc"):
        slots.append("p_rsc_training_hours")
    if profile.get("provides_rsc") or (at_least(profile, "master") and leads):
        slots.append("p_dei_hours")
    return slots


def _number(value) -> float:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 0.0


def slot_values(profile: Dict) -> Dict[str, object]:
    """The form slots as the profile fills them (None where the form still has to ask)."""
    values = {slot: profile.get(fact) for slot, fact in SLOT_FACTS.items()}
    values["p_leadership_years"] = next((profile[f] for f in LEADERSHIP_FACTS if profile.get(f) is not None), None)
    return values


@dataclass
class Update:
    profile: Dict
    changed: List[str] = field(default_factory=list)
    problem: Optional[str] = None


def apply_statement(profile: Dict, statement: Statement, requested: Optional[str]) -> Update:
    """Merge what one message says into the profile. Bare answers ("20", "none", "I don't know") go to the
    requested item; a bare correction ("actually it's 4 years") goes to the years item said last."""
    profile = dict(profile)
    facts = dict(statement.facts)
    if requested == "p_leadership_years":
        for kind in ("faculty_years", "policy_leadership_years", "rsc_provided_years"):
            if kind in facts and "leadership_years" not in facts:
                facts["leadership_years"] = facts[kind]
    target = requested
    if statement.correction and statement.bare_years and requested not in YEAR_SLOTS:
        target = profile.get("last_years_slot") or "p_work_years"
    bare = _bare_answer(statement, target)
    if target and SLOT_FACTS.get(target) not in facts:
        if statement.skip or statement.dont_know:
            facts[SLOT_FACTS[target]] = SKIPPED
        elif bare is not None:
            facts[SLOT_FACTS[target]] = bare
    if "leadership_years" in facts:
        for flag, kind in (("role_faculty", "faculty_years"), ("role_policy", "policy_leadership_years"),
                           ("provides_rsc", "rsc_provided_years")):
            if (profile.get(flag) or facts.get(flag)) and kind not in facts:
                facts[kind] = facts["leadership_years"]
    changed = [key for key, value in facts.items() if profile.get(key) != value]
    profile.update(facts)
    for slot in YEAR_SLOTS:
        if SLOT_FACTS[slot] in facts:
            profile["last_years_slot"] = slot
    return Update(profile, changed, statement.problems[0] if statement.problems else None)


def _bare_answer(statement: Statement, target: Optional[str]):
    if target in YEAR_SLOTS:
        values = statement.bare_years or statement.bare_numbers
    elif target in HOUR_SLOTS:
        values = statement.bare_hours or statement.bare_numbers
    elif target == "p_families":
        values = statement.bare_numbers
    elif target == "p_license":
        return statement.yes_no
    else:
        return None
    return values[-1] if values else None


def what_if_changes(profile: Dict, statement: Statement, text: str) -> Dict:
    """The facts a what-if question changes; "10 more hours" adds to what the person has."""
    changes = {key: value for key, value in statement.facts.items() if key in SLOT_FACTS.values()}
    if " more " in f" {text.lower()} ":
        for key, value in changes.items():
            current = profile.get(key)
            if isinstance(value, float) and isinstance(current, (int, float)) and not isinstance(current, bool):
                changes[key] = current + value
    return changes


def describe_change(fact: str, value) -> str:
    if fact == "degree_level":
        return f"you earned a {_fmt(value)} degree"
    if fact == "mh_license":
        return "you held a mental health license" if value else "you had no mental health license"
    if fact == "age_band":
        return f"you worked with the {_fmt(value)} age band"
    return f"you had {_fmt(value)} {QUALIFICATIONS.get(fact, fact.replace('_', ' '))}"


def profile_for_engine(profile: Dict) -> Profile:
    """Skipped items become unknown for the engine."""
    return Profile({key: value for key, value in profile.items() if value != SKIPPED})


# The summary ------------------------------------------------------------------------------------------------------
def _fmt(value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return f"{value:g}"
    return "not stated" if value is None else str(value).replace("_", " ")


def check_line(check) -> str:
    if check.status.startswith(MET):
        state = "met" if check.status == MET else "met through the alternative"
    elif check.status == UNKNOWN:
        state = "unknown (not stated)"
    else:
        state = "not met"
    if check.unit == "degree":
        detail = f"needs {_fmt(check.need)}, you have {_fmt(check.have)}"
    elif check.unit:
        detail = f"{_fmt(check.have)} of {_fmt(check.need)} {check.unit}" if check.have is not None \
            else f"needs {_fmt(check.need)} {check.unit}"
    else:
        detail = f"you: {_fmt(check.have)}"
    return f"{check.label[0].upper()}{check.label[1:]}: {state} ({detail})"


def summary(assessment: Assessment, names: Dict[str, str], what_if: Sequence[str] = ()) -> str:
    lines = []
    if what_if:
        lines.append("If " + " and ".join(what_if) + ":")
    lines.append(f"Checked against the {BAND_NAMES[assessment.age_band]}.")
    if assessment.best_fit:
        best = assessment.result(assessment.best_fit)
        if assessment.best_fit_is_certain:
            lines.append(f"Best fit now: {names[best.code]} ({best.code}). You meet every requirement I can check.")
        else:
            open_items = ", ".join(c.label for c in best.unknown)
            lines.append(f"Likely fit: {names[best.code]} ({best.code}), if these check out: {open_items}.")
    else:
        lines.append("You don't meet all the requirements of any category yet.")
    if assessment.next_within_reach:
        following = assessment.result(assessment.next_within_reach)
        lines.append(f"Next within reach: {names[following.code]} ({following.code}):")
        lines += [f"- {check_line(c)}" for c in following.checks if not c.status.startswith(MET)]
    if assessment.plan:
        lines.append("Plan:")
        lines += [f"{number}. {step.text}" for number, step in enumerate(assessment.plan, 1)]
        if not any(step.months for step in assessment.plan):
            lines.append("Tell me your pace (for example \"2 hours of RS/C a month\") and I'll estimate when each "
                         "gap closes.")
    overview = []
    for result in assessment.results:
        gaps = len(result.not_met)
        state = {MET: "met", UNKNOWN: "possible, some items unknown"}.get(
            result.status, f"{gaps} requirement{'s' if gaps != 1 else ''} not met")
        overview.append(f"{result.code} {state}")
    lines.append("All categories: " + "; ".join(overview) + ".")
    rules = _rules_used(assessment)
    if rules:
        lines.append("Rules used: " + " ".join(rules))
    lines.append("The checklist above is an estimate from what you told me; your association makes the decision. "
                 "Say \"start over\" to begin again, or \"what if I get my master's?\" to compare.")
    return "\n".join(lines)


def _rules_used(assessment: Assessment) -> List[str]:
    relevant = {code for code in (assessment.best_fit, assessment.next_within_reach) if code}
    notes: List[str] = []
    for result in assessment.results:
        if result.code not in relevant:
            continue
        for check in result.checks:
            if "since" in check.rule or ";" in check.rule:
                note = f"{result.code} {check.label}: {check.rule.rstrip('.')}."
                if note not in notes:
                    notes.append(note)
    return notes[:4]


def sources(assessment: Assessment) -> List[str]:
    urls: List[str] = []
    for result in assessment.results:
        if result.code in (assessment.best_fit, assessment.next_within_reach):
            for check in result.checks:
                if check.source_url not in urls:
                    urls.append(check.source_url)
    return urls


"""Check a person's stated qualifications against the structured requirement rows of the knowledge base.

Plain Python, no Rasa. Nothing here knows a category or a number: the rows say what is needed, the profile says
what the person has, and a fact the person has not stated is unknown, never met.
"""
import math
from dataclasses import asdict, dataclass, field
from typing import Dict, List, Mapping, Optional, Sequence, Union

from .knowledge.repository import Category, KnowledgeRepository, Requirement
from .knowledge.schema import degree_rank

MET, NOT_MET, UNKNOWN = "met", "not met", "unknown"
Value = Union[float, str, bool, None]

# Measures a person's background is compared with. The application steps (references, ethics, membership, exam)
# are done while applying, so they are listed as steps, not as gaps.
QUALIFICATIONS = {
    "degree_level": "education", "mh_license": "mental health license", "work_years": "years of work",
    "clinical_work_years": "years of clinical infant/early childhood mental health work",
    "families_served": "families served", "training_hours": "training hours",
    "rsc_training_hours": "training hours on providing RS/C", "dei_hours": "training hours on diversity, equity "
    "and inclusion", "rsc_hours": "RS/C hours received", "provides_rsc": "gives RS/C to others",
    "rsc_provided_years": "years giving RS/C", "leadership_years": "years of leadership",
    "policy_leadership_years": "years of policy or program leadership",
    "faculty_years": "years of university teaching or research",
}
APPLICATION_STEPS = ("reference_ratings", "ethics_signed", "membership", "exam_passed")
# Measures that grow with time at a pace a person can state, and the pace slot that drives each.
PACED = {"training_hours": "training_hours_per_month", "rsc_hours": "rsc_hours_per_month",
         "work_years": "work_years_per_year", "clinical_work_years": "work_years_per_year",
         "rsc_provided_years": "work_years_per_year", "leadership_years": "work_years_per_year",
         "policy_leadership_years": "work_years_per_year", "faculty_years": "work_years_per_year"}


@dataclass(frozen=True)
class Profile:
    """What a person said about themselves: measure -> value. Missing measures are unknown."""

    facts: Mapping[str, Value] = field(default_factory=dict)

    def get(self, measure: str) -> Value:
        return self.facts.get(measure)

    def with_facts(self, **changes: Value) -> "Profile":
        return Profile({**self.facts, **changes})


@dataclass
class Check:
    measure: str
    label: str
    status: str
    have: Value
    need: Value
    unit: Optional[str]
    text: str
    source_url: str
    rule: str
    alternative: Optional[str] = None

    @property
    def gap(self) -> Optional[float]:
        if self.status == NOT_MET and isinstance(self.need, (int, float)) and isinstance(self.have, (int, float)):
            return float(self.need) - float(self.have)
        return None


@dataclass
class CategoryResult:
    code: str
    name: str
    rank: int
    status: str
    checks: List[Check]
    steps: List[str]

    @property
    def not_met(self) -> List[Check]:
        return [c for c in self.checks if c.status == NOT_MET]

    @property
    def unknown(self) -> List[Check]:
        return [c for c in self.checks if c.status == UNKNOWN]

    @property
    def met_count(self) -> int:
        return sum(1 for c in self.checks if c.status == MET)

    @property
    def open_count(self) -> int:
        """How many requirements are not known to be met; a group of alternatives counts once."""
        open_checks = [c for c in self.checks if c.status in (NOT_MET, UNKNOWN)]
        return len({c.alternative or id(c) for c in open_checks})


@dataclass
class PlanStep:
    category: str
    text: str
    months: Optional[int]


@dataclass
class Assessment:
    age_band: str
    results: List[CategoryResult]
    best_fit: Optional[str]
    best_fit_is_certain: bool
    next_within_reach: Optional[str]
    plan: List[PlanStep]

    def result(self, code: str) -> CategoryResult:
        return next(r for r in self.results if r.code == code)

    def payload(self) -> Dict:
        """The checklist as JSON-ready data for a web page or an advisor's tool."""
        return {
            "age_band": self.age_band,
            "best_fit": self.best_fit,
            "best_fit_is_certain": self.best_fit_is_certain,
            "next_within_reach": self.next_within_reach,
            "categories": [{
                "code": r.code, "name": r.name, "status": r.status,
                "requirements": [{"requirement": c.label, "measure": c.measure, "status": c.status, "have": c.have,
                                  "need": c.need, "unit": c.unit, "rule": c.rule, "source": c.source_url}
                                 for c in r.checks],
                "application_steps": r.steps,
            } for r in self.results],
            "plan": [asdict(step) for step in self.plan],
        }


def rule_description(row: Requirement, history: Sequence[Requirement]) -> str:
    """Which version of a rule was used, in words: says so when an older version or a conflict exists."""
    parts = []
    if any(old.measure == row.measure and not old.in_force for old in history):
        parts.append(f"rule in force since {row.effective_from}")
    elif row.effective_from != "as published":
        parts.append(f"since {row.effective_from}")
    else:
        parts.append("as published")
    if row.note:
        parts.append(row.note)
    return "; ".join(parts)


def check_requirement(row: Requirement, profile: Profile, history: Sequence[Requirement]) -> Check:
    have = profile.get(row.measure)
    if row.unit == "degree":
        need: Value = row.degree_level
    elif row.operator == "min":
        need = row.amount
    else:
        need = True
    if have is None:
        status = UNKNOWN
    elif row.unit == "degree":
        status = MET if degree_rank(str(have)) >= degree_rank(row.degree_level) else NOT_MET
    elif row.operator == "min":
        status = MET if float(have) >= float(row.amount) else NOT_MET
    else:
        status = MET if have is True else NOT_MET
    return Check(row.measure, QUALIFICATIONS[row.measure], status, have, need, row.unit, row.text, row.source_url,
                 rule_description(row, history), row.alternative)


def combine_alternatives(checks: List[Check]) -> List[Check]:
    """Alternatives (education OR work) count as one requirement: met if any is met, unknown if none is met but
    one is unknown. The member checks stay in the list, each marked with the group's outcome where it decides."""
    groups: Dict[str, List[Check]] = {}
    for check in checks:
        if check.alternative:
            groups.setdefault(check.alternative, []).append(check)
    for members in groups.values():
        statuses = {c.status for c in members}
        outcome = MET if MET in statuses else UNKNOWN if UNKNOWN in statuses else NOT_MET
        for member in members:
            if outcome == MET and member.status != MET:
                member.status = f"{MET} by alternative"
            elif outcome == UNKNOWN and member.status == NOT_MET:
                member.status = UNKNOWN
    return checks


def evaluate_category(category: Category, rows: Sequence[Requirement], profile: Profile) -> CategoryResult:
    current = [row for row in rows if row.in_force and row.phase == "initial"]
    checks = combine_alternatives([check_requirement(row, profile, rows) for row in current
                                   if row.measure in QUALIFICATIONS and row.operator in ("min", "required")])
    steps = [row.text for row in current if row.measure in APPLICATION_STEPS and row.operator != "not_required"]
    statuses = {c.status for c in checks}
    status = NOT_MET if NOT_MET in statuses else UNKNOWN if UNKNOWN in statuses else MET
    return CategoryResult(category.code, category.name, category.rank, status, checks, steps)


def months_to_close(gap: float, measure: str, profile: Profile) -> Optional[int]:
    pace = profile.get(PACED.get(measure, ""))
    if not pace or float(pace) <= 0:
        return None
    if PACED[measure] == "work_years_per_year":
        return math.ceil(gap * 12 / float(pace))
    return math.ceil(gap / float(pace))


def step_for(code: str, check: Check, profile: Profile) -> PlanStep:
    if check.measure == "degree_level":
        return PlanStep(code, f"Earn at least a {describe(check.need)} degree or credential (you have: "
                              f"{describe(check.have)}).", None)
    gap = check.gap
    if gap is None:
        return PlanStep(code, f"Meet this: {check.text}", None)
    months = months_to_close(gap, check.measure, profile)
    when = f" At your pace, about {months} month{'s' if months != 1 else ''}." if months else ""
    return PlanStep(code, f"Gain {format_amount(gap)} more {check.label} (you have {format_amount(check.have)} of "
                          f"{format_amount(check.need)})." + when, months)


def plan_for(result: CategoryResult, profile: Profile) -> List[PlanStep]:
    steps: List[PlanStep] = []
    alternatives: Dict[str, List[PlanStep]] = {}
    for check in result.not_met:
        step = step_for(result.code, check, profile)
        if check.alternative:
            alternatives.setdefault(check.alternative, []).append(step)
        else:
            steps.append(step)
    for options in alternatives.values():
        months = [o.months for o in options if o.months is not None]
        steps.append(PlanStep(result.code, "Either: " + " Or: ".join(o.text for o in options),
                              min(months) if months else None))
    for check in result.unknown:
        if check.alternative and any(c.alternative == check.alternative and c.status.startswith(MET)
                                     for c in result.checks):
            continue
        steps.append(PlanStep(result.code, f"Tell me your {check.label}: {check.text}", None))
    return steps


def describe(value: Value) -> str:
    return "not stated" if value is None else str(value).replace("_", " ")


def format_amount(value: Value) -> str:
    if isinstance(value, (int, float)):
        return f"{value:g}"
    return describe(value)


def assess(repository: KnowledgeRepository, profile: Profile, age_band: str) -> Assessment:
    categories = [c for c in repository.categories()
                  if c.age_band == age_band and not repository.designations(c.code)]
    results = [evaluate_category(c, repository.requirements(c.code, phase="initial"), profile) for c in categories]
    best, certain = choose_best_fit(results)
    following = choose_next(results, best)
    plan = plan_for(following, profile) if following else []
    return Assessment(age_band, results, best.code if best else None, certain,
                      following.code if following else None, plan)


def choose_best_fit(results: Sequence[CategoryResult]):
    """The highest-ranked category met in full; else the highest one nothing is missing from but unknowns."""
    met = [r for r in results if r.status == MET]
    if met:
        # Among equal ranks the category with more requirements is the more specific fit (IFRS over IFS).
        return max(met, key=lambda r: (r.rank, len(r.checks))), True
    possible = [r for r in results if r.status == UNKNOWN]
    if possible:
        return min(possible, key=lambda r: (r.open_count, -r.rank)), False
    return None, False


def choose_next(results: Sequence[CategoryResult], best: Optional[CategoryResult]) -> Optional[CategoryResult]:
    """Above the best fit (or among all, if nothing fits yet): the category where the person has already met the
    most requirements, then the lower rank, then the one with the fewest still open."""
    floor = best.rank if best else 0
    candidates = [r for r in results if r.rank > floor and r is not best] if best else list(results)
    if not candidates:
        return None
    return min(candidates, key=lambda r: (-r.met_count, r.rank, r.open_count))


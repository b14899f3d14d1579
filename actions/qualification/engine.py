"""Check a person's stated background against the requirement rows of every category of an age band.

A pure function of the knowledge snapshot and the profile: nothing here knows a category or a number. The rows say
what is needed (amounts, either/or groups, who may provide RS/C, the window it must fall in, whether work must be
paid or come after a degree); the profile says what the person told us. A fact the person has not stated is unknown,
never met, unless it follows from what they did state (no graduate degree and no license: post-master's rules are
not met).
"""
import math
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Dict, List, Mapping, Optional, Sequence, Tuple, Union

from ..knowledge.snapshot import Category, Knowledge, Requirement
from ..knowledge.vocabulary import degree_rank

Value = Union[float, str, bool, None]


class Status(StrEnum):
    MET = "met"
    NOT_MET = "not met"
    UNKNOWN = "unknown"


APPLICATION_STEPS = ("reference_ratings", "ethics_signed", "membership", "exam_passed")
# Paces used only to rank what is nearest when the person did not state theirs; never shown as their pace.
DEFAULT_PACES = {"rsc_hours_per_month": 2.0, "training_hours_per_month": 4.0, "work_years_per_year": 1.0}
FAMILIES_PER_MONTH = 1.0
# A defining requirement (degree, kind of work) further away than this puts a category out of reach, as does any gap
# that time alone cannot close (a degree, a license, a kind of work the person does not do).
FAR_MONTHS = 24
# Measures of a kind of work: a person with none of it cannot close the gap by going on as they are.
KINDS_OF_WORK = ("clinical_work_years", "rsc_provided_years", "leadership_years", "policy_leadership_years",
                 "faculty_years")
GRADUATE = "master"


@dataclass(frozen=True)
class Profile:
    """What a person said about themselves: measure -> value. Missing measures are unknown."""

    facts: Mapping[str, Value] = field(default_factory=dict)

    def get(self, measure: str) -> Value:
        return self.facts.get(measure)

    def number(self, measure: str) -> Optional[float]:
        value = self.facts.get(measure)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            return None
        return float(value)

    def with_facts(self, **changes: Value) -> "Profile":
        return Profile({**self.facts, **changes})

    @property
    def degree_rank(self) -> int:
        return degree_rank(self.facts.get("degree_level"))  # type: ignore[arg-type]

    def licensed(self) -> Optional[bool]:
        """Holds a professional mental health license; a degree below a master's rules one out."""
        stated = self.facts.get("mh_license")
        if isinstance(stated, bool):
            return stated
        if self.degree_rank >= 0 and self.degree_rank < degree_rank(GRADUATE):
            return False
        return None

    def has_degree(self, level: str) -> Optional[bool]:
        """At least this degree (a license counts as graduate level); None when the degree is not stated."""
        if self.degree_rank >= degree_rank(level):
            return True
        if level == GRADUATE and self.licensed():
            return True
        return None if self.degree_rank < 0 else False


@dataclass(frozen=True)
class Gap:
    """What is missing on a line: an amount in the line's unit, and the months it takes at a pace (None when time
    alone cannot close it)."""

    amount: Optional[float]
    unit: Optional[str]
    months: Optional[float]
    pace_stated: bool = False


@dataclass
class Line:
    """One requirement of a category (an either/or group is one line)."""

    key: str
    label: str
    status: Status
    have: Value
    need: Value
    unit: Optional[str]
    defining: bool
    rows: Tuple[Requirement, ...]
    gap: Optional[Gap] = None
    decided_by: Tuple[str, ...] = ()
    notes: Tuple[str, ...] = ()
    members: Tuple["Line", ...] = ()  # the alternatives of an either/or line
    providers: Tuple[str, ...] = ()  # for RS/C received: the categories whose endorsed holders may provide it

    @property
    def source_url(self) -> str:
        return self.rows[0].source_url

    @property
    def out_of_reach(self) -> bool:
        """Unmet, and time alone cannot close it (a degree, a license, a kind of work the person does not do), or
        it is a defining requirement that is more than FAR_MONTHS away."""
        if self.status != Status.NOT_MET:
            return False
        if self.gap is None or self.gap.months is None:
            return True
        return self.defining and self.gap.months > FAR_MONTHS


@dataclass
class CategoryResult:
    code: str
    name: str
    rank: int
    lines: List[Line]
    steps: List[str]

    @property
    def status(self) -> Status:
        statuses = {line.status for line in self.lines}
        if Status.NOT_MET in statuses:
            return Status.NOT_MET
        return Status.UNKNOWN if Status.UNKNOWN in statuses else Status.MET

    def with_status(self, status: Status) -> List[Line]:
        return [line for line in self.lines if line.status == status]

    @property
    def defining_met(self) -> bool:
        return all(line.status == Status.MET for line in self.lines if line.defining)

    @property
    def months_to_close(self) -> Optional[float]:
        """When every unmet line can close in time, the months until the last one does; else None."""
        unmet = self.with_status(Status.NOT_MET)
        if not unmet or any(line.out_of_reach for line in unmet):
            return None
        if any(line.defining and line.status == Status.UNKNOWN for line in self.lines):
            return None
        return max(line.gap.months for line in unmet if line.gap and line.gap.months is not None)


@dataclass
class Assessment:
    age_band: str
    results: List[CategoryResult]
    best_fit: Optional[str]
    confirm: Optional[str]
    next_within_reach: Optional[str]

    def result(self, code: str) -> CategoryResult:
        return next(r for r in self.results if r.code == code)

    def deciding_measures(self) -> List[str]:
        """The unknown facts that would change the verdict most: those of the category to confirm first, then those
        of the next category; with neither, those of the highest category above the best fit whose own kind of work
        the person told (giving RS/C for years, leading a program) and that nothing known rules out."""
        codes = [code for code in (self.confirm, self.next_within_reach) if code] or self.promising()
        measures: List[str] = []
        for code in codes:
            for line in self.result(code).with_status(Status.UNKNOWN):
                measures += [m for m in line.decided_by if m not in measures]
        return measures

    def promising(self) -> List[str]:
        """The highest category above the best fit whose own kind of work the person told, if any."""
        floor = self.result(self.best_fit).rank if self.best_fit else 0
        candidates = [r for r in self.results if r.status == Status.UNKNOWN and r.code != self.best_fit
                      and r.rank >= floor and _kind_of_work_told(r)]
        return [max(candidates, key=_specificity).code] if candidates else []


# Evaluating one row -------------------------------------------------------------------------------------------------
def months_for(gap: float, unit: Optional[str], pace_name: Optional[str], profile: Profile) -> Tuple[float, bool]:
    stated = profile.number(pace_name) if pace_name else None
    if unit == "families":
        return gap / FAMILIES_PER_MONTH, False
    pace = stated if stated and stated > 0 else DEFAULT_PACES.get(pace_name or "", 1.0)
    months = gap * 12 / pace if pace_name == "work_years_per_year" else gap / pace
    return months, bool(stated and stated > 0)


class RowCheck:
    """Evaluates one requirement row against a profile."""

    def __init__(self, knowledge: Knowledge, profile: Profile, providers: Tuple[str, ...]):
        self.knowledge = knowledge
        self.profile = profile
        self.providers = providers

    def line(self, row: Requirement) -> Line:
        measure = row.measure or ""
        spec = self.knowledge.measure(measure)
        label = spec.label if spec else measure
        base = Line(measure, label, Status.UNKNOWN, None, None, row.unit, row.defining, (row,))
        if row.unit == "degree":
            return self.degree(row, base)
        if row.operator == "required":
            return self.yes_no(measure, base)
        return self.amount(row, base, spec.pace if spec else None)

    def degree(self, row: Requirement, line: Line) -> Line:
        level = self.profile.get("degree_level")
        line.have, line.need, line.decided_by = level, row.degree_level, ("degree_level",)
        if level is None:
            return line
        met = degree_rank(level) >= degree_rank(row.degree_level)  # type: ignore[arg-type]
        line.status = Status.MET if met else Status.NOT_MET
        line.gap = None if met else Gap(None, "degree", None)
        return line

    def yes_no(self, measure: str, line: Line) -> Line:
        have = self.profile.licensed() if measure == "mh_license" else self.profile.get(measure)
        line.have, line.need, line.decided_by = have, True, (measure,)
        if isinstance(have, bool):
            line.status = Status.MET if have else Status.NOT_MET
            line.gap = None if have else Gap(None, None, None)
        return line

    def amount(self, row: Requirement, line: Line, pace: Optional[str]) -> Line:
        need = float(row.amount or 0)
        line.need, line.decided_by = need, (row.measure or "",)
        counted, notes = self.counted(row)
        line.have, line.notes = counted, tuple(notes)
        if row.measure == "rsc_hours":
            line.providers = self.providers
        if counted is None:
            return line
        window_months = self.window_months_missing(row)
        if counted >= need and not window_months:
            provider = self.provider_status(row)
            line.status = provider
            if provider == Status.UNKNOWN:
                line.decided_by = ("rsc_provider",)
            return line
        line.status = Status.NOT_MET
        if counted < need and self.cannot_grow(row, counted):
            line.gap = Gap(need - counted, row.unit, None)
            return line
        months, stated = months_for(need - counted, row.unit, pace, self.profile) if counted < need else (0.0, False)
        if window_months:
            months = max(months, window_months)
        line.gap = Gap(need - counted if counted < need else 0.0, row.unit, months, stated)
        return line

    def counted(self, row: Requirement) -> Tuple[Optional[float], List[str]]:
        """The amount that counts toward a row, and the assumptions made to count it."""
        profile, measure, notes = self.profile, row.measure or "", []
        if measure == "work_years":
            paid, volunteer = profile.number("work_years"), profile.number("volunteer_years")
            if row.counts == "paid_or_volunteer":
                value = None if paid is None and volunteer is None else (paid or 0) + (volunteer or 0)
            else:
                value = paid
        elif measure == "rsc_provided_years" and profile.get("provides_rsc") is False:
            value = 0.0
        else:
            value = profile.number(measure)
        if row.after_degree:
            has = profile.has_degree(row.after_degree)
            if has is False:
                return 0.0, [f"only what came after a {row.after_degree}'s degree counts"]
            if value is not None and measure == "work_years":
                before = profile.number("work_years_before_degree")
                if before:
                    value = max(0.0, value - before)
                else:
                    notes.append(f"counted as after your {row.after_degree}'s degree")
        if measure == "rsc_hours" and value is not None:
            provider = profile.get("rsc_provider")
            if self.providers and provider not in (None, "endorsed") and provider not in self.providers:
                return 0.0, [f"only RS/C from a provider endorsed as {' or '.join(self.providers)} counts"]
            span = profile.number("rsc_span_months")
            if row.timeframe_max_months:
                if span and span > row.timeframe_max_months:
                    value = round(value * row.timeframe_max_months / span, 1)
                    notes.append(f"only the hours within {row.timeframe_max_months} months count")
                elif span is None:
                    notes.append(f"counted as received within {row.timeframe_max_months} months")
        return value, notes

    def window_months_missing(self, row: Requirement) -> float:
        """Months still needed for RS/C received over too short a span (the rule asks for 12 to 24 months)."""
        span = self.profile.number("rsc_span_months")
        if row.measure == "rsc_hours" and row.timeframe_min_months and span is not None:
            return max(0.0, row.timeframe_min_months - span)
        return 0.0

    def cannot_grow(self, row: Requirement, counted: float) -> bool:
        """Time alone cannot close the gap: a kind of work the person does not do, or hours that only count after a
        degree they do not have."""
        if row.after_degree and self.profile.has_degree(row.after_degree) is False:
            return True
        if row.measure == "rsc_provided_years" and self.profile.get("provides_rsc") is False:
            return True
        return row.measure in KINDS_OF_WORK and counted == 0

    def provider_status(self, row: Requirement) -> Status:
        if row.measure != "rsc_hours" or not self.providers:
            return Status.MET
        provider = self.profile.get("rsc_provider")
        if provider in self.providers:
            return Status.MET
        return Status.UNKNOWN if provider in (None, "endorsed") else Status.NOT_MET


# Lines of a category ------------------------------------------------------------------------------------------------
def either_or(key: str, members: List[Line]) -> Line:
    """An either/or group is one line, met by any member; unknown while none is met and one is unknown. Its gap is
    the nearest member's."""
    statuses = [member.status for member in members]
    status = Status.MET if Status.MET in statuses else Status.UNKNOWN if Status.UNKNOWN in statuses \
        else Status.NOT_MET
    gaps = [m.gap for m in members if m.gap and m.gap.months is not None]
    gap = min(gaps, key=lambda g: g.months or 0.0) if gaps else Gap(None, None, None)
    decided_by = tuple(dict.fromkeys(m for member in members if member.status == Status.UNKNOWN
                                     for m in member.decided_by))
    return Line(key, " or ".join(member.label for member in members), status, None, None, None,
                any(member.defining for member in members), tuple(row for m in members for row in m.rows),
                gap if status == Status.NOT_MET else None, decided_by,
                tuple(note for member in members for note in member.notes), tuple(members))


def evaluate_category(knowledge: Knowledge, category: Category, profile: Profile) -> CategoryResult:
    rows = knowledge.requirements(category.code, phase="initial", in_force_only=True)
    providers = next((row.provider_codes for row in rows if row.operator == "one_of"), ())
    check = RowCheck(knowledge, profile, providers)
    grouped: Dict[str, List[Line]] = {}
    for row in rows:
        if row.operator in ("min", "required") and row.measure and row.measure not in APPLICATION_STEPS:
            grouped.setdefault(row.alternative or row.id, []).append(check.line(row))
    lines = [either_or(key, members) if len(members) > 1 else members[0] for key, members in grouped.items()]
    steps = [row.text for row in rows if row.measure in APPLICATION_STEPS and row.operator not in
             ("not_required", "info")]
    return CategoryResult(category.code, category.name, category.rank, lines, steps)


# The verdict --------------------------------------------------------------------------------------------------------
def assess(knowledge: Knowledge, profile: Profile, age_band: str) -> Assessment:
    categories = [c for c in knowledge.categories if c.age_band == age_band and not knowledge.designations(c.code)]
    results = [evaluate_category(knowledge, c, profile) for c in categories]
    best = choose_best_fit(results)
    return Assessment(age_band, results, best.code if best else None,
                      _code(choose_to_confirm(results, best)), _code(choose_next(results, best)))


def _code(result: Optional[CategoryResult]) -> Optional[str]:
    return result.code if result else None


def _specificity(result: CategoryResult) -> Tuple[int, int]:
    """Higher rank first; among equal ranks the category with more requirements is the more specific fit."""
    return result.rank, len(result.lines)


def _kind_of_work_told(result: CategoryResult) -> bool:
    """No defining requirement is known to be unmet, and one that is a kind of work is met."""
    defining = [line for line in result.lines if line.defining]
    return all(line.status != Status.NOT_MET for line in defining) and any(
        line.status == Status.MET and line.key in (*KINDS_OF_WORK, "provides_rsc") for line in defining)


def choose_best_fit(results: Sequence[CategoryResult]) -> Optional[CategoryResult]:
    """The highest category whose every requirement is known to be met. Never one with an unknown requirement."""
    met = [r for r in results if r.status == Status.MET]
    return max(met, key=_specificity) if met else None


def _above(result: CategoryResult, best: Optional[CategoryResult]) -> bool:
    return best is None or (result.code != best.code and result.rank >= best.rank)


def choose_to_confirm(results: Sequence[CategoryResult], best: Optional[CategoryResult]) -> Optional[CategoryResult]:
    """The highest category, at or above the best fit, that nothing known rules out and whose defining requirements
    (degree, kind of work) are met: met if its unknowns check out."""
    candidates = [r for r in results if r.status == Status.UNKNOWN and r.defining_met and _above(r, best)]
    return max(candidates, key=_specificity) if candidates else None


def choose_next(results: Sequence[CategoryResult], best: Optional[CategoryResult]) -> Optional[CategoryResult]:
    """The category at or above the best fit whose gaps close soonest at the person's pace; none whose gaps need a
    degree, a license or a kind of work the person does not do, or more than FAR_MONTHS."""
    candidates = [(r.months_to_close, r.rank, r.code) for r in results
                  if r.status == Status.NOT_MET and _above(r, best) and r.months_to_close is not None]
    if not candidates:
        return None
    _, _, code = min(candidates)
    return next(r for r in results if r.code == code)


def whole_months(months: float) -> int:
    return max(1, math.ceil(months - 1e-9))

"""The verdict in a few plain sentences, and as a checklist for a web page or an advisor's tool.

Every requirement name, amount and rule comes from the knowledge rows and measures; this module only puts them into
sentences ("4 more RS/C hours (you have 20 of 24)", "about 2 more months of paid work").
"""
import math
from typing import Dict, List, Optional, Sequence

from ..knowledge.snapshot import Knowledge
from .engine import Assessment, CategoryResult, Line, Profile, Status, whole_months

BANDS = {"infant": "the infant categories (pregnancy to 36 months)",
         "early_childhood": "the early childhood categories (3 up to 6 years)"}
DEGREE_NAMES = {"none": "no degree", "high_school": "a high school diploma", "cda": "a CDA",
                "associate": "an associate's degree", "bachelor": "a bachelor's degree", "master": "a master's degree",
                "doctorate": "a doctorate"}
STATUS_WORDS = {Status.MET: "met", Status.NOT_MET: "not met", Status.UNKNOWN: "not known yet"}
MAX_SOURCES = 2


SINGULAR = {"families": "family", "hours": "hour", "years": "year"}


def count(amount: float, noun: str) -> str:
    """"4 RS/C hours", "1 RS/C hour", "1 family"."""
    if amount == 1:
        words = noun.split(" ")
        noun = " ".join(SINGULAR.get(word, word) for word in words)
    return f"{amount:g} {noun}"


def months_phrase(months: float) -> str:
    """Months as people say them: "about 2 months", "1 year", "about 18 months", "about 3 years"."""
    whole = whole_months(months)
    if whole < 12:
        return f"about {whole} month{'s' if whole != 1 else ''}"
    if whole % 12 == 0:
        years = whole // 12
        return f"{years} year{'s' if years != 1 else ''}"
    if whole < 24:
        return f"about {whole} months"
    return f"about {round(whole / 12)} years"


class Wording:
    """Turns lines of an assessment into short sentences, using the measures' names from the data."""

    def __init__(self, knowledge: Knowledge, profile: Profile):
        self.knowledge = knowledge
        self.profile = profile

    def short(self, measure: str) -> str:
        spec = self.knowledge.measure(measure)
        return spec.short if spec else measure.replace("_", " ")

    def name(self, code: str) -> str:
        category = self.knowledge.category(code)
        return f"{category.name} ({code})" if category else code

    def need(self, line: Line) -> str:
        """What a line asks for, in a few words."""
        if line.members:
            return " or ".join(self.need(member) for member in line.members)
        if line.unit == "degree":
            return f"{DEGREE_NAMES.get(str(line.need), str(line.need))} or higher"
        if isinstance(line.need, float):
            return count(line.need, self.short(line.key))
        return self.short(line.key)

    def gap(self, line: Line) -> str:
        """What is still missing on an unmet line: "4 more RS/C hours (you have 20 of 24)"."""
        if line.members:
            reachable = [m for m in line.members if m.status == Status.NOT_MET and m.gap and m.gap.months is not None]
            member = min(reachable, key=lambda m: m.gap.months if m.gap and m.gap.months else 0.0) \
                if reachable else line.members[0]
            return self.gap(member)
        if line.unit == "degree":
            held = DEGREE_NAMES.get(str(line.have), "not said")
            return f"{DEGREE_NAMES.get(str(line.need), str(line.need))} (you have {held})"
        if line.gap is None or line.gap.amount is None:
            return self.short(line.key) if line.need is True else f"{self.need(line)}"
        have = line.have if isinstance(line.have, float) else 0.0
        need = float(line.need) if isinstance(line.need, float) else 0.0
        if line.gap.amount == 0 and line.gap.months:  # hours are enough, the span is too short
            return f"RS/C received over at least 12 months ({months_phrase(line.gap.months)} to go)"
        if line.unit == "years":
            activity = self.short(line.key).removeprefix("years ")  # "of paid work", "as a practice leader"
            text = f"{months_phrase(line.gap.amount * 12)} more {activity} (you have {have:g} of {need:g} years)"
        else:
            text = f"{count(line.gap.amount, 'more ' + self.short(line.key))} (you have {have:g} of {need:g})"
        if line.gap.pace_stated and line.gap.months:
            text += f", {months_phrase(line.gap.months)} at your pace"
        why = next((note for note in line.notes if note.startswith("only ")), None)
        return f"{text}: {why}" if why else text  # "(you have 0 of 50): only RS/C from … counts"

    def depends_on(self, line: Line) -> str:
        """What an unknown line waits for, in words."""
        if "rsc_provider" in line.decided_by and line.providers:
            return f"who gave your RS/C (it counts from someone endorsed as {' or '.join(line.providers)})"
        return "your " + " and ".join(self.short(m) for m in line.decided_by)

    def line_text(self, line: Line) -> str:
        """One line of the checklist: "RS/C hours: not met (20 of 24)"."""
        label = " or ".join(self.short(m.key) for m in line.members) if line.members else self.short(line.key)
        if line.status == Status.NOT_MET:
            return f"{label}: not met, needs {self.gap(line)}"
        if line.status == Status.UNKNOWN:
            return f"{label}: not known yet ({self.depends_on(line)})"
        return f"{label}: met"


def verdict_text(knowledge: Knowledge, assessment: Assessment, profile: Profile, target: Optional[str] = None,
                 what_if: Sequence[str] = (), band_assumed: bool = False) -> str:
    """The answer to "which category fits me / do I qualify for X?": best fit, what is still missing for the target
    or the next category, what is unknown; a few lines."""
    words = Wording(knowledge, profile)
    lines: List[str] = []
    if what_if:
        lines.append("If " + " and ".join(what_if) + ":")
    band = BANDS[assessment.age_band]
    lines.append(f"Checked against {band}" + (" (say so if you work with 3-to-6-year-olds)" if band_assumed else "")
                 + ", from what you told me:")
    target_result = choose_target(assessment, target)
    if target_result:
        lines.append(about(words, target_result))
    told = {target_result.code} if target_result else set()
    if assessment.best_fit and assessment.best_fit not in told:
        lines.append(f"Best fit now: {words.name(assessment.best_fit)}. You meet every requirement I can check.")
    elif not assessment.best_fit:
        lines.append("No category is fully met yet.")
    if assessment.confirm and assessment.confirm not in told:
        result = assessment.result(assessment.confirm)
        waits = "; ".join(dict.fromkeys(words.depends_on(line) for line in result.with_status(Status.UNKNOWN)))
        lines.append(f"You may also meet {words.name(result.code)}: it depends on {waits}.")
    if assessment.next_within_reach and assessment.next_within_reach not in told:
        result = assessment.result(assessment.next_within_reach)
        gaps = "; ".join(words.gap(line) for line in result.with_status(Status.NOT_MET))
        unknown = [words.short(m) for line in result.with_status(Status.UNKNOWN) for m in line.decided_by]
        lines.append(f"Next within reach: {words.name(result.code)}. Still needed: {gaps}."
                     + (f" Not known yet: {', '.join(dict.fromkeys(unknown))}." if unknown else ""))
    elif not (assessment.best_fit or assessment.confirm or assessment.next_within_reach or told):
        lines.append("I can't point to a category within reach from what you told me yet.")
    notes = assumptions(assessment)
    if notes:
        lines.append("I " + notes[0] + ".")
    borrowed = counterpart_notes(assessment, target_result)
    if borrowed:
        lines.append("Note: " + borrowed[0])
    urls = sources(assessment, target_result)
    if urls:
        lines.append("Source: " + "; ".join(urls[:MAX_SOURCES]))
    return "\n".join(lines)


def choose_target(assessment: Assessment, target: Optional[str]) -> Optional[CategoryResult]:
    """The category the person asked about, in this band; for a group (the Mentor) its nearest designation."""
    if not target:
        return None
    matching = [r for r in assessment.results if r.code == target or r.code.startswith(target + "-")]
    if not matching:
        return None
    order = {Status.MET: 0, Status.UNKNOWN: 1, Status.NOT_MET: 2}
    return min(matching, key=lambda r: (order[r.status], r.months_to_close if r.months_to_close is not None
                                        else math.inf))


def about(words: Wording, result: CategoryResult) -> str:
    """A sentence on the category the person asked about."""
    if result.status == Status.MET:
        return f"{words.name(result.code)}: you meet every requirement I can check."
    unknown = "; ".join(dict.fromkeys(words.depends_on(line) for line in result.with_status(Status.UNKNOWN)))
    if result.status == Status.UNKNOWN:
        return f"{words.name(result.code)}: possible, it depends on {unknown}."
    gaps = "; ".join(words.gap(line) for line in result.with_status(Status.NOT_MET))
    return f"{words.name(result.code)}: not yet. Still needed: {gaps}." + (f" Not known yet: {unknown}." if unknown
                                                                         else "")


def assumptions(assessment: Assessment) -> List[str]:
    """What was counted on trust ("counted as after your bachelor's degree"), for the categories in the verdict."""
    notes: List[str] = []
    for code in (assessment.best_fit, assessment.confirm, assessment.next_within_reach):
        if code:
            for line in assessment.result(code).lines:
                if line.status == Status.MET:
                    notes += [note.replace("counted as", "counted your work as") if "degree" in note else
                              note.replace("counted as", "counted your RS/C as") for note in line.notes
                              if note.startswith("counted") and note not in notes]
    return list(dict.fromkeys(notes))


def counterpart_notes(assessment: Assessment, target: Optional[CategoryResult]) -> List[str]:
    """Where the rules checked were published for the other age band only, the verdict says so."""
    codes = [code for code in (target.code if target else None, assessment.best_fit, assessment.confirm,
                               assessment.next_within_reach) if code]
    return list(dict.fromkeys(row.note for code in codes for line in assessment.result(code).lines
                              for row in line.rows if row.note and "counterpart" in row.note))


def sources(assessment: Assessment, target: Optional[CategoryResult] = None) -> List[str]:
    """The pages behind the lines the verdict talks about: what is missing first, else what is met."""
    codes = [code for code in (target.code if target else None, assessment.next_within_reach, assessment.confirm,
                               assessment.best_fit) if code]
    lines = [line for code in codes for line in assessment.result(code).lines]
    unmet = [line.source_url for line in lines if line.status != Status.MET]
    return list(dict.fromkeys(unmet or [line.source_url for line in lines]))


def checklist(knowledge: Knowledge, assessment: Assessment, profile: Profile) -> Dict:
    """The whole check as JSON-ready data: every category of the band, one line per requirement."""
    words = Wording(knowledge, profile)

    def plain(value):
        return value if isinstance(value, (str, bool, int, float)) or value is None else str(value)

    def line_data(line: Line) -> Dict:
        return {"requirement": " or ".join(words.short(m.key) for m in line.members) if line.members
                else words.short(line.key), "measure": line.key, "status": line.status.value,
                "have": plain(line.have), "need": plain(line.need), "unit": line.unit, "text": words.line_text(line),
                "rule": "; ".join(dict.fromkeys(row.note for row in line.rows if row.note)) or None,
                "source": line.source_url}

    return {
        "age_band": assessment.age_band,
        "best_fit": assessment.best_fit,
        "confirm": assessment.confirm,
        "next_within_reach": assessment.next_within_reach,
        "categories": [{"code": r.code, "name": r.name, "status": r.status.value,
                        "requirements": [line_data(line) for line in r.lines], "application_steps": r.steps}
                       for r in assessment.results],
        "plan": plan(words, assessment),
    }


def plan(words: Wording, assessment: Assessment) -> List[Dict]:
    steps: List[Dict] = []
    for code in (assessment.confirm, assessment.next_within_reach):
        if code:
            for line in assessment.result(code).lines:
                if line.status == Status.NOT_MET:
                    steps.append({"category": code, "text": f"Gain {words.gap(line)}.",
                                  "months": whole_months(line.gap.months) if line.gap and line.gap.months else None})
                elif line.status == Status.UNKNOWN:
                    steps.append({"category": code, "text": f"Tell me {words.depends_on(line)}.", "months": None})
    return steps

"""The qualification check as a conversation, without Rasa: how a message updates what the person told us, which
question is worth asking next, and when a contradiction has to be asked about instead of guessed.

Which questions exist and in what order is data (knowledge/measures.csv); which of them are worth asking follows
from the assessment: only facts that would change a category still in play.
"""
import math
import re
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from ..knowledge.snapshot import Knowledge
from .engine import Assessment, Profile, Status, assess
from .parser import NEGATIVE_AMOUNT, Conflict, ProfileParser, Statement

SKIPPED = "unknown"  # the person does not know or would rather not say: never asked again, never counted
ROLE_MEASURES = ("provides_rsc", "rsc_provided_years", "leadership_years", "policy_leadership_years",
                 "faculty_years")
ROLES = "roles"  # one question for every kind of leadership or RS/C work the person may do
# Facts about the person's qualifications: a message with at least two of them gets a verdict at once.
CORE_FACTS = ("degree_level", "mh_license", "work_years", "volunteer_years", "clinical_work_years", "families_served",
              "training_hours", "rsc_hours", "rsc_provided_years", "leadership_years", "policy_leadership_years",
              "faculty_years", "provides_rsc")
NUMBER_KINDS = ("number",)
# Facts whose second, different value is a contradiction to ask about (not an update to take silently).
CHECKED_FOR_CONFLICT = CORE_FACTS + ("rsc_span_months", "rsc_training_hours", "dei_hours")
MAX_CONFIRMING_QUESTIONS = 2
NOT_A_NUMBER = "That doesn't look like a number I can use: please give it as a plain number, like 12."
FULL, CONFIRMING = "full", "confirming"
BAND_DEFAULT = "infant"


@dataclass
class CheckState:
    """Where the check stands between turns (kept in a slot as a dict)."""

    asking: Optional[str] = None
    mode: str = FULL
    asked: List[str] = field(default_factory=list)
    failures: Dict[str, int] = field(default_factory=dict)
    conflict: Optional[Tuple[str, Tuple]] = None
    last_message: Optional[str] = None  # the id of the last message the check has read
    target: Optional[str] = None  # the category the person asked about, if any

    @classmethod
    def from_slot(cls, value: Optional[dict]) -> "CheckState":
        value = value or {}
        conflict = value.get("conflict")
        return cls(value.get("asking"), value.get("mode", FULL), list(value.get("asked") or []),
                   dict(value.get("failures") or {}), (conflict[0], tuple(conflict[1])) if conflict else None,
                   value.get("last_message"), value.get("target"))

    def to_slot(self) -> dict:
        return {"asking": self.asking, "mode": self.mode, "asked": self.asked, "failures": self.failures,
                "conflict": [self.conflict[0], list(self.conflict[1])] if self.conflict else None,
                "last_message": self.last_message, "target": self.target}


@dataclass
class Update:
    profile: Dict
    changed: List[str] = field(default_factory=list)
    problem: Optional[str] = None
    conflict: Optional[Conflict] = None


def bare_answer(statement: Statement, measure: str, kind: str):
    """What a short answer ("20", "three years", "yes", "none") means for the question that was asked."""
    if kind == "yes_no":
        return statement.yes_no
    if kind not in NUMBER_KINDS:
        return None
    if measure.endswith("_years"):
        values = statement.bare_years or statement.bare_numbers
    elif measure.endswith("_hours"):
        values = statement.bare_hours or statement.bare_numbers
    else:
        values = statement.bare_numbers
    return values[-1] if values else None


def merge(knowledge: Knowledge, parser: ProfileParser, profile: Dict, text: str, asking: Optional[str]) -> Update:
    """What one message adds to the profile. A short answer goes to the question asked; a fact that contradicts
    what was said before (or another fact in the same message) is not taken: the person is asked which holds."""
    statement = parser.parse(text)
    if statement.problems and (asking or NEGATIVE_AMOUNT in statement.problems):
        return Update(dict(profile), [], statement.problems[0])  # a reply to a question: ask it again
    facts = dict(statement.facts)
    if derived_work_years(facts, profile):  # "2 years of clinical work" after "3 years of work": no contradiction
        facts.pop("work_years")
    spec = knowledge.measure(asking) if asking else None
    if asking and spec:
        facts.update(answer_to(parser, statement, text, asking, spec.kind, facts))
    if any(isinstance(value, float) and not math.isfinite(value) for value in facts.values()):
        return Update(dict(profile), [], NOT_A_NUMBER)
    if asking == "degree_level" and "degree_level" not in facts:
        field, problem = degree_of_unknown_level(parser, text)
        if problem:
            return Update({**profile, **field}, list(field), problem)
    if statement.conflicts:
        conflict = statement.conflicts[0]
        facts.pop(conflict.measure, None)
        return Update({**profile, **facts}, list(facts), None, conflict)
    stated: Optional[Conflict] = next((Conflict(measure, (profile[measure], value)) for measure, value in facts.items()
                     if measure in CHECKED_FOR_CONFLICT and measure != asking and not statement.correction
                     and profile.get(measure) not in (None, SKIPPED, value)), None)
    if stated:
        facts.pop(stated.measure)
    changed = [key for key, value in facts.items() if profile.get(key) != value]
    return Update({**profile, **facts}, changed, statement.problems[0] if statement.problems else None, stated)


def answer_to(parser: ProfileParser, statement: Statement, text: str, asking: str, kind: str, facts: Dict) -> Dict:
    """The facts a reply gives for the measure that was asked, beyond what the parser read on its own."""
    if statement.skip or statement.dont_know:
        return {measure: SKIPPED for measure in (ROLE_MEASURES if asking == ROLES else (asking,))
                if measure not in facts}
    if asking == ROLES:  # the roles not named in the reply are none
        none = {"provides_rsc": False, "rsc_provided_years": 0.0, "leadership_years": 0.0,
                "policy_leadership_years": 0.0, "faculty_years": 0.0}
        if facts.get("rsc_provided_years") or facts.get("provides_rsc"):
            none.pop("provides_rsc"), none.pop("rsc_provided_years")
        return {measure: value for measure, value in none.items() if measure not in facts}
    if asking in facts:
        return {}
    if kind == "provider":
        provider = parser.provider_answer(text)
        return {asking: provider} if provider else {}
    if kind == "band":
        return {}
    if asking == "rsc_hours":  # "55 hours over 20 months": read as said of the RS/C asked about
        said = parser.parse(f"RS/C received: {text}").facts
        if "rsc_hours" in said:
            return {measure: value for measure, value in said.items()
                    if measure.startswith("rsc_") and measure not in facts}
    value = bare_answer(statement, asking, kind)
    return {} if value is None else {asking: value}


def for_engine(profile: Dict) -> Profile:
    """Skipped items are unknown to the engine."""
    return Profile({key: value for key, value in profile.items() if value != SKIPPED})


def band_of(profile: Dict) -> str:
    band = profile.get("age_band")
    return band if band in ("infant", "early_childhood") else BAND_DEFAULT


def assessment_of(knowledge: Knowledge, profile: Dict) -> Assessment:
    return assess(knowledge, for_engine(profile), band_of(profile))


def known_core_facts(profile: Dict) -> int:
    return sum(1 for fact in CORE_FACTS if profile.get(fact) not in (None, SKIPPED))


def enough_for_a_verdict(profile: Dict) -> bool:
    return known_core_facts(profile) >= 2


def any_core_fact(profile: Dict) -> bool:
    return known_core_facts(profile) >= 1


def open_measures(knowledge: Knowledge, profile: Dict, assessment: Assessment) -> List[str]:
    """Facts that could still change the verdict: the unknowns of every category still in play (nothing known to
    be unmet) and of the category within reach, in the order the questions are asked."""
    wanted: List[str] = []
    in_play = [r for r in assessment.results if r.status == Status.UNKNOWN or r.code == assessment.next_within_reach]
    for result in in_play:
        for line in result.with_status(Status.UNKNOWN):
            wanted += [m for m in line.decided_by if m not in wanted]
    return ordered(knowledge, profile, wanted)


def ordered(knowledge: Knowledge, profile: Dict, measures: List[str]) -> List[str]:
    """Skips what was already answered or skipped, folds the kinds of leadership work into one question while none
    of them is known, and puts the rest in the data's order."""
    asked: List[str] = []
    roles_unknown = all(profile.get(m) is None for m in ROLE_MEASURES)
    for measure in measures:
        if profile.get(measure) is not None:
            continue
        if measure in ROLE_MEASURES and roles_unknown:
            measure = ROLES
        if measure not in asked:
            asked.append(measure)
    order = {m.measure: m.ask_order or 99 for m in knowledge.measure_rows}
    return sorted(asked, key=lambda m: order.get(m, 99))


def next_question(knowledge: Knowledge, profile: Dict, state: CheckState) -> Optional[str]:
    """The next measure to ask about, or None when the verdict cannot change any more (or enough was asked)."""
    if state.mode == FULL and profile.get("age_band") is None:
        return "age_band"
    assessment = assessment_of(knowledge, profile)
    if state.mode == CONFIRMING:
        if len(state.asked) >= MAX_CONFIRMING_QUESTIONS:
            return None
        candidates = ordered(knowledge, profile, assessment.deciding_measures())
    else:
        candidates = open_measures(knowledge, profile, assessment)
    return candidates[0] if candidates else None


def question_text(knowledge: Knowledge, measure: str, profile: Dict) -> str:
    """The question for a measure, from the data; a degree whose field is known is asked about by its field."""
    if measure == "degree_level" and profile.get("degree_field") not in (None, SKIPPED):
        return f"Is your degree in {profile['degree_field']} an associate's, a bachelor's, a master's or a doctorate?"
    spec = knowledge.measure(measure)
    return spec.question if spec and spec.question else f"What is your {measure.replace('_', ' ')}?"


def what_if_target(knowledge: Knowledge, profile: Dict, changed: Dict) -> Optional[str]:
    """The category a what-if moves: the nearest one above the current best fit whose requirements it changes."""
    before, after = assessment_of(knowledge, profile), assessment_of(knowledge, changed)
    floor = before.result(before.best_fit).rank if before.best_fit else 0
    moved = [(new.rank, new.code) for old, new in zip(before.results, after.results)
             if new.rank >= floor and new.code != before.best_fit and
             [line.status for line in old.lines] != [line.status for line in new.lines]]
    return min(moved)[1] if moved else None


def conflict_question(knowledge: Knowledge, conflict: Conflict) -> str:
    spec = knowledge.measure(conflict.measure)
    what = spec.short if spec else conflict.measure.replace("_", " ")
    said = " and ".join(_said(value) for value in conflict.values)
    return f"I have two different figures for your {what}: {said}. Which one is right?"


def _said(value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value).replace("_", " ")


WHAT_IF = re.compile(r"^\W*(?:and\s+|but\s+|ok\s+|so\s+)?(?:what|how)\s+(?:if|about\s+if)\s+(?:i|she|he|they|we|my\s+"
                     r"student|the\s+student|my\s+client)?\s*(?:got|get|gets|had|have|has|earn\w*|finish\w*|"
                     r"complete\w*|did|do|does|were|was|became|become|added|add|adds)?\s*", re.IGNORECASE)
WHAT_IF_FACTS = CORE_FACTS + ("rsc_provider", "rsc_span_months", "rsc_training_hours", "dei_hours", "age_band")


def derived_work_years(facts: Dict, profile: Dict) -> bool:
    """True when the years of work read from a message only follow from its clinical years and the years of work
    already stated cover them."""
    work, clinical, stated = facts.get("work_years"), facts.get("clinical_work_years"), profile.get("work_years")
    return work is not None and work == clinical and isinstance(stated, (int, float)) and stated >= work


def what_if_changes(parser: ProfileParser, profile: Dict, text: str, gaps: Sequence[str] = ()) -> Dict:
    """The facts a what-if question changes ("what if I get my master's?", "what if she had 24 more RS/C hours?");
    "N more" adds to what the person has; "what if I had 24 hours?" names the hours of the first gap in `gaps`.
    Years of work that only follow from clinical years are not a change."""
    statement = parser.parse(WHAT_IF.sub("I have ", text, count=1))
    changes = {key: value for key, value in statement.facts.items() if key in WHAT_IF_FACTS}
    if not changes:
        for said, unit in ((statement.bare_hours, "_hours"), (statement.bare_years, "_years")):
            measure = next((gap for gap in gaps if gap.endswith(unit) and gap in WHAT_IF_FACTS), None)
            if said and measure:
                changes[measure] = said[-1]
    if derived_work_years(changes, profile):
        changes.pop("work_years")
    if re.search(r"\bmore\b|\+\s*\d|\badd", text.lower()):
        for key, value in changes.items():
            current = profile.get(key)
            if isinstance(value, float) and isinstance(current, (int, float)) and not isinstance(current, bool):
                changes[key] = current + value
    return changes


def gap_measures(assessment: Assessment) -> List[str]:
    """The measures short of what a category needs, the category within reach first."""
    first = [r for r in assessment.results if r.code == assessment.next_within_reach]
    return list(dict.fromkeys(line.key for result in first + assessment.results
                              for line in result.with_status(Status.NOT_MET) if not line.members))


def describe_change(knowledge: Knowledge, fact: str, value) -> str:
    if fact == "degree_level":
        return f"you earned a {str(value).replace('_', ' ')}'s degree" if value in ("bachelor", "master") \
            else f"your highest degree were {str(value).replace('_', ' ')}"
    if isinstance(value, bool):
        spec = knowledge.measure(fact)
        return f"{'you were' if value else 'you were not'} {spec.short if spec else fact}" \
            if fact != "mh_license" else ("you held a mental health license" if value else
                                          "you had no mental health license")
    spec = knowledge.measure(fact)
    return f"you had {_said(value)} {spec.short if spec else fact.replace('_', ' ')}"


FIT_QUESTION = re.compile(
    r"\b(?:(?:do|can|could|would|will|should|am)\s+i\s+(?:\w+\s+){0,2}?(?:qualify|apply|be\s+eligible|eligible|"
    r"meet|make|fit|get|go\s+for|count|ready|have\s+enough)|"
    r"(?:which|what)\s+(?:\w+\s+){0,2}?(?:category|categories|one|level|"
    r"endorsement|designation)|what\s+(?:am\s+i|do\s+i|else|is|'s)\s+(?:\w+\s+){0,3}?(?:missing|need|lack|left)|"
    r"what'?s\s+(?:\w+\s+)?missing|what\s+(?:can|could|would|should)\s+i\s+(?:\w+\s+)?(?:apply|qualify|go|get)|"
    r"where\s+do\s+i\s+(?:fit|stand|start)|how\s+(?:close|far|long)|am\s+i\s+(?:\w+\s+)?(?:eligible|ready|"
    r"there|qualified|close)|(?:my|the)\s+(?:best\s+)?(?:fit|next\s+step)|\byet\s*\?|"
    r"(?<!do i )still\s+(?:need|missing)|"  # not "do I still need 50 hours?", a rule
    r"in\s+reach|how\s+short|which\s+fits|(?:do|does)\s+(?:my|the)\s+(?:[\w/]+\s+){0,3}?count)",
    re.IGNORECASE)


def wants_a_verdict(parser: ProfileParser, text: str) -> bool:
    """A message that tells a background and asks where it stands ("...: do I qualify for IFS yet?"), as opposed to
    a question about the rules that happens to mention a degree ("do I need a master's for IMHS?")."""
    return bool(FIT_QUESTION.search(text)) and enough_for_a_verdict(parser.parse(text).facts)


# "How far am I from IMHS?", "am I eligible yet?": asked of a background told earlier in the conversation.
OWN_STANDING = re.compile(
    r"\b(?:am\s+i\s+(?:\w+\s+)?(?:eligible|ready|qualified|close)|(?:do|can|could|would)\s+i\s+(?:\w+\s+){0,2}?qualify|"
    r"how\s+(?:close|far)\s+am\s+i|where\s+do\s+i\s+stand|what\s+am\s+i\s+missing|what\s+(?:else\s+)?do\s+i\s+still\s+need|"
    r"what'?s\s+(?:\w+\s+)?missing)", re.IGNORECASE)


def asks_where_they_stand(text: str, profile: Dict, names_category: Callable[[], bool]) -> bool:
    """A question about the background the person already told ("how far am I from IMHS?"), as opposed to a question
    about the rules ("what do I need for the exam?"). Whether the text names a category is looked up only when it
    decides."""
    return enough_for_a_verdict(profile) and (bool(OWN_STANDING.search(text))
                                              or bool(FIT_QUESTION.search(text)) and names_category())


DEGREE_OF_UNKNOWN_LEVEL = re.compile(r"\b(?:a|my|the)?\s*(?:college\s+|university\s+)?degree\s+in\s+([a-z][a-z &'/-]*)",
                                     re.IGNORECASE)


def degree_of_unknown_level(parser: ProfileParser, text: str) -> Tuple[Dict, Optional[str]]:
    """"A degree in social work" names a field but not a level: keep the field and ask for the level; "a degree
    in pizza" names no field we know."""
    match = DEGREE_OF_UNKNOWN_LEVEL.search(text)
    if not match:
        return {}, None
    known = parser.field_starting(match.group(1))
    if known:
        return {"degree_field": known}, (f"Is your degree in {known} an associate's, a bachelor's, a master's or "
                                         "a doctorate?")
    phrase = match.group(1).strip()
    return {}, f"I don't know \"{phrase}\" as a field of study."

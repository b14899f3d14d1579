"""Read what people say about their background into profile facts the eligibility engine understands.

"I have an MSW, 3 years as a home visitor with about 15 families, 40 hrs of training and 20 hours of reflective
supervision" becomes degree_level=master, work_years=3, families_served=15, training_hours=40, rsc_hours=20.
Degrees, licenses and fields of study come from the knowledge base; amounts come from the spaCy entity ruler and
the words around them.
"""
import re
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

from spacy.language import Language

from .knowledge.loader import normalize_alias
from .knowledge.repository import KnowledgeRepository
from .knowledge.schema import degree_rank
from .language import age_band_of

Value = object

UNITS = {"zero": 0, "none": 0, "no": 0, "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
         "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
         "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
         "couple": 2, "few": 3, "several": 3}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
        "eighty": 80, "ninety": 90}

RSC_CUES = ("reflective", "supervision", "supervison", "rs/c", "rsc", "r/s", "consultation", "rs-c")
TRAINING_CUES = ("training", "trainings", "in-service", "inservice", "workshop", "ceu", "ce ", "ce hours",
                 "course", "coursework", "conference", "webinar", "professional development", "pd ")
DEI_CUES = ("dei", "diversity", "equity", "inclusion")
PROVIDING_RSC = re.compile(r"\b(?:provid\w*|giv\w*|gave|offer\w*)\s+(?:reflective|rs/?c)|"
                           r"\b(?:i'?m|as|work as) a reflective supervisor\b|\bsupervise reflectively\b")
FACULTY_CUES = ("teach", "professor", "faculty", "lecturer", "instructor", "research", "university", "college")
POLICY_CUES = ("policy", "administrat", "program director", "program manager", "executive director")
LEADERSHIP_CUES = ("lead", "led ", "leader", "director", "manager", "supervising", "supervise ", "supervisor", "coordinator",
                   "chair", "managing")
CLINICAL_CUES = ("therapist", "therapy", "psychotherap", "clinician", "clinical", "counselor", "counsellor",
                 "child-parent", "cpp", "dyadic", "counseling")
WORK_CUES = ("work", "experience", "home visit", "job", "employ", "as a", "as an", "teacher", "visitor",
             "specialist", "advocate", "nurse", "interventionist", "worker", "coach", "provider", "doula",
             "caseworker", "volunteer", "early intervention", "head start", "daycare", "child care", "childcare")
PER_MONTH = re.compile(r"(?:\b(?:a|per|each|every)\s+|/)mo(?:nth)?\b|\bmonthly\b")
PER_WEEK = re.compile(r"(?:\b(?:a|per|each|every)\s+|/)week\b|\bweekly\b")
PER_TWO_WEEKS = re.compile(r"\b(?:every (?:two|2|other) weeks?|biweekly|twice a month)\b")
RATE = re.compile(r"^(?:a|an|per|every|each|one)\s+(?:month|week|year)$")
DONT_KNOW = re.compile(r"\b(?:i\s*do\s*n[o']?t know|dont know|don't know|not sure|no idea|idk|unsure|can'?t remember|"
                       r"no clue)\b")
SKIP = re.compile(r"^\W*(?:skip|pass|next|skip it|skip that|leave it out)\W*$")
YES = re.compile(r"^\W*(?:yes|yeah|yep|yup|i do|i am|correct|sure)\b")
NO = re.compile(r"^\W*(?:no|nope|not yet|i don'?t|i'?m not|not licensed)\b")
CORRECTION = re.compile(r"\b(?:actually|correction|i meant|sorry,? i|it'?s really|make that|wait,)\b")
NO_DEGREE = re.compile(r"\b(?:no (?:college )?degree|don'?t have (?:a|any) (?:college )?degree|without a degree|"
                       r"never went to college|no college)\b")
HIGH_SCHOOL = re.compile(r"\bhigh[- ]?school\b|\bged\b|\bdiploma\b")
NONE_OF = {
    "work_years": re.compile(r"\bno (?:paid |work |professional |relevant )*(?:experience|work experience)\b|"
                             r"\bnever worked\b|\bhaven'?t worked\b"),
    "training_hours": re.compile(r"\bno (?:in-service |specialized )?training\b|\bhaven'?t (?:had|done) any training"),
    "rsc_hours": re.compile(r"\bno (?:reflective supervision|rs/?c|supervision hours)\b|"
                            r"\bhaven'?t (?:had|received|gotten) any (?:reflective supervision|rs/?c)"),
}
FIELD_AFTER_DEGREE = re.compile(
    r"\b(?:degree|major(?:ed)?|ba|bs|ma|ms|msw|bsw|phd|aa|as|bachelor'?s?|master'?s?|masters|associate'?s?|"
    r"doctorate|certificate)\s+(?:degree\s+)?in\s+([a-z][a-z&'/ -]*?)(?=\s*(?:[,.;!?]|\bfrom\b|\bwith\b|"
    r"\bwhich\b|\bthat\b|\bbut\b|\bso\b|$))")
WORK_PACE = {"full time": 1.0, "full-time": 1.0, "fulltime": 1.0, "part time": 0.5, "part-time": 0.5,
             "half time": 0.5, "half-time": 0.5}
LIMITS = {"hours": 5000, "years": 60, "families": 2000}


def to_number(text: str) -> Optional[float]:
    """'20', '1.5', 'twenty five', 'two and a half', 'a', 'a dozen' -> a number; None if there is none."""
    text = text.lower().replace(",", "").strip()
    try:
        return float(text)
    except ValueError:
        pass
    text = re.sub(r"\band a half\b", "and_half", text)
    text = re.sub(r"\ba half\b", "half", text)
    value, seen = 0.0, False
    for word in re.split(r"[\s-]+", text):
        if word in UNITS:
            value += UNITS[word]
        elif word in TENS:
            value += TENS[word]
        elif word in ("hundred", "dozen"):
            value = (value or 1) * (100 if word == "hundred" else 12)
        elif word in ("half", "and_half"):
            value += 0.5
        else:
            continue
        seen = True
    return value if seen else None


@dataclass
class Statement:
    """What one message says about the person."""

    facts: Dict[str, Value] = field(default_factory=dict)
    bare_numbers: List[float] = field(default_factory=list)
    bare_years: List[float] = field(default_factory=list)
    bare_hours: List[float] = field(default_factory=list)
    problems: List[str] = field(default_factory=list)
    dont_know: bool = False
    skip: bool = False
    correction: bool = False
    yes_no: Optional[bool] = None

    @property
    def says_anything(self) -> bool:
        return bool(self.facts or self.bare_numbers or self.bare_years or self.bare_hours or self.dont_know
                    or self.skip or self.yes_no is not None)


def _has(text: str, cues: Sequence[str]) -> bool:
    return any(cue in text for cue in cues)


class ProfileParser:
    def __init__(self, repository: KnowledgeRepository, nlp: Language):
        self.repository = repository
        self.nlp = nlp
        self.degree_aliases = repository.aliases("degree")
        self.degrees = {d.code: d for d in repository.degrees()}
        self.field_aliases = repository.aliases("field")
        self.fields = repository.fields()

    def parse(self, text: str) -> Statement:
        lowered = " ".join(text.lower().replace("’", "'").split())
        statement = Statement(dont_know=bool(DONT_KNOW.search(lowered)), skip=bool(SKIP.match(lowered)),
                              correction=bool(CORRECTION.search(lowered)),
                              yes_no=True if YES.match(lowered) else False if NO.match(lowered) else None)
        doc = self.nlp(text)
        self.read_degrees(doc, lowered, statement)
        used_spans = self.read_amounts(doc, lowered, statement)
        self.read_families(lowered, statement, used_spans)
        self.read_bare_numbers(doc, statement, used_spans)
        self.read_roles_and_band(lowered, statement)
        for measure, pattern in NONE_OF.items():
            if measure not in statement.facts and pattern.search(lowered):
                statement.facts[measure] = 0.0
        return statement

    # Degrees, licenses, fields ------------------------------------------------------------------------------------
    def read_degrees(self, doc, lowered: str, statement: Statement) -> None:
        levels = []
        for ent in doc.ents:
            if ent.label_ != "degree":
                continue
            code = ent.ent_id_ or self.degree_aliases.get(normalize_alias(ent.text))
            degree = self.degrees.get(code)
            if degree is None:
                continue
            if degree.kind == "license":
                statement.facts["mh_license"] = True
            else:
                levels.append(degree.level)
            if degree.field != "any":
                statement.facts["degree_field"] = degree.field
        if not levels and (NO_DEGREE.search(lowered) or HIGH_SCHOOL.search(lowered)):
            levels.append("high_school" if HIGH_SCHOOL.search(lowered) else "none")
        if levels:
            statement.facts["degree_level"] = max(levels, key=degree_rank)
        for match in FIELD_AFTER_DEGREE.finditer(lowered):
            name = self.known_field(match.group(1))
            if name:
                statement.facts["degree_field"] = name
            else:
                statement.problems.append(
                    f"I don't know \"{match.group(1).strip()}\" as a field of study. What is your degree in "
                    "(for example psychology, social work, early childhood education)?")
                statement.facts.pop("degree_level", None)

    def known_field(self, words: str) -> Optional[str]:
        words = normalize_alias(words)
        for size in range(len(words.split()), 0, -1):
            candidate = " ".join(words.split()[:size])
            if candidate in self.field_aliases:
                return self.field_aliases[candidate]
        return None

    # Hours and years --------------------------------------------------------------------------------------------
    def read_amounts(self, doc, lowered: str, statement: Statement) -> List[Tuple[int, int]]:
        amounts = []
        for ent in doc.ents:
            if ent.label_ == "duration" and RATE.match(ent.text.lower()) and amounts \
                    and amounts[-1].label_ == "hours":
                continue  # "2 hours a month": a pace, read with the hours before it
            if ent.label_ in ("hours", "duration"):
                amounts.append(ent)
        used = []
        for index, ent in enumerate(amounts):
            value = to_number(re.sub(r"[a-z]+$", "", ent.text.lower()) if ent.text[:1].isdigit()
                              else re.sub(r"\b(hours?|hrs?|h|years?|yrs?|months?|mos?|mo)\b", "", ent.text.lower()))
            if value is None:
                continue
            used.append((ent.start_char, ent.end_char))
            if "month" in ent.text.lower() or re.search(r"\d\s*mos?\b", ent.text.lower()):
                value = round(value / 12, 2) if ent.label_ == "duration" else value
            next_start = amounts[index + 1].start_char if index + 1 < len(amounts) else len(doc.text)
            previous_end = amounts[index - 1].end_char if index else 0
            after = lowered[ent.end_char:min(next_start, ent.end_char + 70)]
            before = lowered[max(previous_end, ent.start_char - 60):ent.start_char]
            unit = "hours" if ent.label_ == "hours" else "years"
            if value < 0:
                statement.problems.append(f"An amount of {unit} can't be negative. How many {unit} do you have?")
                continue
            if value > LIMITS[unit]:
                statement.problems.append(
                    f"{value:g} {unit} is more than anyone could have. How many {unit} do you mean?")
                continue
            if unit == "hours":
                self.classify_hours(value, after, before, statement)
            else:
                self.classify_years(value, after, before, statement)
        for phrase, value in (("a year and a half", 1.5), ("year and a half", 1.5), ("half a year", 0.5)):
            if phrase in lowered and not statement.bare_years and "work_years" not in statement.facts:
                self.classify_years(value, lowered.split(phrase, 1)[1][:70], lowered.split(phrase, 1)[0][-60:],
                                    statement)
                break
        return used

    @staticmethod
    def classify_hours(value: float, after: str, before: str, statement: Statement) -> None:
        per_month, rate = None, re.split(r"[,;.]|\band\b|\bbut\b", after)[0]
        if PER_TWO_WEEKS.search(rate):
            per_month = round(value * 26 / 12, 1)
        elif PER_MONTH.search(rate):
            per_month = value
        elif PER_WEEK.search(rate):
            per_month = round(value * 52 / 12, 1)
        context = after + " " + before
        if _has(after, DEI_CUES) or (not _has(after, RSC_CUES + TRAINING_CUES) and _has(before, DEI_CUES)):
            measure = "dei_hours"
        elif _has(after, RSC_CUES) or (not _has(after, TRAINING_CUES) and _has(before, RSC_CUES)):
            measure = "rsc_hours"
        elif _has(context, TRAINING_CUES):
            measure = "training_hours"
        else:
            statement.bare_hours.append(value)
            return
        if per_month is not None:
            if measure in ("rsc_hours", "training_hours"):
                statement.facts[f"{measure}_per_month"] = per_month
            return
        statement.facts[measure] = value

    @staticmethod
    def classify_years(value: float, after: str, before: str, statement: Statement) -> None:
        near = after[:45] + " " + before
        if PROVIDING_RSC.search(near):
            statement.facts["rsc_provided_years"] = value
            statement.facts["provides_rsc"] = True
        elif _has(near, FACULTY_CUES):
            statement.facts["faculty_years"] = value
        elif _has(near, POLICY_CUES):
            statement.facts["policy_leadership_years"] = value
        elif _has(near, LEADERSHIP_CUES):
            statement.facts["leadership_years"] = value
        elif _has(near, CLINICAL_CUES):
            statement.facts["clinical_work_years"] = value
            statement.facts["work_years"] = max(value, float(statement.facts.get("work_years") or 0))
        elif _has(near, WORK_CUES):
            statement.facts["work_years"] = max(value, float(statement.facts.get("work_years") or 0))
        else:
            statement.bare_years.append(value)

    # Families and bare numbers ------------------------------------------------------------------------------------
    @staticmethod
    def read_families(lowered: str, statement: Statement, used: List[Tuple[int, int]]) -> None:
        """The number right before "families" (up to three words before: "about 15 families", "12 young
        families"); "a family advocate" is not a count."""
        for match in re.finditer(r"\b(?:families|family)\b", lowered):
            words = list(re.finditer(r"[a-z0-9.-]+", lowered[max(0, match.start() - 40):match.start()]))[-3:]
            for word in reversed(words):
                if word.group() in ("a", "an", "and", "no"):
                    continue
                value = to_number(word.group())
                if value is None:
                    continue
                if match.group() == "family" and value != 1:
                    break
                offset = max(0, match.start() - 40)
                used.append((offset + word.start(), offset + word.end()))
                if value < 0 or value > LIMITS["families"]:
                    statement.problems.append("That number of families doesn't look right. How many families "
                                              "have you worked with?")
                else:
                    statement.facts["families_served"] = value
                return

    @staticmethod
    def read_bare_numbers(doc, statement: Statement, used: List[Tuple[int, int]]) -> None:
        for token in doc:
            if not token.like_num or any(start <= token.idx < end for start, end in used):
                continue
            value = to_number(token.text)
            if value is not None:
                statement.bare_numbers.append(value)
        if not statement.bare_numbers and re.match(r"\W*(?:none|zero|nothing|no|not yet|0)\b(?!\s+(?:idea|clue))",
                                                   doc.text.lower().strip()):
            statement.bare_numbers.append(0.0)

    # Roles and age band -------------------------------------------------------------------------------------------
    def read_roles_and_band(self, lowered: str, statement: Statement) -> None:
        flags = {
            "role_faculty": re.search(r"\b(?:i teach|teaching|professor|faculty|lecturer|instructor at|"
                                      r"researcher|i do research)\b", lowered),
            "role_policy": re.search(r"\b(?:policy|program director|program manager|administrator|"
                                     r"executive director)\b", lowered),
            "role_supervisor": re.search(r"\b(?:i supervise|supervising|i manage|i lead|team lead|supervisor of|"
                                         r"clinical director|program director)\b", lowered),
            "role_clinical": re.search(r"\b(?:therapist|psychotherap\w*|clinician|counselor|counsellor|"
                                       r"child-parent psychotherapy|cpp|dyadic therapy)\b", lowered),
        }
        for name, found in flags.items():
            if found:
                statement.facts[name] = True
        if PROVIDING_RSC.search(lowered):
            statement.facts["provides_rsc"] = True
        if re.search(r"\blicensed\b", lowered) and not re.search(r"\b(?:not|un)licensed\b|\bnot yet licensed",
                                                                lowered):
            statement.facts["mh_license"] = True
        for phrase, pace in WORK_PACE.items():
            if phrase in lowered:
                statement.facts["work_years_per_year"] = pace
                break
        band = self.age_band_worked_with(lowered)
        if band:
            statement.facts["age_band"] = band

    @staticmethod
    def age_band_worked_with(lowered: str) -> Optional[str]:
        """"early childhood" alone is often the name of the field, so specific ages win over it."""
        preschool = re.search(r"\b(?:preschool\w*|pre-?k|kindergarten\w*|3 to 5|3-5|3 to 6|3-6|three to (?:five|six)|"
                              r"[345] year olds|(?:three|four|five) year olds)\b", lowered)
        infant = re.search(r"\b(?:infants?|babies|baby|toddlers?|newborns?|pregnan\w*|0-3|0 to 3|birth to (?:3|three)|"
                           r"new moms|under (?:3|three))\b", lowered)
        if preschool and infant:
            return None
        if preschool:
            return "early_childhood"
        if infant:
            return "infant"
        return "early_childhood" if age_band_of(lowered, with_age_ranges=False) == "early_childhood" else None

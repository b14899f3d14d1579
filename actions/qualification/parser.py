"""Read what people say about their background into the profile facts the eligibility engine compares.

"BA in psych, 3 yrs as a home visitor w/ about 15 families, 40 hrs of training (3 on DEI) and 20 hours of
reflective supervision over the last year" becomes degree_level=bachelor, degree_field=psychology, work_years=3,
families_served=15, training_hours=40, dei_hours=3, rsc_hours=20, rsc_span_months=12.

Plain Python over the text. Degrees, licenses, fields and category names come from the knowledge snapshot. A
message is cut into clauses, each about the person or about someone else ("my supervisor is an LCSW"); only the
person's own clauses give facts about them. An amount (hours, years, months, families) takes its meaning from the
words around it in its clause. The fields are described in tests/data/README.md.
"""
import math
import re
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Pattern, Sequence, Tuple, Union

from ..knowledge.names import EARLY_CHILDHOOD_WORDS, INFANT_WORDS, normalize_alias
from ..knowledge.snapshot import Knowledge
from ..knowledge.vocabulary import degree_rank

Value = Union[float, str, bool]


def cue(pattern: str) -> Pattern[str]:
    return re.compile(pattern)


# Numbers -----------------------------------------------------------------------------------------------------------
NEGATIVE_AMOUNT = "An amount can't be negative."


def readable(value: float) -> str:
    """A number as the person would write it: 99,999,999 rather than 1e+08."""
    if not math.isfinite(value):
        return str(value)
    return f"{value:,.0f}" if value == int(value) else f"{value:,.2f}".rstrip("0").rstrip(".")
UNITS = {"zero": 0, "none": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
         "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
         "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "a": 1, "an": 1}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
        "eighty": 80, "ninety": 90}
NUMBER_WORD = "(?:" + "|".join(sorted([w for w in UNITS if len(w) > 2] + list(TENS) + ["hundred", "dozen"],
                                      key=len, reverse=True)) + ")"
NUMBER = (rf"(?:\d+(?:\.\d+)?(?:\s+1/2|\s*½)?|{NUMBER_WORD}(?:[\s-]+(?:and\s+)?{NUMBER_WORD})*"
          rf"|a\s+couple(?:\s+of)?|couple(?:\s+of)?|half\s+an?|an?)")
HOURS_UNIT = r"(?:hours?|hrs?\.?|h)"
YEARS_UNIT = r"(?:years?|yrs?\.?|yr|(?<=\d)y)"
MONTHS_UNIT = r"(?:months?|mos?\.?)"
MINUTES_UNIT = r"(?:minutes?|mins?\.?)"
INNER_WORDS = (r"(?:(?:clock|contact|training|trainings|rs/?c|rsc|rs|dei|ce|ceu|in-?service|supervision|reflective|"
               r"more|additional|total|direct|group|individual|documented|logged|full|of\s+(?:those|these|the|my|them))"
               r"[\s-]+){0,2}")
AMOUNT = re.compile(
    rf"(?<![\w.$])(?P<num>{NUMBER})(?P<half>\s+and\s+(?:a\s+)?half)?"
    rf"(?:\s*(?:-|–|to)\s*(?P<upper>\d+(?:\.\d+)?|{NUMBER_WORD}))?\s*\+?\s*-?\s*(?P<inner>{INNER_WORDS})"
    rf"(?P<unit>{HOURS_UNIT}|{YEARS_UNIT}|{MONTHS_UNIT}|{MINUTES_UNIT})(?!\w)(?P<half2>\s+and\s+a\s+half)?")
FAMILIES = re.compile(
    rf"(?<![\w.])(?P<num>\d+|{NUMBER_WORD}(?:[\s-]+{NUMBER_WORD})*|a\s+dozen)(?:\s*(?:-|–|to)\s*\d+)?\s*\+?\s*"
    r"(?:or\s+so\s+)?"
    r"(?:(?:different|young|low[- ]income|foster|other|unique|more|total|separate|enrolled|new)\s+){0,3}"
    r"(?P<noun>famil(?:y|ies)|fams|clients)\b")
# "between 35 and 50 hrs": a range said with words, labelled with its lower end
BETWEEN_BEFORE = re.compile(rf"\bbetween\s+(?P<num>\d+(?:\.\d+)?|{NUMBER_WORD})\s+and\s+$")
# "12 families a year", "200 moms a year": a yearly rate, not how many were served
PER_YEAR_AFTER = cue(r"^\s*(?:\w+\s+){0,3}?(?:a|per|each|every)\s+year\b|^\s*(?:/\s*(?:yr|year)|annually|yearly)\b")
COUNTED_BEFORE = cue(rf"(?<![\w.])(?:\d+|{NUMBER_WORD})\s*\+?\s+(?:(?!(?:hours?|hrs?|years?|yrs?|months?|mos?|for|over|"
                     r"in|during|within|since|of|about|around)\b)"
                     r"[\w&'-]+\s+){1,4}$")
# "supervising 2 clinicians reflectively": a number of people, not a part of an amount of hours
PEOPLE = r"(?:clinicians|staff|supervisees|home\s+visitors|teachers|nurses|advocates|people|students|consultees)"
PART_NUMBER = re.compile(
    rf"(?:(?<![\w.])(?P<num>\d+(?:\.\d+)?|{NUMBER_WORD})\s+(?:of\s+(?:them|those|these|which|that|it)|were|was)\b)"
    rf"|(?:\b(?:including|incl\.?|inc\.?)\s+(?P<num2>\d+|{NUMBER_WORD})(?!\s*(?:{HOURS_UNIT}|{YEARS_UNIT})\b))"
    rf"|(?:(?<![\w.])(?P<num3>[1-9]\d*|{NUMBER_WORD})\s+(?:(?:on|in|about|for|of)\s+)?(?!{PEOPLE})"
    rf"(?=(?:[\w-]+\s+){{0,2}}?(?:dei|"
    r"diversity|equity|inclusion|anti|cultural|providing|giving|reflective|rs/?c|rs\b)))"
    rf"|(?:\bthe\s+(?:last|past|first|final)\s+(?P<num4>\d+(?:\.\d+)?|{NUMBER_WORD})\b"
    rf"(?!\s*(?:(?:-|–|to)\s*[\w.]+\s*)?(?:{YEARS_UNIT}|{MONTHS_UNIT})))")
# "Training hours: 45", "years: 4": the unit named first, as in a form
LABELLED_AMOUNT = re.compile(rf"(?<!\w)(?P<unit>{HOURS_UNIT}|{YEARS_UNIT}|{MONTHS_UNIT})\s*[:=]\s*"
                             r"(?P<num>\d+(?:\.\d+)?)\b")
# "the past year", "over the last month": one year or month with no number said
ONE_UNIT = re.compile(r"\b(?:the|this)\s+(?:past|last|previous)\s+(?P<unit>year|month)\b(?P<half>\s+and\s+a\s+half)?")
# "... for 7", "then 3 as a lead teacher": a number whose unit (years) is left out after a duration just said
ELLIPTIC_YEARS = re.compile(rf"(?:\bfor\s+(?:about\s+|another\s+|around\s+)?(?P<num>\d+(?:\.\d+)?|{NUMBER_WORD})"
                            r"(?!\.?\d)(?=\s*(?:[.;,)!?]|$|\s+(?:as|at|in|doing|before|after|with|on)\b))|"
                            r"(?:(?<=[,:;]\s)|\band\s+(?:the\s+last\s+|another\s+))"
                            rf"(?P<num2>\d+(?:\.\d+)?|{NUMBER_WORD})"
                            r"(?!\.?\d)(?=\s+(?:more\s+)?(?:as|at|in|doing|with)\b))")
# "3 years... wait no, 4": a number said as a correction of the amount just before it
CORRECTED_AFTER = re.compile(
    rf"^[^\d!?]{{0,25}}?(?:\.\.\.|[—–,;(-])?\s*(?:hmm+\W*)?(?:no\W+)?(?:wait|sorry|actually|i\s+mean|make\s+that|"
    rf"correction|oops|scratch\s+that)\b[^\d!?]{{0,40}}?(?<![\w.])(?P<num>\d+(?:\.\d+)?|{NUMBER_WORD})"
    rf"(?:\s*(?:{HOURS_UNIT}|{YEARS_UNIT}|{MONTHS_UNIT}))?(?=\s*(?:[,.;:!?)—–-]|$|\s+(?:i|since|because|as|not|"
    r"actually)\b))")
BARE_NUMBER = re.compile(rf"(?<![\w.])({NUMBER})(?![\w])")
LIMITS = {"hours": 5000.0, "years": 60.0, "families": 2000.0}


def unit_kind(unit: str) -> str:
    """'hrs' -> hours, 'mos' -> months, 'min' -> minutes, anything else -> years."""
    for kind, pattern in (("hours", HOURS_UNIT), ("months", MONTHS_UNIT), ("minutes", MINUTES_UNIT)):
        if re.fullmatch(pattern, unit):
            return kind
    return "years"


def to_number(text: str) -> Optional[float]:
    """'20', '1.5', '1 1/2', 'twenty five', 'two and a half', 'a', 'a dozen', 'a couple of' -> a number."""
    text = text.lower().replace(",", "").replace("½", " 1/2").strip()
    parts = text.split()
    if len(parts) == 2 and parts[1] == "1/2" and re.fullmatch(r"\d+(?:\.\d+)?", parts[0]):
        return float(parts[0]) + 0.5
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    if "couple" in text:
        return 2.0
    if text.startswith("half"):
        return 0.5
    text = re.sub(r"\band a half\b", "and_half", text)
    value, seen = 0.0, False
    for word in re.split(r"[\s-]+", text):
        if word in UNITS:
            value += UNITS[word]
        elif word in TENS:
            value += TENS[word]
        elif word in ("hundred", "dozen"):
            value = (value or 1) * (100 if word == "hundred" else 12)
        elif word == "and_half":
            value += 0.5
        else:
            continue
        seen = True
    return value if seen else None


# Cues --------------------------------------------------------------------------------------------------------------
RSC = (r"(?:reflective\s+(?:supervis\w*|consult\w*|practice)|rs/?c|r\.s\.c\.?|\brsc|\brs\b|reflective|"
       r"supervis(?:ion|on)(?!\s+(?:of|for)\b))")
PROVIDING_RSC = cue(
    r"\b(?:provid\w*|giv(?:e|es|en|ing)|gave|offer\w*|facilitat\w*|deliver\w*)\s+"
    rf"(?:(?!get|receiv|me\b|us\b)[\w/]+\s+){{0,2}}?"
    rf"{RSC}"
    r"|\b(?:as|been|am|i'?m|work\s+as|serve\s+as|working\s+as)\s+an?\s+(?:reflective\s+(?:supervisor|consultant)|"
    r"rs/?c\s+provider)|\bsupervis\w*\s+(?:\w+\s+){0,3}(?:reflectively|using\s+(?:rs|reflective)|"
    r"with\s+reflective)\b|\bdo(?:ing)?\s+reflective\s+(?:supervision|consultation)\s+(?:with|w/?|for)\s+"
    r"(?!(?:my|our|a|an|the|her|his)\s+(?:own\s+)?(?:supervisor|consultant|mentor|boss|director))"
    r"(?:my|our|the|\d+|two|three|four|five|six|seven|eight)?\s*(?:new\s+)?\w+"
    r"|\b(?:my|our)\s+supervisees\b")
NOT_PROVIDING_RSC = cue(
    r"\b(?:don'?t|do\s+not|doesn'?t|never|not|no\s+longer)\s+(?:\w+\s+){0,2}?(?:provid\w*|giv\w*|offer\w*|do)\s+"
    rf"(?:\w+\s+){{0,2}}?{RSC}|\bi\s+(?:don'?t|do\s+not)\s+supervise\b|\bnot\s+(?:a|anyone'?s)\s+supervisor\b"
    r"|\bno\s+supervisees\b|\bdon'?t\s+supervise\b")
ANAPHORA = cue(r"\b(?:doing\s+(?:that|this|it)|(?:been|worked|working)\s+there|(?:working|worked)\s+that\s+way|"
               r"that\s+whole\s+time|the\s+whole\s+time|the\s+entire\s+time|"
               r"(?:all\s+)?(?:of\s+)?those\s+years|in\s+(?:this|that)\s+(?:role|position|job)|since\s+then)\b")
# "I give RS to my team and have done so since I became supervisor": as long as the leadership role
SINCE_LEADING = cue(r"\b(?:since|when)\s+i\s+(?:became|was\s+made|was\s+promoted\s+to|started\s+as)\s+"
                    r"(?:an?\s+|the\s+)?(?:[\w-]+\s+)?(?:supervisor|director|manager|coordinator|lead|leader)\b")
PAID = cue(r"\bpaid\b")  # not "unpaid"
PAID_ASIDE = cue(r"^[^.;]{0,40}?[,(]\s*paid\b")
AS_ROLE = cue(  # "... for 5 years as an early childhood mental health consultant"
    r"\bas\s+(?:an?|the)\s+(?:[\w-]+\s+){0,4}[\w-]+")
WHOLE_TIME = cue(r"\b(?:that\s+whole\s+time|the\s+whole\s+time|the\s+entire\s+time|for\s+(?:all\s+)?(?:of\s+)?"
                 r"those\s+(?:\d+\s+)?years|the\s+same\s+(?:\d+\s+)?years|both)\b")
# Therapies that are not relationship-based clinical treatment: they count as work, not as clinical work
OTHER_THERAPY = (r"(?<!speech\s)(?<!speech-language\s)(?<!language\s)(?<!physical\s)(?<!occupational\s)(?<!massage\s)"
                 r"(?<!developmental\s)(?<!aba\s)(?<!behavior\s)(?<!behavioral\s)(?<!feeding\s)(?<!respiratory\s)")
YEAR_CLASSES: Tuple[Tuple[str, Pattern[str]], ...] = (
    ("providing", PROVIDING_RSC),
    ("faculty", cue(r"\b(?:(?:at|in)\s+(?:a|the)\s+(?:\w+\s+)?universit\w*|universit\w*\s+(?:level|faculty)|"
                    r"professor\w*|faculty|lecturer|adjunct|research\w*|published|"
                    r"publications?|(?:teach\w*|taught)\s+(?:[\w-]+\s+){0,3}(?:at|in)\s+(?:a|the)?\s*(?:\w+\s+)?"
                    r"(?:college|university|grad\w*\s+program|medical\s+school)|academi\w*|medical\s+school)\b")),
    ("policy", cue(r"\b(?:polic(?:y|ies)|administrat\w*|state\s+(?:agency|office|program|coordinator|level)|"
                   r"part\s+c\s+coordinator|legislat\w*|county\s+(?:program|administrator)|"
                   r"systems?\s+(?:work|level|building))\b")),
    ("leadership", cue(r"\b(?:lead(?:er|ership|ing)?(?!\s+(?:toddler\s+|infant\s+|preschool\s+|pre-?k\s+)?teacher)|"
                       r"led|director|direct(?:ed|ing)\s+(?:the|our|a|an|my)\b|managing|manager|president|"
                       r"manag(?:e|es|ed)\s+(?:the|a|an|our|my)\s+(?:[\w-]+\s+){0,3}(?:team|program|staff|center|"
                       r"centre|department|unit|clinic|agency|site|office)|"
                       r"(?:on|of)\s+(?:the|our|a)\s+(?:[\w-]+\s+){0,2}board|"
                       r"run(?:ning)?\s+(?:the\s+|our\s+|a\s+|an\s+)?(?:\w+'?s?\s+){0,3}(?:program|agency|team|"
                       r"department|clinic|center|centre)|"
                       r"ran\s+(?:the\s+|our\s+|a\s+)?(?:\w+\s+){0,3}(?:program|agency|team|clinic)|"
                       r"(?:as|been|am|i'?m|was|became|become|work\s+as|served\s+as|then)\s+(?:a|an|the)\s+"
                       r"(?:[\w-]+\s+){0,3}supervisor|(?<!my\s)(?<!our\s)(?<!her\s)(?<!the\s)"
                       r"(?:home\s+visiting|home\s+visitor|hv|program|clinical|site|team|ehs|classroom|center|"
                       r"education|nurse|family\s+services)\s+"
                       r"supervisor|supervis(?:e|ed|ing)\s+(?:\w+\s+){0,2}(?:staff|team|home\s+visitors|teachers|"
                       r"clinicians)(?!\s+(?:reflectively|using\s+reflective|with\s+reflective))|"
                       r"(?<!service\s)(?<!care\s)coordinat\w+|chair\w*|head\s+of|in\s+charge\s+of)\b")),
    ("volunteer", cue(r"\b(?:volunteer\w*|unpaid|casa|intern(?:ship)?s?|practic(?:um|a))\b")),
    ("clinical", cue(rf"\b(?:{OTHER_THERAPY}therap(?:y|ies|ist|ists)|psychotherap\w*|clinician|clinically|"
                     r"clinical(?!\s+supervis)|counsel(?:or|ing|lor)\w*|"
                     r"cpp|child[- ]parent|parent[- ](?:infant|child|toddler)|infant[- ]parent|dyadic|"
                     r"interaction\s+guidance)\b")),
    ("work", cue(r"\b(?:home\s+visit\w*|visit(?:ed|ing|s)?\s+(?:with\s+)?families|visitor|teach\w*|taught|"
                 r"nann(?:y|ies)|doula|early\s+interv\w*|ei|head\s+start|ehs|day\s*care|child\s*care|childcare|"
                 r"preschool|pre-?k|classroom|case\s*(?:worker|manager)|family\s+(?:support|advocate)|specialist|"
                 r"advocate|nurse|nursing|interventionist|worker|coach\w*|para\w*|assistant|aide|infant\s+room|"
                 r"toddler\s+room|nicu|hospital|clinic|agency|caregiver|social\s+worker|educator|consultant|"
                 r"instructor|navigator|promotora|therap(?:y|ist)|pediatrician|physician|psychiatrist|"
                 r"psychologist|pathologist|slp|ot|pt|lactation|midwife|(?:service|care)\s+coordinat\w+|"
                 r"in\s+practice|patients|fams|caseload|child\s+welfare|foster\s+care|social\s+services|"
                 r"family\s+services|(?:at|in)\s+(?:an?|the|our)\s+(?!(?:\w+\s+){0,2}(?:grad\w*|doctoral|phd|"
                 r"master'?s|degree|training|certificat\w*)\b)(?:[\w-]+\s+){0,4}(?:program|agency|center|"
                 r"centre|clinic|hospital)|\d+\s+famil(?:y|ies)|"
                 r"(?:with|w/|serving|for)\s+(?:kids|children|families|babies|infants|toddlers|parents|moms))"
                 r"(?!\w)")),
    ("generic", cue(r"\b(?:work\w*|experience\w*|experiance|job|employ\w*|in\s+the\s+field|career)\b")),
)
NON_CHILD_WORK = cue(r"\b(?:finance|accounting|marketing|banking?|retail|sales|engineering|restaurant|dental|"
                     r"insurance|real\s+estate|tech\s+industry|software|construction|law\s+firm|military)\b")
# work with people who are not young children, whatever the role ("a hospital with adults", "high school teacher")
ADULT_WORK = cue(r"\b(?:with\s+adults|adult\s+(?:patients|clients|services|psychiatry|unit|population)|geriatric|"
                 r"elderly|older\s+adults|(?:high|middle)\s+school\s+(?:teacher|students|kids|classroom)|"
                 r"college\s+students|school[- ]age(?:d)?)\b")
SPAN_PREPOSITION = cue(r"\b(?:over|across|during|within|in|for|spread\s+over|spread\s+across|throughout|started|"
                       r"began)\s+(?:just\s+|only\s+)?"
                       r"(?:the\s+|those\s+|these\s+|all\s+(?:of\s+)?(?:those\s+|these\s+)?)?"
                       r"(?:whole\s+)?(?:last|past|previous|about|around|roughly|~)?\s*$|/\s*$")
SO_FAR_AFTER = cue(r"^\W*so\s+far\b")
PEER = cue(r"\bpeers?\b|colleagues?\s+(?:group|meeting)")
TRAINING = cue(r"\b(?:train\w*|trng|in-?services?|workshops?|ceus?|ces|courses?|coursework|conferences?|"
               r"webinars?|professional\s+development|pd|classes|seminars?|modules?|certificat\w*|series)\b")
DEI = cue(r"\b(?:dei|diversity|equity|inclusion|inclusive|anti-?bias|anti-?racis\w*|cultural\s+humility|"
          r"culturally)\b")
RSC_CUE = cue(rf"\b{RSC}")
PROVIDING_TRAINING = cue(
    rf"\b(?:provid\w*|giv\w*|deliver\w*|how\s+to|on\s+being|as\s+an?|rs-provider|supervisor)\s+(?!me\b|us\b)"
    rf"(?:\w+\s+){{0,2}}?{RSC}"
    r"|\brs-?provider\b")
# "including the 15 hr RS/C training", "(12 hrs DEI)": a part of the total just said; "plus", "+": an addition
INCLUDED_BEFORE = cue(r"(?:including|incl\.?|inc\.?|of\s+which|with|\()\s*(?:(?:the|a|an|about|probably|maybe|roughly|"
                      r"around|~)\s*)*$")
OF_THE_WHOLE_AFTER = cue(r"^\s*of\s+(?:it|that|those|these|them|which)\b")  # "3 hours of it on equity"
LIST_GOES_ON = cue(r"^\W*and\s+(?:(?:the|a|an|about|probably|maybe|roughly|around|~)\s*)*$")
ADDED_BEFORE = cue(r"\bplus\b|\+|\bon\s+top\s+of\b|\bin\s+addition\b|\bas\s+well\s+as\b")
# "we meet", "meets with me": sessions with a supervisor or consultant, when nothing else says what the hours are
MEETING = cue(r"\b(?:we\s+meet(?!\s+with\s+(?:the\s+)?(?:families|parents|kids|children|clients))|meets?\s+with\s+"
              r"(?:me|us)|i\s+meet\s+with\s+(?:her|him|(?:my|our)\s+(?:[\w-]+\s+)?(?:supervisor|consultant|mentor|"
              r"director|manager|coordinator)))\b")
# "nothing reflective about it", "clinical supervision, not reflective"
SUPERVISING = cue(r"\bi\s+(?:\w+\s+)?supervis(?:e|ing)\b")
NOT_REFLECTIVE = cue(r"\b(?:nothing|not|isn'?t|wasn'?t|never)\s+(?:\w+\s+)?reflective\b(?!\s+(?:supervis|consult))")
PACE_AFTER = cue(r"^\W*(?:(?!(?:over|for|across|during|within|in|since)\s)[\w/-]+\W+){0,6}?"
                 r"(?:(?:a|per|each|every|/)\s*(?:month|mo)\b|monthly|"
                 r"(?:a|per|each|every|/)\s*(?:week|wk)\b|weekly|every\s+(?:two|2|other)\s+weeks?|biweekly|"
                 r"twice\s+a\s+month|(?:a|per|/)\s*year\b)")
FREQUENCY = cue(r"(?:(?:once|twice)\s+a\s+(?:month|week)|every\s+(?:(?:other|two|2)\s+)?weeks?|every\s+month|"
                r"weekly|monthly|biweekly)")
PACE_BEFORE = cue(FREQUENCY.pattern + r"[\s,]+(?:for\s+)?(?:about\s+|around\s+|roughly\s+|~)?$")
# "1.5 hrs each time" in a sentence that says how often ("a monthly group"): the pace is that often
EACH_TIME_AFTER = cue(r"^\W*(?:each|every|per|a)\s+(?:time|session|meeting)\b")
AGE_BEFORE = cue(r"(?:birth|newborns?|ages?|aged|under|up\s+to|0|zero)\s*(?:-|–|to|through|thru)?\s*$")
AGE_AFTER = cue(r"^\s*-?\s*(?:olds?\b|of\s+age\b|old\b)")
NOT_DURATION_AFTER = cue(r"^\s*(?:from\s+now\b|later\b)")
AGO = cue(r"^\s*ago\b")
# "I started giving RS about a year ago", "2 years ago I did the course, and ever since then I give RS": how long
# something has gone on, not a date
CHANGE_BEFORE = cue(r"\b(?:(?:started|began)\b[^.;,]*|switched\s+to\s+[^.;,]*|moved\s+to\s+[^.;,]*|became\s+[^.;,]*|"
                    r"transitioned\s+to\s+[^.;,]*)\s*$")
CHANGE_AFTER = cue(r"\s*ago\b(?:[^.;!?]*?\b(?:since\s+then|ever\s+since|since\s+that)|\W+(?:and\s+)?(?:since|"
                   r"i\s+(?:became|started|began|switched|moved|took|got\s+promoted)))\b")
NOT_THEIRS_AFTER = cue(r"^\W*(?:\w+\s+)?(?:rule|minimum|requirement|limit|threshold)\b")
NOT_THEIRS_BEFORE = cue(r"\b(?:need|needs|needed|require[sd]?|requirement\s+(?:of|is)|minimum\s+(?:of|is)|the\s+old|"
                        r"the\s+new)\s+(?:at\s+least\s+|about\s+)?$")
# "I've been doing the dyadic part for 4 years": a part of the job just told
PART_OF_JOB = cue(r"\b(?:the|that)\s+(?:[\w-]+\s+)?part\b|\bpart\s+of\s+(?:it|that|my\s+(?:job|work|caseload))\b")
# "4 years as a legislative aide (not relevant)"
NOT_RELEVANT_AFTER = cue(r"^[^.;]{0,40}?\bnot\s+(?:relevant|related|with\s+(?:kids|children|families))\b")
TOTAL = cue(r"^\W*(?:total|in\s+(?:all|total)|altogether|overall|combined)\b")
BEFORE_THAT = cue(r"\b(?:before\s+that|prior\s+to\s+that|before\s+then)\b")
DEGREE_DONE = cue(r"\b(?:finished|graduated|got|earned|completed)\s+(?:with\s+)?(?:my|a|an)\s+")
KIDS_BEFORE = cue(r"\b(?:children|kids|toddlers|preschoolers|infants|babies|ages|aged|child)\s*\(?\s*$")
CONNECTOR = re.compile(r"\s(?:and|but|then|plus|also|while|so|because|though|although|after|before)\s|[,:.]")
OWNER_SPLIT = re.compile(
    r"(?:,|;|\(|\band\b|\bbut\b|\bwhile\b|\bwhereas\b|\bso\b)\s+(?=(?:i|i'm|i've|i'd|im|ive|me|my|mine|she|he|they|"
    r"she's|he's|her|his|our|one\s+of|another|who|we)\b)")
# "my supervisor gives me 1 hr a week": a clause about someone else that tells what the person receives
TO_ME = cue(r"\b(?:gives?|gave|giving|provides?|provided|offers?|does|do)\s+(?:me|us)\b|\b(?:meets?|met|meeting)\s+"
            r"with\s+(?:me|us)\b|\bwith\s+(?:me|us)\s+(?:every|each|once|twice|weekly|monthly)\b|"
            r"\bpeer\s+(?:reflection|supervision|consultation|support|group)")
# ", who is an endorsed IFRS, over about 14 months": the aside ends at its comma
RELATIVE_ASIDE = cue(r"^\W*(?:who|which)\b[^,;]*,(?=\s*(?:over|for|across|during|within|since|in|about|around|so)\b)")
OTHER_SUBJECT = cue(
    r"^\W*(?:(?:and|but|so|also|plus)\s+)?(?:she|he|they|she's|he's|they're|her|his|their|who|mine\s+is|mine's|"
    r"(?:my|our|the|one\s+of\s+(?:my|our)|another(?:\s+one)?(?:\s+of\s+(?:my|our))?)\s+(?!own\b)(?:[\w-]+\s+){0,2}?"
    r"(?:supervisor|boss|director|manager|coworker|co-worker|colleague|daughter|son|friend|mom|mother|dad|"
    r"husband|wife|partner|staff|home\s+visitors?|clinicians?|teachers?|consultant|mentor|team|"
    r"employees?|supervisees?|sister|brother))\b|^\W*another\s+(?:one\b|has\b|is\b|of\s+(?:my|our)\b)")

# Degrees, licenses and whose they are
CASE_SENSITIVE = {"ba", "bs", "ma", "ms", "md", "do", "as", "aa"}
LOWERCASE_OK = {"ba", "bs", "ma", "ms", "aa"}  # "ba in psych": lower case only before "in", "degree" or a field
IN_PROGRESS_BEFORE = cue(
    r"\b(?:working\s+(?:on|toward\w*)|pursuing|enrolled|finishing|completing|currently\s+(?:in|getting|doing)|"
    r"in\s+school\s+for|studying\s+for|will\s+(?:get|finish|have|graduate|complete)|going\s+(?:for|back\s+for)|"
    r"starting|start(?:ed)?\s+(?:my|a)|applying\s+(?:to|for)|plan(?:ning)?\s+to|want(?:ing)?\s+to|hope\s+to|"
    r"thinking\s+(?:about|of)|considering|(?:first|second|1st|2nd|final|last|third|3rd)\s+(?:year|yr)\b|"
    r"halfway\s+through|almost\s+done\s+with|close\s+to\s+finishing|(?:a|an)\s+(?:\w+\s+)?student|student\s+in|"
    r"toward\w*|while\s+(?:i\s+was\s+)?(?:getting|finishing|doing|earning)|without\s+(?:a|an|my)|"
    r"(?:need|needs|require[sd]?)\s+(?:a|an|my)|if\s+i\s+(?:get|got|had|have|earn)|what\s+if|should\s+i\s+get)"
    r"\b[^.;!?,]*$")
IN_PROGRESS_AFTER = cue(r"^\W*(?:\w+\W+){0,3}?(?:program|student|candidate|abd|in\s+progress|expected|"
                        r"next\s+(?:year|spring|fall|summer|may|month|semester)|this\s+(?:spring|fall|summer|may|"
                        r"semester)|by\s+(?:next|20\d\d)|in\s+20(?:2[7-9]|3\d)|soon|graduating\s+(?:in|next|this))\b")
# "no CDA yet", "not a BA": a degree the person says they do not have
NOT_HELD_BEFORE = cue(r"\b(?:no|not\s+(?:a|an|my))\s+$")
# "from a licensed psychologist", "under an LCSW": someone else's license
SOMEONE_BEFORE = cue(r"\b(?:from|by|under|to)\s+(?:a|an|my|our|the|her|his)\s+$")
# "associate professor", "associate director": a title, not an associate's degree
TITLE_AFTER = cue(r"^\s+(?:professor|director|dean|editor|teacher|clinician|member|producer|manager|"
                  r"superintendent|principal|provost|researcher|scientist)\b")
NOT_LICENSED = cue(r"\b(?:not|n't|never)\s+(?:\w+\s+){0,2}?licen[sc]ed\b|\bunlicen[sc]ed\b|\blicen[sc]e[- ]eligible\b|"
                   r"\bno\s+(?:\w+\s+){0,2}licen[sc]e\b|\b(?:working|studying)\s+(?:on|toward\w*)\s+(?:my\s+|a\s+)?"
                   r"(?:\w+\s+)?licen[sc]\w*|\bpre-?licen[sc]\w*|\bdon'?t\s+have\s+(?:a|any|my)\s+(?:[\w-]+\s+){0,3}"
                   r"licen[sc]e|\blicen[sc]ed\?\s*no\b|\b(?:associate|intern)\s+(?:\w+\s+)?collecting\s+hours")
LICENSED_SELF = cue(r"\b(?:i'?m|i\s+am|am|i'?ve\s+been|i\s+have\s+been)\s+(?:also\s+)?(?:a\s+|fully\s+|now\s+)?"
                    r"licen[sc]ed\b|\bi\s+(?:have|hold|got)\s+(?:my|a)\s+(?:\w+\s+){0,2}licen[sc]e\b|"
                    r"^\W*licen[sc]ed\b")
NO_DEGREE = cue(r"\b(?:no\s+(?:college\s+)?degree|don'?t\s+have\s+(?:a|any)\s+(?:college\s+)?degree|"
                r"without\s+a\s+(?:college\s+)?degree|never\s+(?:went\s+to|finished|attended)\s+college|"
                r"didn'?t\s+(?:go\s+to|finish)\s+college|no\s+college|dropped\s+out)\b")
HIGH_SCHOOL = cue(r"\bhigh[- ]?school\s+(?:diploma|grad\w*|degree)|\bged\b|\bdiploma\b|\bhs\s+grad|"
                  r"\b(?:finished|graduated|out\s+of)\s+high[- ]?school")
FIELD_AFTER_DEGREE = re.compile(r"^\.?\s*(?:degree\s+)?(?:(?:is|was)\s+)?(?:in|of)\s+([a-z][a-z&'/ -]*?)"
                                r"(?=\s*(?:[,.;!?()+]|\bfrom\b|"
                                r"\bwith\b|\bwhich\b|\bthat\b|\bbut\b|\bso\b|\band\s+(?:i|have|am|work|\d)|\d|$))")
# "my degree is in ...", "I majored in ...", "professor of ...": a field named apart from the degree
FIELD_SAID = cue(r"\b(?:(?:my\s+)?(?:degree|major)\s+(?:is|was)\s+in|majored\s+in|professor\s+of)\s+"
                 r"(?P<field>[a-z].{0,40})")
BEFORE_DEGREE = cue(r"\bbefore\s+(?:i\s+)?(?:finish\w*|complet\w*|got|get\w*|earn\w*|went\s+back|going\s+back|"
                    r"graduat\w*|my\s+(?:degree|ba|bs|bachelor\w*|master\w*))|"
                    r"\bwhile\s+(?:i\s+)?(?:was\s+)?(?:getting|finish\w*|complet\w*|working\s+on|doing|earning|"
                    r"in\s+school\s+for)\s+my|\bthen\s+(?:i\s+)?(?:finished|completed|got|earned)\s+my")
AFTER_DEGREE = cue(r"\b(?:after|since)\s+(?:i\s+)?(?:finish\w*|complet\w*|got|earn\w*|graduat\w*|grad\s+school|"
                   r"my\s+(?:degree|ba|bs|bsw|msw|ma|ms|bachelor\w*|master\w*|graduate\s+degree))|"
                   r"\bpost[-\s](?:bachelor|master|degree|graduat)")
BEFORE_GRAD_SCHOOL = cue(r"\bbefore\s+(?:i\s+went\s+(?:back\s+)?to\s+)?grad(?:uate)?\s+school\b")

# Whole-message facts
WORK_PACE = (("part time", 0.5), ("part-time", 0.5), ("half time", 0.5), ("half-time", 0.5),
             ("full time", 1.0), ("full-time", 1.0), ("fulltime", 1.0))
FTE = re.compile(r"(?<![\w.])(\d?\.\d+|\d+(?:\.\d+)?)\s*fte\b")
STUDY_PACE = cue(r"\b(?:school|student|degree|bachelor'?s|master'?s|classes|program|studying)\s+(?:\w+\s+)?"
                 r"(?:part|full)[- ]?time|\b(?:part|full)[- ]?time\s+(?:student|school|classes|program|studies)\b")
WORK_HOURS_A_WEEK = 10  # "20 hours a week": from this many hours a week, a work schedule, not training or RS/C
FULL_TIME_HOURS = 40
DONT_KNOW = cue(r"\b(?:i\s*do\s*n[o']?t know|dont know|don't know|not sure|no idea|idk|unsure|can'?t remember|"
                r"no clue)\b")
SKIP = cue(r"^\W*(?:skip|pass|next|skip it|skip that|leave it out)\W*$")
YES = cue(r"^\W*(?:yes|yeah|yep|yup|i do|i am|correct|sure|i have one|i'?m licensed)\b")
NO = cue(r"^\W*(?:no|nope|not yet|i don'?t|i'?m not|not licensed|none)\b")
CORRECTION = cue(r"\b(?:actually|correction|i meant|sorry,? i|it'?s really|make that|wait,|scratch that)\b")
NOT_REALLY = r"(?:formal|actual|real|official|true)"  # "no formal RS", "nobody can give actual RS"
NONE_OF = {
    "work_years": cue(r"\bno\s+(?:paid\s+|work\s+|professional\s+|relevant\s+|real\s+)*(?:experience|experiance|"
                      r"work\s+experience)\b|\bnever\s+worked\b|\bhaven'?t\s+worked\b|\bnot\s+working\s+yet\b"),
    "training_hours": cue(r"\bno\s+(?:(?!dei\b|diversity\b|rs\b|rsc\b|reflective\b)[\w-]+\s+){0,2}?trainings?\b|"
                          r"\bhaven'?t\s+(?:had|done|taken)\s+any\s+(?:formal\s+)?training"),
    "rsc_hours": cue(rf"\b(?:no|zero|0)\s+(?:{NOT_REALLY}\s+)?(?:hours\s+of\s+)?(?:{RSC}|supervision\s+hours)|"
                     r"\b(?:don'?t|do\s+not|doesn'?t|never|haven'?t|have\s+not)\s+(?:\w+\s+){0,2}?"
                     r"(?:get|got|gotten|receive[sd]?|had|have|been\s+in|been\s+given)\s+(?:an?\s+)?(?:any\s+)?"
                     rf"(?:what\s+i'?d\s+call\s+)?(?:{NOT_REALLY}\s+)?(?:{RSC})|"
                     rf"\bno(?:body|\s+one)\b[^.;]*\b(?:can|could|to)\s+(?:give|provide|offer)\s+(?:{NOT_REALLY}\s+)?"
                     rf"(?:{RSC})|\bonly\s+admin\w*\s+supervision\b|zero\s+hours\s+logged"),
    "policy_leadership_years": cue(r"\bno\s+(?:\w+\s+)?polic(?:y|ies)\b|\bnever\s+(?:did|done|worked\s+in)\s+policy|"
                                   r"\bno\s+(?:teaching|faculty|research)\s*(?:or|and|/|,)\s*policy"),
    "faculty_years": cue(r"\bno\s+(?:university\s+|college\s+)?(?:teaching|faculty)\b|\bnever\s+(?:\w+\s+)?taught\s+"
                         r"(?:at\s+)?(?:a\s+)?univ|\bno\s+faculty|\bno\s+\w+\s*/\s*(?:faculty|teaching)\b|"
                         r"\bno\s+teaching\b|"
                         r"\bno\s+policy\s*(?:or|and|/|,)\s*(?:faculty|teaching|research)"),
    "dei_hours": cue(r"\b(?:none|nothing|no\s+(?:hours|training))\s+(?:yet\s+)?(?:on|in)\s+(?:dei|diversity|equity)"),
    "clinical_work_years": cue(r"\bnot\s+dyadic\b|\bno\s+dyadic\b|\bnever\s+done\s+clinical|\bnot\s+(?:a\s+)?"
                               r"(?:clinician|therapist)\b(?!\s+type)|\b(?:don'?t|not|never)\s+(?:do|doing|done|"
                               r"provide|providing)\s+(?:any\s+)?(?:clinical|therapy|dyadic|psychotherapy)|"
                               r"\bnot\s+with\s+the\s+parents\b"),
}
PROVIDER_CONTEXT = cue(r"w/|\b(?:supervisor|supervisors|consultant|director|supervised\s+by|from|given\s+by|"
                       r"provided\s+by|provider|with\s+(?:a|an|my|our|her|him)|she|he|her|him|they|who|mine)\b")
NOT_ENDORSED = cue(r"\b(?:not|isn'?t|is\s+not|non|un|never\s+been)[\s-]*endorsed\b|\bno\s+endorsement\b|"
                   r"\bnot\s+(?:yet\s+)?endorsed\b")
ENDORSED = cue(r"\bendorsed\b|\bimh-e\b|\becmh-e\b|\b(?:has|holds|got)\s+(?:the|an|her|his)\s+endorsement\b")
SUPERVISOR = cue(r"\b(?:supervisor|consultant)\b")
# "an ECFS endorsed supervisor": a category named just before the provider
CLAUSE_BREAK = re.compile(r"[:;]|\s[-–]\s")
PROVIDER_AFTER = cue(r"^\s*(?:endorsed\s+)?(?:supervisor|consultant|provider|mentor)\b")
RULE_TALK = cue(r"\b(?:needs?|must|has|have|should|supposed)\s+(?:to\s+)?be\s+endorsed|\bnot\s+sure\s+(?:if|whether)|"
                r"\bdon'?t\s+know\s+(?:if|whether)")


@dataclass
class Conflict:
    """Two things said that cannot both hold: the assistant asks which is right instead of guessing."""

    measure: str
    values: Tuple[Value, ...]


@dataclass
class Statement:
    """What one message says about the person."""

    facts: Dict[str, Value] = field(default_factory=dict)
    bare_numbers: List[float] = field(default_factory=list)
    bare_years: List[float] = field(default_factory=list)
    bare_hours: List[float] = field(default_factory=list)
    problems: List[str] = field(default_factory=list)
    conflicts: List[Conflict] = field(default_factory=list)
    dont_know: bool = False
    skip: bool = False
    correction: bool = False
    yes_no: Optional[bool] = None

    @property
    def says_anything(self) -> bool:
        return bool(self.facts or self.bare_numbers or self.bare_years or self.bare_hours or self.dont_know
                    or self.skip or self.yes_no is not None or self.conflicts)


@dataclass
class Amount:
    value: float
    unit: str  # hours | years | months | part
    start: int
    end: int
    inner: str = ""


@dataclass
class Reading:
    """A classified amount: which measure it is, whether it is a pace or a part of an earlier total."""

    measure: str
    value: float
    sentence: int
    part: bool = False  # "3 of them on DEI": a part of the amount said before
    added: bool = False  # "plus 1 hr individual every month": on top of the amount said before
    within: str = ""  # for a part: the measure of the whole it is part of
    total: bool = False  # "5 years in total": the whole of what is said in parts


ABBREVIATIONS = {"incl", "inc", "e.g", "i.e", "eg", "ie", "approx", "etc", "dr", "mr", "mrs", "ms", "vs", "b.a", "m.a",
                 "b.s", "m.s", "ph.d", "psy.d", "m.ed", "ed.d", "m.s.w", "b.s.w", "st", "no", "jr", "sr", "min", "max",
                 "dept", "univ"}


def sentences(lowered: str) -> List[Tuple[int, int]]:
    """Sentence spans; a period ends a sentence only before a space and after a word that is not an abbreviation."""
    cuts = [0]
    for match in re.finditer(r"[!?;\n]+|\.+(?=\s|$)", lowered):
        if match.group(0).startswith("."):
            word = re.search(r"([\w.]*)$", lowered[:match.start()]).group(1)  # type: ignore[union-attr]
            if word in ABBREVIATIONS or len(word) == 1 and not word.isdigit():
                continue
        cuts.append(match.end())
    cuts.append(len(lowered))
    return [(a, b) for a, b in zip(cuts, cuts[1:]) if lowered[a:b].strip()]


class Text:
    """A message cut into sentences and clauses, each clause owned by the person or by someone else."""

    def __init__(self, original: str):
        self.original = original
        self.lowered = original.lower()
        self.sentences = sentences(self.lowered)
        self.other_spans: List[Tuple[int, int]] = []
        for start, end in self.sentences:
            cuts = [start] + [m.start() + start for m in OWNER_SPLIT.finditer(self.lowered[start:end])] + [end]
            for a, b in zip(cuts, cuts[1:]):
                clause = self.lowered[a:b]
                if not OTHER_SUBJECT.search(clause.lstrip(" ,;(")) or TO_ME.search(clause):
                    continue
                aside = RELATIVE_ASIDE.match(clause)  # ", who is endorsed, over 14 months": only the aside
                self.other_spans.append((a, a + aside.end() if aside else b))

    def is_others(self, position: int) -> bool:
        return any(a <= position < b for a, b in self.other_spans)

    def own_text(self) -> str:
        """The message with other people's clauses blanked out (positions kept)."""
        chars = list(self.lowered)
        for a, b in self.other_spans:
            chars[a:b] = " " * (b - a)
        return "".join(chars)

    def sentence_of(self, position: int) -> int:
        return next((i for i, (a, b) in enumerate(self.sentences) if a <= position < b), len(self.sentences) - 1)

    def sentence_bounds(self, position: int) -> Tuple[int, int]:
        return self.sentences[self.sentence_of(position)] if self.sentences else (0, len(self.lowered))


# "(32 yrs)", "— 3 years now —": an aside about what was said just before it
ASIDE_OPENS = re.compile(r"(?:\(|[—–]|\s-)\s*(?:about|around|~|for)?\s*$")
ASIDE_CLOSES = re.compile(r"^\s*(?:now|so\s+far)?\s*[)—–]")
ASIDE = re.compile(r"\([^()]*\)")  # "(infant, toddler and preschool rooms)"
# "Before I was director, I was one of the home visitors for 2 years": the role of the time clause is not the one
WHEN_CLAUSE = re.compile(r"\b(?:before|after|until|since|when|once)\s+i\s+(?:was|became)\s+[^,;]*?(?=,|\s+i\s)")


def last_piece(clause: str) -> str:
    """The last part of a clause, from its last connector on ("before grad school I taught for")."""
    starts = [m.start() for m in CONNECTOR.finditer(clause)]
    return clause[starts[-1]:] if starts else clause


def classes_in(segment: str) -> List[str]:
    """The kinds of work named in a segment; ["not_with_children"] for work in another field (finance, retail)."""
    found = [name for name, pattern in YEAR_CLASSES if pattern.search(segment)]
    if found in (["generic"], []) and NON_CHILD_WORK.search(segment):
        return ["not_with_children"]
    return found


def duration_measures(classes: Sequence[str]) -> List[str]:
    """The measures a duration feeds, from the kinds of work named around it (most specific first)."""
    if "providing" in classes:
        return ["rsc_provided_years"] + (["leadership_years"] if "leadership" in classes else [])
    for name, measure in (("faculty", "faculty_years"), ("policy", "policy_leadership_years"),
                          ("leadership", "leadership_years"), ("volunteer", "volunteer_years"),
                          ("clinical", "clinical_work_years"), ("work", "work_years"), ("generic", "generic_work")):
        if name in classes:
            return [measure]
    return []


class ProfileParser:
    """Reads one message into a Statement. Built once per process from the knowledge snapshot."""

    def __init__(self, knowledge: Knowledge):
        self.knowledge = knowledge
        self.degree_aliases = knowledge.aliases("degree")
        self.degrees = {d.code: d for d in knowledge.degrees()}
        self.degree_pattern, self.case_sensitive_pattern = self._degree_patterns(self.degree_aliases)
        self.field_aliases = knowledge.aliases("field")
        self.category_aliases = dict(knowledge.aliases("category"))
        self.role_aliases = knowledge.role_aliases()
        names = sorted(set(self.category_aliases) | set(self.role_aliases), key=len, reverse=True)
        self.category_pattern = re.compile(r"(?<![\w-])(" + "|".join(re.escape(n) for n in names) + r")(?![\w-])")

    @staticmethod
    def _degree_patterns(aliases) -> Tuple[Pattern[str], Pattern[str]]:
        lower = sorted((a for a in aliases if a not in CASE_SENSITIVE), key=len, reverse=True)
        pattern = re.compile(r"(?<![\w.])(" + "|".join(re.escape(a) for a in lower) + r")(?![\w])")
        codes = "|".join(re.escape(code.upper()) for code in CASE_SENSITIVE) + "|" + "|".join(
            re.escape(code) for code in LOWERCASE_OK)
        return pattern, re.compile(rf"(?<![\w.])({codes})(?![\w])")

    def parse(self, message: str) -> Statement:
        text = Text(re.sub(r"(?<=[a-z])-endorsed\b", " endorsed", message.replace("’", "'").replace("‘", "'"),
                           flags=re.IGNORECASE))
        lowered = text.lowered
        statement = Statement(dont_know=bool(DONT_KNOW.search(lowered)), skip=bool(SKIP.match(lowered)),
                              correction=bool(CORRECTION.search(lowered)),
                              yes_no=True if YES.match(lowered) else False if NO.match(lowered) else None)
        self.read_degrees(text, statement)
        used = self.read_amounts(text, statement)
        used += self.read_families(text, statement)
        self.read_bare_numbers(lowered, statement, used)
        own = text.own_text()
        self.read_roles(own, statement)
        self.read_rsc_since_leading(own, statement)
        self.read_provider(text, statement)
        band = age_band_stated(own)
        if band:
            statement.facts["age_band"] = band
        for measure, pattern in NONE_OF.items():
            if pattern.search(own) and (measure not in statement.facts or measure == "clinical_work_years"):
                if measure == "clinical_work_years" and statement.facts.get(measure):
                    statement.facts["work_years"] = statement.facts.get("work_years") or statement.facts[measure]
                statement.facts[measure] = 0.0
        self.read_not_reflective(text, statement)
        self.check_consistency(statement)
        return statement

    @staticmethod
    def read_not_reflective(text: Text, statement: Statement) -> None:
        """"I do supervise two fellows but it's not reflective" -> gives no RS/C; "I meet with my supervisor but
        nothing reflective" -> receives none."""
        for match in NOT_REFLECTIVE.finditer(text.lowered):
            start, end = text.sentence_bounds(match.start())
            if SUPERVISING.search(text.lowered[start:end]):
                statement.facts.setdefault("provides_rsc", False)
            else:
                statement.facts.setdefault("rsc_hours", 0.0)

    # Degrees, licenses, fields --------------------------------------------------------------------------------------
    def degree_mentions(self, text: Text) -> Iterable[Tuple[int, int, str]]:
        lowered = text.lowered
        for match in self.degree_pattern.finditer(lowered):
            yield match.start(), match.end(), self.degree_aliases[match.group(1)]
        for match in self.case_sensitive_pattern.finditer(text.original):
            word = match.group(1)
            if word.islower() and not (re.match(r"\s+(?:in|degree)\b|'s\b", lowered[match.end():])
                                       or self.field_starting(lowered[match.end():match.end() + 40])):
                continue
            code = self.degree_aliases.get(word.lower())
            if code:
                yield match.start(), match.end(), code

    def read_degrees(self, text: Text, statement: Statement) -> None:
        lowered = text.lowered
        held: List[Tuple[str, Optional[str], Optional[str]]] = []  # (level, field named, field implied)
        for start, end, code in sorted(self.degree_mentions(text)):
            degree = self.degrees.get(code)
            if degree is None or text.is_others(start):
                continue
            sentence_start, _ = text.sentence_bounds(start)
            phrase_before = re.split(r",|\(|\band\b|\bbut\b", lowered[max(sentence_start, start - 90):start])[-1]
            if degree.kind == "license":
                if SOMEONE_BEFORE.search(phrase_before):
                    continue  # "supervised by a licensed psychologist"
                if IN_PROGRESS_BEFORE.search(phrase_before):
                    statement.facts.setdefault("mh_license", False)
                elif not NOT_LICENSED.search(lowered[max(sentence_start, start - 60):end + 40]):
                    statement.facts["mh_license"] = True
                continue
            if IN_PROGRESS_BEFORE.search(phrase_before) or IN_PROGRESS_AFTER.search(lowered[end:end + 50]) or \
                    NOT_HELD_BEFORE.search(phrase_before) or TITLE_AFTER.match(lowered[end:end + 20]):
                continue
            named = self.field_after(lowered[end:end + 80]) or \
                self.field_in_alias(lowered[start:end], lowered[end:end + 40]) or \
                self.field_starting(lowered[end:end + 40])
            if not named and degree.field == "any" and FIELD_AFTER_DEGREE.match(lowered[end:end + 80]) and \
                    not re.match(r"^\.?\s*(?:(?:is|was)\s+)?(?:in|of)\s+(?:\d|the\s|a\s|my\s|progress|20|may|"
                                 r"june|december|spring|fall|summer|winter)", lowered[end:end + 80]):
                phrase = FIELD_AFTER_DEGREE.match(lowered[end:end + 80]).group(1).strip()  # type: ignore[union-attr]
                statement.problems.append(
                    f"I don't know \"{phrase}\" as a field of study. What is your degree in (for example "
                    "psychology, social work, early childhood education)?")
            held.append((degree.level, named or self.field_ending(lowered[max(sentence_start, start - 40):start]),
                         degree.field if degree.field != "any" else None))
        levels = [level for level, _, _ in held]
        own_field = None
        if held:
            top = max(levels, key=degree_rank)
            # the field named with the highest degree, else one said apart from it ("professor of ..."), else the
            # field the highest degree implies (MSW), else a field named with a lower degree
            said = [self.field_starting(m.group("field")) for m in FIELD_SAID.finditer(text.own_text())]
            own_field = next((f for level, f, _ in reversed(held) if level == top and f), None) \
                or next((f for f in said if f), None) \
                or next((f for level, _, f in reversed(held) if level == top and f), None) \
                or next((f for _, f, _ in reversed(held) if f), None)
        own = text.own_text()
        if not levels and NO_DEGREE.search(own):
            levels.append("high_school" if HIGH_SCHOOL.search(own) else "none")
        elif not levels and HIGH_SCHOOL.search(own):
            levels.append("high_school")
        if levels:
            statement.facts["degree_level"] = max(levels, key=degree_rank)
            if own_field:
                statement.facts["degree_field"] = own_field
        if NOT_LICENSED.search(own) and not LICENSED_SELF.search(own):
            statement.facts["mh_license"] = False
        elif "mh_license" not in statement.facts and LICENSED_SELF.search(own):
            statement.facts["mh_license"] = True

    def field_after(self, text: str) -> Optional[str]:
        match = FIELD_AFTER_DEGREE.match(text)
        return self.field_starting(match.group(1)) if match else None

    def field_in_alias(self, alias: str, following: str) -> Optional[str]:
        """"masters in counseling" + " psychology": the field an alias names, as long as the words go on."""
        return self.field_starting(alias.split(" in ", 1)[1] + following) if " in " in alias else None

    def field_ending(self, text: str) -> Optional[str]:
        words = normalize_alias(text).split()
        for size in range(min(5, len(words)), 0, -1):
            candidate = " ".join(words[-size:])
            if candidate in self.field_aliases:
                return self.field_aliases[candidate]
        return None

    def field_starting(self, words: str) -> Optional[str]:
        parts = re.findall(r"[a-z&'/-]+", words.lower())[:6]
        for size in range(len(parts), 0, -1):
            candidate = normalize_alias(" ".join(parts[:size]))
            if candidate in self.field_aliases:
                return self.field_aliases[candidate]
        return None

    # Hours and years ------------------------------------------------------------------------------------------------
    @staticmethod
    def amounts(lowered: str) -> List[Amount]:
        found: List[Amount] = []
        said_again: List[int] = []  # where corrected numbers stand
        for match in AMOUNT.finditer(lowered):
            if match.start() in said_again:
                continue  # the number of a correction, already read into the amount it corrects
            after, before = lowered[match.end():match.end() + 14], lowered[max(0, match.start() - 16):match.start()]
            if AGE_AFTER.search(after) or NOT_DURATION_AFTER.search(after) or AGE_BEFORE.search(before):
                continue
            if match.group("upper") and KIDS_BEFORE.search(before):
                continue
            if match.group("num").strip() in ("a", "an") and (
                    re.search(r"(?:once|twice|times)\s*$", before)
                    or COUNTED_BEFORE.search(lowered[max(0, match.start() - 40):match.start()])
                    or re.search(rf"(?:\d|\b{NUMBER_WORD})\s*{HOURS_UNIT}\b"
                                 r"(?:\W+(?!(?:over|for|across|during|within|in|since)\s)[\w/-]+){0,5}\W*$",
                                 lowered[max(0, match.start() - 45):match.start()])):
                continue  # "2 hours of RS/C a month", "once a month": a pace, not a duration
            value = to_number(match.group("num"))
            if value is None:
                continue
            if match.group("half") or match.group("half2"):
                value += 0.5
            start = match.start()
            between = BETWEEN_BEFORE.search(lowered[max(0, start - 30):start])
            if between:
                value, start = to_number(between.group("num")) or value, start - len(between.group(0))
            corrected = CORRECTED_AFTER.match(lowered[match.end():match.end() + 90])
            if corrected:
                value = to_number(corrected.group("num")) or value
                said_again.append(match.end() + corrected.start("num"))
            kind = unit_kind(match.group("unit"))
            if kind == "minutes":  # "90 minutes each time"
                value, kind = round(value / 60, 2), "hours"
            if AGO.search(after) and not CHANGE_BEFORE.search(lowered[max(0, match.start() - 70):match.start()]) \
                    and not CHANGE_AFTER.match(
                    lowered[match.end():]):
                continue
            found.append(Amount(value, kind, start, match.end(), match.group("inner") or ""))
        for match in re.finditer(r"\bhalf\s+a\s+year\b|\ba\s+half\s+year\b", lowered):
            if not any(a.start <= match.start() < a.end for a in found):
                found.append(Amount(0.5, "years", match.start(), match.end()))
        for match in ONE_UNIT.finditer(lowered):
            if not any(a.start <= match.start() < a.end for a in found):
                found.append(Amount(1.5 if match.group("half") else 1.0, match.group("unit") + "s", match.start(),
                                    match.end()))
        for match in LABELLED_AMOUNT.finditer(lowered):
            if any(a.start < match.end() and match.start() < a.end for a in found):
                continue
            found.append(Amount(float(match.group("num")), unit_kind(match.group("unit")), match.start(), match.end()))
        for match in PART_NUMBER.finditer(lowered):
            value = to_number(next(g for g in match.groups() if g))
            if value is not None and not any(a.start < match.end() and match.start() < a.end for a in found):
                found.append(Amount(value, "part", match.start(), match.end()))
        for match in ELLIPTIC_YEARS.finditer(lowered):
            number = "num" if match.group("num") else "num2"
            if any(a.start < match.end() and match.start() < a.end for a in found) or \
                    match.start(number) in said_again:
                continue
            said_before = sorted((a for a in found if a.end <= match.start()), key=lambda a: a.start)
            if said_before and said_before[-1].unit == "years" and match.start() - said_before[-1].end < 250:
                found.append(Amount(to_number(match.group(number)) or 0.0, "years", match.start(number),
                                    match.end(number)))
        return sorted(found, key=lambda a: a.start)

    def read_amounts(self, text: Text, statement: Statement) -> List[Tuple[int, int]]:
        lowered = text.lowered
        amounts = self.amounts(lowered)
        readings: List[Reading] = []
        used: List[Tuple[int, int]] = []
        for index, amount in enumerate(amounts):
            used.append((amount.start, amount.end))
            if text.is_others(amount.start):
                continue
            previous_end = amounts[index - 1].end if index else 0
            next_start = amounts[index + 1].start if index + 1 < len(amounts) else len(lowered)
            sentence_start, sentence_end = text.sentence_bounds(amount.start)
            after_clause = lowered[amount.end:min(next_start, sentence_end)]
            before_clause = lowered[max(previous_end, sentence_start, amount.start - 120):amount.start]
            if amount.unit in ("years", "months") and ASIDE_OPENS.search(before_clause) and \
                    ASIDE_CLOSES.match(after_clause):
                after_clause = ""  # "teacher (32 yrs) now volunteering": the amount tells about what is before it
            after = amount.inner + " " + re.split(CONNECTOR, after_clause)[0]
            before = re.split(CONNECTOR, WHEN_CLAUSE.sub(",", ASIDE.sub(" ", before_clause)))[-1]
            sentence = text.sentence_of(amount.start)
            earlier = [r for r in readings if r.sentence >= sentence - 1]
            if amount.unit == "part":
                reading = self.part_reading(amount, earlier, after_clause, before_clause, sentence)
            elif NOT_RELEVANT_AFTER.search(after_clause) or \
                    NOT_THEIRS_AFTER.search(lowered[amount.end:amount.end + 20]) or NOT_THEIRS_BEFORE.search(
                    lowered[max(0, amount.start - 30):amount.start]):
                reading = None  # "the old 30 hr rule", "do I need 50 hours": a rule, not what the person has
            elif amount.unit == "hours":
                previous = text.sentences[sentence - 1] if sentence else (0, 0)
                # the sentence up to the next amount: words after that one are about that one
                reading = self.hours_reading(amount, after, before, after_clause, before_clause, earlier, sentence,
                                             lowered[sentence_start:min(next_start, sentence_end)],
                                             lowered[slice(*previous)],
                                             statement)
            else:
                reading = None
                for measure in self.duration_reading(amount, after, before, after_clause, before_clause, text,
                                                     statement, earlier):
                    readings.append(Reading(measure, self.years_or_months(amount, measure), sentence,
                                            part=measure == "clinical_work_years" and bool(
                                                PART_OF_JOB.search(before_clause)),
                                            total=bool(TOTAL.search(after_clause))))
                    if measure in ("work_years", "generic_work", "clinical_work_years") and (
                            self.before_degree(after_clause, statement)
                            or self.before_degree(last_piece(before_clause), statement) or (
                                BEFORE_THAT.search(before_clause) and DEGREE_DONE.search(
                                    lowered[max(0, amount.start - 160):amount.start]))):
                        readings.append(Reading("work_years_before_degree",
                                                self.years_or_months(amount, measure), sentence))
                    elif measure in ("work_years", "generic_work") and AFTER_DEGREE.search(after_clause):
                        readings.append(Reading("work_years_before_degree", 0.0, sentence))
            if reading:
                readings.append(reading)
        self.settle(readings, statement)
        return used

    @staticmethod
    def before_degree(clause: str, statement: Statement) -> bool:
        """"while I finished my associate's", "before grad school" (when the highest degree is a graduate one)."""
        return bool(BEFORE_DEGREE.search(clause)) or bool(BEFORE_GRAD_SCHOOL.search(clause)) and \
            statement.facts.get("degree_level") in ("master", "doctorate")

    @staticmethod
    def years_or_months(amount: Amount, measure: str) -> float:
        if measure == "rsc_span_months":
            return round(amount.value if amount.unit == "months" else amount.value * 12, 1)
        return round(amount.value / 12, 2) if amount.unit == "months" else amount.value

    @staticmethod
    def part_reading(amount: Amount, earlier: List[Reading], after_clause: str, before_clause: str,
                     sentence: int) -> Optional[Reading]:
        """"15 of them on RS/C", "incl 3 DEI", "the last 2 doing CPP": a part of the total said just before;
        "+ 15 on RS": an amount on top of it."""
        whole = next((r for r in reversed(earlier)
                      if not r.measure.endswith("_per_month") and not r.part and not r.added), None)
        if whole is None:
            return None
        added = bool(ADDED_BEFORE.search(before_clause))
        if whole.measure == "training_hours":
            if DEI.search(after_clause):
                return Reading("dei_hours", amount.value, sentence, part=not added, added=added)
            if RSC_CUE.search(after_clause) or PROVIDING_TRAINING.search(after_clause):
                return Reading("rsc_training_hours", amount.value, sentence, part=not added, added=added)
            return None
        if whole.measure == "rsc_hours" and PEER.search(after_clause):  # "6 of those were the peer group"
            return Reading("peer_rsc_hours", amount.value, sentence, part=True, within=whole.measure)
        if whole.measure in ("work_years", "generic_work", "clinical_work_years", "volunteer_years"):
            if BEFORE_DEGREE.search(after_clause):
                return Reading("work_years_before_degree", amount.value, sentence, part=True)
            for said in (re.split(CONNECTOR, after_clause)[0], last_piece(before_clause), after_clause):
                if ADULT_WORK.search(said):  # "the first 3 with school-age kids": not work with young children
                    return Reading("other_work", amount.value, sentence, part=True, within="work")
                measures = duration_measures(classes_in(said))
                if measures and measures[0] != whole.measure:
                    return Reading(measures[0], amount.value, sentence, part=True,
                                   within="volunteer" if whole.measure == "volunteer_years" else "work")
        return None

    def hours_reading(self, amount: Amount, after: str, before: str, after_clause: str, before_clause: str,
                      earlier: List[Reading], sentence: int, sentence_text: str, previous_sentence: str,
                      statement: Statement) -> Optional[Reading]:
        if amount.value > LIMITS["hours"]:
            statement.problems.append(f"{readable(amount.value)} hours doesn't look right.")
            return None
        pace = pace_factor(after_clause) or pace_factor_before(before_clause)
        if pace is None and (EACH_TIME_AFTER.search(after_clause) or ASIDE_OPENS.search(before_clause)):
            # "a monthly group, 1.5 hrs each time", "monthly peer reflection (1 hr)": as often as the sentence says
            frequency = FREQUENCY.search(sentence_text if EACH_TIME_AFTER.search(after_clause) else before_clause)
            pace = _per_month(frequency.group(0)) if frequency else None
        if pace is not None and pace > 4 and amount.value >= WORK_HOURS_A_WEEK:
            statement.facts.setdefault("work_years_per_year", 1.0 if amount.value >= FULL_TIME_HOURS * 0.9 else 0.5)
            return None
        added = bool(ADDED_BEFORE.search(before_clause))
        last = earlier[-1] if earlier else None
        in_list = last is not None and last.part and last.sentence == sentence and ")" not in before_clause and \
            LIST_GOES_ON.search(last_piece(before_clause))
        if any(r.measure == "training_hours" for r in earlier) and not added and (
                INCLUDED_BEFORE.search(before_clause) or in_list or OF_THE_WHOLE_AFTER.match(after_clause)):
            measure = "dei_hours" if DEI.search(after) else "rsc_training_hours" if RSC_CUE.search(after) else None
            if measure:
                return Reading(measure, amount.value, sentence, part=True)
        measure = None
        for segment, from_end in ((after, False), (before, True), (after_clause, False), (before_clause, True)):
            measure = hours_measure(segment, from_end)
            if measure:
                break
        if measure is None:
            carried = next((r.measure.replace("_per_month", "") for r in reversed(earlier)
                            if r.measure.replace("_per_month", "") in ("training_hours", "rsc_hours")), None)
            measure = ("rsc_hours" if MEETING.search(sentence_text) else None) or carried or \
                hours_measure(sentence_text, False) or hours_measure(previous_sentence, False)
        if measure is None:
            statement.bare_hours.append(amount.value)
            return None
        if measure.startswith("rsc") and NOT_REFLECTIVE.search(sentence_text):
            return None  # "I meet with my supervisor weekly but it's nothing reflective"
        if pace is not None:
            if measure in ("rsc_hours", "training_hours"):
                return Reading(f"{measure}_per_month", round(amount.value * pace, 1), sentence, added=added)
            return None
        return Reading(measure, amount.value, sentence, added=added)

    def duration_reading(self, amount: Amount, after: str, before: str, after_clause: str, before_clause: str,
                         text: Text, statement: Statement, earlier: List[Reading]) -> List[str]:
        if amount.value > LIMITS["years"] * (12 if amount.unit == "months" else 1):
            statement.problems.append(f"{readable(amount.value)} {amount.unit} doesn't look right.")
            return []
        sentence = text.sentence_of(amount.start)
        last = earlier[-1] if earlier else None
        roles = classes_in(last_piece(before_clause))
        # "24 hours of RS/C over the past 18 months", "... RS/C. From my supervisor, over about 14 months",
        # "2 hrs a month. 14 months so far"
        follows_rsc_hours = last is not None and \
            last.measure in ("rsc_hours", "peer_rsc_hours", "rsc_hours_per_month") and (
                last.sentence == sentence and SPAN_PREPOSITION.search(before_clause) and roles in ([], ["generic"])
                or last.sentence == sentence - 1 and not roles and (
                    SPAN_PREPOSITION.search(before_clause) or SO_FAR_AFTER.match(after_clause)))
        if follows_rsc_hours or is_rsc_span(before_clause, before, after):
            return ["rsc_span_months"]
        sentence_end = text.sentence_bounds(amount.start)[1]
        since = CHANGE_AFTER.match(text.lowered[amount.end:sentence_end])
        # "2 years ago I did the course, and ever since then I give RS": what has gone on since
        classes = classes_in(text.lowered[amount.end + since.end():sentence_end]) if since else []
        classes = classes or list(dict.fromkeys(classes_in(after) + classes_in(before)))
        if "not_with_children" in classes and len(classes) > 1:
            classes.remove("not_with_children")
        if ADULT_WORK.search(after) or ADULT_WORK.search(before):
            classes = ["not_with_children"]
        if "volunteer" in classes and (PAID.search(before + after) or PAID_ASIDE.match(after_clause)):
            classes.remove("volunteer")  # "my practicum was 1 year, paid"
        if classes in ([], ["generic"]) and (ANAPHORA.search(before) or ANAPHORA.search(after)):
            for start, end in reversed(text.sentences[max(0, sentence - 2):sentence]):  # the role said last
                if classes_in(text.lowered[start:end]):
                    classes = classes_in(text.lowered[start:end])
                    break
        sentence_start = text.sentences[sentence][0] if text.sentences else 0
        classes = classes or classes_in(before_clause) or classes_in(after_clause) or \
            classes_in(text.lowered[sentence_start:amount.start])
        measures = duration_measures(classes)
        if TOTAL.search(after_clause) and set(measures) & {"work_years", "clinical_work_years", "generic_work"}:
            measures = ["generic_work"]
        if "providing" in classes_in(after_clause) and "rsc_provided_years" not in measures and (
                WHOLE_TIME.search(after_clause) or "leadership_years" in measures):
            measures.append("rsc_provided_years")
        if "rsc_provided_years" in measures:
            statement.facts["provides_rsc"] = True
            role = AS_ROLE.search(after) or AS_ROLE.search(before)
            if role and duration_measures(classes_in(role.group(0))) == ["work_years"]:
                measures.append("work_years")  # "providing RS/C to child care staff as an ECMH consultant"
        if not measures:
            statement.bare_years.append(self.years_or_months(amount, "years"))
        return measures

    @staticmethod
    def settle(readings: List[Reading], statement: Statement) -> None:
        """One value per measure. Work in several roles adds up, and so does training told in separate amounts;
        two different values of anything else are a conflict to ask about, unless the message corrects itself.
        A part of a whole that is not of its kind comes off it: "11 years as a nurse, the last 3 leading the
        team" is 8 years of work; "36 hours of RS, 6 of those in the peer group" is 30 hours of RS."""
        by_measure: Dict[str, List[Reading]] = {}
        for reading in readings:
            by_measure.setdefault(reading.measure, []).append(reading)
        summed = ("clinical_work_years", "work_years_before_degree", "leadership_years", "policy_leadership_years",
                  "faculty_years", "rsc_provided_years", "volunteer_years", "peer_rsc_hours", "dei_hours",
                  "rsc_training_hours")
        taken_off = {whole: sum(r.value for r in readings if r.part and r.within == whole and r.measure in kinds)
                     for whole, kinds in (("rsc_hours", ("peer_rsc_hours",)),
                                          ("work", ("leadership_years", "policy_leadership_years",
                                                    "faculty_years", "other_work")))}
        for measure, found in by_measure.items():
            if measure in ("work_years", "generic_work", "training_hours", "other_work"):
                continue
            values = list(dict.fromkeys(r.value for r in found))
            if measure.endswith("_per_month") and any(r.added for r in found):  # group + individual RS/C
                statement.facts[measure] = sum(r.value for r in found)
            elif measure in summed:
                totals = [r.value for r in found if r.total]
                statement.facts[measure] = values[-1] if statement.correction else \
                    max(max(totals), sum(r.value for r in found if not r.total)) if totals else sum(values)
            elif len(values) > 1 and not statement.correction:
                statement.conflicts.append(Conflict(measure, tuple(values)))
            else:
                statement.facts[measure] = values[-1] - taken_off.get(measure, 0.0)
        training = list(dict.fromkeys(r.value for r in by_measure.get("training_hours", [])))
        if training:
            extra = [r.value for m in ("dei_hours", "rsc_training_hours") for r in by_measure.get(m, [])
                     if not r.part]
            statement.facts["training_hours"] = training[-1] if statement.correction else sum(training) + sum(extra)
        specific = [r.value for r in by_measure.get("work_years", []) + by_measure.get("clinical_work_years", [])
                    if not r.part]
        generic = [r.value for r in by_measure.get("generic_work", [])]
        if generic and specific and sum(specific) > max(generic) + 0.01 and not statement.correction:
            statement.conflicts.append(Conflict("work_years", (max(generic), sum(specific))))
        elif generic or specific:
            work = (max(generic) if generic else 0.0) if generic and not specific \
                else max(max(generic or [0.0]), sum(specific)) if not statement.correction \
                else (generic or specific)[-1]
            statement.facts["work_years"] = work - taken_off["work"]

    # Families and bare numbers ------------------------------------------------------------------------------------
    @staticmethod
    def read_families(text: Text, statement: Statement) -> List[Tuple[int, int]]:
        used = []
        for match in FAMILIES.finditer(text.lowered):
            value = to_number(match.group("num"))
            if value is None or (value == 1) != (match.group("noun") == "family"):
                continue  # "3 family advocates": "family" describes something else
            used.append((match.start(), match.end()))
            if PER_YEAR_AFTER.search(text.lowered[match.end():match.end() + 30]):
                continue
            if text.is_others(match.start()):
                continue
            if value > LIMITS["families"]:
                statement.problems.append("That number of families doesn't look right.")
                continue
            statement.facts["families_served"] = value
        return used

    @staticmethod
    def read_bare_numbers(lowered: str, statement: Statement, used: List[Tuple[int, int]]) -> None:
        for match in BARE_NUMBER.finditer(lowered):
            if any(start <= match.start() < end for start, end in used) or match.group(1) in ("a", "an"):
                continue
            value = to_number(match.group(1))
            if value is not None:
                statement.bare_numbers.append(value)
        if re.search(r"(?<![\w.])-\s*\d", lowered) and not re.search(r"\d\s*-\s*\d", lowered):
            statement.problems.append(NEGATIVE_AMOUNT)
        if not statement.bare_numbers and re.match(r"\W*(?:none|zero|nothing|no|not yet|0|nada|nil)\b"
                                                   r"(?!\s+(?:idea|clue))", lowered.strip()):
            statement.bare_numbers.append(0.0)

    # Roles, RS/C provider ---------------------------------------------------------------------------------------
    @staticmethod
    def read_roles(own: str, statement: Statement) -> None:
        if NOT_PROVIDING_RSC.search(own):
            statement.facts["provides_rsc"] = False
        elif any(not TOPIC_BEFORE.search(own[max(0, m.start() - 40):m.start()])
                 and not NOBODY_BEFORE.search(own[max(0, m.start() - 40):m.start()])
                 for m in PROVIDING_RSC.finditer(own)):
            statement.facts["provides_rsc"] = True
        for start, end in sentences(own):
            said = own[start:end]
            if NON_CHILD_WORK.search(said) or STUDY_PACE.search(said):
                continue  # "my actual job is in banking, full time", "getting my bachelor's part time"
            fte = FTE.search(said)
            pace = float(fte.group(1)) if fte else next((p for phrase, p in WORK_PACE if phrase in said), None)
            if pace is not None and 0 < pace <= 1:
                statement.facts["work_years_per_year"] = pace
                break

    @staticmethod
    def read_rsc_since_leading(own: str, statement: Statement) -> None:
        """"I give RS to my team and have done so since I became supervisor": as long as the leadership role."""
        if "leadership_years" not in statement.facts or "rsc_provided_years" in statement.facts:
            return
        for start, end in sentences(own):
            said = own[start:end]
            if PROVIDING_RSC.search(said) and SINCE_LEADING.search(said):
                statement.facts["rsc_provided_years"] = statement.facts["leadership_years"]
                return

    def read_provider(self, text: Text, statement: Statement) -> None:
        """Who gave the person RS/C: the category the provider is endorsed in, or whether they are endorsed."""
        previous = ""
        receives_rsc = any(statement.facts.get(m) for m in ("rsc_hours", "rsc_hours_per_month"))
        for index, (start, end) in enumerate(text.sentences):
            sentence = text.lowered[start:end]
            following = text.lowered[slice(*text.sentences[index + 1])] if index + 1 < len(text.sentences) else ""
            about_rsc = any(RSC_CUE.search(said) or MEETING.search(said) for said in (sentence, previous, following)) \
                or (receives_rsc and SUPERVISOR.search(sentence))
            provider = None
            if about_rsc and not RULE_TALK.search(sentence):
                for match in self.category_pattern.finditer(sentence):
                    before = sentence[:match.start()]
                    close_to_rsc = RSC_CUE.search(sentence[max(0, match.start() - 25):match.start()])
                    # "..., RS/C from an IMHM-C: do I qualify for IMHS?": only the clause around a name can ask
                    clause_break = CLAUSE_BREAK.search(sentence, match.end())
                    clause = sentence[:clause_break.start()] if clause_break else sentence
                    if re.search(r"\b(?:for|toward\w*|count\w*)\s*$", before) or (
                            clause.rstrip().endswith("?") and not re.search(r"endorsed|\bis\s+an?\b", before)):
                        continue
                    if not (PROVIDER_CONTEXT.search(before) or close_to_rsc
                            or PROVIDER_AFTER.match(sentence[match.end():])) or re.search(
                            r"\b(?:apply|applying|qualify|eligible|become|aim\w*|go\s+for|fit|i'?m|i\s+am|am\s+i|"
                            r"myself)\b[^,]*$", before):
                        continue
                    provider = self.provider_code(match.group(1), statement.facts.get("age_band"))
                if provider is None and re.search(r"\b(?:supervisor|consultant|director|she|he|mine)\b", sentence):
                    if NOT_ENDORSED.search(sentence):
                        provider = "not_endorsed"
                    elif ENDORSED.search(sentence) and not re.search(r"\bi'?m\s+endorsed|\bi\s+am\s+endorsed",
                                                                     sentence):
                        provider = "endorsed"
            if provider:
                statement.facts["rsc_provider"] = provider
            previous = sentence

    def provider_answer(self, text: str) -> Optional[str]:
        """A reply to "who gave you that RS/C?": a category, not endorsed, endorsed, or a peer group."""
        lowered = re.sub(r"(?<=[a-z])-endorsed\b", " endorsed", text.lower())
        if PEER.search(lowered):
            return "peer"
        if NOT_ENDORSED.search(lowered) or re.match(r"\W*(?:no|nope|not\s+that\s+i\s+know)\b", lowered):
            return "not_endorsed"
        match = self.category_pattern.search(lowered)
        if match:
            return self.provider_code(match.group(1), None)
        return "endorsed" if ENDORSED.search(lowered) or re.match(r"\W*(?:yes|yeah|yep)\b", lowered) else None

    def provider_code(self, name: str, band: Optional[Value]) -> Optional[str]:
        name = normalize_alias(name)
        code = self.category_aliases.get(name)
        if code is None and name in self.role_aliases:
            infant, early = self.role_aliases[name]
            code = early if band == "early_childhood" else infant
        category = self.knowledge.category(code) if code else None
        if category is None:
            return None
        designations = self.knowledge.designations(category.code)
        if designations:  # a Mentor who gives RS/C is a Clinical Mentor
            return next((d.code for d in designations if d.code.endswith("-C")), category.code)
        return category.code

    # Consistency ----------------------------------------------------------------------------------------------------
    @staticmethod
    def check_consistency(statement: Statement) -> None:
        """Parts larger than their whole are a contradiction to ask about, not to resolve."""
        facts = statement.facts
        for part, whole in (("rsc_training_hours", "training_hours"), ("dei_hours", "training_hours")):
            have_part, have_whole = facts.get(part), facts.get(whole)
            if isinstance(have_part, float) and isinstance(have_whole, float) and have_part > have_whole + 0.01:
                statement.conflicts.append(Conflict(whole, (have_whole, have_part)))
                facts.pop(whole)
        clinical, work = facts.get("clinical_work_years"), facts.get("work_years")
        if isinstance(clinical, float) and isinstance(work, float) and clinical > work + 0.01:
            facts["work_years"] = clinical


# "nobody here can give RS": someone other than the person
NOBODY_BEFORE = cue(r"\b(?:nobody|no\s+one|no-one|anyone|someone)\b[^.;,]*$")
# "training on providing RS/C" names a topic, not something the person does
TOPIC_BEFORE = cue(r"\b(?:on|about|in|of\s+(?:them|those|these|which)|training|trainings|course|hours?|hrs?|how\s+to)"
                   r"\W*$")


def hours_measure(segment: str, from_end: bool) -> Optional[str]:
    if not segment.strip():
        return None
    has_training, has_rsc = TRAINING.search(segment), RSC_CUE.search(segment)
    if PEER.search(segment) and (has_rsc or re.search(r"consult|supervis|reflect", segment)):
        return "peer_rsc_hours"
    if (has_training and has_rsc and not re.search(r"\band\b", segment)) or PROVIDING_TRAINING.search(segment):
        return "rsc_training_hours"
    best: Optional[Tuple[int, int, str]] = None
    for priority, (name, pattern) in enumerate((("dei_hours", DEI), ("rsc_hours", RSC_CUE),
                                                ("training_hours", TRAINING))):
        for match in pattern.finditer(segment):
            distance = len(segment) - match.end() if from_end else match.start()
            if best is None or (distance, priority) < best[:2]:
                best = (distance, priority, name)
    return best[2] if best else None


def is_rsc_span(before_clause: str, before: str, after: str) -> bool:
    """'24 hours of RS/C over the past 18 months', 'reflective supervision for 2 years': how long RS/C was received."""
    if PROVIDING_RSC.search(before_clause) or not SPAN_PREPOSITION.search(before_clause):
        return False
    rsc = [m.end() for m in RSC_CUE.finditer(before_clause)]
    if not rsc:
        return False
    roles = [m.end() for name, pattern in YEAR_CLASSES for m in pattern.finditer(before_clause)
             if name not in ("generic",)]
    return not roles or max(rsc) > max(roles)


def pace_factor(after: str) -> Optional[float]:
    """Months per stated unit when the words after an amount make it a pace ("2 hours a month"); else None."""
    match = PACE_AFTER.search(after[:60])
    return _per_month(match.group(0)) if match else None


def pace_factor_before(before: str) -> Optional[float]:
    """"once a month for an hour", "every other week for an hour"."""
    match = PACE_BEFORE.search(before)
    return _per_month(match.group(0)) if match else None


def _per_month(said: str) -> float:
    if re.search(r"every\s+(?:two|2|other)\s+weeks?|biweekly", said):
        return round(26 / 12, 3)
    if re.search(r"twice\s+a\s+month", said):
        return 2.0
    if re.search(r"twice\s+a\s+week", said):
        return round(2 * 52 / 12, 3)
    if re.search(r"week|wk", said):
        return round(52 / 12, 3)
    if re.search(r"year", said):
        return round(1 / 12, 4)
    return 1.0


INFANT_CUES = INFANT_WORDS + ("infants", "toddlers", "newborns", "pregnan", "birth to 3", "birth-to-three",
                              "birth to three", "0-3", "nicu", "under 3", "under three", "prenatal", "perinatal",
                              "1 year olds", "2 year olds", "two year olds", "early head start", "ehs",
                              "nurse-family partnership", "part c", "infant room", "postpartum", "postnatal", "doula")
EARLY_CHILDHOOD_CUES = EARLY_CHILDHOOD_WORDS + ("preschoolers", "3 year olds", "4 year olds", "3-5 year",
                                                "3 to 5 year", "ages 3", "three to five", "4s classroom",
                                                "school readiness", "pre-kindergarten")
BOTH_BANDS = cue(r"\b(?:birth\s+to\s+(?:5|five|6|six)|0\s*-\s*5|0\s*to\s*5|under\s+(?:5|five)|2\s*-\s*6|"
                 r"birth-to-five|prenatal\s+to\s+(?:5|five))\b")


def age_band_stated(own: str) -> Optional[str]:
    """The age band a message says the person works with; category names ("infant mental health") do not count,
    nor do messages that cover both bands ("birth to five")."""
    if BOTH_BANDS.search(own):
        return None
    text = re.sub(r"infant(?:[- ]family|\s+mental\s+health|\s+&\s+early\s+childhood|\s+and\s+early\s+childhood|"
                  r"\s+massage)|early\s+childhood\s+(?:mental\s+health|family|education|special|development)|"
                  r"imh-e|ecmh(?:-e)?|\bece\b|(?:degree|associate'?s?|bachelor'?s?|master'?s?|\bba|\bbs|\bma|\bms|"
                  r"\baa|cert\w*)\s+in\s+early\s+childhood", " ", own)
    text_without_ehs = re.sub(r"early\s+head\s+start|\behs\b", " ", text)
    found = set()
    if any(re.search(r"(?<![a-z0-9])" + re.escape(word), text) for word in INFANT_CUES if not word.startswith("imh")):
        found.add("infant")
    if any(re.search(r"(?<![a-z0-9])" + re.escape(word), text_without_ehs) for word in EARLY_CHILDHOOD_CUES) or \
            re.search(r"(?<!early\s)\bhead\s+start\b", text):
        found.add("early_childhood")
    return found.pop() if len(found) == 1 else None

"""Words for ranking: one tokenizer for the knowledge rows and the questions, so that both meet in the same terms.

Plain Python, no spaCy: a light stemmer and a short list of the ways people write the same thing ("rs/c", "test",
"how much") folded onto the words the knowledge rows use.
"""
import re
from functools import lru_cache
from typing import List

STOPWORDS = frozenset("""
a an the and or but if of to in on at for from by with about as into than then so too very just also i me my mine we
our you your yours he she it its they them their this that these those there here is are was were be been being am
do does did doing done have has had having can could will would shall should may might must need needs needed get
gets got getting let lets what which whom whose how whats hows tell know want like actually exactly really anything
something even ask asks asked asking any some all each every nor only own such more most much many few up down out
off over under again further once please pls thanks thank ok okay hi hey hello s t d ll re ve m im ive id dont
doesnt didnt isnt arent cant wont
""".split())  # noqa: SIM905 (a word list reads better as text)

# Multi-word forms folded before tokenizing (longest first), then single words.
PHRASES = (
    # "my (reflective) supervisor": the person who gives the asker RS/C, in the rows' word
    (r"\b(?:my|her|his|their)\s+(?:[a-z]+\s+)?(?:reflective\s+)?(?:supervisor|consultant)s?\b", "provider"),
    (r"reflective supervision\s*/\s*consultation", "rsc"),
    (r"reflective (?:supervision|consultation|supervisor|consultant)s?", "rsc"),
    (r"\br\.?\s?s\.?\s?/\s?c\b", "rsc"),
    (r"\brs\s*/\s*c\b", "rsc"),
    (r"\brsc\b", "rsc"),
    (r"\bcode of ethics\b", "ethics"),
    (r"\bput together\b|\bset up\b|\bcame up with\b", "start"),
    (r"\bclock hours?\b", "hour"),
    (r"\bhow much (?:money )?(?:do|does|can|will|would|could) (?:[\w']+ ){0,4}?(?:make|earn)\b", "salary"),
    (r"\b(?:pays?|paid) (?:more|well|better|less|badly)\b|\bmake (?:more )?money\b", "salary"),
    (r"\bhow much(?= (?:work|paid|experience|training|rsc|reflective|supervision|time|leadership|education|"
     r"schooling|of)\b)", "number"),
    (r"\bhow much\b", "cost"),
    (r"\bhow long\b", "long duration"),
    (r"\bwhen (?:do|must|should|will) (?:i|you|we) (?:have to |need to )?(?=renew|submit|apply|send|pay)", "deadline "),
    (r"\bhow many\b", "number"),
    (r"\bhow often\b", "often frequency"),
    (r"\bdiversity,? equity,? (?:and )?inclusion\b", "dei"),
    (r"\bcontinuing education\b", "training"),
    (r"\bceus?\b", "training"),
    (r"\bin[- ]service\b", "training"),
    (r"\bmaster'?s\b", "master"),
    (r"\bbachelor'?s\b", "bachelor"),
    (r"\bassociate'?s degree\b", "associate degree"),
    (r"\bdoctor(?:al|ate)\b", "doctorate"),
    (r"\bu\.?s\.?a?\b(?!/)|\bunited states\b", "usa"),
    (r"\bonline\b", "online"),
    (r"\bvirtual(?:ly)?\b", "online"),
    (r"\bremote(?:ly)?\b", "online remote"),
    (r"\bin person\b", "person"),
    (r"\b(?:from|at) home\b", "online remote"),
    (r"\brun(?:s)? out\b", "end"),
    (r"\b(?:doesn'?t|does not|don'?t|do not|didn'?t|did not) have (?:an?|any)\b", "no"),
    (r"\bmore than once\b|\ba second time\b|\btry again\b", "retake"),
    (r"\b(?:stay|staying|remain|remaining) (?:endorsed|active|current)\b", "renewal"),
    (r"\b(?:per|a|each|every) (?:year|yr)\b|\byearly\b|\bannual(?:ly)?\b", "yearly"),
)
SYNONYMS = {
    "test": "exam", "tests": "exam", "testing": "exam", "examination": "exam", "exams": "exam",
    "salary": "salary", "salaries": "salary", "wage": "salary", "wages": "salary", "income": "salary",
    "earnings": "salary",
    "price": "cost", "prices": "cost", "costs": "cost", "charge": "cost", "pay": "cost", "paid": "paid",
    "fee": "fee", "fees": "fee", "dollars": "cost", "expensive": "cost",
    "renew": "renewal", "renewing": "renewal", "renewed": "renewal", "recertify": "renewal",
    "recertification": "renewal", "maintain": "renewal", "keep": "renewal",
    "supervisor": "supervisor", "supervisors": "supervisor", "consultant": "consultant",
    "references": "reference", "referees": "reference", "raters": "rater", "recommendation": "reference",
    "recommendations": "reference", "letters": "reference", "refs": "reference", "ref": "reference",
    "reqs": "requirement", "req": "requirement", "exp": "experience", "cert": "certificate", "certs": "certificate",
    "admin": "administration", "mo": "month", "wk": "week", "wks": "week",
    "trainings": "training", "workshops": "workshop", "courses": "course",
    "degree": "degree", "degrees": "degree", "education": "education", "schooling": "education",
    "licence": "license", "licensed": "license", "licenses": "license", "licensure": "license",
    "job": "work", "jobs": "work", "employment": "work", "experience": "experience",
    "passing": "pass", "passed": "pass", "fail": "fail", "failed": "fail", "failing": "fail",
    "retake": "retake", "redo": "retake",
    "member": "membership", "members": "membership", "join": "membership",
    "years": "year", "yrs": "year", "yr": "year", "months": "month", "mos": "month", "hrs": "hour", "hours": "hour",
    "weeks": "week", "days": "day",
    "apply": "apply", "applying": "apply", "applied": "apply", "application": "apply", "applications": "apply",
    "applicant": "apply", "applicants": "apply",
    "valid": "valid", "expire": "end", "expires": "end", "expired": "end", "lapse": "lapse",
    "lapsed": "lapse", "lapses": "lapse",
    "babies": "infant", "baby": "infant", "infants": "infant", "toddlers": "toddler",
    "kids": "child", "children": "child", "preschoolers": "child",
    "deadline": "deadline", "deadlines": "deadline", "due": "deadline",
    "state": "state", "states": "state",
    "began": "start", "begin": "start", "begun": "start", "started": "start", "starts": "start",
    "launched": "start", "launch": "start", "founded": "start", "created": "start", "create": "start",
    "introduced": "start", "visitor": "visit", "visitors": "visit", "counselor": "counsel",
    "counselors": "counsel", "therapist": "therapy", "therapists": "therapy",
    "updated": "change", "update": "change", "updates": "change", "changed": "change", "changes": "change",
    "changing": "change", "revised": "revis",
    "practise": "practice", "practising": "practice", "organisation": "organization",
    "organisational": "organizational", "behaviour": "behavior", "behaviours": "behavior", "centre": "center",
    "recognised": "recognized", "specialised": "specialized", "programme": "program",
}


@lru_cache(maxsize=20000)
def stem(word: str) -> str:
    """Porter's stemmer ('revised' and 'revisions' both become 'revis'); numbers and short words unchanged."""
    if len(word) <= 3 or not word.isalpha():
        return word
    return porter(word)


_WORD = re.compile(r"[a-z0-9$][a-z0-9]*(?:[.,][0-9]+)?")


def fold(text: str) -> str:
    text = text.lower().replace("’", "'").replace("®", "").replace("–", "-")
    for pattern, replacement in PHRASES:
        text = re.sub(pattern, f" {replacement} ", text)
    return text


def tokens(text: str) -> List[str]:
    """The ranking terms of a text: folded, without stop words, stemmed."""
    result = []
    for word in _WORD.findall(fold(text)):
        word = word.strip(".,").replace(",", "")
        word = SYNONYMS.get(word, word)
        if word in STOPWORDS or not word:
            continue
        result.append(stem(word))
    return result


# The Porter (1980) stemmer --------------------------------------------------------------------------------------------
_VOWELS = frozenset("aeiou")


def _consonant(word: str, i: int) -> bool:
    if word[i] in _VOWELS:
        return False
    if word[i] == "y":
        return i == 0 or not _consonant(word, i - 1)
    return True


def _measure_of(stem_: str) -> int:
    forms, last = [], None
    for i in range(len(stem_)):
        kind = "c" if _consonant(stem_, i) else "v"
        if kind != last:
            forms.append(kind)
            last = kind
    return "".join(forms).count("vc")


def _has_vowel(stem_: str) -> bool:
    return any(not _consonant(stem_, i) for i in range(len(stem_)))


def _double_consonant(word: str) -> bool:
    return len(word) >= 2 and word[-1] == word[-2] and _consonant(word, len(word) - 1)


def _cvc(word: str) -> bool:
    return len(word) >= 3 and _consonant(word, len(word) - 3) and not _consonant(word, len(word) - 2) and \
        _consonant(word, len(word) - 1) and word[-1] not in "wxy"


_STEP2 = (("ational", "ate"), ("tional", "tion"), ("enci", "ence"), ("anci", "ance"), ("izer", "ize"),
          ("abli", "able"), ("alli", "al"), ("entli", "ent"), ("eli", "e"), ("ousli", "ous"), ("ization", "ize"),
          ("ation", "ate"), ("ator", "ate"), ("alism", "al"), ("iveness", "ive"), ("fulness", "ful"),
          ("ousness", "ous"), ("aliti", "al"), ("iviti", "ive"), ("biliti", "ble"))
_STEP3 = (("icate", "ic"), ("ative", ""), ("alize", "al"), ("iciti", "ic"), ("ical", "ic"), ("ful", ""),
          ("ness", ""))
_STEP4 = ("al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ion", "ou", "ism",
          "ate", "iti", "ous", "ive", "ize")


def porter(word: str) -> str:
    if len(word) <= 2:
        return word
    m = _measure_of
    # Step 1a
    if word.endswith("sses") or word.endswith("ies"):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    # Step 1b
    extra = False
    if word.endswith("eed"):
        if m(word[:-3]) > 0:
            word = word[:-1]
    else:
        for suffix in ("ed", "ing"):
            if word.endswith(suffix) and _has_vowel(word[: -len(suffix)]):
                word, extra = word[: -len(suffix)], True
                break
    if extra:
        if word.endswith(("at", "bl", "iz")):
            word += "e"
        elif _double_consonant(word) and word[-1] not in "lsz":
            word = word[:-1]
        elif m(word) == 1 and _cvc(word):
            word += "e"
    # Step 1c
    if word.endswith("y") and _has_vowel(word[:-1]):
        word = word[:-1] + "i"
    # Steps 2 and 3
    for table in (_STEP2, _STEP3):
        for suffix, replacement in table:
            if word.endswith(suffix):
                if m(word[: -len(suffix)]) > 0:
                    word = word[: -len(suffix)] + replacement
                break
    # Step 4
    for suffix in sorted(_STEP4, key=len, reverse=True):
        if word.endswith(suffix):
            base = word[: -len(suffix)]
            if m(base) > 1 and (suffix != "ion" or base.endswith(("s", "t"))):
                word = base
            break
    # Step 5
    if word.endswith("e"):
        base = word[:-1]
        if m(base) > 1 or (m(base) == 1 and not _cvc(base)):
            word = base
    if m(word) > 1 and _double_consonant(word) and word.endswith("l"):
        word = word[:-1]
    return word

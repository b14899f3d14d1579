"""Turn what a person wrote (text plus the spaCy entities Rasa passes on) into knowledge-base codes."""
import bisect
import difflib
import re
from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from ..knowledge.names import age_band_of, normalize_alias
from ..knowledge.snapshot import Knowledge

# "my reflective supervisor", "her current mentor", "find a mentor": a person the message talks about, not a category.
POSSESSIVE_BEFORE = re.compile(r"\b(?:my|our|your|her|his|their|(?:find(?:ing)?|locat(?:e|ing)|look(?:ing)? for|"
                               r"search(?:ing)? for|hir(?:e|ing)|recommend|choos(?:e|ing)|pick) (?:a|an|the|some))"
                               r"\s+(?:[\w'/-]+\s+){0,2}$")
EC = re.compile(r"(?<![\w/-])EC(?![\w/-])|(?<![\w/-])ec(?= ?mh\b)", re.IGNORECASE)


def _words(text: str) -> List[str]:
    return re.findall(r"[a-z0-9][a-z0-9/\-'.]*", text.lower())


def length_window(length: int, cutoff: float) -> Tuple[float, float]:
    """Lengths a string can have and still be as similar as cutoff to one of this length (difflib's ratio is at
    most twice the shorter length over the sum of both): only these are worth comparing."""
    return length * cutoff / (2 - cutoff) - 1, length * (2 - cutoff) / cutoff + 1


def fuzzy_find(text: str, vocabulary: Iterable[str], cutoff: float = 0.88, min_length: int = 7,
               max_words: int = 400) -> List[str]:
    """Vocabulary entries (at least min_length long) that a run of words in text matches closely, in text order.

    Longer matches win over shorter ones they overlap ("early chilhood mental health specialist" is one name).
    Of a very long message only the first and last max_words / 2 words are read, which bounds the work.
    """
    by_size: Dict[int, List[str]] = {}
    for name in sorted(vocabulary, key=len):
        if len(name) >= min_length:
            by_size.setdefault(len(name.split()), []).append(name)
    lengths = {size: [len(name) for name in names] for size, names in by_size.items()}
    words = _words(text)
    if len(words) > max_words:
        words = words[:max_words // 2] + words[-max_words // 2:]
    taken = [False] * len(words)
    found: List[Tuple[int, str]] = []
    for size in sorted(by_size, reverse=True):
        for start in range(0, max(0, len(words) - size + 1)):
            if any(taken[start:start + size]):
                continue
            span = words[start:start + size]
            phrase = " ".join(span)
            low, high = length_window(len(phrase), cutoff)
            names = by_size[size][bisect.bisect_left(lengths[size], low):bisect.bisect_right(lengths[size], high)]
            match = difflib.get_close_matches(phrase, names, n=1, cutoff=cutoff)
            # Each word must be close on its own: "infant mental health work" is not "... mentor".
            if match and all(difflib.SequenceMatcher(None, a, b).ratio() >= 0.7
                             for a, b in zip(span, match[0].split())):
                found.append((start, match[0]))
                taken[start:start + size] = [True] * size
    return _unique(name for _, name in sorted(found))


@dataclass
class Mention:
    """What one message says: categories (codes, in order), an age band, a region's associations, degrees."""

    categories: List[str]
    age_band: Optional[str]
    associations: List[str]
    region: Optional[str]
    degrees: List[str]


class Reader:
    def __init__(self, knowledge: Knowledge):
        self.knowledge = knowledge
        names = sorted(set(knowledge.aliases("category")) | set(knowledge.role_aliases()), key=len, reverse=True)
        self.category_names = re.compile(r"(?<![\w-])(" + "|".join(re.escape(n) for n in names) + r")s?(?![\w-])")

    def read(self, text: str, entities: Sequence[Dict], context_band: Optional[str]) -> Mention:
        values = {label: [e.get("value", "") for e in entities if e.get("entity") == label]
                  for label in ("category", "degree", "association", "region", "age_band")}
        band = next((age_band_of(v) for v in values["age_band"] if age_band_of(v)), None) \
            or age_band_of(text, with_age_ranges=False) or ("early_childhood" if EC.search(text) else None)
        categories = self.categories(_without_degrees(text, entities), values["category"],
                                     band or context_band or "infant")
        if band == "early_childhood":
            # "EC MH specialist": a name without a band, in a message that says early childhood.
            categories = [self.early_counterpart(code, values["category"]) for code in categories]
        associations, region = self.associations(text, values["association"], values["region"])
        degree_aliases = self.knowledge.aliases("degree")
        degrees = _unique(degree_aliases[normalize_alias(v)] for v in values["degree"]
                          if normalize_alias(v) in degree_aliases)
        return Mention(categories, band, associations, region, degrees)

    def early_counterpart(self, code: str, names: Sequence[str]) -> str:
        category = self.knowledge.category(code)
        if category is None or category.age_band != "infant" or not category.counterpart:
            return code
        if any(age_band_of(name) == "infant" or normalize_alias(name) == code.lower() for name in names):
            return code
        return category.counterpart

    def categories(self, text: str, entity_values: Sequence[str], band: str) -> List[str]:
        aliases = self.knowledge.aliases("category")
        roles = self.knowledge.role_aliases()
        column = 1 if band == "early_childhood" else 0

        def code_of(name: str) -> Optional[str]:
            name = normalize_alias(name)
            if name in aliases:
                return aliases[name]
            if name in roles:
                return roles[name][column]
            return None

        lowered = text.lower()
        named = [(m.group(0), m.group(1)) for m in self.category_names.finditer(lowered)
                 if not (normalize_alias(m.group(1)) in roles and _possessed(lowered, m.start()))]
        entity_values = [value for value in entity_values
                         if not (normalize_alias(value) in roles and _always_possessed(lowered, value.lower()))]
        # A longer name around what the entity ruler found wins ("research/faculty mentors" over "mentors").
        entity_values = [next((name for whole, name in named if normalize_alias(value) in whole
                               and len(whole) > len(value)), value)
                         for value in entity_values] or [name for _, name in named]
        codes = [code_of(value) for value in entity_values]
        neutral = [normalize_alias(value) for value in entity_values if normalize_alias(value) in roles]
        if not any(codes) or neutral:
            # Band-neutral names are short and close to ordinary phrases ("reflective supervision"), so only full
            # category names are matched loosely; a misspelled full name ("early chilhood mental health
            # specialist") wins over the band-neutral part the entity ruler found in it.
            loose = [name for name in fuzzy_find(text, aliases)
                     if not codes or any(part in name and self._rest_is_written(name, part, text) for part in neutral)]
            if loose:
                codes = [code for code in codes if code not in {code_of(n) for n in neutral}]
                codes = [code_of(name) for name in loose] + codes
        return _unique(code for code in codes if code)

    @staticmethod
    def _rest_is_written(name: str, part: str, text: str) -> bool:
        """A loose match that adds words to the band-neutral name ("ec" + "family specialist") counts only when
        the message has those words too (perhaps misspelled), not when it merely says "the family specialist"."""
        words = _words(text)
        return all(difflib.get_close_matches(word, words, n=1, cutoff=0.75) for word in name.replace(part, " ").split())

    def associations(self, text: str, association_values: Sequence[str],
                     region_values: Sequence[str]) -> Tuple[List[str], Optional[str]]:
        """Association codes named directly or through the person's state or country, and that region's name."""
        aliases = self.knowledge.aliases("association")
        codes = [aliases[normalize_alias(v)] for v in association_values if normalize_alias(v) in aliases]
        regions = [r for r in (self.knowledge.region(value) for value in region_values) if r]
        if not regions and not codes:
            found = fuzzy_find(text, self.knowledge.aliases("region"), cutoff=0.84, min_length=5)
            regions = [r for r in (self.knowledge.region(name) for name in found[:1]) if r]
        region = regions[0] if regions else None
        if region:
            codes += [a.code for a in self.knowledge.associations_in_region(region.code)]
        return _unique(codes), region.name if region else None


def _without_degrees(text: str, entities: Sequence[Dict]) -> str:
    """The text with the degrees it names blanked out: "an associate's" is a degree, not the Family Associate."""
    for entity in entities:
        if entity.get("entity") != "degree":
            continue
        start, end = entity.get("start"), entity.get("end")
        if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text):
            text = text[:start] + " " * (end - start) + text[end:]
        elif entity.get("value"):
            text = re.sub(re.escape(str(entity["value"])), lambda m: " " * len(m.group(0)), text, flags=re.IGNORECASE)
    return text


def _possessed(text: str, start: int) -> bool:
    return bool(POSSESSIVE_BEFORE.search(text[max(0, start - 40):start]))


def _always_possessed(text: str, name: str) -> bool:
    starts = [m.start() for m in re.finditer(re.escape(name), text)]
    return bool(starts) and all(_possessed(text, start) for start in starts)


def _unique(items: Iterable[str]) -> List[str]:
    result: List[str] = []
    for item in items:
        if item not in result:
            result.append(item)
    return result

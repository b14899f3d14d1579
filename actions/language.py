"""Turn what a person wrote (text plus the spaCy entities Rasa passes on) into knowledge-base codes."""
import difflib
import re
from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from .knowledge.loader import normalize_alias
from .knowledge.repository import KnowledgeRepository

EARLY_CHILDHOOD_WORDS = ("early childhood", "early-childhood", "ecmh", "preschool", "pre-k", "prek", "3 to 6", "3-6",
                         "3 up to 6", "three to six", "3 to 5", "3-5", "kindergarten")
INFANT_WORDS = ("infant", "infancy", "babies", "baby", "toddler", "0-3", "0 to 3", "birth to 3", "birth to three",
                "birth to 36 months", "imh-e")


def age_band_of(text: str, with_age_ranges: bool = True) -> Optional[str]:
    """The age band a phrase names, if any: early_childhood, infant or None.

    Age ranges such as "3-5" are only read in short phrases (entity values): in a whole message they are often
    something else ("3-5 years of experience").
    """
    lowered = text.lower()
    for band, words in (("early_childhood", EARLY_CHILDHOOD_WORDS), ("infant", INFANT_WORDS)):
        for word in words:
            if not with_age_ranges and word[0].isdigit():
                continue
            if re.search(r"(?<![a-z0-9])" + re.escape(word), lowered):
                return band
    return None


def _words(text: str) -> List[str]:
    return re.findall(r"[a-z0-9][a-z0-9/\-'.]*", text.lower())


def fuzzy_find(text: str, vocabulary: Iterable[str], cutoff: float = 0.88, min_length: int = 7,
               max_words: int = 400) -> List[str]:
    """Vocabulary entries (at least min_length long) that a run of words in text matches closely, in text order.

    Longer matches win over shorter ones they overlap ("early chilhood mental health specialist" is one name).
    Of a very long message only the first and last max_words / 2 words are read, which bounds the work.
    """
    by_size: Dict[int, List[str]] = {}
    for name in vocabulary:
        if len(name) >= min_length:
            by_size.setdefault(len(name.split()), []).append(name)
    words = _words(text)
    if len(words) > max_words:
        words = words[:max_words // 2] + words[-max_words // 2:]
    taken = [False] * len(words)
    found: List[Tuple[int, str]] = []
    for size in sorted(by_size, reverse=True):
        for start in range(0, max(0, len(words) - size + 1)):
            if any(taken[start:start + size]):
                continue
            match = difflib.get_close_matches(" ".join(words[start:start + size]), by_size[size], n=1,
                                              cutoff=cutoff)
            if match:
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
    def __init__(self, repository: KnowledgeRepository):
        self.repository = repository

    def read(self, text: str, entities: Sequence[Dict], context_band: Optional[str]) -> Mention:
        values = {label: [e.get("value", "") for e in entities if e.get("entity") == label]
                  for label in ("category", "degree", "association", "region", "age_band")}
        band = next((age_band_of(v) for v in values["age_band"] if age_band_of(v)), None) \
            or age_band_of(text, with_age_ranges=False)
        categories = self.categories(text, values["category"], band or context_band or "infant")
        associations, region = self.associations(text, values["association"], values["region"])
        degree_aliases = self.repository.aliases("degree")
        degrees = _unique(degree_aliases[normalize_alias(v)] for v in values["degree"]
                          if normalize_alias(v) in degree_aliases)
        return Mention(categories, band, associations, region, degrees)

    def categories(self, text: str, entity_values: Sequence[str], band: str) -> List[str]:
        aliases = self.repository.aliases("category")
        roles = self.repository.role_aliases()
        column = 1 if band == "early_childhood" else 0

        def code_of(name: str) -> Optional[str]:
            name = normalize_alias(name)
            if name in aliases:
                return aliases[name]
            if name in roles:
                return roles[name][column]
            return None

        codes = [code_of(value) for value in entity_values]
        neutral = [normalize_alias(value) for value in entity_values if normalize_alias(value) in roles]
        if not any(codes) or neutral:
            # Band-neutral names are short and close to ordinary phrases ("reflective supervision"), so only full
            # category names are matched loosely; a misspelled full name ("early chilhood mental health
            # specialist") wins over the band-neutral part the entity ruler found in it.
            loose = [name for name in fuzzy_find(text, aliases)
                     if not codes or any(part in name for part in neutral)]
            if loose:
                codes = [code for code in codes if code not in {code_of(n) for n in neutral}]
                codes = [code_of(name) for name in loose] + codes
        return _unique(code for code in codes if code)

    def associations(self, text: str, association_values: Sequence[str],
                     region_values: Sequence[str]) -> Tuple[List[str], Optional[str]]:
        """Association codes named directly or through the person's state or country, and that region's name."""
        aliases = self.repository.aliases("association")
        codes = [aliases[normalize_alias(v)] for v in association_values if normalize_alias(v) in aliases]
        regions = [r for r in (self.repository.region(value) for value in region_values) if r]
        if not regions and not codes:
            found = fuzzy_find(text, self.repository.aliases("region"), cutoff=0.84, min_length=5)
            regions = [r for r in (self.repository.region(name) for name in found[:1]) if r]
        region = regions[0] if regions else None
        if region:
            codes += [a.code for a in self.repository.associations_in_region(region.code)]
        return _unique(codes), region.name if region else None


def _unique(items: Iterable[str]) -> List[str]:
    result: List[str] = []
    for item in items:
        if item not in result:
            result.append(item)
    return result

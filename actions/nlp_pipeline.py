"""Build the project's spaCy pipeline: blank English, lookup lemmatizer and an entity ruler.

The ruler's patterns come from the knowledge base (category, degree and association names and aliases, states and
countries of the associations) plus amounts of hours and time. Rasa loads the saved folder through SpacyNLP.
"""
import argparse
import re
import sys
from pathlib import Path
from typing import Dict, Iterable, List

import spacy
from spacy.language import Language
from spacy.lookups import load_lookups
from spacy.pipeline import EntityRuler, Lemmatizer

from .knowledge.database import PROJECT_ROOT
from .knowledge.names import EARLY_CHILDHOOD_WORDS, INFANT_WORDS
from .knowledge.snapshot import Knowledge, read_knowledge

PIPELINE_DIR = PROJECT_ROOT / "build" / "spacy-iecmh"

HOUR_WORDS = ["hours", "hour", "hrs", "hr", "h", "clock-hours"]
DURATION_WORDS = ["years", "year", "yrs", "yr", "months", "month", "mos", "mo"]
# "infant" and "baby" alone are left out: they are part of most questions ("infant mental health").
AGE_BAND_PHRASES = [word for word in EARLY_CHILDHOOD_WORDS + INFANT_WORDS
                    if word not in ("infant", "infancy", "baby", "babies")] + [
    "infants", "toddlers", "preschoolers", "preschooler", "0-36 months", "ages 3-5", "infant version",
    "infant one", "infant band",
]
# Two-letter state codes that are also ordinary English words (or degrees here: MA, MD, MS) are not matched as
# regions; the state's full name is.
AMBIGUOUS_REGION_CODES = {"IN", "OR", "ME", "HI", "OK", "OH", "ID", "DE", "AS", "MA", "MD", "MS", "AL", "PA", "CO",
                          "LA", "GA", "MO"}
# Degree codes that are ordinary words in lower case: matched only as written in capitals.
CASE_SENSITIVE_CODES = {"MA", "MS", "MD", "DO", "AS", "AA", "BA", "BS"}
NUMBER = {"LIKE_NUM": True}
DECIMAL_AMOUNT = r"^\d+(\.\d+)?"


def phrase(label: str, text: str, entity_id: str) -> Dict:
    return {"label": label, "pattern": text, "id": entity_id}


def amount_patterns(label: str, words: List[str]) -> List[Dict]:
    joined = "|".join(re.escape(word) for word in words)
    return [
        {"label": label, "pattern": [NUMBER, {"LOWER": {"IN": words}}]},
        {"label": label, "pattern": [NUMBER, {"ORTH": "-"}, {"LOWER": {"IN": words}}]},
        {"label": label, "pattern": [NUMBER, {"LOWER": {"IN": ["and", "&"]}}, {"LOWER": {"IN": ["a", "one"]}},
                                     {"LOWER": "half"}, {"LOWER": {"IN": words}}]},
        {"label": label, "pattern": [{"LOWER": {"IN": ["a", "an", "one"]}}, {"LOWER": {"IN": words}}]},
        {"label": label, "pattern": [{"LOWER": {"REGEX": DECIMAL_AMOUNT + f"({joined})$"}}]},
    ]


def knowledge_patterns(knowledge: Knowledge) -> List[Dict]:
    patterns: List[Dict] = []
    for alias, code in knowledge.aliases("category").items():
        patterns.append(phrase("category", alias, code))
    for alias, (infant, _) in knowledge.role_aliases().items():
        patterns.append(phrase("category", alias, infant))
    degree_aliases = knowledge.aliases("degree")
    for alias, code in degree_aliases.items():
        if alias.upper() in CASE_SENSITIVE_CODES:
            patterns.append({"label": "degree", "pattern": [{"ORTH": alias.upper()}], "id": code})
        else:
            patterns.append(phrase("degree", alias, code))
    for alias, code in knowledge.aliases("association").items():
        patterns.append(phrase("association", alias, code))
    for alias, code in knowledge.aliases("region").items():
        if alias.upper() == code:
            if len(code) == 2 and code not in AMBIGUOUS_REGION_CODES:
                patterns.append({"label": "region", "pattern": [{"ORTH": code}], "id": code})
        elif alias not in degree_aliases:
            patterns.append(phrase("region", alias, code))
    return patterns


def generic_patterns() -> List[Dict]:
    patterns = [phrase("age_band", text, "") for text in AGE_BAND_PHRASES]
    patterns += amount_patterns("hours", HOUR_WORDS) + amount_patterns("duration", DURATION_WORDS)
    return patterns


def build(knowledge: Knowledge, output: Path = PIPELINE_DIR) -> Language:
    nlp = spacy.blank("en")
    lemmatizer = nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER", "overwrite_ents": True})
    assert isinstance(lemmatizer, Lemmatizer) and isinstance(ruler, EntityRuler)
    lemmatizer.initialize(lookups=load_lookups("en", ["lemma_lookup"]))
    ruler.add_patterns(unique(knowledge_patterns(knowledge) + generic_patterns()))
    nlp.meta["name"] = "iecmh"
    nlp.meta["description"] = "Entity ruler built from the IECMH knowledge base"
    output.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(output)
    return nlp


def unique(patterns: Iterable[Dict]) -> List[Dict]:
    seen, result = set(), []
    for pattern in patterns:
        key = (pattern["label"], repr(pattern["pattern"]))
        if key not in seen:
            seen.add(key)
            result.append(pattern)
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Build the spaCy pipeline from the knowledge base.")
    parser.add_argument("--output", type=Path, default=PIPELINE_DIR)
    args = parser.parse_args(argv)
    ruler = build(read_knowledge(), args.output).get_pipe("entity_ruler")
    assert isinstance(ruler, EntityRuler)
    print(f"spaCy pipeline saved to {args.output} ({len(ruler)} patterns)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

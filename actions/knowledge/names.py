"""How names are normalized, the same way when the data is seeded and when a message is read."""
import re
from typing import Optional


def normalize_alias(text: str) -> str:
    """The form aliases are stored and looked up in: lower case, single spaces, no surrounding punctuation."""
    text = text.lower().replace("’", "'").replace("®", "")
    text = re.sub(r"\s+", " ", text)
    return text.strip(" .,;:!?\"'()")


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

"""Small wording helpers, so that replies read as a careful person writes: number agreement, no repeated lines."""
from typing import Iterable, List, Optional


def plural(count: float, singular: str, plural_form: Optional[str] = None) -> str:
    """'1 year', '2 years', '1.5 years', '24 hours'."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count:g} {word}".strip()


def unique(items: Iterable[Optional[str]]) -> List[str]:
    """The items in order, each once, without empty ones."""
    seen: List[str] = []
    for item in items:
        if item and item not in seen:
            seen.append(item)
    return seen


def join_lines(lines: Iterable[str]) -> str:
    """Lines joined with newlines, each said once (a repeated sentence is dropped)."""
    return "\n".join(unique(line.rstrip() for line in lines))


def sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text

"""What every action needs from one knowledge snapshot, built once per snapshot."""
from functools import lru_cache
from typing import Tuple

from .answering.book import AnswerBook
from .answering.reader import Reader
from .knowledge.snapshot import Knowledge
from .qualification.parser import ProfileParser

UNAVAILABLE = ("I can't reach my knowledge base right now, so I can't look that up. Please send your question "
               "again in a minute; nothing you told me is lost.")


@lru_cache(maxsize=2)
def tools(knowledge: Knowledge) -> Tuple[AnswerBook, Reader, ProfileParser]:
    """The answer book, the reader and the profile parser of a knowledge snapshot."""
    return AnswerBook(knowledge), Reader(knowledge), ProfileParser(knowledge)

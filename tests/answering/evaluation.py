"""Scoring the answer selection on a labelled question set (tests/data/questions_*.yml).

Each question is parsed by the trained Rasa model (intent, confidence, entities) and sent where the rules send it:
an answer intent to the answer book (unless the message is a background asking for a verdict, which goes to the
qualification check, as in ActionAnswerQuestion), `nlu_fallback` to the fallback (which answers only a close match),
anything else to another action (no answer: a miss). Top-1: the first row shown is one of the labelled rows; top-3:
one of the first three rows of the answer's ranking (the rows shown, then the rest) is. Reply length: the text the
person reads (answer and source line), buttons excluded.
"""
import asyncio
import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional

import yaml

from actions.answer import intent_ranking
from actions.answering.book import Answer, AnswerBook, Context, Message
from actions.answering.routes import ANSWER_INTENTS
from actions.qualification.dialogue import wants_a_verdict

DATA = Path(__file__).resolve().parents[1] / "data"
Parse = Callable[[str], Dict]


@dataclass
class Case:
    id: str
    text: str
    answers: List[str]
    kind: str


@dataclass
class Outcome:
    case: Case
    intent: str
    confidence: float
    handled_by: str                      # answers, fallback, check, other
    answer: Optional[Answer] = None

    @property
    def shown(self) -> List[str]:
        return self.answer.facts if self.answer else []

    @property
    def top1(self) -> bool:
        return bool(self.shown) and self.shown[0] in self.case.answers

    @property
    def top3(self) -> bool:
        return bool(self.answer) and any(i in self.case.answers for i in self.answer.ranking[:3])

    @property
    def length(self) -> Optional[int]:
        return len(self.answer.rendered()) if self.answer else None


@dataclass
class Scores:
    outcomes: List[Outcome] = field(default_factory=list)

    def share(self, attribute: str, kind: Optional[str] = None) -> float:
        chosen = [o for o in self.outcomes if kind is None or o.case.kind == kind]
        return sum(getattr(o, attribute) for o in chosen) / max(len(chosen), 1)

    def lengths(self) -> List[int]:
        return sorted(o.length for o in self.outcomes if o.length is not None)

    def percentile(self, q: float) -> float:
        values = self.lengths()
        if not values:
            return 0.0
        return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] if len(values) > 1 else values[0]

    def summary(self, name: str) -> str:
        answered = sum(1 for o in self.outcomes if o.answer)
        return (f"{name}: {len(self.outcomes)} questions, top-1 {self.share('top1'):.3f}, "
                f"top-3 {self.share('top3'):.3f} (specific {self.share('top1', 'specific'):.3f}/"
                f"{self.share('top3', 'specific'):.3f}, broad {self.share('top1', 'broad'):.3f}/"
                f"{self.share('top3', 'broad'):.3f}); reply length p50 {self.percentile(50):.0f}, "
                f"p90 {self.percentile(90):.0f}, max {max(self.lengths(), default=0)} chars; "
                f"{answered} answered, {len(self.outcomes) - answered} sent elsewhere")


def load_cases(name: str) -> List[Case]:
    path = DATA / name if (DATA / name).exists() else Path(__file__).parent / name
    items = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return [Case(item["id"], item["text"], list(item["answers"]), item.get("kind", "specific")) for item in items]


def outcome(book: AnswerBook, parser, case: Case, parsed: Dict) -> Outcome:
    intent = (parsed.get("intent") or {}).get("name") or ""
    confidence = float((parsed.get("intent") or {}).get("confidence") or 0.0)
    message = Message(case.text, intent, confidence, parsed.get("entities") or [], intent_ranking(parsed))
    if intent in ANSWER_INTENTS:
        if intent != "inform_category" and wants_a_verdict(parser, case.text):
            return Outcome(case, intent, confidence, "check")
        return Outcome(case, intent, confidence, "answers", book.answer(message, Context()))
    if intent == "nlu_fallback":
        return Outcome(case, intent, confidence, "fallback", book.answer_unclassified(message, Context()))
    return Outcome(case, intent, confidence, "other")


def evaluate(book: AnswerBook, parser, cases: List[Case], parse: Parse) -> Scores:
    return Scores([outcome(book, parser, case, parse(case.text)) for case in cases])


def rasa_parser(model_path: Path) -> Parse:
    """Parse with the trained model, as the Rasa server does."""
    import logging

    import structlog
    from rasa.core.agent import Agent

    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    logging.getLogger("rasa").setLevel(logging.WARNING)
    loop = asyncio.new_event_loop()
    agent = Agent.load(str(model_path))

    def parse(text: str) -> Dict:
        return loop.run_until_complete(agent.parse_message(text))

    return parse

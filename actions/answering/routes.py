"""The intents answered from the knowledge base, defined once.

Everything else is derived from this table: the rules that send these intents to `action_answer_question`
(`data/rules/answers.yml`, written by `python -m actions.answering.routes` and checked by a test), the prior the
ranking gives each intent's rows, the "More about ..." buttons, and the follow-up handling.
"""
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Optional, Tuple

ACTION = "action_answer_question"
FORM = "qualification_form"
RULES_FILE = Path(__file__).resolve().parents[2] / "data" / "rules" / "answers.yml"


@dataclass(frozen=True)
class Route:
    """What an intent asks about: topic rows, requirement kinds (of a phase), fees; or a special answer."""

    topics: Tuple[str, ...] = ()
    kinds: Tuple[str, ...] = ()
    phase: Optional[str] = None
    fees: bool = False
    cards: Tuple[str, ...] = ()  # "category" / "association": the rows of categories.csv / associations.csv
    special: Optional[str] = None  # categories, compare, requirements, follow_up, other_age_band


ROUTES: Dict[str, Route] = {
    "ask_category_overview": Route(cards=("category",)),
    "ask_requirements": Route(special="requirements", phase="initial"),
    "ask_education": Route(topics=("degrees",), kinds=("education",), phase="initial"),
    "ask_training": Route(topics=("training",), kinds=("training",), phase="initial"),
    "ask_work_experience": Route(topics=("experience",), kinds=("work", "leadership"), phase="initial"),
    "ask_rsc": Route(topics=("rsc",), kinds=("rsc",), phase="initial"),
    "ask_rsc_provider": Route(topics=("rsc",), kinds=("rsc_provider",), phase="initial"),
    "ask_rsc_what": Route(topics=("rsc",)),
    "ask_references": Route(topics=("references",), kinds=("references",), phase="initial"),
    "ask_ethics": Route(kinds=("ethics",)),
    "ask_exam": Route(topics=("exam",), kinds=("exam",), phase="initial"),
    "ask_membership": Route(topics=("membership",), kinds=("membership",)),
    "ask_renewal": Route(topics=("renewal", "reinstatement"), phase="renewal"),
    "ask_categories_list": Route(special="categories", topics=("endorsement",), cards=("category",)),
    "ask_compare": Route(special="compare"),
    "ask_age_bands": Route(topics=("age_bands",)),
    "ask_what_is_endorsement": Route(topics=("endorsement",)),
    "ask_why_endorse": Route(topics=("why_endorse",)),
    "ask_application": Route(topics=("application", "review"), cards=("association",)),
    "ask_timeline": Route(topics=("timeline", "review")),
    "ask_fees": Route(topics=("fees_general",), fees=True),
    "ask_associations": Route(topics=("residency", "alliance", "organizations"), cards=("association",)),
    "ask_reciprocity": Route(topics=("reciprocity", "residency", "other_systems")),
    "ask_degrees": Route(topics=("degrees",)),
    "ask_experience": Route(topics=("experience",)),
    "ask_continuing_education": Route(topics=("continuing_education", "training")),
    "ask_organizations": Route(topics=("organizations", "alliance")),
    "ask_programs": Route(topics=("programs",)),
    "ask_role": Route(topics=("role",)),
    "ask_principles": Route(topics=("principles",)),
    "ask_consultation": Route(topics=("consultation",)),
    "ask_competencies": Route(topics=("competencies",)),
    "ask_rule_changes": Route(topics=("rule_changes",)),
    "inform_category": Route(special="follow_up"),
    "ask_other_age_band": Route(special="other_age_band", topics=("age_bands",)),
}
ANSWER_INTENTS: Tuple[str, ...] = tuple(ROUTES)

# Topics no intent is named after: the intent whose payload opens their overview.
_TOPIC_INTENT = {topic: intent for intent, route in reversed(list(ROUTES.items())) for topic in route.topics
                 if not route.special}
TOPIC_LABELS = {
    "endorsement": "the Endorsement®", "age_bands": "the age bands", "why_endorse": "why people endorse",
    "exam": "the exam", "application": "applying", "timeline": "timelines", "review": "the review",
    "renewal": "renewal", "reciprocity": "moving states", "residency": "where to apply", "rsc": "RS/C",
    "rule_changes": "rule changes", "degrees": "degrees", "experience": "experience",
    "continuing_education": "continuing education", "organizations": "organizations", "programs": "programs",
    "role": "the role", "principles": "the principles", "consultation": "consultation",
    "competencies": "the competencies", "alliance": "the Alliance", "other_systems": "other credentials",
    "training": "training hours", "references": "references", "membership": "membership",
    "fees_general": "fees", "reinstatement": "reinstatement",
}
# The words people use to name each topic (a question that names one leans toward its rows).
TOPIC_TERMS = {
    "endorsement": "endorsement credential", "age_bands": "age band ages", "why_endorse": "why benefit worth",
    "exam": "exam", "application": "application apply easy", "timeline": "long time deadline",
    "review": "review reviewer", "renewal": "renewal", "reciprocity": "reciprocity transfer move",
    "residency": "live resident", "rsc": "rsc", "rule_changes": "change changed rule",
    "degrees": "degree education major study", "experience": "experience volunteer internship",
    "continuing_education": "continuing education conference workshop", "organizations": "organization",
    "programs": "program certificate fellowship university", "role": "role job day",
    "principles": "principle", "consultation": "consultation consultant", "competencies": "competency domain",
    "alliance": "alliance", "other_systems": "credential california illinois ohio", "training": "training",
    "references": "reference rater rating", "membership": "membership", "fees_general": "fee cost",
    "reinstatement": "reinstate lapse",
}
KIND_INTENT = {kind: intent for intent, route in ROUTES.items() for kind in route.kinds}


def intent_for_topic(topic: str) -> str:
    """The answer intent a button uses to ask about a topic (any answer intent is routed the same way)."""
    return _TOPIC_INTENT.get(topic, "ask_what_is_endorsement")


def rules_yaml() -> str:
    """The two answer rules: on their own, and in the middle of the qualification check."""
    intents = "".join(f"    - intent: {intent}\n" for intent in ANSWER_INTENTS)
    return (
        "# Written by `python -m actions.answering.routes` from actions/answering/routes.py: do not edit.\n"
        'version: "3.1"\n\n'
        "rules:\n"
        "- rule: answer a knowledge question or a follow-up\n"
        "  steps:\n"
        "  - or:\n" + intents +
        f"  - action: {ACTION}\n\n"
        "- rule: answer a question in the middle of the check, then go on\n"
        "  condition:\n"
        f"  - active_loop: {FORM}\n"
        "  steps:\n"
        "  - or:\n" + intents +
        f"  - action: {ACTION}\n"
        f"  - action: {FORM}\n"
        f"  - active_loop: {FORM}\n"
    )


if __name__ == "__main__":
    RULES_FILE.write_text(rules_yaml(), encoding="utf-8")
    print(f"wrote {RULES_FILE}", file=sys.stderr)

"""The answering actions: thin adapters between the conversation (tracker, slots) and actions/answering."""
import logging
from typing import Any, Dict, List, Optional, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from .answering.book import Answer, Context, Message
from .knowledge.database import KnowledgeUnavailable
from .knowledge.snapshot import load_knowledge
from .qualification.dialogue import asks_where_they_stand, wants_a_verdict
from .tools import UNAVAILABLE, tools

logger = logging.getLogger(__name__)
FORM = "qualification_form"


def message_of(tracker: Tracker) -> Message:
    latest = tracker.latest_message or {}
    intent = latest.get("intent") or {}
    return Message(latest.get("text") or "", intent.get("name"), float(intent.get("confidence") or 0.0),
                   latest.get("entities") or [], intent_ranking(latest))


def intent_ranking(parsed: Dict[str, Any]) -> List[Tuple[str, float]]:
    """The intents Rasa ranked for a message, with their confidences."""
    return [(str(item.get("name")), float(item.get("confidence") or 0.0))
            for item in parsed.get("intent_ranking") or [] if isinstance(item, dict) and item.get("name")]


def context_of(tracker: Tracker) -> Context:
    """What the slots remember of the conversation; the ages worked with may come from the qualification check."""
    question = tracker.get_slot("last_question")
    told_band = (tracker.get_slot("profile") or {}).get("age_band")
    if told_band not in ("infant", "early_childhood"):
        told_band = None   # not said, or skipped
    return Context(category=tracker.get_slot("category"), topic=tracker.get_slot("topic"),
                   age_band=tracker.get_slot("age_band") or told_band,
                   region=tracker.get_slot("region"),
                   associations=list(tracker.get_slot("associations") or []),
                   question=question if isinstance(question, dict) else None,
                   facts=list(tracker.get_slot("last_facts") or []))


def remember(answer: Answer) -> List[Dict[str, Any]]:
    """The slots an answer leaves behind, for follow-ups and "where is that from?"."""
    context = answer.context
    return [SlotSet("category", context.category), SlotSet("topic", context.topic),
            SlotSet("age_band", context.age_band), SlotSet("associations", context.associations or None),
            SlotSet("region", context.region), SlotSet("last_question", context.question),
            SlotSet("last_facts", answer.facts or None), SlotSet("last_sources", answer.sources or None),
            SlotSet("fallbacks", 0.0)]


def say(dispatcher: CollectingDispatcher, answer: Answer) -> None:
    dispatcher.utter_message(text=answer.rendered(), buttons=answer.buttons or None)


class ActionAnswerQuestion(Action):
    """Answers every knowledge question, the buttons' payloads and the follow-ups that lean on the last answer."""

    def name(self) -> str:
        return "action_answer_question"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]):
        message = message_of(tracker)
        try:
            book, reader, parser = tools(load_knowledge())
            if message.intent != "inform_category" and not message.is_payload and (
                    wants_a_verdict(parser, message.text) or asks_where_they_stand(
                        message.text, tracker.get_slot("profile") or {},
                        lambda: bool(reader.read(message.text, message.entities, None).categories))):
                # A background with "do I qualify?", or "how far am I from IMHS?" after one: the check answers it.
                return [SlotSet("check", None), FollowupAction(FORM)]
            answer = book.answer(message, context_of(tracker))
        except KnowledgeUnavailable as error:
            logger.error("knowledge base unavailable: %s", error)
            dispatcher.utter_message(text=UNAVAILABLE)
            return []
        say(dispatcher, answer)
        return remember(answer)


class ActionSources(Action):
    """Repeats the sources of the previous answer."""

    def name(self) -> str:
        return "action_sources"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]):
        sources = tracker.get_slot("last_sources") or []
        if sources:
            dispatcher.utter_message(text="That answer came from:\n" + "\n".join(f"- {url}" for url in sources))
        else:
            dispatcher.utter_message(text="Each answer names the pages it came from; ask me a question and I'll "
                                          "cite its source. For the official word, check your state's infant "
                                          "mental health association.")
        return []


class ActionFallbackHelp(Action):
    """A message the NLU could not place: answered when one knowledge row matches it closely; otherwise the first
    miss asks to rephrase and further misses in a row offer topics instead of asking again."""

    def name(self) -> str:
        return "action_fallback_help"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]):
        answer: Optional[Answer] = None
        try:
            book, _, _ = tools(load_knowledge())
            answer = book.answer_unclassified(message_of(tracker), context_of(tracker))
        except KnowledgeUnavailable as error:
            logger.error("knowledge base unavailable: %s", error)
        if answer is not None:
            say(dispatcher, answer)
            return remember(answer)
        misses = int(tracker.get_slot("fallbacks") or 0) + 1
        if misses == 1:
            text = ("Sorry, I didn't quite get that. Could you say it another way? I can answer questions about the "
                    "Endorsement® categories, their requirements, reflective supervision, the exam, applying, fees, "
                    "and career paths in infant and early childhood mental health.")
        else:
            text = ("I still can't match that to something I know. Pick a topic below, or for questions I can't "
                    "answer, contact the infant mental health association of your state.")
        dispatcher.utter_message(text=text)
        dispatcher.utter_message(response="utter_menu")
        return [SlotSet("fallbacks", float(misses))]

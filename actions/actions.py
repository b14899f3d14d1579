"""Rasa custom actions: thin adapters between the conversation and the plain-Python core."""
import logging
from functools import lru_cache
from typing import Any, Dict, List, Optional, Text

import spacy
from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from .answers import REQUIREMENT_TOPICS, Answer, AnswerBook
from .eligibility import assess
from .knowledge.database import KnowledgeUnavailable
from .knowledge.repository import KnowledgeRepository
from .language import Mention, Reader
from .nlp_pipeline import PIPELINE_DIR
from .profile_parser import ProfileParser
from .qualification import (QUESTIONS, SKIPPED, SLOT_FACTS, apply_statement, describe_change, profile_for_engine,
                            questions_needed, slot_values, sources, summary, what_if_changes)

logger = logging.getLogger(__name__)

# Intents answered from the topic facts: intent -> (topic, how many facts, opening line).
TOPIC_INTENTS = {
    "ask_rsc_what": ("rsc", 4, "Reflective supervision/consultation (RS/C) in short:"),
    "ask_age_bands": ("age_bands", 4, ""),
    "ask_what_is_endorsement": ("endorsement", 4, ""),
    "ask_why_endorse": ("why_endorse", 5, "Why people earn the Endorsement®:"),
    "ask_application": ("application", 6, "How to apply:"),
    "ask_timeline": ("timeline", 5, "How long it takes:"),
    "ask_reciprocity": ("reciprocity", 4, ""),
    "ask_degrees": ("degrees", 4, "Study paths into infant and early childhood mental health:"),
    "ask_experience": ("experience", 4, "Ways to gain experience:"),
    "ask_continuing_education": ("continuing_education", 4, ""),
    "ask_organizations": ("organizations", 4, "Professional organizations worth knowing:"),
    "ask_programs": ("programs", 6, "Programs I know of (check each for current details):"),
    "ask_role": ("role", 4, ""),
    "ask_principles": ("principles", 3, ""),
    "ask_consultation": ("consultation", 4, "Consultation versus clinical infant mental health practice:"),
    "ask_competencies": ("competencies", 4, ""),
    "ask_rule_changes": ("rule_changes", 8, "How the requirements changed over time:"),
}
REQUIREMENT_INTENTS = {
    "ask_education": "education", "ask_training": "training", "ask_work_experience": "work", "ask_rsc": "rsc",
    "ask_rsc_provider": "rsc_provider", "ask_references": "references", "ask_ethics": "ethics",
    "ask_exam": "exam", "ask_membership": "membership", "ask_renewal": "renewal",
}
CATEGORY_TOPICS = set(REQUIREMENT_TOPICS) | {"requirements", "overview"}
UNAVAILABLE = ("I can't reach my knowledge base right now, so I can't look that up. Please send your question "
               "again in a minute; nothing you told me is lost.")

class Conversation:
    """What the assistant remembers between turns, read from and written back to slots."""

    def __init__(self, tracker: Tracker, mention: Mention):
        self.mention = mention
        self.previous_category: Optional[str] = tracker.get_slot("category")
        self.category: Optional[str] = mention.categories[0] if mention.categories else self.previous_category
        self.topic: Optional[str] = tracker.get_slot("topic")
        self.age_band: Optional[str] = mention.age_band or tracker.get_slot("age_band")
        self.associations: List[str] = mention.associations or list(tracker.get_slot("associations") or [])
        self.region: Optional[str] = mention.region or tracker.get_slot("region")

    def events(self, answer: Answer) -> List[Dict[Text, Any]]:
        return [SlotSet("category", self.category), SlotSet("topic", self.topic),
                SlotSet("age_band", self.age_band), SlotSet("associations", self.associations or None),
                SlotSet("region", self.region), SlotSet("last_sources", answer.sources or None),
                SlotSet("fallbacks", 0.0)]


class ActionAnswerQuestion(Action):
    """Answers every knowledge question and the follow-ups that lean on the previous turn."""

    def __init__(self) -> None:
        self.repository = KnowledgeRepository()
        self.book = AnswerBook(self.repository)
        self.reader = Reader(self.repository)

    def name(self) -> Text:
        return "action_answer_question"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]):
        message = tracker.latest_message or {}
        intent = (message.get("intent") or {}).get("name") or ""
        try:
            mention = self.reader.read(message.get("text") or "", message.get("entities") or [],
                                       tracker.get_slot("age_band"))
            conversation = Conversation(tracker, mention)
            answer = self.answer(intent, conversation)
        except KnowledgeUnavailable as error:
            logger.error("knowledge base unavailable: %s", error)
            dispatcher.utter_message(text=UNAVAILABLE)
            return []
        dispatcher.utter_message(text=answer.rendered(), buttons=answer.buttons or None)
        return conversation.events(answer)

    def answer(self, intent: str, conversation: Conversation) -> Answer:
        book, mention = self.book, conversation.mention
        if intent in TOPIC_INTENTS:
            topic, limit, intro = TOPIC_INTENTS[intent]
            conversation.topic = topic
            answer = book.topic(topic, limit, intro)
            if mention.region:
                where = book.associations_answer(mention.associations, mention.region)
                answer = Answer(where.text + "\n" + answer.text, where.sources + answer.sources)
            return answer
        if intent == "ask_fees":
            conversation.topic = "fees"
            return book.fees_answer(conversation.associations, conversation.region)
        if intent == "ask_associations":
            conversation.topic = "associations"
            return book.associations_answer(mention.associations, mention.region)
        if intent == "ask_categories_list":
            conversation.topic = "categories"
            return book.categories_list()
        if intent == "ask_compare":
            return self.compare(conversation)
        if intent == "ask_other_age_band":
            return self.other_age_band(conversation)
        if intent == "inform_category":
            if not mention.categories:
                return self.which_category_prompt()
            topic = conversation.topic if conversation.topic in CATEGORY_TOPICS else "overview"
            return self.category_answer(topic, conversation)
        topic = REQUIREMENT_INTENTS.get(intent) or {"ask_requirements": "requirements"}.get(intent, "overview")
        return self.category_answer(topic, conversation)

    def category_answer(self, topic: str, conversation: Conversation) -> Answer:
        book = self.book
        conversation.topic = topic
        code = conversation.category
        if code is None:
            if topic == "renewal":
                return book.topic("renewal", 4, "Keeping the Endorsement® each year:")
            if topic == "exam":
                return book.topic("exam", 5, "About the Endorsement® exam:")
            if topic in REQUIREMENT_TOPICS:
                return book.requirement_all_categories(topic)
            return self.which_category_prompt()
        if topic == "overview":
            return book.overview(code)
        if topic == "requirements":
            return book.requirements_overview(code, conversation.associations)
        answer = book.requirement(code, topic, conversation.associations)
        if topic == "exam":
            format_facts = book.topic("exam", 2)
            answer = Answer(answer.text + "\n" + format_facts.text, answer.sources + format_facts.sources)
        return answer

    def compare(self, conversation: Conversation) -> Answer:
        codes = list(conversation.mention.categories)
        if len(codes) == 1 and conversation.previous_category not in (None, codes[0]):
            codes.insert(0, conversation.previous_category)
        if len(codes) < 2:
            return Answer("Which two categories would you like to compare? For example: IFS vs IMHS.",
                          buttons=[{"title": "List the categories", "payload": "/ask_categories_list"}])
        conversation.category, conversation.topic = codes[1], "overview"
        return self.book.compare(codes)

    def other_age_band(self, conversation: Conversation) -> Answer:
        current = conversation.mention.categories[0] if conversation.mention.categories else conversation.category
        if current is None:
            conversation.topic = "age_bands"
            return self.book.topic("age_bands", 4)
        counterpart = self.book.other_age_band(current)
        if counterpart is None:
            return Answer(f"{self.book.category(current).label} has no counterpart in the other age band.")
        conversation.category = counterpart
        conversation.age_band = self.book.category(counterpart).age_band
        topic = conversation.topic if conversation.topic in CATEGORY_TOPICS else "overview"
        return self.category_answer(topic, conversation)

    @staticmethod
    def which_category_prompt() -> Answer:
        return Answer("Which Endorsement® category do you mean? For example IFA, IFS, IFRS, IMHS or a Mentor "
                      "(infant), or ECFA, ECFS, ECFRS, ECMHS, ECMHM (early childhood).",
                      buttons=[{"title": "List the categories", "payload": "/ask_categories_list"},
                               {"title": "Check my qualifications", "payload": "/check_qualifications"}])


class ActionSources(Action):
    """Repeats the sources of the previous answer."""

    def name(self) -> Text:
        return "action_sources"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]):
        sources = tracker.get_slot("last_sources") or []
        if sources:
            dispatcher.utter_message(text="That answer came from:\n" + "\n".join(f"- {url}" for url in sources))
        else:
            dispatcher.utter_message(text="Each answer names the pages it came from; ask me a question and I'll "
                                          "cite its source. For the official word, check your state's infant "
                                          "mental health association.")
        return []


class ActionFallbackHelp(Action):
    """First miss: ask to rephrase. Further misses in a row: offer topics instead of asking again."""

    def name(self) -> Text:
        return "action_fallback_help"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]):
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


# The qualification check ------------------------------------------------------------------------------------------
FORM = "qualification_form"
FORM_ACTIONS = {"action_listen", "action_extract_slots", FORM, f"validate_{FORM}"}
# Messages that are not an answer to the form's question: when they carry no facts, the form lets the rules
# handle them (answer the question, stop, start over...) and then asks its question again.
NOT_ANSWERS = set(TOPIC_INTENTS) | set(REQUIREMENT_INTENTS) | {
    "ask_requirements", "ask_category_overview", "ask_compare", "ask_categories_list", "ask_other_age_band",
    "ask_fees", "ask_associations", "ask_source", "inform_category", "greet", "goodbye", "thank",
    "bot_challenge", "help", "out_of_scope", "stop", "start_over", "what_if"}
REPROMPTS = {
    "p_age_band": "Please tell me the ages you work with most: babies and toddlers (under 3), or children 3 to 6.",
    "p_degree": "Please tell me your highest degree or credential, for example \"a CDA\", \"BA in psychology\", "
                "\"MSW\", or \"no degree\".",
    "p_license": "Please answer yes or no: do you hold a professional mental health license?",
    "p_families": "Please give a number of families, for example \"about 12\".",
}
NUMBER_REPROMPT = "I need a number here, for example \"20\" or \"two years\"."
PROFILE_SLOTS = ["profile", "p_failures", *SLOT_FACTS]


@lru_cache(maxsize=1)
def profile_parser() -> ProfileParser:
    repository = KnowledgeRepository()
    return ProfileParser(repository, spacy.load(PIPELINE_DIR))


def fresh_user_turn(tracker: Tracker) -> bool:
    """True when the form runs on a new user message, not when it resumes after answering a question."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return True
        if event.get("event") == "action" and event.get("name") not in FORM_ACTIONS:
            return False
    return False


class ValidateQualificationForm(FormValidationAction):
    """Reads every answer into the profile and asks only what is still unknown and relevant."""

    def name(self) -> Text:
        return f"validate_{FORM}"

    async def required_slots(self, domain_slots, dispatcher, tracker, domain) -> List[Text]:
        return questions_needed(tracker.get_slot("profile") or {})

    async def get_validation_events(self, dispatcher, tracker, domain) -> List[Dict[Text, Any]]:
        # Every answer is checked while it is read, so all slots set this turn (the profile too) pass through.
        return [SlotSet(slot, value) for slot, value in tracker.slots_to_validate().items()]

    async def get_extraction_events(self, dispatcher, tracker, domain) -> List[Dict[Text, Any]]:
        if not fresh_user_turn(tracker):
            return []
        message = tracker.latest_message or {}
        intent = (message.get("intent") or {}).get("name")
        try:
            statement = profile_parser().parse(message.get("text") or "")
        except KnowledgeUnavailable:
            dispatcher.utter_message(text=UNAVAILABLE)
            return [SlotSet("p_failures", tracker.get_slot("p_failures") or {})]
        if not statement.says_anything and not statement.problems and intent in NOT_ANSWERS:
            return []
        requested = tracker.get_slot("requested_slot")
        profile = tracker.get_slot("profile") or {}
        update = apply_statement(profile, statement, requested)
        failures = dict(tracker.get_slot("p_failures") or {})
        answered = requested is None or update.profile.get(SLOT_FACTS[requested]) is not None or update.changed
        if requested and (update.problem or not answered):
            failures[requested] = failures.get(requested, 0) + 1
            text = update.problem or REPROMPTS.get(requested, NUMBER_REPROMPT)
            if failures[requested] >= 2:
                text += " If you'd rather leave this out, say \"skip\"."
            dispatcher.utter_message(text=text)
        events = [SlotSet("profile", update.profile), SlotSet("p_failures", failures)]
        return events + [SlotSet(slot, value) for slot, value in slot_values(update.profile).items()]


class ActionAssessProfile(Action):
    """The result of the check: a readable summary plus the checklist as JSON."""

    def __init__(self) -> None:
        self.repository = KnowledgeRepository()

    def name(self) -> Text:
        return "action_assess_profile"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]):
        try:
            send_assessment(dispatcher, self.repository, tracker.get_slot("profile") or {})
        except KnowledgeUnavailable:
            dispatcher.utter_message(text=UNAVAILABLE)
        return []


def send_assessment(dispatcher: CollectingDispatcher, repository: KnowledgeRepository, profile: Dict,
                    what_if: Optional[List[str]] = None) -> None:
    band = profile.get("age_band")
    lead = ""
    if band in (None, SKIPPED):
        band, lead = "infant", "You didn't say which ages you work with, so I used the infant categories.\n"
    assessment = assess(repository, profile_for_engine(profile), band)
    names = {category.code: category.name for category in repository.categories()}
    text = lead + summary(assessment, names, what_if or ())
    urls = sources(assessment)
    if urls:
        text += "\nSource: " + "; ".join(urls[:3])
    dispatcher.utter_message(text=text, json_message={"qualification_check": assessment.payload()})


class ActionWhatIf(Action):
    """Re-checks with a hypothetical change ("what if I get my master's?") without changing the stated facts."""

    def __init__(self) -> None:
        self.repository = KnowledgeRepository()

    def name(self) -> Text:
        return "action_what_if"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]):
        profile = tracker.get_slot("profile") or {}
        try:
            text = (tracker.latest_message or {}).get("text") or ""
            changes = what_if_changes(profile, profile_parser().parse(text), text)
            if not changes:
                dispatcher.utter_message(text="What would change? For example \"what if I get my master's?\" or "
                                              "\"what if I had 50 hours of RS/C?\"")
                return []
            if not profile:
                dispatcher.utter_message(text="Tell me about your background first (degree, work, training and "
                                              "RS/C hours), then I can compare what-ifs.")
                return []
            described = [describe_change(key, value) for key, value in changes.items()]
            send_assessment(dispatcher, self.repository, {**profile, **changes}, described)
        except KnowledgeUnavailable:
            dispatcher.utter_message(text=UNAVAILABLE)
        return []


class ActionResetProfile(Action):
    def name(self) -> Text:
        return "action_reset_profile"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]):
        dispatcher.utter_message(text="OK, let's start over. Everything you told me about your background is "
                                      "cleared.")
        return [SlotSet(slot, None) for slot in PROFILE_SLOTS]


class AskQuestion(Action):
    """Asks the form's question for one slot; one subclass per slot is made below."""

    slot = ""

    def name(self) -> Text:
        return f"action_ask_{self.slot}"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]):
        dispatcher.utter_message(text=QUESTIONS[self.slot])
        return []


# Kept in a dict: the action server finds actions through Action.__subclasses__(), which holds only weak
# references.
ASK_ACTIONS = {slot: type(f"Ask_{slot}", (AskQuestion,), {"slot": slot}) for slot in QUESTIONS}

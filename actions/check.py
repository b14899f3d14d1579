"""The qualification check's Rasa actions: thin adapters over actions/qualification (plain Python)."""
import logging
import re
from typing import Any, Dict, List, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from .answering.reader import Reader
from .knowledge.database import KnowledgeUnavailable
from .knowledge.snapshot import Knowledge, load_knowledge
from .qualification.dialogue import (
    CONFIRMING,
    SKIPPED,
    WHAT_IF,
    CheckState,
    any_core_fact,
    assessment_of,
    conflict_question,
    describe_change,
    enough_for_a_verdict,
    for_engine,
    gap_measures,
    merge,
    next_question,
    question_text,
    what_if_changes,
    what_if_target,
)
from .qualification.parser import ProfileParser
from .qualification.summary import checklist, verdict_text
from .tools import UNAVAILABLE, tools

logger = logging.getLogger(__name__)

# The qualification check ------------------------------------------------------------------------------------------
FORM = "qualification_form"
ANSWER_SLOT = "check_answer"
FORM_ACTIONS = {"action_listen", "action_extract_slots", FORM, f"validate_{FORM}"}
# Messages that are not an answer to the check's question: when they carry no facts, the form lets the rules
# handle them (answer the question, stop, start over...) and then asks its question again.
# Intents of a message that is an answer to the check's question (or a background): anything else is left to the
# rules (answer the question, stop, start over...) when it carries no facts, and the question is asked again.
ANSWER_INTENTS = {"inform_background", "check_qualifications", "ask_which_category", "affirm", "deny",
                  "nlu_fallback"}
START_INTENTS = {"check_qualifications", "ask_which_category"}
ALSO = re.compile(r"\b(?:also|too|as\s+well|on\s+top|plus|and\s+then)\b", re.IGNORECASE)
REPROMPT = "I didn't catch an answer there. {question}"
SKIP_OFFER = " If you'd rather leave this out, say \"skip\"."
GIVE_UP_AFTER = 3


def fresh_user_turn(tracker: Tracker) -> bool:
    """True when the form runs on a new user message, not when it resumes after answering a question."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return True
        if event.get("event") == "action" and event.get("name") not in FORM_ACTIONS:
            return False
    return False


def unanswered_messages(tracker: Tracker) -> List[str]:
    """Texts of the turns just before this one that got no reply at all (the action server was down then): they
    are read together with the current message, so an answer given during an outage is not lost."""
    events = tracker.events
    latest = next((i for i in range(len(events) - 1, -1, -1) if events[i].get("event") == "user"), 0)
    texts: List[str] = []
    for event in reversed(events[:latest]):
        if event.get("event") == "bot":
            break
        if event.get("event") == "user":
            texts.append(event.get("text") or "")
    return texts[::-1]


def target_category(reader: Reader, parser: ProfileParser, tracker: Tracker, profile: Dict) -> Optional[str]:
    """The category the person asks about ("could I apply for IFS?"), if any, other than the RS/C provider the same
    message names ("30 hours from an IMHS"): "what am I missing for IMHS?" asks about IMHS even when an IMHS gave
    their RS/C."""
    message = tracker.latest_message or {}
    text = message.get("text") or ""
    mention = reader.read(text, message.get("entities") or [], profile.get("age_band"))
    provider = parser.parse(text).facts.get("rsc_provider")
    return next((code for code in mention.categories if code != provider), None)


def first_sentence(text: str) -> str:
    return re.split(r"(?<=[.!?])\s+", text.strip(), maxsplit=1)[0]


def send_verdict(dispatcher: CollectingDispatcher, knowledge: Knowledge, profile: Dict, target: Optional[str] = None,
                 what_if: Optional[List[str]] = None) -> None:
    assessment = assessment_of(knowledge, profile)
    facts = for_engine(profile)
    text = verdict_text(knowledge, assessment, facts, target, what_if or (),
                        band_assumed=profile.get("age_band") in (None, SKIPPED))
    dispatcher.utter_message(text=text, json_message={"qualification_check": checklist(knowledge, assessment, facts)})


class ValidateQualificationForm(Action):
    """Reads each answer into the profile, gives the verdict as soon as there is enough to go on, and asks only
    what could still change it."""

    def name(self) -> str:
        return f"validate_{FORM}"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]):
        state = CheckState.from_slot(tracker.get_slot("check"))
        profile = dict(tracker.get_slot("profile") or {})
        message = tracker.latest_message or {}
        intent = (message.get("intent") or {}).get("name")
        message_id = message.get("message_id")
        # Back from answering a question in the middle of the check: ask the check's question again.
        resuming = state.asking is not None and not fresh_user_turn(tracker)
        fresh = not resuming and (message_id != state.last_message if message_id else fresh_user_turn(tracker))
        starting = state.asking is None or intent in START_INTENTS
        try:
            knowledge = load_knowledge()
        except KnowledgeUnavailable as error:
            logger.error("knowledge base unavailable: %s", error)
            dispatcher.utter_message(text=UNAVAILABLE)
            return [SlotSet("requested_slot", None)]
        _, reader, parser = tools(knowledge)
        if not fresh:
            return self.ask(dispatcher, knowledge, profile, state, repeat=True)
        if intent == "what_if" and not starting:
            return []  # "what if I get 10 more hours?" is not an answer: action_what_if takes it
        if starting:
            state = CheckState()
        state.last_message = message_id
        text = " ".join([*unanswered_messages(tracker), message.get("text") or ""])
        update = merge(knowledge, parser, profile, text, state.asking)
        if starting:
            state.target = target_category(reader, parser, tracker, update.profile)
        if not starting and not update.changed and not update.conflict and not update.problem \
                and intent not in ANSWER_INTENTS:
            return []
        profile = update.profile
        if update.conflict:
            state.asking, state.conflict = update.conflict.measure, (update.conflict.measure,
                                                                     tuple(update.conflict.values))
            dispatcher.utter_message(text=conflict_question(knowledge, update.conflict))
            return self.events(profile, state, asking=True)
        state.conflict = None
        answered = state.asking is None or profile.get(state.asking) is not None
        if state.asking and (update.problem or not (answered or update.changed)):
            return self.reprompt(dispatcher, knowledge, profile, state, update.problem)
        if state.asking:
            state.asked.append(state.asking)
        if starting and enough_for_a_verdict(profile):
            if update.problem:  # say what was not understood; the rest of the message still counts
                dispatcher.utter_message(text=first_sentence(update.problem))
            send_verdict(dispatcher, knowledge, profile, state.target)
            state.mode, state.asked = CONFIRMING, []
            state.asking = next_question(knowledge, profile, state)
            if state.asking:
                dispatcher.utter_message(text="To firm this up: " + question_text(knowledge, state.asking, profile))
            return self.events(profile, state, asking=bool(state.asking))
        if starting and state.target and any_core_fact(profile):  # "could I apply for IFS?" with part of a background
            send_verdict(dispatcher, knowledge, profile, state.target)
            state.asking = next_question(knowledge, profile, state)
            if state.asking:
                dispatcher.utter_message(text="To check the rest: " + question_text(knowledge, state.asking, profile))
            return self.events(profile, state, asking=bool(state.asking))
        if update.problem:  # say what was not understood before asking for the rest
            dispatcher.utter_message(text=first_sentence(update.problem))
        return self.ask(dispatcher, knowledge, profile, state, introduce=starting)

    def ask(self, dispatcher: CollectingDispatcher, knowledge: Knowledge, profile: Dict, state: CheckState,
            repeat: bool = False, introduce: bool = False) -> List[Dict[str, Any]]:
        """Asks the next question, or gives the verdict when nothing left could change it."""
        if repeat and state.asking:
            dispatcher.utter_message(text=question_text(knowledge, state.asking, profile))
            return self.events(profile, state, asking=True)
        state.asking = next_question(knowledge, profile, state)
        if state.asking is None:
            send_verdict(dispatcher, knowledge, profile, state.target)
            return self.events(profile, CheckState(last_message=state.last_message), asking=False)
        category = knowledge.category(state.target) if introduce and state.target else None
        intro = f"To check the {category.name} ({category.code}), I need a few details. " if category else ""
        dispatcher.utter_message(text=intro + question_text(knowledge, state.asking, profile))
        return self.events(profile, state, asking=True)

    def reprompt(self, dispatcher: CollectingDispatcher, knowledge: Knowledge, profile: Dict, state: CheckState,
                 problem: Optional[str]) -> List[Dict[str, Any]]:
        measure = state.asking or ""
        state.failures[measure] = state.failures.get(measure, 0) + 1
        if state.failures[measure] >= GIVE_UP_AFTER:
            profile[measure] = SKIPPED
            dispatcher.utter_message(text="Let's leave that one out; I'll mark it as not known.")
            return self.ask(dispatcher, knowledge, profile, state)
        text = f"{problem} {question_text(knowledge, measure, profile)}" if problem \
            else REPROMPT.format(question=question_text(knowledge, measure, profile))
        if state.failures[measure] >= 2:
            text += SKIP_OFFER
        dispatcher.utter_message(text=text)
        return self.events(profile, state, asking=True)

    @staticmethod
    def events(profile: Dict, state: CheckState, asking: bool) -> List[Dict[str, Any]]:
        return [SlotSet("profile", profile), SlotSet("check", state.to_slot()),
                SlotSet("requested_slot", ANSWER_SLOT if asking else None)]


class ActionWhatIf(Action):
    """Re-checks with a hypothetical change ("what if I get my master's?") without changing the stated facts."""

    def name(self) -> str:
        return "action_what_if"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]):
        profile = tracker.get_slot("profile") or {}
        try:
            knowledge = load_knowledge()
            _, _, parser = tools(knowledge)
            text = (tracker.latest_message or {}).get("text") or ""
            if not profile and not WHAT_IF.match(text) and parser.parse(text).facts:
                # "BA, 2 years as a home visitor: what can I get?" told as a background: the check takes it.
                return [SlotSet("check", None), FollowupAction(FORM)]
            changes = what_if_changes(parser, profile, text, gap_measures(assessment_of(knowledge, profile)))
            if not changes:
                dispatcher.utter_message(text="What would change? For example \"what if I get my master's?\" or "
                                              "\"what if I had 50 hours of RS/C?\"")
                return []
            if not profile:
                dispatcher.utter_message(text="Tell me about your background first (degree, work, training and "
                                              "RS/C hours), then I can compare what-ifs.")
                return []
            if ALSO.search(text):  # "what if she also…": on top of the previous what-if
                changes = {**(tracker.get_slot("what_if") or {}), **changes}
            described = [describe_change(knowledge, key, value) for key, value in changes.items()]
            changed = {**profile, **changes}
            send_verdict(dispatcher, knowledge, changed, what_if_target(knowledge, profile, changed), described)
            return [SlotSet("what_if", changes)]
        except KnowledgeUnavailable:
            dispatcher.utter_message(text=UNAVAILABLE)
        return []


class ActionResetProfile(Action):
    def name(self) -> str:
        return "action_reset_profile"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]):
        dispatcher.utter_message(text="OK, let's start over. Everything you told me about your background is "
                                      "cleared.")
        return [SlotSet("profile", None), SlotSet("check", None), SlotSet("what_if", None)]

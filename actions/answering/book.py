"""Compose the assistant's answers from the knowledge rows. Plain Python: no Rasa here.

A specific question gets the one to three rows that answer it, first, with the source; a broad one a short overview
of a topic's or category's most important points; the whole section only when asked for ("Everything about ...").
Every answer ends with quick-reply buttons: "More about <subject>" and the most related questions, each a payload
that addresses one row (`/ask_exam{"fact":"exam.pass-mark"}`) or one section. Every sentence of an answer is a
knowledge row; the code adds only labels ("IFS:", "Source:") and the structured figures of fees and requirements.
"""
import re
from dataclasses import dataclass, field, replace
from typing import Dict, List, Optional, Sequence, Set, Tuple

from ..knowledge.names import age_band_of
from ..knowledge.snapshot import Association, Category, Fee, Knowledge, Requirement, TopicFact
from ..knowledge.vocabulary import FEE_TYPES, degree_rank
from .reader import Mention, Reader
from .retrieval import COST_TERMS, PAST, Doc, FactIndex, Question, Ranked
from .routes import KIND_INTENT, ROUTES, TOPIC_LABELS, TOPIC_TERMS, Route, intent_for_topic
from .wording import join_lines, plural, sentence_case, unique
from .words import tokens

SPECIFIC_BUDGET = 600      # characters of row text in a specific answer
OVERVIEW_BUDGET = 750      # characters of row text in an overview
MAX_FACTS = 3
OVERVIEW_FACTS = 4
BROAD_REPLY = 900          # characters an overview may take, source line included
MAX_SOURCES = 2
RELATED_BUTTONS = 3
UNPUBLISHED_REACH = 5      # how far down the ranking a not-published row of the category asked about is looked for
TOGETHER = 0.95            # another row joins the first when it scores at least this share of the first's score
MIN_SCORE = 0.0            # below this the best row does not answer the question
FALLBACK_COVERAGE = 0.6    # a message Rasa could not classify is answered when a row covers this much of it
SAME_SAYING = 0.6          # two rows sharing this share of their words say the same thing: only the first is shown
# A broad question wants an overview: how it opens ("tell me about ...", "what about renewal?") or what it asks for
# anywhere ("what do I need for IFS?", "what's needed every year ...").
BROAD = re.compile(
    r"^\s*(?:(?:can you |could you |please )?(?:tell me|talk|explain|describe|give me|show me|walk me through)"
    r"(?: (?:more|a bit|something|everything|all|an overview|the basics|the details))?(?: about| of| on)?\b"
    r"|(?:and |so |ok )?(?:what|how) about\b(?!\s+(?:with|if|having|an?|just|only|my)\b)"  # not "what about with a GED"
    r"|(?:an? |the )?overview\b|(?:more )?info(?:rmation)? (?:on|about)\b|(?:everything|all) about\b"
    r"|how does (?:the )?\w+(?: \w+)? work\b|how do (?:the )?\w+ work\b|how do i (?:renew|keep)\b)"
    r"|\b(?:what|whats|what's) (?:do|would|will) (?:i|you) need (?:for|to)\b"
    r"|\b(?:what|whats|what's) (?:is |are )?(?:needed|required|involved)\b|\bwhat does it take\b"
    r"|\bwhat(?:'s| is) the deal with\b|\bsummari[sz]e\b"
    r"|\b(?:what|whats|what's) (?:are )?(?:all )?the (?:main |basic |general )?(?:\w+ )?(?:requirements|steps)\b",
    re.IGNORECASE)
# "More about renewal", typed: what the "More about ..." button gives.
MORE = re.compile(r"^\s*(?:(?:tell me|give me|show me|i want|i'd like|id like) )?(?:some )?more "
                  r"(?:about|on|info(?:rmation)? (?:about|on))\b", re.IGNORECASE)
QUESTION_START = re.compile(r"^(?:what|how|who|when|where|which|why|can|does|do|is|are)\b", re.IGNORECASE)
# The words of a request for the list of categories ("what are the different categories?").
LIST_TERMS = frozenset(tokens("category categories kind kinds type types list different endorsement endorsements "
                              "level levels option options available exist there name names offered"))
# Words that say nothing about which rows a broad question wants ("how does renewal work for the endorsement").
GENERIC_TERMS = frozenset(tokens("requirement requirements work works need get become endorsement endorsed infant "
                                 "mental health imh early childhood practice field career each year guide explain "
                                 "describe overview basics info information details general everything"))
# "for which categories?" right after an answer: the previous question, asked of every category.
WHICH_CATEGORIES = re.compile(r"^\s*(?:and |so |ok |then )?(?:(?:for|in|with|to) )?(?:which|what) "
                              r"(?:categor(?:y|ies)|levels?)(?: (?:then|is that|does that apply|do(?:es)? that))?"
                              r"\s*[?.!]*\s*$", re.IGNORECASE)
WHICH_CATEGORY = re.compile(r"\bwhich categor", re.IGNORECASE)
# "the specialist one": a Family Specialist or a Mental Health Specialist?
BARE_SPECIALIST = re.compile(r"(?<!family )(?<!health )(?<!mh )\bspecialists?\b", re.IGNORECASE)
PRONOUN = re.compile(r"\b(?:it|that|this|they|them|those|these)\b", re.IGNORECASE)
THERE = re.compile(r"\bthere\b(?!\s+(?:is|are|was|were|a|an|any)\b)", re.IGNORECASE)  # "what does it cost there"
PLACE_WORDS = frozenset(tokens("state states association there instead"))
FOLLOW_UP_WORDS = frozenset(tokens("same version one early childhood infant band age other instead then equivalent "
                                   "counterpart preschool preschoolers pre-k toddlers babies kids older younger "
                                   "look like would"))
# The words that name one kind of requirement in a question about a category's requirements.
KIND_TERMS = {kind: frozenset(tokens(words)) for kind, words in {
    "education": "degree education", "training": "training", "work": "experience", "leadership": "leadership",
    "rsc": "rsc", "references": "reference rater rating", "exam": "exam", "membership": "membership",
    "ethics": "ethics"}.items()}
OVERVIEW_KINDS = ("training", "rsc", "work", "leadership", "education", "exam", "references", "rsc_provider",
                  "ethics", "membership")
DEGREE_WORDS = {"none": "no degree", "high_school": "a high school diploma", "cda": "a CDA or any degree",
                "associate": "an associate's degree", "bachelor": "a bachelor's degree",
                "master": "a master's degree", "doctorate": "a doctorate"}
KIND_LABELS = {"education": "education", "work": "work", "leadership": "leadership", "training": "training",
               "rsc": "RS/C received", "rsc_provider": "RS/C provider", "references": "reference ratings",
               "ethics": "Code of Ethics", "exam": "exam", "membership": "membership"}


@dataclass
class Message:
    """One user message as Rasa parsed it."""

    text: str
    intent: Optional[str] = None
    confidence: float = 1.0
    entities: Sequence[Dict] = ()
    ranking: Sequence[Tuple[str, float]] = ()   # the other intents Rasa considered, with their confidences

    def entity(self, name: str) -> Optional[str]:
        return next((str(e.get("value")) for e in self.entities if e.get("entity") == name and e.get("value")),
                    None)

    @property
    def is_payload(self) -> bool:
        return self.text.startswith("/")


@dataclass
class Context:
    """What the conversation remembers between answers (the slots)."""

    category: Optional[str] = None
    topic: Optional[str] = None
    age_band: Optional[str] = None
    region: Optional[str] = None
    associations: List[str] = field(default_factory=list)
    question: Optional[Dict[str, str]] = None   # the last question that was not a follow-up: text and intent
    facts: List[str] = field(default_factory=list)


@dataclass
class Answer:
    text: str
    sources: List[str] = field(default_factory=list)
    buttons: List[Dict[str, str]] = field(default_factory=list)
    facts: List[str] = field(default_factory=list)      # ids of the rows shown, in order
    ranking: List[str] = field(default_factory=list)    # the rows shown, then the rest as the ranking put them
    kind: str = "specific"                               # specific, broad, full, list, compare, prompt, none
    context: Context = field(default_factory=Context)

    def rendered(self) -> str:
        sources = unique(self.sources)[:MAX_SOURCES]
        if not sources:
            return self.text
        return f"{self.text}\nSource: {'; '.join(sources)}"


def button(title: str, intent: str, **entities: str) -> Dict[str, str]:
    values = ",".join(f'"{name}":"{value}"' for name, value in entities.items() if value)
    return {"title": title, "payload": f"/{intent}" + ("{" + values + "}" if values else "")}


class AnswerBook:
    """Answers questions from one knowledge snapshot (its ranking index is built once)."""

    def __init__(self, knowledge: Knowledge):
        self.knowledge = knowledge
        self.index = FactIndex(knowledge)
        self.reader = Reader(knowledge)
        # The words of category names and codes ("early", "family", "specialist", "ifs"): what a follow-up is made of.
        self.name_terms = frozenset(t for name in [*knowledge.aliases("category"), *knowledge.role_aliases()]
                                    for t in tokens(name))
        places = sorted([*knowledge.aliases("region"), *knowledge.aliases("association")], key=len, reverse=True)
        self.place_names = re.compile(r"(?<![\w-])(?:in |for |from )?(?:the )?(?:state of )?("
                                      + "|".join(re.escape(p) for p in places if len(p) > 2) + r")(?![\w-])",
                                      re.IGNORECASE)

    # Entry point ----------------------------------------------------------------------------------------------------
    def answer(self, message: Message, context: Optional[Context] = None) -> Answer:
        """The answer to one message, and what the conversation should remember (answer.context)."""
        context = context or Context()
        mention = self.reader.read("" if message.is_payload else message.text, message.entities,
                                   context.age_band)
        elsewhere = self.asked_elsewhere(message, mention, context)
        if elsewhere is not None:
            message = elsewhere
            mention = self.reader.read(message.text, message.entities, context.age_band)
        new = Context(category=mention.categories[0] if mention.categories else context.category,
                      topic=context.topic, age_band=mention.age_band or context.age_band,
                      region=mention.region or context.region,
                      associations=list(mention.associations or context.associations),
                      question=context.question, facts=list(context.facts))
        answer = self.dispatch(message, mention, context, new)
        if not answer.text.strip():
            answer = self.no_answer(new, answer.ranking)
        verdict = self.degree_verdict(mention.degrees, answer)
        if verdict:
            answer.text = f"{verdict}\n{answer.text}"
        new.facts = list(answer.facts)
        answer.context = new
        return answer

    def degree_verdict(self, degrees: Sequence[str], answer: Answer) -> Optional[str]:
        """'Is a GED enough for IMHS?': whether the degree the message names reaches the level of the education rule
        the answer gives (None when the answer is not one such rule or no known degree is named)."""
        named = next((d for d in (self.knowledge.degree(code) for code in degrees) if d), None)
        if named is None or answer.kind not in ("specific", "broad") or not answer.facts:
            return None
        row = self.knowledge.fact(answer.facts[0])
        if not isinstance(row, Requirement) or row.measure != "degree_level" or row.operator != "min" \
                or not row.degree_level:
            return None
        if degree_rank(named.level) >= degree_rank(row.degree_level):
            return f"{named.name}: enough for this education rule."
        other_way = " It also names another way to qualify." if row.alternative else ""
        return f"{named.name}: below this education rule, which asks for {DEGREE_WORDS[row.degree_level]}.{other_way}"

    def answer_unclassified(self, message: Message, context: Optional[Context] = None) -> Optional[Answer]:
        """A message Rasa could not classify: answered only when one row matches it closely, else None."""
        plain = Message(message.text, None, 0.0, message.entities, message.ranking)
        mention = self.reader.read(message.text, message.entities, (context or Context()).age_band)
        if self.asked_elsewhere(plain, mention, context or Context()) is not None:
            return self.answer(plain, context)
        ranked = self.index.rank(self.question(plain, context or Context(), mention), limit=1)
        if not ranked or self.index.coverage(message.text, ranked[0].doc) < FALLBACK_COVERAGE:
            return None
        answer = self.answer(plain, context)
        return answer if answer.kind != "none" else None

    def dispatch(self, message: Message, mention: Mention, old: Context, new: Context) -> Answer:
        route = ROUTES.get(message.intent or "", Route())
        fact_id, section = message.entity("fact"), message.entity("section")
        if fact_id and fact_id in self.index.by_id:
            return self.single(fact_id, new)
        if section:
            return self.section(section, new, full=message.entity("detail") == "full")
        if not message.is_payload and MORE.search(message.text):
            more = self.more_about(message, mention, old, new)
            if more is not None:
                return more
        if route.special in ("follow_up", "other_age_band") and self.is_follow_up(message, mention):
            return self.follow_up(message, route, mention, old, new)
        if route.special in ("follow_up", "other_age_band"):
            route = Route()
        if route.special == "compare":
            codes = list(mention.categories)
            if len(codes) == 1 and old.category not in (None, codes[0]):
                codes.insert(0, old.category)
            if len(codes) >= 2:
                return self.compare(codes[:2], new)
        if WHICH_CATEGORIES.search(message.text) and old.question and old.topic not in (None, "categories", "overview"):
            asked = self.reader.category_names.sub(" ", old.question["text"].lower())
            question = self.question(message, new, mention, text=f"{asked} which categories",
                                     intent=old.question.get("intent") or None, categories=[])
            return self.specific(question, new)
        if route.special == "categories" and not mention.categories and not message.is_payload and \
                not mention.region and not mention.associations and set(tokens(message.text)) <= LIST_TERMS:
            new.topic = "categories"
            return self.categories_list()
        if message.is_payload and route.special == "categories":
            return self.categories_list()
        if not mention.categories and (route.kinds or route.phase) and BARE_SPECIALIST.search(message.text):
            return self.which_specialist(message, new)
        new.question = {"text": message.text, "intent": message.intent or ""}
        gap = self.nothing_listed(message, route, mention, old)
        if gap is not None:
            return gap
        question = self.question(message, new, mention)
        question.extra_terms = [*question.extra_terms, *self.topic_referred_to(message, old)]
        group = bool(question.categories and self.knowledge.designations(question.categories[0]))
        renewing = "renew" in tokens(message.text)
        if route.special == "requirements" and question.categories and not group:
            # "What leadership does an ECMHM-P need?": the requirements of the one kind the question names.
            unnamed = set(tokens(self.reader.category_names.sub(" ", message.text.lower())))
            named = [kind for kind, terms in KIND_TERMS.items() if terms & unnamed]
            return self.requirements_overview(question.categories[0], new, kinds=named if len(named) == 1 else None,
                                              phase="renewal" if renewing else "initial")
        if self.is_broad(message, route):
            if message.is_payload and (route.kinds or route.phase) and new.category:
                return self.requirements_overview(new.category, new, kinds=route.kinds or None,
                                                  phase=route.phase or "initial")
            if message.is_payload and route.topics:
                return self.topic_overview(route.topics[0], new)
            if mention.categories or len(tokens(message.text)) > 3:
                question.categories = list(mention.categories)  # an overview is of what this message names
            question.broad = True
            return self.broad(question, route, new)
        return self.specific(question, new)

    def more_about(self, message: Message, mention: Mention, old: Context, new: Context) -> Optional[Answer]:
        """'More about renewal' / 'more about IFS': the section, and all of it when its overview was the last answer."""
        if mention.categories:
            code = mention.categories[0]
            return self.requirements_overview(code, new, full=old.category == code and old.topic == "requirements")
        words = set(tokens(message.text))
        topic = next((t for t, terms in self.index.topic_terms.items() if terms & words), None) or \
            (old.topic if old.topic in TOPIC_LABELS else None)
        if topic is None:
            return None
        answer = self.topic_overview(topic, new)
        if answer.facts and set(answer.facts) <= set(old.facts):
            answer = self.topic_overview(topic, new, full=True)
        return answer

    def nothing_listed(self, message: Message, route: Route, mention: Mention, context: Context) -> Optional[Answer]:
        """A state with no association listed, or an association with no fees listed: say so, with the general
        row that applies (apply through the Alliance; each association sets its own fees)."""
        if not mention.region and not mention.associations and THERE.search(message.text) and context.associations:
            mention = replace(mention, associations=list(context.associations), region=context.region)
        if not mention.region and not mention.associations:
            return None
        asks_cost = route.fees or bool(set(tokens(message.text)) & COST_TERMS)
        if route.cards == ("association",) and mention.region and not mention.associations and not asks_cost:
            region = self.knowledge.region(mention.region)
            abroad = region is not None and region.kind == "country"
            fact_id = "residency.outside-the-us-not-published" if abroad else "residency.no-association-in-state"
            what = f"infant mental health association listed for {mention.region}"
        elif asks_cost and mention.associations and not any(self.knowledge.fees(a) for a in mention.associations):
            names = ", ".join(a.name for a in (self.knowledge.association(c) for c in mention.associations) if a)
            fact_id, what = "fees-general.set-by-association", f"fees listed for {names}"
        else:
            return None
        doc = self.index.by_id.get(fact_id)
        if doc is None:
            return None
        answer = self.compose([doc], self.index.related(doc), Context())
        answer.text = f"I have no {what}. " + answer.text
        return answer

    def no_answer(self, context: Context, nearest: Sequence[str] = ()) -> Answer:
        """No row answers the question: say so, point to the association, offer the nearest rows instead."""
        docs = [self.index.by_id[i] for i in nearest if i in self.index.by_id]
        buttons = [button(self.question_title(d), self.intent_of(d), fact=d.id) for d in docs[:RELATED_BUTTONS]]
        return Answer("I have no published fact on that, so I won't guess. " + self.where_to_ask(context.associations),
                      buttons=buttons or [button("What I can answer", "help")], kind="none")

    # The ranking question -------------------------------------------------------------------------------------------
    def question(self, message: Message, context: Context, mention: Mention, text: Optional[str] = None,
                 intent: Optional[str] = None, categories: Optional[Sequence[str]] = None) -> Question:
        associations = list(mention.associations or context.associations)
        regions = [a.region_code for a in (self.knowledge.association(c) for c in associations)
                   if a and a.region_code]
        from_context = False
        if categories is None:
            from_context = not mention.categories and bool(context.category) and self.leans_on_context(message)
            categories = mention.categories or ([context.category] if context.category and from_context else [])
        return Question(text=text if text is not None else message.text,
                        intent=intent if intent is not None else message.intent,
                        confidence=message.confidence if intent is None else 1.0,
                        intents=list(message.ranking) if intent is None else [],
                        categories=list(categories), from_context=from_context, age_band=context.age_band,
                        regions=regions, associations=associations)

    def asked_elsewhere(self, message: Message, mention: Mention, context: Context) -> Optional[Message]:
        """'and in Michigan?', 'what about Texas': the previous question again, of the state or association this
        short message names (None when the message is more than that)."""
        if message.is_payload or mention.categories or not (mention.region or mention.associations) \
                or not context.question or not context.question.get("text"):
            return None
        rest = self.place_names.sub(" ", message.text)
        if [w for w in tokens(rest) if w not in FOLLOW_UP_WORDS and w not in PLACE_WORDS]:
            return None
        association = self.knowledge.association(mention.associations[0]) if mention.associations else None
        place = mention.region or (association.name if association else "")
        question = self.place_names.sub(" ", context.question["text"]).strip(" ?.!")
        return Message(f"{question} in {place}?", context.question.get("intent") or None, 1.0, message.entities)

    def topic_referred_to(self, message: Message, old: Context) -> List[str]:
        """'how much does it cost?' after an answer about the exam: the words of the topic 'it' stands for, when the
        message names no topic of its own."""
        words = set(tokens(message.text))
        if message.is_payload or not PRONOUN.search(message.text) or old.topic not in TOPIC_TERMS or \
                any(terms & words for terms in self.index.topic_terms.values()) and not words <= COST_TERMS:
            return []
        return list(tokens(TOPIC_TERMS[old.topic]))

    def is_follow_up(self, message: Message, mention: Mention) -> bool:
        """A short message that names a category or age band and little else ('and for the mentor?')."""
        if message.is_payload:
            return True
        words = [w for w in tokens(message.text) if w not in FOLLOW_UP_WORDS and w not in self.name_terms]
        return len(words) <= 1

    @staticmethod
    def leans_on_context(message: Message) -> bool:
        """A requirement question that names no category is about the conversation's ("what about renewal?")."""
        route = ROUTES.get(message.intent or "", Route())
        return bool(route.kinds or route.phase)

    @staticmethod
    def is_broad(message: Message, route: Route) -> bool:
        return message.is_payload or route.special == "requirements" or bool(BROAD.search(message.text))

    # Specific answers -----------------------------------------------------------------------------------------------
    def specific(self, question: Question, context: Context) -> Answer:
        ranked = self.index.rank(question, limit=20)
        if not ranked or ranked[0].score <= MIN_SCORE:
            return Answer("", ranking=[r.doc.id for r in ranked[:3]], kind="none")
        by_category = self.by_category(question, ranked)
        if by_category:
            return self.compose(by_category, ranked, context, kind="broad")
        return self.compose(self.choose(ranked, question), ranked, context)

    def by_category(self, question: Question, ranked: Sequence[Ranked]) -> List[Doc]:
        """'How many RS/C hours?' or 'which categories need RS/C?' with no category named: the topic's rows that give
        the figure per category."""
        route = ROUTES.get(question.intent or "", Route())
        if question.categories or not route.kinds or not route.topics or \
                "number" not in tokens(question.text) and not WHICH_CATEGORY.search(question.text):
            return []
        topic = route.topics[0]
        scores = {r.doc.id: r.raw for r in self.index.rank(question, limit=len(self.index.docs))}
        rows = [self.index.by_id[f.id] for f in self.knowledge.topic_facts(topic)
                if f.published and scores.get(f.id, 0) > 0 and self.index.by_id[f.id].categories]
        chosen: List[Doc] = []
        size = 0
        for doc in rows:
            if size + len(self.row_text(doc)) > OVERVIEW_BUDGET or len(chosen) >= OVERVIEW_FACTS:
                break
            chosen.append(doc)
            size += len(self.row_text(doc))
        return chosen if len(chosen) > 1 else []

    def choose(self, ranked: List[Ranked], question: Question) -> List[Doc]:
        targets = self.index.target_categories(question)
        route = ROUTES.get(question.intent or "", Route())
        # "Not published" is the answer for the category asked about: a general row near the top may carry
        # another category's rule, so the category's own not-published row of the kind asked about goes first.
        unpublished = next((r for r in ranked[1:UNPUBLISHED_REACH] if r.doc.source == "requirement"
                            and not r.doc.published and r.doc.category in targets and r.doc.kind in route.kinds
                            and ranked[0].doc.category not in targets), None)
        if unpublished is not None:
            ranked = [unpublished] + [r for r in ranked if r is not unpublished]
        top = ranked[0]
        chosen = [top.doc]
        if top.doc.source == "requirement" and top.doc.category in targets:
            # A group (the Mentor) answers with each designation's row of the same requirement, in their order.
            group = self.knowledge.category(top.doc.category)
            if group is not None and group.parent and group.parent in question.categories:
                rows = [row for member in self.members(group.parent)
                        for row in self.knowledge.requirements(member.code, phase=top.doc.phase, kind=top.doc.kind,
                                                               in_force_only=True)]
                same = [row for row in rows if row.measure == top.doc.measure] or rows
                firsts: Dict[str, Doc] = {}
                for row in same:
                    firsts.setdefault(row.category, self.index.by_id[row.id])
                chosen = list(firsts.values())
            if PAST.search(question.text):
                # A rule that changed, when the question asks about the past: the other version too.
                other = next((r.doc for r in ranked[1:8] if r.doc.source == "requirement"
                              and r.doc.category == top.doc.category and r.doc.measure == top.doc.measure
                              and r.doc.in_force != top.doc.in_force), None)
                if other is not None:
                    chosen.append(other)
        if top.doc.source == "fee":
            named_types = {t for t in FEE_TYPES if t.replace("_", " ") in question.text.lower()}
            if named_types:   # "the registration fee": that fee (of each category that ties)
                chosen += [r.doc for r in ranked[1:] if r.doc.source == "fee" and r.score >= top.score - 1e-9
                           and r.doc.association == top.doc.association]
            else:             # "how much does it cost in Arizona?": the association's fees, of the category asked
                fee_targets = self.index.fee_categories(question)
                fees = [fee for fee in self.knowledge.fees(top.doc.association or "")
                        if not fee.category or not fee_targets or fee.category in fee_targets]
                fees.sort(key=lambda fee: not (fee.category and fee.category in fee_targets))
                chosen = [self.index.by_id[fee.id] for fee in fees]
        for r in ranked[1:MAX_FACTS]:
            if r.doc not in chosen and r.score >= TOGETHER * top.score and r.doc.source == top.doc.source:
                chosen.append(r.doc)
        if top.doc.source == "fee":   # one line for the association's fees
            fee_docs = [doc for doc in chosen if doc.source == "fee"]
            while len(fee_docs) > 1 and len(self.fee_text([self.fee(d.id) for d in fee_docs])) > SPECIFIC_BUDGET:
                fee_docs = fee_docs[:-1]
            return fee_docs
        kept: List[Doc] = []
        size = 0
        for doc in chosen:
            length = len(self.row_text(doc))
            if kept and (size + length > SPECIFIC_BUDGET or len(kept) >= MAX_FACTS
                         or any(self.says_the_same(doc, other) for other in kept)):
                continue
            kept.append(doc)
            size += length
        return kept

    def says_the_same(self, one: Doc, other: Doc) -> bool:
        words = [set(tokens(self.row_text(doc))) for doc in (one, other)]
        shared = len(words[0] & words[1]) / max(1, min(len(words[0]), len(words[1])))
        return shared >= SAME_SAYING

    def compose(self, docs: Sequence[Doc], ranked: Sequence[Ranked], context: Context, kind: str = "specific",
                header: str = "", more: bool = True) -> Answer:
        lines = self.lines(docs, bullets=kind != "specific", label=not header)
        if kind == "specific":
            note = self.note_of(docs[0])
            if note and sum(len(line) for line in lines) + len(note) <= SPECIFIC_BUDGET:
                lines.append("Note: " + note)
        top = docs[0]
        context.topic = {"topic": top.topic, "fee": "fees", "category": "overview",
                         "association": "associations"}.get(top.source, top.kind)
        if top.source in ("requirement", "category") and top.category and \
                context.category not in self.group_of(top.category):
            context.category = top.category
        ids = [d.id for d in docs]
        ranking = ids + [r.doc.id for r in ranked if r.doc.id not in ids]
        text = join_lines(([header] if header else []) + lines)
        return Answer(text, [self.source_of(d) for d in docs], self.buttons(docs, ranked, context, more),
                      ids, ranking, kind)

    def lines(self, docs: Sequence[Doc], bullets: bool = False, label: bool = True) -> List[str]:
        """The rows' texts: a text shared by several rows said once, fees of one association on one line, and
        requirements labelled with their category (once, when they are all of one category)."""
        groups: Dict[str, List[Doc]] = {}
        for doc in docs:
            key = f"fee:{doc.association}" if doc.source == "fee" else self.row_text(doc)
            groups.setdefault(key, []).append(doc)
        requirements = [d for d in docs if d.source == "requirement"]
        one_category = len({(d.category, d.phase) for d in requirements}) == 1 and len(requirements) == len(docs)
        lines = []
        for key, members in groups.items():
            first = members[0]
            if first.source == "fee":
                line = self.fee_text([fee for fee in (self.knowledge.fact(d.id) for d in members)
                                      if isinstance(fee, Fee)])
            elif first.source == "requirement":
                fact = self.requirement(first.id)
                when = f"Earlier rule, until {fact.effective_until}: " if not fact.in_force else ""
                prefix = "" if one_category or not label else \
                    f"{', '.join(d.category or '' for d in members)}{' renewal' if fact.phase == 'renewal' else ''}: "
                line = prefix + when + key
            else:
                line = key
            lines.append(line)
        header = ""
        if one_category and label:
            fact = self.requirement(requirements[0].id)
            header = self.category_label([fact.category]) + (", renewal" if fact.phase == "renewal" else "")
        if len(lines) > 1 or (header and bullets):
            lines = [f"- {line}" for line in lines]
            return ([header + ":"] if header else []) + lines
        return [f"{header}: {lines[0]}"] if header else lines

    def requirement(self, fact_id: str) -> Requirement:
        fact = self.knowledge.fact(fact_id)
        if not isinstance(fact, Requirement):
            raise KeyError(fact_id)
        return fact

    def fee(self, fact_id: str) -> Fee:
        fee = self.knowledge.fact(fact_id)
        if not isinstance(fee, Fee):
            raise KeyError(fact_id)
        return fee

    def category(self, code: str) -> Category:
        category = self.knowledge.category(code)
        if category is None:
            raise KeyError(code)
        return category

    def category_label(self, codes: Sequence[str]) -> str:
        if len(codes) == 1:
            category = self.knowledge.category(codes[0])
            return f"{category.name} ({category.code})" if category else codes[0]
        return ", ".join(codes)

    def group_of(self, code: Optional[str]) -> List[str]:
        category = self.knowledge.category(code) if code else None
        if category is None:
            return []
        return [category.code] + ([category.parent] if category.parent else [])

    # Rows -----------------------------------------------------------------------------------------------------------
    def row(self, doc: Doc):
        if doc.source == "category":
            return self.knowledge.category(doc.id)
        if doc.source == "association":
            return self.knowledge.association(doc.id)
        return self.knowledge.fact(doc.id)

    def row_text(self, doc: Doc) -> str:
        row = self.row(doc)
        if isinstance(row, Fee):
            return self.fee_text([row])
        if isinstance(row, Category):
            return f"{row.label}: {row.summary}"
        if isinstance(row, Association):
            return self.association_text(row)
        return row.text if row else ""

    def source_of(self, doc: Doc) -> str:
        row = self.row(doc)
        return row.source_url if row else ""

    def note_of(self, doc: Doc) -> Optional[str]:
        row = self.row(doc)
        if isinstance(row, (TopicFact, Requirement)) and row.published:
            return row.note
        # A not-published row's note may hold another category's or state's figure: never shown as the answer.
        return None

    def fee_text(self, fees: Sequence[Fee]) -> str:
        """'ITMHCA (Arizona): processing fee for IFS $X; ...' from the fee rows (not-published ones say so)."""
        parts = []
        for fee in fees:
            what = fee.fee_type.replace("_", " ") + " fee" + (f" for {fee.category}" if fee.category else "")
            if fee.amount_usd is None:
                note = fee.note or ""
                parts.append(note if fee.fee_type.replace("_", " ") in note.lower() else f"{what}: {note}")
            else:
                note = f" ({fee.note.rstrip('.')})" if fee.note and len(fees) <= 2 else ""
                parts.append(f"{what} ${fee.amount_usd:,.0f}{note}")
        association = self.knowledge.association(fees[0].association)
        name = association.name if association else fees[0].association
        place = f" ({association.region})" if association and association.region and \
            association.region_code != "US" and association.region not in name else ""
        text = f"{name}{place}: " + "".join(
            part if i == 0 else (". " if part[:1].isupper() else "; ") + part for i, part in enumerate(parts))
        return text if text.endswith(".") else text + "."

    @staticmethod
    def association_text(association: Association) -> str:
        where = association.region or "its region"
        site = f" ({association.website})" if association.website else ""
        status = {"endorsement": f"offers the Endorsement® in {where}",
                  "separate_system": f"runs its own credential in {where}, not the Alliance Endorsement®",
                  "unconfirmed": f"is not confirmed to offer the Endorsement® in {where}"}[association.status]
        return f"{association.name}{site} {status}." + (f" {association.note}" if association.note else "")

    # Buttons --------------------------------------------------------------------------------------------------------
    def buttons(self, docs: Sequence[Doc], ranked: Sequence[Ranked], context: Context,
                more: bool = True) -> List[Dict[str, str]]:
        result = [self.more_button(docs[0], context)] if more and docs else []
        seen = {self.row_text(d) for d in docs}
        candidates = [r.doc for r in ranked if r.score > 0] + [r.doc for r in self.index.related(docs[0])]
        for doc in candidates:
            if len(result) >= RELATED_BUTTONS + (1 if more else 0):
                break
            if doc in docs or self.row_text(doc) in seen or not doc.in_force or doc.source != docs[0].source \
                    and docs[0].source in ("category", "association"):
                continue
            title = self.question_title(doc)
            if title in {b["title"] for b in result}:
                continue
            result.append(button(title, self.intent_of(doc), fact=doc.id))
            seen.add(self.row_text(doc))
        return result

    def more_button(self, doc: Doc, context: Context) -> Dict[str, str]:
        if doc.source in ("requirement", "category") and doc.category:
            code = context.category if context.category in self.group_of(doc.category) else doc.category
            return button(f"More about {code}", "ask_requirements", section=f"category:{code}")
        if doc.source in ("fee", "association"):
            code = doc.association or ""
            return button(f"More about fees ({code})", "ask_fees", section=f"fees:{code}")
        return button(f"More about {TOPIC_LABELS.get(doc.topic, doc.topic)}", intent_for_topic(doc.topic),
                      section=doc.topic)

    def question_title(self, doc: Doc) -> str:
        row = self.row(doc)
        if isinstance(row, Fee):
            association = self.knowledge.association(row.association)
            where = association.region if association and association.region_code != "US" else row.association
            return f"{where}: {row.fee_type.replace('_', ' ')} fee" + (f" ({row.category})" if row.category else "")
        if isinstance(row, Category):
            return f"What is {row.code}?"
        if isinstance(row, Association):
            return f"Who endorses in {row.region}?"
        topic_words = self.index.topic_terms.get(getattr(row, "topic", ""), frozenset())
        keyword = self.title_keyword(row, topic_words | {"renew", "requir"})
        if isinstance(row, Requirement):
            renewal = " renewal" if row.phase == "renewal" and "renew" not in keyword.lower() else ""
            return f"{row.category}{renewal}: {keyword}"
        if set(tokens(keyword)) & topic_words or keyword.endswith("?"):
            return sentence_case(keyword)
        return f"{sentence_case(TOPIC_LABELS.get(row.topic, row.topic))}: {keyword}"

    @staticmethod
    def title_keyword(row, generic: frozenset) -> str:
        """The keyword that best names a row on a button: a question-like one, else the first of two or more
        words that says more than the topic's own name, else the row's id."""
        keywords = list(getattr(row, "keywords", ()) or ())
        for keyword in keywords:
            if QUESTION_START.match(keyword) and len(keyword.split()) > 3:
                return sentence_case(keyword) + "?"
        specific = [k for k in keywords if set(tokens(k)) - generic]
        phrases = [k for k in specific if len(k.split()) > 1]
        if phrases or specific:
            return (phrases or specific)[0]
        return row.id.split(".")[-1].replace("-", " ")

    @staticmethod
    def intent_of(doc: Doc) -> str:
        if doc.source == "requirement":
            return "ask_renewal" if doc.phase == "renewal" else KIND_INTENT.get(doc.kind or "", "ask_requirements")
        if doc.source == "fee":
            return "ask_fees"
        if doc.source == "category":
            return "ask_category_overview"
        if doc.source == "association":
            return "ask_associations"
        return intent_for_topic(doc.topic)

    # One row, a section, an overview --------------------------------------------------------------------------------
    def single(self, fact_id: str, context: Context) -> Answer:
        doc = self.index.by_id[fact_id]
        return self.compose([doc], self.index.related(doc), context)

    def section(self, section: str, context: Context, full: bool = False) -> Answer:
        kind, _, code = section.partition(":")
        if kind in ("category", "renewal") and self.knowledge.category(code):
            return self.requirements_overview(code, context, full=full,
                                              phase="renewal" if kind == "renewal" else "initial")
        if kind == "fees" and self.knowledge.association(code):
            docs = [self.index.by_id[f.id] for f in self.knowledge.fees(code)]
            if docs:
                return self.compose(docs, [], context, kind="broad")
        if section in TOPIC_LABELS:
            return self.topic_overview(section, context, full=full)
        return Answer("", kind="none")

    def broad(self, question: Question, route: Route, context: Context) -> Answer:
        """An overview: a category's requirements of the kind asked about, a topic's first rows, or else the
        best-ranked rows of the best row's topic (or category and kind)."""
        ranked = self.index.rank(question, limit=30)
        if not ranked or ranked[0].score <= MIN_SCORE:
            return Answer("", kind="none")
        code = question.categories[0] if question.categories else None
        # An overview leads with published rows (a category's own "not published" rows are its answer); for a group
        # (the Mentor) with the rows about the whole group, not one designation's.
        targets = self.index.target_categories(question)
        ranked = [r for r in ranked if r.doc.published or r.doc.category in targets] or ranked
        if code and self.knowledge.designations(code):
            ranked = [r for r in ranked if r.doc.source != "requirement"] or ranked
        top = ranked[0].doc
        words = set(tokens(question.text))
        specific_topics = [topic for topic, terms in self.index.topic_terms.items() if terms & (words - GENERIC_TERMS)
                           and not (code and topic == "application")]  # applying for a category: its requirements
        named = specific_topics or [topic for topic, terms in self.index.topic_terms.items() if terms & words]
        phase = "renewal" if "renew" in words else route.phase or "initial"
        if code and not self.knowledge.designations(code) and (
                (route.kinds or route.phase) and (question.from_context or
                                                  top.source == "requirement" and top.category == code)
                or "category" not in route.cards and not specific_topics):
            # "What do I need for IFS?", "walk me through getting endorsed as an ECFA": the category's requirements.
            return self.requirements_overview(code, context, kinds=route.kinds or None, phase=phase)
        if named and not question.categories and not question.regions:
            topic = next((r.doc.topic for r in ranked if r.doc.source == "topic" and r.doc.topic in named),
                         named[0])
            if not words - GENERIC_TERMS - self.index.topic_terms[topic]:
                return self.topic_overview(topic, context)
        same = [r.doc for r in ranked if r.doc.source == top.source and
                (r.doc.topic == top.topic if top.source != "requirement" else
                 (r.doc.category, r.doc.kind, r.doc.phase) == (top.category, top.kind, top.phase))]
        chosen: List[Doc] = []
        size = 0
        for doc in same:
            length = len(self.row_text(doc))
            if chosen and (size + length > OVERVIEW_BUDGET or len(chosen) >= OVERVIEW_FACTS):
                continue
            chosen.append(doc)
            size += length
        return self.compose(chosen, ranked, context, kind="broad" if len(chosen) > 1 else "specific")

    def topic_overview(self, topic: str, context: Context, full: bool = False) -> Answer:
        facts = self.knowledge.topic_facts(topic)
        if not facts:
            return Answer("", kind="none")
        chosen: List[TopicFact] = []
        size = 0
        for fact in facts:
            if not full and chosen and (size + len(fact.text) > OVERVIEW_BUDGET or len(chosen) >= OVERVIEW_FACTS):
                break
            chosen.append(fact)
            size += len(fact.text)
        nearby = [r for r in self.index.rank(Question(TOPIC_TERMS.get(topic, topic)), limit=12)
                  if r.doc.topic != topic and r.doc.in_force]
        while True:
            docs = [self.index.by_id[f.id] for f in chosen]
            rest = [Ranked(self.index.by_id[f.id], 1.0) for f in facts if f not in chosen] + nearby
            answer = self.compose(docs, rest, context, kind="full" if full else "broad", more=False)
            if full or len(chosen) == 1 or len(answer.rendered()) <= BROAD_REPLY:
                break
            chosen = chosen[:-1]
        if len(chosen) < len(facts) and not full:
            answer.buttons.insert(0, button(f"Everything about {TOPIC_LABELS.get(topic, topic)}",
                                            intent_for_topic(topic), section=topic, detail="full"))
            answer.buttons = answer.buttons[:RELATED_BUTTONS + 1]
        return answer

    # Categories -----------------------------------------------------------------------------------------------------
    def members(self, code: str) -> List[Category]:
        category = self.knowledge.category(code)
        return self.knowledge.designations(code) or ([category] if category else [])

    def requirement_rows(self, code: str, phase: str = "initial", kinds: Optional[Sequence[str]] = None
                         ) -> List[Requirement]:
        rows = [row for member in self.members(code)
                for row in self.knowledge.requirements(member.code, phase=phase, in_force_only=True)
                if kinds is None or row.kind in kinds]
        return sorted(rows, key=lambda r: (OVERVIEW_KINDS.index(r.kind) if r.kind in OVERVIEW_KINDS else 99,
                                           not r.defining))

    def requirements_overview(self, code: str, context: Context, full: bool = False,
                              kinds: Optional[Sequence[str]] = None, phase: str = "initial") -> Answer:
        category = self.knowledge.category(code)
        if category is None:
            return self.which_category_prompt()
        context.category = code
        rows = self.requirement_rows(code, phase=phase, kinds=kinds)
        if not rows:
            return Answer("", kind="none")
        docs = [self.index.by_id[r.id] for r in rows]
        what = "To keep" if phase == "renewal" else "To earn"
        if full or sum(len(r.text) for r in rows) <= OVERVIEW_BUDGET:
            answer = self.compose(docs, [], context, kind="full" if full else "broad", more=False,
                                  header=f"{what} the {category.label} Endorsement®:" if len(rows) > 1 else "")
            context.topic = "requirements"
            if not full:
                answer.buttons = self.category_buttons(code, rows)
            if full or len(answer.rendered()) <= BROAD_REPLY:
                return answer
        lines = self.compact_lines(rows)
        shown = [r for r in rows if self.figure(r)]
        context.topic = "requirements"
        buttons = self.category_buttons(code, rows)
        header = f"{what} the {category.label} Endorsement®, in short:"
        return Answer(header + "\n" + join_lines(f"- {line}" for line in lines),
                      [category.source_url] + [r.source_url for r in shown], buttons,
                      [r.id for r in shown], [r.id for r in rows], "broad")

    def category_buttons(self, code: str, rows: Sequence[Requirement]) -> List[Dict[str, str]]:
        """Under a category overview: the whole section, and the rows people most often ask about next."""
        buttons = [button(f"Everything about {code}", "ask_requirements", section=f"category:{code}", detail="full")]
        phases = {row.phase for row in rows}
        if phases == {"initial"}:
            buttons.append(button(f"Renewing {code}", "ask_renewal", section=f"renewal:{code}"))
        for row in rows:
            if len(buttons) > RELATED_BUTTONS:
                break
            if row.kind in ("rsc", "work", "exam", "rsc_provider") and row.published:
                doc = self.index.by_id[row.id]
                buttons.append(button(self.question_title(doc), self.intent_of(doc), fact=row.id))
        return buttons

    def compact_lines(self, rows: Sequence[Requirement]) -> List[str]:
        """One short line per requirement, from the rows' structured fields (minimum, unit, timeframe)."""
        by_label: Dict[str, List[str]] = {}
        several = len({r.category for r in rows}) > 1
        for category, label, figure in self.labelled_figures(rows):
            entry = f"{category} {figure}" if several else figure
            if entry not in by_label.setdefault(label, []):
                by_label[label].append(entry)
        return [f"{sentence_case(label)}: {'; '.join(figures)}" for label, figures in by_label.items()]

    def labelled_figures(self, rows: Sequence[Requirement]) -> List[Tuple[str, str, str]]:
        """(category, label, figure) of each row with a figure; rows that are alternatives to each other (a degree
        or years of work for IFA) are one entry: "degree or years of paid work: at least a CDA or any degree, or at
        least 2 years"."""
        entries: List[Tuple[str, str, str]] = []
        done: Set[str] = set()
        for row in rows:
            if row.id in done or not self.figure(row):
                continue
            group = [r for r in rows if row.alternative and r.alternative == row.alternative
                     and r.category == row.category and self.figure(r)] or [row]
            done.update(r.id for r in group)
            label = " or ".join(self.measure_label(r) for r in group)
            figure = ", or ".join(self.alternative_figure(r) for r in group) if len(group) > 1 else self.figure(row)
            entries.append((row.category, label, figure))
        return entries

    def alternative_figure(self, row: Requirement) -> str:
        """One side of an either/or, saying what it counts: "a mental health license", "at least 2 years of paid
        work", "at least a master's degree"."""
        label, figure = self.measure_label(row), self.figure(row)
        if figure == "required":
            return f"a {label}"
        if label.startswith("years of "):
            return figure.replace(" years", f" years of {label.removeprefix('years of ')}", 1)
        return figure

    def measure_label(self, row: Requirement) -> str:
        measure = self.knowledge.measure(row.measure) if row.measure else None
        return measure.short if measure else KIND_LABELS.get(row.kind, row.kind.replace("_", " "))

    @staticmethod
    def figure(row: Requirement) -> str:
        """A requirement's figure in a few words ('at least 24 hours within 12-24 months'), from its fields."""
        if not row.published or row.operator == "info":
            return ""
        if row.operator in ("not_required", "encouraged", "required"):
            return {"not_required": "not required", "encouraged": "encouraged, not required",
                    "required": "required"}[row.operator]
        if row.operator == "one_of":
            codes = list(row.provider_codes)
            return ("endorsed as " + (", ".join(codes[:-1]) + " or " + codes[-1] if len(codes) > 1 else codes[0])) \
                if codes else ""
        if row.measure == "degree_level" or row.unit == "degree":
            return f"at least {DEGREE_WORDS.get(row.degree_level or '', row.degree_level or '')}"
        if row.amount is None:
            return ""
        unit = row.unit or ""
        text = f"at least {plural(row.amount, unit[:-1], unit)}" if unit.endswith("s") else f"at least {row.amount:g}"
        if row.timeframe_min_months and row.timeframe_max_months:
            text += f" within {row.timeframe_min_months}–{row.timeframe_max_months} months"
        if row.after_degree in DEGREE_WORDS:
            text += f", after {DEGREE_WORDS[row.after_degree].replace('a ', 'the ', 1).removesuffix(' degree')}"
        return text

    def categories_list(self) -> Answer:
        by_band: Dict[str, List[str]] = {}
        for category in self.knowledge.categories:
            if category.parent is None and category.age_band != "both":
                by_band.setdefault(category.age_band, []).append(f"{category.name} ({category.code})")
        bands = {"infant": "Infant (pregnancy to 36 months)", "early_childhood": "Early childhood (3 up to 6 years)"}
        lines = [f"- {bands.get(band, band)}: " + "; ".join(labels) for band, labels in by_band.items()]
        facts = [f for f in (self.knowledge.fact("endorsement.mentor-designations"),) if isinstance(f, TopicFact)]
        text = "The Endorsement® categories:\n" + "\n".join(lines) + "".join(f"\n{f.text}" for f in facts)
        buttons = [button("Which one fits me?", "check_qualifications"),
                   button("Compare IFS and IMHS", "ask_compare"),
                   button("What kind of work is each for?", "ask_what_is_endorsement",
                          fact="endorsement.scope-by-category")]
        buttons[1]["payload"] = '/ask_compare{"category":"IFS"}'
        return Answer(text, [f.source_url for f in facts], buttons, [f.id for f in facts], [f.id for f in facts],
                      "list")

    def compare(self, codes: Sequence[str], context: Context) -> Answer:
        context.category, context.topic = codes[1], "requirements"
        # A group (the Mentors) is compared through its Clinical designation, named as such.
        first, second = (self.representative(code) for code in codes[:2])
        lines, shown = [], []
        placed: Set[str] = set()
        for kind in ("education", "work", "leadership", "training", "rsc", "exam"):
            cells: List[str] = []
            for code in (first, second):
                everything = self.requirement_rows(code)
                rows = [r for r in everything if r.kind == kind and r.id not in placed
                        and r.measure not in ("rsc_training_hours", "dei_hours", "families_served")]
                # an either/or pair is shown once, with the first of its rows
                rows += [r for r in everything if r.alternative and r.id not in placed and r not in rows
                         and any(o.alternative == r.alternative for o in rows)]
                placed.update(r.id for r in rows)
                entries = self.labelled_figures(rows)
                several = len(entries) > 1
                # "clinical parent-child work: at least 2 years": the figure already says "years"
                figures = unique(f"{label.removeprefix('years of ').removeprefix('years ')}: {figure}"
                                 if several else figure for _, label, figure in entries)
                shown += [r.id for r in rows if self.figure(r)]
                cells.append("; ".join(figures) or "—")
            if cells[0] == cells[1] != "—":
                lines.append(f"- {sentence_case(KIND_LABELS[kind])}: both {cells[0]}")
            elif cells != ["—", "—"]:
                lines.append(f"- {sentence_case(KIND_LABELS[kind])}: {first} {cells[0]} | {second} {cells[1]}")
        a, b = self.category(first), self.category(second)
        buttons = [button(f"More about {first}", "ask_requirements", section=f"category:{first}"),
                   button(f"More about {second}", "ask_requirements", section=f"category:{second}")]
        return Answer(f"{a.name} ({a.code}) vs {b.name} ({b.code}), in short:\n" + "\n".join(lines),
                      [a.source_url, b.source_url], buttons, shown, shown, "compare")

    def representative(self, code: str) -> str:
        designations = self.knowledge.designations(code)
        return next((d.code for d in designations if d.code.endswith("-C")), designations[0].code) \
            if designations else code

    # Follow-ups -----------------------------------------------------------------------------------------------------
    def follow_up(self, message: Message, route: Route, mention: Mention, old: Context, new: Context) -> Answer:
        """'and for the mentor?', 'and the early childhood one?': the previous question, for another category."""
        if route.special == "other_age_band":
            current = mention.categories[0] if mention.categories else old.category
            category = self.knowledge.category(current) if current else None
            if category is None:
                new.age_band = "infant" if (mention.age_band or age_band_of(message.text)) == "infant" \
                    else "early_childhood"
                if old.question:
                    question = self.question(message, new, mention, text=old.question["text"],
                                             intent=old.question.get("intent") or None, categories=[])
                    question.extra_terms = ["early", "childhood"] if new.age_band == "early_childhood" else ["infant"]
                    return self.specific(question, new)
                return self.topic_overview("age_bands", new)
            if not category.counterpart:
                return Answer(f"{category.label} has no counterpart in the other age band.", kind="prompt",
                              buttons=[button("All categories", "ask_categories_list")])
            target = category.counterpart
            new.age_band = self.category(target).age_band
        else:
            if not mention.categories:
                return self.which_category_prompt()
            target = mention.categories[0]
        new.category = target
        if old.topic == "requirements":
            return self.requirements_overview(target, new)
        previous = [self.index.by_id[i] for i in old.facts if i in self.index.by_id]
        top = previous[0] if previous else None
        if top is not None and top.source == "requirement":
            rows = self.requirement_rows(target, phase=top.phase or "initial", kinds=(top.kind or "",))
            same = [r for r in rows if r.measure == top.measure]
            rows = same or rows
            if rows:
                docs = [self.index.by_id[r.id] for r in rows][:MAX_FACTS]
                return self.compose(docs, self.index.related(docs[0]), new)
        if old.topic == "requirements":
            return self.requirements_overview(target, new)
        if old.question is None or old.topic in (None, "overview", "categories"):
            return self.category_card(target, new)
        question = self.question(message, new, mention, text=old.question["text"],
                                 intent=old.question.get("intent") or None, categories=[target])
        return self.specific(question, new)

    def category_card(self, code: str, context: Context) -> Answer:
        doc = self.index.by_id.get(code)
        if doc is None:
            return self.which_category_prompt()
        return self.compose([doc], self.index.related(doc), context)

    def where_to_ask(self, codes: Sequence[str]) -> str:
        named = [a for a in (self.knowledge.association(c) for c in codes) if a and a.status == "endorsement"]
        if named:
            return "Please check with " + " or ".join(
                f"{a.name} ({a.website})" if a.website else a.name for a in named[:2]) + "."
        return "Please check with the infant mental health association of your state."

    def which_specialist(self, message: Message, context: Context) -> Answer:
        """A requirement question about "the specialist": which of the two, as buttons that ask the same question."""
        codes = ("ECFS", "ECMHS") if context.age_band == "early_childhood" else ("IFS", "IMHS")
        options = [self.category(code) for code in codes]
        names = [f"{option.name} ({option.code})" for option in options]
        return Answer(f"Which specialist do you mean: the {names[0]} or the {names[1]}?",
                      buttons=[button(name, message.intent or "ask_requirements", category=option.code)
                               for name, option in zip(names, options)], kind="prompt")

    @staticmethod
    def which_category_prompt() -> Answer:
        return Answer("Which Endorsement® category do you mean? For example IFA, IFS, IFRS, IMHS or a Mentor "
                      "(infant), or ECFA, ECFS, ECFRS, ECMHS, ECMHM (early childhood).",
                      buttons=[button("List the categories", "ask_categories_list"),
                               button("Check my qualifications", "check_qualifications")], kind="prompt")

"""Which knowledge rows answer a question: BM25 over every fact row, with the conversation as priors.

Built once per knowledge snapshot. Every fact row (topic facts, requirements, fees) is a document: its text and
keywords, plus the names of its topic and requirement kind. A question is scored against all of them, then the
score is shifted by what Rasa and the conversation know: the intent (and its confidence), the category, age band
and state named now or earlier. Plain Python; the weights were chosen by measuring top-1 on the development set
(tests/answering/test_selection.py prints the scores).
"""
import difflib
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Dict, FrozenSet, Iterable, List, Optional, Sequence, Tuple

import numpy as np
from scipy.sparse import csr_matrix

from ..knowledge.snapshot import Association, Category, Fee, Knowledge, Requirement, TopicFact
from .routes import ROUTES, TOPIC_TERMS, Route
from .words import tokens

# Weights, in units of the question's best BM25 score (which is scaled to `bm25`). Chosen by measuring top-1 on the
# development set (and on the answering developer's own questions, tests/answering/questions_own.yml).
WEIGHTS = {
    "k1": 0.5, "b": 0.0,      # BM25 term-frequency saturation and length normalisation
    "keywords": 2,            # keyword terms count this many times in a row's terms
    "bm25": 0.75,             # the best row's BM25, scaled
    # Multiplied with a row's BM25 (they order the rows the words found, but cannot put forward one they did not):
    "intent": 0.7,            # a row of the intent's topics or requirement kinds (times the intent's confidence)
    "topic": 0.4,             # a topic row whose topic the question names (routes.TOPIC_TERMS)
    "seq": 0.6,               # broad questions: a topic's first rows (seq 1 gets all of it, seq 2 half ...)
    # Added:
    "phase": 0.2,             # a requirement of the phase the intent asks about
    "category": 0.9,          # a requirement of the category asked about (half for a topic row that names it)
    "kind_match": 0.3,        # a requirement of the category asked about and of the kind the intent asks about
    "other_kind": 0.5,        # share of the category prior for a requirement of another kind than the intent's
    "other_category": 1.2,    # a requirement of another category than the one asked about
    "name_only": 0.5,         # share of the category prior for a requirement that matches only the names asked about
    "context_category": 0.5,  # share of the category priors when the category comes from earlier in the conversation
    "no_category": 1.0,       # a category's requirement when no category is named (general rows answer better)
    "region": 0.3,            # a row about the state (or association) asked about
    "other_region": 0.3,      # a row about another state than the one asked about
    "unasked_region": 0.25,   # a state-specific row when no state is named
    "old_rule": 0.5,          # a rule no longer in force, unless the question asks about the past
    "not_published": 0.15,    # a row saying something is not published (doubled when no category or state is named)
    "fee": 1.2,               # a fee row of the association asked about
    "other_fee": 1.5,         # a fee row of another association, or any fee row when the question is not about cost
    "card": 0.3,              # a category's or association's own row, when the intent is not about them
    "own_association": 0.6,   # the named association's own row, when the intent asks which association
    "phrase": 0.15,           # each keyword phrase of two or more words whose words the question all has (up to 2)
}
SLUG = re.compile(r"[-.]")
PAST = re.compile(r"\b(?:old|older|before|used to|previous(?:ly)?|earlier|until|changed?|prior|no longer|"
                  r"anymore|any more|still|were|was|did|19\d\d|20[01]\d|202[0-4])\b", re.IGNORECASE)
WHY = re.compile(r"^\s*why\b", re.IGNORECASE)
# "can a teacher become an ECFS?": the person asked about, whose words are not what the question asks.
SUBJECT = re.compile(r"\b(?:can|could|may|is it possible for|are|do) (?:an? |someone who is an? )?((?:[\w'-]+ ){1,3}?)"
                     r"(?:become|be|get|earn|apply|qualify|eligible|go for|hold)\b", re.IGNORECASE)
KEEP_TERMS = frozenset(tokens("rsc exam"))
COST_TERMS = frozenset(tokens("fee cost pay price dollars expensive afford"))
RENEWAL_TERM = tokens("renewal")[0]
MIN_TYPO_LENGTH, TYPO_CUTOFF = 6, 0.85  # a word this long the rows never use is matched to a row word this close
MIN_INTENT_SHARE = 0.05   # an intent Rasa gives less than this adds nothing to the prior
KIND_WORDS = {
    "education": "education degree", "training": "training hour", "work": "work experience year",
    "leadership": "leadership year", "rsc": "rsc hour", "rsc_provider": "rsc provider supervisor who",
    "references": "reference rating rater", "ethics": "ethics", "exam": "exam", "membership": "membership",
}


@dataclass(frozen=True)
class Doc:
    """One fact row as the ranking sees it."""

    id: str
    source: str                    # topic, requirement, fee, category or association
    topic: str                     # the topic of a topic fact; "requirements" or "fees" otherwise
    category: Optional[str]        # a requirement's or fee's category
    phase: Optional[str]
    kind: Optional[str]            # a requirement's kind
    measure: Optional[str]
    in_force: bool
    published: bool
    categories: FrozenSet[str]     # categories the row is about (its own, or those a topic row names)
    regions: FrozenSet[str]        # region codes the row is specific to
    association: Optional[str]     # a fee's association
    seq: int                       # a topic fact's order in its topic (1 = most important); 0 otherwise
    terms: Tuple[Tuple[str, int], ...]
    length: int

    def counts(self) -> Dict[str, int]:
        return dict(self.terms)


@dataclass
class Question:
    """What Rasa gives the action for one message, and what the conversation remembers (the slots)."""

    text: str
    intent: Optional[str] = None
    confidence: float = 1.0
    categories: Sequence[str] = ()          # category codes named in this message, in order
    from_context: bool = False              # the categories are the conversation's, not named in this message
    age_band: Optional[str] = None
    regions: Sequence[str] = ()             # region codes named (or the conversation's)
    associations: Sequence[str] = ()        # association codes named (or of the conversation's state)
    intents: Sequence[Tuple[str, float]] = ()  # every intent Rasa ranked, with its confidence
    extra_terms: Sequence[str] = ()         # terms carried over from the question a follow-up leans on
    broad: bool = False                     # an overview is wanted: the first rows of a topic count more


@dataclass
class Ranked:
    doc: Doc
    score: float
    parts: Dict[str, float] = field(default_factory=dict)
    raw: float = 0.0                                 # the row's BM25 score before scaling


def _region_codes(knowledge: Knowledge) -> Dict[str, str]:
    """Names that tie a row to one state or country: region names and association codes/aliases (long ones)."""
    names: Dict[str, str] = {}
    for alias, code in knowledge.aliases("region").items():
        if len(alias) >= 4 and code not in ("US",):
            names[alias] = code
    for alias, code in knowledge.aliases("association").items():
        association = knowledge.association(code)
        if association and association.region_code and association.region_code != "US" and len(alias) >= 4:
            names[alias] = association.region_code
    return names


def on_route(doc: "Doc", route: Route) -> bool:
    """The row is of the topics, requirement kinds (and phase), fees or cards the intent asks about."""
    return (doc.source == "topic" and doc.topic in route.topics) or \
        (doc.source == "requirement" and doc.kind in route.kinds
         and (route.phase is None or doc.phase == route.phase)) or \
        (doc.source == "requirement" and not route.kinds and route.phase == "renewal" and doc.phase == "renewal") or \
        (doc.source == "fee" and route.fees) or \
        (doc.source in route.cards)


class FactIndex:
    """BM25 over the fact rows of one knowledge snapshot, with priors from the conversation."""

    def __init__(self, knowledge: Knowledge):
        self.knowledge = knowledge
        self.region_names = _region_codes(knowledge)
        self._region_pattern = re.compile(
            r"(?<![\w-])(" + "|".join(re.escape(n) for n in sorted(self.region_names, key=len, reverse=True))
            + r")(?![\w-])")
        self._category_names = self._category_vocabulary()
        # Category codes are left to the category prior: a code in a row's keywords would otherwise pull that row
        # ahead of its category's other rows whenever the question names the category.
        self.code_terms = frozenset(t for c in knowledge.categories for t in tokens(c.code))
        rows = [*knowledge.facts(), *knowledge.categories, *knowledge.associations()]
        self.docs: List[Doc] = [self._doc(row) for row in rows]
        self.by_id = {doc.id: doc for doc in self.docs}
        frequencies: Counter = Counter()
        for doc in self.docs:
            frequencies.update(term for term, _ in doc.terms)
        n = len(self.docs)
        self.idf = {term: math.log(1 + (n - df + 0.5) / (df + 0.5)) for term, df in frequencies.items()}
        self.average_length = sum(doc.length for doc in self.docs) / max(n, 1)
        self.vocabulary = {term: i for i, term in enumerate(sorted(self.idf))}
        self._weights_key: Optional[Tuple[float, float]] = None
        self._counts = {doc.id: doc.counts() for doc in self.docs}
        self.phrases = {doc.id: self._phrases(row) for doc, row in zip(self.docs, rows)}
        self.topic_terms = {topic: frozenset(tokens(words)) for topic, words in TOPIC_TERMS.items()}
        self._words_by_initial: Dict[str, List[str]] = {}
        for term in self.vocabulary:
            if term.isalpha() and len(term) >= MIN_TYPO_LENGTH - 1:
                self._words_by_initial.setdefault(term[0], []).append(term)
        self._spelling: Dict[str, str] = {}

    # Documents ------------------------------------------------------------------------------------------------------
    def _category_vocabulary(self) -> Tuple[re.Pattern, Dict[str, FrozenSet[str]]]:
        """Names of categories as topic rows write them ('Family Specialists', 'IFRS/ECFRS'), with their codes."""
        names: Dict[str, set] = {}
        for alias, code in self.knowledge.aliases("category").items():
            if len(alias) >= 3:
                names.setdefault(alias, set()).add(code)
        for alias, (infant, early) in self.knowledge.role_aliases().items():
            if len(alias) >= 6:
                names.setdefault(alias, set()).update((infant, early))
        pattern = re.compile(r"(?<![\w-])(" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
                             + r")s?(?![\w-])")
        return pattern, {name: frozenset(codes) for name, codes in names.items()}

    def categories_named(self, text: str) -> FrozenSet[str]:
        pattern, codes_of = self._category_names
        found: set = set()
        for match in pattern.finditer(text.lower().replace("/", " ")):
            found |= codes_of[match.group(1)]
        expanded = set(found)
        for code in found:
            expanded.update(c.code for c in self.knowledge.designations(code))
        return frozenset(expanded)

    def regions_named(self, text: str) -> FrozenSet[str]:
        return frozenset(self.region_names[m.group(1)] for m in self._region_pattern.finditer(text.lower()))

    def _doc(self, fact) -> Doc:
        weight = int(WEIGHTS["keywords"])
        if isinstance(fact, TopicFact):
            words = tokens(fact.text) + tokens(" ".join(fact.keywords)) * weight
            named = fact.text + " " + " ".join(fact.keywords)
            # A row is about one state when its id or keywords name it (its text may name states as examples).
            regions = self.regions_named(" ".join(fact.keywords) + " " + SLUG.sub(" ", fact.id)) \
                if fact.published else frozenset()
            return self._make(fact.id, "topic", fact.topic, None, None, None, None, True, fact.published,
                              self.categories_named(named), regions, None, words, fact.seq)
        if isinstance(fact, Requirement):
            phase_words = "renewal yearly" if fact.phase == "renewal" else "apply"
            words = (tokens(fact.text) + tokens(" ".join(fact.keywords)) * weight
                     + tokens(self.requirement_words(fact)) + tokens(phase_words))
            return self._make(fact.id, "requirement", "requirements", fact.category, fact.phase, fact.kind,
                              fact.measure, fact.in_force, fact.published, frozenset({fact.category}),
                              frozenset(), None, words)
        if isinstance(fact, Category):
            words = tokens(f"{fact.name} {fact.former_name or ''} {fact.summary} {fact.scope} category")
            return self._make(fact.code, "category", "categories", fact.code, None, None, None, True, True,
                              frozenset({fact.code}), frozenset(), None, words)
        if isinstance(fact, Association):
            status = {"endorsement": "association offers endorsement apply",
                      "separate_system": "own credential separate not alliance endorsement",
                      "unconfirmed": "association not confirmed endorsement"}[fact.status]
            names = " ".join(alias for alias, code in self.knowledge.aliases("association").items()
                             if code == fact.code and len(alias) > 4)
            words = tokens(f"{fact.name} {names} {fact.region or ''} {status} who where offers")
            regions = frozenset({fact.region_code}) if fact.region_code and fact.region_code != "US" else frozenset()
            return self._make(fact.code, "association", "associations", None, None, None, None, True, True,
                              frozenset(), regions, fact.code, words)
        assert isinstance(fact, Fee)
        association = self.knowledge.association(fact.association)
        place = association.region if association and association.region_code != "US" else ""
        name = association.name if association else fact.association
        words = tokens(f"fee cost {fact.fee_type.replace('_', ' ')} {name} {place} {fact.category or ''}")
        if fact.fee_type == "exam":
            words += tokens("exam")
        regions = frozenset({association.region_code}) if association and association.region_code and \
            association.region_code != "US" \
            else frozenset()
        return self._make(fact.id, "fee", "fees", fact.category, None, None, fact.fee_type, True, fact.published,
                          frozenset({fact.category}) if fact.category else frozenset(), regions, fact.association,
                          words)

    def _phrases(self, row) -> Tuple[FrozenSet[str], ...]:
        """A row's keyword phrases of two or more ranking terms (each a set of terms)."""
        phrases = (frozenset(t for t in tokens(k) if t not in self.code_terms) for k in getattr(row, "keywords", ()))
        return tuple(p for p in phrases if len(p) >= 2)

    def requirement_words(self, row: Requirement) -> str:
        """What a requirement is about, in the words of its measure (measures.csv) or else of its kind."""
        measure = self.knowledge.measure(row.measure) if row.measure else None
        return measure.label if measure else KIND_WORDS.get(row.kind, row.kind)

    def _make(self, id_, source, topic, category, phase, kind, measure, in_force, published, categories, regions,
              association, words: List[str], seq: int = 0) -> Doc:
        counts = Counter(w for w in words if w not in self.code_terms)
        return Doc(id_, source, topic, category, phase, kind, measure, in_force, published, categories, regions,
                   association, seq, tuple(sorted(counts.items())), len(words))

    # Ranking --------------------------------------------------------------------------------------------------------
    def bm25(self, terms: Sequence[str]) -> Dict[str, float]:
        """BM25 of the question's terms against every row (a repeated question term counts half again)."""
        query = Counter(term for term in terms if term in self.vocabulary)
        if not query:
            return {}
        weights = self._bm25_weights()
        vector = np.zeros(len(self.vocabulary))
        for term, times in query.items():
            vector[self.vocabulary[term]] = 1 + 0.5 * (times - 1)
        scores = weights @ vector
        return {self.docs[i].id: float(scores[i]) for i in scores.nonzero()[0]}

    def _bm25_weights(self):
        """The rows x terms matrix of BM25 term weights for the current k1 and b (cached)."""
        key = (WEIGHTS["k1"], WEIGHTS["b"])
        if self._weights_key != key:
            k1, b = key
            rows, cols, values = [], [], []
            for i, doc in enumerate(self.docs):
                norm = k1 * (1 - b + b * doc.length / self.average_length)
                for term, tf in doc.terms:
                    rows.append(i)
                    cols.append(self.vocabulary[term])
                    values.append(self.idf[term] * tf * (k1 + 1) / (tf + norm))
            self._weights = csr_matrix((values, (rows, cols)), shape=(len(self.docs), len(self.vocabulary)))
            self._weights_key = key
        return self._weights

    def coverage(self, text: str, doc: Doc) -> float:
        """How much of the question a row covers: the share of the question's word weight (IDF; a word the
        knowledge base never uses weighs most) that the row contains. Near 0 for an off-topic message."""
        terms = {t for t in tokens(text) if t not in self.code_terms} - self.named_terms(text)
        if not terms:
            return 1.0
        heaviest = max(self.idf.values())
        counts = self._counts[doc.id]
        total = sum(self.idf.get(t, heaviest) for t in terms)
        return sum(self.idf[t] for t in terms if t in counts) / total

    def named_terms(self, text: str) -> FrozenSet[str]:
        """The words of the category, state and association names in a question (the priors account for them)."""
        lowered = text.lower()
        pattern, _ = self._category_names
        names = [m.group(0) for m in pattern.finditer(lowered.replace("/", " "))]
        names += [m.group(0) for m in self._region_pattern.finditer(lowered)]
        return frozenset(t for name in names for t in tokens(name)) - KEEP_TERMS

    def target_categories(self, question: Question) -> FrozenSet[str]:
        codes = set()
        for code in question.categories:
            codes.add(code)
            codes.update(c.code for c in self.knowledge.designations(code))
        return frozenset(codes)

    def fee_categories(self, question: Question) -> FrozenSet[str]:
        """Categories whose fee applies: the one asked about, its group, and their early-childhood or infant
        counterparts (associations often publish one fee for both bands)."""
        codes = set()
        for code in question.categories:
            category = self.knowledge.category(code)
            while category is not None:
                codes.add(category.code)
                if category.counterpart:
                    codes.add(category.counterpart)
                category = self.knowledge.category(category.parent) if category.parent else None
            counterpart = self.knowledge.category(code)
            if counterpart and counterpart.counterpart:
                other = self.knowledge.category(counterpart.counterpart)
                if other and other.parent:
                    codes.add(other.parent)
        return frozenset(codes)

    def spelled(self, term: str) -> str:
        """A word the rows never use, read as the row word it is a typo of ('supervison', 'endorsemnt')."""
        if term in self.vocabulary or len(term) < MIN_TYPO_LENGTH or not term.isalpha():
            return term
        if term not in self._spelling:
            close = difflib.get_close_matches(term, self._words_by_initial.get(term[0], []), n=1, cutoff=TYPO_CUTOFF)
            self._spelling[term] = close[0] if close else term
        return self._spelling[term]

    def rank(self, question: Question, limit: int = 12, docs: Optional[Iterable[Doc]] = None) -> List[Ranked]:
        terms = [self.spelled(t) for t in tokens(question.text) if t not in self.code_terms]
        if question.categories:
            # "can a teacher become an ECFS?" asks about the category's rules, not about teachers.
            subject = {t for m in SUBJECT.finditer(question.text) for t in tokens(m.group(1))}
            terms = [t for t in terms if t not in subject]
        terms += list(question.extra_terms)
        raw = self.bm25(terms)
        top = max(raw.values(), default=0.0) or 1.0
        # The rows that match the question beyond the names in it ("the salary of an IMHS" is not about IMHS rules).
        named = self.named_terms(question.text)
        content = [term for term in terms if term not in named]
        beyond_names = self.bm25(content) if content and named else None
        route: Route = ROUTES.get(question.intent or "", Route())
        confidence = question.confidence if question.confidence is not None else 1.0
        targets = self.target_categories(question)
        fee_targets = self.fee_categories(question)
        regions = set(question.regions)
        for code in question.associations:
            association = self.knowledge.association(code)
            if association and association.region_code:
                regions.add(association.region_code)
        regions.discard("US")   # the Alliance and national bodies: not a state's rule
        if len(regions) > 1:
            regions = set()   # several states named: the question is about the rule between them
        asked = set(terms)
        named_topics = {topic for topic, words in self.topic_terms.items() if words & asked}
        asks_past = bool(PAST.search(question.text))
        asks_cost = bool(COST_TERMS & set(terms))
        asks_why = bool(WHY.search(question.text))
        asks_renewal = RENEWAL_TERM in terms
        phase = "renewal" if asks_renewal else route.phase
        # The intent's prior, shared with the other intents Rasa found likely (a question it could not tell apart).
        routes = [(route, confidence)] + [(ROUTES[name], share) for name, share in question.intents
                                          if name != question.intent and name in ROUTES and share >= MIN_INTENT_SHARE]
        # The cards (category, association rows) the intent answers with; for a message Rasa could not classify,
        # those of the intents it found likely.
        cards = set(route.cards) if question.intent else {card for each, _ in routes for card in each.cards}
        results: List[Ranked] = []
        for doc in docs if docs is not None else self.docs:
            parts = {"bm25": WEIGHTS["bm25"] * raw.get(doc.id, 0.0) / top}
            share = min(1.0, sum(weight for each, weight in routes if on_route(doc, each)))
            if share:
                parts["intent"] = WEIGHTS["intent"] * share
            if doc.source == "requirement" and phase and doc.phase == phase:
                parts["phase"] = WEIGHTS["phase"] * (1.0 if phase != route.phase else confidence)
            elif doc.source == "requirement" and asks_renewal:
                parts["phase"] = -WEIGHTS["phase"]   # "renew" said outright: not an application rule
            if doc.source == "topic" and doc.topic in named_topics:
                parts["topic"] = WEIGHTS["topic"]
            if doc.source == "requirement":
                if targets:
                    parts["category"] = WEIGHTS["category"] if doc.category in targets else -WEIGHTS["other_category"]
                    if beyond_names is not None and doc.category in targets and doc.id not in beyond_names:
                        parts["category"] *= WEIGHTS["name_only"]
                    if question.from_context:
                        parts["category"] *= WEIGHTS["context_category"]
                else:
                    parts["category"] = -WEIGHTS["no_category"]
            elif doc.source == "fee" and doc.category and fee_targets:
                parts["category"] = WEIGHTS["category"] if doc.category in fee_targets else -WEIGHTS["other_category"]
            elif doc.source == "topic" and targets and doc.categories & targets:
                parts["category"] = WEIGHTS["category"] * 0.5
                if beyond_names is not None and doc.id not in beyond_names:
                    parts["category"] *= WEIGHTS["name_only"]
            elif doc.source == "category" and "category" in cards:
                if doc.category in question.categories:
                    parts["category"] = WEIGHTS["category"]
                elif targets:
                    parts["category"] = WEIGHTS["category"] * 0.5 if doc.category in targets \
                        else -WEIGHTS["other_category"]
            if doc.source == "association" and "association" in cards and \
                    doc.association in question.associations:
                parts["association"] = WEIGHTS["own_association"]
            if doc.source == "requirement" and targets and doc.category in targets and doc.kind in route.kinds:
                parts["kind"] = WEIGHTS["kind_match"] * confidence
            if doc.source in ("category", "association") and doc.source not in cards or \
                    doc.source == "association" and not question.associations:
                parts["card"] = -WEIGHTS["card"]
            matched = sum(1 for phrase in self.phrases.get(doc.id, ()) if phrase <= asked)
            if matched:
                parts["phrase"] = WEIGHTS["phrase"] * min(matched, 2)
            if doc.seq and question.broad:
                parts["seq"] = WEIGHTS["seq"] / doc.seq
            if doc.regions and doc.source != "fee":
                if regions:
                    parts["region"] = WEIGHTS["region"] if doc.regions & regions else -WEIGHTS["other_region"]
                else:
                    parts["region"] = -WEIGHTS["unasked_region"]
            if doc.source == "fee" and (not route.fees and not asks_cost or asks_why):
                parts["card"] = -WEIGHTS["other_fee"]
            if doc.source == "fee":
                if question.associations:
                    parts["fee"] = WEIGHTS["fee"] if doc.association in question.associations \
                        else -WEIGHTS["other_fee"]
                else:
                    parts["fee"] = -WEIGHTS["other_fee"] if doc.association != "ALLIANCE" else 0.0
            if not doc.in_force:
                parts["old"] = 0.0 if asks_past else -WEIGHTS["old_rule"]
            if not doc.published:
                # A row saying something is not published answers a precise question, not a general one.
                parts["unpublished"] = -WEIGHTS["not_published"] * (1 if targets or regions else 2)
            if doc.source == "requirement" and route.kinds and doc.kind not in route.kinds and "category" in parts \
                    and parts["category"] > 0:
                parts["category"] *= WEIGHTS["other_kind"]
            # The intent, the topic named and the row's place in its topic scale the words' match.
            parts["boost"] = parts["bm25"] * sum(parts.pop(name, 0.0) for name in ("intent", "topic", "seq"))
            score = sum(parts.values())
            results.append(Ranked(doc, score, parts, raw.get(doc.id, 0.0)))
        results.sort(key=lambda r: (-r.score, r.doc.id))
        return results[:limit]

    def related(self, doc: Doc, limit: int = 8) -> List[Ranked]:
        """Rows close to one row: same topic (or same category and phase), ranked by shared terms."""
        counts = self._counts[doc.id]
        terms = [term for term, times in counts.items() for _ in range(min(times, 2))]
        raw = self.bm25(terms)
        top = max((v for k, v in raw.items() if k != doc.id), default=0.0) or 1.0
        results = []
        for other in self.docs:
            if other.id == doc.id or not other.in_force:
                continue
            if other.source != doc.source:
                continue
            if doc.source == "requirement":
                same = other.category == doc.category and other.phase == doc.phase
            elif doc.source == "fee":
                same = other.association == doc.association
            elif doc.source == "category":
                category = self.knowledge.category(doc.id)
                other_category = self.knowledge.category(other.id)
                same = category is not None and other_category is not None and (
                    other.id in {category.counterpart, category.parent} or other_category.parent == doc.id)
            elif doc.source == "association":
                same = False
            else:
                same = other.topic == doc.topic
            if same:
                results.append(Ranked(other, raw.get(other.id, 0.0) / top))
        results.sort(key=lambda r: (-r.score, r.doc.id))
        return results[:limit]

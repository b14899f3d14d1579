"""Compose the assistant's answers from the knowledge base. Plain Python: no Rasa here.

Every number and rule in an answer comes from a knowledge row; each answer names the pages it used. Where the
knowledge base has nothing, the answer says so and points to the person's association instead of guessing.
"""
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence

from .knowledge.repository import Association, Category, KnowledgeRepository, Requirement, TopicFact

MAX_SOURCES = 3

# What a question about one requirement looks up: (phase, kinds, words used in the answer).
REQUIREMENT_TOPICS = {
    "education": ("initial", ("education",), "education"),
    "training": ("initial", ("training",), "training hours"),
    "work": ("initial", ("work", "leadership"), "work experience"),
    "rsc": ("initial", ("rsc",), "reflective supervision/consultation (RS/C)"),
    "rsc_provider": ("initial", ("rsc_provider",), "who may provide RS/C"),
    "references": ("initial", ("references",), "reference ratings"),
    "ethics": ("initial", ("ethics",), "code of ethics"),
    "exam": ("initial", ("exam",), "exam"),
    "membership": ("initial", ("membership",), "membership"),
    "renewal": ("renewal", None, "annual renewal"),
}
KIND_LABELS = {
    "education": "Education", "training": "Training", "work": "Work experience", "leadership": "Leadership",
    "rsc": "RS/C", "rsc_provider": "RS/C provider", "references": "References", "ethics": "Ethics",
    "exam": "Exam", "membership": "Membership",
}
BAND_LABELS = {"infant": "infant (pregnancy to 36 months, IMH-E®)",
               "early_childhood": "early childhood (3 up to 6 years, ECMH-E®)", "both": "both age bands"}
COMPARED_KINDS = ("education", "work", "training", "rsc", "exam")


@dataclass
class Answer:
    text: str
    sources: List[str] = field(default_factory=list)
    buttons: List[Dict[str, str]] = field(default_factory=list)

    def rendered(self) -> str:
        if not self.sources:
            return self.text
        return f"{self.text}\nSource: {'; '.join(self.sources[:MAX_SOURCES])}"


def _sources(urls: Sequence[str]) -> List[str]:
    unique: List[str] = []
    for url in urls:
        if url and url not in unique:
            unique.append(url)
    return unique


def _bullets(lines: Sequence[str]) -> str:
    return "\n".join(f"- {line}" for line in lines)


def _notes(rows: Sequence) -> List[str]:
    notes: List[str] = []
    for row in rows:
        if row.note and row.note not in notes:
            notes.append(row.note)
    return notes


def where_to_ask(associations: Sequence[Association]) -> str:
    """The closing pointer to a person's association (theirs when we know it)."""
    named = [a for a in associations if a.status == "endorsement"]
    if named:
        return "Please check with " + " or ".join(
            f"{a.name} ({a.website})" if a.website else a.name for a in named[:2]) + "."
    return "Please check with the infant mental health association of your state."


class AnswerBook:
    def __init__(self, repository: KnowledgeRepository):
        self.repository = repository

    # Helpers ----------------------------------------------------------------------------------------------------
    def category(self, code: str) -> Category:
        category = self.repository.category(code)
        if category is None:
            raise KeyError(code)
        return category

    def members(self, code: str) -> List[Category]:
        """The category itself, or its designations when it is a group such as IMHM."""
        return self.repository.designations(code) or [self.category(code)]

    def associations(self, codes: Sequence[str]) -> List[Association]:
        return [a for a in (self.repository.association(code) for code in codes) if a]

    def unknown(self, what: str, association_codes: Sequence[str] = ()) -> Answer:
        return Answer(f"I don't have a published figure for {what}, so I won't guess. "
                      + where_to_ask(self.associations(association_codes)))

    def requirement_lines(self, rows: Sequence[Requirement]) -> List[str]:
        current = [row for row in rows if row.in_force]
        lines = [row.text for row in current]
        for old in (row for row in rows if not row.in_force):
            successor = next((row for row in current if row.kind == old.kind and row.measure == old.measure), None)
            since = f" It changed on {successor.effective_from}." if successor else ""
            lines.append(f"Earlier rule, until {old.effective_until}: {old.text}{since}")
        return lines

    # Requirements -----------------------------------------------------------------------------------------------
    def requirement(self, code: str, topic: str, association_codes: Sequence[str] = ()) -> Answer:
        phase, kinds, label = REQUIREMENT_TOPICS[topic]
        members = self.members(code)
        parts, used = [], []
        for member in members:
            rows = [row for row in self.repository.requirements(member.code, phase=phase)
                    if kinds is None or row.kind in kinds]
            used += rows
            lines = self.requirement_lines(rows)
            if not lines:
                lines = [f"I don't have a published {label} rule for this one."]
            header = f"{member.label}, {label}:" if len(members) == 1 else f"{member.name} ({member.code}):"
            parts.append(header + "\n" + _bullets(lines))
        if not used:
            group = self.category(code)
            return self.unknown(f"the {label} of the {group.label}", association_codes)
        if len(members) > 1:
            parts.insert(0, f"{self.category(code).label}, {label}, by designation:")
        notes = _notes(used)
        if notes:
            parts.append("Note: " + " ".join(notes))
        if any(row.text.startswith("I don't") for row in used) or len(used) < len(members):
            parts.append(where_to_ask(self.associations(association_codes)))
        return Answer("\n".join(parts), _sources(row.source_url for row in used if row.in_force))

    def requirement_all_categories(self, topic: str) -> Answer:
        """A question about one requirement with no category named: one line per category."""
        phase, kinds, label = REQUIREMENT_TOPICS[topic]
        lines, used = [], []
        for category in self.repository.categories():
            rows = [row for row in self.repository.requirements(category.code, phase=phase, in_force_only=True)
                    if kinds is None or row.kind in kinds]
            if rows:
                used += rows
                lines.append(f"{category.code}: " + " ".join(row.text for row in rows))
        text = (f"The {label} differs by category:\n{_bullets(lines)}\n"
                "Tell me which category you are aiming for and I'll give you the details.")
        return Answer(text, _sources(row.source_url for row in used))

    def requirements_overview(self, code: str, association_codes: Sequence[str] = ()) -> Answer:
        members = self.members(code)
        parts, used = [], []
        for member in members:
            rows = self.repository.requirements(member.code, phase="initial")
            used += rows
            lines = [f"{KIND_LABELS[row.kind]}: {row.text}" for row in rows if row.in_force]
            header = f"To earn the {member.label} Endorsement®:"
            parts.append(header + "\n" + (_bullets(lines) if lines else "- I don't have its requirements."))
        if not used:
            return self.unknown(f"the requirements of the {self.category(code).label}", association_codes)
        changed = [row for row in used if not row.in_force]
        if changed:
            parts.append("Recent changes: " + " ".join(
                f"the {KIND_LABELS[row.kind]} rule changed after {row.effective_until}." for row in changed))
        notes = _notes(used)
        if notes:
            parts.append("Note: " + " ".join(notes))
        parts.append("Ask me about renewal to see what it takes to keep it each year.")
        return Answer("\n".join(parts), _sources(row.source_url for row in used if row.in_force))

    def overview(self, code: str) -> Answer:
        category = self.category(code)
        lines = [f"{category.label}: {category.summary}",
                 f"Age band: {BAND_LABELS[category.age_band]}. Focus of practice: {category.scope}."]
        designations = self.repository.designations(code)
        if designations:
            lines.append("Designations: " + ", ".join(d.label for d in designations) + ".")
        if category.counterpart:
            counterpart = self.category(category.counterpart)
            lines.append(f"Its counterpart in the other age band is the {counterpart.label}.")
        if category.note:
            lines.append("Note: " + category.note)
        lines.append("Ask me about its requirements, RS/C, exam or renewal.")
        return Answer("\n".join(lines), [category.source_url])

    def categories_list(self) -> Answer:
        categories = self.repository.categories()
        by_band: Dict[str, List[str]] = {}
        for category in categories:
            if category.parent is None:
                by_band.setdefault(category.age_band, []).append(category.label)
        lines = [f"{BAND_LABELS[band][0].upper()}{BAND_LABELS[band][1:]}: " + "; ".join(labels)
                 for band, labels in by_band.items()]
        text = ("The Endorsement® has these categories:\n" + _bullets(lines)
                + "\nMentors choose a designation: Clinical, Policy or Research/Faculty. You apply for the category "
                  "that matches the work you do; the categories are not a ladder you must climb.")
        return Answer(text, _sources(c.source_url for c in categories))

    def compare(self, codes: Sequence[str]) -> Answer:
        first, second = (self.category(code) for code in codes[:2])
        parts = [f"{first.label} vs {second.label}:",
                 f"- Focus: {first.code} = {first.scope}; {second.code} = {second.scope}."]
        used = []
        for kind in COMPARED_KINDS:
            cells = []
            for category in (first, second):
                rows = [row for member in self.members(category.code)
                        for row in self.repository.requirements(member.code, phase="initial", kind=kind,
                                                                in_force_only=True)]
                used += rows
                text = " ".join(dict.fromkeys(row.text for row in rows)) or "not published in my sources"
                cells.append(f"{category.code}: {text}")
            parts.append(f"- {KIND_LABELS[kind]}: " + " | ".join(cells))
        notes = _notes(used)
        if notes:
            parts.append("Note: " + " ".join(notes))
        return Answer("\n".join(parts), _sources([first.source_url, second.source_url]
                                                 + [row.source_url for row in used]))

    def other_age_band(self, code: str) -> Optional[str]:
        return self.category(code).counterpart

    # Topics, associations and fees -------------------------------------------------------------------------------
    def topic(self, topic: str, limit: int = 4, intro: str = "") -> Answer:
        facts: List[TopicFact] = self.repository.topic_facts(topic)[:limit]
        if not facts:
            return self.unknown(f"that ({topic.replace('_', ' ')})")
        text = (intro + "\n" if intro else "") + _bullets([fact.text for fact in facts])
        notes = _notes(facts)
        if notes:
            text += "\nNote: " + " ".join(notes)
        return Answer(text, _sources(fact.source_url for fact in facts))

    def associations_answer(self, association_codes: Sequence[str], region: Optional[str]) -> Answer:
        associations = self.associations(association_codes)
        if not associations:
            if region:
                return Answer(f"I don't have an infant mental health association listed for {region}. "
                              "The Alliance for the Advancement of Infant Mental Health can tell you whether one "
                              "offers the Endorsement® there, and people who live where no association offers it "
                              "can sometimes apply through the Alliance.",
                              _sources(f.source_url for f in self.repository.topic_facts("residency")[:1]))
            count = sum(1 for a in self.repository.associations() if a.status == "endorsement")
            return Answer(f"I know {count} associations that offer the Endorsement®. Which state or country do you "
                          "live in? You apply through the association where you live.")
        lines = []
        for association in associations:
            where = association.region or "its region"
            site = f" ({association.website})" if association.website else ""
            status = {"endorsement": f"offers the Endorsement® in {where}",
                      "separate_system": f"runs its own credential in {where}, which is not the Alliance Endorsement®",
                      "unconfirmed": f"is not confirmed to offer the Endorsement® in {where}"}[association.status]
            lines.append(f"{association.name}{site} {status}.")
            if association.note:
                lines.append(association.note)
        return Answer(" ".join(lines), _sources(a.source_url for a in associations))

    def fees_answer(self, association_codes: Sequence[str], region: Optional[str]) -> Answer:
        associations = self.associations(association_codes)
        exam_fees = self.repository.fees("ALLIANCE")
        if not associations:
            with_fees = [a.region or a.name for a in self.repository.associations()
                         if a.status == "endorsement" and a.code != "ALLIANCE" and self.repository.fees(a.code)]
            lead = f"I don't have fees for {region}. " if region else ""
            text = (lead + "Fees are set by each association and differ from state to state. I have published "
                    f"fees for: {', '.join(with_fees)}. Which state are you in?")
            return Answer(text + self.fee_lines_text(exam_fees), _sources(f.source_url for f in exam_fees))
        parts, used = [], []
        for association in associations:
            fees = self.repository.fees(association.code)
            used += fees
            if not fees:
                parts.append(f"I don't have published fees for {association.name}. "
                             + where_to_ask([association]))
                continue
            parts.append(f"{association.name} ({association.region}):\n" + _bullets(self.fee_lines(fees)))
        text = "\n".join(parts) + self.fee_lines_text(exam_fees)
        text += "\nFees change, so confirm them with the association before you pay."
        return Answer(text, _sources(f.source_url for f in used + exam_fees))

    def fee_lines_text(self, fees) -> str:
        return ("\nThe Alliance: " + "; ".join(self.fee_lines(fees))) if fees else ""

    @staticmethod
    def fee_lines(fees) -> List[str]:
        grouped: Dict[str, List[str]] = {}
        for fee in fees:
            amount = f"${fee.amount_usd:,.0f}" if fee.amount_usd is not None else "amount not published"
            label = f"{fee.category} {amount}" if fee.category else amount
            if fee.note and fee.amount_usd is None:
                label += f" ({fee.note})"
            grouped.setdefault(fee.fee_type.replace("_", " "), []).append(label)
        return [f"{fee_type}: {', '.join(labels)}" for fee_type, labels in grouped.items()]

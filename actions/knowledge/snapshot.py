"""The knowledge base as one immutable, indexed snapshot in memory.

A process reads the database once (`load_knowledge`) and answers every message from memory: no SQL per message,
no blocking I/O on the event loop. Facts are plain frozen dataclasses.
"""
from collections import defaultdict
from dataclasses import dataclass, fields
from functools import lru_cache
from typing import Dict, List, Mapping, Optional, Sequence, Tuple, Type, TypeVar, Union

from sqlalchemy import select

from . import schema
from .database import database_url, session_scope
from .names import normalize_alias


@dataclass(frozen=True)
class Category:
    code: str
    name: str
    age_band: str
    parent: Optional[str]
    counterpart: Optional[str]
    former_name: Optional[str]
    scope: str
    rank: int
    summary: str
    source_url: str
    effective: str
    note: Optional[str]

    @property
    def label(self) -> str:
        former = f", formerly {self.former_name}" if self.former_name else ""
        return f"{self.name} ({self.code}{former})"


@dataclass(frozen=True)
class Measure:
    measure: str
    kind: str
    label: str
    short: str
    unit: Optional[str]
    pace: Optional[str]
    ask_order: Optional[int]
    question: Optional[str]


@dataclass(frozen=True)
class Requirement:
    id: str
    category: str
    phase: str
    kind: str
    measure: Optional[str]
    operator: str
    amount: Optional[float]
    degree_level: Optional[str]
    unit: Optional[str]
    timeframe_min_months: Optional[int]
    timeframe_max_months: Optional[int]
    alternative: Optional[str]
    providers: Optional[str]
    after_degree: Optional[str]
    counts: Optional[str]
    defining: bool
    text: str
    keywords: Tuple[str, ...]
    status: str
    effective_from: str
    effective_until: Optional[str]
    source_url: str
    note: Optional[str]

    @property
    def in_force(self) -> bool:
        return self.effective_until is None

    @property
    def provider_codes(self) -> Tuple[str, ...]:
        return tuple(self.providers.split(";")) if self.providers else ()

    @property
    def published(self) -> bool:
        """False for a row that says the sources do not publish this fact (and whom to ask)."""
        return self.status == "published"


@dataclass(frozen=True)
class TopicFact:
    id: str
    topic: str
    seq: int
    text: str
    keywords: Tuple[str, ...]
    status: str
    source_url: str
    effective: str
    note: Optional[str]

    @property
    def published(self) -> bool:
        """False for a row that says the sources do not publish this fact (and whom to ask)."""
        return self.status == "published"


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    kind: str


@dataclass(frozen=True)
class Association:
    code: str
    name: str
    region: Optional[str]
    region_code: Optional[str]
    status: str
    website: Optional[str]
    source_url: str
    effective: str
    note: Optional[str]


@dataclass(frozen=True)
class Fee:
    id: str
    association: str
    fee_type: str
    category: Optional[str]
    amount_usd: Optional[float]
    source_url: str
    effective: str
    note: Optional[str]

    @property
    def published(self) -> bool:
        """A fee without an amount is not published; its note says whom to ask."""
        return self.amount_usd is not None

    @property
    def status(self) -> str:
        return "published" if self.published else "not_published"


@dataclass(frozen=True)
class Degree:
    code: str
    name: str
    kind: str
    level: str
    field: str


T = TypeVar("T")
Fact = Union[TopicFact, Requirement, Fee]


def _keywords(value: Optional[str]) -> Tuple[str, ...]:
    return tuple(part.strip() for part in (value or "").split(";") if part.strip())


def _detach(model: object, cls: Type[T]) -> T:
    values = {f.name: getattr(model, f.name) for f in fields(cls)}  # type: ignore[arg-type]
    if "keywords" in values:
        values["keywords"] = _keywords(values["keywords"])
    return cls(**values)


def _grouped(items: Sequence[T], key) -> Dict[str, List[T]]:
    groups: Dict[str, List[T]] = defaultdict(list)
    for item in items:
        groups[key(item)].append(item)
    return dict(groups)


@dataclass(frozen=True, eq=False)
class Knowledge:
    """Everything the assistant knows, indexed for the lookups a message needs."""

    categories: Tuple[Category, ...]
    measure_rows: Tuple[Measure, ...]
    requirement_rows: Tuple[Requirement, ...]
    topic_rows: Tuple[TopicFact, ...]
    association_rows: Tuple[Association, ...]
    region_rows: Tuple[Region, ...]
    fee_rows: Tuple[Fee, ...]
    degree_rows: Tuple[Degree, ...]
    field_relatedness: Mapping[str, bool]
    alias_table: Mapping[str, Mapping[str, str]]
    role_alias_table: Mapping[str, Tuple[str, str]]

    def __post_init__(self) -> None:
        index = {
            "category": {c.code: c for c in self.categories},
            "measure": {m.measure: m for m in self.measure_rows},
            "designations": _grouped(sorted((c for c in self.categories if c.parent), key=lambda c: c.code),
                                     lambda c: c.parent),
            "requirements": _grouped(self.requirement_rows, lambda r: r.category),
            "topics": _grouped(self.topic_rows, lambda f: f.topic),
            "association": {a.code: a for a in self.association_rows},
            "region_associations": _grouped(sorted(self.association_rows, key=lambda a: a.code),
                                            lambda a: a.region_code or ""),
            "region": {r.code: r for r in self.region_rows},
            "fees": _grouped(self.fee_rows, lambda f: f.association),
            "degree": {d.code: d for d in self.degree_rows},
            "facts": {fact.id: fact for fact in self.fact_rows()},
        }
        object.__setattr__(self, "_index", index)

    def fact_rows(self) -> Tuple[Union[TopicFact, Requirement, Fee], ...]:
        return (*self.topic_rows, *self.requirement_rows, *self.fee_rows)

    def _lookup(self, table: str) -> dict:
        return self._index[table]  # type: ignore[attr-defined]

    # Categories ---------------------------------------------------------------------------------------------------
    def category(self, code: str) -> Optional[Category]:
        return self._lookup("category").get(code)

    def designations(self, group_code: str) -> List[Category]:
        return list(self._lookup("designations").get(group_code, []))

    def measure(self, name: str) -> Optional[Measure]:
        return self._lookup("measure").get(name)

    # Names --------------------------------------------------------------------------------------------------------
    def aliases(self, kind: str) -> Mapping[str, str]:
        """alias -> target code for one kind: category, degree, association, region or field."""
        return self.alias_table.get(kind, {})

    def role_aliases(self) -> Mapping[str, Tuple[str, str]]:
        """band-neutral alias -> (infant code, early-childhood code)."""
        return self.role_alias_table

    def resolve(self, kind: str, name: str) -> Optional[str]:
        return self.aliases(kind).get(normalize_alias(name))

    # Requirements -------------------------------------------------------------------------------------------------
    def requirements(self, code: str, phase: Optional[str] = None, kind: Optional[str] = None,
                     in_force_only: bool = False) -> List[Requirement]:
        return [row for row in self._lookup("requirements").get(code, [])
                if (phase is None or row.phase == phase) and (kind is None or row.kind == kind)
                and (row.in_force or not in_force_only)]

    # Facts by id ---------------------------------------------------------------------------------------------------
    def fact(self, fact_id: str) -> Optional[Fact]:
        """The topic fact, requirement or fee with this id (ids are unique across the data files)."""
        return self._lookup("facts").get(fact_id)

    def facts(self) -> List[Fact]:
        """Every fact row that an answer can be: topic facts, requirements and fees."""
        return list(self._lookup("facts").values())

    # Topics, associations, fees, degrees ---------------------------------------------------------------------------
    def topic_facts(self, topic: str) -> List[TopicFact]:
        return list(self._lookup("topics").get(topic, []))

    def associations(self) -> List[Association]:
        return list(self.association_rows)

    def association(self, code: str) -> Optional[Association]:
        return self._lookup("association").get(code)

    def region(self, name: str) -> Optional[Region]:
        """A state or country by its name, code or another alias (case-insensitive)."""
        code = self.resolve("region", name)
        return self._lookup("region").get(code) if code else None

    def associations_in_region(self, region_code: str) -> List[Association]:
        return list(self._lookup("region_associations").get(region_code, []))

    def fees(self, association_code: str) -> List[Fee]:
        return list(self._lookup("fees").get(association_code, []))

    def degrees(self) -> List[Degree]:
        return list(self.degree_rows)

    def degree(self, code: str) -> Optional[Degree]:
        return self._lookup("degree").get(code)

    def fields(self) -> Mapping[str, bool]:
        """Field of study name -> whether it is related to work with young children and families."""
        return self.field_relatedness


def read_knowledge(url: Optional[str] = None) -> Knowledge:
    """Read the whole knowledge base in one session; database errors become KnowledgeUnavailable."""
    with session_scope(url) as session:
        def rows(model, cls: Type[T], *order) -> Tuple[T, ...]:
            return tuple(_detach(row, cls) for row in session.execute(select(model).order_by(*order)).scalars())

        aliases: Dict[str, Dict[str, str]] = defaultdict(dict)
        for alias, kind, target in session.execute(select(schema.Alias.alias, schema.Alias.kind,
                                                          schema.Alias.target)).all():
            aliases[kind][alias] = target
        roles = {alias: (infant, early) for alias, infant, early in session.execute(
            select(schema.RoleAlias.alias, schema.RoleAlias.infant, schema.RoleAlias.early_childhood)).all()}
        return Knowledge(
            categories=rows(schema.Category, Category, schema.Category.age_band.desc(), schema.Category.rank,
                            schema.Category.code),
            measure_rows=rows(schema.Measure, Measure, schema.Measure.measure),
            requirement_rows=rows(schema.Requirement, Requirement, schema.Requirement.position),
            topic_rows=rows(schema.TopicFact, TopicFact, schema.TopicFact.topic, schema.TopicFact.seq),
            association_rows=rows(schema.Association, Association, schema.Association.region),
            region_rows=rows(schema.Region, Region, schema.Region.code),
            fee_rows=rows(schema.Fee, Fee, schema.Fee.position),
            degree_rows=rows(schema.Degree, Degree, schema.Degree.code),
            field_relatedness=dict(session.execute(select(schema.Field.name, schema.Field.related)).all()),
            alias_table={kind: dict(table) for kind, table in aliases.items()},
            role_alias_table=roles,
        )


@lru_cache(maxsize=4)
def _cached(url: str) -> Knowledge:
    return read_knowledge(url)


def load_knowledge(url: Optional[str] = None) -> Knowledge:
    """The process's snapshot: read on first use and kept; a failed read is retried on the next call."""
    return _cached(url or database_url())

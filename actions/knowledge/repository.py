"""Read-only queries of the knowledge base. Results are plain dataclasses, detached from any session."""
from dataclasses import dataclass, fields
from typing import Dict, List, Optional, Tuple, Type, TypeVar

from sqlalchemy import select

from . import schema
from .database import session_scope
from .loader import normalize_alias


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
class Requirement:
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
    text: str
    effective_from: str
    effective_until: Optional[str]
    source_url: str
    note: Optional[str]

    @property
    def in_force(self) -> bool:
        return self.effective_until is None


@dataclass(frozen=True)
class TopicFact:
    topic: str
    seq: int
    text: str
    source_url: str
    effective: str
    note: Optional[str]


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
    association: str
    fee_type: str
    category: Optional[str]
    amount_usd: Optional[float]
    source_url: str
    effective: str
    note: Optional[str]


@dataclass(frozen=True)
class Degree:
    code: str
    name: str
    kind: str
    level: str
    field: str


T = TypeVar("T")


def _detach(model: object, cls: Type[T]) -> T:
    return cls(**{f.name: getattr(model, f.name) for f in fields(cls)})


class KnowledgeRepository:
    """Every query opens its own short session, so one repository serves concurrent requests."""

    def __init__(self, database_url: Optional[str] = None):
        self.database_url = database_url

    def _all(self, statement, cls: Type[T]) -> List[T]:
        with session_scope(self.database_url) as session:
            return [_detach(row, cls) for row in session.execute(statement).scalars()]

    # Categories -------------------------------------------------------------------------------------------------
    def categories(self) -> List[Category]:
        statement = select(schema.Category).order_by(schema.Category.age_band.desc(), schema.Category.rank,
                                                     schema.Category.code)
        return self._all(statement, Category)

    def category(self, code: str) -> Optional[Category]:
        found = self._all(select(schema.Category).where(schema.Category.code == code), Category)
        return found[0] if found else None

    def designations(self, group_code: str) -> List[Category]:
        statement = select(schema.Category).where(schema.Category.parent == group_code).order_by(schema.Category.code)
        return self._all(statement, Category)

    # Names ------------------------------------------------------------------------------------------------------
    def aliases(self, kind: str) -> Dict[str, str]:
        """alias -> target code for one kind: category, degree or association."""
        with session_scope(self.database_url) as session:
            rows = session.execute(select(schema.Alias.alias, schema.Alias.target).where(schema.Alias.kind == kind))
            return dict(rows.all())

    def role_aliases(self) -> Dict[str, Tuple[str, str]]:
        """band-neutral alias -> (infant code, early-childhood code)."""
        with session_scope(self.database_url) as session:
            rows = session.execute(select(schema.RoleAlias.alias, schema.RoleAlias.infant,
                                          schema.RoleAlias.early_childhood))
            return {alias: (infant, early) for alias, infant, early in rows.all()}

    def resolve(self, kind: str, name: str) -> Optional[str]:
        return self.aliases(kind).get(normalize_alias(name))

    # Requirements -----------------------------------------------------------------------------------------------
    def requirements(self, code: str, phase: Optional[str] = None, kind: Optional[str] = None,
                     in_force_only: bool = False) -> List[Requirement]:
        statement = select(schema.Requirement).where(schema.Requirement.category == code)
        if phase:
            statement = statement.where(schema.Requirement.phase == phase)
        if kind:
            statement = statement.where(schema.Requirement.kind == kind)
        if in_force_only:
            statement = statement.where(schema.Requirement.effective_until.is_(None))
        return self._all(statement.order_by(schema.Requirement.position), Requirement)

    # Topics, associations, fees, degrees -------------------------------------------------------------------------
    def topic_facts(self, topic: str) -> List[TopicFact]:
        statement = select(schema.TopicFact).where(schema.TopicFact.topic == topic).order_by(schema.TopicFact.seq)
        return self._all(statement, TopicFact)

    def associations(self) -> List[Association]:
        return self._all(select(schema.Association).order_by(schema.Association.region), Association)

    def association(self, code: str) -> Optional[Association]:
        found = self._all(select(schema.Association).where(schema.Association.code == code), Association)
        return found[0] if found else None

    def region(self, name: str) -> Optional[Region]:
        """A state or country by its name, code or another alias (case-insensitive)."""
        code = self.resolve("region", name)
        found = self._all(select(schema.Region).where(schema.Region.code == code), Region) if code else []
        return found[0] if found else None

    def associations_in_region(self, region_code: str) -> List[Association]:
        statement = select(schema.Association).where(schema.Association.region_code == region_code)
        return self._all(statement.order_by(schema.Association.code), Association)

    def fees(self, association_code: str) -> List[Fee]:
        statement = select(schema.Fee).where(schema.Fee.association == association_code).order_by(schema.Fee.id)
        return self._all(statement, Fee)

    def degrees(self) -> List[Degree]:
        return self._all(select(schema.Degree).order_by(schema.Degree.code), Degree)

    def fields(self) -> Dict[str, bool]:
        """Field of study name -> whether it is related to work with young children and families."""
        with session_scope(self.database_url) as session:
            return dict(session.execute(select(schema.Field.name, schema.Field.related)).all())

    def degree(self, code: str) -> Optional[Degree]:
        found = self._all(select(schema.Degree).where(schema.Degree.code == code), Degree)
        return found[0] if found else None

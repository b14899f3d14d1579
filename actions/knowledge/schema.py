"""SQLAlchemy tables of the knowledge base (2.0-style usage, runs on SQLAlchemy 1.4)."""
from typing import Any

from sqlalchemy import Boolean, Column, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import declarative_base

Base: Any = declarative_base()  # SQLAlchemy 1.4 builds the base class at run time


class Sourced:
    """Where a fact comes from: the page, the date it took effect (or "as published"), and any conflict note."""

    source_url = Column(Text, nullable=False)
    effective = Column(String(20), nullable=False)
    note = Column(Text)


class Category(Sourced, Base):
    __tablename__ = "category"
    code = Column(String(16), primary_key=True)
    name = Column(String(120), nullable=False)
    age_band = Column(String(20), nullable=False)
    parent = Column(String(16), ForeignKey("category.code"))
    counterpart = Column(String(16))
    former_name = Column(String(60))
    scope = Column(String(60), nullable=False)
    rank = Column(Integer, nullable=False)
    summary = Column(Text, nullable=False)


class Alias(Base):
    """A normalized name people use for a category, degree or association."""

    __tablename__ = "alias"
    id = Column(Integer, primary_key=True)
    alias = Column(String(160), nullable=False)
    kind = Column(String(20), nullable=False)  # category | degree | association | region | field
    target = Column(String(80), nullable=False)
    __table_args__ = (UniqueConstraint("kind", "alias"),)


class RoleAlias(Base):
    """A name that does not say the age band ("mentor"): one category per band."""

    __tablename__ = "role_alias"
    alias = Column(String(160), primary_key=True)
    infant = Column(String(16), ForeignKey("category.code"), nullable=False)
    early_childhood = Column(String(16), ForeignKey("category.code"), nullable=False)


class Measure(Base):
    """Something a person's background is compared with, and the question that asks for it."""

    __tablename__ = "measure"
    measure = Column(String(30), primary_key=True)
    kind = Column(String(12), nullable=False)
    label = Column(Text, nullable=False)
    short = Column(Text, nullable=False)
    unit = Column(String(16))
    pace = Column(String(40))
    ask_order = Column(Integer)
    question = Column(Text)


class Requirement(Base):
    __tablename__ = "requirement"
    id = Column(String(80), primary_key=True)  # the fact's id in the data file
    category = Column(String(16), ForeignKey("category.code"), nullable=False, index=True)
    phase = Column(String(10), nullable=False)  # initial | renewal
    kind = Column(String(20), nullable=False)
    measure = Column(String(30))
    operator = Column(String(16), nullable=False)  # min | required | not_required | encouraged | info
    amount = Column(Float)  # numeric threshold for operator "min"
    degree_level = Column(String(20))  # threshold when unit is "degree"
    unit = Column(String(16))
    timeframe_min_months = Column(Integer)
    timeframe_max_months = Column(Integer)
    alternative = Column(String(40))
    providers = Column(Text)  # for operator one_of: category codes, ;-separated
    after_degree = Column(String(20))  # the amount counts only after this degree
    counts = Column(String(20))  # paid | paid_or_volunteer (work)
    defining = Column(Boolean, nullable=False, default=False)
    text = Column(Text, nullable=False)
    keywords = Column(Text)  # ;-separated words and short phrases people use for this fact
    status = Column(String(16), nullable=False)  # published | not_published
    effective_from = Column(String(20), nullable=False)
    effective_until = Column(String(10))  # YYYY-MM-DD, empty while in force
    source_url = Column(Text, nullable=False)
    note = Column(Text)
    position = Column(Integer, nullable=False)  # order in the data file


class TopicFact(Sourced, Base):
    __tablename__ = "topic_fact"
    id = Column(String(80), primary_key=True)  # the fact's id in the data file, e.g. exam.online
    topic = Column(String(40), nullable=False, index=True)
    seq = Column(Integer, nullable=False)
    text = Column(Text, nullable=False)
    keywords = Column(Text)  # ;-separated words and short phrases people use for this fact
    status = Column(String(16), nullable=False)  # published | not_published
    __table_args__ = (UniqueConstraint("topic", "seq"),)


class Region(Base):
    __tablename__ = "region"
    code = Column(String(8), primary_key=True)
    name = Column(String(80), nullable=False)
    kind = Column(String(10), nullable=False)  # state | country


class Association(Sourced, Base):
    __tablename__ = "association"
    code = Column(String(32), primary_key=True)
    name = Column(String(200), nullable=False)
    region = Column(String(80))
    region_code = Column(String(8), ForeignKey("region.code"))
    status = Column(String(20), nullable=False)
    website = Column(Text)


class Fee(Sourced, Base):
    __tablename__ = "fee"
    id = Column(String(80), primary_key=True)  # the fee's id in the data file, e.g. fee.ITMHCA.processing.IFS
    position = Column(Integer, nullable=False)  # order in the data file
    association = Column(String(32), ForeignKey("association.code"), nullable=False, index=True)
    fee_type = Column(String(20), nullable=False)
    category = Column(String(16), ForeignKey("category.code"))
    amount_usd = Column(Float)


class Field(Base):
    """A field of study."""

    __tablename__ = "field"
    name = Column(String(80), primary_key=True)
    related = Column(Boolean, nullable=False)


class Degree(Base):
    __tablename__ = "degree"
    code = Column(String(32), primary_key=True)
    name = Column(String(120), nullable=False)
    kind = Column(String(12), nullable=False)  # degree | credential | license
    level = Column(String(20), nullable=False)
    field = Column(String(80), nullable=False)

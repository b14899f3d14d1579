"""Load the curated CSV files of knowledge/ into the database.

Every row is checked first; any malformed row stops the load with `file:line: reason` and the database is left as
it was. A load rebuilds the knowledge tables in one transaction, so running it twice gives the same database and a
changed schema is picked up.
"""
import argparse
import csv
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Optional, Sequence

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from .database import PROJECT_ROOT, KnowledgeUnavailable, database_url, engine_for
from .schema import (AGE_BANDS, DEGREE_LEVELS, Alias, Association, Base, Category, Degree, Fee, Field, Region,
                     RoleAlias, Requirement, TopicFact)

KNOWLEDGE_DIR = PROJECT_ROOT / "knowledge"

TOPICS = (
    "endorsement", "age_bands", "why_endorse", "exam", "application", "timeline", "review", "renewal", "reciprocity",
    "residency", "rsc", "rule_changes", "degrees", "experience", "continuing_education", "organizations", "programs",
    "role", "principles", "consultation", "competencies", "alliance", "other_systems",
)
PHASES = ("initial", "renewal")
KINDS = ("education", "training", "work", "leadership", "rsc", "rsc_provider", "references", "ethics", "exam",
         "membership")
MEASURES = ("", "degree_level", "mh_license", "training_hours", "work_years", "clinical_work_years",
            "families_served", "rsc_hours", "provides_rsc", "rsc_provided_years", "leadership_years",
            "policy_leadership_years", "faculty_years", "reference_ratings", "ethics_signed", "membership",
            "exam_passed", "rsc_training_hours", "dei_hours")
OPERATORS = ("min", "required", "not_required", "encouraged", "info")
UNITS = ("", "hours", "years", "families", "ratings", "degree")
ASSOCIATION_STATUSES = ("endorsement", "separate_system", "unconfirmed")
FEE_TYPES = ("membership", "registration", "processing", "renewal", "late_renewal", "exam")
DEGREE_KINDS = ("degree", "credential", "license")

EFFECTIVE = re.compile(r"^(\d{4}(-\d{2}-\d{2})?|as published)$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
URL = re.compile(r"^https?://\S+$")
TIMEFRAME = re.compile(r"^(\d+)-(\d+)$")


class KnowledgeDataError(ValueError):
    def __init__(self, problems: Sequence[str]):
        super().__init__("\n".join(problems))
        self.problems = list(problems)


def normalize_alias(text: str) -> str:
    """The form aliases are stored and looked up in: lower case, single spaces, no surrounding punctuation."""
    text = text.lower().replace("’", "'").replace("®", "")
    text = re.sub(r"\s+", " ", text)
    return text.strip(" .,;:!?\"'()")


@dataclass
class Row:
    file: str
    line: int
    values: Dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.values[column]

    def optional(self, column: str) -> Optional[str]:
        return self.values[column] or None

    def aliases(self) -> List[str]:
        return [normalize_alias(part) for part in self.values.get("aliases", "").split(";") if part.strip()]


@dataclass
class Problems:
    items: List[str] = field(default_factory=list)

    def add(self, row: Row, message: str) -> None:
        self.items.append(f"{row.file}:{row.line}: {message}")


def read_rows(path: Path, columns: Sequence[str], problems: Problems) -> List[Row]:
    if not path.exists():
        problems.items.append(f"{path.name}: file is missing")
        return []
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        if [name.strip() for name in header] != list(columns):
            problems.items.append(f"{path.name}:1: header must be {','.join(columns)}")
            return []
        rows = []
        for record in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            row = Row(path.name, line, {})
            if len(record) != len(columns):
                problems.add(row, f"expected {len(columns)} fields, found {len(record)}")
                continue
            row.values = {name: cell.strip() for name, cell in zip(columns, record)}
            rows.append(row)
        return rows


Check = Callable[[str], bool]


def check_row(row: Row, problems: Problems, rules: Dict[str, tuple]) -> bool:
    """rules: column -> (predicate, description). Empty cells fail unless the predicate accepts them."""
    ok = True
    for column, (predicate, description) in rules.items():
        if not predicate(row[column]):
            problems.add(row, f"{column} {row[column]!r} is not {description}")
            ok = False
    return ok


def one_of(values: Iterable[str]) -> tuple:
    allowed = tuple(values)
    return (lambda value: value in allowed, "one of " + ", ".join(v or "(empty)" for v in allowed))


def required(description: str = "given") -> tuple:
    return (lambda value: bool(value), description)


def optional(pattern: re.Pattern, description: str) -> tuple:
    return (lambda value: not value or bool(pattern.match(value)), description)


def number(allow_empty: bool = False) -> tuple:
    def predicate(value: str) -> bool:
        if not value:
            return allow_empty
        try:
            return float(value) >= 0
        except ValueError:
            return False
    return (predicate, "a non-negative number")


SOURCE_RULES = {
    "source_url": (lambda value: bool(URL.match(value)), "an http(s) URL"),
}
EFFECTIVE_RULE = (lambda value: bool(EFFECTIVE.match(value)), "YYYY, YYYY-MM-DD or 'as published'")


class Loader:
    def __init__(self, directory: Path = KNOWLEDGE_DIR):
        self.directory = directory
        self.problems = Problems()
        self.objects: List[Base] = []
        self.category_codes: set = set()
        self.aliases: Dict[tuple, Row] = {}

    def read(self, name: str, columns: Sequence[str]) -> List[Row]:
        return read_rows(self.directory / name, columns, self.problems)

    def add_alias(self, row: Row, kind: str, alias: str, target: str) -> None:
        key = (kind, alias)
        if key in self.aliases:
            first = self.aliases[key]
            self.problems.add(row, f"alias {alias!r} is already used at {first.file}:{first.line}")
            return
        self.aliases[key] = row
        self.objects.append(Alias(alias=alias, kind=kind, target=target))

    def add_named(self, row: Row, kind: str, codes: set, obj: Base) -> None:
        """Add a row with a unique code, and its code, name and aliases as names of that kind."""
        if row["code"] in codes:
            self.problems.add(row, f"code {row['code']!r} is repeated")
            return
        codes.add(row["code"])
        self.objects.append(obj)
        for alias in {normalize_alias(row["code"]), normalize_alias(row["name"]), *row.aliases()}:
            self.add_alias(row, kind, alias, row["code"])

    def load_categories(self) -> None:
        columns = ("code", "name", "age_band", "parent", "counterpart", "former_name", "scope", "rank", "summary",
                   "aliases", "source_url", "effective", "note")
        rows = self.read("categories.csv", columns)
        known = {row["code"] for row in rows}
        for row in rows:
            rules = {
                "code": required(), "name": required(), "age_band": one_of(AGE_BANDS),
                "parent": (lambda v: not v or v in known, "a category code"),
                "counterpart": (lambda v: not v or v in known, "a category code"),
                "scope": required(), "rank": (lambda v: v in ("1", "2", "3", "4"), "1 to 4"),
                "summary": required(), "effective": EFFECTIVE_RULE, **SOURCE_RULES,
            }
            if not check_row(row, self.problems, rules):
                continue
            self.add_named(row, "category", self.category_codes, Category(
                code=row["code"], name=row["name"], age_band=row["age_band"], parent=row.optional("parent"),
                counterpart=row.optional("counterpart"), former_name=row.optional("former_name"), scope=row["scope"],
                rank=int(row["rank"]), summary=row["summary"], source_url=row["source_url"],
                effective=row["effective"], note=row.optional("note")))

    def load_role_aliases(self) -> None:
        is_category = (lambda v: v in self.category_codes, "a category code")
        for row in self.read("role_aliases.csv", ("alias", "infant", "early_childhood")):
            if not check_row(row, self.problems, {"alias": required(), "infant": is_category,
                                                  "early_childhood": is_category}):
                continue
            alias = normalize_alias(row["alias"])
            if ("category", alias) in self.aliases or ("role", alias) in self.aliases:
                self.problems.add(row, f"alias {alias!r} is already used")
                continue
            self.aliases[("role", alias)] = row
            self.objects.append(RoleAlias(alias=alias, infant=row["infant"], early_childhood=row["early_childhood"]))

    def load_requirements(self) -> None:
        columns = ("category", "phase", "kind", "measure", "operator", "value", "unit", "timeframe_months",
                   "alternative", "text", "effective_from", "effective_until", "source_url", "note")
        for position, row in enumerate(self.read("requirements.csv", columns)):
            rules = {
                "category": (lambda v: v in self.category_codes, "a category code"),
                "phase": one_of(PHASES), "kind": one_of(KINDS), "measure": one_of(MEASURES),
                "operator": one_of(OPERATORS), "unit": one_of(UNITS),
                "timeframe_months": optional(TIMEFRAME, "like 12-24"), "text": required(),
                "effective_from": EFFECTIVE_RULE, "effective_until": optional(DATE, "YYYY-MM-DD"), **SOURCE_RULES,
            }
            if not check_row(row, self.problems, rules):
                continue
            amount, level = self.requirement_value(row)
            if amount is None and level is None and row["operator"] == "min":
                continue
            timeframe = TIMEFRAME.match(row["timeframe_months"]) if row["timeframe_months"] else None
            self.objects.append(Requirement(
                category=row["category"], phase=row["phase"], kind=row["kind"], measure=row.optional("measure"),
                operator=row["operator"], amount=amount, degree_level=level, unit=row.optional("unit"),
                timeframe_min_months=int(timeframe.group(1)) if timeframe else None,
                timeframe_max_months=int(timeframe.group(2)) if timeframe else None,
                alternative=row.optional("alternative"), text=row["text"], effective_from=row["effective_from"],
                effective_until=row.optional("effective_until"), source_url=row["source_url"],
                note=row.optional("note"), position=position))

    def requirement_value(self, row: Row) -> tuple:
        """(amount, degree_level) of a row; reports a problem and returns (None, None) when they do not fit."""
        value, unit, operator = row["value"], row["unit"], row["operator"]
        if operator != "min":
            if value:
                self.problems.add(row, f"value must be empty for operator {operator!r}")
            return None, None
        if not row["measure"]:
            self.problems.add(row, "operator 'min' needs a measure")
            return None, None
        if unit == "degree":
            if value not in DEGREE_LEVELS:
                self.problems.add(row, f"value {value!r} is not one of {', '.join(DEGREE_LEVELS)}")
                return None, None
            return None, value
        if not unit:
            self.problems.add(row, "operator 'min' needs a unit")
            return None, None
        predicate, description = number()
        if not predicate(value):
            self.problems.add(row, f"value {value!r} is not {description}")
            return None, None
        return float(value), None

    def load_topics(self) -> None:
        for row in self.read("topics.csv", ("topic", "seq", "text", "source_url", "effective", "note")):
            rules = {"topic": one_of(TOPICS), "seq": (str.isdigit, "a whole number"), "text": required(),
                     "effective": EFFECTIVE_RULE, **SOURCE_RULES}
            if check_row(row, self.problems, rules):
                self.objects.append(TopicFact(topic=row["topic"], seq=int(row["seq"]), text=row["text"],
                                              source_url=row["source_url"], effective=row["effective"],
                                              note=row.optional("note")))

    def load_regions(self) -> set:
        codes = set()
        for row in self.read("regions.csv", ("code", "name", "kind", "aliases")):
            if not check_row(row, self.problems, {"code": required(), "name": required(),
                                                  "kind": one_of(("state", "country"))}):
                continue
            self.add_named(row, "region", codes, Region(code=row["code"], name=row["name"], kind=row["kind"]))
        return codes

    def load_associations(self, region_codes: set) -> set:
        columns = ("code", "name", "region", "region_code", "status", "website", "aliases", "source_url",
                   "effective", "note")
        codes = set()
        for row in self.read("associations.csv", columns):
            rules = {"code": required(), "name": required(), "status": one_of(ASSOCIATION_STATUSES),
                     "region_code": (lambda v: not v or v in region_codes, "a code from regions.csv"),
                     "website": optional(URL, "an http(s) URL"), "effective": EFFECTIVE_RULE, **SOURCE_RULES}
            if not check_row(row, self.problems, rules):
                continue
            self.add_named(row, "association", codes, Association(
                code=row["code"], name=row["name"], region=row.optional("region"),
                region_code=row.optional("region_code"), status=row["status"], website=row.optional("website"),
                source_url=row["source_url"], effective=row["effective"], note=row.optional("note")))
        return codes

    def load_fees(self, association_codes: set) -> None:
        columns = ("association", "fee_type", "category", "amount_usd", "source_url", "effective", "note")
        for row in self.read("fees.csv", columns):
            rules = {"association": (lambda v: v in association_codes, "an association code"),
                     "fee_type": one_of(FEE_TYPES),
                     "category": (lambda v: not v or v in self.category_codes, "a category code"),
                     "amount_usd": number(allow_empty=True), "effective": EFFECTIVE_RULE, **SOURCE_RULES}
            if not check_row(row, self.problems, rules):
                continue
            if not row["amount_usd"] and not row["note"]:
                self.problems.add(row, "a fee without an amount needs a note saying why")
                continue
            self.objects.append(Fee(
                association=row["association"], fee_type=row["fee_type"], category=row.optional("category"),
                amount_usd=float(row["amount_usd"]) if row["amount_usd"] else None, source_url=row["source_url"],
                effective=row["effective"], note=row.optional("note")))

    def load_degrees(self) -> None:
        codes = set()
        for row in self.read("degrees.csv", ("code", "name", "kind", "level", "field", "aliases")):
            rules = {"code": required(), "name": required(), "kind": one_of(DEGREE_KINDS),
                     "level": one_of(DEGREE_LEVELS[1:]), "field": required()}
            if not check_row(row, self.problems, rules):
                continue
            self.add_named(row, "degree", codes, Degree(code=row["code"], name=row["name"], kind=row["kind"],
                                                        level=row["level"], field=row["field"]))

    def load_fields(self) -> None:
        names: set = set()
        for row in self.read("fields.csv", ("name", "related", "aliases")):
            if not check_row(row, self.problems, {"name": required(), "related": one_of(("yes", "no"))}):
                continue
            row.values["code"] = row["name"]
            self.add_named(row, "field", names, Field(name=row["name"], related=row["related"] == "yes"))

    def parse(self) -> List[Base]:
        self.load_categories()
        self.load_role_aliases()
        self.load_requirements()
        self.load_topics()
        self.load_fees(self.load_associations(self.load_regions()))
        self.load_degrees()
        self.load_fields()
        if self.problems.items:
            raise KnowledgeDataError(self.problems.items)
        return self.objects


def seed(url: Optional[str] = None, directory: Path = KNOWLEDGE_DIR) -> Dict[str, int]:
    """Validate every file, then rebuild the knowledge tables in one transaction. Returns rows per table."""
    objects = Loader(directory).parse()
    # Parents first: categories reference each other (groups before designations), associations regions.
    parents = sorted((o for o in objects if isinstance(o, Category)), key=lambda c: c.parent is not None)
    parents += [o for o in objects if isinstance(o, Region)]
    children = [o for o in objects if not isinstance(o, (Category, Region))]
    try:
        with engine_for(url or database_url()).begin() as connection:
            Base.metadata.drop_all(connection)
            Base.metadata.create_all(connection)
            with Session(bind=connection, future=True) as session:
                session.add_all(parents)
                session.flush()
                session.add_all(children)
                session.flush()
    except SQLAlchemyError as error:
        raise KnowledgeUnavailable(str(error).splitlines()[0]) from error
    counts: Dict[str, int] = {}
    for obj in objects:
        counts[obj.__tablename__] = counts.get(obj.__tablename__, 0) + 1
    return counts


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="Load knowledge/*.csv into the knowledge database.")
    parser.add_argument("--database-url", default=None, help="defaults to DATABASE_URL or the SQLite file")
    parser.add_argument("--directory", type=Path, default=KNOWLEDGE_DIR)
    args = parser.parse_args(argv)
    try:
        counts = seed(args.database_url, args.directory)
    except KnowledgeDataError as error:
        print("The knowledge data has errors; nothing was loaded:", file=sys.stderr)
        for problem in error.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    print("Knowledge loaded: " + ", ".join(f"{count} {table}" for table, count in sorted(counts.items())))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KnowledgeUnavailable as error:
        sys.exit(f"Cannot reach the knowledge database: {error}. Check DATABASE_URL.")

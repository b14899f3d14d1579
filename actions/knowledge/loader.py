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

from .database import PROJECT_ROOT, KnowledgeUnavailable, create_database, database_url, engine_for
from .names import normalize_alias
from .schema import (
    Alias,
    Association,
    Base,
    Category,
    Degree,
    Fee,
    Field,
    Measure,
    Region,
    Requirement,
    RoleAlias,
    TopicFact,
)
from .vocabulary import (
    AGE_BANDS,
    ASSOCIATION_STATUSES,
    DEGREE_KINDS,
    DEGREE_LEVELS,
    FEE_TYPES,
    KINDS,
    MEASURE_KINDS,
    OPERATORS,
    OTHER_CONTACTS,
    PHASES,
    STATUSES,
    TOPICS,
    UNITS,
    WORK_COUNTS,
)

KNOWLEDGE_DIR = PROJECT_ROOT / "knowledge"

EFFECTIVE = re.compile(r"^(\d{4}(-\d{2}-\d{2})?|as published)$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
URL = re.compile(r"^https?://\S+$")
TIMEFRAME = re.compile(r"^(\d+)-(\d+)$")
SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
TOPIC_ID = re.compile(rf"^{SLUG}(?:\.{SLUG})+$")  # exam.online, rule-changes.2025
FACT_ID = re.compile(r"^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)+$")  # IFS.initial.rsc_hours, fee.ITMHCA.processing.IFS
NOT_PUBLISHED = re.compile(r"\bnot\s+publish", re.IGNORECASE)
ASK = re.compile(r"\bask\b", re.IGNORECASE)
KEYWORD_MAX_WORDS = 6


class KnowledgeDataError(ValueError):
    def __init__(self, problems: Sequence[str]):
        super().__init__("\n".join(problems))
        self.problems = list(problems)


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


def keywords_ok(value: str) -> bool:
    """Empty, or ;-separated short words and phrases: no empty items, no questions, no repeats."""
    if not value:
        return True
    parts = [part.strip() for part in value.split(";")]
    return (all(parts) and len({part.lower() for part in parts}) == len(parts)
            and all("?" not in part and len(part.split()) <= KEYWORD_MAX_WORDS for part in parts))


KEYWORDS_RULE = (keywords_ok, f"empty or ;-separated words or short phrases (at most {KEYWORD_MAX_WORDS} words each, "
                              "no questions, no repeats)")


def whom_to_ask(text: str, contacts: Iterable[str]) -> Optional[str]:
    """The association (or other body) a sentence tells people to ask, if it says "ask" and names one."""
    if not ASK.search(text):
        return None
    lowered = normalize_alias(text)
    for name in sorted(contacts, key=len, reverse=True):
        if re.search(rf"(?<![a-z0-9]){re.escape(name)}(?![a-z0-9])", lowered):
            return name
    return None


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
        self.measures: set = set()
        self.ids: Dict[str, Row] = {}  # every fact id (and category and association code), across all files

    def claim_id(self, row: Row, fact_id: str) -> bool:
        """Ids are unique across all files: a second use is reported with the place of the first."""
        first = self.ids.get(fact_id)
        if first is not None:
            self.problems.add(row, f"id {fact_id!r} is already used at {first.file}:{first.line}")
            return False
        self.ids[fact_id] = row
        return True

    def contacts(self) -> set:
        """Names a not-published row may point to: every association name and alias, and a few other bodies."""
        return {alias for kind, alias in self.aliases if kind == "association"} | set(OTHER_CONTACTS)

    def check_status(self, row: Row) -> bool:
        """A not-published row says so in its text and names whom to ask; a published row does not say it."""
        text = row["text"]
        if row["status"] == "not_published":
            if not NOT_PUBLISHED.search(text) or not whom_to_ask(text, self.contacts()):
                self.problems.add(row, "a not_published row must say in its text that the sources do not publish "
                                       "it and name whom to ask (an association of associations.csv or "
                                       + ", ".join(OTHER_CONTACTS) + ")")
                return False
        elif NOT_PUBLISHED.search(text):
            self.problems.add(row, "the text says the fact is not published: set status to not_published")
            return False
        return True

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

    def add_named(self, row: Row, kind: str, codes: set, obj: Base) -> bool:
        """Add a row with a unique code, and its code, name and aliases as names of that kind."""
        if row["code"] in codes:
            self.problems.add(row, f"code {row['code']!r} is repeated")
            return False
        codes.add(row["code"])
        self.objects.append(obj)
        for alias in {normalize_alias(row["code"]), normalize_alias(row["name"]), *row.aliases()}:
            self.add_alias(row, kind, alias, row["code"])
        return True

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
            self.add_category(row, Category(
                code=row["code"], name=row["name"], age_band=row["age_band"], parent=row.optional("parent"),
                counterpart=row.optional("counterpart"), former_name=row.optional("former_name"), scope=row["scope"],
                rank=int(row["rank"]), summary=row["summary"], source_url=row["source_url"],
                effective=row["effective"], note=row.optional("note")))

    def add_category(self, row: Row, category: Category) -> None:
        if self.add_named(row, "category", self.category_codes, category):
            self.claim_id(row, row["code"])

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

    def load_measures(self) -> None:
        columns = ("measure", "kind", "label", "short", "unit", "pace", "ask_order", "question")
        for row in self.read("measures.csv", columns):
            rules = {"measure": required(), "kind": one_of(MEASURE_KINDS), "label": required(), "short": required(),
                     "unit": one_of(UNITS), "ask_order": (lambda v: not v or v.isdigit(), "a whole number or empty")}
            if not check_row(row, self.problems, rules):
                continue
            if row["kind"] not in ("step", "band") and not (row["question"] and row["ask_order"]):
                self.problems.add(row, "a measure that is asked needs a question and an ask_order")
                continue
            self.measures.add(row["measure"])
            self.objects.append(Measure(measure=row["measure"], kind=row["kind"], label=row["label"],
                                        short=row["short"],
                                        unit=row.optional("unit"), pace=row.optional("pace"),
                                        ask_order=int(row["ask_order"]) if row["ask_order"] else None,
                                        question=row.optional("question")))
        for row in self.read("measures.csv", columns):
            if row["pace"] and row["pace"] in self.measures:
                self.problems.add(row, f"pace {row['pace']!r} must not be a measure of its own")

    def load_requirements(self) -> None:
        columns = ("id", "category", "phase", "kind", "measure", "operator", "value", "unit", "timeframe_months",
                   "alternative", "after_degree", "counts", "defining", "text", "keywords", "status",
                   "effective_from", "effective_until", "source_url", "note")
        for position, row in enumerate(self.read("requirements.csv", columns)):
            prefix = f"{row['category']}.{row['phase']}."
            rules = {
                "id": (lambda v, prefix=prefix: bool(FACT_ID.match(v)) and v.startswith(prefix),
                       f"an id starting with {prefix!r} (letters, digits, _ and - between dots)"),
                "category": (lambda v: v in self.category_codes, "a category code"),
                "phase": one_of(PHASES), "kind": one_of(KINDS),
                "measure": (lambda v: not v or v in self.measures, "empty or a measure of measures.csv"),
                "operator": one_of(OPERATORS), "unit": one_of(UNITS),
                "timeframe_months": optional(TIMEFRAME, "like 12-24"),
                "after_degree": one_of(("",) + DEGREE_LEVELS), "counts": one_of(WORK_COUNTS),
                "defining": one_of(("", "yes")), "text": required(), "keywords": KEYWORDS_RULE,
                "status": one_of(STATUSES),
                "effective_from": EFFECTIVE_RULE, "effective_until": optional(DATE, "YYYY-MM-DD"), **SOURCE_RULES,
            }
            if not check_row(row, self.problems, rules) or not self.check_status(row):
                continue
            if row["status"] == "not_published" and (row["operator"] != "info" or row["measure"]):
                self.problems.add(row, "a not_published requirement has operator 'info' and no measure")
                continue
            if not self.claim_id(row, row["id"]):
                continue
            amount, level, providers = self.requirement_value(row)
            if amount is None and level is None and not providers and row["operator"] in ("min", "one_of"):
                continue
            timeframe = TIMEFRAME.match(row["timeframe_months"]) if row["timeframe_months"] else None
            self.objects.append(Requirement(
                id=row["id"], category=row["category"], phase=row["phase"], kind=row["kind"],
                measure=row.optional("measure"), operator=row["operator"], amount=amount, degree_level=level,
                unit=row.optional("unit"), timeframe_min_months=int(timeframe.group(1)) if timeframe else None,
                timeframe_max_months=int(timeframe.group(2)) if timeframe else None,
                alternative=row.optional("alternative"), providers=";".join(providers) or None,
                after_degree=row.optional("after_degree"), counts=row.optional("counts"),
                defining=row["defining"] == "yes", text=row["text"], keywords=row.optional("keywords"),
                status=row["status"], effective_from=row["effective_from"],
                effective_until=row.optional("effective_until"), source_url=row["source_url"],
                note=row.optional("note"), position=position))

    def requirement_value(self, row: Row) -> tuple:
        """(amount, degree_level, providers) of a row; reports a problem and returns empty values when they do not
        fit."""
        value, unit, operator = row["value"], row["unit"], row["operator"]
        nothing: tuple = (None, None, ())
        if operator == "one_of":
            codes = tuple(code.strip() for code in value.split(";") if code.strip())
            unknown = [code for code in codes if code not in self.category_codes]
            if not codes or unknown or not row["measure"]:
                self.problems.add(row, "operator 'one_of' needs a measure and ;-separated category codes as value")
                return nothing
            return None, None, codes
        if operator != "min":
            if value:
                self.problems.add(row, f"value must be empty for operator {operator!r}")
            return nothing
        if not row["measure"]:
            self.problems.add(row, "operator 'min' needs a measure")
            return nothing
        if unit == "degree":
            if value not in DEGREE_LEVELS:
                self.problems.add(row, f"value {value!r} is not one of {', '.join(DEGREE_LEVELS)}")
                return nothing
            return None, value, ()
        if not unit:
            self.problems.add(row, "operator 'min' needs a unit")
            return nothing
        predicate, description = number()
        if not predicate(value):
            self.problems.add(row, f"value {value!r} is not {description}")
            return nothing
        return float(value), None, ()

    def load_topics(self) -> None:
        columns = ("id", "topic", "seq", "text", "keywords", "status", "source_url", "effective", "note")
        places: Dict[tuple, Row] = {}
        for row in self.read("topics.csv", columns):
            rules = {"id": (lambda v: bool(TOPIC_ID.match(v)) and not v.startswith("fee."),
                            "a lower-case id of words joined by dots and hyphens, like exam.online"),
                     "topic": one_of(TOPICS), "seq": (str.isdigit, "a whole number"), "text": required(),
                     "keywords": KEYWORDS_RULE, "status": one_of(STATUSES), "effective": EFFECTIVE_RULE,
                     **SOURCE_RULES}
            if not check_row(row, self.problems, rules) or not self.check_status(row):
                continue
            place = (row["topic"], int(row["seq"]))
            if place in places:
                first = places[place]
                self.problems.add(row, f"seq {place[1]} of topic {place[0]!r} is already used at "
                                       f"{first.file}:{first.line}")
                continue
            if not self.claim_id(row, row["id"]):
                continue
            places[place] = row
            self.objects.append(TopicFact(id=row["id"], topic=row["topic"], seq=int(row["seq"]), text=row["text"],
                                          keywords=row.optional("keywords"), status=row["status"],
                                          source_url=row["source_url"], effective=row["effective"],
                                          note=row.optional("note")))

    def load_regions(self) -> set:
        codes: set = set()
        for row in self.read("regions.csv", ("code", "name", "kind", "aliases")):
            if not check_row(row, self.problems, {"code": required(), "name": required(),
                                                  "kind": one_of(("state", "country"))}):
                continue
            self.add_named(row, "region", codes, Region(code=row["code"], name=row["name"], kind=row["kind"]))
        return codes

    def load_associations(self, region_codes: set) -> set:
        columns = ("code", "name", "region", "region_code", "status", "website", "aliases", "source_url",
                   "effective", "note")
        codes: set = set()
        for row in self.read("associations.csv", columns):
            rules = {"code": required(), "name": required(), "status": one_of(ASSOCIATION_STATUSES),
                     "region_code": (lambda v: not v or v in region_codes, "a code from regions.csv"),
                     "website": optional(URL, "an http(s) URL"), "effective": EFFECTIVE_RULE, **SOURCE_RULES}
            if not check_row(row, self.problems, rules):
                continue
            if self.add_named(row, "association", codes, Association(
                    code=row["code"], name=row["name"], region=row.optional("region"),
                    region_code=row.optional("region_code"), status=row["status"], website=row.optional("website"),
                    source_url=row["source_url"], effective=row["effective"], note=row.optional("note"))):
                self.claim_id(row, row["code"])
        return codes

    def load_fees(self, association_codes: set) -> None:
        columns = ("id", "association", "fee_type", "category", "amount_usd", "source_url", "effective", "note")
        for position, row in enumerate(self.read("fees.csv", columns)):
            prefix = f"fee.{row['association']}.{row['fee_type']}"
            rules = {"id": (lambda v, prefix=prefix: bool(FACT_ID.match(v))
                            and (v == prefix or v.startswith(prefix + ".")),
                            f"an id starting with {prefix!r}"),
                     "association": (lambda v: v in association_codes, "an association code"),
                     "fee_type": one_of(FEE_TYPES),
                     "category": (lambda v: not v or v in self.category_codes, "a category code"),
                     "amount_usd": number(allow_empty=True), "effective": EFFECTIVE_RULE, **SOURCE_RULES}
            if not check_row(row, self.problems, rules):
                continue
            if not row["amount_usd"] and not (NOT_PUBLISHED.search(row["note"])
                                              and whom_to_ask(row["note"], self.contacts())):
                self.problems.add(row, "a fee without an amount needs a note saying it is not published and whom to "
                                       "ask")
                continue
            if not self.claim_id(row, row["id"]):
                continue
            self.objects.append(Fee(
                id=row["id"], position=position, association=row["association"], fee_type=row["fee_type"],
                category=row.optional("category"),
                amount_usd=float(row["amount_usd"]) if row["amount_usd"] else None, source_url=row["source_url"],
                effective=row["effective"], note=row.optional("note")))

    def load_degrees(self) -> None:
        codes: set = set()
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
        self.load_measures()
        self.load_fees(self.load_associations(self.load_regions()))
        self.load_requirements()
        self.load_topics()
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
        create_database(url or database_url())
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

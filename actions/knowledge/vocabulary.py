"""The fixed vocabularies of the knowledge data, each defined once: the loader checks the data files against them
and the assistant reads them."""
from typing import Optional

# Ordered from lowest to highest; requirement values and degrees use these names.
DEGREE_LEVELS = ("none", "high_school", "cda", "associate", "bachelor", "master", "doctorate")
AGE_BANDS = ("infant", "early_childhood", "both")
TOPICS = (
    "endorsement", "age_bands", "why_endorse", "exam", "application", "timeline", "review", "renewal", "reciprocity",
    "residency", "rsc", "rule_changes", "degrees", "experience", "continuing_education", "organizations", "programs",
    "role", "principles", "consultation", "competencies", "alliance", "other_systems", "training", "references",
    "membership", "fees_general", "reinstatement",
)
# Whether a fact row states something the sources publish, or says that they do not publish it (and whom to ask).
STATUSES = ("published", "not_published")
# Bodies that are not associations (associations.csv) but that a not-published row may tell people to ask.
OTHER_CONTACTS = ("zero to three",)
PHASES = ("initial", "renewal")
KINDS = ("education", "training", "work", "leadership", "rsc", "rsc_provider", "references", "ethics", "exam",
         "membership")
OPERATORS = ("min", "required", "not_required", "encouraged", "info", "one_of")
UNITS = ("", "hours", "years", "families", "ratings", "degree")
WORK_COUNTS = ("", "paid", "paid_or_volunteer")
MEASURE_KINDS = ("band", "degree", "yes_no", "number", "provider", "roles", "step")
ASSOCIATION_STATUSES = ("endorsement", "separate_system", "unconfirmed")
FEE_TYPES = ("membership", "registration", "processing", "renewal", "late_renewal", "exam")
DEGREE_KINDS = ("degree", "credential", "license")


def degree_rank(level: Optional[str]) -> int:
    """The rank of a degree level; -1 for an unknown or unstated one."""
    return DEGREE_LEVELS.index(level) if level in DEGREE_LEVELS else -1

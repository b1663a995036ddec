"""Risk screening with chain-refoulement pathways (pure: no I/O).

    assess(case, context, today=None) -> Assessment
    parse_case(mapping) / load_case(path) -> CaseProfile
    read_case_document(bytes, name) -> the parsed YAML or JSON of an uploaded file
    case_profile_schema() -> dict (JSON Schema)

See docs/screening.md for the rules, the graph and the output.
"""

from azyl.assess.context import Context
from azyl.assess.engine import assess
from azyl.assess.model import Assessment
from azyl.assess.profile import (
    CaseProfile,
    case_profile_schema,
    load_case,
    parse_case,
    read_case_document,
)

__all__ = [
    "Assessment",
    "CaseProfile",
    "Context",
    "assess",
    "case_profile_schema",
    "load_case",
    "parse_case",
    "read_case_document",
]

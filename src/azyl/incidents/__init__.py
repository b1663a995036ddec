"""The incident registry: documented transnational repression against FSU exiles.

    load_seed(settings) -> SeedReport             incidents/seed.yaml into the database
    import_incidents(engine, path, catalogue)     CSV, XLSX or JSON, all or nothing
    import_incident_file(engine, data, name, catalogue, actor=...)   the same from bytes (uploads)
    export_incidents(engine, fmt, visibility)     -> bytes
    find_incidents(session_or_engine, *, origin, host, profile, tactic, as_of, visibility, since)
    get_incident(session_or_engine, incident_id, *, visibility) -> IncidentView
    load_incident_index(engine, visibility)       -> IncidentIndex, for the screening engine
    count_incidents(views, by), escalation_profile(views)          aggregates

Model: `model.py` (tables), `record.py` (frozen values), `documents.py` (the
rules, as pydantic models: one set for every way in), `validate.py` (a document
to a record, every problem with its field), `vocabulary.py` (tactics, outcomes,
CAPE stages). docs/incidents.md describes the fields, formats and policies.
"""

from azyl.incidents.aggregates import (
    DIMENSIONS,
    Escalation,
    count_incidents,
    escalation_profile,
)
from azyl.incidents.errors import IncidentImportError, SeedError
from azyl.incidents.query import (
    AUDIENCES,
    IncidentIndex,
    find_incidents,
    get_incident,
    load_incident_index,
)
from azyl.incidents.record import RESTRICTED_FIELDS, IncidentRecord, IncidentView, SourceRef
from azyl.incidents.seed import SeedConflict, SeedReport, load_seed
from azyl.incidents.transfer import (
    ImportReport,
    audit_export,
    export_incidents,
    import_incident_file,
    import_incidents,
    render_incidents,
)

__all__ = [
    "AUDIENCES",
    "DIMENSIONS",
    "RESTRICTED_FIELDS",
    "Escalation",
    "ImportReport",
    "IncidentImportError",
    "IncidentIndex",
    "IncidentRecord",
    "IncidentView",
    "SeedConflict",
    "SeedError",
    "SeedReport",
    "SourceRef",
    "audit_export",
    "count_incidents",
    "escalation_profile",
    "export_incidents",
    "find_incidents",
    "get_incident",
    "import_incident_file",
    "import_incidents",
    "load_incident_index",
    "load_seed",
    "render_incidents",
]

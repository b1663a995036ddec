"""Saved cases: screenings kept for later, encrypted at rest, shared only by their owner.

    actor = Actor.of(user, address)                  # or Actor.cli() for the operator
    case = save_case(engine, vault, actor, title=..., profile={...}, context=context)
    list_cases(engine, vault, actor)                 # own cases and cases shared with me
    get_case(engine, vault, actor, case.id)          # decrypted, audited (case.view)
    rerun_case(engine, vault, actor, case.id, date(2025, 1, 1), context)
    compare_runs(engine, vault, actor, case.id, 1, 2)
    share_case(engine, actor, case.id, "colleague"); unshare_case(...)
    export_case(engine, vault, actor, case.id)       # JSON with every run
    erase_case(engine, actor, case.id)               # rows, data key and old row versions gone

Authorization lives in `access`, encryption in `crypto`, the tables in `model`;
see docs/cases.md for what is encrypted and what stays in clear.
"""

from azyl.cases.access import Actor, CaseForbidden, CasesHeld
from azyl.cases.erasure import erase_case, erase_user_cases, reclaim_space
from azyl.cases.sharing import share_case, unshare_case
from azyl.cases.store import (
    compare_runs,
    export_case,
    export_run,
    get_case,
    list_cases,
    rerun_case,
    revise_case,
    save_case,
)
from azyl.cases.views import CaseDetail, CaseSummary, RunView

__all__ = [
    "Actor",
    "CaseDetail",
    "CaseForbidden",
    "CaseSummary",
    "CasesHeld",
    "RunView",
    "compare_runs",
    "erase_case",
    "erase_user_cases",
    "export_case",
    "export_run",
    "get_case",
    "list_cases",
    "reclaim_space",
    "rerun_case",
    "revise_case",
    "save_case",
    "share_case",
    "unshare_case",
]

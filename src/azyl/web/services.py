"""The web layer's one seam onto the library: statistics, knowledge base, incidents, screening.

Routes call `Services` and nothing below it, so each route stays a few lines
and the tests can hand the app a `Services` built on small fixtures. Data this
server has not built yet (the statistics database before `azyl build`) raises
`NotAvailable` (HTTP 503, code `not_available`) with a sentence saying what is
missing; the pages show that sentence instead of an empty chart, and never
invent data.

Every method returns plain JSON-ready data (dicts, lists, strings, numbers),
the shapes the API documents and the templates read; converting the library's
objects into them happens here and only here.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import Engine

from azyl import assess as engine
from azyl.accounts.model import User
from azyl.accounts.roles import Role
from azyl.appdb import open_database
from azyl.assess import adapters
from azyl.assess.vocabulary import catalog as screening_catalog
from azyl.config import Settings
from azyl.coverage import CoverageReport, kb_coverage
from azyl.errors import AzylError, NoData
from azyl.i18n import N_
from azyl.i18n.message import failure
from azyl.incidents import IncidentView, find_incidents, get_incident, load_incident_index
from azyl.incidents.edits import import_rules
from azyl.incidents.references import SourceCatalogue, catalogue_for
from azyl.incidents.validate import Rules
from azyl.incidents.vocabulary import STAGES
from azyl.kb import KnowledgeBase, find_facts
from azyl.kb.export import get_fact, get_source
from azyl.keys.guard import keyring_for
from azyl.reports import Report, build_report
from azyl.reports.evidence import evidence_appendix
from azyl.revisions import counter
from azyl.search import KINDS as SEARCH_KINDS
from azyl.search import Hit, Index, documents, parse_query
from azyl.sources import ADAPTERS
from azyl.stats import DEFINITIONS, open_store
from azyl.vault import Vault
from azyl.web import stats_view
from azyl.web.kept import Kept
from azyl.web.tables import Order, sort_rows

log = logging.getLogger(__name__)
T = TypeVar("T")
K = TypeVar("K", bound=bytes | str | tuple[Any, ...])

#: How many computed answers (statistics, figures, downloads) a process keeps.
MEMO_SIZE = 512
#: How many bytes of finished response bodies (`Services.kept_body`) a process keeps.
BODY_BYTES = 64 * 1024 * 1024


class NotAvailable(AzylError):
    """A part of azyl that this server does not have (not built, or not installed yet)."""

    code = "not_available"
    http_status = 503


STATS_NOT_BUILT = N_(
    "the statistics database has not been built yet ({path}); run `azyl build` "
    "(python3 scripts/start.py does it) to load the official figures"
)


def date_label(day: date, precision: str) -> str:
    """A date written only as precisely as the sources know it (2015, 2015-06, 2015-06-15)."""
    if precision == "year":
        return f"{day.year}"
    if precision == "month":
        return day.strftime("%Y-%m")
    if precision == "before":
        return f"≤ {day.isoformat()}"
    return day.isoformat()


def incident_document(view: IncidentView) -> dict[str, Any]:
    """An incident as the pages and the API show it: its document plus how to name the target."""
    doc: dict[str, Any] = view.to_document()
    doc["target_label"] = view.target
    doc["date_label"] = date_label(view.date, view.date_precision)
    doc["profiles"] = list(view.target_profiles)
    return doc


#: The columns the fact list sorts by, and its default order (newest first).
FACT_SORTS: dict[str, Any] = {
    "valid_from": lambda f: (f["valid_from"], f["id"]),
    "actor": lambda f: f["actor"],
    "kind": lambda f: f["kind"],
    "id": lambda f: f["id"],
}
NEWEST_FACTS = Order("valid_from", descending=True)
STAGE_ORDER: dict[str, int] = {stage: n for n, stage in enumerate(STAGES)}
#: The columns the incident list sorts by, and the default order (the timeline: newest first).
INCIDENT_SORTS: dict[str, Any] = {
    "date": lambda v: (v.date, v.id),
    "origin": lambda v: v.origin,
    "host": lambda v: v.host,
    "stage": lambda v: STAGE_ORDER.get(v.stage, len(STAGE_ORDER)),
    "id": lambda v: v.id,
}
NEWEST_FIRST = Order("date", descending=True)


def select_incidents(
    views: Sequence[IncidentView], filters: dict[str, Any], order: Order = NEWEST_FIRST
) -> list[IncidentView]:
    """The incidents a list shows, and exactly those its downloads hold: filtered, then sorted.

    `filters` are validated (`web.params.incident_filters`: countries as alpha-3,
    known terms); the comparisons are those of `find_incidents`.
    """
    origin, host, tactic = filters.get("origin"), filters.get("host"), filters.get("tactic")
    profile, year, stage = filters.get("profile"), filters.get("year"), filters.get("stage")

    def kept(v: IncidentView) -> bool:
        return (
            (origin is None or v.origin == origin)
            and (host is None or v.host == host)
            and (tactic is None or tactic in v.tactics)
            and (profile is None or profile in v.target_profiles)
            and (year is None or v.date.year == year)
            and (stage is None or v.stage == stage)
        )

    return sort_rows([v for v in views if kept(v)], order, INCIDENT_SORTS, tie="id")


#: Where each kind of search result is shown.
SEARCH_PAGES = {"fact": "/kb/facts/{}", "source": "/kb/sources/{}", "incident": "/incidents/{}"}


#: What a search result says besides its snippet; each kind fills its own, the rest are null.
SEARCH_ATTRIBUTES = ("fact_kind", "actor", "title", "source_kind", "date", "date_precision",
                     "date_label", "origin", "host", "residence", "stage")  # fmt: skip


def search_item(hit: Hit) -> dict[str, Any]:
    """A search result as the page and the API show it: what, where, and the words found."""
    attrs = dict(hit.document.attrs)
    item: dict[str, Any] = {
        **dict.fromkeys(SEARCH_ATTRIBUTES),  # every key in every result: one documented shape
        "kind": hit.document.kind,
        "id": hit.document.id,
        "url": SEARCH_PAGES[hit.document.kind].format(hit.document.id),
        "score": hit.score,
        "field": hit.field,
        "snippet": [{"text": s.text, "match": s.match} for s in hit.snippet],
        **attrs,
    }
    if hit.document.kind == "incident":
        item["date_label"] = date_label(date.fromisoformat(attrs["date"]), attrs["date_precision"])
        item["host"] = attrs["host"] or None
        item["residence"] = attrs["residence"] or None
    return item


#: The lowest role that sees restricted incidents (docs/editing.md says why).
RESTRICTED_ROLE = Role.CASEWORKER


def may_see_restricted(user: User | None) -> bool:
    """Restricted incidents and fields: caseworkers and up, signed in; never viewers or visitors.

    Caseworkers screen people whose cases these incidents bear on; viewers
    and anonymous visitors see the public registry only.
    """
    return user is not None and Role(user.role).at_least(RESTRICTED_ROLE)


@dataclass
class Services:
    """Everything the routes read, built once per app from the settings."""

    settings: Settings
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)
    #: Requests run on many threads: the first ones must not each open the database
    #: (running migrations side by side) or load the knowledge base.
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False)
    _memo: Kept = field(default_factory=lambda: Kept(MEMO_SIZE), repr=False)
    _bodies: Kept = field(default_factory=lambda: Kept(BODY_BYTES, _weight), repr=False)

    @classmethod
    def from_settings(cls, settings: Settings) -> Services:
        return cls(settings)

    # Statistics -------------------------------------------------------------
    def store(self) -> Any:
        """The statistics database, opened read-only once (it is shared between threads)."""
        if "store" not in self._cache:
            path = self.settings.stats_db_path
            if not path.exists():
                raise failure(NotAvailable, STATS_NOT_BUILT, path=path)
            self._cache["store"] = open_store(path)
        return self._cache["store"]

    def missing_statistics(self) -> list[str]:
        """The titles of the datasets this server has no statistics for (empty: all there).

        Read once per process, like the store itself: without a database every
        dataset is missing; with one, those its build could not find.
        """
        if "missing" not in self._cache:
            try:
                self._cache["missing"] = [title for _, title, _ in self.store().missing()]
            except (NotAvailable, NoData):
                self._cache["missing"] = [a.title for a in ADAPTERS]
        missing: list[str] = self._cache["missing"]
        return missing

    def remember(self, key: tuple[Hashable, ...], compute: Callable[[], T]) -> T:
        """Answers computed once per process: the statistics do not change while it runs.

        Pages keep what they render from the statistics here too (the atlas page,
        its figures and downloads), under keys that name the page.

        Kept in a least-recently-used table of MEMO_SIZE entries, so a crawler asking
        every origin, year and language cannot grow the process without bound.
        """
        return self._memo.get(key, compute)

    def kept_body(self, key: tuple[Hashable, ...], compute: Callable[[], K]) -> K:
        """A response body (or a page's fragments) that every reader asking `key` gets alike,
        built once and kept.

        For the long lists (every fact, every source, the incidents), whose
        serialising or rendering cost more than everything else their route
        does. The key must name everything the value depends on: the question,
        the language, the audience (public or restricted) and, for the registry,
        its change counter. The table is bounded by the characters it holds
        (BODY_BYTES), not by entries, because one list can weigh a megabyte.
        """
        return self._bodies.get(key, compute)

    def lottery(
        self, origin: str, year: int | None, rate: str, scope: str = "all"
    ) -> dict[str, Any]:
        """Destinations ranked by rate for one origin and year, within a scope (docs/web.md)."""
        store, n = self.store(), self.settings.small_n
        result: dict[str, Any] = self.remember(
            ("lottery", origin, year, rate, scope),
            lambda: stats_view.lottery(store, origin, year, rate, n, scope),
        )
        return result

    def rates(self, origin: str, destination: str | None, rate: str) -> dict[str, Any]:
        """Rates by year for one origin (the largest destinations, or one)."""
        store, n = self.store(), self.settings.small_n
        result: dict[str, Any] = self.remember(
            ("rates", origin, destination, rate),
            lambda: stats_view.series(store, origin, destination, rate, n),
        )
        return result

    def destination_rates(self, destination: str, year: int | None, rate: str) -> dict[str, Any]:
        """How nationals of each FSU origin fare in one destination."""
        store, n = self.store(), self.settings.small_n
        result: dict[str, Any] = self.remember(
            ("dest", destination, rate),
            lambda: stats_view.destination_rates(store, destination, rate, n),
        )
        return result

    def heatmap(self, year: int | None, rate: str, scope: str = "all") -> dict[str, Any]:
        """FSU origins against the destinations (within a scope) deciding most claims."""
        store, n = self.store(), self.settings.small_n
        result: dict[str, Any] = self.remember(
            ("heatmap", year, rate, scope),
            lambda: stats_view.heatmap(store, year, rate, n, scope),
        )
        return result

    def small_counts(self) -> dict[str, int]:
        """How small counts appear in the UNHCR decision cells (for the About page)."""
        store = self.store()
        result: dict[str, int] = self.remember(("small-counts",), store.unhcr_small_counts)
        return result

    def origin_figures(self, origin: str) -> dict[str, Any]:
        """Refusals of entry and returns of one origin's nationals, by reporting state."""
        store = self.store()
        result: dict[str, Any] = self.remember(
            ("origin-figures", origin), lambda: stats_view.origin_figures(store, origin)
        )
        return result

    def host_figures(self, destination: str) -> dict[str, Any]:
        """Applications, refusals of entry and returns of FSU nationals in one state."""
        store = self.store()
        result: dict[str, Any] = self.remember(
            ("host", destination), lambda: stats_view.host_figures(store, destination)
        )
        return result

    def rate_definitions(self) -> list[dict[str, Any]]:
        """Every definition the statistics outputs carry (formulas in the store's terms)."""
        return [{"name": name, "definition": text} for name, text in DEFINITIONS.items()]

    def statistics_sources(self) -> list[dict[str, Any]]:
        """Every file the statistics database was built from, with its provenance."""
        return [stats_view.source_record(p) for p in self.store().provenance()]

    # Knowledge base ---------------------------------------------------------
    def warm(self) -> None:
        """Load the knowledge base, the incident index and the statistics before serving.

        A part that is not available yet (statistics not built, say) is left for the
        pages that need it to report, as they do on every request.
        """
        for load in (self.loaded, self.store):
            try:
                load()
            except AzylError as exc:
                log.info("not loaded at start-up: %s", exc.message)

    def loaded(self) -> adapters.Loaded:
        """Knowledge base, incident index and screening context, loaded once per process.

        The incident index is reloaded whenever the registry's change counter
        differs from the one it was loaded at (one primary-key read per call),
        so an edit made through any worker process, or the command line, is
        seen by every worker on its next request (docs/editing.md).
        """
        engine = self.app_engine()
        seen = counter.read(engine)
        if "loaded" in self._cache and self._cache.get("registry_counter") == seen:
            loaded: adapters.Loaded = self._cache["loaded"]
            return loaded
        with self._lock:
            seen = counter.read(engine)
            if "loaded" not in self._cache or self._cache.get("registry_counter") != seen:
                old = self._cache.get("loaded") or adapters.load(self.settings, engine)
                index = load_incident_index(engine)
                self._cache["loaded"] = replace(
                    old, incidents=index, context=replace(old.context, incidents=index)
                )
                self._cache["registry_counter"] = seen
            loaded = self._cache["loaded"]
        return loaded

    def knowledge_base(self) -> KnowledgeBase:
        """The knowledge base, loaded and validated once per process."""
        return self.loaded().kb

    def kb_version(self) -> dict[str, Any]:
        version: dict[str, Any] = self.knowledge_base().version.to_dict()
        return version

    def facts(
        self,
        state: str | None,
        kind: str | None,
        as_of: date | None,
        profile: str | None = None,
        nationality: str | None = None,
        order: Order = NEWEST_FACTS,
    ) -> dict[str, Any]:
        """Facts matching the filters (every period when `as_of` is None), newest first.

        Computed once per filter and order: the knowledge base does not change
        while the process runs.
        """
        kb = self.knowledge_base()

        def compute() -> dict[str, Any]:
            found = find_facts(
                kb, on=as_of, state=state, kind=kind, profile=profile, nationality=nationality
            )
            items = sort_rows([f.to_dict() for f in found], order, FACT_SORTS, tie="id")
            return {"items": items, "total": len(items), "kb_version": kb.version.label}

        key = ("facts", state, kind, as_of, profile, nationality, order)
        result: dict[str, Any] = self.remember(key, compute)
        return result

    def fact(self, fact_id: str) -> dict[str, Any]:
        """One fact, its citations carrying the title of the source they cite."""
        kb = self.knowledge_base()
        data: dict[str, Any] = get_fact(kb, fact_id).to_dict()
        for citation in data["citations"]:
            source = kb.sources.get(citation["source"])
            citation["source_title"] = source.title if source else None
        data["kb_version"] = kb.version.label
        return data

    def kb_sources(self) -> list[dict[str, Any]]:
        kb = self.knowledge_base()
        return [kb.sources[key].to_dict() for key in sorted(kb.sources)]

    def kb_source(self, source_id: str) -> dict[str, Any]:
        """One source record with the facts that cite it."""
        kb = self.knowledge_base()
        data: dict[str, Any] = get_source(kb, source_id).to_dict()
        data["facts"] = [
            {"id": f.id, "statement": f.statement, "statement_ru": f.statement_ru}
            for f in kb.citing(source_id)
        ]
        return data

    # Search -----------------------------------------------------------------
    def search_index(self, include_restricted: bool) -> Index:
        """The full-text index of facts, sources and the incidents this audience may see.

        Built on first use and again after the registry changes (the change
        counter that reloads the incident index); stems are cached across
        builds, so a rebuild after an edit is quick.
        """
        loaded = self.loaded()
        name, stamp = f"search-{include_restricted}", self._cache.get("registry_counter")
        cached = self._cache.get(name)
        if cached is not None and cached[0] == stamp:
            index: Index = cached[1]
            return index
        with self._lock:
            cached = self._cache.get(name)
            if cached is not None and cached[0] == stamp:  # built by another request meanwhile
                return cached[1]  # type: ignore[no-any-return]
            views = (
                find_incidents(self.incident_engine(), visibility="all")
                if include_restricted
                else loaded.incidents.incidents
            )
            index = Index.build(documents(loaded.kb, views))
            self._cache[name] = (stamp, index)
        return index

    def search(
        self, text: str, kind: str | None, lang: str, include_restricted: bool, limit: int
    ) -> dict[str, Any]:
        """Facts, sources and incidents holding every word of `text`, grouped by kind.

        Each group counts everything found and lists its best `limit` results
        with a snippet in the reader's language where there is one.
        """
        terms = parse_query(text)
        found = self.search_index(include_restricted).search(terms, lang) if terms else []
        groups: list[dict[str, Any]] = []
        for name in SEARCH_KINDS:
            if kind and name != kind:
                continue
            ranked = [r for r in found if r.document.kind == name]
            items = [search_item(r.hit()) for r in ranked[:limit]]
            groups.append({"kind": name, "total": len(ranked), "items": items})
        total = sum(g["total"] for g in groups)
        return {"query": text, "words": len(terms), "total": total, "groups": groups}

    def kb_coverage(self, on: date) -> CoverageReport:
        """What the knowledge base covers on a date (the main destinations, or every Dublin
        state when the statistics are not built), computed once per date."""
        kb, path = self.knowledge_base(), self.settings.stats_db_path
        report: CoverageReport = self.remember(("coverage", on), lambda: kb_coverage(kb, path, on))
        return report

    # Application data -------------------------------------------------------
    def app_engine(self) -> Engine:
        """The application database (registry, accounts, cases, audit), migrated on first use."""
        if "engine" not in self._cache:
            with self._lock:
                if "engine" not in self._cache:
                    self._cache["engine"] = open_database(self.settings)
        database: Engine = self._cache["engine"]
        return database

    incident_engine = app_engine

    def vault(self) -> Vault:
        """The keyring's cipher for personal data.

        The keyring is created on first use only for a database that holds
        nothing encrypted; otherwise a missing keyring is a ConfigError
        (`azyl.keys.guard`), and the app refuses to start (`create_app`).
        """
        if "vault" not in self._cache:
            keyring = keyring_for(self.settings, self.app_engine())
            self._cache["vault"] = Vault(keyring, self.settings)
        vault: Vault = self._cache["vault"]
        return vault

    # Incidents --------------------------------------------------------------

    def incident_catalogue(self) -> SourceCatalogue:
        """The knowledge-base sources and states an incident may cite, read once."""
        if "catalogue" not in self._cache:
            self._cache["catalogue"] = catalogue_for(self.settings)
        catalogue: SourceCatalogue = self._cache["catalogue"]
        return catalogue

    def incident_rules(self) -> Rules:
        """The validation rules of `azyl incidents import`, on this server's knowledge base."""
        return import_rules(self.incident_catalogue())

    def incident_record(self, incident_id: str) -> dict[str, Any]:
        """An incident's full document (restricted fields included), for the edit form."""
        view = get_incident(self.incident_engine(), incident_id, visibility="all")
        document: dict[str, Any] = view.record().to_document()
        return document

    def incident_views(self, include_restricted: bool) -> Sequence[IncidentView]:
        """Every incident the audience may see: the public snapshot held in memory (reloaded
        when the registry changes), or the whole registry from the database for the team."""
        if include_restricted:
            return find_incidents(self.incident_engine(), visibility="all")
        return self.loaded().incidents.incidents

    def incidents(
        self, filters: dict[str, Any], include_restricted: bool, order: Order = NEWEST_FIRST
    ) -> dict[str, Any]:
        """Incidents matching the filters, in the order asked (newest first by default)."""
        views = select_incidents(self.incident_views(include_restricted), filters, order)
        items = [incident_document(v) for v in views]
        return {"items": items, "total": len(items)}

    def public_incidents(self, filters: dict[str, Any]) -> dict[str, Any]:
        """Public incidents matching the filters, kept until the registry changes (its
        change counter is one primary-key read), for pages every visitor sees alike."""
        seen = counter.read(self.app_engine())
        key = ("public-incidents", tuple(sorted(filters.items())), seen)
        result: dict[str, Any] = self.remember(key, lambda: self.incidents(filters, False))
        return result

    def incident(self, incident_id: str, include_restricted: bool) -> dict[str, Any]:
        """One incident with its sources (knowledge-base sources carry their titles).

        A public incident comes from the registry's snapshot in memory, which
        `loaded` keeps as current as the database (a query and four ORM loads
        were most of the page's time); the team's view reads the database.
        """
        if include_restricted:
            view = get_incident(self.incident_engine(), incident_id, visibility="all")
        else:
            view = self.loaded().incidents.get(incident_id)
        doc = incident_document(view)
        sources = self.knowledge_base().sources
        for ref in doc["sources"]:
            if ref.get("source") and ref["source"] in sources and not ref.get("title"):
                ref["title"] = sources[ref["source"]].title
        return doc

    # Screening --------------------------------------------------------------
    def screening_vocabularies(self) -> dict[str, dict[str, str]]:
        """The screening engine's vocabularies (stages, roles, actions, wanted...)."""
        return screening_catalog()

    def profile_schema(self) -> dict[str, Any]:
        return engine.case_profile_schema()

    def assess(self, profile: dict[str, Any]) -> tuple[engine.Assessment, engine.CaseProfile]:
        """Validate a case profile and screen it: (assessment, case). Nothing is stored."""
        case = engine.parse_case(profile)
        return engine.assess(case, self.assessment_context()), case

    def assessment_context(self) -> engine.Context:
        """The engine's view of the knowledge base, statistics and incidents (built once)."""
        return self.loaded().context

    def report(
        self,
        assessment: engine.Assessment,
        case: engine.CaseProfile,
        lang: str,
        base_url: str = "",
    ) -> Report:
        """The report of a screening, with the evidence appendix resolved from the stores.

        `base_url` prefixes the links to facts and incidents: "" on a page of this
        site, the site's address in a downloaded file (a PDF has no site of its own).
        """
        loaded = self.loaded()
        data = assessment.to_dict(lang)  # the engine's sentences in the reader's language
        appendix = evidence_appendix(data, loaded.kb, loaded.incidents.incidents)
        case_data = case.model_dump(mode="json")
        return build_report(
            data, case_data, lang, base_url=base_url, appendix=appendix, text_lang=lang
        )


def _weight(value: bytes | str | tuple[Any, ...]) -> int:
    """What a kept value counts against BODY_BYTES: its length (a number counts 8)."""
    if isinstance(value, tuple):
        return sum(len(part) if isinstance(part, str | bytes) else 8 for part in value)
    return len(value)

"""`azyl sources`, `azyl rates`, `azyl lottery`: the statistics atlas on the command line.

Thin commands over `azyl.stats`; the output formats follow the CLI contract:
`--format json` prints `{"data": ..., "meta": ...}` with ISO alpha-3 codes and
rates as fractions; `table` is for people; `csv` is for spreadsheets.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.table import Table

from azyl import countries
from azyl.config import Settings
from azyl.csvcells import neutralise
from azyl.stats import LotteryResult, RatesResult, latest_year, lottery, open_store, rates
from azyl.store.queries import StatsStore

FORMATS = ["table", "json", "csv"]
F = TypeVar("F", bound=Callable[..., Any])


def _store(settings: Settings) -> StatsStore:
    return open_store(settings.stats_db_path)


def _console() -> Console:
    """Wide enough for the tables when the output is a pipe or a file."""
    console = Console()
    return console if console.is_terminal else Console(width=160, no_color=True)


def _json(document: dict[str, Any]) -> None:
    click.echo(json.dumps(document, indent=2, ensure_ascii=False))


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.1f}"


def _ci(pair: tuple[float, float] | None) -> str:
    return "" if pair is None else f"{pair[0] * 100:.1f}-{pair[1] * 100:.1f}"


def _num(value: int | None) -> str:
    return "" if value is None else f"{value:,}"


@click.command("sources")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.option("--problems", is_flag=True, help="Also list the problems found in each file.")
@click.pass_obj
def sources_command(settings: Settings, fmt: str, problems: bool) -> None:
    """List the loaded files with their provenance (publisher, release, sha256, licence)."""
    with _store(settings) as store:
        records = store.provenance()
        found = store.problems()
        info = store.build_info()
    if fmt == "json":
        data = [r.to_dict() for r in records]
        _json({"data": data, "meta": {"build": info, "problems": [p.__dict__ for p in found]}})
        return
    table = Table(title=f"Statistics database {settings.stats_db_path} (built {info['built_at']})")
    for name in ("id", "publisher", "dataset", "file", "release", "rows", "skipped", "sha256"):
        table.add_column(name, overflow="fold")
    for r in records:
        table.add_row(str(r.id), r.publisher, r.dataset, r.file_name, r.release,
                      _num(r.rows_loaded), _num(r.rows_skipped), r.sha256[:16])  # fmt: skip
    console = _console()
    console.print(table)
    console.print(f"licences: {'; '.join(sorted({r.licence for r in records}))}")
    if problems:
        for p in found:
            line = "" if p.line is None else f" line {p.line}"
            console.print(f"[{p.provenance_id}]{line}: {p.problem}", markup=False)


def _origin_option() -> Callable[[F], F]:
    return click.option(
        "--origin", required=True, help="Nationality: ISO code (RUS, RU) or English name."
    )


@click.command("rates")
@_origin_option()
@click.option("--year", type=int, help="Year of decision (default: every year).")
@click.option("--asylum", help="Country of asylum: ISO code or English name (default: all).")
@click.option("--source", type=click.Choice(["UNHCR", "Eurostat"], case_sensitive=False))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table")
@click.pass_obj
def rates_command(
    settings: Settings,
    origin: str,
    year: int | None,
    asylum: str | None,
    source: str | None,
    fmt: str,
) -> None:
    """First-instance recognition and protection rates, with 95% intervals."""
    with _store(settings) as store:
        result = rates(store, origin, year, asylum, source, small_n=settings.small_n)
    if fmt == "json":
        _json(result.to_dict())
    elif fmt == "csv":
        _rates_csv(result)
    else:
        _rates_table(result)


def _rates_csv(result: RatesResult) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    rows = [r.to_dict() for r in result.rows]
    header: list[str] = []
    for key in rows[0]:
        if key.endswith("_ci"):
            header += [f"{key}_low", f"{key}_high"]
        elif key != "components":
            header.append(key)
    writer.writerow(header)
    for row in rows:
        out: list[object] = []
        for key, value in row.items():
            if key.endswith("_ci"):
                out += value if value else ["", ""]
            elif key in ("flags", "procedure_types"):
                out.append(" ".join(value))
            elif key != "components":
                out.append("" if value is None else value)
        writer.writerow([neutralise(cell) for cell in out])  # no cell a spreadsheet would run


def _rates_table(result: RatesResult) -> None:
    query = result.meta["query"]
    title = f"First-instance outcomes for nationals of {countries.name(query['origin'])}"
    table = Table(title=title)
    for name in ("year", "asylum", "source", "level", "basis", "recognized", "complem.",
                 "rejected", "closed", "decided", "recog. %", "protect. %", "95% CI",
                 "closed %"):  # fmt: skip
        table.add_column(name, justify="right" if name not in ("asylum", "source") else "left")
    for r in result.rows:
        mark = " *" if r.small_n else ""
        table.add_row(
            f"{r.year}{PROVISIONAL_MARK if r.provisional else ''}",
            f"{r.asylum} {countries.name(r.asylum)}", r.source, r.decision_level,
            r.basis, _num(r.recognized), _num(r.complementary), _num(r.rejected),
            _num(r.closed), _num(r.total_decided) + mark, _pct(r.recognition_rate),
            _pct(r.protection_rate), _ci(r.protection_rate_ci), _pct(r.closed_share),
        )  # fmt: skip
    console = _console()
    console.print(table)
    _footer(console, result.meta, any(r.provisional for r in result.rows))


#: Marks a year whose figures are the first published for it (`RateRow.provisional`).
PROVISIONAL_MARK = "†"


def _footer(console: Console, meta: dict[str, Any], provisional: bool) -> None:
    defs = meta["definitions"]
    console.print(f"* fewer than {meta['small_n_threshold']} decisions (small number)")
    if provisional:
        year = meta["provisional_year"]["UNHCR"]
        console.print(
            f"{PROVISIONAL_MARK} provisional: {year} is the latest year of this UNHCR release; "
            "the next release may revise its figures",
            highlight=False,
        )
    console.print(f"protection rate = {defs['protection_rate']}; closed cases excluded")
    for line in meta["cite"]:
        console.print(f"source: {line}", markup=False, highlight=False)


@click.command("lottery")
@_origin_option()
@click.option("--year", type=int, help="Year of decision (default: the latest with data).")
@click.option("--min-decisions", type=int, default=50, show_default=True,
              help="Destinations with fewer decisions are listed but not ranked.")  # fmt: skip
@click.option("--source", type=click.Choice(["UNHCR", "Eurostat"], case_sensitive=False),
              default="UNHCR", show_default=True)  # fmt: skip
@click.option("--scope", type=click.Choice(list(countries.SCOPES)), default="all",
              show_default=True,
              help="Destinations: every country of asylum, or EU+ and the UK.")  # fmt: skip
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.pass_obj
def lottery_command(
    settings: Settings,
    origin: str,
    year: int | None,
    min_decisions: int,
    source: str,
    scope: str,
    fmt: str,
) -> None:
    """Destinations ranked by protection rate for one nationality, and how far they spread."""
    with _store(settings) as store:
        if year is None:
            year = latest_year(store, origin, source)
        result = lottery(store, origin, year, min_decisions, source=source,
                         small_n=settings.small_n, scope=scope)  # fmt: skip
    if fmt == "json":
        _json(result.to_dict())
    else:
        lottery_table(result, _console())


def lottery_table(result: LotteryResult, console: Console) -> None:
    """Print the lottery table and its dispersion figures (also used by scripts/start.py)."""
    query = result.meta["query"]
    name = countries.name(query["origin"])
    provisional = any(e.row.provisional for e in result.destinations)
    mark = PROVISIONAL_MARK if provisional else ""
    table = Table(title=f"The asylum lottery: nationals of {name}, {query['year']}{mark} "
                        f"({query['source']}, first instance)")  # fmt: skip
    for col in ("rank", "destination", "level", "decided", "protection %", "95% CI",
                "recognition %", "closed %"):  # fmt: skip
        table.add_column(col, justify="left" if col == "destination" else "right")
    for e in result.destinations:
        r = e.row
        table.add_row(
            str(e.rank) if e.rank else "-", f"{r.asylum} {countries.name(r.asylum)}",
            r.decision_level, _num(r.total_decided) + (" *" if r.small_n else ""),
            _pct(r.protection_rate), _ci(r.protection_rate_ci), _pct(r.recognition_rate),
            _pct(r.closed_share),
        )  # fmt: skip
    console.print(table)
    d = result.dispersion
    if d is not None:
        ratio = "n/a (lowest rate is 0)" if d.ratio is None else f"{d.ratio:.1f}x"
        console.print(
            f"highest {d.highest.rate * 100:.1f}% ({', '.join(d.highest.states)}), "
            f"lowest {d.lowest.rate * 100:.1f}% ({', '.join(d.lowest.states)}); "
            f"ratio {ratio}; range {d.range_pp:.1f} pp; IQR {d.iqr_pp:.1f} pp; "
            f"median {d.median * 100:.1f}%; decision-weighted mean {d.weighted_mean * 100:.1f}% "
            f"over {d.destinations} destinations, {d.decisions:,} decisions",
            highlight=False,
        )
    console.print(result.meta["note"], highlight=False)
    _footer(console, result.meta, provisional)


COMMANDS = [sources_command, rates_command, lottery_command]

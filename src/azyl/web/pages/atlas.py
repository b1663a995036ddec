"""Atlas (home): the asylum lottery for one origin and year, with its figures and downloads."""

from __future__ import annotations

import csv
import io
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from azyl import countries
from azyl.charts.png import svg_to_png
from azyl.csvcells import neutralise
from azyl.web import figures
from azyl.web.deps import Lang, Svc
from azyl.web.params import DEFAULT_RATE, Origin, Rate, Scope, Year, attempt
from azyl.web.services import Services
from azyl.web.session import current_user
from azyl.web.templating import render_html, respond

router = APIRouter()


def atlas_data(
    services: Services, origin: str, year: int | None, rate: str, scope: str = "europe"
) -> dict[str, Any]:
    """Everything the atlas shows; missing parts come back as a reason, not as data."""
    lottery, missing = attempt(services.lottery, origin, year, rate, scope)
    data: dict[str, Any] = {"lottery": lottery, "missing": missing}
    if lottery is not None:
        data["heatmap"], _ = attempt(services.heatmap, lottery["year"], rate, scope)
        data["series"], _ = attempt(services.rates, origin, None, rate)
    return data


@router.get("/", response_class=HTMLResponse)
async def atlas(
    request: Request, services: Svc, lang: Lang, origin: Origin = "RUS", year: Year = None,
    rate: Rate = DEFAULT_RATE, scope: Scope = "europe",
) -> HTMLResponse:  # fmt: skip
    """The home page. The statistics do not change while the server runs, so for visitors
    who are not signed in the page is rendered once per question and language and then
    served from memory (async, so the cached answer does not queue for a worker thread).
    A signed-in page carries its reader's name and form token, so it is never kept."""
    code = countries.alpha3(origin)
    if current_user(request) is not None:
        html = await run_in_threadpool(
            _atlas_html, request, services, lang, code, year, rate, scope
        )
        return respond(request, html, lang)
    key = ("atlas-page", code, year, rate, scope, str(request.url.query), lang)
    html = services.remember(
        key, lambda: _atlas_html(request, services, lang, code, year, rate, scope)
    )
    return respond(request, html, lang)


def _atlas_html(
    request: Request,
    services: Services,
    lang: str,
    code: str,
    year: int | None,
    rate: str,
    scope: str,
) -> str:
    data = atlas_data(services, code, year, rate, scope)
    svgs = {}
    if data["lottery"] is not None:
        key = ("atlas-svgs", code, data["lottery"]["year"], rate, scope, lang)
        svgs = services.remember(key, lambda: atlas_figures(data, lang))
    context = {
        "title": "Atlas",
        "origin": code,
        "year": year,
        "rate": rate,
        "scope": scope,
        "origins": countries.FSU_ORIGINS,
        "svgs": svgs,
        "map_height": round(figures.MAP_HEIGHT),
        **data,
    }
    return render_html(request, "atlas.html", context, lang)


def atlas_figures(data: dict[str, Any], lang: str) -> dict[str, str]:
    """The four figures of the atlas as SVG (computed once per question and language)."""
    svgs = {"bars": figures.lottery_bars(data["lottery"], lang)}
    if data.get("heatmap"):
        svgs["heatmap"] = "yes"  # served as an image from /atlas/heatmap.svg
    if data.get("series"):
        svgs["series"] = "yes"  # served as an image from /atlas/series.svg
    return svgs


Chart = Literal["lottery", "map", "heatmap", "series"]


@router.get("/atlas/{chart}.{ext}")
def atlas_download(
    services: Svc, lang: Lang, chart: Chart, ext: Literal["svg", "png", "csv"],
    origin: Origin = "RUS", year: Year = None, rate: Rate = DEFAULT_RATE,
    scope: Scope = "europe", narrow: bool = False,
) -> Response:  # fmt: skip
    """A figure of the atlas as SVG or PNG, or the lottery table as CSV (built once, kept);
    `narrow` asks for the phone rendition of the time series (its key below the plot)."""
    code = countries.alpha3(origin)
    lottery = services.lottery(code, year, rate, scope)
    key = ("download", chart, ext, code, lottery["year"], rate, scope, lang, narrow)
    content, media_type = services.remember(
        key, lambda: _download(services, lottery, chart, ext, rate, lang, narrow)
    )
    filename = f"azyl-{chart}-{code}-{lottery['year']}.{ext}"
    disposition = {"content-disposition": f'attachment; filename="{filename}"'}
    return Response(content, media_type=media_type, headers=disposition)


def _download(
    services: Services, lottery: dict[str, Any], chart: str, ext: str, rate: str, lang: str,
    narrow: bool = False,
) -> tuple[bytes, str]:  # fmt: skip
    """The bytes and media type of one download."""
    if ext == "csv":
        return lottery_csv(lottery).encode("utf-8"), "text/csv; charset=utf-8"
    if chart == "lottery":
        svg = figures.lottery_bars(lottery, lang)
    elif chart == "map":
        svg = figures.lottery_map(lottery, lang)
    elif chart == "heatmap":
        svg = figures.heatmap(services.heatmap(lottery["year"], rate, lottery["scope"]), lang)
    else:
        svg = figures.series(services.rates(lottery["origin"], None, rate), lang, narrow)
    if ext == "png":
        return svg_to_png(svg), "image/png"
    return svg.encode("utf-8"), "image/svg+xml"


def lottery_csv(lottery: dict[str, Any]) -> str:
    """The ranked table with its provenance, one destination per row."""
    out = io.StringIO()
    columns = ["origin", "year", "rate_name", "destination", "decisions", "positive", "rate",
               "low", "high", "small_n", "provenance"]  # fmt: skip
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    provenance = " ".join(p["id"] for p in lottery.get("provenance", []))
    for row in lottery["rows"]:
        cells = {"origin": lottery["origin"], "year": lottery["year"],
                 "rate_name": lottery["rate"], "provenance": provenance,
                 **{k: row.get(k) for k in columns[3:10]}}  # fmt: skip
        writer.writerow({k: neutralise(v) for k, v in cells.items()})  # no formula, ever
    return out.getvalue()

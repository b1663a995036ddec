"""Atlas (home): the asylum lottery for one origin and year, with its figures and downloads."""

from __future__ import annotations

import csv
import io
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from azyl import countries
from azyl.charts.png import svg_to_png
from azyl.web import figures
from azyl.web.deps import Lang, Svc
from azyl.web.services import NotAvailable, Services
from azyl.web.templating import render

router = APIRouter()

Origin = Annotated[str, Query(description="Country of origin (ISO code or English name).")]
Year = Annotated[int | None, Query(ge=1951, le=2100, description="Decision year.")]
Rate = Annotated[str, Query(pattern="^[a-z_]{1,40}$", description="Which rate to rank by.")]
DEFAULT_RATE = "protection_rate"


def _attempt(call: Any, *args: Any) -> tuple[Any, str | None]:
    """(result, None), or (None, why) when that part of azyl is not available."""
    try:
        return call(*args), None
    except NotAvailable as exc:
        return None, exc.message


def atlas_data(services: Services, origin: str, year: int | None, rate: str) -> dict[str, Any]:
    """Everything the atlas shows; missing parts come back as a reason, not as data."""
    lottery, missing = _attempt(services.lottery, origin, year, rate)
    data: dict[str, Any] = {"lottery": lottery, "missing": missing}
    if lottery is not None:
        data["heatmap"], _ = _attempt(services.heatmap, lottery["year"], rate)
        data["series"], _ = _attempt(services.rates, origin, None, rate)
    return data


@router.get("/", response_class=HTMLResponse)
def atlas(
    request: Request, services: Svc, lang: Lang, origin: Origin = "RUS", year: Year = None,
    rate: Rate = DEFAULT_RATE,
) -> HTMLResponse:  # fmt: skip
    code = countries.alpha3(origin)
    data = atlas_data(services, code, year, rate)
    svgs = {}
    if data["lottery"] is not None:
        svgs["bars"] = figures.lottery_bars(data["lottery"], lang)
        svgs["map"] = figures.lottery_map(data["lottery"], lang)
        if data.get("heatmap"):
            svgs["heatmap"] = figures.heatmap(data["heatmap"], lang)
        if data.get("series"):
            svgs["series"] = figures.series(data["series"], lang)
    context = {
        "title": "Atlas",
        "origin": code,
        "year": year,
        "rate": rate,
        "origins": countries.FSU_ORIGINS,
        "svgs": svgs,
        **data,
    }
    return render(request, "atlas.html", context, lang)


Chart = Literal["lottery", "map", "heatmap", "series"]


@router.get("/atlas/{chart}.{ext}")
def atlas_download(
    services: Svc, lang: Lang, chart: Chart, ext: Literal["svg", "png", "csv"],
    origin: Origin = "RUS", year: Year = None, rate: Rate = DEFAULT_RATE,
) -> Response:  # fmt: skip
    """A figure of the atlas as SVG or PNG, or the lottery table as CSV."""
    code = countries.alpha3(origin)
    lottery = services.lottery(code, year, rate)
    name = f"azyl-{chart}-{code}-{lottery['year']}"
    if ext == "csv":
        return Response(lottery_csv(lottery), media_type="text/csv; charset=utf-8",
                        headers=_attachment(f"{name}.csv"))  # fmt: skip
    if chart == "lottery":
        svg = figures.lottery_bars(lottery, lang)
    elif chart == "map":
        svg = figures.lottery_map(lottery, lang)
    elif chart == "heatmap":
        svg = figures.heatmap(services.heatmap(lottery["year"], rate), lang)
    else:
        svg = figures.series(services.rates(code, None, rate), lang)
    if ext == "png":
        return Response(svg_to_png(svg), media_type="image/png", headers=_attachment(f"{name}.png"))
    return Response(svg, media_type="image/svg+xml", headers=_attachment(f"{name}.svg"))


def _attachment(filename: str) -> dict[str, str]:
    return {"content-disposition": f'attachment; filename="{filename}"'}


def lottery_csv(lottery: dict[str, Any]) -> str:
    """The ranked table with its provenance, one destination per row."""
    out = io.StringIO()
    columns = ["origin", "year", "rate_name", "destination", "decisions", "positive", "rate",
               "low", "high", "small_n", "provenance"]  # fmt: skip
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    provenance = " ".join(p["id"] for p in lottery.get("provenance", []))
    for row in lottery["rows"]:
        writer.writerow({"origin": lottery["origin"], "year": lottery["year"],
                         "rate_name": lottery["rate"], "provenance": provenance,
                         **{k: row.get(k) for k in columns[3:10]}})  # fmt: skip
    return out.getvalue()

"""The atlas's figures as SVG, built from the services' data in the reader's language.

Pages inline these SVGs and the download routes serve them (or their PNG);
both call the same functions so a download is exactly what the page showed.
"""

from __future__ import annotations

from typing import Any

from azyl import charts
from azyl.i18n import country_name, formats, translations
from azyl.web.stats_view import MIN_DECISIONS


def t(lang: str, message: str) -> str:
    """Translate `message` into `lang` (extracted by pybabel with the `t:2` keyword)."""
    return translations(lang).gettext(message)


def rate_name(rate: str, lang: str) -> str:
    """The rate's name as a title starts it (Protection rate, Доля признания)."""
    return {
        "protection_rate": t(lang, "Protection rate"),
        "recognition_rate": t(lang, "Recognition rate"),
    }[rate]


def fewer_than(lang: str) -> str:
    """What grey means on the maps and the heat map (the threshold read from the code)."""
    return t(lang, "fewer than %(n)s decisions") % {"n": formats.number(MIN_DECISIONS, lang)}


def lottery_bars(lottery: dict[str, Any], lang: str) -> str:
    """Destinations ranked by rate, with intervals and decision counts."""
    origin = country_name(lottery["origin"], lang)
    decisions = t(lang, "decisions")
    rows = [
        charts.BarRow(
            label=country_name(r["destination"], lang),
            value=r["rate"],
            low=r.get("low"),
            high=r.get("high"),
            note=f"n = {formats.number(r['decisions'], lang)}",
            href=f"/countries/{r['destination']}",
            faint=bool(r.get("small_n")),
        )
        for r in lottery["rows"]
    ]
    title = t(lang, "%(rate)s for applicants from %(origin)s, %(year)s") % {
        "rate": rate_name(lottery["rate"], lang),
        "origin": origin,
        "year": lottery["year"],
    }
    desc = t(
        lang,
        "Destinations ranked by rate; whiskers show the 95%% interval; "
        "n is the number of %(decisions)s.",
    ) % {"decisions": decisions}
    return charts.ranked_bars(rows, title=title, desc=desc, axis_label=t(lang, "Rate"), lang=lang)


#: Height of the map in pixels (its width is 720), for the page's <img> size.
MAP_HEIGHT = (charts.europe.WINDOW[3] - charts.europe.WINDOW[1]) * 720 / (
    charts.europe.WINDOW[2] - charts.europe.WINDOW[0]
) + 50


def lottery_map(lottery: dict[str, Any], lang: str) -> str:
    """The same rates on a map of Europe; the origin outlined."""
    rates = {r["destination"]: r["rate"] for r in lottery["rows"] if not r.get("small_n")}
    names = {code: country_name(code, lang) for code in charts.europe.outlines()}
    origin = country_name(lottery["origin"], lang)
    return charts.europe_map(
        rates,
        title=t(lang, "Map: %(rate)s for applicants from %(origin)s, %(year)s")
        % {"rate": rate_name(lottery["rate"], lang), "origin": origin, "year": lottery["year"]},
        desc=t(lang, "Each country is coloured by its rate; grey means %(grey)s or none.")
        % {"grey": fewer_than(lang)},
        legend_label=t(lang, "Rate"),
        no_data=t(lang, "%(grey)s or none") % {"grey": fewer_than(lang)},
        lang=lang,
        names=names,
        highlight=lottery["origin"],
        hrefs={code: f"/countries/{code}" for code in rates},
    )


def heatmap(data: dict[str, Any], lang: str) -> str:
    """Origins x destinations for one year."""
    return charts.heatmap(
        [country_name(c, lang) for c in data["origins"]],
        [country_name(c, lang) for c in data["destinations"]],
        data["values"],
        title=t(lang, "%(rate)s by origin and destination, %(year)s")
        % {"rate": rate_name(data["rate"], lang), "year": data["year"]},
        desc=t(
            lang, "Rows are countries of origin, columns destinations; numbers are percentages."
        ),
        legend_label=t(lang, "Rate"),
        no_data=t(lang, "%(grey)s or none") % {"grey": fewer_than(lang)},
        lang=lang,
    )


#: Width of the phone rendition of the time series (its key below the plot).
NARROW = 360


def series(data: dict[str, Any], lang: str, narrow: bool = False) -> str:
    """Rates over the years for the largest destinations (at phone width when `narrow`)."""
    lines = [
        charts.Series(
            label=country_name(s["destination"], lang),
            points=[(p["year"], p["rate"], p.get("low"), p.get("high")) for p in s["points"]],
        )
        for s in data["series"]
    ]
    return charts.time_series(
        lines,
        title=t(lang, "%(rate)s over time for applicants from %(origin)s")
        % {"rate": rate_name(data["rate"], lang), "origin": country_name(data["origin"], lang)},
        desc=t(lang, "One line per destination; shaded bands are 95% intervals."),
        axis_label=t(lang, "Rate"),
        lang=lang,
        width=NARROW if narrow else 720,
    )

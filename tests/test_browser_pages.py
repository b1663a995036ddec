"""Every page a caseworker reads, in real Chromium at 390 and 1280 px, in English and Russian.

Three checks, each strict (issue 22):

- nothing is clipped: no element that hides its overflow holds more than it
  shows, no chart label runs outside its drawing, and at 390 px the page
  never scrolls sideways;
- a Russian page holds no English outside quoted data: every text node, the
  title and the attributes a reader meets (aria-label, placeholder, alt,
  title) are read, except inside elements marked as another language
  (`lang="en"`, as HTML marks a quote) or as data (`data-quoted`: ids, source
  titles, quotes) and inside code; a word counts as English when it has
  small Latin letters and no digit and is no id or code, except, in Russian
  prose, the names and terms Russian legal writing keeps in their own language
  when written as such (in «quotation marks», in parentheses after the term
  they gloss, or as a run of Latin words led by a capital: "Connection e.V.",
  "Högsta domstolen"); `test_the_language_check_flags_english_and_passes_names`
  holds these rules;
- every link of a report resolves: each href of the HTML report and each
  link annotation of the PDF report answers 200 on the running server (or
  is a fragment of the same report), and none points to a file.

Every page in PAGES is checked: the atlas, the countries index, two country
pages, the incident list, the whole and a filtered knowledge-base list, search,
and the pages of one fact, source, incident and saved case.
Screenshots go to test-artifacts/screenshots/pages-<name>-<lang>-<width>.png.
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest

from azyl.config import Settings
from browser_support import ARGS, CHROMIUM, photograph, serving_with_account, sign_in

pytestmark = pytest.mark.browser

WIDTHS = (390, 1280)
LANGS = ("en", "ru")
#: The case screened and saved for the signed-in pages: the screening form's own example.
CASE: dict[str, Any] = {
    "person": {"citizenship": ["TJK"], "profiles": ["political_activist"],
               "wanted": ["interpol_red_notice"]},
    "route": [{"country": "RUS", "role": "residence"},
              {"country": "POL", "role": "first_eu_entry", "fingerprinted": True}],
    "current_country": "DEU",
    "stage": "dublin_procedure",
    "proposed_action": {"type": "dublin_transfer", "to": "POL"},
    "as_of": "2024-05-01",
}  # fmt: skip
#: Latin words a Russian page may show as they are: the product's name, file-format names,
#: and n, the statistical symbol for a number of decisions (Russian texts use it too).
LATIN_ALLOWED = frozenset({"azyl", "Markdown", "MiB", "n"})
#: Pages in scope, by name: a path (with {case}, {fact}, {source}, {incident} filled in).
PAGES = {
    "screening": "/screening",
    "cases": "/cases",
    "case": "/cases/{case}",
    "case-edit": "/cases/{case}/edit",
    "account": "/account",
    "about": "/about",
    "incident": "/incidents/{incident}",
    "fact": "/kb/facts/{fact}",
    "source": "/kb/sources/{source}",
    "login": "/login",
    "atlas": "/",
    "countries": "/countries",
    "incidents": "/incidents",
    "incidents-tjk": "/incidents?origin=TJK",
    "kb-nor": "/kb?state=NOR",
    "country-rus": "/countries/RUS",
    "country-deu": "/countries/DEU",
    "kb": "/kb",
    "search": "/search?q=экстрадиция",
}

#: What the browser measures on a page: clipped boxes and labels, sideways scroll, English.
AUDIT_JS = r"""
(allowed) => {
  const name = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += '#' + el.id;
    const cls = el.getAttribute('class');
    if (cls) s += '.' + cls.trim().split(/\s+/).join('.');
    return s;
  };
  const rendered = (el) => el.getClientRects().length > 0;
  const clipped = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (!rendered(el) || el.closest('svg')) continue;
    const st = getComputedStyle(el);
    const hides = (v) => v === 'hidden' || v === 'clip';
    const sr = el.clientWidth <= 1 || el.clientHeight <= 1;  // visually hidden on purpose
    if (sr) continue;
    if ((hides(st.overflowX) || st.textOverflow === 'ellipsis')
        && el.scrollWidth > el.clientWidth + 1) {
      clipped.push(`${name(el)}: ${el.scrollWidth} px of content in ${el.clientWidth} px`);
    }
    if (hides(st.overflowY) && el.scrollHeight > el.clientHeight + 1) {
      clipped.push(`${name(el)}: ${el.scrollHeight} px tall in ${el.clientHeight} px`);
    }
  }
  for (const svg of document.querySelectorAll('svg')) {
    if (!rendered(svg)) continue;
    const box = svg.getBoundingClientRect();
    for (const t of svg.querySelectorAll('text')) {
      const r = t.getBoundingClientRect();
      if (r.width === 0) continue;
      if (r.left < box.left - 1 || r.right > box.right + 1
          || r.top < box.top - 1 || r.bottom > box.bottom + 1) {
        clipped.push(`chart label "${t.textContent}" runs outside its drawing`);
      }
    }
  }
  const english = [];
  const untranslated = [];
  const skip = 'script,style,template,noscript,code,kbd,samp,pre,[data-quoted],'
             + '[lang]:not([lang="ru"])';
  // A word is English when it has small Latin letters and is no code: acronyms (UNHCR),
  // tokens with digits (versions, dates), ids (two or more of - . _ / joining lower-case
  // parts, as in rus-interpol-abuse) and snake_case codes (migr_eirfs) are data, not prose.
  // In Russian prose (a text with Cyrillic letters), Latin words are the names and terms
  // Russian legal writing keeps in their own language, and are left out when written as
  // such: inside «quotation marks»; in parentheses after the Russian term they gloss
  // ("выдворения (pushbacks)"); or as a run of Latin words led by a capital (a name:
  // "Connection e.V.", "Homes for Ukraine", "OY (Chechen Muslim women) Russia CG").
  // A lower-case Latin word standing alone in Russian prose is English left over.
  const id = /^[a-z0-9]+([-._/:][a-z0-9]+){2,}$|^[a-z0-9]+(_[a-z0-9]+)+$/;
  const cyrillic = /[а-яё]/i;
  const names = (text) => {
    const kept = [];
    let run = null;
    for (const t of text.replace(/«[^»]*»/g, ' ').replace(/\([^()а-яё]*\)/gi, ' ').split(/\s+/)) {
      if (cyrillic.test(t)) { run = null; kept.push(t); continue; }
      if (!/[A-Za-z]/.test(t)) continue;  // punctuation and numbers neither start nor end a run
      if (run === null) run = /^[^\w]*[A-Z]/.test(t);
      if (!run) kept.push(t);
    }
    return kept.join(' ');
  };
  const latin = (text) => (cyrillic.test(text) ? names(text) : text).split(/\s+/)
    .map((t) => t.replace(/^[^\w]+|[^\w]+$/g, ''))
    .filter((t) => /[a-z]/.test(t) && !/\d/.test(t) && !id.test(t) && !allowed.includes(t));
  if (document.documentElement.lang === 'ru') {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || !latin(n.textContent).length) continue;
      const where = `${name(el)}: "${n.textContent.trim().slice(0, 120)}"`;
      if (el.closest('[data-untranslated]')) untranslated.push(where);
      else if (!el.closest(skip)) english.push(where);
    }
    const attrs = ['aria-label', 'placeholder', 'alt', 'title'];
    for (const el of document.body.querySelectorAll('*')) {
      if (el.closest(skip)) continue;
      for (const a of attrs) {
        const v = el.getAttribute(a);
        if (v && latin(v).length) english.push(`${name(el)}[${a}]: "${v.slice(0, 120)}"`);
      }
    }
    const title = document.querySelector('title');
    if (title && !title.closest(skip) && latin(document.title).length) {
      english.push(`title: "${document.title}"`);
    }
  }
  const scroll = document.documentElement.scrollWidth - document.documentElement.clientWidth;
  return {clipped, english, untranslated, scroll};
}
"""


@dataclass(frozen=True)
class Site:
    url: str
    username: str
    ids: dict[str, str]


@pytest.fixture(scope="module")
def site(built_settings: Settings) -> Iterator[Site]:
    """A real server with the incident seed and one caseworker, who saves one case."""
    with serving_with_account(built_settings, "caseworker", seed=True) as (url, name):
        yield Site(url, name, {})


@pytest.fixture(scope="module")
def playwright() -> Iterator[Any]:
    """One Playwright for the module (a second one cannot start beside it in a process)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        yield pw


def _profile(playwright: Any, tmp_path_factory: pytest.TempPathFactory, name: str) -> Any:
    """A fresh headless Chromium profile (its own cookies: one account per profile)."""
    return playwright.chromium.launch_persistent_context(
        str(tmp_path_factory.mktemp(name)), executable_path=str(CHROMIUM), headless=True, args=ARGS
    )


@pytest.fixture(scope="module")
def browser(site: Site, playwright: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A Chromium profile signed in as the caseworker, the case saved and the ids found."""
    context = _profile(playwright, tmp_path_factory, "pages-profile")
    page = context.new_page()
    sign_in(page, site.url, site.username, "/account")
    token = page.locator("meta[name=csrf-token]").get_attribute("content")
    context.csrf = token  # type: ignore[attr-defined]
    saved = page.request.post(
        site.url + "/api/cases",
        data=json.dumps({"title": "Т., активист", "profile": CASE}),
        headers={"X-CSRF-Token": token, "Content-Type": "application/json"},
    )
    assert saved.status == 201, saved.text()
    assessment = saved.json()["data"]["runs"][0]["assessment"]
    hops = [hop for pathway in assessment["pathways"] for hop in pathway["hops"]]
    cited = [fact for hop in hops for fact in hop["evidence"]["facts"]]
    incidents = [i for f in assessment["findings"] for i in f["evidence"]["incidents"]]
    fact = page.request.get(f"{site.url}/api/facts/{cited[0]}").json()["data"]
    site.ids.update(
        case=saved.json()["data"]["id"],
        fact=cited[0],
        source=fact["citations"][0]["source"],
        incident=incidents[0],
    )
    page.close()
    yield context
    context.close()


def audit(page: Any, shot: str) -> dict[str, Any]:
    """Photograph the page and measure it (AUDIT_JS), once its stylesheet has loaded.

    After a form is submitted the report's heading exists before the stylesheet is applied;
    measured then, the unstyled page (1,831 px wide at 390) scrolled sideways in one CI run.
    """
    page.wait_for_load_state("load")
    photograph(page, f"pages-{shot}.png")
    result: dict[str, Any] = page.evaluate(AUDIT_JS, sorted(LATIN_ALLOWED))
    return result


def problems(result: dict[str, Any], width: int) -> list[str]:
    found = [f"clipped: {c}" for c in result["clipped"]]
    found += [f"English on a Russian page: {e}" for e in result["english"]]
    if width < 1000 and result["scroll"] > 0:
        found.append(f"the page scrolls sideways by {result['scroll']} px")
    return found


def with_lang(path: str, lang: str) -> str:
    return f"{path}{'&' if '?' in path else '?'}lang={lang}"


#: The language check on a page written for it: each line is a text node and whether the
#: rules in AUDIT_JS's comment call it English left over (read from those rules, not run).
LANGUAGE_CASES = (
    ("Доля защиты by year", True),  # lower-case English in Russian prose
    ("Recognition rate", True),  # an English text with no Russian in it
    ("по данным taz", True),  # a lower-case name not written as one
    ("незаконные выдворения (pushbacks)", False),  # a gloss in parentheses
    ("по данным Connection e.V. и газеты «taz»", False),  # a name run; a quoted name
    ("В деле A v Minister for Justice суд решил", False),  # a case name led by a capital
    ("Евростат migr_eirfs", False),  # a dataset code
)


def test_the_language_check_flags_english_and_passes_names(browser: Any) -> None:
    page = browser.new_page()
    body = "".join(f"<p id='c{i}'>{text}</p>" for i, (text, _) in enumerate(LANGUAGE_CASES))
    quoted = "<p lang='en'>an English quote</p><p data-quoted>rus-interpol-abuse, raw data</p>"
    page.set_content(f"<html lang='ru'><body>{body}{quoted}</body></html>")
    english = page.evaluate(AUDIT_JS, sorted(LATIN_ALLOWED))["english"]
    page.close()
    flagged = {i for i, _ in enumerate(LANGUAGE_CASES) if any(f"p#c{i}:" in e for e in english)}
    assert flagged == {i for i, (_, expected) in enumerate(LANGUAGE_CASES) if expected}
    assert len(english) == len(flagged)  # nothing from the quote or the data


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", list(PAGES))
def test_page_fits_and_speaks_one_language(
    site: Site, browser: Any, name: str, lang: str, width: int
) -> None:
    page = browser.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    response = page.goto(site.url + with_lang(PAGES[name].format(**site.ids), lang))
    assert response is not None and response.status == 200
    assert page.locator("html").get_attribute("lang") == lang
    found = problems(audit(page, f"{name}-{lang}-{width}"), width)
    page.close()
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", LANGS)
def test_screening_result_fits_and_speaks_one_language(
    site: Site, browser: Any, lang: str, width: int
) -> None:
    """The form filled as a caseworker would, then the report as the page shows it."""
    page = browser.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{site.url}/screening?lang={lang}")
    fill_case(page)
    page.click("#screening-form button[type=submit]:not([formaction])")
    page.wait_for_selector("#report-title")
    found = problems(audit(page, f"screening-result-{lang}-{width}"), width)
    page.close()
    assert found == [], "\n".join(found)


def fill_case(page: Any) -> None:
    page.select_option("#citizenship", "TJK")
    page.check("#profile-political_activist")
    page.check("#wanted-interpol_red_notice")
    page.fill("#route-0-country", "RUS")
    page.select_option("#route-0-role", "residence")
    page.fill("#route-1-country", "POL")
    page.select_option("#route-1-role", "first_eu_entry")
    page.check("#route-1-fingerprinted")
    page.fill("#current_country", "DEU")
    page.select_option("#stage", "dublin_procedure")
    page.select_option("#action_type", "dublin_transfer")
    page.fill("#action_to", "POL")
    page.fill("#as_of", "2024-05-01")


def report_html(site: Site, browser: Any, origin: str, lang: str) -> str:
    """The HTML report of the screened case, downloaded as a caseworker downloads it."""
    request = browser.request
    if origin == "screening":
        response = request.post(
            f"{site.url}/screening/report.html?lang={lang}",
            form={"profile": json.dumps(CASE)},
            headers={"X-CSRF-Token": browser.csrf},
        )
    else:
        response = request.get(f"{site.url}/cases/{site.ids['case']}/export.html?lang={lang}")
    assert response.status == 200, response.text()[:300]
    text: str = response.text()
    return text


def report_pdf(site: Site, browser: Any, origin: str, lang: str) -> bytes:
    request = browser.request
    if origin == "screening":
        response = request.post(
            f"{site.url}/screening/report.pdf?lang={lang}",
            form={"profile": json.dumps(CASE)},
            headers={"X-CSRF-Token": browser.csrf},
        )
    else:
        response = request.get(f"{site.url}/cases/{site.ids['case']}/export.pdf?lang={lang}")
    assert response.status == 200
    assert response.body().startswith(b"%PDF")
    body: bytes = response.body()
    return body


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("origin", ["screening", "case"])
def test_html_report_fits_speaks_one_language_and_every_link_resolves(
    site: Site, browser: Any, origin: str, width: int, lang: str
) -> None:
    html = report_html(site, browser, origin, lang)
    page = browser.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    shown = f"{site.url}/report-under-test.html"
    page.route(shown, lambda route: route.fulfill(body=html, content_type="text/html"))
    page.goto(shown)
    found = problems(audit(page, f"report-{origin}-{lang}-{width}"), width)
    page.close()
    ids = set(re.findall(r'\sid="([^"]+)"', html))
    links = [h.replace("&amp;", "&") for h in re.findall(r'\s(?:href|src)="([^"]*)"', html)]
    assert links, "the report links to nothing"
    found += dead_links(browser, site.url, links, ids)
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("origin", ["screening", "case"])
def test_pdf_report_links_resolve(site: Site, browser: Any, origin: str, lang: str) -> None:
    """Every link annotation of the PDF (WeasyPrint writes them as `/URI (...)`)."""
    links = pdf_links(report_pdf(site, browser, origin, lang))
    assert links, "the PDF report has no link"
    found = dead_links(browser, site.url, links, set())
    assert found == [], "\n".join(found)


def pdf_links(pdf: bytes) -> list[str]:
    """The targets of the PDF's link annotations, in plain and in compressed object streams."""
    chunks = [pdf]
    for stream in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            chunks.append(zlib.decompress(stream.group(1)))
        except zlib.error:  # an image or a font, not deflated objects
            continue
    pattern = rb"/URI \(((?:\\.|[^\\)])*)\)"
    return [pdf_string(raw) for chunk in chunks for raw in re.findall(pattern, chunk)]


def pdf_string(raw: bytes) -> str:
    """A PDF literal string's text (its backslash escapes undone)."""
    return re.sub(rb"\\(.)", rb"\1", raw).decode("latin-1")


def dead_links(browser: Any, base: str, links: list[str], ids: set[str]) -> list[str]:
    """Links that lead nowhere: a file, a missing fragment, or a page that does not answer 200.

    Links to other sites (the sources' own addresses) cannot be followed offline;
    they must at least be web addresses.
    """
    dead: list[str] = []
    here = urlsplit(base).netloc
    for link in sorted(set(links)):
        target = urlsplit(urljoin(base + "/", link))
        if link.startswith("#"):
            if link[1:] not in ids:
                dead.append(f"{link}: no element has this id")
        elif target.scheme not in {"http", "https"}:
            dead.append(f"{link}: not a web address")
        elif target.netloc == here or link.startswith("/"):
            status = browser.request.get(urljoin(base + "/", link), max_redirects=0).status
            if status != 200:
                dead.append(f"{link}: answered {status}")
    return dead


def test_russian_screening_report_has_no_untranslated_sentence(site: Site, browser: Any) -> None:
    """The engine's findings, pathways and arguments are rendered in Russian on a Russian page
    (a saved run of another language would be marked `data-untranslated`)."""
    page = browser.new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{site.url}/screening?lang=ru")
    fill_case(page)
    page.click("#screening-form button[type=submit]:not([formaction])")
    page.wait_for_selector("#report-title")
    result = page.evaluate(AUDIT_JS, sorted(LATIN_ALLOWED))
    page.close()
    assert result["untranslated"] == [], "\n".join(result["untranslated"])


#: The pages only an editor or an admin opens, by the role that opens them: new records and
#: imports, a returnee's edit form and history; the accounts and the audit log.
STAFF_PAGES = {
    "editor": (
        "/incidents/new",
        "/incidents/import",
        "/kb/proposals",
        "/kb/proposals/new",
        "/incidents/rus-swe-2015-chechen-returnee-killed/edit",
        "/incidents/rus-swe-2015-chechen-returnee-killed/history",
    ),
    "admin": ("/admin/users", "/admin/audit"),
}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("role", sorted(STAFF_PAGES))
def test_staff_pages_fit_a_phone(
    built_settings: Settings,
    playwright: Any,
    tmp_path_factory: pytest.TempPathFactory,
    role: str,
    lang: str,
) -> None:
    """An editor or an admin at 390 px: no sideways scroll, nothing clipped. Form fieldsets
    took the width of their widest Russian label, and a history's diff table that of its
    longest value, until both were allowed to shrink."""
    with serving_with_account(built_settings, role, seed=True) as (url, name):
        context = _profile(playwright, tmp_path_factory, f"{role}-profile")
        page = context.new_page()
        sign_in(page, url, name, "/account")
        page.set_viewport_size({"width": 390, "height": 900})
        found = []
        for path in STAFF_PAGES[role]:
            page.goto(f"{url}{path}?lang={lang}", wait_until="load")
            result = audit(page, f"{role}{path.replace('/', '-')}-{lang}-390")
            # A one-line text field scrolls its own long value (a label, a pinpoint) by design.
            found += [
                f"{path}: clipped {c}" for c in result["clipped"] if not c.startswith("input")
            ]
            if result["scroll"] > 0:
                found.append(f"{path}: the page scrolls sideways by {result['scroll']} px")
            if role == "admin":
                found += [f"{path}: English on a Russian page: {e}" for e in result["english"]]
        context.close()
    assert found == [], "\n".join(found)

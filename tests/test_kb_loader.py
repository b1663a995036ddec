"""The knowledge-base loader is strict: every problem, in every file, as `file:line: problem`.

Each deliberately broken file in tests/kb/invalid/ is dropped into a copy of
the valid fixture knowledge base (tests/kb/valid/); loading must then fail
with exactly one problem, at the line written below (read off the fixture
file), saying what is wrong. The repository's own kb/ must load cleanly:
that test guards the content.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from azyl.errors import KnowledgeBaseError
from azyl.kb import load_kb
from azyl.kb.quotes import comparison_form, find_quote

HERE = Path(__file__).resolve().parent
VALID = HERE / "kb" / "valid"
INVALID = HERE / "kb" / "invalid"
REPO_KB = HERE.parent / "kb"


@pytest.fixture(scope="session")
def archive_root(seeds_dir: Path) -> list[Path]:
    """The texts folders: the shared folder, whose seeds/ holds the founding documents."""
    return [seeds_dir.parent]


def kb_with(tmp_path: Path, fixture: str, target: str) -> Path:
    """A copy of the valid fixture KB with one broken file put at `target` (relative to kb/)."""
    kb = tmp_path / "kb"
    shutil.copytree(VALID, kb)
    destination = kb / target
    destination.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(INVALID / fixture, destination)
    return kb


def problems_of(kb: Path, archive_root: list[Path]) -> list[str]:
    with pytest.raises(KnowledgeBaseError) as caught:
        load_kb(kb, archive_root)
    return caught.value.problems


# (fixture, where it goes under kb/, line, expected message after "file:line: ")
FACT_CASES = [
    ("unknown_key.yaml", 14, "source_url: unknown key; allowed keys are kind, nature, actor,"),
    ("duplicate_key.yaml", 4, "actor: duplicate key (first given on line 3)"),
    ("bad_date.yaml", 5, "valid_from: 'early 2016' is not a date in the form YYYY-MM-DD"),
    ("impossible_date.yaml", 5, "valid_from: 2017-02-30 is not a date on the calendar"),
    ("missing_valid_from.yaml", 2, "valid_from: missing (required)"),
    ("until_before_from.yaml", 6, "valid_until: 2015-12-31 is before valid_from 2016-01-01"),
    (
        "dangling_source.yaml",
        9,
        "citations[0].source: no source 'fpc-closing-the-door-2018' in kb/sources/ "
        "(did you mean fpc-closing-the-door-2017?)",
    ),
    ("uncited_fact.yaml", 8, "citations: a fact needs at least one citation"),
    ("missing_citations.yaml", 2, "citations: missing (required)"),
    ("missing_quote.yaml", 9, "citations[0].quote: missing (required)"),
    ("quote_too_long.yaml", 11, "citations[0].quote: 347 characters; a quote is at most 300"),
    (
        "quote_not_in_source.yaml",
        11,
        "citations[0].quote: not found in the text of fpc-closing-the-door-2017 "
        '(seeds/001_211b28b7917c06f3.txt); it matches up to "...which concluded that the '
        'russian federation can"',
    ),
    (
        "unknown_kind.yaml",
        2,
        "kind: 'safe_third_country' is not a fact kind "
        "(did you mean safe_third_country_designation?); allowed: safe_third_country_designation,",
    ),
    (
        "unknown_profile.yaml",
        6,
        "applies_to.profiles[0]: 'deserters' is not a profile (did you mean deserter?); allowed:",
    ),
    ("unknown_confidence.yaml", 12, "confidence: 'certain' is not a confidence level; allowed:"),
    (
        "bad_country_code.yaml",
        3,
        "actor: 'EE' is not an ISO 3166-1 alpha-3 code or an organisation code "
        "(EU, COE, CIS, SCO, INTERPOL, UN, CSTO) (did you mean EST?)",
    ),
    (
        "organisation_as_nationality.yaml",
        6,
        "applies_to.nationalities[0]: 'EU' is not an ISO 3166-1 alpha-3 code "
        "(an organisation is not a nationality)",
    ),
    (
        "bad_region_code.yaml",
        6,
        "applies_to.regions[0]: 'RU-XX' is not an ISO 3166-2 region code such as RU-CE or UA-43",
    ),
    ("subject_not_a_list.yaml", 4, "subject: expected a list (write [] for none)"),
    ("repeated_code.yaml", 4, "subject: RUS is listed twice"),
    (
        "dangling_overturns.yaml",
        14,
        "overturns: no fact 'safe_third_country.est-russia-2061' (ids are <area>.<name>) "
        "(did you mean safe_third_country.est-russia-2016?)",
    ),
    ("dangling_related.yaml", 14, "related: no fact 'courts.nowhere' (ids are <area>.<name>)"),
    ("self_related.yaml", 14, "related: a fact cannot name itself"),
    ("overturns_not_ruling.yaml", 14, "overturns: only a court_ruling can overturn other facts"),
    (
        "protection_missing.yaml",
        2,
        "protection: a protection_practice fact must say what it offers (humanitarian_admission, "
        "refusal_to_remove, no_internal_protection, legal_principle, dublin_discretion, "
        "temporary_protection, un_complaints)",
    ),
    ("protection_on_other_kind.yaml", 14, "protection: only for protection_practice facts"),
    (
        "reviewed_before_source.yaml",
        13,
        "reviewed: 2017-01-01 is before the date of the cited source "
        "fpc-closing-the-door-2017 (2017-12-04)",
    ),
    ("statement_copies_quote.yaml", 6, "statement: copies a quote word for word"),
    ("not_a_mapping.yaml", 2, "expected a mapping of keys to values"),
    # libyaml says "did not find expected ',' or ']'", PyYAML's parser "expected ',' or ']', but
    # got ':'"; the loader uses libyaml when PyYAML has it.
    ("invalid_yaml.yaml", 5, "not valid YAML: "),
    ("empty_file.yaml", 1, "no keys: the file is empty or holds only comments"),
    (
        "practice_unconfirmed.yaml",
        2,
        "last_confirmed: practice needs valid_until (the day it ended) or last_confirmed",
    ),
    (
        "confirmed_after_end.yaml",
        7,
        "last_confirmed: 2017-12-04 is after valid_until 2016-12-31",
    ),
    ("bad_nature.yaml", 3, "nature: 'custom' is not a nature; allowed: law, ruling, practice"),
]

SOURCE_CASES = [
    ("source_unknown_kind.yaml", 5, "kind: 'book' is not a source kind; allowed: report,"),
    ("source_bad_language.yaml", 7, "language: 'english' is not an ISO 639-1 language code"),
    (
        "source_no_url_or_identifier.yaml",
        2,
        "url: missing (give a url, a stable identifier or both)",
    ),
    ("source_no_publisher.yaml", 2, "publisher: missing (required)"),
    (
        "source_bad_url.yaml",
        6,
        "url: 'fpc.org.uk/publications/closing-the-door/' is not an http:// or https:// address",
    ),
    (
        "source_text_differs.yaml",
        10,
        "text.sha256: the copy ",
    ),
    (
        "source_text_outside.yaml",
        12,
        "text.file: give a path relative to a texts folder, like seeds/<file>.txt",
    ),
    ("source_missing_date.yaml", 2, "date: missing (required)"),
    ("source_accessed_before_date.yaml", 8, "accessed: 2017-01-01 is before the source's date"),
]

CASES = [(f, f"facts/courts/{f}", line, m) for f, line, m in FACT_CASES] + [
    (f, f"sources/{f}", line, m) for f, line, m in SOURCE_CASES
]


def test_every_broken_fixture_has_a_case() -> None:
    assert sorted(f.name for f in INVALID.glob("*.yaml")) == sorted(c[0] for c in CASES)


@pytest.mark.parametrize(
    ("fixture", "target", "line", "message"), CASES, ids=[c[0].removesuffix(".yaml") for c in CASES]
)
def test_each_broken_file_is_reported_at_its_line(
    tmp_path: Path, archive_root: list[Path], fixture: str, target: str, line: int, message: str
) -> None:
    problems = problems_of(kb_with(tmp_path, fixture, target), archive_root)
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"kb/{target}:{line}: {message}"), problems[0]
    if fixture == "invalid_yaml.yaml":  # the parser's problem in words (azyl.i18n.parsers)
        assert problems[0].endswith("a list opened with [ is not closed with ]")


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        (
            "facts/courts/Bad Name.yaml",
            "kb/facts/courts/Bad Name.yaml:1: fact name 'Bad Name' must use only lower-case",
        ),
        ("facts/asylum/x.yaml", "kb/facts/asylum: 'asylum' is not a knowledge-base area"),
        ("facts/loose.yaml", "kb/facts/loose.yaml:1: facts live in an area folder"),
        ("facts/courts/x.yml", "kb/facts/courts/x.yml:1: not a fact file"),
        ("sources/notes.txt", "kb/sources/notes.txt:1: not a source file"),
        ("fact/courts/x.yaml", "kb/fact: not read by azyl (did you mean facts?)"),
    ],
)
def test_misplaced_and_misnamed_files_are_reported(
    tmp_path: Path, archive_root: list[Path], target: str, expected: str
) -> None:
    problems = problems_of(kb_with(tmp_path, "unknown_key.yaml", target), archive_root)
    assert len(problems) == 1, problems
    assert problems[0].startswith(expected), problems[0]


def test_hidden_files_are_ignored(tmp_path: Path, archive_root: list[Path]) -> None:
    kb = kb_with(tmp_path, "empty_file.yaml", "facts/courts/.draft.yaml")
    (kb / "facts" / ".gitkeep").write_text("")
    assert len(load_kb(kb, archive_root).facts) == len(list(VALID.glob("facts/*/*.yaml")))


def test_every_problem_in_every_file_is_reported_in_one_run(
    tmp_path: Path, archive_root: list[Path]
) -> None:
    kb = kb_with(tmp_path, "bad_date.yaml", "facts/courts/bad_date.yaml")
    shutil.copy(INVALID / "dangling_source.yaml", kb / "facts" / "courts" / "dangling.yaml")
    shutil.copy(INVALID / "source_bad_url.yaml", kb / "sources" / "bad-url.yaml")
    broken = (INVALID / "unknown_kind.yaml").read_text().replace("actor: EST", "actor: XX")
    (kb / "facts" / "courts" / "two_problems.yaml").write_text(broken)
    problems = problems_of(kb, archive_root)
    assert [p.split(": ", 1)[0] for p in problems] == [
        "kb/facts/courts/bad_date.yaml:5",
        "kb/facts/courts/dangling.yaml:9",
        "kb/facts/courts/two_problems.yaml:2",
        "kb/facts/courts/two_problems.yaml:3",
        "kb/sources/bad-url.yaml:6",
    ]


def test_a_missing_version_file_is_a_problem(tmp_path: Path) -> None:
    kb = tmp_path / "kb"
    shutil.copytree(VALID, kb)
    (kb / "VERSION").unlink()
    assert problems_of(kb, []) == [
        "kb/VERSION: missing; create it with `azyl kb stamp --version 0.1.0`"
    ]


def test_a_malformed_version_file_is_a_problem(tmp_path: Path) -> None:
    kb = tmp_path / "kb"
    shutil.copytree(VALID, kb)
    text = (kb / "VERSION").read_text().replace("version: 1.0.0", "version: 1.0")
    (kb / "VERSION").write_text(text)
    problems = problems_of(kb, [])
    assert len(problems) == 1
    assert problems[0].endswith("version: '1.0' is not of the form 1.2.3")


def test_a_missing_folder_is_one_problem(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeBaseError, match="the knowledge-base folder does not exist"):
        load_kb(tmp_path / "nowhere")


def test_the_valid_fixture_loads_with_every_quote_verified(archive_root: list[Path]) -> None:
    kb = load_kb(VALID, archive_root)
    quotes = sum(len(f.citations) for f in kb.facts.values())
    assert quotes == sum(p.read_text().count("quote:") for p in VALID.glob("facts/*/*.yaml"))
    assert kb.quote_check.status == "verified"
    assert (kb.quote_check.verified, kb.quote_check.not_checked_here) == (quotes, 0)
    assert not any(f.unverified for f in kb.facts.values())


def test_fields_are_read_as_written(archive_root: list[Path]) -> None:
    kb = load_kb(VALID, archive_root)
    fact = kb.facts["internal_protection.deu-chechens"]
    assert fact.area == "internal_protection"
    assert fact.source_file == "valid/facts/internal_protection/deu-chechens.yaml"
    assert (fact.actor, fact.subject, fact.states) == ("DEU", ("RUS",), ("DEU", "RUS"))
    assert fact.applies_to.nationalities == ("RUS",)
    assert fact.applies_to.regions == ("RU-CE",)
    assert fact.valid_from == date(2017, 12, 4)
    assert fact.valid_until is None
    assert fact.statement.startswith("Germany refers Chechen applicants")
    assert "\n" not in fact.statement
    assert fact.citations[0].source == "fpc-closing-the-door-2017"
    assert fact.citations[0].quote.startswith("For example Germany and Poland")
    assert kb.facts["courts.est-russia-not-safe-third-country"].overturns == (
        "safe_third_country.est-russia-2016",
    )


def test_norway_is_not_mistaken_for_false(tmp_path: Path, archive_root: list[Path]) -> None:
    """YAML 1.1 reads a bare NO as false; the loader reads what was written."""
    kb = kb_with(tmp_path, "bad_country_code.yaml", "facts/courts/norway.yaml")
    path = kb / "facts" / "courts" / "norway.yaml"
    path.write_text(path.read_text().replace("actor: EE", "actor: NO"))
    assert "'NO' is not an ISO 3166-1 alpha-3 code" in problems_of(kb, archive_root)[0]


def test_without_the_texts_quotes_are_not_checked_here_never_verified(tmp_path: Path) -> None:
    """A fresh clone has no copy of the texts: the knowledge base loads, and says so."""
    kb_dir = kb_with(tmp_path, "quote_not_in_source.yaml", "facts/courts/unchecked.yaml")
    for roots in ([], [tmp_path / "no-such-folder"]):
        kb = load_kb(kb_dir, roots)
        quotes = sum(len(f.citations) for f in kb.facts.values())
        assert kb.quote_check.status == "partial"
        assert (kb.quote_check.verified, kb.quote_check.not_checked_here) == (0, quotes)
        assert "not checked here" in kb.quote_check.describe()
        assert kb.quote_check.of("fpc-closing-the-door-2017") == "not_checked_here"


def test_a_fact_citing_only_sources_without_a_text_is_unverified(
    tmp_path: Path, archive_root: list[Path]
) -> None:
    kb_dir = kb_with(tmp_path, "source_missing_date.yaml", "sources/unused.yaml")
    (kb_dir / "sources" / "unused.yaml").unlink()
    source = kb_dir / "sources" / "russie-libertes-ep-hearing-2025.yaml"
    text = source.read_text()
    source.write_text(text[: text.index("text:")] + text[text.index("note:") :])
    kb = load_kb(kb_dir, archive_root)
    assert kb.facts["unsafe_states.arm-russian-deserters"].unverified
    assert not kb.facts["internal_protection.deu-chechens"].unverified
    assert kb.quote_check.of("russie-libertes-ep-hearing-2025") == "no_text"


@pytest.mark.parametrize(
    ("quote", "found"),
    [
        # The archived text breaks this sentence across two lines.
        ("the number of people crossing its land border with Russia", True),
        # Typographic and straight apostrophes compare equal.
        ("classified Russia as a 'safe third country'", True),
        # An ellipsis leaves words out; the parts must appear in order.
        ("In early 2016 Norway classified Russia … to reduce the number of people", True),
        ("to reduce the number of people [...] In early 2016 Norway", False),
        # A compound broken across lines after its hyphen ("mixed-\nmartial-arts").
        ("a well-known Chechen mixed-martial-arts fighter living in Kiev", True),
        # The en dash and the line break collapse like the hyphens and spaces around them.
        ("asylum at the Polish–Belarusian border", True),
        ("In early 2016 Sweden classified Russia", False),
    ],
)
def test_quotes_are_compared_after_normalising_print_artefacts(
    seeds_dir: Path, quote: str, found: bool
) -> None:
    text = comparison_form((seeds_dir / "001_211b28b7917c06f3.txt").read_text())
    assert (find_quote(quote, text) < 0) is found


def test_the_repository_knowledge_base_loads(archive_root: list[Path]) -> None:
    """The guard on the content: kb/ as committed must validate, quotes included.

    Every quote from the founding documents (the texts in ../shared/seeds) is checked here;
    the other sources' texts are not in the repository, so their quotes are "not checked
    here" (their hashes were checked when they were read; `azyl kb check` with
    AZYL_SOURCE_TEXTS pointing at the texts checks them again).
    """
    kb = load_kb(REPO_KB, archive_root)
    seeded = [s for s in kb.sources.values() if (s.text_file or "").startswith("seeds/")]
    assert len(seeded) == 5
    assert all(kb.quote_check.of(s.id) == "verified" for s in seeded)
    assert kb.quote_check.verified >= 100
    assert len(kb.sources) == len(list((REPO_KB / "sources").glob("*.yaml")))
    assert len(kb.facts) == len(list((REPO_KB / "facts").glob("*/*.yaml")))


def test_the_pure_python_parser_reports_the_same_problems(
    tmp_path: Path, archive_root: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where PyYAML lacks libyaml, the loader falls back to the Python parser, same results."""
    import yaml

    from azyl import validation

    kb = kb_with(tmp_path, "duplicate_key.yaml", "facts/courts/duplicate_key.yaml")
    fast = problems_of(kb, archive_root)
    monkeypatch.setattr(validation, "SAFE_LOADER", yaml.SafeLoader)
    assert problems_of(kb, archive_root) == fast
    assert fast == [
        "kb/facts/courts/duplicate_key.yaml:4: actor: duplicate key (first given on line 3)"
    ]

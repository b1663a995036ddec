"""`azyl incidents ...` through the real entry point: output, exit codes, clean errors."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Run


@pytest.fixture
def azyl(
    run_azyl: Callable[..., Run],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    mirror_dir: Path,
) -> Callable[..., Run]:
    """Run `azyl ARGS...` in-process on a fresh data folder; returns (code, stdout, stderr)."""
    monkeypatch.delenv("AZYL_DATABASE_URL", raising=False)
    env = {
        "AZYL_DATA_DIR": str(tmp_path / "data"),
        "AZYL_MIRROR_DIR": str(mirror_dir),
        "HOME": str(tmp_path),
    }
    return lambda *args: run_azyl(*args, env=env)


def test_seed_then_list_by_origin_and_host(azyl) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = azyl("incidents", "seed")
    assert code == 0 and "incidents were added" in out
    code, out, err = azyl("incidents", "list", "--origin", "Azerbaijan", "--host", "GE")
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()] == [
        "aze-geo-2014-aghalarli-detention",
        "aze-geo-2017-mukhtarli-abduction",
        "aze-geo-2024-sadigov-detention",
        "aze-geo-2025-abbasov-surveillance",
    ]
    assert err.strip() == "4 incidents"


def test_list_by_tactic_since_a_date_as_json(azyl) -> None:  # type: ignore[no-untyped-def]
    azyl("incidents", "seed")
    code, out, _ = azyl(
        "incidents", "list", "--tactic", "abduction", "--since", "2016-01-01", "--format", "json"
    )
    assert code == 0
    ids = [i["id"] for i in json.loads(out)["incidents"]]
    assert ids[:2] == [
        "rus-ukr-2016-dagestani-asylum-seeker-handover",
        "aze-geo-2017-mukhtarli-abduction",
    ]
    assert len(ids) == 14


def test_show_prints_the_sources_and_quotes(azyl) -> None:  # type: ignore[no-untyped-def]
    azyl("incidents", "seed")
    code, out, _ = azyl("incidents", "show", "aze-geo-2017-mukhtarli-abduction")
    assert code == 0
    assert "stage rendered_or_attacked" in out
    assert "taken to Azerbaijan to be prosecuted" in out


def test_show_names_where_a_returnee_lived(azyl) -> None:  # type: ignore[no-untyped-def]
    """Jailed at home after Russia deported him: the act's place is Tajikistan, his home Russia."""
    azyl("incidents", "seed")
    code, out, _ = azyl("incidents", "show", "tjk-rus-2021-izzat-amon-deportation")
    assert code == 0
    assert "where: Tajikistan" in out
    assert "  lived in:  Russia" in out
    code, out, _ = azyl("incidents", "show", "aze-geo-2017-mukhtarli-abduction")
    assert "lived in" not in out  # lived where he was abducted: nothing to add


def test_show_an_unknown_id_is_one_clean_line(azyl) -> None:  # type: ignore[no-untyped-def]
    code, out, err = azyl("incidents", "show", "no-such-incident")
    assert code == 1 and out == ""
    assert err.strip() == 'error: no incident with id "no-such-incident"'


def test_public_visibility_hides_restricted_incidents(azyl) -> None:  # type: ignore[no-untyped-def]
    azyl("incidents", "seed")
    code, _, err = azyl(
        "incidents", "show", "tjk-pol-2016-khudoydodova-daughter-mobbed", "--visibility", "public"
    )
    assert code == 1 and "no incident with id" in err
    code, out, _ = azyl("incidents", "show", "tjk-pol-2016-khudoydodova-daughter-mobbed")
    assert code == 0 and "(restricted" in out


def test_stats_by_origin_host_tactic_year_and_escalation(azyl) -> None:  # type: ignore[no-untyped-def]
    azyl("incidents", "seed")
    code, out, _ = azyl("incidents", "stats", "--by", "origin,host,tactic,year", "--format", "json")
    assert code == 0
    payload = json.loads(out)
    assert payload["by"] == ["origin", "host", "tactic", "year"]
    mukhtarli_rows = [
        c
        for c in payload["counts"]
        if c["origin"] == "AZE" and c["host"] == "GEO" and c["year"] == "2017"
    ]
    assert {c["tactic"]: c["incidents"] for c in mukhtarli_rows} == {
        "surveillance": 1,
        "abduction": 1,
    }
    georgia = next(e for e in payload["escalation"] if e["host"] == "GEO")
    # Aghalarli (detained), Mukhtarli (abducted), Sadigov (detained), Abbasov (watched) and
    # Babloyan (suspected poisoning, origin Russia): five targets.
    assert georgia == {
        "host": "GEO",
        "targets": 5,
        "incidents": 5,
        "reached": {"on_notice": 5, "detained": 4, "rendered_or_attacked": 2},
    }
    code, out, _ = azyl("incidents", "stats", "--by", "host")
    assert code == 0 and "Escalation per host state" in out


def test_stats_by_an_unknown_dimension_is_a_clean_error(azyl) -> None:  # type: ignore[no-untyped-def]
    code, _, err = azyl("incidents", "stats", "--by", "colour")
    assert code == 1 and err.startswith("error: cannot count by colour")


def test_a_bad_import_lists_row_problems_and_imports_nothing(azyl, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "bad.csv"
    path.write_text(
        "id,date,date_precision,origin,host,target_label,tactics,outcome,mechanism,summary,"
        "confidence,visibility,source_1_source,source_1_pinpoint\n"
        "ok-row,2016-01-01,year,TJK,RUS,X,detention,released,m,s,low,public,"
        "fpc-closing-the-door-2017,p\n"
        "bad-row,2016-01-01,year,TJK,RUS,Y,kidnap,released,m,s,low,public,"
        "fpc-closing-the-door-2017,p\n"
    )
    code, out, err = azyl("incidents", "import", str(path))
    assert code == 1
    assert "nothing imported" in err and "row 3: tactics: unknown tactic 'kidnap'" in err
    assert "Traceback" not in err
    code, out, err = azyl("incidents", "list")
    assert out == "" and err.strip() == "0 incidents"


def test_import_dry_run_then_for_real(azyl, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    azyl("incidents", "seed")
    code, exported, _ = azyl("incidents", "export", "--format", "csv", "--visibility", "public")
    assert code == 0
    rows = list(csv.reader(io.StringIO(exported)))
    outcome = rows[0].index("outcome")
    rows[1][outcome] = "unknown" if rows[1][outcome] != "unknown" else "released"
    edited = tmp_path / "edited.csv"
    with edited.open("w", newline="") as handle:
        csv.writer(handle).writerows(rows)
    code, out, _ = azyl("incidents", "import", str(edited), "--dry-run")
    assert code == 0 and "1 updated" in out and "would be" in out
    code, out, _ = azyl("incidents", "import", str(edited))
    assert code == 0 and f"updated: {rows[1][0]} (outcome)" in out


def test_export_xlsx_needs_an_output_file(azyl, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, _, err = azyl("incidents", "export", "--format", "xlsx")
    assert code == 2 and "give -o FILE.xlsx" in err
    target = tmp_path / "out.xlsx"
    code, _, err = azyl("incidents", "export", "--format", "xlsx", "-o", str(target))
    assert code == 0 and target.read_bytes()[:2] == b"PK"


def test_a_broken_seed_is_reported_line_by_line_without_a_traceback(  # type: ignore[no-untyped-def]
    azyl, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = Path(__file__).parent / "incidents" / "invalid" / "unknown_tactic.yaml"
    monkeypatch.setenv("AZYL_INCIDENTS_SEED", str(broken))
    code, out, err = azyl("incidents", "seed")
    assert code == 1 and out == ""
    assert f"{broken}:12: tactics[0]: unknown tactic 'kidnap'" in err
    assert "nothing was loaded" in err and "Traceback" not in err


def test_a_broken_workbook_exits_1_with_a_sentence_not_a_traceback(  # type: ignore[no-untyped-def]
    azyl, tmp_path: Path
) -> None:
    from hostile_files import broken_workbooks, workbook

    good = workbook([["id", "summary"], ["new-one", "A summary."]])
    for variant, data in broken_workbooks(good).items():
        path = tmp_path / "book.xlsx"
        path.write_bytes(data)
        code, out, err = azyl("incidents", "import", str(path))
        assert code == 1, (variant, out, err)
        assert "cannot be read as xlsx: not " in err, (variant, err)
        assert "Traceback" not in err

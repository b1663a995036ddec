"""The CLI contract: `azyl rates`, `azyl lottery`, `azyl sources`, `azyl build`."""

from __future__ import annotations

import csv
import io
import json
import sys

import pytest
from click.testing import CliRunner

from azyl.cli import cli, main
from azyl.config import Settings
from azyl.sources import ADAPTERS


def _env(settings: Settings) -> dict[str, str]:
    return {"AZYL_DATA_DIR": str(settings.data_dir), "AZYL_MIRROR_DIR": str(settings.mirror_dir)}


def _run(settings: Settings, *args: str) -> str:
    result = CliRunner().invoke(cli, list(args), env=_env(settings), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_rates_json_is_the_contract_envelope(built_settings: Settings) -> None:
    doc = json.loads(_run(built_settings, "rates", "--origin", "ru", "--year", "2023",
                          "--asylum", "France", "--format", "json"))  # fmt: skip
    assert set(doc) == {"data", "meta"}
    (row,) = doc["data"]
    assert (row["origin"], row["asylum"], row["year"], row["source"]) == (
        "RUS",
        "FRA",
        2023,
        "UNHCR",
    )
    decided = row["recognized"] + row["complementary"] + row["rejected"]
    assert row["total_decided"] == decided
    assert row["protection_rate"] == pytest.approx(
        (row["recognized"] + row["complementary"]) / decided
    )
    assert (
        0 <= row["protection_rate_ci"][0] <= row["protection_rate"] <= row["protection_rate_ci"][1]
    )
    assert "protection_rate" in doc["meta"]["definitions"]
    assert doc["meta"]["provenance"][0]["sha256"]


def test_rates_csv_has_one_line_per_row(built_settings: Settings) -> None:
    text = _run(built_settings, "rates", "--origin", "GEO", "--year", "2016", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows and {"protection_rate_ci_low", "protection_rate_ci_high"} <= set(rows[0])
    assert {r["origin"] for r in rows} == {"GEO"}


def test_lottery_json_has_destinations_and_dispersion(built_settings: Settings) -> None:
    doc = json.loads(_run(built_settings, "lottery", "--origin", "RUS", "--year", "2016",
                          "--min-decisions", "100", "--format", "json"))  # fmt: skip
    assert set(doc["data"]) == {"destinations", "dispersion"}
    ranked = [d for d in doc["data"]["destinations"] if d["rank"] is not None]
    assert all(d["total_decided"] >= 100 for d in ranked)
    assert doc["data"]["dispersion"]["destinations"] == len(ranked)


def test_lottery_table_defaults_to_the_latest_year(built_settings: Settings) -> None:
    text = _run(built_settings, "lottery", "--origin", "Russia")
    assert "The asylum lottery" in text and "2025" in text and "ratio" in text


def test_sources_lists_every_loaded_file_with_provenance(built_settings: Settings) -> None:
    doc = json.loads(_run(built_settings, "sources", "--format", "json"))
    mirror = built_settings.mirror_dir
    assert mirror is not None
    expected = [e.relpath for a in ADAPTERS for e in a.mirror if (mirror / e.relpath).is_file()]
    assert [r["file_name"] for r in doc["data"]] == expected
    assert all(len(r["sha256"]) == 64 and r["licence"] for r in doc["data"])


def test_build_again_reports_up_to_date(built_settings: Settings) -> None:
    assert "up to date" in _run(built_settings, "build")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["rates", "--origin", "Rusia", "--year", "2020"], "did you mean RUS"),
        (["rates", "--origin", "RUS", "--year", "2031"], "out of range"),
        (["rates", "--origin", "RUS", "--year", "2001", "--asylum", "NA"], "years with data"),
        (["lottery", "--origin", "XX"], "unknown country"),
    ],
)
def test_bad_input_is_a_one_line_error_and_a_non_zero_exit(
    built_settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    expected: str,
) -> None:
    for key, value in _env(built_settings).items():
        monkeypatch.setenv(key, value)
    monkeypatch.setattr(sys, "argv", ["azyl", *args])
    with pytest.raises(SystemExit) as caught:
        main()
    assert caught.value.code != 0
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and expected in err and "\n" not in err


def test_the_lottery_of_the_latest_year_says_its_figures_are_provisional(
    built_settings: Settings,
) -> None:
    latest = json.loads(_run(built_settings, "lottery", "--origin", "RUS", "--format", "json"))
    year = latest["meta"]["provisional_year"]["UNHCR"]
    assert latest["meta"]["query"]["year"] == year
    table = _run(built_settings, "lottery", "--origin", "RUS")
    assert f"{year}†" in table and "† provisional" in table
    earlier = _run(built_settings, "lottery", "--origin", "RUS", "--year", str(year - 1))
    assert "†" not in earlier

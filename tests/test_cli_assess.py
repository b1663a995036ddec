"""`azyl assess`: the CLI contract over the screening engine."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from azyl.config import Settings
from conftest import Run

CASE = """\
as_of: 2017-09-01
person: {citizenship: [RUS], region: RU-CE}
route:
  - {country: BLR, role: transit}
  - {country: POL, role: first_eu_entry, fingerprinted: true}
current_country: DEU
stage: dublin_procedure
proposed_action: {type: dublin_transfer, to: POL}
"""


@pytest.fixture
def env(built_settings: Settings, screening_context: object) -> dict[str, str]:
    """The environment of the session's built statistics and seeded incident registry."""
    return {
        "AZYL_DATA_DIR": str(built_settings.data_dir),
        "AZYL_MIRROR_DIR": str(built_settings.mirror_dir),
    }


@pytest.fixture
def case_file(tmp_path: Path) -> Path:
    path = tmp_path / "case.yaml"
    path.write_text(CASE)
    return path


def test_json_output_is_the_documented_envelope(
    run_azyl: Callable[..., Run], env: dict[str, str], case_file: Path
) -> None:
    result = run_azyl("assess", str(case_file), "--format", "json", env=env)
    assert result.code == 0, result.out + result.err
    body = json.loads(result.out)
    assert set(body) == {"data", "meta"}
    data = body["data"]
    assert set(data) == {
        "summary", "findings", "pathways", "protective_arguments", "destinations", "trace",
    }  # fmt: skip
    assert {"dublin_transfer_risk", "chain_refoulement"} <= {f["code"] for f in data["findings"]}
    assert data["trace"]["as_of"] == "2017-09-01"
    assert data["trace"]["kb_version"].startswith("1.")
    assert body["meta"]["case"]["current_country"] == "DEU"


def test_as_of_on_the_command_line_overrides_the_file(
    run_azyl: Callable[..., Run], env: dict[str, str], case_file: Path
) -> None:
    args = ["assess", str(case_file), "--format", "json", "--as-of", "2018-02-01"]
    result = run_azyl(*args, env=env)
    assert result.code == 0, result.out + result.err
    assert json.loads(result.out)["data"]["trace"]["as_of"] == "2018-02-01"


def test_markdown_is_the_default_and_names_the_findings(
    run_azyl: Callable[..., Run], env: dict[str, str], case_file: Path
) -> None:
    result = run_azyl("assess", str(case_file), env=env)
    assert result.code == 0, result.out + result.err
    assert (result.out + result.err).lstrip().startswith("#")
    assert "dublin" in (result.out + result.err).lower()


def test_an_invalid_profile_lists_every_problem_without_a_traceback(
    run_azyl: Callable[..., Run], env: dict[str, str], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("person: {citizenship: [Russa]}\ncurrent_country: Polnd\nstage: waiting\n")
    result = run_azyl("assess", str(bad), env=env)
    assert result.code == 1
    assert "Traceback" not in (result.out + result.err)
    assert "person, citizenship, item 1: unknown country 'Russa'" in (result.out + result.err)
    assert "current country: unknown country 'Polnd'" in (result.out + result.err)
    assert "stage: unknown stage 'waiting'" in (result.out + result.err)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["assess", "nowhere.yaml"], "cannot read nowhere.yaml"),
        (["assess", "CASE", "--as-of", "yesterday"], "--as-of 'yesterday' is not a date"),
        (["assess", "CASE", "--format", "pdf"], "--format pdf needs --output FILE"),
        (["assess"], "give a case profile file"),
    ],
)
def test_user_mistakes_get_one_clear_line(
    run_azyl: Callable[..., Run],
    env: dict[str, str],
    case_file: Path,
    args: list[str],
    message: str,
) -> None:
    args = [str(case_file) if a == "CASE" else a for a in args]
    result = run_azyl(*args, env=env)
    assert result.code != 0
    assert message in (result.out + result.err)
    assert "Traceback" not in (result.out + result.err)


def test_schema_and_catalog_need_no_case(run_azyl: Callable[..., Run], env: dict[str, str]) -> None:
    schema = run_azyl("assess", "--schema", env=env)
    assert schema.code == 0
    assert json.loads(schema.out)["data"]["title"] == "azyl case profile"
    catalog = run_azyl("assess", "--catalog", env=env)
    assert "chain_refoulement" in json.loads(catalog.out)["data"]["finding_codes"]


def test_pdf_is_written_to_a_file(
    run_azyl: Callable[..., Run], env: dict[str, str], case_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "report.pdf"
    args = ["assess", str(case_file), "--format", "pdf", "--output", str(out)]
    result = run_azyl(*args, env=env)
    assert result.code == 0, result.out + result.err
    assert out.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("deep.yaml", "as_of: " + "[" * 25_000 + "]" * 25_000 + "\n"),  # exited 139 before
        ("deep.json", '{"as_of": ' + "[" * 25_000 + "]" * 25_000 + "}"),
    ],
)
def test_a_case_file_nested_too_deep_exits_1_with_a_sentence(
    tmp_path: Path, name: str, content: str
) -> None:
    import subprocess
    import sys

    path = tmp_path / name
    path.write_text(content)
    azyl = Path(sys.executable).with_name("azyl")
    run = subprocess.run(
        [str(azyl), "assess", str(path)],
        capture_output=True,
        text=True,
        env={"AZYL_DATA_DIR": str(tmp_path / "data"), "HOME": str(tmp_path), "PATH": ""},
        check=False,
    )
    assert run.returncode == 1, run.stderr
    assert run.stderr.startswith(f"error: {path}: ")
    assert "values are nested more than 32 levels deep" in run.stderr
    assert "Traceback" not in run.stderr

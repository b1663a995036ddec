"""Settings are declared once, parsed strictly, and printed by `azyl config`."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from azyl.cli import cli
from azyl.config import Settings, env_var, load_settings
from azyl.errors import ConfigError


def test_defaults_put_databases_in_the_per_user_data_dir(tmp_path: Path) -> None:
    settings = load_settings({"HOME": str(tmp_path)})
    assert settings.data_dir == tmp_path / ".local" / "share" / "azyl"
    assert settings.stats_db_path == settings.data_dir / "stats.duckdb"
    assert settings.database == f"sqlite:///{settings.data_dir / 'azyl.sqlite3'}"
    assert (settings.host, settings.port, settings.online) == ("127.0.0.1", 8000, True)
    assert settings.downloads_dir == settings.data_dir / "downloads"


def test_environment_overrides_each_setting(tmp_path: Path) -> None:
    env = {
        "AZYL_DATA_DIR": str(tmp_path),
        "AZYL_PORT": "9001",
        "AZYL_ONLINE": "no",
        "AZYL_SOURCE_TEXTS": f"{tmp_path}/a:{tmp_path}/b",
        "AZYL_LANGUAGE": "RU",
        "AZYL_DATABASE_URL": "postgresql+psycopg://postgres@127.0.0.1/azyl",
    }
    settings = load_settings(env)
    assert settings.data_dir == tmp_path
    assert settings.port == 9001
    assert settings.online is False
    assert settings.source_texts == (tmp_path / "a", tmp_path / "b")
    assert settings.language == "ru"
    assert settings.database == env["AZYL_DATABASE_URL"]


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("AZYL_PORT", "eighty", "AZYL_PORT='eighty' is not valid: expected a whole number"),
        ("AZYL_PORT", "70000", "1 to 65535"),
        ("AZYL_ONLINE", "maybe", "expected yes/no"),
        ("AZYL_LANGUAGE", "de", "English (en) and Russian (ru)"),
        ("AZYL_SMALL_N", "-3", "zero or a positive"),
    ],
)
def test_a_bad_value_names_the_variable(variable: str, value: str, expected: str) -> None:
    with pytest.raises(ConfigError, match=expected.replace("(", r"\(").replace(")", r"\)")):
        load_settings({variable: value})


def test_mirror_defaults_to_the_shared_data_folder(mirror_dir: Path) -> None:
    assert load_settings({}).mirror_dir == mirror_dir
    assert (mirror_dir / "unhcr" / "PROVENANCE.md").exists()
    assert load_settings({}).source_texts == (mirror_dir.parent,)


def test_the_mirror_is_only_looked_for_beside_the_checkout(tmp_path: Path) -> None:
    """No path of one machine: without ../shared beside the checkout there is no mirror."""
    import azyl.config as config

    assert config.REPO_ROOT.parent / "shared" == config.SHARED
    assert load_settings({"AZYL_MIRROR_DIR": str(tmp_path)}).mirror_dir == tmp_path


def test_config_command_lists_every_setting_with_help() -> None:
    result = CliRunner().invoke(cli, ["config"])
    assert result.exit_code == 0, result.output
    for name, field in Settings.model_fields.items():
        assert env_var(name) in result.output
        assert " ".join((field.description or "").split()[:4]) in " ".join(result.output.split())


def test_config_command_reports_a_bad_setting_without_a_traceback() -> None:
    from subprocess import run
    from sys import executable

    done = run(
        [executable, "-c", "from azyl.cli import main; main()", "config"],
        env={"AZYL_PORT": "x", "PATH": ""},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert done.stderr.strip() == "error: AZYL_PORT='x' is not valid: expected a whole number"

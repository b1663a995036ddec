"""Every setting azyl reads, declared once, with its type, default and help.

Settings come from `AZYL_*` environment variables (`AZYL_DATA_DIR`, ...). No
other module reads `os.environ`: code receives a `Settings` object, so tests
and the web app factory can build one from a plain mapping. `azyl config`
prints the table below with the values in force.

A value that does not parse (a port that is not a number, a flag that is not
yes/no) stops with a `ConfigError` naming the variable, never with a traceback.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from azyl.errors import ConfigError

PREFIX = "AZYL_"
#: The source checkout this module belongs to (azyl is installed editable from it).
REPO_ROOT = Path(__file__).resolve().parents[2]


def _user_data_dir(env: Mapping[str, str]) -> Path:
    """The per-user data directory (XDG on Linux, the usual places elsewhere)."""
    home = Path(env.get("HOME") or Path.home())
    if xdg := env.get("XDG_DATA_HOME"):
        return Path(xdg) / "azyl"
    if os.name == "nt":
        return Path(env.get("LOCALAPPDATA") or home / "AppData" / "Local") / "azyl"
    if os.uname().sysname == "Darwin":
        return home / "Library" / "Application Support" / "azyl"
    return home / ".local" / "share" / "azyl"


def find_mirror(env: Mapping[str, str]) -> Path | None:
    """Find the local mirror of publisher files (`shared/data`), if there is one.

    The project convention is a `shared/data` folder beside the checkout
    (`../shared/data`). A clone made elsewhere looks in the working directory's
    parent, then in every ancestor of the checkout, then in `/work/shared/data`,
    where the project's machines keep it.
    """
    candidates = [Path.cwd().parent / "shared" / "data", REPO_ROOT.parent / "shared" / "data"]
    candidates += [p / "shared" / "data" for p in REPO_ROOT.parents]
    candidates.append(Path("/work/shared/data"))
    return next((c.resolve() for c in candidates if c.is_dir()), None)


def _parse_bool(raw: str) -> bool:
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError("expected yes/no, true/false, on/off or 1/0")


def _parse_int(raw: str) -> int:
    try:
        return int(raw.strip())
    except ValueError:
        raise ValueError("expected a whole number") from None


def _parse_port(raw: str) -> int:
    port = _parse_int(raw)
    if not 0 < port < 65536:
        raise ValueError("a TCP port is a number from 1 to 65535")
    return port


def _parse_language(raw: str) -> str:
    lang = raw.strip().lower()
    if lang not in {"en", "ru"}:
        raise ValueError("azyl ships English (en) and Russian (ru)")
    return lang


def _parse_positive_int(raw: str) -> int:
    value = _parse_int(raw)
    if value < 0:
        raise ValueError("must be zero or a positive whole number")
    return value


@dataclass(frozen=True)
class Setting:
    """One setting: its name (without prefix), how to parse it, its default and help."""

    name: str
    parse: Callable[[str], Any]
    default: Callable[[Mapping[str, str]], Any]
    help: str

    @property
    def env_var(self) -> str:
        return PREFIX + self.name.upper()


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "data_dir",
        Path,
        _user_data_dir,
        "Where azyl keeps its databases and downloads (per user by default).",
    ),
    Setting(
        "mirror_dir",
        Path,
        find_mirror,
        "Local mirror of the publishers' files; defaults to ../shared/data when it exists.",
    ),
    Setting(
        "stats_db",
        Path,
        lambda env: None,
        "DuckDB file holding the official statistics (default: <data_dir>/stats.duckdb).",
    ),
    Setting(
        "database_url",
        str,
        lambda env: None,
        "SQLAlchemy URL of the application database (default: SQLite in <data_dir>; "
        "set postgresql+psycopg://... for a shared server).",
    ),
    Setting(
        "kb_dir",
        Path,
        lambda env: REPO_ROOT / "kb",
        "The knowledge base of state practice (sources and facts as YAML).",
    ),
    Setting(
        "incidents_seed",
        Path,
        lambda env: REPO_ROOT / "incidents" / "seed.yaml",
        "The reviewed seed file of the incident registry, loaded by `azyl build`.",
    ),
    Setting(
        "online",
        _parse_bool,
        lambda env: False,
        "Download datasets from the publishers' APIs instead of reading the mirror.",
    ),
    Setting(
        "small_n",
        _parse_positive_int,
        lambda env: 30,
        "Rates computed from fewer decisions than this are marked as small numbers.",
    ),
    Setting(
        "host",
        str,
        lambda env: "127.0.0.1",
        "Address the web application listens on.",
    ),
    Setting(
        "port",
        _parse_port,
        lambda env: 8000,
        "Port the web application listens on.",
    ),
    Setting(
        "language",
        _parse_language,
        lambda env: "en",
        "Default interface language (en or ru); users can switch in the app.",
    ),
    Setting(
        "key_file",
        Path,
        lambda env: None,
        "File holding the keys that encrypt personal data (default: <data_dir>/keys/azyl.keys, "
        "created owner-only on first use). Keep it off the database server and out of backups.",
    ),
    Setting(
        "keys",
        str,
        lambda env: None,
        "The keyring itself instead of a file (for deployments that inject secrets as "
        "environment variables); takes precedence over AZYL_KEY_FILE.",
    ),
    Setting(
        "production",
        _parse_bool,
        lambda env: False,
        "Shared-server mode: cookies only over HTTPS, HSTS, no detail in error pages.",
    ),
    Setting(
        "sign_in_required",
        _parse_bool,
        lambda env: False,
        "Every page and API route except sign-in needs an account (for a team's server).",
    ),
    Setting(
        "session_hours",
        _parse_positive_int,
        lambda env: 8,
        "A sign-in lasts this many hours at most; after that the user signs in again.",
    ),
    Setting(
        "idle_minutes",
        _parse_positive_int,
        lambda env: 60,
        "A session unused for this many minutes ends.",
    ),
    Setting(
        "max_upload_bytes",
        _parse_positive_int,
        lambda env: 5 * 1024 * 1024,
        "Largest request body (uploads, imports, forms) the web application accepts.",
    ),
    Setting(
        "forwarded_allow_ips",
        str,
        lambda env: "127.0.0.1",
        "Reverse proxies trusted to report the client address (X-Forwarded-For), "
        "comma-separated; the sign-in throttle counts per client address.",
    ),
)


@dataclass(frozen=True)
class Settings:
    """The values in force. Build with `load_settings()`; tests pass a mapping."""

    data_dir: Path
    mirror_dir: Path | None
    stats_db: Path | None
    database_url: str | None
    kb_dir: Path
    incidents_seed: Path
    online: bool
    small_n: int
    host: str
    port: int
    language: str
    key_file: Path | None
    keys: str | None
    production: bool
    sign_in_required: bool
    session_hours: int
    idle_minutes: int
    max_upload_bytes: int
    forwarded_allow_ips: str

    @property
    def stats_db_path(self) -> Path:
        """The DuckDB statistics file, defaulting into the data directory."""
        return self.stats_db or self.data_dir / "stats.duckdb"

    @property
    def key_file_path(self) -> Path:
        """The keyring file, defaulting into the data directory."""
        return self.key_file or self.data_dir / "keys" / "azyl.keys"

    @property
    def database(self) -> str:
        """The application database URL, defaulting to SQLite in the data directory."""
        return self.database_url or f"sqlite:///{self.data_dir / 'azyl.sqlite3'}"

    def as_rows(self) -> list[tuple[str, str, str]]:
        """(variable, value, help) for every setting, for `azyl config`."""
        rows = []
        for setting in SETTINGS:
            value = getattr(self, setting.name)
            if setting.name == "stats_db":
                value = self.stats_db_path
            elif setting.name == "database_url":
                value = self.database
            elif setting.name == "key_file":
                value = self.key_file_path
            elif setting.name == "keys" and value:
                value = "(set)"  # a secret: never print it
            rows.append((setting.env_var, "" if value is None else str(value), setting.help))
        return rows


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read every setting from `environ` (default: the process environment)."""
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        raw = env.get(setting.env_var)
        if raw is None or raw == "":
            values[setting.name] = setting.default(env)
            continue
        try:
            values[setting.name] = setting.parse(raw)
        except ValueError as exc:
            raise ConfigError(f"{setting.env_var}={raw!r} is not valid: {exc}") from None
    assert {f.name for f in fields(Settings)} == set(values)
    return Settings(**values)

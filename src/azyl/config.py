"""Every setting azyl reads, declared once, with its type, default and help.

Settings come from `AZYL_*` environment variables (`AZYL_DATA_DIR`, ...),
read by pydantic-settings. No other module reads `os.environ`: code receives a
`Settings` object, and tests and the web app factory build one from a plain
mapping with `load_settings(mapping)`. `azyl config` prints every field with
its value and help (the field's description).

A value that does not parse (a port that is not a number, a flag that is not
yes/no) stops with a `ConfigError` naming the variable, never with a traceback.

Defaults that depend on the checkout (`kb/`, the incident seed, the shared
folder beside it) are found from this file's place in the source tree: azyl
runs from a checkout (README, "Quick start").
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from azyl.errors import ConfigError

PREFIX = "AZYL_"
#: The source checkout this module belongs to (azyl is installed editable from it).
REPO_ROOT = Path(__file__).resolve().parents[2]
#: The shared folder beside the checkout: the publisher mirror (`data/`) and the founding
#: documents (`seeds/`). Optional: a clone with nothing beside it works without it.
SHARED = REPO_ROOT.parent / "shared"

#: The environment the settings are read from (the process's, or a test's mapping).
_ENVIRON: ContextVar[Mapping[str, str] | None] = ContextVar("azyl_environ", default=None)


def _environ() -> Mapping[str, str]:
    return _ENVIRON.get() or os.environ


def _user_data_dir() -> Path:
    """The per-user data directory (XDG on Linux, the usual places elsewhere)."""
    env = _environ()
    home = Path(env.get("HOME") or Path.home())
    if xdg := env.get("XDG_DATA_HOME"):
        return Path(xdg) / "azyl"
    if os.name == "nt":
        return Path(env.get("LOCALAPPDATA") or home / "AppData" / "Local") / "azyl"
    if os.uname().sysname == "Darwin":
        return home / "Library" / "Application Support" / "azyl"
    return home / ".local" / "share" / "azyl"


def find_mirror() -> Path | None:
    """The mirror of publisher files beside the checkout (`../shared/data`), if there is one."""
    mirror = SHARED / "data"
    return mirror.resolve() if mirror.is_dir() else None


def _default_texts() -> tuple[Path, ...]:
    """Where copies of source texts are looked for: the shared folder, when it is there."""
    return (SHARED.resolve(),) if SHARED.is_dir() else ()


def _paths(raw: object) -> object:
    """AZYL_SOURCE_TEXTS: folders separated like PATH (`:` on Unix)."""
    if isinstance(raw, str):
        return tuple(Path(p) for p in raw.split(os.pathsep) if p.strip())
    return raw


def _yes_no(raw: object) -> object:
    if isinstance(raw, str):
        value = raw.strip().lower()
        if value in {"1", "true", "yes", "on"}:
            return True
        if value in {"0", "false", "no", "off"}:
            return False
        raise ValueError("expected yes/no, true/false, on/off or 1/0")
    return raw


def _whole(raw: object) -> object:
    if isinstance(raw, str):
        try:
            return int(raw.strip())
        except ValueError:
            raise ValueError("expected a whole number") from None
    return raw


YesNo = Annotated[bool, BeforeValidator(_yes_no)]
Count = Annotated[int, BeforeValidator(_whole), Field(ge=0)]


class Settings(BaseSettings):
    """The values in force. Build with `load_settings()`; tests pass a mapping."""

    model_config = SettingsConfigDict(
        env_prefix=PREFIX, env_ignore_empty=True, frozen=True, extra="ignore"
    )

    data_dir: Path = Field(
        default_factory=_user_data_dir,
        description="Where azyl keeps its databases and downloads (per user by default).",
    )
    mirror_dir: Path | None = Field(
        default_factory=find_mirror,
        description=(
            "A mirror of the publishers' statistics files (default: ../shared/data beside the "
            "checkout, when it exists). Without one, azyl downloads the files it needs."
        ),
    )
    online: YesNo = Field(
        default=True,
        description=(
            "May azyl download publisher files when no mirror holds them? AZYL_ONLINE=no "
            "forbids any download (tests and CI set it)."
        ),
    )
    source_texts: Annotated[tuple[Path, ...], NoDecode, BeforeValidator(_paths)] = Field(
        default_factory=_default_texts,
        description=(
            "Folders holding copies of source texts (separated by ':'), against which "
            "knowledge-base quotes are checked (default: ../shared beside the checkout)."
        ),
    )
    stats_db: Path | None = Field(
        default=None,
        description=(
            "DuckDB file holding the official statistics (default: <data_dir>/stats.duckdb)."
        ),
    )
    database_url: str | None = Field(
        default=None,
        description=(
            "SQLAlchemy URL of the application database (default: SQLite in <data_dir>; "
            "set postgresql+psycopg://... for a shared server)."
        ),
    )
    kb_dir: Path = Field(
        default=REPO_ROOT / "kb",
        description="The knowledge base of state practice (sources and facts as YAML).",
    )
    incidents_seed: Path = Field(
        default=REPO_ROOT / "incidents" / "seed.yaml",
        description="The reviewed seed file of the incident registry, loaded by `azyl build`.",
    )
    small_n: Count = Field(
        default=30,
        description="Rates computed from fewer decisions than this are marked as small numbers.",
    )
    host: str = Field(default="127.0.0.1", description="Address the web application listens on.")
    port: Annotated[int, BeforeValidator(_whole)] = Field(
        default=8000, description="Port the web application listens on."
    )
    language: str = Field(
        default="en",
        description="Default interface language (en or ru); users can switch in the app.",
    )
    key_file: Path | None = Field(
        default=None,
        description=(
            "File holding the keys that encrypt personal data (default: "
            "<data_dir>/keys/azyl.keys, created owner-only on first use). Keep it off the "
            "database server and out of backups."
        ),
    )
    keys: str | None = Field(
        default=None,
        description=(
            "The keyring itself instead of a file (for deployments that inject secrets as "
            "environment variables); takes precedence over AZYL_KEY_FILE."
        ),
    )
    production: YesNo = Field(
        default=False,
        description="Shared-server mode: cookies only over HTTPS, HSTS, no detail in error pages.",
    )
    sign_in_required: YesNo = Field(
        default=False,
        description=(
            "Every page and API route except sign-in needs an account (for a team's server)."
        ),
    )
    session_hours: Count = Field(
        default=8,
        description="A sign-in lasts this many hours at most; after that the user signs in again.",
    )
    idle_minutes: Count = Field(
        default=60, description="A session unused for this many minutes ends."
    )
    max_upload_bytes: Count = Field(
        default=5 * 1024 * 1024,
        description="Largest request body (uploads, imports, forms) the web application accepts.",
    )
    forwarded_allow_ips: str = Field(
        default="127.0.0.1",
        description=(
            "Reverse proxies trusted to report the client address (X-Forwarded-For), "
            "comma-separated; the sign-in throttle counts per client address."
        ),
    )

    @field_validator("port")
    @classmethod
    def _port(cls, value: int) -> int:
        if not 0 < value < 65536:
            raise ValueError("a TCP port is a number from 1 to 65535")
        return value

    @field_validator("language", mode="before")
    @classmethod
    def _language(cls, value: object) -> object:
        lang = str(value).strip().lower()
        if lang not in {"en", "ru"}:
            raise ValueError("azyl ships English (en) and Russian (ru)")
        return lang

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Arguments, then the environment given to `load_settings`; no .env or secret files."""
        return (init_settings, _MappingEnvSource(settings_cls))

    @property
    def stats_db_path(self) -> Path:
        """The DuckDB statistics file, defaulting into the data directory."""
        return self.stats_db or self.data_dir / "stats.duckdb"

    @property
    def downloads_dir(self) -> Path:
        """Where publisher files are downloaded to when no mirror holds them (a mirror's layout)."""
        return self.data_dir / "downloads"

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
        shown: dict[str, Any] = {
            "stats_db": self.stats_db_path,
            "database_url": self.database,
            "key_file": self.key_file_path,
            "keys": "(set)" if self.keys else None,  # a secret: never print it
            "source_texts": os.pathsep.join(str(p) for p in self.source_texts) or None,
        }
        rows = []
        for name, info in type(self).model_fields.items():
            value = shown[name] if name in shown else getattr(self, name)
            rows.append(
                (env_var(name), "" if value is None else str(value), info.description or "")
            )
        return rows


def env_var(name: str) -> str:
    """The environment variable of a setting: `data_dir` -> `AZYL_DATA_DIR`."""
    return PREFIX + name.upper()


class _MappingEnvSource(EnvSettingsSource):
    """pydantic-settings' environment source, reading the mapping given to `load_settings`."""

    def _load_env_vars(self) -> Mapping[str, str | None]:
        return {k.lower(): v for k, v in _environ().items()}


@contextmanager
def _reading(environ: Mapping[str, str]) -> Iterator[None]:
    token = _ENVIRON.set(environ)
    try:
        yield
    finally:
        _ENVIRON.reset(token)


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read every setting from `environ` (default: the process environment)."""
    env = os.environ if environ is None else environ
    with _reading(env):
        try:
            return Settings()
        except ValidationError as exc:
            error = exc.errors(include_url=False)[0]
            name = str(error["loc"][0])
            raw = env.get(env_var(name), "")
            if error["type"] == "greater_than_equal":
                reason = "must be zero or a positive whole number"
            elif error["type"] == "value_error":
                reason = str(error["ctx"]["error"])
            else:
                reason = error["msg"]
            raise ConfigError(f"{env_var(name)}={raw!r} is not valid: {reason}") from None

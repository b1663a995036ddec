"""`azyl backup` and `azyl restore`: every row back across backends; bad files refused."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from sqlalchemy import Engine, inspect, text

from azyl.accounts.model import User
from azyl.appdb import make_engine, session_scope
from azyl.audit import record
from azyl.backup.archive import open_sealed, seal
from azyl.backup.snapshot import SKIPPED_TABLES
from azyl.config import load_settings
from azyl.incidents import import_incidents
from azyl.incidents.references import catalogue_for
from azyl.vault import Vault
from azyl.vault.keyring import Keyring, write_keyring
from conftest import Run
from ops_support import BACKENDS, env_for, every_row, fill_every_table, fresh_url  # noqa: F401

VALID_INCIDENTS = Path(__file__).parent / "incidents" / "valid.yaml"
PG = pytest.mark.postgres


def _keyring(path: Path, key: bytes = b"k" * 32, key_id: str = "k1") -> Vault:
    keyring = Keyring(active=key_id, keys={key_id: key})
    write_keyring(keyring, path)
    return Vault(keyring)


class Server:
    """One azyl installation in a test: a database, a keyring file, and `azyl` bound to them."""

    def __init__(self, run: Callable[..., Run], env: dict[str, str], url: str) -> None:
        self.env, self.url = env, url
        self.azyl = lambda *args: run(*args, env=env)
        self.engine: Engine = make_engine(url)

    @property
    def key_file(self) -> Path:
        return Path(self.env["AZYL_KEY_FILE"])


@pytest.fixture
def servers(
    fresh_url: Callable[[str], str],  # noqa: F811
    run_azyl: Callable[..., Run],
    tmp_path: Path,
    mirror_dir: Path,
):  # type: ignore[no-untyped-def]
    made: list[Server] = []

    def make(kind: str, keys: str = "keys") -> Server:
        url = fresh_url(kind)
        made.append(Server(run_azyl, env_for(tmp_path, mirror_dir, url, keys), url))
        return made[-1]

    yield make
    for server in made:
        server.engine.dispose()


def _populated(server: Server) -> None:
    """Incidents through the real importer, accounts, audit entries, and a row in every table."""
    assert server.azyl("db", "upgrade").code == 0
    as_json = Path(server.env["HOME"]) / f"incidents-{id(server)}.json"
    as_json.write_text(json.dumps(yaml.safe_load(VALID_INCIDENTS.read_text()), default=str))
    settings = load_settings(server.env)
    import_incidents(server.engine, as_json, catalogue_for(settings))
    with session_scope(server.engine) as session:
        for n, name in enumerate(["amina", "timur", "zarina"]):
            session.add(User(username=name, role="caseworker", password_hash=f"$argon2id${n}"))
        session.flush()
        record(session, "user.add", actor="admin", target=("user", 1), details={"role": "x"})
        record(session, "case.view", actor="amina", target=("case", 7), address="10.0.0.7")
    fill_every_table(server.engine, skip=SKIPPED_TABLES)


ROUTES = [
    ("sqlite", "sqlite"),
    pytest.param("sqlite", "postgres", marks=PG),
    pytest.param("postgres", "sqlite", marks=PG),
    pytest.param("postgres", "postgres", marks=PG),
]


@pytest.mark.parametrize(("source_kind", "target_kind"), ROUTES)
def test_a_restore_reproduces_every_row_of_every_table(
    servers, tmp_path: Path, source_kind: str, target_kind: str
) -> None:  # type: ignore[no-untyped-def]
    source, target = servers(source_kind), servers(target_kind)
    _keyring(source.key_file)
    _populated(source)
    before = every_row(source.engine, skip=SKIPPED_TABLES)
    assert all(before.values()), [name for name, rows in before.items() if not rows]
    backup = tmp_path / "azyl.backup"
    made = source.azyl("backup", "-o", str(backup))
    assert made.code == 0, made.err
    assert backup.stat().st_mode & 0o077 == 0  # owner-only
    restored = target.azyl("restore", str(backup))
    assert restored.code == 0, restored.err
    after = every_row(target.engine, skip=SKIPPED_TABLES)
    for name, rows in before.items():
        if name == "audit_log":  # the restore appends its own entry after the restored ones
            assert after[name][: len(rows)] == rows
            assert [r[3] for r in after[name][len(rows) :]] == ["backup.restore"]
        elif name != "audit_head":
            assert after[name] == rows, name
    verified = target.azyl("audit", "verify")
    assert verified.code == 0 and verified.out.startswith(f"{len(before['audit_log']) + 1} entries")
    # The source recorded the backup after its snapshot.
    newest = source.azyl("audit", "list", "--limit", "1", "--format", "json").json()["data"][0]
    assert newest["action"] == "backup.create"
    assert newest["details"]["sha256"] == hashlib.sha256(backup.read_bytes()).hexdigest()
    # New rows after a restore get fresh ids (PostgreSQL sequences were moved past them).
    with session_scope(target.engine) as session:
        fresh = User(username="new-after-restore", role="viewer", password_hash="x")
        session.add(fresh)
        session.flush()
        assert fresh.id == 1 + max(row[0] for row in before["users"])


def _backup_of(servers) -> tuple[Server, bytes]:  # type: ignore[no-untyped-def]
    source = servers("sqlite")
    _keyring(source.key_file)
    _populated(source)
    out = Path(source.env["HOME"]) / "b.backup"
    assert source.azyl("backup", "-o", str(out)).code == 0
    return source, out.read_bytes()


def _nothing_restored(server: Server) -> bool:
    """No incident, account or audit entry in the target (which may have no tables at all)."""
    existing = set(inspect(server.engine).get_table_names())
    with server.engine.connect() as connection:
        return all(
            connection.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one() == 0
            for table in ("incidents", "users", "audit_log")
            if table in existing
        )


def _flip(data: bytes, at: int) -> bytes:
    """Change one base64 character of the sealed part (still valid base64)."""
    swapped = b"A" if data[at : at + 1] != b"A" else b"B"
    return data[:at] + swapped + data[at + 1 :]


@pytest.mark.parametrize("kind", BACKENDS)
@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda d: _flip(d, len(d) // 2), "damaged, truncated or was altered"),
        (lambda d: d[: len(d) // 2], "damaged, truncated or was altered"),
        (lambda d: d.replace(b'"created_at": "', b'"created_at": "1'), "damaged, truncated"),
        (lambda d: b"PK\x03\x04" + d, "not an azyl backup"),
    ],
    ids=["one-byte-changed", "truncated", "header-edited", "not-a-backup"],
)
def test_a_damaged_backup_is_refused_and_nothing_is_restored(
    servers, tmp_path: Path, kind: str, damage, message: str
) -> None:  # type: ignore[no-untyped-def]
    _, data = _backup_of(servers)
    target = servers(kind)
    bad = tmp_path / "bad.backup"
    bad.write_bytes(damage(data))
    run = target.azyl("restore", str(bad))
    assert run.code == 1 and message in run.err and "Traceback" not in run.err, run.err
    assert _nothing_restored(target)


def test_a_different_keyring_is_refused_with_a_clear_message(servers, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _, data = _backup_of(servers)
    path = tmp_path / "b.backup"
    path.write_bytes(data)
    other = servers("sqlite", keys="other-keys")
    _keyring(other.key_file, key=b"z" * 32)  # same key id, different key
    run = other.azyl("restore", str(path))
    assert run.code == 1 and "is not the key this backup was made with" in run.err
    third = servers("sqlite", keys="third-keys")
    _keyring(third.key_file, key=b"z" * 32, key_id="k7")
    run = third.azyl("restore", str(path))
    assert run.code == 1 and "encrypted with key 'k1', which this keyring does not hold" in run.err
    missing = servers("sqlite", keys="no-keys")
    run = missing.azyl("restore", str(path))
    assert run.code == 1 and "there is no keyring" in run.err


@pytest.mark.parametrize("kind", BACKENDS)
def test_a_database_holding_data_is_never_overwritten(servers, tmp_path: Path, kind: str) -> None:  # type: ignore[no-untyped-def]
    _, data = _backup_of(servers)
    path = tmp_path / "b.backup"
    path.write_bytes(data)
    target = servers(kind)
    target.azyl("db", "upgrade")  # one audit entry: the target is no longer empty
    run = target.azyl("restore", str(path))
    assert run.code == 1 and "already holds data (audit_head, audit_log)" in run.err
    assert target.azyl("audit", "list").err.strip() == "1 entry"


def _resealed(data: bytes, vault: Vault, edit: Callable[[dict[str, bytes]], None]) -> bytes:
    """The backup with its tables edited and its manifest checksums made consistent again.

    This is what an attacker holding the keyring could produce; the restore
    must still reject what the database or the audit chain cannot accept.
    """
    header, files = open_sealed(data, vault)
    edit(files)
    manifest = json.loads(files["manifest.json"])
    for name in manifest["tables"]:
        body = files[f"tables/{name}.jsonl"]
        manifest["tables"][name] = {
            "rows": body.count(b"\n"),
            "sha256": hashlib.sha256(body).hexdigest(),
        }
    files["manifest.json"] = json.dumps(manifest).encode()
    return seal(files, vault, header["created_at"])


def _duplicate_last_audit_entry(files: dict[str, bytes]) -> None:
    body = files["tables/audit_log.jsonl"]
    files["tables/audit_log.jsonl"] = body + body.splitlines(keepends=True)[-1]


def _rewrite_an_audit_actor(files: dict[str, bytes]) -> None:
    lines = files["tables/audit_log.jsonl"].decode().splitlines()
    first = json.loads(lines[0])
    first["actor"] = "someone-else"
    lines[0] = json.dumps(first)
    files["tables/audit_log.jsonl"] = ("\n".join(lines) + "\n").encode()


@pytest.mark.parametrize("kind", BACKENDS)
@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (_duplicate_last_audit_entry, "the database refused a row of the backup"),
        (_rewrite_an_audit_actor, "the restored audit log does not verify (entry 1 was changed"),
    ],
    ids=["duplicate-row", "rewritten-audit-entry"],
)
def test_a_restore_that_fails_midway_leaves_the_database_empty(
    servers, tmp_path: Path, kind: str, edit, message: str
) -> None:  # type: ignore[no-untyped-def]
    _, data = _backup_of(servers)
    vault = Vault(Keyring(active="k1", keys={"k1": b"k" * 32}))
    path = tmp_path / "edited.backup"
    path.write_bytes(_resealed(data, vault, edit))
    target = servers(kind)
    run = target.azyl("restore", str(path))
    assert run.code == 1 and message in run.err, run.err
    assert "nothing was restored" in run.err
    assert _nothing_restored(target)


def test_a_backup_to_a_missing_folder_is_refused_before_it_is_recorded(
    servers, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    source = servers("sqlite")
    _keyring(source.key_file)
    source.azyl("db", "upgrade")
    run = source.azyl("backup", "-o", str(tmp_path / "missing" / "b.backup"))
    assert run.code == 1 and "does not exist" in run.err and "Traceback" not in run.err
    assert source.azyl("audit", "list").err.strip() == "1 entry"  # db.upgrade only

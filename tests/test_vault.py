"""The vault: AES-256-GCM tokens that name their key, bind to their context, and rotate."""

from __future__ import annotations

import base64
import json
import stat

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from azyl.config import Settings
from azyl.errors import ConfigError
from azyl.vault import Vault, VaultError, load_keyring
from azyl.vault.keyring import write_keyring


def test_the_keyring_file_is_created_owner_only(settings: Settings) -> None:
    keyring = load_keyring(settings)
    path = settings.key_file_path
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_keyring(settings).keys == keyring.keys  # read back, not recreated


def test_a_token_decrypts_with_an_independent_aes_gcm(settings: Settings) -> None:
    vault = Vault.from_settings(settings)
    token = vault.encrypt(b"Ruslan, born 1990", context="case:7:name")
    prefix, key_id, blob = token.split(".")
    raw = base64.urlsafe_b64decode(blob)
    key = base64.b64decode(json.loads(settings.key_file_path.read_text())["keys"][key_id])
    assert prefix == "azyl1" and b"Ruslan" not in raw
    assert AESGCM(key).decrypt(raw[:12], raw[12:], b"case:7:name") == b"Ruslan, born 1990"


def test_a_token_moved_to_another_record_or_altered_fails(settings: Settings) -> None:
    vault = Vault.from_settings(settings)
    token = vault.encrypt(b"secret", context="case:7:name")
    with pytest.raises(VaultError, match="case:8:name"):
        vault.decrypt(token, context="case:8:name")
    flipped = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
    with pytest.raises(VaultError):
        vault.decrypt(flipped, context="case:7:name")
    with pytest.raises(VaultError, match="in clear"):
        vault.decrypt("Ruslan", context="case:7:name")


@pytest.mark.parametrize("size", [0, 1, 2, 3, 31])  # every length of the last base64 group
def test_every_single_character_change_to_a_token_fails(settings: Settings, size: int) -> None:
    """No edit of the stored text passes, not even one in the last character's spare bits."""
    vault = Vault.from_settings(settings)
    token = vault.encrypt(b"x" * size, context="case:7:name")
    start = token.rindex(".") + 1
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    survivors = []
    for i in range(start, len(token)):
        for c in alphabet:
            if c != token[i]:
                edited = token[:i] + c + token[i + 1 :]
                try:
                    vault.decrypt(edited, context="case:7:name")
                except VaultError:
                    continue
                survivors.append(edited)
    assert survivors == []


def test_after_a_new_key_old_tokens_still_decrypt(settings: Settings) -> None:
    vault = Vault.from_settings(settings)
    old = vault.encrypt(b"before", context="c")
    rotated = vault.keyring.with_new_key()
    write_keyring(rotated, settings.key_file_path)
    newer = Vault.from_settings(settings)
    assert newer.keyring.active == "k2" and Vault.key_id(old) == "k1"
    assert newer.decrypt(old, context="c") == b"before"
    assert Vault.key_id(newer.encrypt(b"after", context="c")) == "k2"
    pruned = Vault(newer.keyring.without({"k1"}))
    with pytest.raises(ConfigError, match="'k1'"):
        pruned.decrypt(old, context="c")


def test_the_keyring_can_come_from_the_environment(settings: Settings) -> None:
    text = load_keyring(settings).to_json()
    from_env = settings.model_copy(
        update=dict(keys=text, key_file=settings.data_dir / "absent.keys")
    )
    assert load_keyring(from_env).keys == load_keyring(settings).keys
    assert not (settings.data_dir / "absent.keys").exists()


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("not json", "not an azyl keyring"),
        ('{"format": "other"}', "format is not"),
        ('{"format": "azyl-keyring-1", "active": "k9", "keys": {}}', "active key 'k9'"),
        ('{"format": "azyl-keyring-1", "active": "k1", "keys": {"k1": "AAAA"}}', "32 bytes"),
    ],
)
def test_a_broken_keyring_is_named(settings: Settings, text: str, problem: str) -> None:
    with pytest.raises(ConfigError, match=problem):
        load_keyring(settings.model_copy(update=dict(keys=text)))

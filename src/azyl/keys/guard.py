"""The keyring of a database: never a new, unrelated keyring for data encrypted with a lost one.

A missing keyring file used to be replaced silently on first use: `azyl
serve` made a new key `k1` (the same id as the lost one), new saves
succeeded under it, and every older case failed to decrypt. The commands
already refused (`load_keyring(create=False)`). `keyring_for` is what the web
application and `azyl keys init` use: a keyring is created only for a
database that holds no value encrypted with one; otherwise the server refuses
to start and says to restore the keyring.
"""

from __future__ import annotations

import logging

from sqlalchemy import Engine

from azyl.config import Settings
from azyl.errors import ConfigError
from azyl.keys.rotation import usage
from azyl.vault.keyring import Keyring, load_keyring

log = logging.getLogger(__name__)


def encrypted_values(engine: Engine) -> dict[str, int]:
    """How many values the database holds under each key id (nothing: an empty dict)."""
    return {key: sum(counts.values()) for key, counts in usage(engine).items()}


def keyring_for(settings: Settings, engine: Engine) -> Keyring:
    """The keyring of these settings; created only if it is missing and the database needs none."""
    if settings.keys or settings.key_file_path.exists():
        return load_keyring(settings, create=False)
    held = encrypted_values(engine)
    if held:
        keys = ", ".join(f"{key} ({count})" for key, count in sorted(held.items()))
        raise ConfigError(
            f"there is no keyring at {settings.key_file_path}, but the database holds values "
            f"encrypted with one: {keys}. Restore the keyring from its offline copy (or point "
            "AZYL_KEY_FILE at it); a new keyring could not open them, so azyl does not make one"
        )
    keyring = load_keyring(settings, create=True)
    log.warning("created a new keyring at %s (0600): make its offline copy now", keyring.path)
    return keyring

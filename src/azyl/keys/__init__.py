"""The keyring's life: created only for a database that needs none, rotated, keys retired.

    keyring_for(settings, engine)            # the keyring, made only for an empty database
    rotate(engine, settings, actor=...)      # a new active key, every value moved under it
    usage(engine) / retire(engine, ...)      # what each key protects; drop an unused key

This package sits above `azyl.vault` (keys and ciphers), `azyl.cases` and
`azyl.accounts` (the values encrypted with them): it is where the three meet,
so none of them has to know the others. `azyl keys ...` and the web app's
start-up call it.
"""

from azyl.keys.guard import encrypted_values, keyring_for
from azyl.keys.rotation import BATCH_SIZE, TARGETS, Rotation, Target, pending, retire, rotate, usage

__all__ = [
    "BATCH_SIZE",
    "TARGETS",
    "Rotation",
    "Target",
    "encrypted_values",
    "keyring_for",
    "pending",
    "retire",
    "rotate",
    "usage",
]

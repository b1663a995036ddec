"""`azyl` with the tests' small Argon2 parameters, for tests that start a real server process.

A sign-in for an unknown username costs one verification at the production
parameters (about 0.12 s of a core here; `azyl.accounts.passwords.burn_dummy`),
and the crash test sends dozens of them only to have writes in flight. The
parameters are set when this file is loaded, so the worker processes that
`azyl serve --workers 2` spawns (which load it again as their main module)
get them too. Everything else is the real command line.
"""

from __future__ import annotations

from argon2 import PasswordHasher

from azyl.accounts import passwords

passwords.HASHER = PasswordHasher(time_cost=1, memory_cost=1024)

if __name__ == "__main__":
    from azyl.cli import main

    main()

"""Password hashing with Argon2id, and the password policy.

The parameters are argon2-cffi's defaults (RFC 9106's second recommended
profile: 64 MiB, 3 passes, 4 lanes). When they change, a stored hash is
replaced at the next successful sign-in (`needs_rehash`), so old hashes do not
linger. Unknown usernames are checked against `DUMMY_HASH`, so a sign-in for
a name that does not exist costs the same work as one that does.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from azyl.accounts.errors import WeakPassword
from azyl.i18n import N_
from azyl.i18n.message import failure

#: The shortest password accepted. Length is what resists guessing; no composition rules.
MIN_LENGTH = 12
#: Longer inputs are refused so a huge "password" cannot tie up the server.
MAX_LENGTH = 1024

#: The production parameters, and the hasher in force (tests swap in cheap ones).
DEFAULT_HASHER = PasswordHasher()
HASHER = DEFAULT_HASHER
_DUMMIES: dict[tuple[int, int, int], str] = {}


def check_policy(password: str) -> None:
    """Refuse a new password that is too short or absurdly long, with a clear sentence."""
    if len(password) < MIN_LENGTH:
        raise failure(
            WeakPassword,
            N_(
                "the password must be at least {least} characters long (it has {length}); "
                "a few unrelated words make a good one"
            ),
            least=MIN_LENGTH,
            length=len(password),
        )
    if len(password) > MAX_LENGTH:
        raise failure(
            WeakPassword,
            N_("the password must be at most {most} characters long"),
            most=MAX_LENGTH,
        )


def hash_password(password: str) -> str:
    """The Argon2id hash of a password that meets the policy."""
    check_policy(password)
    return HASHER.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    """Whether `password` matches `stored_hash` (any malformed hash simply does not match).

    Always exactly one Argon2 verification: a password over MAX_LENGTH is
    verified cut to that length and then refused. Refusing it before any
    work, as azyl once did, answered faster for existing accounts than the
    dummy check of unknown ones, which told an attacker who has an account.
    """
    try:
        matches = HASHER.verify(stored_hash, password[:MAX_LENGTH])
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
    return matches and len(password) <= MAX_LENGTH


def rehash(password: str) -> str:
    """A fresh hash of a password that just verified (no policy check: it is already in use)."""
    return HASHER.hash(password)


def burn_dummy(password: str) -> None:
    """Do the work of one verification for a username that does not exist."""
    params = (HASHER.time_cost, HASHER.memory_cost, HASHER.parallelism)
    if params not in _DUMMIES:
        _DUMMIES[params] = HASHER.hash("azyl dummy password for unknown users")
    verify_password(_DUMMIES[params], password)


def needs_rehash(stored_hash: str) -> bool:
    """Whether the hash was made with other parameters than today's (rehash on sign-in)."""
    try:
        return HASHER.check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True

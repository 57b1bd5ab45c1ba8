"""Password hashing with Argon2id (argon2-cffi)."""
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_NORMAL = PasswordHasher()  # library defaults: Argon2id, 64 MiB, 3 passes
# Tests hash hundreds of passwords; the scheme stays Argon2id, only the work is lighter.
_FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
_cost = {"value": "normal"}


def use_cost(cost: str) -> None:
    """Choose 'normal' (production) or 'fast' (tests) work factors for new hashes."""
    _cost["value"] = cost


def _hasher() -> PasswordHasher:
    return _FAST if _cost["value"] == "fast" else _NORMAL


def hash_password(password: str) -> str:
    """An Argon2id hash with its own random salt."""
    return _hasher().hash(password)


def check_password(password_hash: str, password: str) -> bool:
    """True when `password` matches; never raises on a malformed hash."""
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# Verifying against this when the e-mail is unknown keeps the answer time the same, so the
# login form does not tell which addresses have accounts.
_DUMMY = {}


def burn_time(password: str) -> None:
    """Spend the time of one verification, for an unknown account."""
    key = _cost["value"]
    if key not in _DUMMY:
        _DUMMY[key] = _hasher().hash("not-a-real-password")
    check_password(_DUMMY[key], password)

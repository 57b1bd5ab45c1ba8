"""Which passwords are refused: too short, among the 10,000 most common, or built from the person's
own e-mail or name. One rule for registration, create-user, password change and reset."""
from functools import lru_cache
from pathlib import Path

from flask_babel import gettext as _

MIN_LENGTH = 8
MAX_LENGTH = 200
MIN_PART = 3  # shorter pieces of a name ("Al") would refuse too many good passwords
COMMON_FILE = Path(__file__).with_name("common_passwords.txt")


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The shipped list (source and licence in the file's header), lower case."""
    lines = COMMON_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def _personal_parts(email: str, name: str) -> list[str]:
    local = (email or "").split("@", 1)[0].lower()
    parts = [local] if len(local) >= MIN_PART else []
    for piece in local.replace(".", " ").replace("_", " ").replace("-", " ").replace("+", " ").split():
        if len(piece) >= MIN_PART:
            parts.append(piece)
    for word in (name or "").lower().split():
        word = "".join(ch for ch in word if ch.isalpha())  # a number beside a name is not the name
        if len(word) >= MIN_PART:
            parts.append(word)
    return parts


def password_problems(password: str, email: str = "", name: str = "") -> list[str]:
    """What is wrong with `password`, in Indonesian; an empty list when it may be used."""
    password = password or ""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(_("Kata sandi minimal %(n)d karakter.", n=MIN_LENGTH))
    if len(password) > MAX_LENGTH:
        problems.append(_("Kata sandi maksimal %(n)d karakter.", n=MAX_LENGTH))
    lowered = password.lower()
    if lowered in common_passwords() or lowered.strip() in common_passwords():
        problems.append(_("Kata sandi ini termasuk yang paling sering dipakai dan mudah ditebak. Pilih yang lain."))
    if any(part in lowered for part in _personal_parts(email, name)):
        problems.append(_("Kata sandi tidak boleh memuat alamat email atau nama Anda."))
    return problems

"""What the field rules of every domain share: the `ref` of an imported or API-written row is unique,
checked one at a time by the services and a file at a time by the imports, with the same words."""
from flask_babel import gettext as _
from sqlalchemy import select

from gandeng.errors import DomainError

REF_MAX = 64  # the `ref` column is String(64) on needs and offers


def normalise_ref(ref) -> str:
    """A ref as stored: runs of spaces folded to one, no leading or trailing spaces."""
    return " ".join(str(ref or "").split())


def refs_in_use(session, model, refs) -> set[str]:
    """Those of `refs` that a row of `model` already carries (in batches of 500: a file may hold 20,000)."""
    wanted = [ref for ref in refs if ref]
    used = set()
    for start in range(0, len(wanted), 500):
        used |= set(session.scalars(select(model.ref).where(model.ref.in_(wanted[start:start + 500]))))
    return used


def ref_taken_message() -> str:
    return _("Ref ini sudah dipakai.")


def check_ref_free(session, model, ref, own_id=None) -> None:
    """DomainError on `ref` when another row of `model` already uses it (refs are unique)."""
    ref = normalise_ref(ref)
    if not ref:
        return
    other = session.scalar(select(model.id).where(model.ref == ref))
    if other is not None and other != own_id:
        raise DomainError(ref_taken_message(), "ref")

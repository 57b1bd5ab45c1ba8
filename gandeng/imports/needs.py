"""Importing needs: every row checked by the needs service's own rules first, then all of them
written in bulk as verified needs (20,000 rows in seconds instead of a minute)."""
from flask_babel import gettext as _
from sqlalchemy import select, tuple_, update

from gandeng.accounts.models import Kampung
from gandeng.db import utcnow
from gandeng.errors import DomainError
from gandeng.imports.common import (
    ImportResult, insert_by_ref, insert_returning_ids, money, optional_date, record_created, text, validate_all,
    whole, write_all_or_nothing, yes_no,
)
from gandeng.needs.models import Need, NeedStatus
from gandeng.needs.services import clean_need_fields
from gandeng.reference.services import categories, find_kelurahan, normalise_name
from gandeng.reports.public_version import mark_public_changed

# As docs/import.md: the other columns may be left out of the file altogether.
REQUIRED = ("ref", "kelurahan", "kampung", "category", "title", "description", "cost_rp")
OPTIONAL = ("rw", "households", "kms_households", "deadline", "urgency", "partial_ok")
# The services name fields as the model does; the file names some of them differently.
COLUMN_OF = {"category_code": "category"}


def import_needs(session, rows) -> ImportResult:
    """Create a verified need for every row (kampung created if missing, counted as verified),
    or nothing at all when any row is bad; every bad row is in the result."""
    # Held for the whole import: clean_need_fields finds them in the session, without a query.
    known_categories = categories(session)
    category_codes = [c.code for c in known_categories]
    kelurahan_by_name = {}

    def kelurahan_of(name):
        if name not in kelurahan_by_name:
            kelurahan_by_name[name] = find_kelurahan(session, name)
        return kelurahan_by_name[name]

    def prepare_row(row, ref, problems):
        kelurahan_name = text(row["kelurahan"])
        kelurahan = kelurahan_of(kelurahan_name) if kelurahan_name else None
        if not kelurahan_name:
            problems.add("kelurahan", _("Wajib diisi."))
        elif kelurahan is None:
            problems.add("kelurahan", _("Kelurahan tidak dikenal: %(name)s", name=kelurahan_name))
        data = {
            "ref": ref,
            "rw": text(row["rw"]),
            "category_code": text(row["category"]).lower(),
            "title": text(row["title"]),
            "description": text(row["description"]),
            "households": problems.value("households", whole, row["households"]),
            "kms_households": problems.value("kms_households", whole, row["kms_households"]),
            "cost_rp": problems.value("cost_rp", money, row["cost_rp"]),
            "deadline": problems.value("deadline", optional_date, row["deadline"]),
            "urgency": text(row["urgency"]).lower(),
            "partial_ok": problems.value("partial_ok", yes_no, row["partial_ok"]),
        }
        if problems.errors:
            return None
        kampung_name = " ".join(text(row["kampung"]).split())
        if not normalise_name(kampung_name):
            raise DomainError(_("Nama kampung wajib diisi."), "kampung")
        try:
            clean = clean_need_fields(session, data)
        except DomainError as error:
            if error.field != "category_code":
                raise
            # The service's rule, with the codes a spreadsheet user can choose from.
            raise DomainError(_("%(message)s Kode yang ada: %(codes)s.", message=error.message,
                                codes=", ".join(category_codes)), error.field) from None
        return kelurahan.code, kampung_name, clean

    result, prepared = validate_all(session, rows, prepare_row, COLUMN_OF, Need)
    return write_all_or_nothing(session, result, prepared, lambda ready: _write(session, ready))


def _kampung_ids(session, wanted: dict) -> tuple[dict, int]:
    """{(kelurahan code, name key): kampung id} for every kampung the file names: existing ones
    found with one query (and marked verified), missing ones created; and how many were new."""
    keys = list(wanted)
    found, unverified = {}, []
    for start in range(0, len(keys), 500):
        for kampung_id, code, key, verified_at in session.execute(
                select(Kampung.id, Kampung.kelurahan_code, Kampung.name_key, Kampung.verified_at)
                .where(tuple_(Kampung.kelurahan_code, Kampung.name_key).in_(keys[start:start + 500]))):
            found[(code, key)] = kampung_id
            if verified_at is None:
                unverified.append(kampung_id)
    now = utcnow()
    if unverified:
        session.execute(update(Kampung).where(Kampung.id.in_(unverified)).values(verified_at=now))
    missing = [key for key in keys if key not in found]
    new_ids = insert_returning_ids(session, Kampung, [
        {"name": wanted[key], "name_key": key[1], "kelurahan_code": key[0], "verified_at": now}
        for key in missing])
    found.update(zip(missing, new_ids))
    return found, len(missing)


def _write(session, prepared: list) -> dict:
    """The needs (verified now), their new kampung and their audit rows, in a few statements."""
    wanted = {}
    for kelurahan_code, kampung_name, _clean in prepared:
        wanted.setdefault((kelurahan_code, normalise_name(kampung_name)), kampung_name)
    kampung_ids, new_kampung = _kampung_ids(session, wanted)
    now = utcnow()
    needs = [
        {**clean, "kampung_id": kampung_ids[(code, normalise_name(name))], "kelurahan_code": code,
         "created_by_id": None, "status": str(NeedStatus.VERIFIED), "submitted_at": now, "verified_at": now}
        for code, name, clean in prepared
    ]
    ids = insert_by_ref(session, Need, needs)
    mark_public_changed(session)  # verified needs count on /public (a Core insert goes unseen)
    record_created(session, "need.create", Need.__tablename__, ids,
                   [(None, {"status": str(NeedStatus.VERIFIED)})] * len(ids))
    return {"kampung": new_kampung}


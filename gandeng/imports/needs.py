"""Importing needs: each row goes through the needs services and becomes a verified need."""
from flask_babel import gettext as _

from gandeng.accounts.services import find_kampung, get_or_create_kampung
from gandeng.errors import DomainError
from gandeng.imports.common import (
    ImportResult, money, optional_date, run_all_or_nothing, text, whole, yes_no,
)
from gandeng.needs.models import Need, NeedStatus
from gandeng.needs.services import create_need
from gandeng.reference.services import categories, find_kelurahan

# As docs/import.md: the other columns may be left out of the file altogether.
REQUIRED = ("ref", "kelurahan", "kampung", "category", "title", "description", "cost_rp")
OPTIONAL = ("rw", "households", "kms_households", "deadline", "urgency", "partial_ok")
# The services name fields as the model does; the file names some of them differently.
COLUMN_OF = {"category_code": "category"}


def import_needs(session, rows) -> ImportResult:
    """Create a verified need for every row (kampung created if missing, counted as verified),
    or nothing at all when any row is bad; every bad row is in the result."""
    kelurahan_by_name = {}
    category_codes = [c.code for c in categories(session)]
    new_kampung = set()

    def kelurahan_of(name):
        if name not in kelurahan_by_name:
            kelurahan_by_name[name] = find_kelurahan(session, name)
        return kelurahan_by_name[name]

    def import_row(row, ref, problems) -> bool:
        kelurahan_name = text(row["kelurahan"])
        kelurahan = kelurahan_of(kelurahan_name) if kelurahan_name else None
        if not kelurahan_name:
            problems.add("kelurahan", _("Wajib diisi."))
        elif kelurahan is None:
            problems.add("kelurahan", _("Kelurahan tidak dikenal: %(name)s", name=kelurahan_name))
        category = text(row["category"]).lower()
        data = {
            "ref": ref,
            "rw": text(row["rw"]),
            "category_code": category,
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
            return False
        kampung_name = " ".join(text(row["kampung"]).split())
        if kampung_name and find_kampung(session, kampung_name, kelurahan.code) is None:
            new_kampung.add((kelurahan.code, kampung_name.lower()))
        kampung = get_or_create_kampung(session, kampung_name, kelurahan.code, verified=True)
        try:
            create_need(session, None, kampung, data, status=NeedStatus.VERIFIED)
        except DomainError as error:
            if error.field != "category_code":
                raise
            # The service's rule, with the codes a spreadsheet user can choose from.
            raise DomainError(_("%(message)s Kode yang ada: %(codes)s.", message=error.message,
                                codes=", ".join(category_codes)), error.field) from None
        return True

    result = run_all_or_nothing(session, rows, import_row, COLUMN_OF, Need)
    if result.ok:
        result.new = {"kampung": len(new_kampung)}
    return result



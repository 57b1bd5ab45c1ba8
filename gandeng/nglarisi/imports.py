"""`flask import groups FILE`: verified kelompok from a CSV/XLSX file, all or nothing, every bad row named."""
from flask_babel import gettext as _

from gandeng.imports.common import ImportResult, money, run_all_or_nothing, text, whole
from gandeng.nglarisi.models import GroupStatus
from gandeng.nglarisi.services import create_group
from gandeng.reference.services import find_kelurahan, normalise_name

REQUIRED = ("group", "kelurahan", "members", "kms_members", "menu", "price_per_portion_rp",
            "capacity_portions_per_day", "contact_phone")
OPTIONAL = ()
MIN_MEMBERS, MAX_MEMBERS, MIN_KMS = 5, 20, 2  # the programme's rule for a kelompok
COLUMN_OF = {"group": "group", "contact_phone": "contact_phone", "kelurahan_code": "kelurahan"}


def _number(problems, column, raw, low, high=None):
    value = problems.value(column, whole, raw)
    if value is None and not problems.errors_in(column):
        problems.add(column, _("Wajib diisi."))
    elif value is not None and (value < low or (high is not None and value > high)):
        problems.add(column, _("Harus antara %(low)d dan %(high)d.", low=low, high=high) if high is not None
                     else _("Paling sedikit %(low)d.", low=low))
        return None
    return value


def import_groups(session, rows) -> ImportResult:
    """Create each group verified, with one menu item; nothing when any row is bad."""
    first_row = {}

    def import_row(row, _ref, problems) -> bool:
        name = " ".join(text(row["group"]).split())
        key = normalise_name(name)
        if key and key in first_row:
            problems.add("group", _("%(name)s sudah ada di baris %(row)d.", name=name, row=first_row[key]))
        elif key:
            first_row[key] = row.number
        kelurahan = None
        if not text(row["kelurahan"]):
            problems.add("kelurahan", _("Wajib diisi."))
        else:
            kelurahan = find_kelurahan(session, text(row["kelurahan"]))
            if kelurahan is None:
                problems.add("kelurahan", _("Kelurahan tidak dikenal: %(name)s", name=text(row["kelurahan"])))
        members = _number(problems, "members", row["members"], MIN_MEMBERS, MAX_MEMBERS)
        kms = _number(problems, "kms_members", row["kms_members"], MIN_KMS)
        if members is not None and kms is not None and kms > members:
            problems.add("kms_members", _("Tidak boleh lebih dari members (%(n)d).", n=members))
        menu = " ".join(text(row["menu"]).split())
        if not menu:
            problems.add("menu", _("Wajib diisi."))
        price = problems.value("price_per_portion_rp", money, row["price_per_portion_rp"])
        if price is not None and price <= 0:
            problems.add("price_per_portion_rp", _("Harus lebih dari nol."))
        capacity = _number(problems, "capacity_portions_per_day", row["capacity_portions_per_day"], 1)
        phone = text(row["contact_phone"])
        if not phone:
            problems.add("contact_phone", _("Wajib diisi."))
        if problems.errors:
            return False
        create_group(session, None, name=name, kelurahan_code=kelurahan.code, status=GroupStatus.VERIFIED,
                     menu=[(menu[:200], price)], members_count=members, kms_members_count=kms,
                     capacity_per_day=capacity, contact_phone=phone)
        return True

    return run_all_or_nothing(session, rows, import_row, COLUMN_OF, None)

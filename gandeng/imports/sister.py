"""Importing sister profiles (issue 17): kampung with their themes, and campuses and companies with
their capacity for the year. Both create or update by name, all or nothing."""
from flask_babel import gettext as _

from gandeng.accounts.models import OrgType
from gandeng.accounts.services import find_kampung, find_organisation, get_or_create_kampung, \
    get_or_create_organisation
from gandeng.imports.common import ImportResult, run_all_or_nothing, split_list, text, whole
from gandeng.reference.services import categories, find_kelurahan, normalise_name
from gandeng.sister.models import KampungSisterProfile, PartnerSisterProfile, join_themes

KAMPUNG_REQUIRED = ("kampung", "kelurahan", "households", "kms_households", "themes")
PARTNER_REQUIRED = ("organisation", "org_type", "kelurahan", "capacity", "themes")
# Optional: who the kampung talk to (never shown on public pages).
PARTNER_OPTIONAL = ("contact_name", "contact_phone")
SISTER_TYPES = (OrgType.KAMPUS, OrgType.KORPORAT)


class _Lookups:
    """Kelurahan and category codes read once per file."""

    def __init__(self, session):
        self.session = session
        self.codes = [c.code for c in categories(session)]
        self._kelurahan = {}

    def kelurahan(self, problems, raw):
        name = text(raw)
        if not name:
            problems.add("kelurahan", _("Wajib diisi."))
            return None
        if name not in self._kelurahan:
            self._kelurahan[name] = find_kelurahan(self.session, name)
        found = self._kelurahan[name]
        if found is None:
            problems.add("kelurahan", _("Kelurahan tidak dikenal: %(name)s", name=name))
        return found

    def themes(self, problems, raw) -> list[str]:
        codes = [code.lower() for code in split_list(raw)]
        unknown = [code for code in codes if code not in self.codes]
        if unknown:
            problems.add("themes", _("Tema tidak dikenal: %(bad)s. Kode yang ada: %(codes)s.",
                                     bad=", ".join(unknown), codes=", ".join(self.codes)))
        return codes


def _count(problems, column, raw):
    """A whole number ≥ 0 that must be given."""
    value = problems.value(column, whole, raw)
    if value is None and not problems.errors_in(column):
        problems.add(column, _("Wajib diisi."))
    elif value is not None and value < 0:
        problems.add(column, _("Tidak boleh negatif."))
        return None
    return value


def import_kampung(session, rows) -> ImportResult:
    """Create or update each kampung (verified) with its sister profile; nothing when any row is bad."""
    lookups = _Lookups(session)
    first_row = {}
    new_kampung = set()

    def import_row(row, _ref, problems) -> bool:
        name = " ".join(text(row["kampung"]).split())
        if not normalise_name(name):
            problems.add("kampung", _("Wajib diisi."))
        kelurahan = lookups.kelurahan(problems, row["kelurahan"])
        households = _count(problems, "households", row["households"])
        kms = _count(problems, "kms_households", row["kms_households"])
        if households is not None and kms is not None and kms > households:
            problems.add("kms_households", _("Tidak boleh lebih dari households (%(n)d).", n=households))
        themes = lookups.themes(problems, row["themes"])
        if kelurahan is not None and normalise_name(name):
            key = (kelurahan.code, normalise_name(name))
            if key in first_row:
                problems.add("kampung", _("%(name)s sudah ada di baris %(row)d.", name=name, row=first_row[key]))
            else:
                first_row[key] = row.number
        if problems.errors:
            return False
        if find_kampung(session, name, kelurahan.code) is None:
            new_kampung.add((kelurahan.code, normalise_name(name)))
        kampung = get_or_create_kampung(session, name, kelurahan.code, verified=True)
        profile = session.get(KampungSisterProfile, kampung.id)
        if profile is None:
            profile = KampungSisterProfile(kampung_id=kampung.id)
            session.add(profile)
        profile.households, profile.kms_households, profile.themes = households, kms, join_themes(themes)
        session.flush()
        return True

    result = run_all_or_nothing(session, rows, import_row, {}, None)
    if result.ok:
        result.new = {"kampung": len(new_kampung)}
    return result


def import_sister_partners(session, rows) -> ImportResult:
    """Create or update each campus's or company's sister profile (organisation created, verified, when
    missing); nothing when any row is bad."""
    lookups = _Lookups(session)
    first_row = {}
    new_organisations = set()

    def import_row(row, _ref, problems) -> bool:
        name = " ".join(text(row["organisation"]).split())
        if not name:
            problems.add("organisation", _("Wajib diisi."))
        org_type = text(row["org_type"]).lower()
        if org_type not in SISTER_TYPES:
            problems.add("org_type", _("Tulis kampus atau korporat."))
        kelurahan = lookups.kelurahan(problems, row["kelurahan"])
        capacity = _count(problems, "capacity", row["capacity"])
        themes = lookups.themes(problems, row["themes"])
        existing = find_organisation(session, name) if name else None
        if existing is not None and org_type in SISTER_TYPES and existing.type != org_type:
            problems.add("org_type", _("%(name)s terdaftar sebagai %(type)s.", name=existing.name,
                                       type=existing.type))
        if name:
            if name.lower() in first_row:
                problems.add("organisation", _("%(name)s sudah ada di baris %(row)d.", name=name,
                                               row=first_row[name.lower()]))
            else:
                first_row[name.lower()] = row.number
        if problems.errors:
            return False
        if existing is None:
            new_organisations.add(name.lower())
        organisation = get_or_create_organisation(session, name, org_type, verified=True)
        profile = session.get(PartnerSisterProfile, organisation.id)
        if profile is None:
            profile = PartnerSisterProfile(organisation_id=organisation.id)
            session.add(profile)
        profile.capacity, profile.themes = capacity, join_themes(themes)
        profile.home_kelurahan_code = kelurahan.code
        profile.contact_name = " ".join(text(row["contact_name"]).split())[:120]
        profile.contact_phone = text(row["contact_phone"])[:32]
        session.flush()
        return True

    result = run_all_or_nothing(session, rows, import_row, {}, None)
    if result.ok:
        result.new = {"organisations": len(new_organisations)}
    return result

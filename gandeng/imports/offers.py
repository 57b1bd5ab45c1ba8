"""Importing offers: every row checked by the offers service's own rules first, then all of them
written in bulk as active offers (10,000 rows in seconds instead of a minute and a half)."""
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from gandeng.accounts.models import Organisation, OrgType
from gandeng.db import utcnow
from gandeng.errors import DomainError
from gandeng.formatting import today_wib
from gandeng.imports.common import (
    ImportResult, insert_by_ref, insert_many, insert_returning_ids, money, optional_date, record_created, split_list, text,
    validate_all, write_all_or_nothing,
)
from gandeng.offers.models import Offer, OfferArea, OfferStatus, offer_categories
from gandeng.offers.services import clean_offer_fields, resolve_areas
from gandeng.reference.models import Kelurahan, Kemantren
from gandeng.reference.services import categories

# As docs/import.md: the other columns may be left out of the file altogether.
REQUIRED = ("ref", "organisation", "org_type", "kind", "title", "description", "capacity_rp")
OPTIONAL = ("categories", "areas", "valid_until")
COLUMN_OF = {}


def import_offers(session, rows) -> ImportResult:
    """Create an active offer for every row (organisation created if missing, counted as verified),
    or nothing at all when any row is bad; every bad row is in the result."""
    # Held for the whole import: the service's checks find them in the session, without a query.
    held = (categories(session), session.scalars(select(Kemantren)).all(),
            session.scalars(select(Kelurahan)).all())
    area_codes: dict[str, list[str] | DomainError] = {}
    today = today_wib()

    def areas_of(names: list[str]) -> list[str]:
        """resolve_areas, once per distinct name of the file."""
        codes = []
        for name in names:
            if name not in area_codes:
                try:
                    area_codes[name] = resolve_areas(session, [name])
                except DomainError as error:
                    area_codes[name] = error
            found = area_codes[name]
            if isinstance(found, DomainError):
                raise found
            codes.extend(code for code in found if code not in codes)
        return sorted(codes)

    def prepare_row(row, ref, problems):
        data = {
            "ref": ref,
            "kind": text(row["kind"]).lower(),
            "title": text(row["title"]),
            "description": text(row["description"]),
            "capacity_rp": problems.value("capacity_rp", money, row["capacity_rp"]),
            "valid_until": problems.value("valid_until", optional_date, row["valid_until"]),
            "categories": [code.lower() for code in split_list(row["categories"])],
        }
        name = " ".join(text(row["organisation"]).split())
        if not name:
            problems.add("organisation", _("Wajib diisi."))
        if problems.errors:
            return None
        org_type = text(row["org_type"]).lower()
        if org_type not in set(OrgType):  # as get_or_create_organisation says it
            raise DomainError(_("Jenis organisasi harus korporat, kampus atau komunitas."), "org_type")
        clean = clean_offer_fields(session, data)
        clean["areas"] = areas_of(split_list(row["areas"]))
        if clean["valid_until"] is not None and clean["valid_until"] < today:  # as activation says it
            raise DomainError(_("Masa berlaku penawaran sudah lewat. Perbarui tanggalnya dulu."), "valid_until")
        clean["categories"] = [category.code for category in clean["categories"]]
        return name, org_type, clean

    result, prepared = validate_all(session, rows, prepare_row, COLUMN_OF, Offer)
    del held
    return write_all_or_nothing(session, result, prepared, lambda ready: _write(session, ready))


def _organisation_ids(session, wanted: dict) -> tuple[dict, int]:
    """{lower-case name: organisation id} for every organisation the file names: existing ones
    found with one query (and marked verified), missing ones created; and how many were new."""
    names = list(wanted)
    found, unverified = {}, []
    for start in range(0, len(names), 500):
        for org_id, name, verified_at in session.execute(
                select(Organisation.id, func.lower(Organisation.name), Organisation.verified_at)
                .where(func.lower(Organisation.name).in_(names[start:start + 500]))):
            found.setdefault(name, org_id)
            if verified_at is None:
                unverified.append(org_id)
    now = utcnow()
    if unverified:
        session.execute(update(Organisation).where(Organisation.id.in_(unverified)).values(verified_at=now))
    missing = [name for name in names if name not in found]
    new_ids = insert_returning_ids(session, Organisation, [
        {"name": wanted[key][0], "type": wanted[key][1], "verified_at": now} for key in missing])
    found.update(zip(missing, new_ids))
    return found, len(missing)


def _snapshot(clean: dict, status: str) -> dict:
    """What offers.services records at creation (the same keys and forms)."""
    valid_until = clean["valid_until"]
    return {"title": clean["title"], "kind": clean["kind"], "capacity_rp": clean["capacity_rp"],
            "valid_until": valid_until.isoformat() if valid_until else None,
            "categories": clean["categories"], "areas": clean["areas"], "status": status}


def _write(session, prepared: list) -> dict:
    """The offers (active), their categories, areas, new organisations and audit rows, in bulk."""
    wanted = {}
    for name, org_type, _clean in prepared:
        wanted.setdefault(name.lower(), (name, org_type))
    organisation_ids, new_organisations = _organisation_ids(session, wanted)
    offers = [
        {**{key: value for key, value in clean.items() if key not in ("categories", "areas")},
         "organisation_id": organisation_ids[name.lower()], "created_by_id": None,
         "status": str(OfferStatus.ACTIVE)}
        for name, _type, clean in prepared
    ]
    ids = insert_by_ref(session, Offer, offers)
    insert_many(session, offer_categories, [{"offer_id": offer_id, "category_code": code}
                                            for offer_id, (_n, _t, clean) in zip(ids, prepared)
                                            for code in clean["categories"]])
    insert_many(session, OfferArea, [{"offer_id": offer_id, "code": code}
                                     for offer_id, (_n, _t, clean) in zip(ids, prepared) for code in clean["areas"]])
    table = Offer.__tablename__
    record_created(session, "offer.create", table, ids,
                   [(None, _snapshot(clean, str(OfferStatus.DRAFT))) for _n, _t, clean in prepared])
    record_created(session, "offer.activate", table, ids,
                   [({"status": "draft"}, {"status": "active"})] * len(ids))
    return {"organisations": new_organisations}

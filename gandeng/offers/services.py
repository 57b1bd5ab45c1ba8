"""Offer operations: create, update, activate, withdraw."""
from datetime import date

from flask_babel import gettext as _

from gandeng.audit.services import record
from gandeng.errors import DomainError, NotAllowed
from gandeng.field_rules import check_ref_free
from gandeng.formatting import today_wib
from gandeng.offers import policies, rules
from gandeng.offers.models import Offer, OfferArea, OfferKind, OfferStatus
from gandeng.reference.models import Category, Kelurahan, Kemantren
from gandeng.reference.services import find_kelurahan, find_kemantren


def resolve_areas(session, names) -> list[str]:
    """Codes of kemantren or kelurahan given by code or loose name; DomainError on an unknown one."""
    codes = []
    for name in names:
        name = (name or "").strip()
        if not name:
            continue
        found = session.get(Kemantren, name) or session.get(Kelurahan, name)
        found = found or find_kemantren(session, name) or find_kelurahan(session, name)
        if found is None:
            raise DomainError(_("Wilayah tidak dikenal: %(name)s", name=name), "areas")
        if found.code not in codes:
            codes.append(found.code)
    return sorted(codes)


def clean_offer_fields(session, data: dict) -> dict:
    """Checked and normalised offer fields, or a DomainError naming the first bad field."""
    clean = {}
    for name in ("title", "description"):
        raw = str(data.get(name) or "")
        value = raw.strip() if name == "description" else " ".join(raw.split())
        if not value:
            raise DomainError(_("Wajib diisi."), name)
        if len(value) > rules.LENGTHS[name]:
            raise DomainError(_("Maksimal %(max)d karakter.", max=rules.LENGTHS[name]), name)
        clean[name] = value
    if data.get("ref"):
        # Refused when too long, as for needs (it was cut short here, and two cut refs could collide).
        clean["ref"] = " ".join(str(data["ref"]).split())
        if len(clean["ref"]) > rules.LENGTHS["ref"]:
            raise DomainError(_("Maksimal %(max)d karakter.", max=rules.LENGTHS["ref"]), "ref")
    if data.get("kind") not in set(OfferKind):
        raise DomainError(_("Pilih bentuk bantuan: dana, barang, jasa, pelatihan atau pembelian."), "kind")
    clean["kind"] = str(data["kind"])
    capacity = data.get("capacity_rp")
    if isinstance(capacity, bool) or not isinstance(capacity, int) or capacity < rules.CAPACITY_MIN_RP:
        raise DomainError(_("Nilai penawaran harus lebih dari Rp0."), "capacity_rp")
    if capacity > rules.MAX_CAPACITY_RP:
        raise DomainError(_("Nilai penawaran terlalu besar."), "capacity_rp")
    clean["capacity_rp"] = capacity
    valid_until = data.get("valid_until")
    if valid_until is not None and not isinstance(valid_until, date):
        raise DomainError(_("Tanggal tidak sah."), "valid_until")
    clean["valid_until"] = valid_until
    categories = []
    for code in data.get("categories") or []:
        category = session.get(Category, code)
        if category is None:
            raise DomainError(_("Kategori tidak dikenal: %(code)s", code=code), "categories")
        if category not in categories:
            categories.append(category)
    clean["categories"] = categories
    clean["areas"] = resolve_areas(session, data.get("areas") or [])
    return clean


def _apply(offer: Offer, clean: dict) -> None:
    areas = clean.pop("areas")
    for name, value in clean.items():
        setattr(offer, name, value)
    offer.areas = [OfferArea(code=code) for code in areas]


def _snapshot(offer: Offer) -> dict:
    return {
        "title": offer.title, "kind": offer.kind, "capacity_rp": offer.capacity_rp,
        "valid_until": offer.valid_until.isoformat() if offer.valid_until else None,
        "categories": [c.code for c in offer.categories], "areas": [a.code for a in offer.areas],
        "status": offer.status,
    }


def create_offer(session, actor, organisation, data: dict, status: str = OfferStatus.DRAFT) -> Offer:
    """A new offer of `organisation`; partners create drafts, imports create active offers."""
    if actor is not None and not policies.is_staff(actor):
        if not (policies.can_create_offer(actor) and actor.organisation_id == organisation.id):
            raise NotAllowed(_("Anda hanya dapat menulis penawaran untuk organisasi Anda sendiri."))
    clean = clean_offer_fields(session, data)
    check_ref_free(session, Offer, clean.get("ref"))
    offer = Offer(organisation=organisation, created_by=actor, status=OfferStatus.DRAFT)
    _apply(offer, clean)
    session.add(offer)
    session.flush()
    record(session, actor, "offer.create", offer, after=_snapshot(offer))
    if status == OfferStatus.ACTIVE:
        _activate(session, actor, offer)
    return offer


def update_offer(session, actor, offer: Offer, data: dict) -> None:
    """Change an offer; its value may not fall below what is already committed."""
    if not policies.can_edit_offer(actor, offer):
        raise NotAllowed(_("Penawaran ini tidak dapat diubah sekarang."))
    current = {
        "ref": offer.ref, "kind": offer.kind, "title": offer.title, "description": offer.description,
        "capacity_rp": offer.capacity_rp, "valid_until": offer.valid_until,
        "categories": [c.code for c in offer.categories], "areas": [a.code for a in offer.areas],
    }
    merged = {**current, **data}
    clean = clean_offer_fields(session, merged)
    check_ref_free(session, Offer, clean.get("ref"), offer.id)
    if clean["capacity_rp"] < offer.committed_rp:
        raise DomainError(_("Nilai tidak boleh di bawah jumlah yang sudah disanggupi."), "capacity_rp")
    before, description_before = _snapshot(offer), offer.description
    _apply(offer, clean)
    session.flush()
    after = _snapshot(offer)
    # The description is left out of the snapshot (long text) but a change to it is still a change.
    if before != after or offer.description != description_before:
        record(session, actor, "offer.update", offer, before=before, after=after)


def _activate(session, actor, offer: Offer) -> None:
    if not offer.organisation.is_verified:
        raise DomainError(_("Organisasi Anda belum diverifikasi petugas kota, jadi penawaran belum dapat diaktifkan."))
    if offer.valid_until is not None and offer.valid_until < today_wib():
        raise DomainError(_("Masa berlaku penawaran sudah lewat. Perbarui tanggalnya dulu."), "valid_until")
    offer.status = OfferStatus.ACTIVE
    session.flush()
    record(session, actor, "offer.activate", offer, before={"status": "draft"}, after={"status": "active"})


def activate_offer(session, actor, offer: Offer) -> None:
    """Publish a draft offer so the matcher may use it; the organisation must be verified."""
    if not policies.can_activate_offer(actor, offer):
        raise NotAllowed(_("Penawaran ini tidak dapat diaktifkan sekarang."))
    _activate(session, actor, offer)


def withdraw_offer(session, actor, offer: Offer, reason: str = "") -> None:
    """Take an offer off the table; commitments already approved stay as they are."""
    if not policies.can_withdraw_offer(actor, offer):
        raise NotAllowed(_("Penawaran ini tidak dapat ditarik sekarang."))
    reason = (reason or "").strip()
    if len(reason) > rules.REASON_MAX:
        raise DomainError(_("Maksimal %(max)d karakter.", max=rules.REASON_MAX), "reason")
    before = offer.status
    offer.status = OfferStatus.WITHDRAWN
    session.flush()
    record(session, actor, "offer.withdraw", offer, before={"status": before},
           after={"status": "withdrawn"}, note=reason)


def display_status(offer: Offer, today: date | None = None) -> str:
    """The status to show: an active offer past its date shows as expired."""
    today = today or today_wib()
    if offer.status == OfferStatus.ACTIVE and offer.valid_until is not None and offer.valid_until < today:
        return OfferStatus.EXPIRED
    return offer.status

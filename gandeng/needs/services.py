"""Need operations: create, update, submit, withdraw, verify, return, reject."""
import re
from datetime import date

from flask_babel import gettext as _, lazy_gettext as _l

from gandeng.audit.services import record
from gandeng.db import utcnow
from gandeng.errors import DomainError, NotAllowed
from gandeng.field_rules import check_ref_free
from gandeng.formatting import current_lang, today_wib, whole
from gandeng.needs import policies, rules
from gandeng.needs.models import Need, NeedStatus, Urgency
from gandeng.notifications.services import city_staff, coordinators_of, notify
from gandeng.reference.models import Category

FIELDS = (
    "ref", "rw", "category_code", "title", "description", "households", "kms_households",
    "cost_rp", "deadline", "urgency", "partial_ok", "beneficiaries", "contact_phone",
)
NIK_PATTERN = re.compile(r"(?<!\d)\d{16}(?!\d)")


def _text(data, name, required=False):
    raw = str(data.get(name) or "")
    # Multi-line fields keep their line breaks; one-line fields fold runs of spaces.
    value = raw.strip() if name in ("description", "beneficiaries") else " ".join(raw.split())
    if required and not value:
        raise DomainError(_("Wajib diisi."), name)
    if len(value) > rules.LENGTHS[name]:
        raise DomainError(_("Maksimal %(max)d karakter.", max=rules.LENGTHS[name]), name)
    return value


def _whole(data, name, low, high):
    value = data.get(name)
    if value in (None, ""):
        return 0
    if isinstance(value, bool) or not isinstance(value, int):
        raise DomainError(_("Harus berupa bilangan bulat."), name)
    if not low <= value <= high:
        raise DomainError(_("Angka harus antara %(min)s dan %(max)s.", min=whole(low, current_lang()),
                            max=whole(high, current_lang())), name)
    return value


def clean_need_fields(session, data: dict) -> dict:
    """Checked and normalised need fields, or a DomainError naming the first bad field."""
    errors: list[DomainError] = []
    clean = _clean_need_fields(session, data, errors)
    if errors:
        raise errors[0]
    return clean


def need_field_errors(session, data: dict) -> list[DomainError]:
    """Every rule a need's fields break, all at once (a form shows them in one round), in field order."""
    errors: list[DomainError] = []
    _clean_need_fields(session, data, errors)
    return errors


def _clean_need_fields(session, data: dict, errors: list) -> dict:
    """The fields that pass their checks; each failed check adds its DomainError to `errors`."""
    clean = {}

    def check(name, rule, *args):
        try:
            clean[name] = rule(*args)
        except DomainError as error:
            errors.append(error)

    for name in ("title", "description"):
        check(name, _public_text, data, name)
    for name in ("rw", "beneficiaries", "contact_phone"):
        check(name, _text, data, name)
    if data.get("ref"):
        check("ref", _text, data, "ref")
    check("category_code", _category, session, data)
    check("cost_rp", _cost, data)
    check("households", _whole, data, "households", 0, rules.HOUSEHOLDS_MAX)
    check("kms_households", _whole, data, "kms_households", 0, rules.HOUSEHOLDS_MAX)
    if clean.get("kms_households", 0) > clean.get("households", 0) and "households" in clean:
        errors.append(DomainError(_("Jumlah KK pemegang KMS tidak boleh melebihi jumlah KK penerima."),
                                  "kms_households"))
    check("deadline", _deadline, data)
    check("urgency", _urgency, data)
    clean["partial_ok"] = bool(data.get("partial_ok"))
    return clean


def _public_text(data, name):
    value = _text(data, name, required=True)
    # Title and description are public: a 16-digit number there is almost surely a NIK.
    if NIK_PATTERN.search(value):
        raise DomainError(_("Teks ini tampil untuk umum: jangan tulis NIK warga."), name)
    return value


def _category(session, data):
    category = data.get("category_code")
    if not category or session.get(Category, category) is None:
        raise DomainError(_("Pilih kategori yang ada."), "category_code")
    return category


def _cost(data):
    cost = data.get("cost_rp")
    if isinstance(cost, bool) or not isinstance(cost, int) or cost < rules.COST_MIN_RP:
        raise DomainError(_("Biaya harus lebih dari Rp0."), "cost_rp")
    if cost > rules.MAX_COST_RP:
        raise DomainError(_("Biaya terlalu besar untuk satu kebutuhan kampung."), "cost_rp")
    return cost


def _deadline(data):
    deadline = data.get("deadline")
    if deadline is not None and not isinstance(deadline, date):
        raise DomainError(_("Tanggal tidak sah."), "deadline")
    return deadline


def _urgency(data):
    urgency = data.get("urgency") or Urgency.SEDANG
    if urgency not in set(Urgency):
        raise DomainError(_("Pilih tingkat urgensi: rendah, sedang, tinggi atau darurat."), "urgency")
    return str(urgency)


def _snapshot(need: Need, names) -> dict:
    return {n: (getattr(need, n).isoformat() if isinstance(getattr(need, n), date) else getattr(need, n))
            for n in names}


def create_need(session, actor, kampung, data: dict, status: str = NeedStatus.DRAFT) -> Need:
    """A new need of `kampung`; coordinators create drafts, imports create verified needs."""
    if actor is not None and not policies.is_staff(actor):
        if not (policies.can_create_need(actor) and actor.kampung_id == kampung.id):
            raise NotAllowed(_("Anda hanya dapat menulis kebutuhan untuk kampung Anda sendiri."))
    clean = clean_need_fields(session, data)
    check_ref_free(session, Need, clean.get("ref"))
    need = Need(kampung=kampung, kelurahan_code=kampung.kelurahan_code, created_by=actor,
                status=status, **clean)
    if status == NeedStatus.VERIFIED:
        need.submitted_at = need.verified_at = utcnow()
    session.add(need)
    session.flush()
    record(session, actor, "need.create", need, after={"status": str(status)})
    _record_consent(session, actor, need, data, names_changed=True)
    return need


def _record_consent(session, actor, need: Need, data: dict, names_changed: bool) -> None:
    """Issue 19: the coordinator (or staff) confirmed on the form that the households named agreed
    (`beneficiaries_consent`); stored with time and user when names are new or changed, or were never
    confirmed. The web form requires the confirmation whenever names are written; the API and imports
    do not send it, so their needs show "not confirmed" to staff."""
    if not (data.get("beneficiaries_consent") and need.beneficiaries and actor is not None):
        return
    if names_changed or need.beneficiaries_consent_at is None:
        need.beneficiaries_consent_at = utcnow()
        need.beneficiaries_consent_by_id = actor.id
        session.flush()
        record(session, actor, "need.consent", need, after={"confirmed": True})


def update_need(session, actor, need: Need, data: dict) -> list[str]:
    """Change a need's fields; returns the names of the fields that changed."""
    if not policies.can_edit_need(actor, need):
        raise NotAllowed(_("Kebutuhan ini tidak dapat diubah sekarang."))
    clean = clean_need_fields(session, {**_snapshot(need, FIELDS), **data,
                                        "deadline": data.get("deadline", need.deadline)})
    check_ref_free(session, Need, clean.get("ref"), need.id)
    if clean["cost_rp"] < need.committed_rp:
        raise DomainError(_("Biaya tidak boleh di bawah jumlah yang sudah disanggupi mitra."), "cost_rp")
    changed = [n for n in clean if getattr(need, n) != clean[n]]
    names_changed = "beneficiaries" in changed
    if changed:
        before = _snapshot(need, changed)
        for name in changed:
            setattr(need, name, clean[name])
        session.flush()
        private = {"beneficiaries", "contact_phone"}  # not copied into the audit trail
        record(session, actor, "need.update", need,
               before={k: v for k, v in before.items() if k not in private},
               after={k: v for k, v in _snapshot(need, changed).items() if k not in private},
               note=", ".join(changed))
    _record_consent(session, actor, need, data, names_changed)
    return changed


def _transition(session, actor, need, action, new_status, note=""):
    before = need.status
    need.status = new_status
    need.status_reason = note
    session.flush()
    record(session, actor, action, need, before={"status": before}, after={"status": str(new_status)}, note=note)


REASON_IN_MESSAGE = 300  # characters of a staff reason carried in a notification (issue 14)


def _short(reason: str) -> str:
    """A staff reason as it goes into a notification: one line, at most REASON_IN_MESSAGE characters.
    Only the kampung's own coordinators receive it (staff write reasons for them)."""
    text = " ".join(reason.split())
    return text if len(text) <= REASON_IN_MESSAGE else text[:REASON_IN_MESSAGE - 1] + "…"


def _tell_coordinators(session, need, kind, message, subject):
    notify(session, coordinators_of(session, need.kampung_id), kind, message, f"/needs/{need.id}", subject)


def submission_errors(deadline, households) -> list[DomainError]:
    """What a draft may still lack but a need sent to staff may not: a deadline not yet past and at
    least one household. Every such problem at once (the web form shows them with the field errors)."""
    errors = []
    if isinstance(deadline, date) and deadline < today_wib():
        errors.append(DomainError(_("Tenggat sudah lewat. Perbarui tenggat sebelum mengajukan."), "deadline"))
    if isinstance(households, bool) or not isinstance(households, int) or households < rules.HOUSEHOLDS_TO_SUBMIT:
        # "0 KK" with five names listed once reached the city: nobody can judge a need without it.
        errors.append(DomainError(_("Isi jumlah KK penerima (minimal 1) sebelum mengajukan."), "households"))
    return errors


def submit_need(session, actor, need: Need) -> None:
    """The coordinator sends a draft (or a returned need) to staff for verification."""
    if not policies.can_submit_need(actor, need):
        raise NotAllowed(_("Kebutuhan ini tidak dapat diajukan sekarang."))
    problems = submission_errors(need.deadline, need.households)
    if problems:  # every one at once, under the first one's field
        raise DomainError(" ".join(p.message for p in problems), problems[0].field)
    need.submitted_at = utcnow()
    _transition(session, actor, need, "need.submit", NeedStatus.SUBMITTED)
    notify(session, city_staff(session), "need.submit",
           _l("Kebutuhan baru menunggu verifikasi: “%(title)s”.", title=need.title),
           f"/needs/{need.id}", _l("Kebutuhan menunggu verifikasi"))


def withdraw_need(session, actor, need: Need, reason: str = "") -> None:
    """The coordinator (or staff) takes a need back; not once partners have committed to it."""
    if not policies.can_withdraw_need(actor, need):
        raise NotAllowed(_("Kebutuhan ini tidak dapat ditarik sekarang."))
    if need.committed_rp > 0:
        raise DomainError(_("Mitra sudah menyanggupi kebutuhan ini. Hubungi petugas kota untuk membatalkannya."))
    _transition(session, actor, need, "need.withdraw", NeedStatus.WITHDRAWN, (reason or "").strip())


def verify_need(session, actor, need: Need) -> None:
    """Staff confirm a submitted need; it becomes public and can be matched."""
    if not policies.can_review_need(actor, need):
        raise NotAllowed(_("Hanya kebutuhan yang diajukan yang dapat diverifikasi petugas."))
    need.verified_at = utcnow()
    _transition(session, actor, need, "need.verify", NeedStatus.VERIFIED)
    _tell_coordinators(session, need, "need.verify",
                       _l("Kebutuhan “%(title)s” sudah diverifikasi petugas kota dan kini tampil untuk mitra.",
                          title=need.title), _l("Kebutuhan diverifikasi"))


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Tulis alasannya agar koordinator tahu apa yang harus diperbaiki."), "reason")
    if len(reason) > rules.REASON_MAX:
        raise DomainError(_("Maksimal %(max)d karakter.", max=rules.REASON_MAX), "reason")
    return reason


def return_need(session, actor, need: Need, reason: str) -> None:
    """Staff send a submitted need back to the coordinator with what to fix."""
    if not policies.can_review_need(actor, need):
        raise NotAllowed(_("Hanya kebutuhan yang diajukan yang dapat dikembalikan."))
    reason = _reason(reason)
    _transition(session, actor, need, "need.return", NeedStatus.RETURNED, reason)
    _tell_coordinators(session, need, "need.return",
                       _l("Kebutuhan “%(title)s” dikembalikan untuk diperbaiki. Alasan: %(reason)s",
                          title=need.title, reason=_short(reason)), _l("Kebutuhan dikembalikan"))


def reject_need(session, actor, need: Need, reason: str) -> None:
    """Staff refuse a submitted need for good (out of scope, duplicate, not in the city)."""
    if not policies.can_review_need(actor, need):
        raise NotAllowed(_("Hanya kebutuhan yang diajukan yang dapat ditolak."))
    reason = _reason(reason)
    _transition(session, actor, need, "need.reject", NeedStatus.REJECTED, reason)
    _tell_coordinators(session, need, "need.reject",
                       _l("Kebutuhan “%(title)s” ditolak petugas kota. Alasan: %(reason)s",
                          title=need.title, reason=_short(reason)), _l("Kebutuhan ditolak"))

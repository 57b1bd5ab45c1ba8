"""A person's requests (UU 27/2022 Art. 32–42): anyone files one at /privasi/permintaan; the DPO (a staff
or admin account with `dpo`) or an admin answers it within 3 × 24 hours. Deletion and withdrawal of
consent anonymise the needs named (anonymise.py); figures and the audit trail stay."""
import re
from datetime import datetime

from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import select

from gandeng.accounts.models import Role, User, UserStatus
from gandeng.accounts.policies import signed_in
from gandeng.audit.services import record
from gandeng.db import utcnow
from gandeng.errors import DomainError, NotAllowed
from gandeng.needs.models import Need
from gandeng.privacy.anonymise import anonymise_need, anonymise_user
from gandeng.privacy.models import ANSWER_WITHIN, PrivacyRequest, RequestKind, RequestStatus

KIND_LABELS = {
    RequestKind.ACCESS: _l("Akses: salinan data saya"),
    RequestKind.CORRECTION: _l("Perbaikan data yang salah"),
    RequestKind.DELETION: _l("Penghapusan data"),
    RequestKind.WITHDRAWAL: _l("Penarikan persetujuan"),
}
ANONYMISING = (RequestKind.DELETION, RequestKind.WITHDRAWAL)
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def can_handle_requests(user) -> bool:
    """The data protection officer (a staff or admin account with `dpo`) and every admin."""
    return signed_in(user) and (user.role == Role.ADMIN or (user.role == Role.STAFF and bool(user.dpo)))


def handlers(session) -> list[User]:
    """Who hears of a new request and of its clock: the DPOs, or the admins when no DPO is named."""
    active = select(User).where(User.status == UserStatus.ACTIVE).order_by(User.id)
    dpos = list(session.scalars(active.where(User.dpo.is_(True), User.role.in_((Role.STAFF, Role.ADMIN)))))
    return dpos or list(session.scalars(active.where(User.role == Role.ADMIN)))


def _contact(raw: str) -> str:
    """An e-mail address or a phone number (at least 8 digits) to answer to."""
    value = " ".join((raw or "").split())
    digits = re.sub(r"\D", "", value)
    if not value:
        raise DomainError(_("Tulis email atau nomor HP agar kami dapat menjawab."), "contact")
    if len(value) > 254 or not (EMAIL.match(value) or (8 <= len(digits) <= 15 and not re.search(r"[A-Za-z@]", value))):
        raise DomainError(_("Tulis alamat email yang sah atau nomor HP (misalnya 0812 3456 7890)."), "contact")
    return value


def file_request(session, user, kind: str, name: str, contact: str, details: str, now: datetime | None = None
                 ) -> PrivacyRequest:
    """Store a request (no account needed) and tell the handlers; the 3 × 24-hour clock starts now."""
    from gandeng.notifications.services import notify

    if kind not in set(RequestKind):
        raise DomainError(_("Pilih jenis permintaan."), "kind")
    name = " ".join((name or "").split())
    if not name:
        raise DomainError(_("Wajib diisi."), "name")
    if len(name) > 120:
        raise DomainError(_("Maksimal %(max)d karakter.", max=120), "name")
    details = (details or "").strip()
    if len(details) > 3000:
        raise DomainError(_("Maksimal %(max)d karakter.", max=3000), "details")
    now = now or utcnow()
    request = PrivacyRequest(kind=kind, requester_name=name, requester_contact=_contact(contact), details=details,
                             user_id=user.id if signed_in(user) else None, received_at=now,
                             due_at=now + ANSWER_WITHIN)
    session.add(request)
    session.flush()
    record(session, user if signed_in(user) else None, "privacy.request", request, after={"kind": kind})
    # The message names the kind and number only: the requester's name stays in the queue.
    notify(session, handlers(session), "privacy.request",
           _l("Permintaan data pribadi baru nomor %(id)d (%(kind)s): jawab dalam 3 × 24 jam.",
              id=request.id, kind=KIND_LABELS[RequestKind(kind)]),
           f"/privasi/antrian/{request.id}", _l("Permintaan data pribadi baru"), now=now)
    return request


def hours_left(request: PrivacyRequest, now: datetime) -> int:
    """Whole hours until the deadline, cut towards zero (71.9 -> 71); once overdue (`is_overdue`), minus
    the whole hours since (-8.2 -> -8)."""
    return int((request.due_at - now).total_seconds() / 3600)


def is_overdue(request: PrivacyRequest, now: datetime) -> bool:
    return request.status == RequestStatus.OPEN and request.due_at < now


def open_requests(session) -> list[PrivacyRequest]:
    """The queue: open requests, the most urgent first."""
    return list(session.scalars(select(PrivacyRequest).where(PrivacyRequest.status == RequestStatus.OPEN)
                                .order_by(PrivacyRequest.due_at, PrivacyRequest.id)))


def recent_answered(session, limit: int = 50) -> list[PrivacyRequest]:
    return list(session.scalars(select(PrivacyRequest).where(PrivacyRequest.status != RequestStatus.OPEN)
                                .order_by(PrivacyRequest.handled_at.desc(), PrivacyRequest.id.desc()).limit(limit)))


def parse_need_ids(raw: str) -> list[int]:
    """"12, 15 30" -> [12, 15, 30]; anything but numbers is an error."""
    parts = [p for p in re.split(r"[\s,;]+", raw or "") if p]
    if any(not p.isdigit() or len(p) > 9 for p in parts):
        raise DomainError(_("Tulis nomor kebutuhan saja, dipisah koma (misalnya 12, 15)."), "need_ids")
    return sorted({int(p) for p in parts})


def handle_request(session, actor, request: PrivacyRequest, decision: str, outcome: str, need_ids=(),
                   now: datetime | None = None, anonymise_account: bool = False) -> list:
    """Close a request as done or refused, with what was done (`outcome`, shown to the DPO and sent to the
    requester by the DPO). Done deletion or withdrawal anonymises the needs numbered in `need_ids`; a done
    deletion filed from an account may also anonymise that account (`anonymise_account`).
    Returns what was removed, per need."""
    if not can_handle_requests(actor):
        raise NotAllowed(_("Hanya pejabat pelindungan data atau admin yang menangani permintaan ini."))
    if request.status != RequestStatus.OPEN:
        raise DomainError(_("Permintaan ini sudah dijawab."))
    if decision not in (RequestStatus.DONE, RequestStatus.REFUSED):
        raise DomainError(_("Pilih: selesai atau ditolak."), "decision")
    outcome = (outcome or "").strip()
    if not outcome:
        raise DomainError(_("Tulis apa yang dilakukan atau mengapa ditolak."), "outcome")
    if len(outcome) > 3000:
        raise DomainError(_("Maksimal %(max)d karakter.", max=3000), "outcome")
    removed = []
    if need_ids and (decision != RequestStatus.DONE or request.kind not in ANONYMISING):
        raise DomainError(_("Nomor kebutuhan hanya untuk permintaan penghapusan atau penarikan persetujuan yang "
                            "diselesaikan."), "need_ids")
    if need_ids:
        needs = list(session.scalars(select(Need).where(Need.id.in_(need_ids)).order_by(Need.id)))
        missing = sorted(set(need_ids) - {n.id for n in needs})
        if missing:
            raise DomainError(_("Kebutuhan nomor %(ids)s tidak ada.", ids=", ".join(map(str, missing))), "need_ids")
        removed = [anonymise_need(session, actor, need, f"privacy request {request.id}") for need in needs]
    if anonymise_account:
        if not (decision == RequestStatus.DONE and request.kind == RequestKind.DELETION and request.user is not None):
            raise DomainError(_("Akun hanya dianonimkan untuk permintaan penghapusan dari akun itu sendiri."),
                              "anonymise_account")
        anonymise_user(session, actor, request.user, f"privacy request {request.id}")
    request.status = decision
    request.outcome = outcome
    request.handled_by_id = actor.id
    request.handled_at = now or utcnow()
    session.flush()
    record(session, actor, "privacy.handle", request,
           after={"status": decision, "needs": [r.need_id for r in removed],
                  "account": bool(anonymise_account), "late": request.handled_at > request.due_at})
    return removed


def requests_of(session, user) -> list[PrivacyRequest]:
    """The requests a signed-in user filed (for their own data export)."""
    return list(session.scalars(select(PrivacyRequest).where(PrivacyRequest.user_id == user.id)
                                .order_by(PrivacyRequest.id)))


def send_privacy_reminders(session, now: datetime) -> int:
    """Remind the handlers of open requests 24 hours before their deadline and once overdue; once per
    request and moment (reminders_sent). Returns how many reminders were queued."""
    from gandeng.notifications.reminders import _once
    from gandeng.notifications.services import notify

    sent = 0
    for request in open_requests(session):
        left = hours_left(request, now)
        if is_overdue(request, now):
            key, message = f"privacy:{request.id}:overdue", _l(
                "Permintaan data pribadi nomor %(id)d sudah melewati batas 3 × 24 jam. Jawab sekarang.", id=request.id)
        elif left < 24:
            key, message = f"privacy:{request.id}:24h", _l(
                "Pengingat: permintaan data pribadi nomor %(id)d harus dijawab dalam %(hours)d jam.",
                id=request.id, hours=left)
        else:
            continue
        if _once(session, key):
            notify(session, handlers(session), "privacy.reminder", message, f"/privasi/antrian/{request.id}",
                   _l("Pengingat permintaan data pribadi"), now=now)
            sent += 1
    return sent

"""The breach runbook (UU 27/2022 Art. 46): staff record an incident; the platform lists the people
affected (the households named in the needs concerned, and every user the audit trail shows acting on
them), drafts the Indonesian notices, tracks the 3 × 24-hour deadline, and gives the authority a CSV."""
import csv
import io
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from gandeng.accounts.models import User
from gandeng.accounts.policies import is_staff
from gandeng.audit.models import AuditEvent
from gandeng.audit.services import record
from gandeng.db import utcnow
from gandeng.errors import DomainError, NotAllowed
from gandeng.formatting import long_datetime
from gandeng.needs.models import Need
from gandeng.privacy.models import ANSWER_WITHIN, PrivacyIncident
from gandeng.privacy.records import BY_KEY


def _text(value, field, required=False, limit=3000) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(_("Wajib diisi."), field)
    if len(value) > limit:
        raise DomainError(_("Maksimal %(max)d karakter.", max=limit), field)
    return value


def record_incident(session, actor, *, what, how, remedy, found_at: datetime, data_kinds, need_ids,
                    people_count, now: datetime | None = None) -> PrivacyIncident:
    """Store an incident; its deadline is 3 × 24 hours after it was found. Any staff member may record one."""
    if not is_staff(actor):
        raise NotAllowed(_("Hanya petugas kota yang mencatat insiden."))
    now = now or utcnow()
    if found_at is None or found_at > now:
        raise DomainError(_("Isi waktu insiden diketahui (tidak di masa depan)."), "found_at")
    kinds = [k for k in dict.fromkeys(data_kinds or []) if k in BY_KEY]
    if not kinds or len(kinds) != len(set(data_kinds)):
        raise DomainError(_("Pilih jenis data yang terdampak."), "data_kinds")
    if isinstance(people_count, bool) or not isinstance(people_count, int) or not 0 <= people_count <= 10_000_000:
        raise DomainError(_("Isi perkiraan jumlah orang (0 atau lebih)."), "people_count")
    ids = sorted(set(need_ids or []))
    found = set(session.scalars(select(Need.id).where(Need.id.in_(ids)))) if ids else set()
    if set(ids) - found:
        raise DomainError(_("Kebutuhan nomor %(ids)s tidak ada.", ids=", ".join(map(str, sorted(set(ids) - found)))),
                          "need_ids")
    incident = PrivacyIncident(what=_text(what, "what", required=True), how=_text(how, "how"),
                               remedy=_text(remedy, "remedy"), found_at=found_at, due_at=found_at + ANSWER_WITHIN,
                               data_kinds=kinds, need_ids=ids, people_count=people_count,
                               recorded_by_id=actor.id, created_at=now)
    session.add(incident)
    session.flush()
    record(session, actor, "privacy.incident", incident, after={"data_kinds": kinds, "needs": ids})
    return incident


def affected_people(session, incident: PrivacyIncident) -> list[dict]:
    """Who to notify: per need concerned, each household line named (with the need's contact phone)
    and each user the audit trail shows acting on the need. Names already anonymised are gone."""
    people = []
    needs = session.scalars(select(Need).where(Need.id.in_(incident.need_ids or [-1])).order_by(Need.id))
    for need in needs:
        for line in (need.beneficiaries or "").splitlines():
            if line.strip():
                people.append({"need_id": need.id, "kind": "household", "name": line.strip(),
                               "contact": need.contact_phone})
        actors = session.scalars(
            select(User).where(User.id.in_(select(AuditEvent.actor_id).where(
                AuditEvent.object_type == Need.__tablename__, AuditEvent.object_id == need.id)))
            .order_by(User.id))
        for user in actors:
            people.append({"need_id": need.id, "kind": "user", "name": user.name,
                           "contact": user.email + (f", {user.phone}" if user.phone else "")})
    return people


def notice_text(incident: PrivacyIncident, dpo_contact: str) -> str:
    """The written notice to the people concerned (Indonesian, as UU 27/2022 Art. 46(2) asks)."""
    kinds = ", ".join(str(BY_KEY[k].data).lower() for k in incident.data_kinds)
    return (
        "Pemberitahuan kegagalan pelindungan data pribadi\n\n"
        "Bapak/Ibu yang kami hormati,\n\n"
        "Pemerintah Kota Yogyakarta, pengelola platform Gandeng Gendong, memberitahukan bahwa data pribadi "
        f"Anda terdampak sebuah insiden yang kami ketahui pada {long_datetime(incident.found_at, 'id')}.\n\n"
        f"Data yang terungkap: {kinds}.\n"
        f"Apa yang terjadi: {incident.what}\n"
        f"Bagaimana terjadinya: {incident.how or '-'}\n"
        f"Upaya penanganan dan pemulihan: {incident.remedy or '-'}\n\n"
        "Jika Anda memiliki pertanyaan atau ingin mengajukan permintaan atas data Anda, hubungi pejabat "
        f"pelindungan data kami{(': ' + dpo_contact) if dpo_contact else ''}, atau melalui halaman /privasi/permintaan.\n\n"
        "Hormat kami,\nPemerintah Kota Yogyakarta"
    )


def mark_notified(session, actor, incident: PrivacyIncident, whom: str, now: datetime | None = None) -> None:
    """Note that the people concerned (`whom`="people") or the authority ("authority") were notified."""
    if whom not in ("people", "authority"):
        raise DomainError(_("Pilih siapa yang sudah diberi tahu."))
    setattr(incident, f"{whom}_notified_at", now or utcnow())
    session.flush()
    record(session, actor, "privacy.incident_notified", incident, after={"whom": whom,
                                                                         "late": (now or utcnow()) > incident.due_at})


def authority_csv(incident: PrivacyIncident) -> str:
    """One incident for the authority: what, when, how, data kinds, how many people, remedy, notices.
    Counts only: the people's names stay with the controller."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["incident_id", "found_at_utc", "deadline_utc", "what", "how", "data_kinds", "people_count",
                     "needs_concerned", "remedy", "people_notified_at_utc", "authority_notified_at_utc"])
    stamp = lambda moment: moment.isoformat(timespec="minutes") if moment else ""  # noqa: E731
    writer.writerow([incident.id, stamp(incident.found_at), stamp(incident.due_at), incident.what, incident.how,
                     ";".join(incident.data_kinds), incident.people_count, len(incident.need_ids), incident.remedy,
                     stamp(incident.people_notified_at), stamp(incident.authority_notified_at)])
    return out.getvalue()


def incidents(session) -> list[PrivacyIncident]:
    return list(session.scalars(select(PrivacyIncident).order_by(PrivacyIncident.found_at.desc(),
                                                                 PrivacyIncident.id.desc())))

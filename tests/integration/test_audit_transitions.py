"""Every existing transition writes exactly one audit row (actor, action, before, after) and tells
the people it concerns; neither the audit trail nor the notifications carry personal data."""
import json

import pytest
from sqlalchemy import func, select

from gandeng.accounts import services as accounts
from gandeng.accounts.models import Role, UserStatus
from gandeng.audit.models import AuditEvent
from gandeng.needs import services as needs
from gandeng.needs.models import NeedStatus
from gandeng.notifications.models import Channel, Notification, OutboxMessage
from gandeng.offers import services as offers
from gandeng.offers.models import OfferStatus
from tests import factories as f

NAMES = "Bu Painem (RT 02), Pak Tukijo (RT 02)"
PHONE = "081399887766"


def _audit_count(session) -> int:
    return session.scalar(select(func.count(AuditEvent.id)))


def _new_events(session, since: int) -> list[AuditEvent]:
    return list(session.scalars(select(AuditEvent).where(AuditEvent.id > since).order_by(AuditEvent.id)))


def _last_event_id(session) -> int:
    return session.scalar(select(func.coalesce(func.max(AuditEvent.id), 0)))


def _notifications(session, user) -> list[Notification]:
    return list(session.scalars(select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)))


def _one_new_event(session, since, action, actor, obj):
    events = _new_events(session, since)
    assert len(events) == 1, [e.action for e in events]
    event = events[0]
    assert event.action == action
    assert event.actor_id == actor.id
    assert (event.object_type, event.object_id) == (obj.__tablename__, obj.id)
    return event


@pytest.fixture
def kampung_world(session):
    kampung = f.make_kampung(session)
    coordinator = f.make_coordinator(session, kampung=kampung)
    second = f.make_coordinator(session, kampung=kampung)
    other = f.make_coordinator(session)  # another kampung: not concerned
    staff = f.make_staff(session)
    need = f.make_need(session, kampung=kampung, status=NeedStatus.SUBMITTED, title="Perbaikan atap balai RW",
                       beneficiaries=NAMES, contact_phone=PHONE)
    session.commit()
    return {"kampung": kampung, "coordinator": coordinator, "second": second, "other": other,
            "staff": staff, "need": need}


@pytest.mark.parametrize("action, call, status", [
    ("need.verify", lambda s, a, n: needs.verify_need(s, a, n), NeedStatus.VERIFIED),
    ("need.return", lambda s, a, n: needs.return_need(s, a, n, "Lampirkan foto atap."), NeedStatus.RETURNED),
    ("need.reject", lambda s, a, n: needs.reject_need(s, a, n, "Di luar Kota Yogyakarta."), NeedStatus.REJECTED),
])
def test_staff_decision_on_a_need_writes_one_audit_row_and_tells_the_kampung_coordinators(
        session, kampung_world, action, call, status):
    w = kampung_world
    since = _last_event_id(session)
    call(session, w["staff"], w["need"])
    session.commit()
    event = _one_new_event(session, since, action, w["staff"], w["need"])
    assert event.before == {"status": "submitted"}
    assert event.after == {"status": str(status)}
    for coordinator in (w["coordinator"], w["second"]):
        told = _notifications(session, coordinator)
        assert [n.kind for n in told] == [action]
        assert told[0].link == f"/needs/{w['need'].id}"
        assert "Perbaikan atap balai RW" in told[0].message
        assert told[0].read_at is None
    assert _notifications(session, w["other"]) == []
    assert _notifications(session, w["staff"]) == []
    mails = session.scalars(select(OutboxMessage).where(OutboxMessage.channel == Channel.EMAIL)).all()
    assert sorted(m.to_address for m in mails) == sorted([w["coordinator"].email, w["second"].email])


def test_return_reason_reaches_the_kampung_coordinators_with_the_notification(session, kampung_world):
    # Issue 14: a returned or rejected need tells its coordinators why (they wrote the need; nobody else
    # is told). Long reasons are cut to one line of at most 300 characters.
    w = kampung_world
    needs.return_need(session, w["staff"], w["need"], "Lampirkan foto atap.\n" + "x" * 400)
    message = _notifications(session, w["coordinator"])[0].message
    assert "dikembalikan" in message and "Alasan: Lampirkan foto atap. xxx" in message
    assert message.endswith("…") and "\n" not in message
    assert _notifications(session, w["other"]) == []


def test_submitting_a_need_writes_one_audit_row_and_tells_city_staff(session):
    kampung = f.make_kampung(session)
    coordinator = f.make_coordinator(session, kampung=kampung)
    staff = [f.make_staff(session), f.make_staff(session)]
    admin = f.make_admin(session)
    need = f.make_need(session, kampung=kampung, status=NeedStatus.DRAFT, title="Jamban sehat RT 04")
    since = _last_event_id(session)
    needs.submit_need(session, coordinator, need)
    event = _one_new_event(session, since, "need.submit", coordinator, need)
    assert (event.before, event.after) == ({"status": "draft"}, {"status": "submitted"})
    for user in staff:
        assert [(n.kind, n.link) for n in _notifications(session, user)] == [("need.submit", f"/needs/{need.id}")]
    assert _notifications(session, admin) == []  # admins hear of it only when there are no staff
    assert _notifications(session, coordinator) == []


def test_submission_reaches_admins_when_the_city_has_no_staff_accounts_yet(session):
    kampung = f.make_kampung(session)
    coordinator = f.make_coordinator(session, kampung=kampung)
    admin = f.make_admin(session)
    need = f.make_need(session, kampung=kampung, status=NeedStatus.DRAFT)
    needs.submit_need(session, coordinator, need)
    assert [n.kind for n in _notifications(session, admin)] == ["need.submit"]


def test_suspended_coordinator_is_not_notified(session, kampung_world):
    w = kampung_world
    accounts.suspend_user(session, w["staff"], w["second"], "Pindah tugas")
    needs.verify_need(session, w["staff"], w["need"])
    assert len(_notifications(session, w["coordinator"])) == 1
    assert _notifications(session, w["second"]) == []


def test_activating_an_offer_writes_one_audit_row(session):
    partner = f.make_partner(session)
    offer = f.make_offer(session, organisation=partner.organisation, status=OfferStatus.DRAFT)
    since = _last_event_id(session)
    offers.activate_offer(session, partner, offer)
    event = _one_new_event(session, since, "offer.activate", partner, offer)
    assert (event.before, event.after) == ({"status": "draft"}, {"status": "active"})


def test_withdrawing_an_offer_writes_one_audit_row_with_the_reason(session):
    staff = f.make_staff(session)
    offer = f.make_offer(session, status=OfferStatus.ACTIVE)
    since = _last_event_id(session)
    offers.withdraw_offer(session, staff, offer, "Anggaran CSR dialihkan")
    event = _one_new_event(session, since, "offer.withdraw", staff, offer)
    assert (event.before, event.after) == ({"status": "active"}, {"status": "withdrawn"})
    assert event.note == "Anggaran CSR dialihkan"


def test_verifying_a_user_writes_one_audit_row_and_tells_the_user(session):
    staff = f.make_staff(session)
    user = f.make_partner(session, status=UserStatus.PENDING)
    since = _last_event_id(session)
    accounts.verify_user(session, staff, user)
    event = _one_new_event(session, since, "user.verify", staff, user)
    assert (event.before, event.after) == ({"status": "pending"}, {"status": "active"})
    told = _notifications(session, user)
    assert [n.kind for n in told] == ["user.verify"]
    assert session.scalars(select(OutboxMessage.to_address).where(
        OutboxMessage.channel == Channel.EMAIL)).all() == [user.email]


def test_suspending_a_user_writes_one_audit_row(session):
    staff = f.make_staff(session)
    user = f.make_coordinator(session)
    since = _last_event_id(session)
    accounts.suspend_user(session, staff, user, "Akun ganda")
    event = _one_new_event(session, since, "user.suspend", staff, user)
    assert (event.before, event.after, event.note) == ({"status": "active"}, {"status": "suspended"}, "Akun ganda")


def test_changing_a_role_writes_one_audit_row_and_tells_the_user(session):
    admin = f.make_admin(session)
    user = f.make_coordinator(session)
    kampung_id = user.kampung_id
    since = _last_event_id(session)
    accounts.change_role(session, admin, user, Role.STAFF)
    event = _one_new_event(session, since, "user.role_change", admin, user)
    assert event.before == {"role": "coordinator", "kampung_id": kampung_id, "organisation_id": None}
    assert event.after == {"role": "staff", "kampung_id": None, "organisation_id": None}
    told = _notifications(session, user)
    assert [n.kind for n in told] == ["user.role_change"]
    assert "Petugas kota" in told[0].message


def test_notification_is_written_in_the_recipients_language(session):
    admin = f.make_admin(session)
    user = f.make_coordinator(session)
    user.locale = "en"
    accounts.change_role(session, admin, user, Role.STAFF)
    message = _notifications(session, user)[0].message
    assert "City staff" in message and "Petugas kota" not in message


# --- no personal data in the audit trail or the notifications ----------------------------------


def _everything_recorded(session) -> str:
    events = session.scalars(select(AuditEvent)).all()
    notes = session.scalars(select(Notification.message)).all()
    mails = session.scalars(select(OutboxMessage)).all()
    return json.dumps([[e.before, e.after, e.note] for e in events] + notes
                      + [[m.subject, m.body] for m in mails], ensure_ascii=False)


def test_need_services_keep_household_names_and_contact_phone_out_of_the_audit_trail(session):
    kampung = f.make_kampung(session)
    coordinator = f.make_coordinator(session, kampung=kampung)
    staff = f.make_staff(session)
    need = needs.create_need(session, coordinator, kampung, f.need_data(beneficiaries=NAMES, contact_phone=PHONE))
    needs.update_need(session, coordinator, need, {"beneficiaries": "Mbah Sastro (RT 05)",
                                                   "contact_phone": "0856-1111-2222", "cost_rp": 17_500_000})
    needs.submit_need(session, coordinator, need)
    needs.update_need(session, staff, need, {"beneficiaries": "Bu Ngadinah (RT 01)", "contact_phone": "0857-3333-4444"})
    needs.return_need(session, staff, need, "Periksa lagi biayanya.")
    session.commit()
    recorded = _everything_recorded(session)
    for secret in ("Painem", "Tukijo", "Sastro", "Ngadinah", PHONE, "0856-1111-2222", "0857-3333-4444",
                   "1111", "3333"):
        assert secret not in recorded
    update = session.scalars(select(AuditEvent).where(AuditEvent.action == "need.update")
                             .order_by(AuditEvent.id)).first()
    assert update.after == {"cost_rp": 17_500_000}  # the non-private change is still recorded
    assert set(update.note.split(", ")) == {"beneficiaries", "contact_phone", "cost_rp"}  # field names only


def test_account_services_keep_phones_out_of_the_audit_trail(session):
    staff = f.make_staff(session)
    user = accounts.register(session, email="warga@contoh.id", name="Sri Rahayu", phone="0812-7777-8888",
                             password="rahasia-123", role="coordinator", kelurahan_code="34.71.01.1001",
                             kampung_name="Kampung Baru")
    accounts.verify_user(session, staff, user)
    organisation = f.make_organisation(session, "Komunitas Peduli")
    accounts.update_organisation(session, staff, organisation, {"name": "Komunitas Peduli", "type": "komunitas",
                                                                "phone": "0813-5555-6666", "email": "",
                                                                "address": ""})
    recorded = _everything_recorded(session)
    assert "7777" not in recorded and "5555" not in recorded

"""The staff's outbox page: every channel's messages with status, the provider's error, filters (failed,
not delivered after 1 hour), the retry button; "terkirim / dibaca" on need and collaboration pages."""
from datetime import timedelta

from sqlalchemy import select

from gandeng.db import utcnow
from gandeng.needs.models import NeedStatus
from gandeng.needs.services import verify_need
from gandeng.notifications.models import Channel, MessageStatus, OutboxMessage
from gandeng.notifications.preferences import grant_whatsapp_consent
from gandeng.notifications.receipts import apply_receipt
from tests import factories as f
from tests.conftest import login


def _messages(session):
    now = utcnow()
    session.add_all([
        OutboxMessage(channel="email", kind="x", to_address="antre@contoh.id", subject="Surel antre",
                      body="Isi surel yang menunggu"),
        OutboxMessage(channel="email", kind="x", to_address="gagal@contoh.id", subject="Surel dicoba lagi",
                      body="x", attempts=2, last_error="ConnectionRefusedError: [Errno 111] Connection refused",
                      next_attempt_at=now + timedelta(minutes=2)),
        OutboxMessage(channel="whatsapp", kind="need.verify", to_address="+6281234567890",
                      template_name="gg_kebutuhan_diverifikasi", body="WA gagal", status=MessageStatus.FAILED,
                      attempts=1, last_error='HTTP 400: {"error": {"message": "Template name does not exist"}}'),
        OutboxMessage(channel="whatsapp", kind="need.verify", to_address="+6281234567891",
                      template_name="gg_kebutuhan_terlambat", body="WA lama", status=MessageStatus.SENT,
                      attempts=1, sent_at=now - timedelta(hours=2), provider_message_id="wamid.OLD"),
        OutboxMessage(channel="email", kind="x", to_address="terkirim@contoh.id", subject="Surel terkirim",
                      body="x", attempts=1, status=MessageStatus.SENT, sent_at=now),
    ])
    session.commit()


def test_staff_see_every_message_with_its_status_and_the_providers_error(client, session):
    staff = f.make_staff(session)
    _messages(session)
    login(client, staff)
    text = client.get("/outbox").text
    for needle in ("Surel antre", "antre@contoh.id", "Isi surel yang menunggu", "Connection refused",
                   "Template name does not exist", "+6281234567890", "Surel terkirim", "Kirim ulang"):
        assert needle in text
    assert "MAIL_SERVER" in text and "WHATSAPP_API_URL" in text  # the page says why nothing goes out


def test_filters_failed_and_not_delivered_after_an_hour(client, session):
    staff = f.make_staff(session)
    _messages(session)
    login(client, staff)
    failed = client.get("/outbox?state=failed").text
    assert "Template name does not exist" in failed and "Surel antre" not in failed
    late = client.get("/outbox?state=late").text
    assert "gg_kebutuhan_terlambat" in late and "Surel terkirim" not in late and "Surel antre" not in late
    retrying = client.get("/outbox?state=retrying").text
    assert "Surel dicoba lagi" in retrying and "Surel antre" not in retrying
    whatsapp = client.get("/outbox?channel=whatsapp").text
    assert "gg_kebutuhan_terlambat" in whatsapp and "Surel antre" not in whatsapp


def test_retry_button_queues_a_failed_message_again(client, session):
    staff = f.make_staff(session)
    _messages(session)
    login(client, staff)
    failed = session.scalars(select(OutboxMessage).where(OutboxMessage.status == MessageStatus.FAILED)).one()
    assert client.post(f"/outbox/{failed.id}/retry").status_code == 302
    session.expire_all()
    failed = session.get(OutboxMessage, failed.id)
    assert failed.status == MessageStatus.QUEUED and failed.attempts == 0
    sent = session.scalars(select(OutboxMessage).where(OutboxMessage.subject == "Surel terkirim")).one()
    response = client.post(f"/outbox/{sent.id}/retry", follow_redirects=True)
    assert "Hanya pesan yang gagal" in response.text


def test_outbox_is_for_staff_only(client, session):
    partner = f.make_partner(session)
    _messages(session)
    login(client, partner)
    response = client.get("/outbox")
    assert response.status_code == 403 and "antre@contoh.id" not in response.text


def test_need_page_shows_staff_whether_the_last_notification_was_delivered_or_read(app, client, session):
    app.config.update({"WHATSAPP_API_URL": "http://127.0.0.1:9", "WHATSAPP_PHONE_NUMBER_ID": "1"})
    staff = f.make_staff(session)
    kampung = f.make_kampung(session)
    coordinator = f.make_coordinator(session, kampung=kampung, name="Bu Koordinator", phone="081234567890")
    grant_whatsapp_consent(session, coordinator)
    need = f.make_need(session, kampung=kampung, status=NeedStatus.SUBMITTED)
    verify_need(session, staff, need)
    whatsapp = session.scalars(select(OutboxMessage).where(OutboxMessage.channel == Channel.WHATSAPP)).one()
    whatsapp.status, whatsapp.provider_message_id = MessageStatus.SENT, "wamid.A"
    apply_receipt(session, {"id": "wamid.A", "status": "read", "timestamp": "1800000000"}, utcnow())
    session.commit()
    login(client, staff)
    text = client.get(f"/needs/{need.id}").text
    assert "Pemberitahuan terakhir ke tiap pihak" in text and "Bu Koordinator" in text
    section = text.split("Pemberitahuan terakhir ke tiap pihak")[1].split("</section>")[0]
    assert "WhatsApp" in section and "dibaca" in section and "antre" in section  # e-mail still queued
    client.post("/logout")
    login(client, coordinator)
    assert "Pemberitahuan terakhir ke tiap pihak" not in client.get(f"/needs/{need.id}").text


def test_collaboration_page_shows_the_delivery_to_the_partner(client, session):
    staff = f.make_staff(session)
    need, offer = f.make_need(session), f.make_offer(session)
    partner = f.make_partner(session, organisation=offer.organisation, name="Pak Mitra")
    commitment = f.make_collaboration(session, need=need, offer=offer, staff=staff)
    session.commit()
    login(client, staff)
    text = client.get(f"/collaborations/{commitment.id}").text
    section = text.split("Pemberitahuan terakhir ke tiap pihak")[1].split("</section>")[0]
    assert "Pak Mitra" in section and "email" in section and partner.email not in section

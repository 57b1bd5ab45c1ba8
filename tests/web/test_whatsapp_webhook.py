"""`/webhooks/whatsapp`: the verification handshake, signed receipts (bad signature → 403, nothing changes),
unknown ids and duplicates, BERHENTI replies, and the delivery-status lag measured over real HTTP."""
import json
import logging
import time
from datetime import timedelta

from sqlalchemy import select

from gandeng.db import utcnow
from gandeng.notifications.models import Channel, MessageStatus, OutboxMessage
from gandeng.notifications.outbox import send_due
from gandeng.notifications.preferences import grant_whatsapp_consent, preference_of
from gandeng.notifications.services import notify
from tests import factories as f
from tests.whatsapp_fake import FakeCloudApi


def _sent_message(app, session, cloud_api, phone="081234567890"):
    user = f.make_coordinator(session, phone=phone)
    grant_whatsapp_consent(session, user)
    notify(session, [user], "need.verify", "Kebutuhan diverifikasi.", "/needs/3")
    session.commit()
    send_due(session, utcnow(), app.config)
    return _message(session), user


def _message(session):
    session.expire_all()
    return session.scalars(select(OutboxMessage).where(OutboxMessage.channel == Channel.WHATSAPP)).one()


def _post(client, fake, payload, secret=None, signature=None):
    raw = json.dumps(payload).encode()
    header = signature if signature is not None else fake.sign(raw, secret)
    return client.post("/webhooks/whatsapp", data=raw, content_type="application/json",
                       headers={"X-Hub-Signature-256": header})


def test_verification_handshake_echoes_the_challenge_only_with_the_right_token(app, client):
    app.config["WHATSAPP_VERIFY_TOKEN"] = "token-kota"
    ok = client.get("/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=token-kota&hub.challenge=1158201444")
    assert ok.status_code == 200 and ok.text == "1158201444"
    assert client.get("/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=salah&hub.challenge=1").status_code == 403
    app.config["WHATSAPP_VERIFY_TOKEN"] = ""
    assert client.get("/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=&hub.challenge=1").status_code == 403


def test_signed_receipts_move_the_status_forward(app, client, session, cloud_api):
    message, _user = _sent_message(app, session, cloud_api)
    wamid = message.provider_message_id
    assert _post(client, cloud_api, cloud_api.status_payload(wamid, "delivered")).status_code == 200
    assert _message(session).status == MessageStatus.DELIVERED and _message(session).delivered_at is not None
    assert _post(client, cloud_api, cloud_api.status_payload(wamid, "read")).status_code == 200
    assert _message(session).status == MessageStatus.READ
    # A late "delivered" or a repeated "read" changes nothing.
    for status in ("delivered", "read", "sent"):
        response = _post(client, cloud_api, cloud_api.status_payload(wamid, status))
        assert response.status_code == 200 and response.json["unchanged"] == 1
    assert _message(session).status == MessageStatus.READ


def test_bad_or_missing_signature_is_403_and_nothing_changes(app, client, session, cloud_api):
    message, _user = _sent_message(app, session, cloud_api)
    payload = cloud_api.status_payload(message.provider_message_id, "read")
    assert _post(client, cloud_api, payload, secret="bukan-rahasianya").status_code == 403
    assert _post(client, cloud_api, payload, signature="").status_code == 403
    assert _post(client, cloud_api, payload, signature="sha256=00").status_code == 403
    assert _message(session).status == MessageStatus.SENT
    app.config["WHATSAPP_APP_SECRET"] = ""  # no secret configured: nothing is trusted
    assert _post(client, cloud_api, payload, secret="").status_code == 403


def test_failed_receipt_keeps_the_providers_error(app, client, session, cloud_api):
    message, _user = _sent_message(app, session, cloud_api)
    payload = cloud_api.status_payload(message.provider_message_id, "failed",
                                       errors=[{"code": 131026, "title": "Message undeliverable"}])
    assert _post(client, cloud_api, payload).status_code == 200
    message = _message(session)
    assert message.status == MessageStatus.FAILED and message.last_error == "WhatsApp 131026: Message undeliverable"


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.INFO)
        self.lines = []

    def emit(self, record):
        self.lines.append(record.getMessage())


def test_unknown_message_id_is_answered_200_ignored_and_logged(client, session, cloud_api):
    # A handler on the logger itself: what other tests did to the root logger's handlers or levels
    # (Alembic's fileConfig, gunicorn's config) cannot hide the line.
    logger, collect = logging.getLogger("gandeng.notifications.receipts"), _Collect()
    level, logger.disabled = logger.level, False
    logger.addHandler(collect)
    logger.setLevel(logging.INFO)
    try:
        response = _post(client, cloud_api, cloud_api.status_payload("wamid.UNKNOWN", "delivered"))
    finally:
        logger.removeHandler(collect)
        logger.setLevel(level)
    assert response.status_code == 200 and response.json["unknown"] == 1
    assert any("unknown message" in line for line in collect.lines)
    assert session.scalars(select(OutboxMessage)).all() == []


def test_webhook_needs_no_csrf_token(csrf_app, session):
    fake = FakeCloudApi()  # only its signing is used: never started
    fake.server.server_close()
    csrf_app.config["WHATSAPP_APP_SECRET"] = fake.app_secret
    response = _post(csrf_app.test_client(), fake, fake.status_payload("wamid.X", "sent"))
    assert response.status_code == 200


def test_berhenti_reply_switches_whatsapp_off_for_that_number(app, client, session, cloud_api):
    _message_sent, user = _sent_message(app, session, cloud_api, phone="0812 3456 7890")
    notify(session, [user], "need.verify", "Satu lagi.", "/needs/3")  # queued, not sent yet
    session.commit()
    response = _post(client, cloud_api, cloud_api.reply_payload("6281234567890", "berhenti"))
    assert response.status_code == 200 and response.json["stopped"] == 1
    session.expire_all()
    preference = preference_of(session, user)
    assert preference.whatsapp_enabled is False and preference.whatsapp_opt_out_at is not None
    queued = session.scalars(select(OutboxMessage).where(OutboxMessage.channel == Channel.WHATSAPP)
                             .order_by(OutboxMessage.id)).all()[-1]
    assert queued.status == MessageStatus.FAILED and "BERHENTI" in queued.last_error
    notify(session, [user], "need.verify", "Sesudah berhenti.", "/needs/3")
    session.commit()
    assert session.scalar(select(OutboxMessage).where(OutboxMessage.body.like("Sesudah berhenti%"),
                                                      OutboxMessage.channel == Channel.WHATSAPP)) is None


def test_any_other_reply_opens_the_24_hour_window(app, client, session, cloud_api):
    _message_sent, user = _sent_message(app, session, cloud_api)
    assert _post(client, cloud_api, cloud_api.reply_payload("6281234567890", "Terima kasih")).status_code == 200
    session.expire_all()
    assert preference_of(session, user).whatsapp_last_inbound_at is not None
    assert preference_of(session, user).whatsapp_enabled is True


def test_receipts_over_http_and_the_delivery_status_lag(app, session, cloud_api, live_server):
    """The fake posts "sent" then "delivered" to the live app right after accepting each message.
    Lag = from the provider's answer to the status being visible in the database."""
    cloud_api.webhook_url = live_server + "/webhooks/whatsapp"
    cloud_api.auto_statuses = ("sent", "delivered")
    users = []
    for n in range(5):
        user = f.make_coordinator(session, phone=f"08123456780{n}")
        grant_whatsapp_consent(session, user)
        users.append(user)
    notify(session, users, "need.verify", "Kebutuhan diverifikasi.", "/needs/3")
    session.commit()
    started = time.monotonic()
    assert send_due(session, utcnow(), app.config)["sent"] == 5
    sent_at = time.monotonic()
    deadline = sent_at + 10
    while time.monotonic() < deadline:
        session.expire_all()
        statuses = session.scalars(select(OutboxMessage.status).where(
            OutboxMessage.channel == Channel.WHATSAPP)).all()
        if all(s == MessageStatus.DELIVERED for s in statuses):
            break
        time.sleep(0.02)
    lag = time.monotonic() - sent_at
    assert all(s == MessageStatus.DELIVERED for s in statuses), statuses
    print(f"\ndelivery-status lag: 5 messages sent in {sent_at - started:.3f} s, all 'delivered' "
          f"{lag:.3f} s after the last send")
    assert lag < 5
    assert utcnow() - timedelta(minutes=1) < session.scalars(select(OutboxMessage.delivered_at)).first()


def test_receipt_for_a_timed_out_try_marks_it_sent_and_the_retry_never_happens(app, client, session, cloud_api):
    """The provider took the message but answered too late: the retry waits for its back-off; the receipt
    (found by the idempotency key) arrives first, so the message is never sent a second time."""
    user = f.make_coordinator(session, phone="081234567890")
    grant_whatsapp_consent(session, user)
    notify(session, [user], "need.verify", "Kebutuhan diverifikasi.", "/needs/3")
    session.commit()
    cloud_api.fail_next(503)  # stands in for an answer that never came; the provider did take the message
    now = utcnow()
    send_due(session, now, app.config)
    message = _message(session)
    assert message.status == MessageStatus.QUEUED and message.attempts == 1
    payload = cloud_api.status_payload("wamid.LATE", "delivered", callback_data=message.idempotency_key)
    assert _post(client, cloud_api, payload).json["applied"] == 1
    message = _message(session)
    assert message.status == MessageStatus.DELIVERED and message.provider_message_id == "wamid.LATE"
    assert message.attempts == 1
    send_due(session, now + timedelta(minutes=5), app.config)
    assert cloud_api.attempts == 1  # no second send


def test_a_receipt_that_overtakes_the_senders_record_is_not_undone(app, session, cloud_api, live_server):
    """The provider's "delivered" reaches the app before the sender has recorded the provider's answer
    (it is posted while the send request is still open): the sender's "sent" must not overwrite it."""
    cloud_api.webhook_url = live_server + "/webhooks/whatsapp"
    user = f.make_coordinator(session, phone="081234567890")
    grant_whatsapp_consent(session, user)
    notify(session, [user], "need.verify", "Kebutuhan diverifikasi.", "/needs/3")
    session.commit()
    codes = []

    def overtake(body, wamid):
        codes.append(cloud_api.post_status(wamid, "delivered", callback_data=body["biz_opaque_callback_data"]))

    cloud_api.on_request = overtake
    assert send_due(session, utcnow(), app.config)["sent"] == 1
    assert codes == [200]
    message = _message(session)
    assert message.status == MessageStatus.DELIVERED and message.provider_message_id == "wamid.FAKE000001"
    assert message.attempts == 1

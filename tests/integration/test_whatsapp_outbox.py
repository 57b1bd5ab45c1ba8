"""WhatsApp through the outbox against the local fake Cloud API: the payload, retries and back-off,
permanent refusals, and never sending twice (claims, a killed sender, stuck messages)."""
import os
import signal
import subprocess
import sys
import threading
from datetime import timedelta

from sqlalchemy import select

from gandeng.db import db, utcnow
from gandeng.notifications.models import Channel, MessageStatus, OutboxMessage
from gandeng.notifications.outbox import MAX_ATTEMPTS, STUCK_AFTER, claim, send_due
from gandeng.notifications.preferences import grant_whatsapp_consent, preference_of
from gandeng.notifications.services import notify
from tests import factories as f


def _consenting(session, phone="0812-3456-7890", **overrides):
    user = f.make_coordinator(session, phone=phone, **overrides)
    grant_whatsapp_consent(session, user)
    return user


def _whatsapps(session):
    session.expire_all()
    return session.scalars(select(OutboxMessage).where(OutboxMessage.channel == Channel.WHATSAPP)
                           .order_by(OutboxMessage.id)).all()


def _tell(session, users, kind="need.verify"):
    notify(session, users, kind, "Kebutuhan “Atap balai” sudah diverifikasi.", "/needs/7",
           email_subject="Kebutuhan diverifikasi")
    session.commit()


def test_template_message_in_cloud_api_format_goes_to_the_e164_number(app, session, cloud_api):
    app.config["PUBLIC_BASE_URL"] = "https://gandeng.jogjakota.go.id"
    user = _consenting(session)
    _tell(session, [user])
    result = send_due(session, utcnow(), app.config)
    assert result["sent"] == 1
    ((path, headers, body),) = cloud_api.received
    assert path == "/v21.0/1234567890/messages" and headers["Authorization"] == "Bearer test-token"
    assert body["messaging_product"] == "whatsapp" and body["to"] == "6281234567890"
    assert body["type"] == "template"
    assert body["template"]["name"] == "gg_kebutuhan_diverifikasi"
    assert body["template"]["language"] == {"code": "id"}
    params = [p["text"] for p in body["template"]["components"][0]["parameters"]]
    assert params == ["Kebutuhan “Atap balai” sudah diverifikasi.", "https://gandeng.jogjakota.go.id/needs/7"]
    (message,) = _whatsapps(session)
    assert message.status == MessageStatus.SENT and message.provider_message_id == "wamid.FAKE000001"
    assert body["biz_opaque_callback_data"] == message.idempotency_key


def test_plain_text_inside_the_24_hour_window(app, session, cloud_api):
    user = _consenting(session)
    preference_of(session, user).whatsapp_last_inbound_at = utcnow() - timedelta(hours=2)
    _tell(session, [user])
    send_due(session, utcnow(), app.config)
    body = cloud_api.received[0][2]
    assert body["type"] == "text" and "sudah diverifikasi" in body["text"]["body"]


def test_no_whatsapp_without_consent_or_number_or_configuration(app, session, cloud_api):
    no_consent = f.make_coordinator(session, phone="081234567891")
    no_number = f.make_coordinator(session)
    grant_whatsapp_consent(session, no_number)
    _tell(session, [no_consent, no_number])
    assert _whatsapps(session) == []
    app.config["WHATSAPP_API_URL"] = ""  # unset = the channel is off
    _tell(session, [_consenting(session, phone="081234567892")])
    assert _whatsapps(session) == []


def test_server_error_is_retried_with_backoff_then_sent(app, session, cloud_api):
    _tell(session, [_consenting(session)])
    cloud_api.fail_next(503)
    now = utcnow()
    assert send_due(session, now, app.config)["failed"] == 1
    (message,) = _whatsapps(session)
    assert message.status == MessageStatus.QUEUED and message.attempts == 1
    assert "HTTP 503" in message.last_error and "fake failure 503" in message.last_error
    assert message.next_attempt_at == now + timedelta(minutes=1)
    assert send_due(session, now + timedelta(seconds=30), app.config)["sent"] == 0  # not due yet
    assert send_due(session, now + timedelta(minutes=1), app.config)["sent"] == 1
    (message,) = _whatsapps(session)
    assert message.status == MessageStatus.SENT and message.attempts == 2 and message.last_error == ""
    assert len(cloud_api.received) == 1


def test_timeout_is_retried(app, session, cloud_api):
    _tell(session, [_consenting(session)])
    cloud_api.timeout_next(seconds=2)
    now = utcnow()
    assert send_due(session, now, app.config)["failed"] == 1
    (message,) = _whatsapps(session)
    assert message.status == MessageStatus.QUEUED and "timed out" in message.last_error.lower()


def test_client_error_fails_at_once_with_the_providers_answer(app, session, cloud_api):
    _tell(session, [_consenting(session)])
    cloud_api.fail_next(400)
    result = send_due(session, utcnow(), app.config)
    assert result["gave_up"] == 1
    (message,) = _whatsapps(session)
    assert message.status == MessageStatus.FAILED and message.attempts == 1
    assert "HTTP 400" in message.last_error and message.failed_at is not None


def test_five_failures_then_failed(app, session, cloud_api):
    _tell(session, [_consenting(session)])
    cloud_api.fail_next(500, times=MAX_ATTEMPTS + 2)
    now = utcnow()
    for _ in range(MAX_ATTEMPTS + 2):
        send_due(session, now, app.config)
        now += timedelta(hours=7)
    (message,) = _whatsapps(session)
    assert message.status == MessageStatus.FAILED and message.attempts == MAX_ATTEMPTS
    assert cloud_api.attempts == MAX_ATTEMPTS


def test_a_failing_channel_never_rolls_back_the_decision(app, session, cloud_api):
    """The decision is committed when the notification is queued; sending comes later and may fail."""
    from gandeng.needs import services as needs
    from gandeng.needs.models import NeedStatus

    kampung = f.make_kampung(session)
    coordinator = _consenting(session, kampung=kampung)
    need = f.make_need(session, kampung=kampung, status=NeedStatus.SUBMITTED)
    needs.verify_need(session, f.make_staff(session), need)
    session.commit()
    cloud_api.fail_next(500)
    send_due(session, utcnow(), app.config)
    session.expire_all()
    assert session.get(type(need), need.id).status == NeedStatus.VERIFIED
    assert _whatsapps(session)[0].user_id == coordinator.id


def test_a_claimed_message_is_not_taken_by_a_second_sender(app, session, cloud_api):
    _tell(session, [_consenting(session)])
    (message,) = _whatsapps(session)
    now = utcnow()
    assert claim(session, message.id, now) is not None
    assert claim(session, message.id, now) is None  # the second sender loses
    assert send_due(session, now, app.config)["sent"] == 0 and cloud_api.received == []


def test_a_message_stuck_in_sending_is_failed_not_resent_and_staff_may_retry(app, session, cloud_api):
    from gandeng.notifications.outbox import retry

    _tell(session, [_consenting(session)])
    (message,) = _whatsapps(session)
    start = utcnow()
    claim(session, message.id, start)  # then the sender "dies"
    send_due(session, start + timedelta(minutes=1), app.config)
    assert _whatsapps(session)[0].status == MessageStatus.SENDING
    send_due(session, start + STUCK_AFTER + timedelta(minutes=1), app.config)
    (message,) = _whatsapps(session)
    assert message.status == MessageStatus.FAILED and message.last_error.startswith("Tidak pasti")
    assert cloud_api.received == []
    retry(session, f.make_staff(session), message, utcnow())
    session.commit()
    assert send_due(session, utcnow(), app.config)["sent"] == 1 and len(cloud_api.received) == 1


def test_killed_between_send_and_record_the_message_is_never_sent_twice(app, session, cloud_api, tmp_path):
    """A real `flask outbox send` process is killed (SIGKILL) after the provider accepted the message
    and before it could record that; later senders do not send it again, and the receipt that carries
    the idempotency key reconciles it as sent."""
    from gandeng.notifications.receipts import apply_webhook

    _tell(session, [_consenting(session)])
    accepted = threading.Event()
    release = threading.Event()

    def hold(body, wamid):  # the provider has the message; the answer is held back until the kill
        cloud_api.held = (body, wamid)
        accepted.set()
        release.wait(10)

    cloud_api.on_request = hold
    env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "SECRET_KEY": "x",
           "REDIS_URL": "", **{k: str(v) for k, v in cloud_api.settings().items()}}
    env.pop("MAIL_SERVER", None)
    errors = tmp_path / "stderr.txt"
    with errors.open("wb") as stderr:
        process = subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "outbox", "send"], env=env,
                                   cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))),
                                   stdout=subprocess.DEVNULL, stderr=stderr)
        try:
            assert accepted.wait(60), errors.read_text()
            process.send_signal(signal.SIGKILL)
            process.wait(10)
        finally:
            release.set()
    cloud_api.on_request = None
    (message,) = _whatsapps(session)
    assert message.status == MessageStatus.SENDING and message.provider_message_id is None
    # Senders running afterwards, even long after, never send it again.
    for minutes in (1, 5, 30):
        send_due(session, utcnow() + timedelta(minutes=minutes), app.config)
    assert len(cloud_api.received) == 1  # only the one the killed process sent
    # The provider's receipt carries the idempotency key: the message is found and marked.
    body, wamid = cloud_api.held
    apply_webhook(session, cloud_api.status_payload(wamid, "delivered", callback_data=body["biz_opaque_callback_data"]),
                  utcnow())
    session.commit()
    (message,) = _whatsapps(session)
    assert message.status == MessageStatus.DELIVERED and message.provider_message_id == wamid
    assert db.session.scalar(select(OutboxMessage.attempts).where(OutboxMessage.id == message.id)) == 1


def test_a_chunk_sent_side_by_side_records_each_result_for_its_own_message(app, session, cloud_api):
    users = [_consenting(session, phone=f"08123456780{n}") for n in range(5)]
    _tell(session, users)
    cloud_api.fail_next(500)  # whichever request comes first fails
    result = send_due(session, utcnow(), app.config)
    assert (result["sent"], result["failed"]) == (4, 1)
    messages = _whatsapps(session)
    for message in messages:
        if message.status == MessageStatus.SENT:  # the id the provider gave for exactly this recipient
            assert cloud_api.recipient_of[message.provider_message_id] == message.to_address.lstrip("+")
    assert [m.attempts for m in messages if m.status == MessageStatus.QUEUED] == [1]

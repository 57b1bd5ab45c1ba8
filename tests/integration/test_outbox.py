"""The e-mail side of the outbox sent through a real local SMTP server (aiosmtpd): sent once, retried on
failure with back-off, given up after 5 tries, never lost."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from gandeng.db import utcnow
from gandeng.notifications.models import Channel, MessageStatus, OutboxMessage
from gandeng.notifications.outbox import MAX_ATTEMPTS, backoff, send_due
from gandeng.notifications.services import notify
from tests import factories as f
from tests.smtp_fake import free_port


def _queue(session, n=1):
    users = [f.make_coordinator(session) for _ in range(n)]
    notify(session, users, "need.verify", "Kebutuhan “Atap balai” sudah diverifikasi.", "/needs/7",
           email_subject="Kebutuhan diverifikasi")
    session.commit()
    return users


def _mails(session):
    session.expire_all()
    return session.scalars(select(OutboxMessage).where(OutboxMessage.channel == Channel.EMAIL)
                           .order_by(OutboxMessage.id)).all()


def test_due_emails_are_sent_and_marked_sent(session, smtp_server):
    users = _queue(session, 2)
    now = utcnow()
    result = send_due(session, now, smtp_server.settings)
    assert (result["sent"], result["failed"], result["waiting"]) == (2, 0, 0)
    assert sorted(to for tos, _ in smtp_server.received for to in tos) == sorted(u.email for u in users)
    tos, message = smtp_server.received[0]
    assert message["Subject"] == "Kebutuhan diverifikasi"
    assert message["From"] == "Gandeng Gendong <noreply@jogjakota.go.id>"
    body = message.get_content()
    assert "sudah diverifikasi" in body
    assert "https://gandeng.jogjakota.go.id/needs/7" in body  # the local link made absolute
    for mail in _mails(session):
        assert mail.status == MessageStatus.SENT and mail.sent_at == now and mail.attempts == 1
        assert mail.provider_message_id == f"<outbox-{mail.id}.{mail.idempotency_key}@jogjakota.go.id>"


def test_sent_emails_are_not_sent_again(session, smtp_server):
    _queue(session)
    send_due(session, utcnow(), smtp_server.settings)
    again = send_due(session, utcnow(), smtp_server.settings)
    assert again["sent"] == 0 and len(smtp_server.received) == 1


def test_closed_port_counts_an_attempt_keeps_the_error_and_retries_later(session, smtp_server):
    _queue(session)
    refused = {**smtp_server.settings, "MAIL_PORT": free_port()}  # nothing listens there
    now = utcnow()
    result = send_due(session, now, refused)
    assert (result["sent"], result["failed"], result["waiting"]) == (0, 1, 1)
    (mail,) = _mails(session)
    assert mail.status == MessageStatus.QUEUED and mail.attempts == 1
    assert "Connection" in mail.last_error or "refused" in mail.last_error.lower()
    assert mail.next_attempt_at == now + timedelta(minutes=1)
    # Not due yet: a run 30 seconds later leaves it alone, even with a working server.
    assert send_due(session, now + timedelta(seconds=30), smtp_server.settings)["sent"] == 0
    send_due(session, now + timedelta(minutes=1), refused)
    (mail,) = _mails(session)
    assert mail.attempts == 2 and mail.next_attempt_at == now + timedelta(minutes=1) + timedelta(minutes=2)
    later = now + timedelta(minutes=10)
    assert send_due(session, later, smtp_server.settings)["sent"] == 1
    (mail,) = _mails(session)
    assert mail.status == MessageStatus.SENT and mail.sent_at == later and mail.attempts == 3
    assert mail.last_error == "" and len(smtp_server.received) == 1


def test_five_failed_tries_mark_the_email_failed_and_it_is_not_tried_again(session, smtp_server):
    _queue(session)
    refused = {**smtp_server.settings, "MAIL_PORT": free_port()}
    now = utcnow()
    for _ in range(MAX_ATTEMPTS):
        send_due(session, now, refused)
        now += timedelta(hours=7)
    (mail,) = _mails(session)
    assert mail.status == MessageStatus.FAILED and mail.attempts == MAX_ATTEMPTS and mail.failed_at is not None
    assert send_due(session, now + timedelta(days=1), smtp_server.settings)["sent"] == 0
    assert smtp_server.received == []


def test_recipient_refused_by_the_server_is_kept_for_a_retry(session, smtp_server):
    _queue(session, 2)
    smtp_server.refuse = True
    now = utcnow()
    result = send_due(session, now, smtp_server.settings)
    assert result["failed"] == 2 and result["sent"] == 0
    for mail in _mails(session):
        assert mail.status == MessageStatus.QUEUED and mail.attempts == 1
        assert "550" in mail.last_error and mail.next_attempt_at > now
    smtp_server.refuse = False
    assert send_due(session, now + timedelta(minutes=2), smtp_server.settings)["sent"] == 2


def test_without_mail_server_nothing_is_sent_and_emails_stay_readable(session):
    _queue(session, 2)
    result = send_due(session, utcnow(), {"MAIL_SERVER": ""})
    assert result["configured"] is False and result["sent"] == 0 and result["waiting"] == 2
    for mail in _mails(session):
        assert mail.status == MessageStatus.QUEUED and mail.attempts == 0 and "sudah diverifikasi" in mail.body


def test_batch_limit_is_respected(session, smtp_server):
    _queue(session, 3)
    assert send_due(session, utcnow(), smtp_server.settings, limit=2)["sent"] == 2
    assert sum(1 for mail in _mails(session) if mail.status == MessageStatus.QUEUED) == 1


@pytest.mark.parametrize("attempts, minutes", [(1, 1), (2, 2), (3, 4), (4, 8), (9, 256), (10, 360), (50, 360)])
def test_backoff_doubles_from_one_minute_up_to_six_hours(attempts, minutes):
    assert backoff(attempts) == timedelta(minutes=minutes)


# --- the CLI --------------------------------------------------------------------------------------


def test_cli_sends_what_is_due_and_prints_counts(app, runner, session, smtp_server):
    _queue(session, 3)
    app.config.update(smtp_server.settings)
    result = runner.invoke(args=["outbox", "send", "--limit", "2"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "sent 3, failed 0 (will be retried), gave up 0, 0 still unsent"
    assert len(smtp_server.received) == 3
    assert all(mail.status == MessageStatus.SENT for mail in _mails(session))


def test_cli_reports_failures_and_keeps_them(app, runner, session):
    _queue(session, 2)
    app.config.update({"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": free_port()})
    result = runner.invoke(args=["outbox", "send"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "sent 0, failed 2 (will be retried), gave up 0, 2 still unsent"
    assert [mail.attempts for mail in _mails(session)] == [1, 1]


def test_cli_without_any_channel_says_so_and_sends_nothing(app, runner, session):
    _queue(session)
    app.config["MAIL_SERVER"] = ""
    result = runner.invoke(args=["outbox", "send"])
    assert result.exit_code == 0
    assert "nothing sent" in result.output and "1 messages wait" in result.output
    assert _mails(session)[0].attempts == 0

"""The e-mail outbox sent through a real local SMTP server (aiosmtpd): sent once, retried on failure, never lost."""
import socket
from datetime import timedelta
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from gandeng.db import utcnow
from gandeng.notifications.models import OutboxEmail
from gandeng.notifications.outbox import backoff, send_pending
from gandeng.notifications.services import notify
from tests import factories as f


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """An aiosmtpd handler that keeps what it receives, or refuses every recipient when asked."""

    def __init__(self):
        self.received = []
        self.refuse = False

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.received.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default)))
        return "250 OK"


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    inbox.settings = {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": controller.port,
                      "MAIL_FROM": "Gandeng Gendong <noreply@jogjakota.go.id>",
                      "PUBLIC_BASE_URL": "https://gandeng.jogjakota.go.id"}
    yield inbox
    controller.stop()


def _queue(session, n=1):
    users = [f.make_coordinator(session) for _ in range(n)]
    notify(session, users, "need.verify", "Kebutuhan “Atap balai” sudah diverifikasi.", "/needs/7",
           email_subject="Kebutuhan diverifikasi")
    session.commit()
    return users


def _mails(session):
    session.expire_all()
    return session.scalars(select(OutboxEmail).order_by(OutboxEmail.id)).all()


def test_due_emails_are_sent_and_marked_sent(session, smtp_server):
    users = _queue(session, 2)
    now = utcnow()
    result = send_pending(session, now, smtp_server.settings)
    session.commit()
    assert result == {"configured": True, "sent": 2, "failed": 0, "waiting": 0}
    assert sorted(to for tos, _ in smtp_server.received for to in tos) == sorted(u.email for u in users)
    tos, message = smtp_server.received[0]
    assert message["Subject"] == "Kebutuhan diverifikasi"
    assert message["From"] == "Gandeng Gendong <noreply@jogjakota.go.id>"
    body = message.get_content()
    assert "sudah diverifikasi" in body
    assert "https://gandeng.jogjakota.go.id/needs/7" in body  # the local link made absolute
    for mail in _mails(session):
        assert mail.sent_at == now and mail.attempts == 1 and mail.last_error == ""


def test_sent_emails_are_not_sent_again(session, smtp_server):
    _queue(session)
    send_pending(session, utcnow(), smtp_server.settings)
    session.commit()
    again = send_pending(session, utcnow(), smtp_server.settings)
    assert again["sent"] == 0 and len(smtp_server.received) == 1


def test_closed_port_counts_an_attempt_keeps_the_error_and_retries_later(session, smtp_server):
    _queue(session)
    refused = {**smtp_server.settings, "MAIL_PORT": _free_port()}  # nothing listens there
    now = utcnow()
    result = send_pending(session, now, refused)
    session.commit()
    assert result == {"configured": True, "sent": 0, "failed": 1, "waiting": 1}
    (mail,) = _mails(session)
    assert mail.sent_at is None and mail.attempts == 1
    assert "Connection" in mail.last_error or "refused" in mail.last_error.lower()
    assert mail.next_attempt_at == now + timedelta(minutes=1)
    # Not due yet: a run 30 seconds later leaves it alone, even with a working server.
    assert send_pending(session, now + timedelta(seconds=30), smtp_server.settings)["sent"] == 0
    # A second failure waits twice as long.
    send_pending(session, now + timedelta(minutes=1), refused)
    session.commit()
    (mail,) = _mails(session)
    assert mail.attempts == 2 and mail.next_attempt_at == now + timedelta(minutes=1) + timedelta(minutes=2)
    # Once due again and the server answers, it goes out.
    later = now + timedelta(minutes=10)
    assert send_pending(session, later, smtp_server.settings)["sent"] == 1
    session.commit()
    (mail,) = _mails(session)
    assert mail.sent_at == later and mail.attempts == 3 and mail.last_error == ""
    assert len(smtp_server.received) == 1


def test_recipient_refused_by_the_server_is_kept_for_a_retry(session, smtp_server):
    _queue(session, 2)
    smtp_server.refuse = True
    now = utcnow()
    result = send_pending(session, now, smtp_server.settings)
    session.commit()
    assert result["failed"] == 2 and result["sent"] == 0
    for mail in _mails(session):
        assert mail.sent_at is None and mail.attempts == 1
        assert "550" in mail.last_error
        assert mail.next_attempt_at > now
    smtp_server.refuse = False
    assert send_pending(session, now + timedelta(minutes=2), smtp_server.settings)["sent"] == 2


def test_without_mail_server_nothing_is_sent_and_emails_stay_readable(session):
    _queue(session, 2)
    result = send_pending(session, utcnow(), {"MAIL_SERVER": ""})
    assert result == {"configured": False, "sent": 0, "failed": 0, "waiting": 2}
    for mail in _mails(session):
        assert mail.sent_at is None and mail.attempts == 0 and "sudah diverifikasi" in mail.body


def test_batch_limit_is_respected(session, smtp_server):
    _queue(session, 3)
    assert send_pending(session, utcnow(), smtp_server.settings, limit=2)["sent"] == 2
    session.commit()
    assert sum(1 for mail in _mails(session) if mail.sent_at is None) == 1


@pytest.mark.parametrize("attempts, minutes", [(1, 1), (2, 2), (3, 4), (4, 8), (9, 256), (10, 360), (50, 360)])
def test_backoff_doubles_from_one_minute_up_to_six_hours(attempts, minutes):
    assert backoff(attempts) == timedelta(minutes=minutes)


# --- the CLI --------------------------------------------------------------------------------------


def test_cli_sends_what_is_due_and_prints_counts(app, runner, session, smtp_server):
    _queue(session, 3)
    app.config.update(smtp_server.settings)
    result = runner.invoke(args=["outbox", "send", "--limit", "2"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "sent 3, failed 0 (will be retried), 0 still unsent"
    assert len(smtp_server.received) == 3
    assert all(mail.sent_at is not None for mail in _mails(session))


def test_cli_reports_failures_and_keeps_them(app, runner, session):
    _queue(session, 2)
    app.config.update({"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": _free_port()})
    result = runner.invoke(args=["outbox", "send"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "sent 0, failed 2 (will be retried), 2 still unsent"
    assert [mail.attempts for mail in _mails(session)] == [1, 1]


def test_cli_without_mail_server_says_so_and_sends_nothing(app, runner, session):
    _queue(session)
    app.config["MAIL_SERVER"] = ""
    result = runner.invoke(args=["outbox", "send"])
    assert result.exit_code == 0
    assert "MAIL_SERVER not set" in result.output and "1 e-mails wait" in result.output
    assert _mails(session)[0].attempts == 0

"""The staff's outbox page: queued, failed and sent e-mails, readable even when no SMTP server is set."""
from datetime import timedelta

from gandeng.db import utcnow
from gandeng.notifications.models import OutboxEmail
from tests import factories as f
from tests.conftest import login


def _mails(session):
    now = utcnow()
    session.add_all([
        OutboxEmail(to_email="antre@contoh.id", subject="Surel antre", body="Isi surel yang menunggu"),
        OutboxEmail(to_email="gagal@contoh.id", subject="Surel gagal", body="x", attempts=2,
                    last_error="ConnectionRefusedError: [Errno 111] Connection refused",
                    next_attempt_at=now + timedelta(minutes=2)),
        OutboxEmail(to_email="terkirim@contoh.id", subject="Surel terkirim", body="x", attempts=1, sent_at=now),
    ])
    session.commit()


def test_staff_see_every_email_with_its_state_error_and_body(client, session):
    staff = f.make_staff(session)
    _mails(session)
    login(client, staff)
    text = client.get("/outbox").text
    for needle in ("Surel antre", "antre@contoh.id", "Isi surel yang menunggu", "Surel gagal",
                   "Connection refused", "Surel terkirim", "Gagal, akan dicoba lagi", "Terkirim"):
        assert needle in text
    assert "MAIL_SERVER" in text  # the page says why nothing goes out


def test_state_filter_lists_only_that_state(client, session):
    staff = f.make_staff(session)
    _mails(session)
    login(client, staff)
    failed = client.get("/outbox?state=failed").text
    assert "Surel gagal" in failed and "Surel antre" not in failed and "Surel terkirim" not in failed
    queued = client.get("/outbox?state=queued").text
    assert "Surel antre" in queued and "Surel gagal" not in queued


def test_outbox_is_for_staff_only(client, session):
    partner = f.make_partner(session)
    _mails(session)
    login(client, partner)
    response = client.get("/outbox")
    assert response.status_code == 403
    assert "antre@contoh.id" not in response.text


def test_page_says_emails_are_sent_by_the_command_when_a_server_is_set(app, client, session):
    app.config["MAIL_SERVER"] = "smtp.jogjakota.go.id"
    staff = f.make_staff(session)
    session.commit()
    login(client, staff)
    text = client.get("/outbox").text
    assert "flask outbox send" in text and "belum diatur" not in text

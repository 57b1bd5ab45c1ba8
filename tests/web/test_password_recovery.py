"""Account recovery end to end: /password/forgot answers the same for everyone, the e-mailed one-time link
(real local SMTP) sets a new password within 30 minutes, once; old sessions and API tokens are dead
afterwards; staff can make a link to hand over; requests are rate-limited per account and per address."""
import re
from datetime import timedelta

from sqlalchemy import select

from gandeng.api.auth import issue_token, valid_token
from gandeng.db import utcnow
from gandeng.notifications.models import Channel, OutboxMessage
from gandeng.notifications.outbox import REDACTED, send_due
from gandeng.recovery.models import PasswordReset
from tests import factories as f
from tests.conftest import login

NEW_PASSWORD = "kebun-salak-di-gunung-77"


def _link_from_inbox(inbox) -> str:
    (_tos, message), = inbox.received
    return re.search(r"https://gandeng\.jogjakota\.go\.id(/password/reset/[\w-]+)", message.get_content()).group(1)


def _ask(client, identifier, ip="10.0.0.1"):
    return client.post("/password/forgot", data={"identifier": identifier}, environ_base={"REMOTE_ADDR": ip})


def test_forgot_answers_the_same_for_known_unknown_and_suspended_accounts(client, session):
    f.make_coordinator(session, email="ada@contoh.id")
    f.make_coordinator(session, email="beku@contoh.id", status="suspended")
    session.commit()
    answers = {_ask(client, who).text for who in ("ada@contoh.id", "tidak-ada@contoh.id", "beku@contoh.id",
                                                  "0812 9999 0000", "bukan apa-apa")}
    assert len(answers) == 1 and "Periksa pesan Anda" in answers.pop()
    assert session.scalars(select(PasswordReset)).all()[0].user.email == "ada@contoh.id"
    assert len(session.scalars(select(PasswordReset)).all()) == 1


def test_recovery_by_email_end_to_end_kills_old_sessions_and_api_tokens(app, client, session, smtp_server):
    app.config.update(smtp_server.settings)
    user = f.make_partner(session, email="mitra@contoh.id")
    plain_token, _row = issue_token(session, user, 30)
    session.commit()
    old_browser = app.test_client()
    login(old_browser, user)
    assert old_browser.get("/profile").status_code == 200

    assert _ask(client, "MITRA@contoh.id ").status_code == 200
    send_due(session, utcnow(), app.config)
    path = _link_from_inbox(smtp_server)
    mail = session.scalars(select(OutboxMessage).where(OutboxMessage.channel == Channel.EMAIL)).one()
    assert mail.body == REDACTED  # the link is not kept once sent
    stored = session.scalars(select(PasswordReset)).one()
    assert path.rsplit("/", 1)[1] not in stored.token_hash  # only a hash is stored

    assert "Kata sandi baru" in client.get(path).text
    weak = client.post(path, data={"password": "password123", "password_again": "password123"})
    assert weak.status_code == 200 and "paling sering dipakai" in weak.text
    response = client.post(path, data={"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")

    assert old_browser.get("/profile").status_code == 302  # the old session has ended
    session.expire_all()
    assert valid_token(session, plain_token) is None  # every API token revoked
    assert login(client, user).status_code == 200  # the old password no longer works
    assert login(client, user, password=NEW_PASSWORD).status_code == 302
    # Single use.
    assert client.get(path).status_code == 404 and "tidak berlaku" in client.get(path).text
    assert app.test_client().post(path, data={"password": NEW_PASSWORD + "x",
                                              "password_again": NEW_PASSWORD + "x"}).status_code == 404


def test_phone_number_in_any_form_finds_the_account(client, session):
    user = f.make_coordinator(session, phone="0812-3456-7890")
    session.commit()
    _ask(client, "62812 3456 7890")
    assert session.scalars(select(PasswordReset.user_id)).all() == [user.id]


def test_link_expires_after_thirty_minutes(client, session):
    user = f.make_coordinator(session)
    session.commit()
    from gandeng.recovery.services import issue_reset

    token = issue_reset(session, user)
    session.scalars(select(PasswordReset)).one().expires_at = utcnow() - timedelta(seconds=1)
    session.commit()
    assert client.get(f"/password/reset/{token}").status_code == 404


def test_a_new_request_voids_the_earlier_link(client, session):
    from gandeng.recovery.services import issue_reset

    user = f.make_coordinator(session)
    first = issue_reset(session, user)
    second = issue_reset(session, user)
    session.commit()
    assert client.get(f"/password/reset/{first}").status_code == 404
    assert client.get(f"/password/reset/{second}").status_code == 200


def test_new_password_containing_the_name_or_email_is_refused(client, session):
    from gandeng.recovery.services import issue_reset

    user = f.make_coordinator(session, email="sutinah.w@contoh.id", name="Sutinah Wulandari")
    token = issue_reset(session, user)
    session.commit()
    for bad in ("wulandari-2026!", "sutinah.w-kampung"):
        response = client.post(f"/password/reset/{token}", data={"password": bad, "password_again": bad})
        assert response.status_code == 200 and "email atau nama" in response.text
    assert client.get(f"/password/reset/{token}").status_code == 200  # still usable after refusals


def test_staff_make_a_link_shown_once_that_works(client, session):
    staff = f.make_staff(session)
    coordinator = f.make_coordinator(session)
    session.commit()
    login(client, staff)
    assert "Buat tautan atur ulang kata sandi" in client.get(f"/admin/users/{coordinator.id}").text
    page = client.post(f"/admin/users/{coordinator.id}/password-link")
    assert page.status_code == 200 and "hanya tampil sekali" in page.text
    path = re.search(r"http://localhost(/password/reset/[\w-]+)", page.text).group(1)
    assert path not in client.get(f"/admin/users/{coordinator.id}").text
    other = type(client)(client.application)
    assert other.get(path).status_code == 200
    reset = session.scalars(select(PasswordReset)).one()
    assert reset.created_by_id == staff.id


def test_only_staff_make_links_and_only_admins_for_staff(client, session):
    partner = f.make_partner(session)
    staff = f.make_staff(session)
    other_staff = f.make_staff(session)
    session.commit()
    login(client, partner)
    assert client.post(f"/admin/users/{staff.id}/password-link").status_code == 403
    client.post("/logout")
    login(client, staff)
    response = client.post(f"/admin/users/{other_staff.id}/password-link", follow_redirects=True)
    assert "Hanya admin" in response.text
    assert session.scalars(select(PasswordReset)).all() == []


def test_requests_are_limited_per_account_and_per_address(app, client, session):
    app.config.update(PASSWORD_RESET_LIMIT_PER_ACCOUNT="2 per hour", PASSWORD_RESET_LIMIT_PER_IP="4 per hour")
    f.make_coordinator(session, email="target@contoh.id")
    session.commit()
    assert _ask(client, "target@contoh.id", ip="10.1.0.1").status_code == 200
    assert _ask(client, "Target@Contoh.id", ip="10.1.0.2").status_code == 200
    limited = _ask(client, "target@contoh.id", ip="10.1.0.3")  # a third address, same account
    assert limited.status_code == 429
    for n in range(2):
        assert _ask(client, f"orang{n}@contoh.id", ip="10.2.0.1").status_code == 200
    assert _ask(client, "lagi@contoh.id", ip="10.2.0.1").status_code == 200
    assert _ask(client, "lagi2@contoh.id", ip="10.2.0.1").status_code == 200
    assert _ask(client, "lagi3@contoh.id", ip="10.2.0.1").status_code == 429  # fifth from one address


def test_recovery_by_whatsapp_for_a_coordinator_without_email_habit(app, client, session):
    """A number given by staff counts as consent: the link arrives as the approved template."""
    from gandeng.notifications.preferences import grant_whatsapp_consent
    from tests.whatsapp_fake import FakeCloudApi

    fake = FakeCloudApi().start()
    try:
        app.config.update(fake.settings(PUBLIC_BASE_URL="https://gandeng.jogjakota.go.id"))
        user = f.make_coordinator(session, phone="0857 1122 3344")
        grant_whatsapp_consent(session, user)
        session.commit()
        assert _ask(client, "+62 857-1122-3344").status_code == 200
        send_due(session, utcnow(), app.config)
        ((_path, _headers, body),) = fake.received
    finally:
        fake.stop()
    assert body["to"] == "6285711223344" and body["template"]["name"] == "gg_atur_ulang_kata_sandi"
    link = body["template"]["components"][0]["parameters"][1]["text"]
    path = link.removeprefix("https://gandeng.jogjakota.go.id")
    assert path.startswith("/password/reset/")
    response = client.post(path, data={"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert response.status_code == 302
    assert login(client, user, password=NEW_PASSWORD).status_code == 302

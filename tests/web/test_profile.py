"""`/profile`: number, channels with WhatsApp consent stamped, daily digest, password change; create-user
--phone and registration refuse invalid numbers."""
from sqlalchemy import select

from gandeng.accounts.models import User
from gandeng.api.auth import issue_token, valid_token
from gandeng.audit.models import AuditEvent
from gandeng.notifications.preferences import preference_of
from tests import factories as f
from tests.conftest import login


def _save(client, **data):
    form = {"phone": "", "email_enabled": "y"}
    form.update(data)
    return client.post("/profile/notifications", data={k: v for k, v in form.items() if v is not None})


def test_profile_shows_the_choices_and_saves_consent_with_a_timestamp(client, session):
    user = f.make_coordinator(session)
    session.commit()
    login(client, user)
    page = client.get("/profile")
    assert page.status_code == 200 and "Kirim pemberitahuan lewat WhatsApp" in page.text
    # The hint shows the stored form in full (review walk: it ended in "+62….", four dots).
    assert "(disimpan sebagai +6281234567890)." in page.text and "+62…." not in page.text
    response = _save(client, phone="0812 3456 7890", whatsapp_enabled="y", daily_digest="y")
    assert response.status_code == 302
    session.expire_all()
    preference = preference_of(session, user)
    assert session.get(User, user.id).phone == "+6281234567890"
    assert preference.whatsapp_enabled and preference.whatsapp_consent_at is not None and preference.daily_digest
    assert "Persetujuan WhatsApp dicatat" in client.get("/profile").text
    audit = session.scalars(select(AuditEvent).where(AuditEvent.action == "notification_preferences.update")).one()
    assert "6281234567890" not in str(audit.after) + str(audit.before)  # the number stays out of the trail


def test_invalid_number_is_refused_and_nothing_is_lost(client, session):
    user = f.make_coordinator(session, phone="081234567890")
    session.commit()
    login(client, user)
    response = _save(client, phone="12345", whatsapp_enabled="y")
    assert response.status_code == 400 and "Nomor HP tidak sah" in response.text
    assert 'value="12345"' in response.text  # what was typed stays in the form
    session.expire_all()
    assert session.get(User, user.id).phone == "+6281234567890"


def test_profile_needs_a_login(client):
    assert client.get("/profile").status_code == 302


def test_password_change_applies_the_rules_and_ends_other_sessions_and_api_tokens(app, client, session):
    user = f.make_partner(session, name="Rahmat Hidayat")
    plain, _row = issue_token(session, user, 30)
    session.commit()
    other = app.test_client()
    login(other, user)
    login(client, user)
    wrong = client.post("/profile/password", data={"current_password": "salah-sandi", "password": "x",
                                                   "password_again": "x"})
    assert wrong.status_code == 400 and "Kata sandi sekarang salah" in wrong.text
    weak = client.post("/profile/password", data={"current_password": f.PASSWORD, "password": "hidayat-2026",
                                                  "password_again": "hidayat-2026"})
    assert weak.status_code == 400 and "email atau nama" in weak.text
    good = client.post("/profile/password", data={"current_password": f.PASSWORD,
                                                  "password": "kebun-salak-di-gunung-77",
                                                  "password_again": "kebun-salak-di-gunung-77"})
    assert good.status_code == 302
    assert client.get("/profile").status_code == 200  # this session goes on
    assert other.get("/profile").status_code == 302  # the other one has ended
    session.expire_all()
    assert valid_token(session, plain) is None  # a token issued under the old password is dead (issue 16)


def test_create_user_with_phone_normalises_it_and_counts_as_consent(runner, session):
    result = runner.invoke(args=["create-user", "--email", "koor@contoh.id", "--name", "Koor", "--role", "staff",
                                 "--password", "kebun-salak-77", "--phone", "62 812 3456 7890"])
    assert result.exit_code == 0, result.output
    user = session.scalars(select(User).where(User.email == "koor@contoh.id")).one()
    assert user.phone == "+6281234567890"
    preference = preference_of(session, user)
    assert preference.whatsapp_enabled and preference.whatsapp_consent_at is not None


def test_create_user_refuses_an_invalid_phone_and_a_common_password(runner, session):
    bad_phone = runner.invoke(args=["create-user", "--email", "a@contoh.id", "--name", "A", "--role", "staff",
                                    "--password", "kebun-salak-77", "--phone", "12345"])
    assert bad_phone.exit_code == 1 and "Nomor HP tidak sah" in bad_phone.output
    common = runner.invoke(args=["create-user", "--email", "a@contoh.id", "--name", "A", "--role", "staff",
                                 "--password", "password1"])
    assert common.exit_code == 1 and "paling sering dipakai" in common.output
    assert session.scalars(select(User)).all() == []


def test_registration_refuses_an_invalid_phone_next_to_the_field(client, session):
    response = client.post("/register", data={
        "role": "partner", "name": "Budi", "email": "budi@contoh.id", "phone": "0812",
        "password": "kebun-salak-77", "password_again": "kebun-salak-77",
        "organisation": "PT Maju", "org_type": "korporat", "consent": "y"})
    assert response.status_code == 200 and "Nomor HP tidak sah" in response.text
    assert session.scalars(select(User)).all() == []

"""Logging in and out: right and wrong passwords, pending and suspended accounts, dead cookies."""
from gandeng.accounts.models import UserStatus
from tests import factories as f
from tests.conftest import login


def _login_page_answers(client, email, password):
    return client.post("/login", data={"email": email, "password": password})


def test_login_with_right_password_signs_in_and_goes_home(client, session):
    staff = f.make_staff(session, email="petugas@contoh.id")
    session.commit()
    response = login(client, staff)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert client.get("/admin/users").status_code == 200


def test_login_accepts_email_in_other_case_and_with_spaces(client, session):
    f.make_staff(session, email="petugas@contoh.id")
    session.commit()
    response = _login_page_answers(client, "  Petugas@Contoh.ID ", f.PASSWORD)
    assert response.status_code == 302


def test_login_with_wrong_password_is_refused_in_indonesian(client, session):
    staff = f.make_staff(session)
    session.commit()
    response = login(client, staff, password="bukan-sandinya")
    assert response.status_code == 200
    assert "Email atau kata sandi salah." in response.text
    assert client.get("/admin/users").status_code == 302


def test_login_with_unknown_email_gives_the_same_answer_as_a_wrong_password(client):
    response = _login_page_answers(client, "tidak-ada@contoh.id", f.PASSWORD)
    assert response.status_code == 200
    assert "Email atau kata sandi salah." in response.text


def test_login_form_keeps_email_but_not_password(client, session):
    staff = f.make_staff(session, email="ingat@contoh.id")
    session.commit()
    response = login(client, staff, password="kata-sandi-salah-xyz")
    assert 'value="ingat@contoh.id"' in response.text
    assert "kata-sandi-salah-xyz" not in response.text


def test_pending_user_cannot_log_in(client, session):
    user = f.make_coordinator(session, status=UserStatus.PENDING)
    session.commit()
    response = login(client, user)
    assert response.status_code == 200
    assert "masih menunggu verifikasi petugas kota" in response.text
    assert "_user_id" not in _session_of(client)


def test_suspended_user_cannot_log_in(client, session):
    user = f.make_partner(session, status=UserStatus.SUSPENDED)
    session.commit()
    response = login(client, user)
    assert response.status_code == 200
    assert "Akun Anda dinonaktifkan" in response.text
    assert "_user_id" not in _session_of(client)


def test_next_parameter_leads_back_to_a_local_page_only(client, session):
    staff = f.make_staff(session)
    session.commit()
    response = client.post("/login?next=//jahat.example/x", data={"email": staff.email, "password": f.PASSWORD})
    assert response.headers["Location"] == "/"
    client.post("/logout")
    response = client.post("/login?next=/admin/kampung", data={"email": staff.email, "password": f.PASSWORD})
    assert response.headers["Location"] == "/admin/kampung"


def test_login_required_page_sends_anonymous_visitor_to_login(client):
    response = client.get("/admin/users")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_logout_ends_the_session(client, session):
    staff = f.make_staff(session)
    session.commit()
    login(client, staff)
    response = client.post("/logout")
    assert response.status_code == 302
    assert client.get("/admin/users").status_code == 302


def _cookie(client):
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def _session_of(client):
    with client.session_transaction() as sess:
        return dict(sess)


def test_session_cookie_saved_before_logout_no_longer_logs_in(client, session):
    staff = f.make_staff(session)
    session.commit()
    login(client, staff)
    assert client.get("/admin/users").status_code == 200
    saved = _cookie(client)
    client.post("/logout")
    client.set_cookie("session", saved)
    response = client.get("/admin/users")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_logging_in_again_after_logout_works_with_a_new_cookie(client, session):
    staff = f.make_staff(session)
    session.commit()
    login(client, staff)
    old = _cookie(client)
    client.post("/logout")
    login(client, staff)
    assert _cookie(client) != old
    assert client.get("/admin/users").status_code == 200


def test_suspended_staff_members_open_session_stops_working(app, session):
    staff = f.make_staff(session)
    admin = f.make_admin(session)
    session.commit()
    staff_client = app.test_client()
    login(staff_client, staff)
    assert staff_client.get("/admin/users").status_code == 200
    admin_client = app.test_client()
    login(admin_client, admin)
    response = admin_client.post(f"/admin/users/{staff.id}/suspend", data={"reason": "Pindah tugas"})
    assert response.status_code == 302
    response = staff_client.get("/admin/users")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_suspended_coordinator_is_shown_as_signed_out(app, session):
    coordinator = f.make_coordinator(session, name="Bu Warsini")
    staff = f.make_staff(session)
    session.commit()
    coordinator_client = app.test_client()
    login(coordinator_client, coordinator)
    assert "Bu Warsini" in coordinator_client.get("/").text
    staff_client = app.test_client()
    login(staff_client, staff)
    staff_client.post(f"/admin/users/{coordinator.id}/suspend", data={"reason": "Akun ganda"})
    home = coordinator_client.get("/")
    assert "Bu Warsini" not in home.text
    assert "/login" in home.text

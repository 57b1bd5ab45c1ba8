"""With CSRF protection on (as in production), a POST without its token is refused and changes nothing."""
import re

import pytest
from sqlalchemy import func, select

from gandeng.accounts.models import Kampung, Organisation, User
from gandeng.audit.models import AuditEvent
from gandeng.db import db
from tests import factories as f

REFUSED = "Formulir sudah kedaluwarsa atau tidak sah"


@pytest.fixture
def csrf_client(csrf_app):
    return csrf_app.test_client()


def _token(client, path):
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get(path).text)
    assert match, f"no csrf token on {path}"
    return match.group(1)


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def _login(client, user):
    token = _token(client, "/login")
    response = client.post("/login", data={"email": user.email, "password": f.PASSWORD, "csrf_token": token})
    assert response.status_code == 302


def test_login_without_token_is_refused_and_does_not_sign_in(csrf_client):
    staff = f.make_staff(db.session)
    db.session.commit()
    response = csrf_client.post("/login", data={"email": staff.email, "password": f.PASSWORD})
    assert response.status_code == 400
    assert REFUSED in response.text
    assert csrf_client.get("/admin/users").status_code == 302


def test_login_with_token_works(csrf_client):
    staff = f.make_staff(db.session)
    db.session.commit()
    _login(csrf_client, staff)
    assert csrf_client.get("/admin/users").status_code == 200


def test_register_without_token_is_refused_and_creates_nothing(csrf_client):
    users = _count(User)
    response = csrf_client.post("/register", data={
        "role": "partner", "name": "Budi", "email": "budi@contoh.id", "password": "rahasia-123",
        "password_again": "rahasia-123", "organisation": "PT Baru", "org_type": "korporat",
    })
    assert response.status_code == 400
    assert _count(User) == users
    assert db.session.scalar(select(Organisation).where(Organisation.name == "PT Baru")) is None


def test_logout_without_token_is_refused_and_keeps_the_session(csrf_client):
    staff = f.make_staff(db.session)
    db.session.commit()
    _login(csrf_client, staff)
    assert csrf_client.post("/logout").status_code == 400
    assert csrf_client.get("/admin/users").status_code == 200


def _admin_posts(world):
    pending, coordinator, org, kampung, new_kampung = world
    return [
        (f"/admin/users/{pending.id}/verify", {}),
        (f"/admin/users/{coordinator.id}/suspend", {"reason": "Akun ganda"}),
        (f"/admin/users/{coordinator.id}/role", {"role": "staff"}),
        (f"/admin/organisations/{org.id}", {"name": "Nama Lain", "type": "kampus"}),
        (f"/admin/organisations/{org.id}/verify", {}),
        ("/admin/kampung/new", {"name": "Kampung Kenanga", "kelurahan": "34.71.01.1002"}),
        (f"/admin/kampung/{kampung.id}", {"name": "Nama Lain", "kelurahan": "34.71.01.1002"}),
        (f"/admin/kampung/{new_kampung.id}/verify", {}),
    ]


def test_every_admin_post_without_token_is_refused_and_changes_nothing(csrf_client):
    admin = f.make_admin(db.session)
    pending = f.make_coordinator(db.session, status="pending")
    coordinator = f.make_coordinator(db.session)
    org = f.make_organisation(db.session, "Komunitas Lama", "komunitas", verified=False)
    kampung = f.make_kampung(db.session, "Kampung Lama")
    new_kampung = f.make_kampung(db.session, "Kampung Belum", verified=False)
    db.session.commit()
    _login(csrf_client, admin)
    events = _count(AuditEvent)
    kampung_count = _count(Kampung)
    for path, data in _admin_posts((pending, coordinator, org, kampung, new_kampung)):
        response = csrf_client.post(path, data=data)
        assert response.status_code == 400, path
        assert REFUSED in response.text
    db.session.expire_all()
    assert _count(AuditEvent) == events
    assert _count(Kampung) == kampung_count
    assert pending.status == "pending"
    assert coordinator.status == "active" and coordinator.role == "coordinator"
    assert org.name == "Komunitas Lama" and org.verified_at is None
    assert kampung.name == "Kampung Lama" and new_kampung.verified_at is None


def test_admin_post_with_token_from_the_page_works(csrf_client):
    admin = f.make_admin(db.session)
    pending = f.make_coordinator(db.session, status="pending")
    db.session.commit()
    _login(csrf_client, admin)
    token = _token(csrf_client, f"/admin/users/{pending.id}")
    response = csrf_client.post(f"/admin/users/{pending.id}/verify", data={"csrf_token": token})
    assert response.status_code == 302
    db.session.expire_all()
    assert pending.status == "active"

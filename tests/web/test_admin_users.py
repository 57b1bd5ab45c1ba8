"""Staff pages for users: the list (pending first, filters, paging), the detail page and its actions."""
import re

import pytest
from sqlalchemy import func, select

from gandeng.accounts.models import UserStatus
from gandeng.audit.models import AuditEvent
from gandeng.audit.services import history
from tests import factories as f
from tests.conftest import login


@pytest.fixture
def staff(session):
    return f.make_staff(session, name="Petugas Dinsos", email="dinsos@jogjakota.go.id")


@pytest.fixture
def admin(session):
    return f.make_admin(session, name="Admin Kota", email="admin@jogjakota.go.id")


def signed_in(client, session, user):
    session.commit()
    assert login(client, user).status_code == 302
    return client


def audit_count(session):
    return session.scalar(select(func.count()).select_from(AuditEvent))


def test_user_list_shows_pending_first_with_place_status_and_date(client, session, staff):
    f.make_partner(session, name="Mitra Lama")
    kampung = f.make_kampung(session, "Kampung Cokrodiningratan", "34.71.05.1002", verified=False)
    f.make_coordinator(session, name="Koordinator Baru", email="baru@contoh.id", kampung=kampung,
                       status=UserStatus.PENDING)
    org = f.make_organisation(session, "Komunitas Peduli", "komunitas", verified=False)
    f.make_partner(session, name="Mitra Tertunda", organisation=org, status=UserStatus.PENDING)
    signed_in(client, session, staff)
    text = client.get("/admin/users").text
    names = re.findall(r'<span class="fw-semibold text-break">([^<]+)</span>', text)
    assert set(names[:2]) == {"Koordinator Baru", "Mitra Tertunda"}
    assert "Mitra Lama" in names[2:]
    assert "baru@contoh.id" in text
    assert "Kampung Cokrodiningratan" in text and "Cokrodiningratan" in text
    assert "Komunitas Peduli" in text and "Belum terverifikasi" in text
    assert "Menunggu verifikasi" in text and "Koordinator kampung" in text
    assert "Terdaftar " in text


def test_user_list_filters_by_status_role_and_text(client, session, staff):
    f.make_partner(session, name="Mitra Aktif")
    f.make_partner(session, name="Mitra Diblokir", status=UserStatus.SUSPENDED)
    f.make_coordinator(session, name="Koor Diblokir", status=UserStatus.SUSPENDED)
    signed_in(client, session, staff)
    text = client.get("/admin/users?status=suspended&role=partner").text
    assert "Mitra Diblokir" in text
    assert "Mitra Aktif" not in text and "Koor Diblokir" not in text
    text = client.get("/admin/users?q=diblokir").text
    assert "Mitra Diblokir" in text and "Koor Diblokir" in text and "Mitra Aktif" not in text


def test_user_list_pages_keep_the_filters(app, client, session, staff):
    app.config["PER_PAGE"] = 3
    for n in range(7):
        f.make_partner(session, name=f"Mitra {n}")
    signed_in(client, session, staff)
    text = client.get("/admin/users?role=partner").text
    assert "Halaman 1 dari 3" in text
    assert "/admin/users?role=partner&amp;page=2" in text
    assert "Halaman 3 dari 3" in client.get("/admin/users?role=partner&page=3").text


def test_staff_verifies_a_pending_user_from_the_detail_page(client, session, staff):
    user = f.make_coordinator(session, name="Bu Tarmi", status=UserStatus.PENDING)
    signed_in(client, session, staff)
    page = client.get(f"/admin/users/{user.id}").text
    assert f'action="/admin/users/{user.id}/verify"' in page
    assert "Ubah peran" not in page  # only an admin changes roles
    before = audit_count(session)
    response = client.post(f"/admin/users/{user.id}/verify", follow_redirects=True)
    assert "Akun Bu Tarmi sudah aktif." in response.text
    session.refresh(user)
    assert user.status == "active"
    assert audit_count(session) == before + 1
    assert history(session, user)[-1].actor_id == staff.id


def test_verifying_an_active_user_explains_and_changes_nothing(client, session, staff):
    user = f.make_partner(session)
    signed_in(client, session, staff)
    before = audit_count(session)
    response = client.post(f"/admin/users/{user.id}/verify", follow_redirects=True)
    assert "Akun ini sudah aktif." in response.text
    assert audit_count(session) == before


def test_staff_suspends_a_user_with_a_reason_shown_in_the_history(client, session, staff):
    user = f.make_partner(session)
    signed_in(client, session, staff)
    response = client.post(f"/admin/users/{user.id}/suspend", data={"reason": "Organisasi fiktif"},
                           follow_redirects=True)
    assert "dinonaktifkan" in response.text
    assert "Organisasi fiktif" in response.text
    session.refresh(user)
    assert user.status == "suspended"


def test_suspension_without_reason_is_refused_in_indonesian(client, session, staff):
    user = f.make_partner(session)
    signed_in(client, session, staff)
    response = client.post(f"/admin/users/{user.id}/suspend", data={"reason": ""})
    assert response.status_code == 422
    assert "Wajib diisi." in response.text
    session.refresh(user)
    assert user.status == "active"


def test_staff_cannot_suspend_an_admin(client, session, staff, admin):
    signed_in(client, session, staff)
    assert f"/admin/users/{admin.id}/suspend" not in client.get(f"/admin/users/{admin.id}").text
    response = client.post(f"/admin/users/{admin.id}/suspend", data={"reason": "coba"})
    assert response.status_code == 403
    session.refresh(admin)
    assert admin.status == "active"


def test_admin_cannot_suspend_themselves(client, session, admin):
    signed_in(client, session, admin)
    response = client.post(f"/admin/users/{admin.id}/suspend", data={"reason": "coba"})
    assert response.status_code == 422
    assert "Anda tidak dapat menonaktifkan akun sendiri." in response.text
    session.refresh(admin)
    assert admin.status == "active"


def test_admin_changes_a_coordinator_into_a_partner_with_the_organisation_picker(client, session, admin):
    user = f.make_coordinator(session, name="Pak Joko")
    org = f.make_organisation(session, "Universitas Teknologi", "kampus")
    signed_in(client, session, admin)
    page = client.get(f"/admin/users/{user.id}").text
    assert "Ubah peran" in page and "Universitas Teknologi" in page
    before = audit_count(session)
    response = client.post(f"/admin/users/{user.id}/role", data={"role": "partner", "organisation": str(org.id)})
    assert response.status_code == 302
    session.refresh(user)
    assert (user.role, user.organisation_id, user.kampung_id) == ("partner", org.id, None)
    assert audit_count(session) == before + 1


def test_new_coordinator_without_kampung_is_refused_next_to_the_picker(client, session, admin):
    user = f.make_staff(session)
    signed_in(client, session, admin)
    response = client.post(f"/admin/users/{user.id}/role", data={"role": "coordinator", "kampung": ""})
    assert response.status_code == 422
    assert "Koordinator harus terhubung ke satu kampung." in response.text
    session.refresh(user)
    assert user.role == "staff"


def test_staff_cannot_change_roles(client, session, staff):
    user = f.make_partner(session)
    signed_in(client, session, staff)
    response = client.post(f"/admin/users/{user.id}/role", data={"role": "admin"})
    assert response.status_code == 403
    session.refresh(user)
    assert user.role == "partner"


def test_pending_partners_organisation_can_be_verified_from_the_user_page(client, session, staff):
    org = f.make_organisation(session, "PT Belum Dicek", verified=False)
    user = f.make_partner(session, organisation=org, status=UserStatus.PENDING)
    signed_in(client, session, staff)
    page = client.get(f"/admin/users/{user.id}").text
    assert f'href="/admin/organisations/{org.id}"' in page
    assert f'action="/admin/organisations/{org.id}/verify"' in page
    response = client.post(f"/admin/organisations/{org.id}/verify", data={"next": f"/admin/users/{user.id}"})
    assert response.headers["Location"] == f"/admin/users/{user.id}"
    session.refresh(org)
    assert org.is_verified


def test_unknown_user_is_404(client, session, staff):
    signed_in(client, session, staff)
    assert client.get("/admin/users/987654").status_code == 404
    assert client.post("/admin/users/987654/verify").status_code == 404


def test_coordinator_gets_403_on_admin_pages(client, session):
    coordinator = f.make_coordinator(session)
    signed_in(client, session, coordinator)
    assert client.get("/admin/users").status_code == 403
    assert client.post(f"/admin/users/{coordinator.id}/verify").status_code == 403

"""Audit finding 3: registering with the name of an existing organisation or kampung never makes the
newcomer its member; an explicit join request does, once its members (or staff) approve it. Finding 6:
two registrations racing to create the same organisation get a clean form error, not a 500."""
import pytest
from sqlalchemy import func, select

from gandeng.accounts import services
from gandeng.accounts.join_requests import JoinRequest, JoinStatus
from gandeng.accounts.models import Organisation, User
from gandeng.notifications.models import Notification
from tests import factories as f
from tests.conftest import login
from tests.web.test_accounts_register import KRICAK, coordinator_form, partner_form

BANK = "PT Bank Mataram Sejahtera"


@pytest.fixture
def bank(session):
    """A verified organisation with one active member and a collaboration."""
    organisation = f.make_organisation(session, BANK, "korporat")
    member = f.make_partner(session, organisation=organisation, email="anggota@bankmataram.co.id")
    f.make_collaboration(session, offer=f.make_offer(session, organisation=organisation))
    session.commit()
    return {"org": organisation, "member": member}


def _user(session, email):
    return session.scalar(select(User).where(User.email == email))


def _stranger(client, **extra):
    return client.post("/register", data=partner_form(email="orang@asing.example", organisation="pt bank mataram sejahtera",
                                                     **extra))


def test_registering_with_an_existing_organisations_name_does_not_make_a_member(client, session, bank):
    response = _stranger(client)
    assert response.status_code == 200
    assert f"{BANK} sudah terdaftar" in response.text and "Minta bergabung" in response.text
    assert _user(session, "orang@asing.example") is None


def test_the_audits_stranger_sees_nothing_of_the_organisation_after_staff_press_verify(app, session, bank):
    stranger_client, staff_client = app.test_client(), app.test_client()
    assert "Permintaan bergabung Anda dikirim" in _stranger(stranger_client, join_existing="y").text
    stranger = _user(session, "orang@asing.example")
    assert stranger.organisation_id is None and stranger.status == "pending"
    staff = f.make_staff(session)
    session.commit()
    login(staff_client, staff)
    staff_client.post(f"/admin/users/{stranger.id}/verify")
    with staff_client.session_transaction() as flashed:
        assert f"meminta bergabung dengan {BANK}" in str(flashed["_flashes"])
    session.expire_all()
    assert stranger.status == "pending" and stranger.organisation_id is None
    assert login(stranger_client, stranger, password="rahasia-mitra").status_code == 200  # still cannot sign in
    assert stranger_client.get(f"/organisations/{bank['org'].id}/statement.pdf").status_code in (302, 403, 404)


def test_a_member_approves_and_the_newcomer_joins(app, session, bank):
    _stranger(app.test_client(), join_existing="y")
    note = session.scalar(select(Notification).where(Notification.user_id == bank["member"].id,
                                                     Notification.kind == "join_request.create"))
    assert BANK in note.message and note.link == "/join-requests"
    member_client = app.test_client()
    login(member_client, bank["member"])
    page = member_client.get("/join-requests")
    assert "Pak Hendra" in page.text and f"menjadi anggota {BANK}" in page.text
    request = session.scalar(select(JoinRequest))
    assert member_client.post(f"/join-requests/{request.id}/approve").status_code == 302
    session.expire_all()
    newcomer = _user(session, "orang@asing.example")
    assert newcomer.status == "active" and newcomer.organisation_id == bank["org"].id
    assert request.status == JoinStatus.APPROVED and request.decided_by_id == bank["member"].id
    newcomer_client = app.test_client()
    assert login(newcomer_client, newcomer, password="rahasia-mitra").status_code == 302
    assert newcomer_client.get(f"/organisations/{bank['org'].id}/report").status_code == 200


def test_staff_see_a_warning_naming_the_organisation_and_may_refuse(app, session, bank):
    _stranger(app.test_client(), join_existing="y")
    staff_client = app.test_client()
    login(staff_client, f.make_staff(session))
    page = staff_client.get("/join-requests").text
    assert "Anda memutuskan sebagai petugas kota" in page and BANK in page
    request = session.scalar(select(JoinRequest))
    staff_client.post(f"/join-requests/{request.id}/refuse")
    session.expire_all()
    assert request.status == JoinStatus.REFUSED
    assert request.user.status == "suspended" and request.user.organisation_id is None
    assert staff_client.post(f"/join-requests/{request.id}/approve").status_code == 302  # already decided
    session.expire_all()
    assert request.user.organisation_id is None


def test_members_of_another_organisation_cannot_see_or_decide_the_request(app, session, bank):
    _stranger(app.test_client(), join_existing="y")
    outsider = f.make_partner(session, organisation=f.make_organisation(session, "Universitas Lain", "kampus"))
    session.commit()
    request = session.scalar(select(JoinRequest))
    client = app.test_client()
    login(client, outsider)
    assert "Pak Hendra" not in client.get("/join-requests").text
    assert client.post(f"/join-requests/{request.id}/approve").status_code == 404
    session.expire_all()
    assert request.status == JoinStatus.PENDING


def test_a_coordinator_of_the_kampung_approves_a_newcomer_to_it(app, session):
    kampung = f.make_kampung(session, "Jatimulyo Lor", KRICAK)
    coordinator = f.make_coordinator(session, kampung=kampung)
    session.commit()
    app.test_client().post("/register", data=coordinator_form(kampung="Jatimulyo Lor", join_existing="y"))
    client = app.test_client()
    login(client, coordinator)
    request = session.scalar(select(JoinRequest))
    client.post(f"/join-requests/{request.id}/approve")
    session.expire_all()
    assert _user(session, "sumirah@contoh.id").kampung_id == kampung.id


def test_a_new_organisation_is_still_created_with_its_first_member(client, session):
    client.post("/register", data=partner_form())
    user = _user(session, "hendra@bankbaru.co.id")
    assert user.organisation.name == "PT Bank Baru Jogja"
    assert session.scalar(select(func.count()).select_from(JoinRequest)) == 0


def test_two_registrations_racing_for_one_new_organisation_get_a_clean_error(client, session, monkeypatch):
    """The first registration committed "PT Baru" between the second one's lookup and its insert."""
    winner = f.make_organisation(session, "PT Bank Baru Jogja", "korporat", verified=False)
    f.make_partner(session, organisation=winner, email="pertama@bankbaru.co.id")
    session.commit()
    real = services.find_organisation
    calls = []

    def lookup_before_the_winner_committed(session_, name):
        calls.append(name)
        return None if len(calls) == 1 else real(session_, name)

    monkeypatch.setattr(services, "find_organisation", lookup_before_the_winner_committed)
    response = client.post("/register", data=partner_form())
    assert response.status_code == 200
    assert "PT Bank Baru Jogja sudah terdaftar" in response.text
    assert session.scalar(select(func.count()).select_from(Organisation)) == 1
    assert _user(session, "hendra@bankbaru.co.id") is None


def test_two_registrations_racing_with_one_email_get_a_clean_error(client, session, monkeypatch):
    f.make_partner(session, email="hendra@bankbaru.co.id")
    session.commit()
    monkeypatch.setattr(services, "user_by_email", lambda *args: None)  # as if not yet committed
    response = client.post("/register", data=partner_form(organisation="Komunitas Baru"))
    assert response.status_code == 200
    assert "Data yang sama baru saja dikirim oleh orang lain. Coba lagi." in response.text
    assert session.scalar(select(Organisation).where(Organisation.name == "Komunitas Baru")) is None

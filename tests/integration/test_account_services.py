"""Account services: verify, suspend, change roles, manage organisations and kampung — each audited once."""
import pytest
from sqlalchemy import select

from gandeng.accounts import services
from gandeng.accounts.models import UserStatus
from gandeng.audit.models import AuditEvent
from gandeng.audit.services import history
from gandeng.errors import DomainError, NotAllowed
from tests import factories as f

KRICAK, KARANGWARU = "34.71.01.1001", "34.71.01.1002"


def actions(session, obj):
    return [event.action for event in history(session, obj)]


def test_staff_verify_pending_coordinator_and_their_new_kampung(session):
    staff = f.make_staff(session)
    kampung = f.make_kampung(session, verified=False)
    user = f.make_coordinator(session, kampung=kampung, status=UserStatus.PENDING)
    services.verify_user(session, staff, user)
    assert user.status == "active" and user.verified_at is not None
    assert kampung.verified_at is not None
    assert actions(session, user) == ["user.create", "user.verify"]
    assert history(session, user)[-1].actor_id == staff.id


def test_verifying_a_partner_leaves_their_organisation_for_staff_to_check(session):
    staff = f.make_staff(session)
    org = f.make_organisation(session, verified=False)
    user = f.make_partner(session, organisation=org, status=UserStatus.PENDING)
    services.verify_user(session, staff, user)
    assert user.status == "active"
    assert org.verified_at is None


def test_verifying_an_active_user_is_refused(session):
    staff = f.make_staff(session)
    user = f.make_partner(session)
    with pytest.raises(DomainError, match="sudah aktif"):
        services.verify_user(session, staff, user)


@pytest.mark.parametrize("role", ["coordinator", "partner"])
def test_only_staff_verify_users(session, role):
    actor = f.make_user(session, role)
    user = f.make_coordinator(session, status=UserStatus.PENDING)
    with pytest.raises(NotAllowed):
        services.verify_user(session, actor, user)
    assert user.status == "pending"


def test_staff_cannot_reactivate_a_suspended_admin_but_an_admin_can(session):
    staff, admin = f.make_staff(session), f.make_admin(session)
    other_admin = f.make_admin(session, status=UserStatus.SUSPENDED)
    with pytest.raises(NotAllowed):
        services.verify_user(session, staff, other_admin)
    services.verify_user(session, admin, other_admin)
    assert other_admin.status == "active"


def test_suspension_needs_a_reason_records_it_and_ends_sessions(session):
    staff = f.make_staff(session)
    user = f.make_coordinator(session)
    version = user.session_version
    with pytest.raises(DomainError) as error:
        services.suspend_user(session, staff, user, "   ")
    assert error.value.field == "reason"
    services.suspend_user(session, staff, user, "Data kampung palsu")
    assert user.status == "suspended"
    assert user.session_version == version + 1
    event = history(session, user)[-1]
    assert (event.action, event.note, event.after) == ("user.suspend", "Data kampung palsu", {"status": "suspended"})


def test_nobody_suspends_themselves(session):
    admin = f.make_admin(session)
    with pytest.raises(DomainError, match="akun sendiri"):
        services.suspend_user(session, admin, admin, "coba")
    assert admin.status == "active"


def test_staff_cannot_suspend_an_admin_but_another_admin_can(session):
    staff, admin, other_admin = f.make_staff(session), f.make_admin(session), f.make_admin(session)
    with pytest.raises(NotAllowed):
        services.suspend_user(session, staff, admin, "coba")
    services.suspend_user(session, other_admin, admin, "Pindah dinas")
    assert admin.status == "suspended"


def test_suspending_twice_is_refused_without_a_second_audit_row(session):
    staff = f.make_staff(session)
    user = f.make_partner(session)
    services.suspend_user(session, staff, user, "Akun ganda")
    with pytest.raises(DomainError, match="sudah dinonaktifkan"):
        services.suspend_user(session, staff, user, "Akun ganda")
    assert actions(session, user).count("user.suspend") == 1


def test_admin_changes_coordinator_into_partner_of_an_organisation(session):
    admin = f.make_admin(session)
    user = f.make_coordinator(session)
    org = f.make_organisation(session)
    old_kampung_id = user.kampung_id
    services.change_role(session, admin, user, "partner", organisation=org)
    assert (user.role, user.organisation, user.kampung) == ("partner", org, None)
    event = history(session, user)[-1]
    assert event.action == "user.role_change"
    assert event.before == {"role": "coordinator", "kampung_id": old_kampung_id, "organisation_id": None}
    assert event.after == {"role": "partner", "kampung_id": None, "organisation_id": org.id}


def test_new_coordinator_needs_a_kampung(session):
    admin = f.make_admin(session)
    user = f.make_staff(session)
    with pytest.raises(DomainError) as error:
        services.change_role(session, admin, user, "coordinator")
    assert error.value.field == "kampung"
    assert user.role == "staff"


def test_staff_cannot_change_roles(session):
    staff = f.make_staff(session)
    user = f.make_partner(session)
    with pytest.raises(NotAllowed):
        services.change_role(session, staff, user, "staff")
    assert user.role == "partner"


def test_admin_cannot_drop_their_own_admin_role(session):
    admin = f.make_admin(session)
    with pytest.raises(DomainError, match="admin sendiri"):
        services.change_role(session, admin, admin, "staff")


def test_changing_to_the_same_role_and_place_is_refused(session):
    admin = f.make_admin(session)
    user = f.make_coordinator(session)
    with pytest.raises(DomainError, match="Tidak ada yang berubah"):
        services.change_role(session, admin, user, "coordinator")
    other = f.make_kampung(session)
    services.change_role(session, admin, user, "coordinator", kampung=other)
    assert user.kampung == other


def test_role_change_ends_the_users_sessions(session):
    admin = f.make_admin(session)
    user = f.make_staff(session)
    version = user.session_version
    services.change_role(session, admin, user, "admin")
    assert user.session_version == version + 1


def test_organisation_and_kampung_are_verified_once_with_one_audit_row(session):
    staff = f.make_staff(session)
    org = f.make_organisation(session, verified=False)
    kampung = f.make_kampung(session, verified=False)
    services.verify_organisation(session, staff, org)
    services.verify_kampung(session, staff, kampung)
    assert org.is_verified and kampung.is_verified
    with pytest.raises(DomainError):
        services.verify_organisation(session, staff, org)
    with pytest.raises(DomainError):
        services.verify_kampung(session, staff, kampung)
    assert actions(session, org) == ["organisation.verify"]
    assert actions(session, kampung) == ["kampung.verify"]


def test_partner_cannot_verify_their_own_organisation(session):
    org = f.make_organisation(session, verified=False)
    partner = f.make_partner(session, organisation=org)
    with pytest.raises(NotAllowed):
        services.verify_organisation(session, partner, org)
    assert org.verified_at is None


def test_update_organisation_changes_fields_and_audits_names_of_contact_fields_only(session):
    staff = f.make_staff(session)
    org = f.make_organisation(session, "PT Lama", "korporat")
    changed = services.update_organisation(session, staff, org, {
        "name": "  PT   Baru ", "type": "korporat", "phone": "0274 555 111", "email": "csr@baru.co.id", "address": "",
    })
    assert changed
    assert (org.name, org.phone, org.email) == ("PT Baru", "0274 555 111", "csr@baru.co.id")
    event = history(session, org)[-1]
    assert event.action == "organisation.update"
    assert event.before == {"name": "PT Lama"}
    assert event.after == {"name": "PT Baru", "fields": ["name", "phone", "email"]}
    assert "0274" not in str(event.after)


def test_update_organisation_without_changes_records_nothing(session):
    staff = f.make_staff(session)
    org = f.make_organisation(session, "PT Tetap", "kampus")
    data = {"name": "PT Tetap", "type": "kampus", "phone": "", "email": "", "address": ""}
    assert services.update_organisation(session, staff, org, data) is False
    assert actions(session, org) == []


def test_organisation_name_stays_unique_ignoring_case(session):
    staff = f.make_staff(session)
    f.make_organisation(session, "Universitas Gadjah Mada", "kampus")
    org = f.make_organisation(session, "UGM", "kampus")
    with pytest.raises(DomainError) as error:
        services.update_organisation(session, staff, org, {"name": "universitas gadjah mada", "type": "kampus"})
    assert error.value.field == "name"
    with pytest.raises(DomainError) as error:
        services.update_organisation(session, staff, org, {"name": "UGM", "type": "yayasan"})
    assert error.value.field == "type"


def test_staff_create_a_verified_kampung_once_per_kelurahan(session):
    staff = f.make_staff(session)
    kampung = services.create_kampung(session, staff, "Kampung  Sidomulyo", KRICAK)
    assert (kampung.name, kampung.kelurahan_code, kampung.is_verified) == ("Kampung Sidomulyo", KRICAK, True)
    assert actions(session, kampung) == ["kampung.create"]
    with pytest.raises(DomainError, match="sudah ada"):
        services.create_kampung(session, staff, "kampung-sidomulyo", KRICAK)
    # The same name in another kelurahan is another kampung.
    assert services.create_kampung(session, staff, "Kampung Sidomulyo", KARANGWARU).id != kampung.id


def test_create_kampung_needs_a_name_and_a_real_kelurahan(session):
    staff = f.make_staff(session)
    with pytest.raises(DomainError) as error:
        services.create_kampung(session, staff, " - ", KRICAK)
    assert error.value.field == "name"
    with pytest.raises(DomainError) as error:
        services.create_kampung(session, staff, "Kampung X", "99.99")
    assert error.value.field == "kelurahan"


def test_moving_a_kampung_to_another_kelurahan_moves_its_needs(session):
    staff = f.make_staff(session)
    kampung = f.make_kampung(session, "Kampung Pindah", KRICAK)
    need = f.make_need(session, kampung=kampung)
    assert services.update_kampung(session, staff, kampung, "Kampung Pindah", KARANGWARU)
    session.refresh(need)
    assert kampung.kelurahan_code == KARANGWARU and kampung.kelurahan.name == "Karangwaru"
    assert need.kelurahan_code == KARANGWARU
    event = history(session, kampung)[-1]
    assert event.before == {"name": "Kampung Pindah", "kelurahan_code": KRICAK}


def test_renaming_a_kampung_onto_another_is_refused(session):
    staff = f.make_staff(session)
    f.make_kampung(session, "Kampung Satu", KRICAK)
    kampung = f.make_kampung(session, "Kampung Dua", KRICAK)
    with pytest.raises(DomainError, match="sudah ada"):
        services.update_kampung(session, staff, kampung, "kampung satu", KRICAK)
    assert services.update_kampung(session, staff, kampung, "Kampung Dua", KRICAK) is False


def test_authenticate_records_the_time_of_login(session):
    user = f.make_partner(session, email="mitra@contoh.id")
    assert user.last_login_at is None
    assert services.authenticate(session, "MITRA@contoh.id", f.PASSWORD) is user
    assert user.last_login_at is not None


def test_every_state_change_writes_exactly_one_audit_row(session):
    admin = f.make_admin(session)
    before = len(session.scalars(select(AuditEvent)).all())
    user = f.make_coordinator(session, status=UserStatus.PENDING)  # user.create (+ kampung made by builder)
    services.verify_user(session, admin, user)
    services.suspend_user(session, admin, user, "Alasan")
    services.verify_user(session, admin, user)
    services.change_role(session, admin, user, "staff")
    after = session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()[before:]
    assert [e.action for e in after] == [
        "user.create", "user.verify", "user.suspend", "user.verify", "user.role_change",
    ]

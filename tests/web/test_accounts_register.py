"""Self-registration of coordinators and partners: pending until staff verify them."""
from sqlalchemy import func, select

from gandeng.accounts.models import Kampung, Organisation, User
from tests import factories as f
from tests.conftest import login

KRICAK = "34.71.01.1001"


def coordinator_form(**overrides):
    data = {
        "role": "coordinator", "name": "Bu Sumirah", "email": "sumirah@contoh.id", "phone": "0812 3456 7890",
        "password": "rahasia-kampung", "password_again": "rahasia-kampung",
        "kelurahan": KRICAK, "kampung": "Kampung Jatimulyo Lor", "consent": "y",
    }
    data.update(overrides)
    return data


def partner_form(**overrides):
    data = {
        "role": "partner", "name": "Pak Hendra", "email": "hendra@bankbaru.co.id",
        "password": "rahasia-mitra", "password_again": "rahasia-mitra",
        "organisation": "PT Bank Baru Jogja", "org_type": "korporat", "consent": "y",
    }
    data.update(overrides)
    return data


def _user(session, email):
    return session.scalar(select(User).where(User.email == email))


def test_coordinator_registration_creates_pending_user_and_unverified_kampung(client, session):
    response = client.post("/register", data=coordinator_form())
    assert response.status_code == 200
    assert "Pendaftaran diterima" in response.text
    user = _user(session, "sumirah@contoh.id")
    assert user.role == "coordinator" and user.status == "pending"
    assert user.kampung.name == "Kampung Jatimulyo Lor"
    assert user.kampung.kelurahan_code == KRICAK
    assert user.kampung.verified_at is None
    assert user.password_hash.startswith("$argon2id$")
    assert "rahasia-kampung" not in user.password_hash


def test_coordinator_naming_an_existing_kampung_written_loosely_only_asks_to_join(client, session):
    existing = f.make_kampung(session, "Jatimulyo Lor", KRICAK)
    session.commit()
    refused = client.post("/register", data=coordinator_form(kampung="jatimulyo-lor"))
    assert "Jatimulyo Lor sudah terdaftar" in refused.text and _user(session, "sumirah@contoh.id") is None
    client.post("/register", data=coordinator_form(kampung="jatimulyo-lor", join_existing="y"))
    user = _user(session, "sumirah@contoh.id")
    assert user.kampung_id is None and user.status == "pending"  # a member only once approved
    assert session.scalar(select(func.count()).select_from(Kampung).where(Kampung.kelurahan_code == KRICAK)) == 1


def test_partner_registration_creates_pending_user_and_unverified_organisation(client, session):
    response = client.post("/register", data=partner_form())
    assert "Pendaftaran diterima" in response.text
    user = _user(session, "hendra@bankbaru.co.id")
    assert user.role == "partner" and user.status == "pending"
    assert user.organisation.name == "PT Bank Baru Jogja"
    assert user.organisation.type == "korporat"
    assert user.organisation.verified_at is None


def test_registered_user_cannot_log_in_until_staff_verify_then_can(client, session):
    client.post("/register", data=coordinator_form())
    user = _user(session, "sumirah@contoh.id")
    response = login(client, user, password="rahasia-kampung")
    assert "masih menunggu verifikasi" in response.text
    staff = f.make_staff(session)
    session.commit()
    login(client, staff)
    assert client.post(f"/admin/users/{user.id}/verify").status_code == 302
    client.post("/logout")
    response = login(client, user, password="rahasia-kampung")
    assert response.status_code == 302
    assert "Bu Sumirah" in client.get("/").text
    session.refresh(user)
    assert user.kampung.verified_at is not None


def test_registration_errors_reshow_typed_values_but_not_the_password(client, session):
    response = client.post("/register", data=coordinator_form(password_again="lain-sekali", kampung=""))
    assert response.status_code == 200
    assert "Kedua kata sandi tidak sama." in response.text
    assert 'value="Bu Sumirah"' in response.text
    assert 'value="sumirah@contoh.id"' in response.text
    assert 'value="0812 3456 7890"' in response.text
    assert "rahasia-kampung" not in response.text
    assert _user(session, "sumirah@contoh.id") is None


def test_coordinator_without_kelurahan_or_kampung_gets_indonesian_errors(client, session):
    response = client.post("/register", data=coordinator_form(kelurahan=""))
    assert "Pilih kelurahan." in response.text
    response = client.post("/register", data=coordinator_form(kampung="  "))
    assert "Nama kampung wajib diisi." in response.text
    assert 'value="Bu Sumirah"' in response.text
    assert _user(session, "sumirah@contoh.id") is None
    assert session.scalar(select(func.count()).select_from(Kampung)) == 0


def test_the_chosen_roles_own_fields_are_asked_for_in_the_same_answer_as_every_other_mistake(client, session):
    """Phone walk: an empty form listed five problems; "Pilih kelurahan" came only once those were fixed."""
    coordinator = client.post("/register", data={"role": "coordinator"}).text
    for message in ("Pilih kelurahan.", "Nama kampung wajib diisi.", "Centang untuk menyetujui pemberitahuan privasi"):
        assert message in coordinator
    assert "Nama organisasi wajib diisi." not in coordinator
    partner = client.post("/register", data={"role": "partner", "name": "Hendra"}).text
    assert "Nama organisasi wajib diisi." in partner and "Jenis organisasi harus korporat" in partner
    assert "Pilih kelurahan." not in partner
    assert session.scalar(select(func.count()).select_from(Kampung)) == 0


def test_partner_without_organisation_type_is_refused_and_nothing_is_created(client, session):
    response = client.post("/register", data=partner_form(org_type=""))
    assert "Jenis organisasi harus korporat, kampus atau komunitas." in response.text
    assert 'value="PT Bank Baru Jogja"' in response.text
    assert _user(session, "hendra@bankbaru.co.id") is None
    assert session.scalar(select(Organisation).where(Organisation.name == "PT Bank Baru Jogja")) is None


def test_short_password_and_bad_email_are_explained_in_indonesian(client):
    response = client.post("/register", data=partner_form(password="pendek", password_again="pendek", email="bukan-email"))
    assert "Kata sandi 8 sampai 200 karakter." in response.text
    assert "Alamat email tidak sah." in response.text


def test_duplicate_email_is_refused_in_any_case(client, session):
    f.make_partner(session, email="hendra@bankbaru.co.id")
    session.commit()
    users = session.scalar(select(func.count()).select_from(User))
    response = client.post("/register", data=partner_form(email="Hendra@BankBaru.co.id"))
    assert "Email ini sudah terdaftar." in response.text
    assert session.scalar(select(func.count()).select_from(User)) == users
    assert session.scalar(select(Organisation).where(Organisation.name == "PT Bank Baru Jogja")) is None


def test_only_coordinator_or_partner_may_register(client, session):
    response = client.post("/register", data=partner_form(role="admin"))
    assert response.status_code == 200
    assert "Pilihan tidak sah." in response.text
    assert _user(session, "hendra@bankbaru.co.id") is None


def test_register_page_lists_kelurahan_grouped_by_kemantren(client):
    response = client.get("/register")
    assert '<optgroup label="Tegalrejo">' in response.text
    assert "Kricak" in response.text
    # Alphabetical, kemantren and kelurahan alike: Danurejan before Gedongtengen, and in Tegalrejo
    # Bener before Karangwaru before Kricak before Tegalrejo (by code Kricak came first).
    page = response.text
    assert page.index('label="Danurejan"') < page.index('label="Gedongtengen"')
    tegalrejo = page[page.index('<optgroup label="Tegalrejo">'):]
    tegalrejo = tegalrejo[:tegalrejo.index("</optgroup>")]
    names = [tegalrejo.index(f">{name}<") for name in ("Bener", "Karangwaru", "Kricak", "Tegalrejo")]
    assert names == sorted(names)

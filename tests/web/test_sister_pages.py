"""The sister pairing on the web: staff run a draft, see unpaired kampung first with reasons, lock and swap
partners, run again around locks, publish (partners and coordinators told); the public sees the pairs only."""
from sqlalchemy import select

from gandeng.notifications.models import Notification
from gandeng.sister.models import RoundStatus, SisterPair, SisterRound
from tests import factories as f
from tests.conftest import login

KRICAK, TERBAN, PRENGGAN = "34.71.01.1001", "34.71.03.1005", "34.71.14.1002"


def city(session):
    kampung = {
        "kricak": f.make_sister_kampung(session, "Kricak Kidul", KRICAK, themes=["sanitation", "health"],
                                        households=321, kms_households=87),
        "terban": f.make_sister_kampung(session, "Terban Lor", TERBAN, themes=["education"]),
        "prenggan": f.make_sister_kampung(session, "Prenggan Wetan", PRENGGAN, themes=["livelihood"]),
    }
    partners = {
        "ugm": f.make_sister_partner(session, "UGM", "kampus", TERBAN, 2, ["education", "health"]),
        "uad": f.make_sister_partner(session, "UAD", "kampus", PRENGGAN, 2, ["livelihood"]),
        "pt": f.make_sister_partner(session, "PT Jogja", "korporat", KRICAK, 2, ["sanitation"]),
    }
    users = {
        "staff": f.make_staff(session),
        "coordinator": f.make_coordinator(session, kampung=kampung["kricak"], phone=""),
        "partner": f.make_partner(session, organisation=partners["pt"]),
    }
    session.commit()
    return kampung, partners, users


def pair_of(session, kampung):
    session.expire_all()
    return session.scalar(select(SisterPair).where(SisterPair.kampung_id == kampung.id))


def test_staff_run_the_pairing_and_see_unpaired_kampung_first_with_reasons(client, session):
    kampung, partners, users = city(session)
    login(client, users["staff"])
    page = client.get("/sister?year=2027").get_data(as_text=True)
    assert "Belum ada pemasangan untuk tahun 2027" in page and "Jalankan pemasangan" in page
    response = client.post("/sister/run", data={"year": "2027"}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Draf 2027 dihitung: 2 dari 3 kampung mendapat kampus dan perusahaan." in page
    # unpaired first, then by kemantren: Gondokusuman (Terban) before Tegalrejo (Kricak)
    assert page.index("Prenggan Wetan") < page.index("Terban Lor") < page.index("Kricak Kidul")
    assert "Belum ada perusahaan: kapasitas semua perusahaan sudah penuh." in page
    assert "tema sama: Pendidikan" in page and "tema sama: Kesehatan" in page
    assert "tema sama: Sanitasi &amp; air bersih" in page  # Kricak shares sanitation with its company only
    assert "± 1 menit / 0,0 km" in page and "Terbitkan" in page and "Jarak per kemantren" in page


def test_staff_swap_a_campus_which_stays_locked_when_the_pairing_runs_again(client, session):
    kampung, partners, users = city(session)
    login(client, users["staff"])
    client.post("/sister/run", data={"year": "2027"})
    pair = pair_of(session, kampung["kricak"])
    assert pair.campus_id == partners["ugm"].id
    response = client.post(f"/sister/pairs/{pair.id}/partner",
                           data={"side": "campus", "organisation_id": str(partners["uad"].id)},
                           follow_redirects=True)
    assert "Kricak Kidul kini bersama UAD (dikunci)." in response.get_data(as_text=True)
    pair = pair_of(session, kampung["kricak"])
    assert pair.campus_id == partners["uad"].id and pair.campus_locked and pair.campus_km > 5
    client.post("/sister/run", data={"year": "2027"})
    pair = pair_of(session, kampung["kricak"])
    assert pair.campus_id == partners["uad"].id and pair.campus_locked
    client.post(f"/sister/pairs/{pair.id}/lock", data={"side": "campus"})
    assert not pair_of(session, kampung["kricak"]).campus_locked


def test_a_swap_to_a_full_partner_or_the_wrong_kind_is_refused_with_a_message(client, session):
    kampung, partners, users = city(session)
    login(client, users["staff"])
    client.post("/sister/run", data={"year": "2027"})
    pair = pair_of(session, kampung["prenggan"])
    full = client.post(f"/sister/pairs/{pair.id}/partner",
                       data={"side": "company", "organisation_id": str(partners["pt"].id)}, follow_redirects=True)
    assert "PT Jogja sudah penuh (2 dari 2 kampung)." in full.get_data(as_text=True)
    wrong = client.post(f"/sister/pairs/{pair.id}/partner",
                        data={"side": "company", "organisation_id": str(partners["ugm"].id)}, follow_redirects=True)
    assert "UGM bukan mitra jenis ini." in wrong.get_data(as_text=True)
    nothing = client.post(f"/sister/pairs/{pair.id}/partner", data={"side": "company", "organisation_id": "x"},
                          follow_redirects=True)
    assert "Pilih mitra dari daftar." in nothing.get_data(as_text=True)
    assert pair_of(session, kampung["prenggan"]).company_id is None


def test_publishing_freezes_the_year_and_tells_coordinators_and_partner_members(client, session):
    kampung, partners, users = city(session)
    login(client, users["staff"])
    client.post("/sister/run", data={"year": "2027"})
    response = client.post("/sister/publish", data={"year": "2027"}, follow_redirects=True)
    assert "Pemasangan 2027 diterbitkan" in response.get_data(as_text=True)
    session.expire_all()
    assert session.scalar(select(SisterRound)).status == RoundStatus.PUBLISHED
    told = {n.user_id: n.message for n in session.scalars(select(Notification).where(
        Notification.kind == "sister_published"))}
    assert told[users["coordinator"].id] == "Pasangan sister 2027: Kricak Kidul bersama UGM dan PT Jogja."
    assert users["partner"].id in told
    again = client.post("/sister/run", data={"year": "2027"}, follow_redirects=True).get_data(as_text=True)
    assert "sudah diterbitkan dan tidak dapat dihitung ulang" in again
    pair = pair_of(session, kampung["kricak"])
    locked = client.post(f"/sister/pairs/{pair.id}/lock", data={"side": "campus"}, follow_redirects=True)
    assert "sudah diterbitkan dan tidak dapat diubah" in locked.get_data(as_text=True)
    assert not pair_of(session, kampung["kricak"]).campus_locked


def test_the_public_sees_published_pairs_without_personal_data(client, session):
    kampung, partners, users = city(session)
    login(client, users["staff"])
    client.post("/sister/run", data={"year": "2027"})
    client.get("/logout")
    client.post("/logout")
    draft = client.get("/public/sister?year=2027").get_data(as_text=True)
    assert "Kricak Kidul" not in draft and "Belum ada pasangan kampung sister yang diterbitkan." in draft
    login(client, users["staff"])
    client.post("/sister/publish", data={"year": "2027"})
    assert 'href="/public/sister"' in client.get("/public").get_data(as_text=True)
    client.post("/logout")  # what the public sees (signed in, the staff's own name, "Pengguna 5187", held an 87)
    page = client.get("/public/sister").get_data(as_text=True)
    assert "Kampung sister 2027" in page
    assert "Kricak Kidul" in page and "UGM" in page and "PT Jogja" in page
    for private in ("321", "87", "Narahubung", users["coordinator"].name, users["coordinator"].email):
        assert private not in page


def test_the_buttons_post_with_a_csrf_token(csrf_app, session):
    kampung, partners, users = city(session)
    client = csrf_app.test_client()
    client.post("/login", data={"email": users["staff"].email, "password": f.PASSWORD})
    assert client.post("/sister/run", data={"year": "2027"}).status_code == 400
    assert session.scalar(select(SisterRound)) is None


def test_a_partner_edits_its_own_sister_profile(client, session):
    from gandeng.sister.models import PartnerSisterProfile

    kampung, partners, users = city(session)
    login(client, users["partner"])
    page = client.get(f"/sister/profile/organisation/{partners['pt'].id}").get_data(as_text=True)
    assert "Profil sister" in page and 'value="2"' in page
    bad = client.post(f"/sister/profile/organisation/{partners['pt'].id}",
                      data={"capacity": "-3", "home_kelurahan": KRICAK, "contact_name": "Bu Ani"})
    assert bad.status_code == 422 and "Angka harus antara 0 dan 500." in bad.get_data(as_text=True)
    assert 'value="Bu Ani"' in bad.get_data(as_text=True)
    good = client.post(f"/sister/profile/organisation/{partners['pt'].id}",
                       data={"capacity": "4", "home_kelurahan": TERBAN, "themes": ["health", "education"],
                             "contact_name": "Bu Ani", "contact_phone": "0812"}, follow_redirects=True)
    assert "Profil sister PT Jogja tersimpan." in good.get_data(as_text=True)
    session.expire_all()
    profile = session.get(PartnerSisterProfile, partners["pt"].id)
    assert profile.capacity == 4 and profile.home_kelurahan_code == TERBAN
    assert profile.theme_codes == ["education", "health"] and profile.contact_name == "Bu Ani"
    assert client.get(f"/sister/profile/organisation/{partners['ugm'].id}").status_code == 403


def test_a_coordinator_edits_the_kampung_profile_and_kms_above_households_is_refused(client, session):
    from gandeng.sister.models import KampungSisterProfile

    kampung, partners, users = city(session)
    login(client, users["coordinator"])
    url = f"/sister/profile/kampung/{kampung['kricak'].id}"
    assert 'value="321"' in client.get(url).get_data(as_text=True)
    bad = client.post(url, data={"households": "10", "kms_households": "11"})
    assert bad.status_code == 422 and "Tidak boleh lebih dari jumlah KK." in bad.get_data(as_text=True)
    client.post(url, data={"households": "300", "kms_households": "80", "themes": ["environment"]})
    session.expire_all()
    profile = session.get(KampungSisterProfile, kampung["kricak"].id)
    assert (profile.households, profile.kms_households, profile.theme_codes) == (300, 80, ["environment"])
    assert client.get(f"/sister/profile/kampung/{kampung['terban'].id}").status_code == 403


def test_staff_decisions_leave_an_audit_trail(client, session):
    from gandeng.audit.models import AuditEvent

    kampung, partners, users = city(session)
    login(client, users["staff"])
    client.post("/sister/run", data={"year": "2027"})
    pair = pair_of(session, kampung["kricak"])
    client.post(f"/sister/pairs/{pair.id}/lock", data={"side": "campus"})
    client.post(f"/sister/pairs/{pair.id}/partner",
                data={"side": "campus", "organisation_id": str(partners["uad"].id)})
    client.post("/sister/publish", data={"year": "2027"})
    session.expire_all()
    events = session.scalars(select(AuditEvent).where(AuditEvent.action.like("sister.%"))
                             .order_by(AuditEvent.id)).all()
    assert [e.action for e in events] == ["sister.run", "sister.lock", "sister.set_partner", "sister.publish"]
    assert {e.actor_id for e in events} == {users["staff"].id}


def test_staff_take_a_partner_out_of_a_published_year_and_only_its_kampung_are_re_paired(client, session):
    kampung, partners, users = city(session)
    login(client, users["staff"])
    client.post("/sister/run", data={"year": "2027"})
    client.post("/sister/publish", data={"year": "2027"})
    before = {k: pair_of(session, kampung[k]).campus_id for k in kampung}
    page = client.get("/sister?year=2027").get_data(as_text=True)
    assert "Keluarkan dan pasangkan ulang" in page
    ugm_kampung = [k for k, campus in before.items() if campus == partners["ugm"].id]
    response = client.post("/sister/remove-partner", data={"year": "2027", "organisation_id": str(partners["ugm"].id)},
                           follow_redirects=True).get_data(as_text=True)
    assert "UGM keluar dari pemasangan 2027: " in response
    after = {k: pair_of(session, kampung[k]).campus_id for k in kampung}
    for k in kampung:
        if k in ugm_kampung:
            assert after[k] != partners["ugm"].id
        else:
            assert after[k] == before[k]
    bad = client.post("/sister/remove-partner", data={"year": "2027", "organisation_id": "abc"},
                      follow_redirects=True).get_data(as_text=True)
    assert "Pilih mitra dari daftar." in bad
    draft = client.post("/sister/remove-partner", data={"year": "2030", "organisation_id": str(partners["uad"].id)},
                        follow_redirects=True).get_data(as_text=True)
    assert "belum diterbitkan" in draft

"""Staff pages for organisations: list with filters and counts, edit, members, offers, verification."""
import pytest

from gandeng.audit.services import history
from gandeng.offers.models import OfferStatus
from tests import factories as f
from tests.conftest import login


@pytest.fixture
def staff_client(client, session):
    staff = f.make_staff(session)
    session.commit()
    login(client, staff)
    return client


def test_list_filters_by_verified_state_and_type(session, staff_client):
    f.make_organisation(session, "Komunitas Belum", "komunitas", verified=False)
    f.make_organisation(session, "Kampus Belum", "kampus", verified=False)
    f.make_organisation(session, "Korporat Sudah", "korporat")
    session.commit()
    text = staff_client.get("/admin/organisations?verified=tidak").text
    assert "Komunitas Belum" in text and "Kampus Belum" in text and "Korporat Sudah" not in text
    text = staff_client.get("/admin/organisations?verified=tidak&type=kampus").text
    assert "Kampus Belum" in text and "Komunitas Belum" not in text
    text = staff_client.get("/admin/organisations?verified=ya").text
    assert "Korporat Sudah" in text and "Kampus Belum" not in text


def test_list_shows_unverified_first_with_member_and_offer_counts(session, staff_client):
    org = f.make_organisation(session, "A Sudah Terverifikasi", "korporat")
    f.make_organisation(session, "Z Belum Terverifikasi", "komunitas", verified=False)
    f.make_partner(session, organisation=org)
    f.make_partner(session, organisation=org)
    f.make_offer(session, organisation=org)
    session.commit()
    text = staff_client.get("/admin/organisations").text
    assert text.index("Z Belum Terverifikasi") < text.index("A Sudah Terverifikasi")
    assert "2 anggota" in text and "1 penawaran" in text


def test_detail_lists_members_and_offers_by_status(session, staff_client):
    org = f.make_organisation(session, "PT Sumber Rejeki")
    f.make_partner(session, organisation=org, name="Bu Ratna")
    f.make_offer(session, organisation=org)
    f.make_offer(session, organisation=org, status=OfferStatus.DRAFT)
    session.commit()
    text = staff_client.get(f"/admin/organisations/{org.id}").text
    assert "Bu Ratna" in text
    assert "Jumlah: 2 penawaran" in text
    assert 'value="PT Sumber Rejeki"' in text


def test_staff_edit_name_type_and_contacts(session, staff_client):
    org = f.make_organisation(session, "PT Salah Ketik", "korporat")
    session.commit()
    response = staff_client.post(f"/admin/organisations/{org.id}", data={
        "name": "PT Benar", "type": "komunitas", "phone": "0274 512 345", "email": "halo@benar.id",
        "address": "Jl. Malioboro 1",
    }, follow_redirects=True)
    assert "Data organisasi disimpan." in response.text
    session.refresh(org)
    assert (org.name, org.type, org.phone, org.email, org.address) == (
        "PT Benar", "komunitas", "0274 512 345", "halo@benar.id", "Jl. Malioboro 1")
    assert [e.action for e in history(session, org)] == ["organisation.update"]


def test_edit_with_a_taken_name_keeps_the_typed_values_and_saves_nothing(session, staff_client):
    f.make_organisation(session, "Universitas Gadjah Mada", "kampus")
    org = f.make_organisation(session, "UGM", "kampus")
    session.commit()
    response = staff_client.post(f"/admin/organisations/{org.id}", data={
        "name": "universitas gadjah mada", "type": "kampus", "phone": "0274 000", "email": "",
    })
    assert response.status_code == 200
    assert "Nama organisasi ini sudah dipakai." in response.text
    assert 'value="0274 000"' in response.text
    session.refresh(org)
    assert org.name == "UGM" and org.phone == ""


def test_edit_with_a_bad_email_is_refused_in_indonesian(session, staff_client):
    org = f.make_organisation(session, "PT Email")
    session.commit()
    response = staff_client.post(f"/admin/organisations/{org.id}", data={
        "name": "PT Email", "type": "korporat", "email": "bukan email"})
    assert "Alamat email tidak sah." in response.text
    session.refresh(org)
    assert org.email == ""


def test_saving_without_changes_records_nothing(session, staff_client):
    org = f.make_organisation(session, "PT Tetap", "kampus")
    session.commit()
    response = staff_client.post(f"/admin/organisations/{org.id}", data={"name": "PT Tetap", "type": "kampus"},
                                 follow_redirects=True)
    assert "Tidak ada perubahan." in response.text
    assert history(session, org) == []


def test_staff_verify_an_organisation_once(session, staff_client):
    org = f.make_organisation(session, "Komunitas Kali Code", "komunitas", verified=False)
    session.commit()
    assert 'action="/admin/organisations/%d/verify"' % org.id in staff_client.get(f"/admin/organisations/{org.id}").text
    response = staff_client.post(f"/admin/organisations/{org.id}/verify", follow_redirects=True)
    assert "Organisasi Komunitas Kali Code terverifikasi." in response.text
    assert "Verifikasi organisasi" in response.text  # the history on the page (labels.ACTION)
    response = staff_client.post(f"/admin/organisations/{org.id}/verify", follow_redirects=True)
    assert "Organisasi ini sudah terverifikasi." in response.text
    assert [e.action for e in history(session, org)] == ["organisation.verify"]


def test_verify_ignores_a_next_address_outside_the_site(session, staff_client):
    org = f.make_organisation(session, verified=False)
    session.commit()
    response = staff_client.post(f"/admin/organisations/{org.id}/verify", data={"next": "//jahat.example/"})
    assert response.headers["Location"] == f"/admin/organisations/{org.id}"


def test_partner_cannot_open_or_verify_organisations(client, session):
    org = f.make_organisation(session, verified=False)
    partner = f.make_partner(session, organisation=org)
    session.commit()
    login(client, partner)
    assert client.get(f"/admin/organisations/{org.id}").status_code == 403
    assert client.post(f"/admin/organisations/{org.id}/verify").status_code == 403
    session.refresh(org)
    assert org.verified_at is None

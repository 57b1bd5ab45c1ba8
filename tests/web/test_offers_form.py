"""Creating and editing offers through the form."""
from datetime import date, timedelta

from sqlalchemy import select

from gandeng.audit.models import AuditEvent
from gandeng.offers.models import Offer, OfferStatus
from tests import factories as f
from tests.conftest import login


def form(**overrides):
    data = {
        "kind": "dana",
        "title": "Bedah rumah RTLH 2026",
        "description": "Dana renovasi rumah tidak layak huni untuk keluarga pemegang KMS.",
        "capacity_rp": "Rp 150.000.000",
        "valid_until": "31/12/2099",
        "categories": ["housing", "sanitation"],
        "areas": ["34.71.02", "34.71.01.1001"],  # Kemantren Jetis, Kelurahan Kricak
        "save_draft": "Simpan sebagai draf",
    }
    data.update(overrides)
    return data


def offers(session):
    session.expire_all()
    return list(session.scalars(select(Offer)))


def test_new_offer_form_offers_categories_as_checkboxes_and_areas_grouped_by_kemantren(client, session):
    partner = f.make_partner(session)
    session.commit()
    login(client, partner)
    page = client.get("/offers/new").text
    assert 'type="checkbox" value="housing"' in page
    # Areas: checkboxes in one <details> per kemantren, no multiple select asking for Ctrl/Cmd (review walk).
    jetis = page[page.index("<summary>Kemantren Jetis"):]
    jetis = jetis[:jetis.index("</details>")]
    assert 'type="checkbox" value="34.71.02"' in jetis and 'name="areas"' in jetis
    assert 'type="checkbox" value="34.71.02.1003"' in jetis  # Gowongan inside it
    assert "Ctrl" not in page and "<select multiple" not in page and "Sekarang: seluruh kota." in page
    assert "Simpan sebagai draf" in page and "Simpan dan aktifkan" in page


def test_partner_saves_a_draft_with_rupiah_categories_and_areas(client, session):
    partner = f.make_partner(session)
    session.commit()
    login(client, partner)
    response = client.post("/offers/new", data=form())
    assert response.status_code == 302
    [offer] = offers(session)
    assert offer.status == OfferStatus.DRAFT
    assert offer.organisation_id == partner.organisation_id
    assert offer.capacity_rp == 150_000_000
    assert offer.valid_until == date(2099, 12, 31)
    assert [c.code for c in offer.categories] == ["housing", "sanitation"]
    assert sorted(a.code for a in offer.areas) == ["34.71.01.1001", "34.71.02"]
    assert session.scalar(select(AuditEvent).where(AuditEvent.action == "offer.create")) is not None
    page = client.get(response.location).text
    assert "Rp150.000.000" in page and "Kemantren Jetis" in page and "Draf" in page


def test_no_category_ticked_means_every_category(client, session):
    partner = f.make_partner(session)
    session.commit()
    login(client, partner)
    client.post("/offers/new", data=form(categories=[], areas=[]))
    [offer] = offers(session)
    assert offer.categories == [] and offer.areas == []
    page = client.get(f"/offers/{offer.id}").text
    assert "Semua kategori" in page and "Seluruh kota" in page


def test_partner_of_verified_organisation_saves_and_activates_at_once(client, session):
    partner = f.make_partner(session)
    session.commit()
    login(client, partner)
    client.post("/offers/new", data=form(save_draft=None, save_activate="Simpan dan aktifkan"))
    [offer] = offers(session)
    assert offer.status == OfferStatus.ACTIVE


def test_offer_of_unverified_organisation_stays_draft_with_the_reason(client, session):
    organisation = f.make_organisation(session, verified=False)
    partner = f.make_partner(session, organisation=organisation)
    session.commit()
    login(client, partner)
    assert "belum diverifikasi" in client.get("/offers/new").text
    response = client.post("/offers/new", data=form(save_draft=None, save_activate="Simpan dan aktifkan"),
                           follow_redirects=True)
    [offer] = offers(session)
    assert offer.status == OfferStatus.DRAFT
    assert "Organisasi Anda belum diverifikasi petugas kota, jadi penawaran belum dapat diaktifkan." in response.text
    assert "Penawaran tetap sebagai draf" in response.text


def test_bad_amount_is_explained_in_indonesian_and_typed_values_stay(client, session):
    partner = f.make_partner(session)
    session.commit()
    login(client, partner)
    response = client.post("/offers/new", data=form(capacity_rp="seratus juta"))
    assert response.status_code == 200
    assert "Tulis jumlah Rupiah, misalnya 1.500.000 atau 1,5 juta." in response.text
    assert 'value="seratus juta"' in response.text
    assert 'value="Bedah rumah RTLH 2026"' in response.text
    assert offers(session) == []


def test_activating_with_a_past_date_shows_the_error_next_to_the_date_and_saves_nothing(client, session):
    partner = f.make_partner(session)
    session.commit()
    login(client, partner)
    past = (date.today() - timedelta(days=2)).isoformat()
    response = client.post("/offers/new", data=form(valid_until=past, save_draft=None, save_activate="1"))
    assert response.status_code == 200
    assert "Masa berlaku penawaran sudah lewat" in response.text
    assert offers(session) == []


def test_unknown_area_is_refused(client, session):
    partner = f.make_partner(session)
    session.commit()
    login(client, partner)
    response = client.post("/offers/new", data=form(areas=["99.99"]))
    assert response.status_code == 200
    assert "Pilihan tidak sah" in response.text
    assert offers(session) == []


def test_coordinator_cannot_open_the_new_offer_form(client, session):
    coordinator = f.make_coordinator(session)
    session.commit()
    login(client, coordinator)
    assert client.get("/offers/new").status_code == 403


def test_edit_form_shows_current_values_and_saves_changes(client, session):
    partner = f.make_partner(session)
    offer = f.make_offer(session, organisation=partner.organisation, capacity_rp=40_000_000,
                         categories=["education"], areas=["Kricak"])
    session.commit()
    login(client, partner)
    page = client.get(f"/offers/{offer.id}/edit").text
    assert 'value="40.000.000"' in page
    assert 'checked' in page and 'value="education"' in page
    kricak = page[page.index('value="34.71.01.1001"') - 120:page.index('value="34.71.01.1001"') + 30]
    assert "checked" in kricak and "1 wilayah dipilih." in page
    assert '<details class="offer-area-group" open>' in page  # the kemantren holding the choice is open
    response = client.post(f"/offers/{offer.id}/edit", data=form(capacity_rp="45.000.000", categories=["education"]))
    assert response.status_code == 302
    session.expire_all()
    assert offer.capacity_rp == 45_000_000
    assert offer.status == OfferStatus.ACTIVE
    assert session.scalar(select(AuditEvent).where(AuditEvent.action == "offer.update")) is not None


def test_capacity_cannot_fall_below_what_is_committed(client, session):
    partner = f.make_partner(session)
    offer = f.make_offer(session, organisation=partner.organisation, capacity_rp=40_000_000)
    f.make_collaboration(session, f.make_need(session, cost_rp=30_000_000), offer, 30_000_000)
    session.commit()
    login(client, partner)
    response = client.post(f"/offers/{offer.id}/edit", data=form(capacity_rp="20.000.000"))
    assert response.status_code == 200
    assert "Nilai tidak boleh di bawah jumlah yang sudah disanggupi." in response.text
    session.expire_all()
    assert offer.capacity_rp == 40_000_000


def test_draft_can_be_edited_and_activated_in_one_step(client, session):
    partner = f.make_partner(session)
    offer = f.make_offer(session, organisation=partner.organisation, status=OfferStatus.DRAFT)
    session.commit()
    login(client, partner)
    client.post(f"/offers/{offer.id}/edit", data=form(save_draft=None, save_activate="1"))
    session.expire_all()
    assert offer.status == OfferStatus.ACTIVE
    assert offer.title == "Bedah rumah RTLH 2026"


def test_staff_may_edit_the_offer_of_any_organisation(client, session):
    staff = f.make_staff(session)
    offer = f.make_offer(session)
    session.commit()
    login(client, staff)
    assert client.post(f"/offers/{offer.id}/edit", data=form(title="Diperbaiki petugas")).status_code == 302
    session.expire_all()
    assert offer.title == "Diperbaiki petugas"


def test_form_without_csrf_token_is_refused(csrf_app, session):
    partner = f.make_partner(session)
    session.commit()
    client = csrf_app.test_client()
    page = client.get("/login").text
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    client.post("/login", data={"email": partner.email, "password": f.PASSWORD, "csrf_token": token})
    response = client.post("/offers/new", data=form())
    assert response.status_code == 400
    assert offers(session) == []


def test_saving_an_unchanged_offer_writes_no_audit_row(client, session):
    partner = f.make_partner(session)
    offer = f.make_offer(session, organisation=partner.organisation, kind="dana", title="Tetap sama",
                         description="Uraian tetap.", capacity_rp=10_000_000, valid_until=date(2099, 1, 1),
                         categories=["housing"], areas=[])
    session.commit()
    login(client, partner)
    unchanged = form(title="Tetap sama", description="Uraian tetap.", capacity_rp="10.000.000",
                     valid_until="2099-01-01", categories=["housing"], areas=[])
    assert client.post(f"/offers/{offer.id}/edit", data=unchanged).status_code == 302
    assert session.scalar(select(AuditEvent).where(AuditEvent.action == "offer.update")) is None
    client.post(f"/offers/{offer.id}/edit", data={**unchanged, "description": "Uraian baru."})
    assert session.scalar(select(AuditEvent).where(AuditEvent.action == "offer.update")) is not None

"""The public catalogue: a useful list on a phone (kelurahan, photo, menu with prices, portions a day) and a
group page that says how offices order, with the days off ahead; never members, phones or bank data."""
from datetime import timedelta

from gandeng.formatting import today_wib
from gandeng.nglarisi import files, services
from tests import factories as f


def test_the_catalogue_list_shows_kelurahan_photo_menu_and_portions_without_private_data(session, client):
    staff = f.make_staff(session)
    group = f.make_group(session, name="Dapur Kricak Makmur", capacity=80, bank_name="BPD DIY",
                         bank_account_number="001221000111", bank_account_holder="Sri Rahayu")
    services.replace_menu(session, staff, group, [("Nasi kotak ayam bakar", 25_000), ("Snack box", 12_000),
                                                  ("Tumpeng mini", 40_000)])
    services.add_member(session, staff, group, name="Sutinah", nik="3471014107950001", kms_pkh=True)
    photo = files.add_file(session, staff, group, "photo", f.upload(f.png_bytes(), "nasi.png"))
    f.make_group(session, name="Dapur Belum", status="pending")
    session.commit()
    page = client.get("/nglarisi/katalog").text
    assert "Dapur Kricak Makmur" in page and "Kelurahan Kricak" in page and "sampai 80 porsi per hari" in page
    assert "Snack box" in page and "Rp12.000" in page and "Rp25.000" in page and "dan 1 menu lain" in page
    assert f"/nglarisi/files/{photo.id}" in page
    assert "Kantor pemerintah memesan lewat akun kantor di platform ini." in page and 'href="/login"' in page
    assert "Dapur Belum" not in page
    for secret in ("Sutinah", "3471014107950001", "KMS", "0812", "+62", "001221000111", "BPD DIY"):
        assert secret not in page


def test_a_groups_catalogue_page_leads_back_says_how_to_order_and_lists_days_off_ahead(session, client):
    today = today_wib()
    group = f.make_group(session, name="Pawon Gedongkiwo",
                         days_off=[(today - timedelta(days=3)).isoformat(), (today + timedelta(days=5)).isoformat()])
    session.commit()
    page = client.get(f"/nglarisi/katalog/{group.id}").text
    assert 'href="/nglarisi/katalog"' in page and "Katalog kelompok" in page
    assert "Kantor pemerintah memesan lewat akun kantor di platform ini." in page and "Masuk untuk memesan" in page
    from gandeng.formatting import long_date

    assert long_date(today + timedelta(days=5)) in page and long_date(today - timedelta(days=3)) not in page
    assert "0812" not in page and "+62" not in page


def test_an_office_reading_the_catalogue_gets_the_order_form_link(session, client):
    from tests.conftest import login

    office = f.make_office_user(session, email="kantor@contoh.id")
    f.make_group(session, name="Jajan Pasar Terban")
    session.commit()
    login(client, office)
    page = client.get("/nglarisi/katalog").text
    assert 'href="/nglarisi/orders/new"' in page and "Masuk untuk memesan" not in page

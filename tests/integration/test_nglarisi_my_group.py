"""The group's own profile: days off written the Indonesian way, shown back in words, and every error
of the form reported at once (nothing saved until all are right)."""
import pytest

from tests import factories as f
from tests.conftest import login

PROFILE = {"menu": "Nasi kotak ayam; 25000", "capacity_per_day": "80", "lead_time_hours": "24",
           "contact_phone": "0812 2700 1234", "description": "Masakan rumahan"}


@pytest.fixture
def cook(session, client):
    group = f.make_group(session, name="Dapur Kricak Makmur")
    user = f.make_group_user(session, group=group, email="kricak@contoh.id")
    session.commit()
    login(client, user)
    return group


def test_days_off_are_taken_as_every_date_field_takes_them_and_shown_back_in_words(session, client, cook):
    saved = client.post("/nglarisi/my-group", data={**PROFILE, "days_off": "25/12/2026, 2026-12-31; 1-1-2027"})
    assert saved.status_code == 302
    session.refresh(cook)
    assert cook.days_off == ["2026-12-25", "2026-12-31", "2027-01-01"]
    page = client.get("/nglarisi/my-group").text
    assert 'value="25 Desember 2026, 31 Desember 2026, 1 Januari 2027"' in page
    assert "25/12/2026, 31/12/2026" in page and "2026-12-25, 2026-12-31" not in page  # the label's example
    # What the page shows is taken back unchanged.
    again = client.post("/nglarisi/my-group", data={**PROFILE, "days_off": "25 Desember 2026, 31 Desember 2026"})
    assert again.status_code == 302
    session.refresh(cook)
    assert cook.days_off == ["2026-12-25", "2026-12-31"]


def test_every_error_of_the_profile_is_reported_at_once_and_nothing_is_saved(session, client, cook):
    page = client.post("/nglarisi/my-group", data={**PROFILE, "menu": "Nasi kotak; gratis",
                                                   "days_off": "25/12/2026, 32/13/2026, besok",
                                                   "contact_phone": "12"})
    assert page.status_code == 422
    assert "Baris menu 1" in page.text
    assert "Tanggal libur tidak sah: 32/13/2026, besok. Tulis misalnya 25/12/2026." in page.text
    assert "Nomor HP tidak sah" in page.text
    session.refresh(cook)
    assert cook.days_off == [] and cook.menu[0].name == "Nasi kotak ayam"

"""The need form keeps what was typed and explains mistakes in Indonesian; nothing is saved then."""
from pathlib import Path

import pytest

from gandeng.db import db
from gandeng.needs.models import Need, NeedAttachment
from tests import factories as f
from tests.conftest import login

FORM = {
    "category": "sanitation", "title": "Septic tank komunal", "description": "Untuk 8 KK di RT 02.",
    "cost_rp": "12.000.000", "urgency": "sedang", "households": "8", "kms_households": "3",
}


@pytest.fixture
def coordinator(client, session):
    user = f.make_coordinator(session, kampung=f.make_kampung(session, "Kampung Anggrek"))
    session.commit()
    login(client, user)
    return user


def _count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_bad_cost_reshows_typed_values_with_indonesian_error_and_creates_nothing(client, coordinator):
    response = client.post("/needs/new", data={**FORM, "cost_rp": "abc"})
    assert response.status_code == 200
    assert "Tulis jumlah Rupiah, misalnya 1.500.000 atau 1,5 juta." in response.text
    assert 'value="abc"' in response.text
    assert 'value="Septic tank komunal"' in response.text
    assert "Untuk 8 KK di RT 02." in response.text
    assert _count(Need) == 0


@pytest.mark.parametrize("typed", ["1.500.000", "Rp1.500.000", "1500000", "Rp 1.500.000"])
def test_cost_is_read_as_people_write_rupiah(client, coordinator, typed):
    client.post("/needs/new", data={**FORM, "cost_rp": typed})
    assert db.session.scalars(db.select(Need.cost_rp)).one() == 1_500_000


def test_missing_title_and_category_are_reported_in_indonesian(client, coordinator):
    response = client.post("/needs/new", data={**FORM, "title": "", "category": ""})
    assert response.text.count("Wajib diisi.") >= 2
    assert _count(Need) == 0


def test_more_kms_than_households_is_refused_next_to_the_field(client, coordinator):
    response = client.post("/needs/new", data={**FORM, "households": "2", "kms_households": "5"})
    assert response.status_code == 200
    assert "tidak boleh melebihi jumlah KK penerima" in response.text
    assert 'value="5"' in response.text
    assert _count(Need) == 0


def test_unknown_category_is_refused(client, coordinator):
    response = client.post("/needs/new", data={**FORM, "category": "casino"})
    assert "Pilihan tidak sah." in response.text
    assert _count(Need) == 0


def test_bad_date_is_refused_with_example(client, coordinator):
    response = client.post("/needs/new", data={**FORM, "deadline": "besok"})
    assert "Tanggal tidak sah." in response.text
    assert 'value="besok"' in response.text
    assert _count(Need) == 0


def test_new_need_with_a_photo_stores_it(client, coordinator, app):
    response = client.post("/needs/new", data={**FORM, "files": [(f.upload(f.png_bytes(), "rumah.png").stream, "rumah.png")]},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    attachment = db.session.scalars(db.select(NeedAttachment)).one()
    assert attachment.content_type == "image/png" and attachment.original_name == "rumah.png"
    assert (Path(app.config["UPLOAD_DIR"]) / "needs" / attachment.stored_name).is_file()


def test_new_need_with_a_fake_photo_creates_nothing_and_keeps_no_file(client, coordinator, app):
    fake = f.upload(b"ini bukan foto, hanya teks", "foto.jpg")
    response = client.post("/needs/new", data={**FORM, "files": [(fake.stream, "foto.jpg")]},
                           content_type="multipart/form-data")
    assert response.status_code == 200
    assert "bukan foto JPEG/PNG atau dokumen PDF" in response.text
    assert 'value="Septic tank komunal"' in response.text
    assert _count(Need) == 0 and _count(NeedAttachment) == 0
    folder = Path(app.config["UPLOAD_DIR"]) / "needs"
    assert not folder.exists() or list(folder.iterdir()) == []


def test_good_and_bad_file_together_store_neither(client, coordinator, app):
    files = [(f.upload(f.png_bytes(), "a.png").stream, "a.png"), (f.upload(b"teks", "b.pdf").stream, "b.pdf")]
    client.post("/needs/new", data={**FORM, "files": files}, content_type="multipart/form-data")
    assert _count(Need) == 0
    folder = Path(app.config["UPLOAD_DIR"]) / "needs"
    assert not folder.exists() or list(folder.iterdir()) == []


def test_bad_household_count_is_explained_in_indonesian(client, coordinator):
    response = client.post("/needs/new", data={**FORM, "households": "lima"})
    assert "Harus berupa bilangan bulat." in response.text
    assert _count(Need) == 0


def test_submitting_reports_a_past_deadline_with_the_other_mistakes_in_one_round(client, coordinator):
    """Reviewer's walk: the first submit named title and consent, only a later one "Tenggat sudah lewat"."""
    response = client.post("/needs/new", data={**FORM, "title": "", "beneficiaries": "Bu Parmi",
                                                "deadline": "10/01/2025", "households": "",
                                                "save_submit": "Simpan & ajukan"})
    assert response.status_code == 200
    text = response.text
    assert "Wajib diisi." in text  # the title
    assert "Centang bila keluarga yang namanya ditulis sudah setuju" in text
    assert "Tenggat sudah lewat. Perbarui tenggat sebelum mengajukan." in text
    assert "Isi jumlah KK penerima (minimal 1) sebelum mengajukan." in text
    assert _count(Need) == 0


def test_a_draft_keeps_a_half_filled_form_and_warns_of_what_submitting_will_ask(client, coordinator):
    """No household count and a past deadline may wait in a draft; submitting it is refused later."""
    response = client.post("/needs/new", data={**FORM, "households": "", "kms_households": "",
                                                "deadline": "10/01/2025", "save_draft": "Simpan draf"},
                           follow_redirects=True)
    need = db.session.scalars(db.select(Need)).one()
    assert need.status == "draft" and need.households == 0
    assert "Tenggat 10 Januari 2025 sudah lewat: perbarui sebelum mengajukan." in response.text
    assert "belum diisi" in response.text  # the household count, not "0"
    response = client.post(f"/needs/{need.id}/submit", follow_redirects=True)
    assert "Tenggat sudah lewat" in response.text
    db.session.refresh(need)
    assert need.status == "draft"


def test_a_draft_still_needs_what_the_need_is(client, coordinator):
    response = client.post("/needs/new", data={**FORM, "title": "", "save_draft": "Simpan draf"})
    assert response.status_code == 200 and "Wajib diisi." in response.text
    assert _count(Need) == 0

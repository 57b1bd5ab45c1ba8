"""Forms that forgive (issue 12): every mistake at once in a focused summary at the top, nothing
typed lost, an accepted photo kept across an error, Rupiah in words, households checked."""
import io
import re
from pathlib import Path

import pytest
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from gandeng.db import db
from gandeng.images import MAX_STORED_BYTES
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


def _multipart(client, data, *files):
    """POST /needs/new as a browser sends a form with files; encoded in memory (the test client
    would spool a big body to a temporary file it never closes)."""
    fields = MultiDict(data)
    for content, name in files:
        fields.add("files", FileStorage(io.BytesIO(content), filename=name, content_type="application/octet-stream"))
    boundary, body = encode_multipart(fields)
    return client.post("/needs/new", data=body, content_type=f"multipart/form-data; boundary={boundary}")


def _pending_tokens(html: str) -> list[str]:
    return re.findall(r'name="pending" value="([^"]+)"', html)


def _count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def _summary(html: str) -> str:
    match = re.search(r'<div class="alert alert-danger error-summary"(.*?)</div>', html, re.S)
    assert match, "no error summary on the page"
    return match.group(0)


def test_every_mistake_is_listed_at_once_in_a_focused_summary_with_links(client, coordinator):
    response = _multipart(client, {**FORM, "title": "", "cost_rp": "abc", "households": "0",
                                   "save_submit": "Simpan & ajukan"},
                          (b"ini bukan foto", "foto.jpg"))
    assert response.status_code == 200
    summary = _summary(response.text)
    assert 'role="alert"' in summary and 'tabindex="-1"' in summary
    for anchor in ("#title", "#cost_rp", "#households", "#files"):
        assert f'href="{anchor}"' in summary
    assert "Tulis jumlah Rupiah" in summary and "bukan foto JPEG/PNG" in summary
    assert "Ada 4 hal yang perlu diperbaiki" in summary
    assert response.text.index("error-summary") < response.text.index("data-autosave")
    assert _count(Need) == 0


def test_service_rules_show_in_the_same_round_as_form_errors(client, coordinator):
    response = client.post("/needs/new", data={**FORM, "title": "", "households": "2", "kms_households": "5",
                                               "description": "NIK 3471010101010001 butuh jamban"})
    summary = _summary(response.text)
    assert "Wajib diisi." in summary
    assert "tidak boleh melebihi jumlah KK penerima" in summary
    assert "jangan tulis NIK" in summary
    assert _count(Need) == 0


def test_zero_households_is_refused_next_to_the_field_when_submitting(client, coordinator):
    response = client.post("/needs/new", data={**FORM, "households": "0", "kms_households": "0",
                                               "save_submit": "Simpan & ajukan"})
    assert 'href="#households"' in _summary(response.text)
    assert _count(Need) == 0


def test_an_accepted_photo_is_kept_across_an_error_and_stored_when_the_form_is_fixed(client, coordinator, app):
    response = _multipart(client, {**FORM, "cost_rp": "abc"}, (f.png_bytes(), "rumah.png"))
    tokens = _pending_tokens(response.text)
    assert len(tokens) == 1 and "rumah.png" in response.text
    assert "sudah diterima" in response.text
    thumbnail = client.get(f"/needs/pending/{tokens[0]}")
    assert thumbnail.status_code == 200 and thumbnail.mimetype == "image/png"
    assert "no-store" in thumbnail.headers["Cache-Control"]

    response = client.post("/needs/new", data={**FORM, "pending": tokens}, content_type="multipart/form-data")
    assert response.status_code == 302
    attachment = db.session.scalars(db.select(NeedAttachment)).one()
    assert attachment.original_name == "rumah.png" and attachment.content_type == "image/png"
    assert (Path(app.config["UPLOAD_DIR"]) / "needs" / attachment.stored_name).is_file()
    assert list((Path(app.config["UPLOAD_DIR"]) / "pending").iterdir()) == []


def test_a_kept_file_unticked_is_left_out(client, coordinator):
    response = _multipart(client, {**FORM, "cost_rp": "abc"}, (f.png_bytes(), "rumah.png"))
    assert _pending_tokens(response.text)
    client.post("/needs/new", data=FORM, content_type="multipart/form-data")
    assert _count(Need) == 1 and _count(NeedAttachment) == 0


def test_good_and_bad_files_together_keep_the_good_one_and_name_the_bad_one(client, coordinator):
    response = _multipart(client, FORM, (f.png_bytes(), "a.png"), (b"teks", "b.pdf"))
    assert "b.pdf bukan foto JPEG/PNG atau dokumen PDF" in response.text
    assert len(_pending_tokens(response.text)) == 1
    assert _count(Need) == 0


def test_a_pending_token_works_only_for_its_own_user(client, coordinator, session):
    response = _multipart(client, {**FORM, "cost_rp": "abc"}, (f.png_bytes(), "rumah.png"))
    token = _pending_tokens(response.text)[0]
    other = f.make_coordinator(session, kampung=f.make_kampung(session, "Kampung Mawar"))
    session.commit()
    client.post("/logout")
    login(client, other)
    assert client.get(f"/needs/pending/{token}").status_code == 404
    client.post("/needs/new", data={**FORM, "pending": [token]}, content_type="multipart/form-data")
    assert _count(Need) == 1 and _count(NeedAttachment) == 0
    assert client.get("/needs/pending/not-a-token").status_code == 404


def test_an_8_mb_phone_photo_without_javascript_is_stored_at_most_2_mb(client, coordinator, app):
    response = _multipart(client, FORM, (f.phone_photo_bytes(), "IMG_48MP.jpg"))
    assert response.status_code == 302
    attachment = db.session.scalars(db.select(NeedAttachment)).one()
    stored = Path(app.config["UPLOAD_DIR"]) / "needs" / attachment.stored_name
    assert attachment.size == stored.stat().st_size <= MAX_STORED_BYTES


def test_cost_in_words_is_understood_and_said_back(client, coordinator):
    response = client.post("/needs/new", data={**FORM, "title": "", "cost_rp": "50 juta"})
    assert "Terbaca: Rp50.000.000" in response.text
    assert 'value="50 juta"' in response.text
    client.post("/needs/new", data={**FORM, "cost_rp": "1,5 jt"})
    assert db.session.scalars(db.select(Need.cost_rp)).one() == 1_500_000


def test_more_names_than_households_warns_but_saves(client, coordinator):
    names = "Bu Sarinah\nPak Wagiman\nBu Tini\nPak Darmo\nBu Wati"
    response = client.post("/needs/new", data={**FORM, "households": "2", "kms_households": "0",
                                               "beneficiaries": names, "beneficiaries_consent": "y"},
                           follow_redirects=True)
    assert _count(Need) == 1
    # Worded for the coordinator who wrote them (review walk: it read like a note between staff).
    assert "Anda menulis 5 nama penerima untuk 2 KK." in response.text
    again = client.post("/needs/new", data={**FORM, "title": "", "households": "2", "kms_households": "0",
                                            "beneficiaries": names, "beneficiaries_consent": "y"})
    assert "tidak menghalangi penyimpanan" in again.text
    assert 'id="beneficiaries-warning"' in again.text


def test_save_and_submit_sends_the_need_to_staff_in_one_tap(client, coordinator):
    response = client.post("/needs/new", data={**FORM, "save_submit": "Simpan & ajukan"}, follow_redirects=True)
    need = db.session.scalars(db.select(Need)).one()
    assert need.status == "submitted"
    assert "tersimpan dan diajukan" in response.text


def test_save_draft_keeps_the_need_as_a_draft(client, coordinator):
    client.post("/needs/new", data={**FORM, "save_draft": "Simpan draf"})
    assert db.session.scalars(db.select(Need.status)).one() == "draft"


def test_the_form_offers_save_and_submit_and_a_sticky_bar(client, coordinator):
    html = client.get("/needs/new").text
    assert html.index(">Simpan draf</button>") < html.index(">Simpan & ajukan</button>")
    assert "form-actions-sticky" in html
    assert 'data-autosave="need-new-u' in html


def test_editing_a_returned_need_can_save_and_submit(client, coordinator, session):
    need = f.make_need(session, kampung=coordinator.kampung, status="returned")
    session.commit()
    # The factory's need names households: the edit confirms their consent (issue 19).
    client.post(f"/needs/{need.id}/edit", data={**FORM, "beneficiaries_consent": "y", "save_submit": "Simpan & ajukan"})
    session.refresh(need)
    assert need.status == "submitted"


def test_register_keeps_every_value_and_both_passwords_when_only_the_email_was_wrong(client):
    data = {"role": "coordinator", "name": "Bu Sumirah", "email": "bukan-email", "phone": "0812 3456 7890",
            "password": "rahasia-kampung", "password_again": "rahasia-kampung",
            "kelurahan": "34.71.01.1001", "kampung": "Kampung Jatimulyo Lor", "consent": "y"}
    html = client.post("/register", data=data).text
    assert 'href="#email"' in _summary(html)
    for value in ("Bu Sumirah", "bukan-email", "0812 3456 7890", "Kampung Jatimulyo Lor"):
        assert f'value="{value}"' in html
    assert html.count('value="rahasia-kampung"') == 2


def test_register_clears_passwords_that_do_not_match(client):
    data = {"role": "partner", "name": "Pak Hendra", "email": "hendra@contoh.id",
            "password": "rahasia-mitra", "password_again": "rahasia-lain",
            "organisation": "PT Contoh", "org_type": "korporat"}
    html = client.post("/register", data=data).text
    assert "Kedua kata sandi tidak sama." in _summary(html)
    assert "rahasia-mitra" not in html and "rahasia-lain" not in html
    assert 'value="PT Contoh"' in html


def test_login_mistakes_open_with_the_summary(client):
    html = client.post("/login", data={"email": "", "password": ""}).text
    summary = _summary(html)
    assert 'href="#email"' in summary and 'href="#password"' in summary


def test_offer_form_reads_rupiah_in_words_and_lists_errors(client, session):
    partner = f.make_partner(session)
    session.commit()
    login(client, partner)
    html = client.post("/offers/new", data={"kind": "dana", "title": "", "description": "Dana CSR",
                                            "capacity_rp": "25 juta"}).text
    assert 'href="#title"' in _summary(html)
    assert "Terbaca: Rp25.000.000" in html
    assert 'data-autosave="offer-new-u' in html


def test_manifest_and_service_worker_are_local_and_the_worker_keeps_only_static_files(client):
    manifest = client.get("/manifest.webmanifest")
    assert manifest.status_code == 200 and manifest.mimetype == "application/manifest+json"
    icons = manifest.json["icons"]
    assert icons and all(icon["src"].startswith("/static/") for icon in icons)
    for icon in icons:
        with client.get(icon["src"]) as response:
            assert response.status_code == 200
    with client.get("/sw.js") as worker:
        assert worker.status_code == 200 and "javascript" in worker.mimetype
        assert worker.headers["Cache-Control"] == "no-cache"
        body = worker.get_data(as_text=True)
    assert 'pathname.indexOf("/static/") === 0' in body and "http" not in body.replace("https", "")
    page = client.get("/login").text
    assert 'rel="manifest"' in page and "/static/js/pwa.js" in page

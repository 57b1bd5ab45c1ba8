"""Photos and documents of a need: checked by content, cleaned, stored privately, served by policy."""
import io
from pathlib import Path

import pytest
from PIL import Image

from gandeng.db import db
from gandeng.needs.models import NeedAttachment, NeedStatus
from tests import factories as f
from tests.conftest import login


@pytest.fixture
def world(session):
    kampung = f.make_kampung(session, "Kampung Anggrek")
    world = {
        "coordinator": f.make_coordinator(session, kampung=kampung),
        "other_coordinator": f.make_coordinator(session),
        "partner": f.make_partner(session),
        "staff": f.make_staff(session),
        "draft": f.make_need(session, kampung=kampung, status=NeedStatus.DRAFT),
        "verified": f.make_need(session, kampung=kampung, status=NeedStatus.VERIFIED),
    }
    session.commit()
    return world


def _post_files(client, need, *files):
    data = {"files": [(io.BytesIO(content), name) for content, name in files]}
    return client.post(f"/needs/{need.id}/attachments", data=data, content_type="multipart/form-data",
                       follow_redirects=True)


def _attachments(need):
    return list(db.session.scalars(db.select(NeedAttachment).where(NeedAttachment.need_id == need.id)))


def _stored(app, attachment) -> Path:
    return Path(app.config["UPLOAD_DIR"]) / "needs" / attachment.stored_name


def test_coordinator_uploads_png_jpeg_and_pdf_under_random_names(app, client, world):
    login(client, world["coordinator"])
    response = _post_files(client, world["draft"], (f.png_bytes(), "rumah Bu Sarinah.png"),
                           (f.jpeg_bytes(), "atap.jpg"), (f.pdf_bytes(), "daftar KK.pdf"))
    assert "3 lampiran ditambahkan." in response.text
    found = {a.content_type: a for a in _attachments(world["draft"])}
    assert set(found) == {"image/png", "image/jpeg", "application/pdf"}
    for attachment in found.values():
        path = _stored(app, attachment)
        assert path.is_file() and "Sarinah" not in path.name and "KK" not in path.name
        assert len(attachment.stored_name) >= 30
    assert _stored(app, found["application/pdf"]).read_bytes() == f.pdf_bytes()


def test_text_file_named_jpg_is_refused(app, client, world):
    login(client, world["coordinator"])
    response = _post_files(client, world["draft"], (b"Hello, ini teks biasa.\n" * 10, "foto.jpg"))
    assert "foto.jpg bukan foto JPEG/PNG atau dokumen PDF" in response.text
    assert _attachments(world["draft"]) == []


def test_broken_png_is_refused(client, world):
    login(client, world["coordinator"])
    response = _post_files(client, world["draft"], (f.png_bytes()[:30], "rusak.png"))
    assert "bukan gambar yang utuh" in response.text
    assert _attachments(world["draft"]) == []


def test_file_over_five_megabytes_is_refused(client, world):
    login(client, world["coordinator"])
    big = b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024)
    response = _post_files(client, world["draft"], (big, "besar.pdf"))
    assert "besar.pdf lebih dari 5 MB" in response.text
    assert _attachments(world["draft"]) == []


def test_upload_without_file_asks_for_one(client, world):
    login(client, world["coordinator"])
    response = client.post(f"/needs/{world['draft'].id}/attachments", follow_redirects=True)
    assert "Pilih satu berkas atau lebih." in response.text


def test_exif_with_gps_position_is_removed_from_photos(app, client, world):
    original = f.jpeg_bytes(gps=True)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the test photo does carry GPS
    login(client, world["coordinator"])
    _post_files(client, world["draft"], (original, "rumah.jpg"))
    attachment = _attachments(world["draft"])[0]
    with Image.open(_stored(app, attachment)) as stored:
        assert stored.format == "JPEG"
        assert dict(stored.getexif()) == {} and "exif" not in stored.info
    served = client.get(f"/needs/{world['draft'].id}/attachments/{attachment.id}").data
    assert b"Exif" not in served and b"KameraHP" not in served


def test_photo_is_served_inline_privately_with_nosniff(client, world):
    attachment = f.make_attachment(db.session, world["verified"], f.png_bytes(), "rumah.png")
    db.session.commit()
    login(client, world["partner"])
    response = client.get(f"/needs/{world['verified'].id}/attachments/{attachment.id}")
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"].startswith("inline")
    assert "private" in response.headers["Cache-Control"] and "public" not in response.headers["Cache-Control"]
    assert Image.open(io.BytesIO(response.data)).format == "PNG"


def test_pdf_is_served_as_download_to_own_coordinator(client, world):
    attachment = f.make_attachment(db.session, world["verified"], f.pdf_bytes(), "daftar.pdf")
    db.session.commit()
    login(client, world["coordinator"])
    response = client.get(f"/needs/{world['verified'].id}/attachments/{attachment.id}")
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.data.startswith(b"%PDF-")


@pytest.mark.parametrize("who", [None, "other_coordinator", "partner"])
def test_pdf_is_denied_to_anonymous_partners_and_other_coordinators(client, world, who):
    attachment = f.make_attachment(db.session, world["verified"], f.pdf_bytes(), "daftar.pdf")
    db.session.commit()
    if who:
        login(client, world[who])
    assert client.get(f"/needs/{world['verified'].id}/attachments/{attachment.id}").status_code == 404
    assert "daftar" not in client.get(f"/needs/{world['verified'].id}").text


def test_photo_is_denied_to_anonymous_visitors(client, world):
    attachment = f.make_attachment(db.session, world["verified"], f.png_bytes(), "rumah.png")
    db.session.commit()
    assert client.get(f"/needs/{world['verified'].id}/attachments/{attachment.id}").status_code == 404
    assert f"/attachments/{attachment.id}" not in client.get(f"/needs/{world['verified'].id}").text


def test_partner_sees_photo_thumbnail_without_file_name(client, world):
    attachment = f.make_attachment(db.session, world["verified"], f.png_bytes(), "rumah Bu Sarinah.png")
    db.session.commit()
    login(client, world["partner"])
    page = client.get(f"/needs/{world['verified'].id}").text
    assert f"/needs/{world['verified'].id}/attachments/{attachment.id}" in page
    assert "Sarinah" not in page


def test_attachment_of_a_draft_is_hidden_from_other_coordinator(client, world):
    attachment = f.make_attachment(db.session, world["draft"], f.png_bytes(), "rumah.png")
    db.session.commit()
    login(client, world["other_coordinator"])
    assert client.get(f"/needs/{world['draft'].id}/attachments/{attachment.id}").status_code == 404


def test_coordinator_deletes_attachment_and_its_file(app, client, world):
    attachment = f.make_attachment(db.session, world["draft"], f.png_bytes(), "rumah.png")
    db.session.commit()
    path = _stored(app, attachment)
    assert path.is_file()
    login(client, world["coordinator"])
    client.post(f"/needs/{world['draft'].id}/attachments/{attachment.id}/delete")
    assert _attachments(world["draft"]) == []
    assert not path.exists()


def test_partner_cannot_delete_a_photo(app, client, world):
    attachment = f.make_attachment(db.session, world["verified"], f.png_bytes(), "rumah.png")
    db.session.commit()
    login(client, world["partner"])
    url = f"/needs/{world['verified'].id}/attachments/{attachment.id}/delete"
    assert client.post(url).status_code == 403
    assert _stored(app, attachment).is_file() and len(_attachments(world["verified"])) == 1

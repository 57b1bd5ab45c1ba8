"""A group's product photos, logo and documents: uploaded by the group's account or staff, cleaned as every
upload (EXIF/GPS gone), photos public on the catalogue of a verified group, documents for staff and the group
only and checked by staff, bad files refused in Indonesian with the form shown again, a copied logo refused."""
import io

import pytest
from sqlalchemy import func, select

from gandeng.audit.models import AuditEvent
from gandeng.db import db
from gandeng.nglarisi import files
from gandeng.nglarisi.models import GroupFile
from tests import factories as f
from tests.conftest import login


@pytest.fixture
def world(session):
    group = f.make_group(session, name="Dapur Foto")
    people = {"group": group, "cook": f.make_group_user(session, group=group, email="dapur@contoh.id"),
              "other_cook": f.make_group_user(session, email="lain@contoh.id"),
              "office": f.make_office_user(session, email="kantor@contoh.id"), "staff": f.make_staff(session)}
    session.commit()
    return people


def _logo(shift: int = 0, size=(120, 120)) -> bytes:
    """A drawn logo (a few shapes), PNG; `shift` moves the shapes: another logo."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (120, 120), (250, 245, 230))
    draw = ImageDraw.Draw(image)
    draw.ellipse((10 + shift, 10, 70 + shift, 70), fill=(180, 40, 30))
    draw.rectangle((60, 50 + shift, 110, 110), fill=(20, 90, 40))
    draw.polygon([(5, 115), (60 - shift, 80), (40, 118)], fill=(30, 30, 120))
    image = image.resize(size)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _as_jpeg(png: bytes, size=None) -> bytes:
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    if size:
        image = image.resize(size)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def _post(client, url, data: bytes, name: str, kind="photo", caption=""):
    return client.post(url, data={"kind": kind, "caption": caption, "file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def test_the_group_uploads_a_photo_that_shows_on_its_public_catalogue_without_gps(app, client, session, world):
    from PIL import Image

    app.config["WTF_CSRF_ENABLED"] = False
    login(client, world["cook"])
    answer = _post(client, "/nglarisi/my-group/files", f.jpeg_bytes(size=(800, 600), gps=True), "nasi.jpg",
                   caption="Nasi kotak ayam")
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/nglarisi/my-group#files")
    (photo,) = session.scalars(select(GroupFile)).all()
    assert photo.kind == "photo" and photo.caption == "Nasi kotak ayam" and photo.content_type == "image/jpeg"
    client.post("/logout")
    page = client.get(f"/nglarisi/katalog/{world['group'].id}").text
    src = f"/nglarisi/files/{photo.id}"
    assert f'src="{src}" alt="Nasi kotak ayam"' in page and 'loading="lazy"' in page
    served = client.get(src)
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert served.headers["Cache-Control"] == "public, max-age=86400"
    assert not Image.open(io.BytesIO(served.data)).getexif()  # the GPS position is gone


@pytest.mark.parametrize("data, name, kind, words", [
    (b"MZ\x90\x00 not a photo", "virus.jpg", "photo", "bukan foto JPEG atau PNG"),
    (f.pdf_bytes(), "menu.pdf", "photo", "bukan foto JPEG atau PNG"),
    (b"\xff\xd8\xff\xe0 broken jpeg", "rusak.jpg", "photo", "bukan gambar yang utuh"),
    (b"hello", "npwp.txt", "npwp", "bukan foto JPEG/PNG atau dokumen PDF"),
], ids=["not-an-image", "pdf-as-photo", "broken-jpeg", "text-as-document"])
def test_a_bad_file_is_refused_in_indonesian_and_the_form_is_shown_again(app, client, session, world, data, name, kind,
                                                                         words):
    app.config["WTF_CSRF_ENABLED"] = False
    login(client, world["cook"])
    page = _post(client, "/nglarisi/my-group/files", data, name, kind=kind)
    assert page.status_code == 422 and words in page.text and 'action="/nglarisi/my-group/files"' in page.text
    assert session.scalar(select(func.count()).select_from(GroupFile)) == 0


def test_at_most_six_photos(session, world):
    for n in range(files.MAX_PHOTOS):
        files.add_file(session, world["cook"], world["group"], "photo", f.upload(f.png_bytes(colour=(n, 9, 9)), "a.png"))
    with pytest.raises(Exception) as refused:
        files.add_file(session, world["cook"], world["group"], "photo", f.upload(f.png_bytes(), "b.png"))
    assert "Paling banyak 6 foto" in refused.value.message


def test_documents_are_seen_by_staff_and_the_group_only_and_staff_mark_them_checked(app, client, session, world):
    app.config["WTF_CSRF_ENABLED"] = False
    login(client, world["cook"])
    assert _post(client, "/nglarisi/my-group/files", f.pdf_bytes(), "NPWP Bu Sri.pdf", kind="npwp").status_code == 302
    (doc,) = session.scalars(select(GroupFile)).all()
    url = f"/nglarisi/files/{doc.id}"
    own = client.get(url)
    assert own.status_code == 200 and own.mimetype == "application/pdf" and "attachment" in own.headers[
        "Content-Disposition"] and own.headers["Cache-Control"] == "private, no-store"
    assert "NPWP Bu Sri" not in own.headers["Content-Disposition"]
    client.post("/logout")
    assert client.get(url).status_code == 404  # the public
    assert url not in client.get(f"/nglarisi/katalog/{world['group'].id}").text
    for outsider in (world["other_cook"], world["office"]):
        login(client, outsider)
        assert client.get(url).status_code == 404
        assert client.post(f"{url}/delete").status_code == 404
        client.post("/logout")
    login(client, world["staff"])
    page = client.get(f"/nglarisi/groups/{world['group'].id}").text
    assert "belum diperiksa" in page and "Tandai sudah diperiksa" in page
    assert "Dokumen belum diperiksa: 1" in client.get("/nglarisi/groups").text
    assert client.get(url).status_code == 200
    assert client.post(f"{url}/checked").status_code == 302
    assert "sudah diperiksa" in client.get(f"/nglarisi/groups/{world['group'].id}").text
    assert "Dokumen belum diperiksa" not in client.get("/nglarisi/groups").text
    session.expire_all()
    assert session.get(GroupFile, doc.id).checked_by_id == world["staff"].id
    audit = " ".join(str(e.after) + str(e.before) for e in session.scalars(select(AuditEvent)))
    assert "Bu Sri" not in audit and "npwp" in audit  # the kind, never the file's name


def test_a_new_document_of_a_kind_replaces_the_old_and_its_file_goes(session, world):
    first = files.add_file(session, world["cook"], world["group"], "bank", f.upload(f.pdf_bytes(), "buku.pdf"))
    session.commit()
    path = files.file_path(first)
    files.add_file(session, world["staff"], world["group"], "bank", f.upload(f.jpeg_bytes(), "buku.jpg"))
    session.commit()
    assert [d.content_type for d in world["group"].files] == ["image/jpeg"] and not path.exists()


def test_a_pending_groups_photos_are_not_public(app, client, session, world):
    pending = f.make_group(session, name="Dapur Baru", status="pending")
    photo = files.add_file(session, world["staff"], pending, "photo", f.upload(f.png_bytes(), "a.png"))
    session.commit()
    assert client.get(f"/nglarisi/files/{photo.id}").status_code == 404
    login(client, world["staff"])
    assert client.get(f"/nglarisi/files/{photo.id}").status_code == 200


def test_another_groups_logo_is_refused_even_re_encoded_and_resized(session, world):
    other = f.make_group(session, name="Dapur Asli")
    files.add_file(session, world["staff"], other, "logo", f.upload(_logo(), "logo.png"))
    session.commit()
    with pytest.raises(Exception) as refused:
        files.add_file(session, world["cook"], world["group"], "logo",
                       f.upload(_as_jpeg(_logo(), size=(300, 300)), "logo-kami.jpg"))
    assert "sama dengan logo kelompok lain" in refused.value.message
    db.session.rollback()
    own = files.add_file(session, world["cook"], world["group"], "logo", f.upload(_logo(shift=35), "logo-kami.png"))
    assert own.image_key and own.image_key != other.logo.image_key
    again = files.add_file(session, world["cook"], world["group"], "logo", f.upload(_logo(shift=35), "baru.png"))
    assert world["group"].logo.id == again.id  # the group's own logo is replaced, not a clash with itself

"""Photos from real phones: an 8 MB, 48-MP photo is accepted and stored small, upright, without EXIF."""
import io

import pytest
from PIL import Image

from gandeng.errors import DomainError
from gandeng.images import MAX_SIDE, MAX_STORED_BYTES, shrink_photo
from gandeng.uploads import prepare_upload
from tests import factories as f

TWENTY_MB = 20 * 1024 * 1024
FIVE_MB = 5 * 1024 * 1024


def test_an_8_mb_48_megapixel_phone_photo_is_accepted_and_stored_small():
    photo = f.phone_photo_bytes()
    assert len(photo) > 8_000_000
    with Image.open(io.BytesIO(photo)) as original:
        assert original.size == (8000, 6000)
    prepared = prepare_upload("IMG_20261206.jpg", photo, TWENTY_MB, max_document_bytes=FIVE_MB)
    assert prepared.content_type == "image/jpeg"
    assert len(prepared.data) <= MAX_STORED_BYTES
    with Image.open(io.BytesIO(prepared.data)) as stored:
        assert max(stored.size) <= MAX_SIDE == 1600
        assert stored.size == (1600, 1200)


def test_shrinking_drops_gps_and_turns_the_photo_upright():
    image = Image.new("RGB", (3200, 1600), (120, 80, 40))
    exif = Image.Exif()
    exif[0x0112] = 6  # shown rotated by 90°
    exif[0x8825] = {1: "S", 2: (7.0, 47.0, 30.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    data, content_type = shrink_photo(out.getvalue(), "image/jpeg")
    with Image.open(io.BytesIO(data)) as cleaned:
        assert content_type == "image/jpeg"
        assert dict(cleaned.getexif()) == {}
        assert cleaned.size == (800, 1600)


def test_a_photo_saved_as_a_huge_png_becomes_a_jpeg_that_fits():
    noise = Image.merge("RGB", [Image.effect_noise((1100, 900), 90) for _ in range(3)])
    out = io.BytesIO()
    noise.save(out, "PNG")
    assert len(out.getvalue()) > MAX_STORED_BYTES
    data, content_type = shrink_photo(out.getvalue(), "image/png")
    assert content_type == "image/jpeg" and len(data) <= MAX_STORED_BYTES


def test_a_small_png_stays_a_png():
    data, content_type = shrink_photo(f.png_bytes(), "image/png")
    assert content_type == "image/png"


def test_a_file_over_twenty_mb_is_refused_with_what_to_do():
    with pytest.raises(DomainError) as refused:
        prepare_upload("besar.jpg", b"\xff\xd8\xff" + b"0" * TWENTY_MB, TWENTY_MB)
    assert "lebih dari 20 MB" in refused.value.message
    assert "kecilkan dulu" in refused.value.message


def test_a_pdf_keeps_the_five_mb_limit_and_says_how_to_make_it_smaller():
    with pytest.raises(DomainError) as refused:
        prepare_upload("surat.pdf", b"%PDF-" + b"0" * FIVE_MB, TWENTY_MB, max_document_bytes=FIVE_MB)
    assert "lebih dari 5 MB" in refused.value.message
    assert "resolusi lebih rendah" in refused.value.message

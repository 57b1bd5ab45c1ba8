"""Pure checks on uploads and contact links: what a file is, cleaning names and photos, wa.me links."""
import io

import pytest
from PIL import Image

from gandeng.errors import DomainError
from gandeng.needs.attachments import clean_image, clean_original_name, prepare_upload, sniff_content_type
from tests import factories as f

FIVE_MB = 5 * 1024 * 1024


@pytest.mark.parametrize("data, expected", [
    (b"\xff\xd8\xff\xe0rest", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\nrest", "image/png"),
    (b"%PDF-1.7\n", "application/pdf"),
    (b"GIF89a", None),
    (b"<svg xmlns='http://www.w3.org/2000/svg'/>", None),
    (b"PK\x03\x04", None),
    (b"", None),
])
def test_content_type_is_known_by_the_first_bytes(data, expected):
    assert sniff_content_type(data) == expected


@pytest.mark.parametrize("name, cleaned", [
    ("C:\\Users\\bu\\foto rumah.jpg", "foto rumah.jpg"),
    ("../../etc/passwd", "passwd"),
    ("a\x00b\nc.pdf", "abc.pdf"),
    ("", "lampiran"),
    (None, "lampiran"),
])
def test_original_names_lose_folders_and_control_characters(name, cleaned):
    assert clean_original_name(name) == cleaned


def test_real_png_jpeg_and_pdf_pass_and_keep_their_format():
    assert prepare_upload("a.png", f.png_bytes(), FIVE_MB).content_type == "image/png"
    assert prepare_upload("b.jpg", f.jpeg_bytes(), FIVE_MB).content_type == "image/jpeg"
    pdf = prepare_upload("c.pdf", f.pdf_bytes(), FIVE_MB)
    assert pdf.content_type == "application/pdf" and pdf.data == f.pdf_bytes()


def test_png_named_jpg_is_taken_for_what_it_is():
    assert prepare_upload("foto.jpg", f.png_bytes(), FIVE_MB).content_type == "image/png"


def test_text_named_jpg_is_refused():
    with pytest.raises(DomainError, match="bukan foto JPEG/PNG atau dokumen PDF"):
        prepare_upload("foto.jpg", b"just some text", FIVE_MB)


def test_jpeg_header_on_garbage_is_refused():
    with pytest.raises(DomainError, match="bukan gambar yang utuh"):
        prepare_upload("foto.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 100, FIVE_MB)


def test_file_one_byte_over_the_limit_is_refused():
    with pytest.raises(DomainError, match="lebih dari 5 MB"):
        prepare_upload("x.pdf", b"%PDF-" + b"0" * (FIVE_MB - 4), FIVE_MB)


def test_cleaning_drops_exif_and_turns_the_photo_upright():
    image = Image.new("RGB", (40, 20), (255, 0, 0))
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° to show
    exif[0x8825] = {1: "S", 2: (7.0, 47.0, 30.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    with Image.open(io.BytesIO(clean_image(out.getvalue(), "image/jpeg"))) as cleaned:
        assert dict(cleaned.getexif()) == {}
        assert cleaned.size == (20, 40)


def test_cleaning_keeps_png_transparency():
    image = Image.new("RGBA", (4, 4), (0, 0, 0, 0))
    out = io.BytesIO()
    image.save(out, "PNG")
    with Image.open(io.BytesIO(clean_image(out.getvalue(), "image/png"))) as cleaned:
        assert cleaned.format == "PNG" and cleaned.mode == "RGBA"
        assert cleaned.getpixel((0, 0))[3] == 0


def test_huge_photos_are_made_smaller():
    out = io.BytesIO()
    Image.new("RGB", (4000, 1000), (10, 10, 10)).save(out, "JPEG")
    with Image.open(io.BytesIO(clean_image(out.getvalue(), "image/jpeg"))) as cleaned:
        assert max(cleaned.size) == 1600

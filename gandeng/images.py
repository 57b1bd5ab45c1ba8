"""Photos made fit to keep: decoded (so a fake is caught), turned upright, stripped of EXIF/GPS,
scaled to at most 1600 px on the longest side and encoded again in at most 2 MB.

A phone photo is 8–12 MB and 48 megapixels; the browser usually shrinks it first
(static/js/photo-shrink.js), but a phone without JavaScript sends it whole, so the server does
the same work. JPEGs are decoded at a reduced scale (libjpeg's DCT scaling), so a 48-MP photo
never sits in memory at full size."""
from __future__ import annotations

import io
import warnings
from typing import TYPE_CHECKING

from flask_babel import gettext as _

from gandeng.errors import DomainError

if TYPE_CHECKING:
    from PIL import Image

JPEG, PNG = "image/jpeg", "image/png"
PILLOW_FORMAT = {JPEG: "JPEG", PNG: "PNG"}
MAX_SIDE = 1600                       # enough to judge a roof or a latrine on any screen
MAX_STORED_BYTES = 2 * 1024 * 1024    # what one stored photo may weigh
MAX_PIXELS = 64_000_000               # a 50-MP phone photo passes; beyond that it is a bomb, not a photo
JPEG_QUALITIES = (85, 78, 70, 60)     # tried in turn until the photo fits MAX_STORED_BYTES
FIELD = "files"


def _broken(label: str, field: str) -> DomainError:
    return DomainError(_("Berkas %(name)s bukan gambar yang utuh. Ambil foto lagi atau pilih foto lain.",
                         name=label), field)


def _decoded(data: bytes, content_type: str, label: str, field: str, max_side: int) -> Image.Image:
    """The picture, checked and loaded (JPEGs at the smallest scale still above `max_side`), upright."""
    from PIL import Image, ImageOps  # lazy: starting the app must not load Pillow
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format != PILLOW_FORMAT[content_type]:
                raise _broken(label, field)
            if probe.width * probe.height > MAX_PIXELS:
                raise DomainError(_("Gambar %(name)s terlalu besar ukurannya (lebih dari %(mp)d megapiksel). "
                                    "Pilih foto biasa dari kamera HP.", name=label, mp=MAX_PIXELS // 1_000_000),
                                  field)
            probe.verify()
        image = Image.open(io.BytesIO(data))
        if content_type == JPEG:
            image.draft(None, (max_side, max_side))
        image.load()
    upright = ImageOps.exif_transpose(image)
    if upright is not image:
        image.close()
    return upright


def _without_metadata(image: Image.Image) -> dict:
    """Drop EXIF, XMP, comments and ICC notes; return what must be kept (PNG transparency)."""
    keep = {"transparency": image.info["transparency"]} if "transparency" in image.info else {}
    image.info = dict(keep)
    return keep


def _jpeg(image: Image.Image, quality: int) -> bytes:
    from PIL import Image  # lazy: starting the app must not load Pillow
    if image.mode not in ("RGB", "L"):
        if image.mode in ("RGBA", "LA", "P", "PA"):
            # Transparent parts become white, as on paper.
            rgba = image.convert("RGBA")
            background = Image.new("RGB", rgba.size, (255, 255, 255))
            background.paste(rgba, mask=rgba.getchannel("A"))
            image = background
        else:
            image = image.convert("RGB")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, optimize=True, progressive=True)
    return out.getvalue()


def _png(image: Image.Image, keep: dict) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True, **keep)
    return out.getvalue()


def _scaled(data: bytes, content_type: str, label: str, field: str, max_side: int) -> Image.Image:
    """The picture decoded, upright, at most `max_side` on its longest side; any decoding failure
    becomes the user's "not a whole image" message."""
    from PIL import Image, UnidentifiedImageError  # lazy: starting the app must not load Pillow
    try:
        image = _decoded(data, content_type, label, field, max_side)
    except DomainError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError,
            Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _broken(label, field) from exc
    image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    return image


def shrink_photo(data: bytes, content_type: str, label: str = "", field: str = FIELD,
                 max_side: int = MAX_SIDE, max_bytes: int = MAX_STORED_BYTES) -> tuple[bytes, str]:
    """The photo decoded and encoded again: upright, no metadata, longest side at most `max_side`,
    at most `max_bytes`. Returns (data, content type): a PNG stays a PNG when it fits, else it
    becomes a JPEG (a photo saved as PNG). A DomainError when it is not a whole image."""
    with _scaled(data, content_type, label, field, max_side) as image:
        keep = _without_metadata(image)
        if content_type == PNG:
            encoded = _png(image, keep)
            if len(encoded) <= max_bytes:
                return encoded, PNG
        for quality in JPEG_QUALITIES:
            encoded = _jpeg(image, quality)
            if len(encoded) <= max_bytes:
                return encoded, JPEG
        # Pure noise at full size: halve the sides until it fits (a photo never gets here).
        while len(encoded) > max_bytes and max(image.size) > 200:
            image = image.resize((max(1, image.width // 2), max(1, image.height // 2)))
            encoded = _jpeg(image, JPEG_QUALITIES[-1])
        return encoded, JPEG


def clean_image(data: bytes, content_type: str, label: str = "", field: str = FIELD) -> bytes:
    """The image cleaned as `shrink_photo` does but kept in its own format (PNG stays PNG whatever
    its size): for callers that must not change the content type."""
    with _scaled(data, content_type, label, field, MAX_SIDE) as image:
        keep = _without_metadata(image)
        if content_type == PNG:
            return _png(image, keep)
        return _jpeg(image, JPEG_QUALITIES[0])

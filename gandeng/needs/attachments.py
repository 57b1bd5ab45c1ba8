"""Photos and documents of needs: what a file really is, metadata stripped, stored under a random name."""
import io
import re
import secrets
import unicodedata
import warnings
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from gandeng.audit.services import record
from gandeng.errors import DomainError, NotAllowed
from gandeng.needs import policies
from gandeng.needs.models import Need, NeedAttachment

JPEG, PNG, PDF = "image/jpeg", "image/png", "application/pdf"
MAGIC = ((JPEG, b"\xff\xd8\xff"), (PNG, b"\x89PNG\r\n\x1a\n"), (PDF, b"%PDF-"))
PILLOW_FORMAT = {JPEG: "JPEG", PNG: "PNG"}
EXTENSION = {JPEG: ".jpg", PNG: ".png", PDF: ".pdf"}
MAX_PIXELS = 50_000_000      # a 50-megapixel photo; beyond that it is a decompression bomb, not a photo
MAX_SIDE = 2560              # phones shoot 4000 px; 2560 px is plenty to judge a roof or a latrine
MAX_PER_NEED = 20
FIELD = "files"              # the form field a DomainError points at

# Session.info keys: files written in the open transaction, files to remove once it commits.
_WRITTEN = "gandeng.files_written"
_DOOMED = "gandeng.files_doomed"


@dataclass(frozen=True)
class PreparedFile:
    """An upload that passed every check, ready to be written."""

    original_name: str
    content_type: str
    data: bytes


def sniff_content_type(data: bytes) -> str | None:
    """The content type the first bytes announce (JPEG, PNG or PDF), or None for anything else."""
    for content_type, magic in MAGIC:
        if data.startswith(magic):
            return content_type
    return None


def clean_original_name(name: str | None) -> str:
    """The user's file name without folders or control characters, at most 200 characters."""
    name = re.split(r"[\\/]", name or "")[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = " ".join(name.split())[:200]
    return name or "lampiran"


def clean_image(data: bytes, content_type: str, label: str = "") -> bytes:
    """The image decoded and encoded again in the same format: EXIF (GPS position of a
    household's home), XMP and comments are dropped; the picture is turned upright first
    and made no larger than MAX_SIDE pixels. A DomainError if it does not decode."""
    def broken():
        return DomainError(_("Berkas %(name)s bukan gambar yang utuh.", name=label), FIELD)

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format != PILLOW_FORMAT[content_type]:
                    raise broken()
                if probe.width * probe.height > MAX_PIXELS:
                    raise DomainError(_("Gambar %(name)s terlalu besar ukurannya (piksel).", name=label), FIELD)
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                upright = ImageOps.exif_transpose(image)
                upright.thumbnail((MAX_SIDE, MAX_SIDE))
                return _encode(upright, content_type)
    except DomainError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError,
            Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise broken() from exc


def _encode(image: Image.Image, content_type: str) -> bytes:
    # Keep nothing of the original's metadata except PNG transparency.
    keep = {"transparency": image.info["transparency"]} if "transparency" in image.info else {}
    image.info = keep
    out = io.BytesIO()
    if content_type == JPEG:
        if image.mode not in ("RGB", "L", "CMYK"):
            image = image.convert("RGB")
        image.save(out, "JPEG", quality=88, optimize=True)
    else:
        image.save(out, "PNG", optimize=True, **keep)
    return out.getvalue()


def prepare_upload(filename: str | None, data: bytes, max_bytes: int) -> PreparedFile:
    """Check one upload by its content (never by its name) and clean it; a DomainError says why not."""
    name = clean_original_name(filename)
    limit_mb = max(1, max_bytes // (1024 * 1024))
    if len(data) > max_bytes:
        raise DomainError(_("Berkas %(name)s lebih dari %(mb)d MB.", name=name, mb=limit_mb), FIELD)
    if not data:
        raise DomainError(_("Berkas %(name)s kosong.", name=name), FIELD)
    content_type = sniff_content_type(data)
    if content_type is None:
        raise DomainError(
            _("Berkas %(name)s bukan foto JPEG/PNG atau dokumen PDF.", name=name), FIELD
        )
    if content_type in PILLOW_FORMAT:
        data = clean_image(data, content_type, name)
        if len(data) > max_bytes:
            raise DomainError(_("Berkas %(name)s lebih dari %(mb)d MB.", name=name, mb=limit_mb), FIELD)
    return PreparedFile(name, content_type, data)


def _read(upload, max_bytes: int) -> bytes:
    """At most max_bytes + 1 bytes of an upload: enough to know it is too big."""
    stream = getattr(upload, "stream", upload)
    return stream.read(max_bytes + 1)


def upload_dir() -> Path:
    """The folder of need attachments (created when missing); outside static/, served by a view."""
    folder = Path(current_app.config["UPLOAD_DIR"]) / "needs"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def attachment_path(attachment: NeedAttachment) -> Path:
    return Path(current_app.config["UPLOAD_DIR"]) / "needs" / attachment.stored_name


def download_name(attachment: NeedAttachment) -> str:
    """The user's file name with the extension its content really has."""
    stem = attachment.original_name.rsplit(".", 1)[0] if "." in attachment.original_name else attachment.original_name
    return (stem or "lampiran") + EXTENSION.get(attachment.content_type, "")


def add_attachments(session, actor, need: Need, uploads) -> list[NeedAttachment]:
    """Store the uploads (file objects with `filename` and `stream`) as attachments of `need`.
    All or nothing: every file is checked before any is written; written files disappear
    again if the transaction rolls back."""
    if actor is not None and not policies.can_manage_attachments(actor, need):
        raise NotAllowed(_("Lampiran kebutuhan ini tidak dapat diubah sekarang."))
    max_bytes = current_app.config["MAX_UPLOAD_BYTES"]
    uploads = [u for u in uploads if u is not None and (getattr(u, "filename", None) or "")]
    if not uploads:
        raise DomainError(_("Pilih satu berkas atau lebih."), FIELD)
    existing = session.scalar(select(func.count(NeedAttachment.id)).where(NeedAttachment.need_id == need.id)) or 0
    if existing + len(uploads) > MAX_PER_NEED:
        raise DomainError(_("Paling banyak %(n)d lampiran per kebutuhan.", n=MAX_PER_NEED), FIELD)
    prepared = [prepare_upload(u.filename, _read(u, max_bytes), max_bytes) for u in uploads]
    folder = upload_dir()
    written, created = [], []
    try:
        for item in prepared:
            stored = secrets.token_urlsafe(24) + EXTENSION[item.content_type]
            path = folder / stored
            with open(path, "xb") as out:
                written.append(path)
                out.write(item.data)
            created.append(NeedAttachment(
                need=need, stored_name=stored, original_name=item.original_name,
                content_type=item.content_type, size=len(item.data),
                uploaded_by_id=getattr(actor, "id", None),
            ))
    except OSError as exc:
        for path in written:
            path.unlink(missing_ok=True)
        raise DomainError(_("Berkas tidak dapat disimpan. Coba lagi nanti."), FIELD) from exc
    session.info.setdefault(_WRITTEN, []).extend(str(p) for p in written)
    session.add_all(created)
    session.flush()
    # File names stay out of the audit trail: they often carry a household's name.
    record(session, actor, "need.attachment_add", need,
           after={"attachments": [a.id for a in created], "content_types": [a.content_type for a in created]})
    return created


def delete_attachment(session, actor, attachment: NeedAttachment) -> None:
    """Remove an attachment; its file goes once the transaction commits."""
    need = attachment.need
    if actor is not None and not policies.can_manage_attachments(actor, need):
        raise NotAllowed(_("Lampiran kebutuhan ini tidak dapat diubah sekarang."))
    session.info.setdefault(_DOOMED, []).append(str(attachment_path(attachment)))
    before = {"attachment_id": attachment.id, "content_type": attachment.content_type}
    need.attachments.remove(attachment)  # delete-orphan: the row goes at flush
    session.flush()
    record(session, actor, "need.attachment_delete", need, before=before)


@event.listens_for(Session, "after_commit")
def _files_after_commit(session):
    session.info.pop(_WRITTEN, None)
    for name in session.info.pop(_DOOMED, []):
        Path(name).unlink(missing_ok=True)


@event.listens_for(Session, "after_rollback")
def _files_after_rollback(session):
    session.info.pop(_DOOMED, None)
    for name in session.info.pop(_WRITTEN, []):
        Path(name).unlink(missing_ok=True)

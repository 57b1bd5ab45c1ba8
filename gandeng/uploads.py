"""Uploaded files: what a file really is, metadata stripped, stored under a random name, and
removed again when the transaction that stored it rolls back (shared by need attachments and
progress photos)."""
from __future__ import annotations

import io
import logging
import re
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import event
from sqlalchemy.orm import Session

from gandeng import images
from gandeng.errors import DomainError

JPEG, PNG, PDF = "image/jpeg", "image/png", "application/pdf"
MAGIC = ((JPEG, b"\xff\xd8\xff"), (PNG, b"\x89PNG\r\n\x1a\n"), (PDF, b"%PDF-"))
PILLOW_FORMAT = images.PILLOW_FORMAT
EXTENSION = {JPEG: ".jpg", PNG: ".png", PDF: ".pdf"}
PHOTOS_AND_PDF = (JPEG, PNG, PDF)
PHOTOS = (JPEG, PNG)
MAX_PIXELS = images.MAX_PIXELS
MAX_SIDE = images.MAX_SIDE
FIELD = "files"              # the form field a DomainError points at unless told otherwise

log = logging.getLogger(__name__)

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


def clean_image(data: bytes, content_type: str, label: str = "", field: str = FIELD) -> bytes:
    """The image decoded and encoded again in the same format (see gandeng.images): EXIF (GPS
    position of a household's home), XMP and comments dropped, upright, at most MAX_SIDE pixels."""
    return images.clean_image(data, content_type, label, field)


def _too_big(name: str, content_type: str | None, limit_mb: int, field: str) -> DomainError:
    """'Too big' with what to do about it: photos can be taken smaller, PDFs scanned smaller."""
    if content_type == PDF:
        advice = _("Pindai ulang dengan resolusi lebih rendah, atau kirim halamannya sebagai foto.")
    else:
        advice = _("Kirim foto langsung dari kamera HP, atau kecilkan dulu "
                   "(misalnya kirim ke diri sendiri lewat WhatsApp lalu simpan).")
    return DomainError(_("Berkas %(name)s lebih dari %(mb)d MB.", name=name, mb=limit_mb) + " " + advice, field)


def prepare_upload(filename: str | None, data: bytes, max_bytes: int,
                   allowed=PHOTOS_AND_PDF, field: str = FIELD,
                   max_document_bytes: int | None = None) -> PreparedFile:
    """Check one upload by its content (never by its name) and clean it; a DomainError says why not.
    `allowed` lists the content types accepted (photos and PDF unless told otherwise). Photos up to
    `max_bytes` are accepted and made smaller (gandeng.images: ≤ 1600 px, ≤ 2 MB); PDFs cannot be
    made smaller, so they must fit `max_document_bytes` (`max_bytes` unless told otherwise)."""
    name = clean_original_name(filename)
    content_type = sniff_content_type(data)
    if len(data) > max_bytes:
        raise _too_big(name, content_type, max(1, max_bytes // (1024 * 1024)), field)
    if not data:
        raise DomainError(_("Berkas %(name)s kosong.", name=name), field)
    if content_type is None or content_type not in allowed:
        if PDF in allowed:
            message = _("Berkas %(name)s bukan foto JPEG/PNG atau dokumen PDF.", name=name)
        else:
            message = _("Berkas %(name)s bukan foto JPEG atau PNG.", name=name)
        raise DomainError(message, field)
    if content_type in PILLOW_FORMAT:
        data, content_type = images.shrink_photo(data, content_type, name, field)
    else:
        limit = min(max_bytes, max_document_bytes or max_bytes)
        if len(data) > limit:
            raise _too_big(name, content_type, max(1, limit // (1024 * 1024)), field)
    return PreparedFile(name, content_type, data)


def read_upload(upload, max_bytes: int) -> bytes:
    """At most max_bytes + 1 bytes of an upload: enough to know it is too big."""
    stream = getattr(upload, "stream", upload)
    return stream.read(max_bytes + 1)


def chosen_files(uploads) -> list:
    """The uploads a form really carried (a browser sends one empty part when none is chosen)."""
    return [u for u in uploads or [] if u is not None and (getattr(u, "filename", None) or "")]


def prepare_uploads(uploads, allowed=PHOTOS_AND_PDF, field: str = FIELD) -> list[PreparedFile]:
    """Every upload checked and cleaned (all before any is written): photos within MAX_UPLOAD_BYTES,
    PDFs within MAX_DOCUMENT_BYTES each."""
    max_bytes = current_app.config["MAX_UPLOAD_BYTES"]
    documents = current_app.config.get("MAX_DOCUMENT_BYTES")
    return [prepare_upload(u.filename, read_upload(u, max_bytes), max_bytes, allowed, field, documents)
            for u in uploads]


def storage_failed(field: str = FIELD) -> DomainError:
    """The message for any storage fault (folder missing and not creatable, read-only, disk full,
    no permission): the form is shown again with it and with everything the user typed."""
    return DomainError(_("Berkas tidak dapat disimpan. Coba lagi nanti."), field)


def upload_folder(name: str, field: str = FIELD) -> Path:
    """A folder under UPLOAD_DIR (created when missing); outside static/, files are served by views.
    A DomainError on `field` when it cannot be created (the cause goes to the log, not to the user)."""
    folder = Path(current_app.config["UPLOAD_DIR"]) / name
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        log.error("upload folder %s cannot be created: %s", folder, exc.strerror or exc)
        raise storage_failed(field) from exc
    return folder


def stored_path(folder_name: str, stored_name: str) -> Path:
    """Where a stored file of `folder_name` lives."""
    return Path(current_app.config["UPLOAD_DIR"]) / folder_name / stored_name


def stored_file_response(path: Path, content_type: str, cache_control: str, **send_options):
    """A stored upload as the answer to a request (404 when the file is gone). Read whole (at most
    5 MB) so that no file handle outlives the request; `cache_control` says who may keep a copy."""
    from flask import abort, send_file

    if not path.is_file():
        abort(404)
    response = send_file(io.BytesIO(path.read_bytes()), mimetype=content_type, etag=False, max_age=None,
                         **send_options)
    response.headers["Cache-Control"] = cache_control
    response.headers.pop("Expires", None)
    return response


def write_files(session, folder: Path, prepared, field: str = FIELD) -> list[str]:
    """Write prepared files under random names in `folder`; returns the stored names in order.
    The files are removed again if the session's transaction rolls back; if one cannot be
    written, those already written are removed and a DomainError says so."""
    written, names = [], []
    try:
        for item in prepared:
            stored = secrets.token_urlsafe(24) + EXTENSION[item.content_type]
            path = folder / stored
            with open(path, "xb") as out:
                written.append(path)
                out.write(item.data)
            names.append(stored)
    except OSError as exc:
        # Nothing half-written stays behind: the file being written when the disk filled up goes too.
        for path in written:
            try:
                path.unlink(missing_ok=True)
            except OSError:
                log.error("half-written upload %s could not be removed", path)
        log.error("upload cannot be written in %s: %s", folder, exc.strerror or exc)
        raise storage_failed(field) from exc
    session.info.setdefault(_WRITTEN, []).extend(str(p) for p in written)
    return names


def remove_after_commit(session, path: Path) -> None:
    """Delete `path` once the session's transaction commits (kept if it rolls back)."""
    session.info.setdefault(_DOOMED, []).append(str(path))


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

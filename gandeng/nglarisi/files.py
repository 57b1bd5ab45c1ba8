"""A group's product photos, logo and documents (NPWP, bank-account proof, PIRT, halal certificate).

Stored as every upload of the platform (gandeng.uploads): checked by content (never by name), photos
decoded, turned upright, stripped of EXIF/GPS and made smaller (≤ 1600 px, ≤ 2 MB; the browser shrinks them
first, static/js/photo-shrink.js), PDFs kept as sent within MAX_DOCUMENT_BYTES, random stored names, files
removed again when the transaction rolls back. Services flush, never commit.

Who sees what: photos and the logo are public on the catalogue page once the group is verified (before that,
the group and staff only); documents are for staff and the group itself only, never public, never in the
API to others, never named in logs or the audit trail (the audit row names the kind and the file id).

Logo protection: a logo's *difference hash* (the decoded image in grey at 9×8 pixels; 64 bits, each "is
this pixel brighter than its right neighbour") is kept. A new logo whose hash differs from another group's
in at most LOGO_CLASH_BITS bits is refused: re-encoding, resizing or a JPEG copy of a logo changes a few bits
at most, a different logo about half of them. Staff can remove a logo that slipped through.
"""
from __future__ import annotations

import io
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import select

from gandeng.accounts.policies import is_staff
from gandeng.audit.services import record
from gandeng.db import utcnow
from gandeng.errors import DomainError, NotAllowed
from gandeng.nglarisi.models import DOCUMENT_KINDS, PUBLIC_KINDS, FileKind, Group, GroupFile, GroupStatus
from gandeng.nglarisi.services import can_edit_group, group_of

FOLDER = "nglarisi"
FIELD = "file"
MAX_PHOTOS = 6
LOGO_CLASH_BITS = 6


def _uploads():
    from gandeng import uploads  # Pillow is loaded inside, on the upload path only

    return uploads


def logo_key(data: bytes) -> str:
    """The difference hash of an image (16 hex digits): equal for the same logo re-encoded or resized."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        grey = image.convert("L").resize((9, 8), Image.Resampling.LANCZOS)
        pixels = list(grey.tobytes())  # mode L: one byte per pixel, row by row
    bits = 0
    for row in range(8):
        for col in range(8):
            bits = (bits << 1) | (pixels[row * 9 + col] > pixels[row * 9 + col + 1])
    return f"{bits:016x}"


def _distance(a: str, b: str) -> int:
    return bin(int(a, 16) ^ int(b, 16)).count("1")


def check_logo(session, group: Group, key: str) -> None:
    """A DomainError when another group's logo is (nearly) the same picture."""
    for other_key in session.scalars(select(GroupFile.image_key).where(
            GroupFile.kind == FileKind.LOGO, GroupFile.group_id != group.id, GroupFile.image_key.is_not(None))):
        if _distance(key, other_key) <= LOGO_CLASH_BITS:
            raise DomainError(_("Logo ini sama dengan logo kelompok lain. Nama dan logo sebuah kelompok tidak boleh "
                                "dipakai akun lain. Bila ini memang logo kelompok Anda, hubungi petugas kota."), FIELD)


def file_path(item: GroupFile) -> Path:
    return _uploads().stored_path(FOLDER, item.stored_name)


def _remove(session, item: GroupFile) -> None:
    _uploads().remove_after_commit(session, file_path(item))
    item.group.files.remove(item)  # delete-orphan: the row goes at flush, the file once committed


def add_file(session, actor, group: Group, kind: str, upload, caption: str = "") -> GroupFile:
    """One photo (at most MAX_PHOTOS), the logo or a document of the group; a new logo or a document of a
    kind already there replaces the old one. A DomainError says what is wrong; nothing is kept then."""
    uploads = _uploads()
    if not can_edit_group(session, actor, group):
        raise NotAllowed(_("Anda tidak dapat mengubah kelompok ini."))
    if kind not in set(FileKind):
        raise DomainError(_("Pilih jenis berkas."), "kind")
    chosen = uploads.chosen_files([upload])
    if not chosen:
        raise DomainError(_("Pilih berkas yang akan diunggah."), FIELD)
    if kind == FileKind.PHOTO and len(group.photos) >= MAX_PHOTOS:
        raise DomainError(_("Paling banyak %(n)d foto produk. Hapus satu foto dulu.", n=MAX_PHOTOS), FIELD)
    allowed = uploads.PHOTOS if kind in PUBLIC_KINDS else uploads.PHOTOS_AND_PDF
    (prepared,) = uploads.prepare_uploads(chosen, allowed=allowed, field=FIELD)
    key = logo_key(prepared.data) if kind == FileKind.LOGO else None
    if key is not None:
        check_logo(session, group, key)
    caption = " ".join((caption or "").split())[:200] if kind == FileKind.PHOTO else ""
    if caption and caption not in {item.name for item in group.menu}:
        raise DomainError(_("Pilih menu dari daftar."), "caption")
    if kind != FileKind.PHOTO:
        for old in [f for f in group.files if f.kind == kind]:
            _remove(session, old)
    (stored,) = uploads.write_files(session, uploads.upload_folder(FOLDER, FIELD), [prepared], FIELD)
    item = GroupFile(kind=kind, caption=caption, stored_name=stored, original_name=prepared.original_name,
                     content_type=prepared.content_type, size=len(prepared.data), image_key=key,
                     uploaded_by_id=getattr(actor, "id", None), created_at=utcnow())
    group.files.append(item)
    session.flush()
    record(session, actor, "nglarisi.file_add", group, after={"kind": kind, "file_id": item.id})
    return item


def delete_file(session, actor, item: GroupFile) -> None:
    if not can_edit_group(session, actor, item.group):
        raise NotAllowed(_("Anda tidak dapat mengubah kelompok ini."))
    record(session, actor, "nglarisi.file_delete", item.group, before={"kind": item.kind, "file_id": item.id})
    _remove(session, item)
    session.flush()


def mark_checked(session, actor, item: GroupFile) -> None:
    """Staff have looked at a document and found it in order (curation)."""
    if not is_staff(actor):
        raise NotAllowed(_("Hanya petugas kota yang dapat melakukan ini."))
    if item.kind not in DOCUMENT_KINDS:
        raise DomainError(_("Hanya dokumen yang diperiksa."), "kind")
    item.checked_at, item.checked_by_id = utcnow(), actor.id
    session.flush()
    record(session, actor, "nglarisi.document_checked", item.group, after={"kind": item.kind, "file_id": item.id})


def is_public(item: GroupFile) -> bool:
    return item.kind in PUBLIC_KINDS and item.group.status == GroupStatus.VERIFIED


def can_view(session, user, item: GroupFile) -> bool:
    """Photos and logo of a verified group: everyone. Anything else: staff and the group's own account."""
    if is_public(item):
        return True
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if is_staff(user):
        return True
    own = group_of(session, user)
    return own is not None and own.id == item.group_id

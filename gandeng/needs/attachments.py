"""Photos and documents of needs: checked, cleaned and stored through gandeng.uploads."""
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import func, select

from gandeng.audit.services import record
from gandeng.errors import DomainError, NotAllowed
from gandeng.needs import policies
from gandeng.needs.models import Need, NeedAttachment
from gandeng.uploads import (  # noqa: F401  (re-exported: the checks used to live here)
    EXTENSION, FIELD, JPEG, MAGIC, MAX_PIXELS, MAX_SIDE, PDF, PILLOW_FORMAT, PNG, PreparedFile,
    chosen_files, clean_image, clean_original_name, prepare_upload, prepare_uploads, remove_after_commit,
    sniff_content_type, stored_path, upload_folder, write_files,
)

MAX_PER_NEED = 20
FOLDER = "needs"


def upload_dir() -> Path:
    """The folder of need attachments (created when missing); outside static/, served by a view."""
    return upload_folder(FOLDER)


def attachment_path(attachment: NeedAttachment) -> Path:
    return stored_path(FOLDER, attachment.stored_name)


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
    uploads = chosen_files(uploads)
    if not uploads:
        raise DomainError(_("Pilih satu berkas atau lebih."), FIELD)
    _check_room(session, need, len(uploads))
    return add_prepared(session, actor, need, prepare_uploads(uploads))


def _check_room(session, need: Need, adding: int) -> None:
    existing = session.scalar(select(func.count(NeedAttachment.id)).where(NeedAttachment.need_id == need.id)) or 0
    if existing + adding > MAX_PER_NEED:
        raise DomainError(_("Paling banyak %(n)d lampiran per kebutuhan.", n=MAX_PER_NEED), FIELD)


def add_prepared(session, actor, need: Need, prepared: list[PreparedFile]) -> list[NeedAttachment]:
    """Store files already checked and cleaned (gandeng.uploads.prepare_upload, or kept pending by a
    form that came back with errors) as attachments of `need`; written files disappear again if
    the transaction rolls back."""
    if actor is not None and not policies.can_manage_attachments(actor, need):
        raise NotAllowed(_("Lampiran kebutuhan ini tidak dapat diubah sekarang."))
    _check_room(session, need, len(prepared))
    names = write_files(session, upload_dir(), prepared)
    created = [
        NeedAttachment(
            need=need, stored_name=stored, original_name=item.original_name,
            content_type=item.content_type, size=len(item.data),
            uploaded_by_id=getattr(actor, "id", None),
        )
        for stored, item in zip(names, prepared)
    ]
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
    remove_after_commit(session, attachment_path(attachment))
    before = {"attachment_id": attachment.id, "content_type": attachment.content_type}
    need.attachments.remove(attachment)  # delete-orphan: the row goes at flush
    session.flush()
    record(session, actor, "need.attachment_delete", need, before=before)

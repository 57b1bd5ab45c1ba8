"""Files a form accepted while the rest of it came back with errors: kept (already checked and
cleaned) under UPLOAD_DIR/pending and named in the re-shown form by a signed token, so the user
never has to choose the same photo again. A token is bound to its user and expires after two days;
files nobody came back for are swept away."""
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer

from gandeng.errors import DomainError
from gandeng.uploads import (
    EXTENSION, FIELD, PHOTOS_AND_PDF, PILLOW_FORMAT, PreparedFile, chosen_files, prepare_upload, read_upload,
    remove_after_commit, upload_folder,
)

FOLDER = "pending"
MAX_AGE_SECONDS = 2 * 24 * 3600
_SALT = "gandeng.pending-upload"
_STORED_NAME = re.compile(r"[A-Za-z0-9_-]{20,64}\.(jpg|png|pdf)")


@dataclass(frozen=True)
class PendingFile:
    """A kept upload: what the re-shown form sends back (`token`) and what the page shows."""

    token: str
    stored_name: str
    original_name: str
    content_type: str
    size: int

    @property
    def is_image(self) -> bool:
        return self.content_type in PILLOW_FORMAT


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=_SALT)


def _path(stored_name: str) -> Path:
    return Path(current_app.config["UPLOAD_DIR"]) / FOLDER / stored_name


def keep(prepared: PreparedFile, owner_id: int, field: str = FIELD) -> PendingFile:
    """Write a checked upload to the pending folder; the token names it for `owner_id` only."""
    folder = upload_folder(FOLDER)
    _sweep(folder)
    stored = secrets.token_urlsafe(24) + EXTENSION[prepared.content_type]
    try:
        with open(folder / stored, "xb") as out:
            out.write(prepared.data)
    except OSError as exc:
        raise DomainError(_("Berkas tidak dapat disimpan. Coba lagi nanti."), field) from exc
    token = _serializer().dumps({"s": stored, "n": prepared.original_name, "t": prepared.content_type,
                                 "u": owner_id})
    return PendingFile(token, stored, prepared.original_name, prepared.content_type, len(prepared.data))


def load(token: str, owner_id: int) -> PendingFile | None:
    """The pending file a token names, if the token is genuine, recent, the user's and the file is there."""
    try:
        value = _serializer().loads(token, max_age=MAX_AGE_SECONDS)
    except BadSignature:
        return None
    if not isinstance(value, dict) or value.get("u") != owner_id:
        return None
    stored = str(value.get("s", ""))
    if not _STORED_NAME.fullmatch(stored) or value.get("t") not in PHOTOS_AND_PDF:
        return None
    path = _path(stored)
    if not path.is_file():
        return None
    return PendingFile(token, stored, str(value.get("n") or "lampiran"), value["t"], path.stat().st_size)


def read(pending: PendingFile) -> PreparedFile:
    """The kept file's content, ready to be stored for good (it was checked when it arrived)."""
    return PreparedFile(pending.original_name, pending.content_type, _path(pending.stored_name).read_bytes())


def path_of(pending: PendingFile) -> Path:
    return _path(pending.stored_name)


def discard_after_commit(session, pending: PendingFile) -> None:
    """Remove the pending copy once the transaction that stored the file for good commits."""
    remove_after_commit(session, _path(pending.stored_name))


def collect(tokens, uploads, owner_id: int, field: str = FIELD) -> tuple[list[PendingFile], list[str]]:
    """The files of one form submission: those kept from earlier rounds (`tokens`) and the new
    `uploads`, each checked on its own: every good one is kept, every bad one gives its message
    (so all file errors show in one round, next to the other fields' errors)."""
    kept, seen = [], set()
    for token in tokens:
        pending = load(token, owner_id)
        if pending is not None and pending.stored_name not in seen:
            seen.add(pending.stored_name)
            kept.append(pending)
    errors = []
    max_bytes = current_app.config["MAX_UPLOAD_BYTES"]
    documents = current_app.config.get("MAX_DOCUMENT_BYTES")
    for upload in chosen_files(uploads):
        try:
            prepared = prepare_upload(upload.filename, read_upload(upload, max_bytes), max_bytes,
                                      PHOTOS_AND_PDF, field, documents)
            kept.append(keep(prepared, owner_id, field))
        except DomainError as error:
            errors.append(error.message)
    return kept, errors


def _sweep(folder: Path) -> None:
    """Forget pending files older than their tokens (nobody can claim them any more)."""
    limit = time.time() - MAX_AGE_SECONDS
    for path in folder.iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < limit:
                path.unlink(missing_ok=True)
        except OSError:
            continue  # another worker swept it first

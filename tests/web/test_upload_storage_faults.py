"""Upload storage that fails (folder missing and not creatable, read-only, disk full, no permission):
the form comes back with the message and everything typed, nothing is saved or left half-written,
and the same form goes through once the storage is back."""
import contextlib
import errno
import os
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from gandeng import uploads
from gandeng.collaborations.models import ProgressReport
from gandeng.db import db
from gandeng.needs.models import Need, NeedAttachment
from tests import factories as f
from tests.conftest import login

MESSAGE = "Berkas tidak dapat disimpan. Coba lagi nanti."
FORM = {
    "category": "sanitation", "title": "Septic tank komunal RT 07", "description": "Untuk 8 KK di tepi kali.",
    "cost_rp": "12.000.000", "urgency": "sedang", "households": "8", "kms_households": "3",
}


@contextlib.contextmanager
def unwritable(path: Path):
    """`path` refuses new entries for real: mode 0555 for an ordinary user; root ignores modes, so
    for root the folder is made immutable (chattr +i) instead. Restored on the way out."""
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i", str(path)], check=True)
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(path)], check=True)
    else:
        path.chmod(0o555)
        try:
            yield
        finally:
            path.chmod(0o755)


class _FillsTheDisk:
    """A file object that writes part of the data and then meets a full disk (ENOSPC)."""

    def __init__(self, real):
        self.real = real

    def write(self, data):
        self.real.write(data[: len(data) // 2])
        self.real.flush()
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.real.close()


@contextlib.contextmanager
def fault(kind: str, root: Path, folder: str, monkeypatch):
    """Storage under `root` broken in the way `kind` names, for the duration of the block."""
    root.mkdir(parents=True, exist_ok=True)
    if kind == "root read-only, folder missing":
        with unwritable(root):
            yield
    elif kind == "folder read-only":
        (root / folder).mkdir(exist_ok=True)
        with unwritable(root / folder):
            yield
    elif kind == "root is a file":  # a mistyped UPLOAD_DIR pointing at a file
        root.rmdir()
        root.write_bytes(b"not a folder")
        try:
            yield
        finally:
            root.unlink()
            root.mkdir()
    elif kind == "disk full":
        # Filling a real disk is not possible in a test: the file is really created and half
        # written, then the write fails as it does when the disk is full.
        monkeypatch.setattr(uploads, "open", lambda path, mode: _FillsTheDisk(open(path, mode)), raising=False)
        yield
        monkeypatch.undo()
    else:
        raise AssertionError(kind)


KINDS = ["root read-only, folder missing", "folder read-only", "root is a file", "disk full"]


def _files_under(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.is_dir() else []


def _count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


@pytest.mark.parametrize("kind", KINDS)
def test_need_form_with_photo_survives_a_storage_fault_and_keeps_what_was_typed(app, client, session, kind,
                                                                                 monkeypatch):
    coordinator = f.make_coordinator(session, kampung=f.make_kampung(session, "Kampung Anggrek"))
    session.commit()
    login(client, coordinator)
    root = Path(app.config["UPLOAD_DIR"])

    def post():
        return client.post("/needs/new", data={**FORM, "files": [f.upload(f.png_bytes(), "atap.png")]},
                           content_type="multipart/form-data")

    with fault(kind, root, "needs", monkeypatch):
        response = post()
        assert response.status_code == 200
        assert MESSAGE in response.text
        assert 'value="Septic tank komunal RT 07"' in response.text
        assert "Untuk 8 KK di tepi kali." in response.text and 'value="12.000.000"' in response.text
        assert _count(Need) == 0 and _count(NeedAttachment) == 0
    # Nothing half-written left behind. A photo the form keeps for the next try (pending uploads,
    # when that folder is still writable) is a whole file, not a half-written one.
    assert [p for p in _files_under(root) if p.parent != root / "pending"] == []
    for kept in _files_under(root / "pending"):
        assert Image.open(kept).verify() is None

    response = post()  # storage back: the same form goes through, no operator needed
    assert response.status_code == 302
    assert _count(Need) == 1 and _count(NeedAttachment) == 1 and len(_files_under(root / "needs")) == 1


@pytest.mark.parametrize("kind", KINDS)
def test_progress_report_with_photo_survives_a_storage_fault(app, client, session, kind, monkeypatch):
    collaboration = f.make_collaboration(session, status="in_progress")
    partner = f.make_partner(session, organisation=collaboration.offer.organisation)
    session.commit()
    login(client, partner)
    root = Path(app.config["UPLOAD_DIR"])

    def post():
        return client.post(f"/collaborations/{collaboration.id}/progress", data={
            "percent": "45", "text": "Galian septic tank selesai.", "realised_rp": "2.000.000",
            "photos": [f.upload(f.png_bytes(), "galian.png")]}, content_type="multipart/form-data")

    with fault(kind, root, "progress", monkeypatch):
        response = post()
        assert response.status_code == 422
        assert MESSAGE in response.text and "Galian septic tank selesai." in response.text
        assert _count(ProgressReport) == 0
    assert _files_under(root) == []

    assert post().status_code == 302
    assert _count(ProgressReport) == 1


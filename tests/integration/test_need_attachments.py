"""The attachment service: all-or-nothing storage that follows the database transaction."""
from pathlib import Path

import pytest

from gandeng.audit.services import history
from gandeng.errors import DomainError, NotAllowed
from gandeng.needs import attachments
from gandeng.needs.models import NeedAttachment, NeedStatus
from tests import factories as f


def _files(app):
    folder = Path(app.config["UPLOAD_DIR"]) / "needs"
    return sorted(folder.iterdir()) if folder.exists() else []


def test_files_written_in_a_rolled_back_transaction_are_removed(app, session):
    need = f.make_need(session, status=NeedStatus.DRAFT)
    session.commit()
    attachments.add_attachments(session, None, need, [f.upload(f.png_bytes(), "a.png")])
    assert len(_files(app)) == 1
    session.rollback()
    assert _files(app) == []


def test_deleted_attachment_keeps_its_file_until_commit(app, session):
    need = f.make_need(session, status=NeedStatus.DRAFT)
    attachment = f.make_attachment(session, need)
    session.commit()
    path = attachments.attachment_path(attachment)
    attachments.delete_attachment(session, None, attachment)
    assert path.is_file()  # a rollback now must still find it
    session.rollback()
    assert path.is_file() and session.get(NeedAttachment, attachment.id) is not None
    attachments.delete_attachment(session, None, session.get(NeedAttachment, attachment.id))
    session.commit()
    assert not path.exists()


def test_one_bad_file_stores_none_of_the_batch(app, session):
    need = f.make_need(session, status=NeedStatus.DRAFT)
    with pytest.raises(DomainError):
        attachments.add_attachments(session, None, need, [
            f.upload(f.png_bytes(), "a.png"), f.upload(b"GIF89a....", "b.gif"),
        ])
    assert _files(app) == [] and need.attachments == []


def test_upload_records_an_audit_row_without_the_file_name(session):
    need = f.make_need(session, status=NeedStatus.DRAFT)
    f.make_attachment(session, need, f.pdf_bytes(), "KK Bu Sarinah.pdf")
    event = history(session, need)[-1]
    assert event.action == "need.attachment_add"
    assert "Sarinah" not in repr((event.before, event.after, event.note))


def test_partner_may_not_attach_files(session):
    need = f.make_need(session)
    with pytest.raises(NotAllowed):
        attachments.add_attachments(session, f.make_partner(session), need, [f.upload(f.png_bytes(), "a.png")])


def test_a_need_holds_at_most_twenty_attachments(session):
    need = f.make_need(session, status=NeedStatus.DRAFT)
    attachments.add_attachments(session, None, need, [f.upload(f.png_bytes(), f"{n}.png") for n in range(20)])
    with pytest.raises(DomainError, match="Paling banyak 20"):
        f.make_attachment(session, need)


def test_upload_limit_follows_the_setting(app, session):
    app.config["MAX_UPLOAD_BYTES"] = 100
    need = f.make_need(session, status=NeedStatus.DRAFT)
    with pytest.raises(DomainError, match="lebih dari"):
        f.make_attachment(session, need, f.pdf_bytes() + b"%" * 200, "besar.pdf")

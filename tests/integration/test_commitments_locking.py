"""SQLite: an approval holds the database's write lock from before its first read (BEGIN IMMEDIATE),
while ordinary reads take no lock at all, so browsing never queues behind approvals."""
import sqlite3

import pytest
from sqlalchemy import event, select

from gandeng.collaborations import services
from gandeng.db import db
from gandeng.needs.models import Need
from gandeng.proposals import decisions
from gandeng.transactions import begin_write, is_write_locked, write_transaction
from tests import factories as f
from tests.conftest import make_app


@pytest.fixture
def sqlite_app(tmp_path, template_db):
    app = make_app(tmp_path, template_db)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def _other_writer_is_blocked(app) -> bool:
    """Whether a second connection to the same file cannot take the write lock right now."""
    path = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    other = sqlite3.connect(path, timeout=0.05, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as error:
        assert "locked" in str(error)
        return True
    else:
        other.execute("ROLLBACK")
        return False
    finally:
        other.close()


def test_reading_takes_no_write_lock(sqlite_app):
    f.make_need(db.session)
    db.session.commit()
    db.session.scalars(select(Need)).all()
    assert not _other_writer_is_blocked(sqlite_app)


def test_begin_write_takes_the_lock_before_any_read_and_commit_releases_it(sqlite_app):
    begin_write(db.session)
    assert is_write_locked(db.session)
    assert _other_writer_is_blocked(sqlite_app)
    db.session.commit()
    assert not _other_writer_is_blocked(sqlite_app)


def test_write_transaction_rolls_back_and_releases_the_lock_on_error(sqlite_app):
    with pytest.raises(RuntimeError):
        with write_transaction(db.session):
            assert _other_writer_is_blocked(sqlite_app)
            raise RuntimeError("boom")
    assert not _other_writer_is_blocked(sqlite_app)


def test_approval_holds_the_write_lock_until_the_view_commits(sqlite_app):
    staff, need, offer = f.make_staff(db.session), f.make_need(db.session), f.make_offer(db.session)
    proposal = f.proposal_for(db.session, need, offer, 1_000_000)
    db.session.commit()
    db.session.scalars(select(Need)).all()  # a read before the approval, as a view's loading does
    assert not _other_writer_is_blocked(sqlite_app)

    services.approve_proposal(db.session, staff, proposal)
    assert _other_writer_is_blocked(sqlite_app)
    db.session.commit()
    assert not _other_writer_is_blocked(sqlite_app)


def test_approval_reads_offer_and_need_only_inside_the_write_transaction(sqlite_app):
    staff, need, offer = f.make_staff(db.session), f.make_need(db.session), f.make_offer(db.session)
    proposal = f.proposal_for(db.session, need, offer, 1_000_000)
    db.session.commit()
    seen = []

    def watch(conn, cursor, statement, parameters, context, executemany):
        reads_money = "FROM offers" in statement or "FROM needs" in statement
        if statement.lstrip().upper().startswith("SELECT") and reads_money:
            seen.append(conn.connection.dbapi_connection.in_transaction)

    event.listen(db.engine, "before_cursor_execute", watch)
    try:
        services.approve_proposal(db.session, staff, proposal)
    finally:
        event.remove(db.engine, "before_cursor_execute", watch)
    db.session.commit()
    assert seen and all(seen), "offer or need read before the write lock was taken"


def test_refused_approval_keeps_the_lock_so_the_stale_mark_is_written_in_the_same_transaction(sqlite_app):
    staff, offer = f.make_staff(db.session), f.make_offer(db.session, capacity_rp=1_000_000)
    proposal = f.proposal_for(db.session, f.make_need(db.session), offer, 2_000_000)
    db.session.commit()
    with pytest.raises(services.StaleProposal) as refused:
        services.approve_proposal(db.session, staff, proposal)
    assert _other_writer_is_blocked(sqlite_app)
    decisions.mark_stale(db.session, staff, proposal, refused.value.message)
    db.session.commit()
    db.session.expire_all()
    assert proposal.status == "stale"


def test_one_approve_decision_marks_stale_under_the_lock_it_still_holds(sqlite_app):
    """gandeng.proposals.decisions.approve, used by the approve button, the review queue and the API:
    the stale mark is written before the caller commits, with no rollback that would drop the lock."""
    staff, offer = f.make_staff(db.session), f.make_offer(db.session, capacity_rp=1_000_000)
    proposal = f.proposal_for(db.session, f.make_need(db.session), offer, 2_000_000)
    db.session.commit()
    with pytest.raises(decisions.StaleProposal):
        decisions.approve(db.session, staff, proposal)
    assert proposal.status == "stale"
    assert _other_writer_is_blocked(sqlite_app)  # still one transaction: nobody slipped in between
    db.session.commit()
    db.session.expire_all()
    assert proposal.status == "stale"

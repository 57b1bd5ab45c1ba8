"""Approving while a matching run replaces the proposals. On PostgreSQL a run holds the open
proposals it supersedes from the start of its engine to its commit (storing.CopyStream): an
approval of one of them waits a moment at most, then says a run is replacing it and changes
nothing; once the run is done, the old proposal says it was replaced."""
import pytest
from sqlalchemy import func, select, update

from gandeng.collaborations import services
from gandeng.collaborations.models import Commitment
from gandeng.db import db
from gandeng.errors import Conflict
from gandeng.proposals import decisions, jobs
from gandeng.proposals.models import Proposal, ProposalStatus, RunStatus
from tests import factories as f
from tests.api.helpers import as_user
from tests.conftest import login, postgresql_only


def _open_proposal(session):
    staff = f.make_staff(session)
    f.make_latrine_pair(session)
    session.commit()
    assert jobs.run_now(session, staff).status == RunStatus.DONE
    [proposal] = session.scalars(select(Proposal).where(Proposal.status == ProposalStatus.PROPOSED))
    return staff, proposal


def test_a_proposal_a_newer_run_replaced_says_so_when_approved(app, session):
    staff, old = _open_proposal(session)
    assert jobs.run_now(session, staff).status == RunStatus.DONE
    session.refresh(old)
    assert old.status == ProposalStatus.SUPERSEDED
    with pytest.raises(Conflict, match="sudah diganti oleh hasil pencocokan yang lebih baru"):
        decisions.approve(session, staff, old)
    session.rollback()
    assert session.scalar(select(func.count(Commitment.id))) == 0


@postgresql_only("row locks and lock_timeout; SQLite stores a run at its end under its one write lock")
def test_an_approval_waits_a_moment_for_the_run_replacing_the_proposal_then_says_so(app, client, session,
                                                                                     monkeypatch):
    staff, proposal = _open_proposal(session)
    headers = as_user(session, staff)
    monkeypatch.setattr(services, "PROPOSAL_WAIT_S", 0.3)
    with db.engine.connect() as run:  # what a run's storing transaction holds while its engine works
        run.execute(update(Proposal).where(Proposal.status == ProposalStatus.PROPOSED)
                    .values(status=ProposalStatus.SUPERSEDED))
        with pytest.raises(decisions.ProposalBusy, match="sedang menyimpan usulan"):
            decisions.approve(session, staff, proposal)
        session.rollback()
        answer = client.post(f"/api/v1/proposals/{proposal.id}/approve", headers=headers)
        assert answer.status_code == 409 and answer.json["error"]["code"] == "proposal_busy"
        run.commit()
    answer = client.post(f"/api/v1/proposals/{proposal.id}/approve", headers=headers)
    assert answer.status_code == 409 and answer.json["error"]["code"] == "conflict"
    assert "sudah diganti" in answer.json["error"]["message"]
    session.expire_all()
    assert session.scalar(select(func.count(Commitment.id))) == 0
    assert session.get(Proposal, proposal.id).status == ProposalStatus.SUPERSEDED


@postgresql_only("row locks and lock_timeout; SQLite stores a run at its end under its one write lock")
def test_approving_several_stops_at_the_first_the_run_holds_and_says_how_many_wait(app, client, session,
                                                                                   monkeypatch):
    staff, proposal = _open_proposal(session)
    second = f.make_need(session, title="Kakus RT 05", cost_rp=8_000_000,
                         description="Dua keluarga belum punya kakus sehat.")
    session.commit()
    assert jobs.run_now(session, staff).status == RunStatus.DONE
    ids = list(session.scalars(select(Proposal.id).where(Proposal.status == ProposalStatus.PROPOSED)))
    assert len(ids) == 2 and second.id
    login(client, staff)
    monkeypatch.setattr(services, "PROPOSAL_WAIT_S", 0.3)
    with db.engine.connect() as run:
        run.execute(update(Proposal).where(Proposal.status == ProposalStatus.PROPOSED)
                    .values(status=ProposalStatus.SUPERSEDED))
        page = client.post("/review/approve-selected", data={"proposal_ids": [str(i) for i in ids]},
                           follow_redirects=True)
        run.rollback()
    assert "2 usulan belum disetujui" in page.text and "sedang menyimpan usulan" in page.text
    session.expire_all()
    assert session.scalar(select(func.count(Commitment.id))) == 0


@postgresql_only("row locks and lock_timeout; SQLite stores a run at its end under its one write lock")
def test_rejecting_or_switching_waits_a_moment_for_the_run_replacing_the_proposal_then_says_so(app, session,
                                                                                               monkeypatch):
    from gandeng.proposals.alternatives import switch_to_alternative

    staff, proposal = _open_proposal(session)
    monkeypatch.setattr(services, "PROPOSAL_WAIT_S", 0.3)
    with db.engine.connect() as run:
        run.execute(update(Proposal).where(Proposal.status == ProposalStatus.PROPOSED)
                    .values(status=ProposalStatus.SUPERSEDED))
        with pytest.raises(decisions.ProposalBusy):
            decisions.reject(session, staff, proposal, "Sudah ditangani kelurahan.")
        session.rollback()
        with pytest.raises(decisions.ProposalBusy):
            switch_to_alternative(session, staff, proposal, offer_id=proposal.offer_id + 1)
        session.rollback()
        run.commit()
    with pytest.raises(Conflict, match="sudah diganti"):  # the run's commit: it was replaced, not rejected
        decisions.reject(session, staff, proposal, "Sudah ditangani kelurahan.")
    session.rollback()
    assert session.get(Proposal, proposal.id).status == ProposalStatus.SUPERSEDED


@postgresql_only("lock_timeout is PostgreSQL's")
def test_a_bounded_lock_sets_the_transaction_s_own_lock_timeout_back(app, session):
    from sqlalchemy import text

    from gandeng.transactions import locked

    staff, proposal = _open_proposal(session)
    session.execute(text("SET LOCAL lock_timeout = '7s'"))
    assert locked(session, Proposal, proposal.id, wait_s=0.3).id == proposal.id
    assert session.execute(text("SHOW lock_timeout")).scalar_one() == "7s"
    session.rollback()

"""A run's proposals stored in bulk (gandeng/proposals/storing.py: COPY on PostgreSQL, block by block
while the engine explains) keep every value, a need's alternatives on each of its proposals among them
(encoded once per need); a failure at any point stores none and leaves the run before open."""
from datetime import datetime

from sqlalchemy import select

from gandeng.proposals import jobs, storing
from gandeng.proposals.models import Proposal, ProposalStatus, RunStatus
from tests import factories as f


def test_each_proposal_keeps_its_own_need_s_alternatives(session):
    first, second = f.make_need(session, title="Jamban RT 01"), f.make_need(session, title="Jamban RT 02")
    offers = [f.make_offer(session, title=f"Dana {n}") for n in range(3)]
    shared = [{"offer_id": offers[2].id, "score": 0.4, "breakdown": {"text": 0.1}, "reasons": [], "lost": []}]
    own = [{"offer_id": offers[0].id, "score": 0.3, "breakdown": {}, "reasons": [{"code": "x"}], "lost": []}]
    rows = [
        (None, first.id, offers[0].id, 1_000_000, 0.9, {"text": 0.5}, [{"code": "kategori"}], "proposed", "",
         datetime(2026, 12, 6, 10), shared),
        (None, first.id, offers[1].id, 500_000, 0.8, {"text": 0.4}, [], "proposed", "", datetime(2026, 12, 6, 10),
         shared),
        (None, second.id, offers[1].id, 700_000, 0.7, {"text": 0.3}, [], "proposed", "", datetime(2026, 12, 6, 10),
         own),
    ]
    storing.insert_proposals(session, rows)
    session.expire_all()
    stored = {(p.need_id, p.offer_id): p for p in session.scalars(select(Proposal))}
    assert stored[(first.id, offers[0].id)].alternatives == shared
    assert stored[(first.id, offers[1].id)].alternatives == shared
    assert stored[(second.id, offers[1].id)].alternatives == own
    assert stored[(first.id, offers[0].id)].reasons == [{"code": "kategori"}]
    assert stored[(second.id, offers[1].id)].amount_rp == 700_000


# A run stores while the engine explains (PostgreSQL: storing.CopyStream, a COPY per block of needs;
# SQLite: all at the end). EXPLAIN_BLOCK = 1 makes each need a block of its own.

def _three_needs_and_a_run_before(session, monkeypatch):
    from gandeng.matching import engine

    monkeypatch.setattr(engine, "EXPLAIN_BLOCK", 1)
    staff = f.make_staff(session)
    needs = [f.make_need(session, title=f"Kakus dan septictank RT 0{n}", cost_rp=6_000_000 + n * 1_000_000,
                         description="Keluarga belum punya kakus sehat dan septictank.") for n in range(1, 4)]
    offers = [f.make_offer(session, title=f"CSR jamban sehat {n}", capacity_rp=30_000_000,
                           description="Pembangunan jamban sehat dan tangki septik.") for n in range(2)]
    session.commit()
    before = jobs.run_now(session, staff)
    assert before.status == RunStatus.DONE, before.error
    return staff, needs, offers, before


def _count_copies(monkeypatch) -> list:
    """The COPYs the storing thread sends (PostgreSQL), one entry each."""
    sent = []
    real = storing.copy_data

    def counted(data, connection):
        sent.append(len(data))
        real(data, connection)

    monkeypatch.setattr(storing, "copy_data", counted)
    return sent


def _of_run(session, run_id):
    session.expire_all()
    return list(session.scalars(select(Proposal).where(Proposal.run_id == run_id).order_by(Proposal.id)))


def test_a_run_stored_block_by_block_keeps_every_value_and_supersedes_the_run_before(session, backend, monkeypatch):
    from gandeng import matching

    staff, needs, offers, before = _three_needs_and_a_run_before(session, monkeypatch)
    results = []
    real = matching.run_matching

    def kept(*args, **kwargs):
        results.append(real(*args, **kwargs))
        return results[-1]

    monkeypatch.setattr(matching, "run_matching", kept)
    copies = _count_copies(monkeypatch)
    run = jobs.run_now(session, staff)
    assert run.status == RunStatus.DONE, run.error
    [result] = results
    assert len(copies) == (3 if backend == "postgresql" else 0)  # PostgreSQL: a COPY per need
    expected = storing.proposal_rows(run.id, result.proposals, matching.BREAKDOWN_KEYS, None,
                                     storing.alternatives_by_need(result.alternatives))
    stored = _of_run(session, run.id)
    assert len({p.need_id for p in stored}) == 3
    assert [(p.need_id, p.offer_id, p.amount_rp, p.score, p.breakdown, p.reasons, p.alternatives, p.status)
            for p in stored] == [(row[1], row[2], row[3], row[4], row[5], row[6], row[10], ProposalStatus.PROPOSED)
                                 for row in expected]
    assert run.counts["proposals"] == len(stored) and run.proposed_rp == sum(p.amount_rp for p in stored)
    assert {p.status for p in _of_run(session, before.id)} == {ProposalStatus.SUPERSEDED}
    assert list(run.counts["stage_seconds"]) == ["loading", "matching", "storing"]


def test_a_run_failing_after_blocks_were_stored_leaves_none_and_the_run_before_open(session, backend, monkeypatch):
    from gandeng.matching import engine

    staff, needs, offers, before = _three_needs_and_a_run_before(session, monkeypatch)

    def broken(*args):
        raise RuntimeError("the engine broke after explaining")

    monkeypatch.setattr(engine, "unmatched_offers", broken)  # called after every block was handed over
    copies = _count_copies(monkeypatch)
    run = jobs.run_now(session, staff)
    assert run.status == RunStatus.FAILED and "the engine broke" in run.error
    assert len(copies) <= 3 and (backend == "sqlite" or copies)  # PostgreSQL: blocks were on their way
    assert _of_run(session, run.id) == []
    assert {p.status for p in _of_run(session, before.id)} == {ProposalStatus.PROPOSED}


def test_a_block_the_database_refuses_fails_the_run_and_stores_nothing(session, monkeypatch):
    staff, needs, offers, before = _three_needs_and_a_run_before(session, monkeypatch)
    real = storing.proposal_rows

    def second_need_invalid(*args, **kwargs):  # PostgreSQL: the second block; SQLite: the one insert
        return [(*row[:3], 0, *row[4:]) if row[1] == needs[1].id else row for row in real(*args, **kwargs)]

    monkeypatch.setattr(storing, "proposal_rows", second_need_invalid)
    run = jobs.run_now(session, staff)
    assert run.status == RunStatus.FAILED and "amount_positive" in run.error
    assert _of_run(session, run.id) == []
    assert {p.status for p in _of_run(session, before.id)} == {ProposalStatus.PROPOSED}


def test_a_run_failing_after_the_engine_is_done_leaves_none_and_the_run_before_open(session, monkeypatch):
    from gandeng.proposals import runs

    staff, needs, offers, before = _three_needs_and_a_run_before(session, monkeypatch)

    def broken(*args, **kwargs):
        raise RuntimeError("the page's stage could not be written")

    monkeypatch.setattr(runs, "_mark_stage", broken)  # between the engine and the end of storing
    run = jobs.run_now(session, staff)
    assert run.status == RunStatus.FAILED and "could not be written" in run.error
    assert _of_run(session, run.id) == []
    assert {p.status for p in _of_run(session, before.id)} == {ProposalStatus.PROPOSED}


def test_text_that_copy_would_misread_is_stored_as_written(session):
    need, offer = f.make_latrine_pair(session)
    awkward = {"code": "keywords", "params": {"words": ["a\\b", "tab\there", "baris\nbaru", "\"kutip\"", "kéju ñ 日本"],
                                            "path": "C:\\new\\table"}, "negative": False}
    rows = [(None, need.id, offer.id, 1_000_000, 0.25, {"text": 1e-05}, [awkward], "proposed", "tab\tand\\slash",
             datetime(2026, 12, 7, 8, 30, 15, 123456), [{"offer_id": offer.id, "reasons": [awkward]}])]
    storing.insert_proposals(session, rows)
    session.expire_all()
    [stored] = session.scalars(select(Proposal))
    assert stored.reasons == [awkward] and stored.alternatives == [{"offer_id": offer.id, "reasons": [awkward]}]
    assert stored.reason == "tab\tand\\slash" and stored.breakdown == {"text": 1e-05} and stored.score == 0.25
    assert stored.created_at == datetime(2026, 12, 7, 8, 30, 15, 123456)

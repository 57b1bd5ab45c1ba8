"""Matching runs: proposals stored with parts and reasons, superseded on rerun, rejected pairs never back."""
from sqlalchemy import func, select

from gandeng.audit.models import AuditEvent
from gandeng.proposals import jobs
from gandeng.proposals.models import MatchingRun, Proposal, ProposalStatus, RunStatus
from gandeng.proposals.runs import create_run, execute_run
from tests import factories as f

SANITATION = dict(category_code="sanitation", title="Kakus dan septictank untuk 4 KK",
                  description="Empat keluarga belum punya kakus sehat dan septictank.")


def _world(session):
    staff = f.make_staff(session)
    kampung = f.make_kampung(session, "Kampung Jetisharjo", "34.71.01.1001")
    need = f.make_need(session, kampung=kampung, cost_rp=12_000_000, **SANITATION)
    offer = f.make_offer(session, title="CSR jamban sehat", capacity_rp=40_000_000,
                         description="Pembangunan jamban sehat dan tangki septik untuk keluarga KMS.")
    session.commit()
    return staff, need, offer


def _run(session, actor):
    run = jobs.run_now(session, actor)
    assert run.status == RunStatus.DONE, run.error
    return run


def _open(session):
    return list(session.scalars(select(Proposal).where(Proposal.status == ProposalStatus.PROPOSED)))


def test_run_stores_proposals_with_breakdown_and_reasons(app, session):
    staff, need, offer = _world(session)
    run = _run(session, staff)
    [proposal] = _open(session)
    assert (proposal.run_id, proposal.need_id, proposal.offer_id) == (run.id, need.id, offer.id)
    assert proposal.amount_rp == 12_000_000
    assert set(proposal.breakdown) == {"text", "category", "geography", "urgency", "poverty", "severity", "kind"}
    assert all(0 <= v <= 1 for v in proposal.breakdown.values())
    assert 0 < proposal.score <= 1
    keywords = [r for r in proposal.reasons if r["code"] == "keywords"]
    assert keywords and "jamban" in keywords[0]["params"]["words"]
    assert "gini_rp_per_kms" in run.counts["fairness"]
    assert run.counts["needs"] == 1 and run.counts["offers"] == 1 and run.counts["proposals"] == 1
    assert run.counts["candidates"] >= 1
    assert run.proposed_rp == 12_000_000
    assert run.duration_s is not None and run.finished_at is not None and run.started_by_id == staff.id
    assert run.parameters["weights"]["text"] > 0


def test_run_records_unmatched_offers(app, session):
    staff, need, offer = _world(session)
    run = _run(session, staff)
    assert run.unmatched == [
        {"offer_id": offer.id, "unused_rp": 28_000_000, "candidates": 1, "label": "penawaran tanpa pasangan yang baik",
         "detail": run.unmatched[0]["detail"]}
    ]


def test_rerun_supersedes_open_proposals_of_older_run(app, session):
    staff, need, offer = _world(session)
    first = _run(session, staff)
    second = _run(session, staff)
    statuses = dict(session.execute(select(Proposal.run_id, Proposal.status)).all())
    assert statuses == {first.id: ProposalStatus.SUPERSEDED, second.id: ProposalStatus.PROPOSED}


def test_rejected_pair_never_comes_back(app, session):
    staff, need, offer = _world(session)
    _run(session, staff)
    [proposal] = _open(session)
    proposal.status = ProposalStatus.REJECTED  # as reject_proposal leaves it
    session.commit()
    run = _run(session, staff)
    assert _open(session) == []
    assert run.counts["proposals"] == 0


def test_rejected_pair_leaves_other_offers_for_the_need(app, session):
    staff, need, offer = _world(session)
    other = f.make_offer(session, title="Program sanitasi kampung", capacity_rp=20_000_000,
                         description="Bantuan jamban sehat dan septic tank komunal.")
    session.commit()
    _run(session, staff)
    for proposal in _open(session):
        if proposal.offer_id == offer.id:
            proposal.status = ProposalStatus.REJECTED
    session.commit()
    _run(session, staff)
    assert {(p.need_id, p.offer_id) for p in _open(session)} == {(need.id, other.id)}


def test_approved_commitments_reduce_remaining_before_a_new_run(app, session):
    from gandeng.collaborations.services import manual_match

    staff, need, offer = _world(session)
    partial = f.make_need(session, kampung=need.kampung, cost_rp=35_000_000, partial_ok=True,
                          title="Jamban dan septictank RT 07", description="Kakus sehat dan septictank untuk RT 07.")
    manual_match(session, staff, partial, offer, 30_000_000)
    session.commit()
    run = _run(session, staff)
    # 10M left in the offer: the full-funding need (12M) cannot be served, the partial need's
    # last 5M can; approved money is never proposed twice.
    assert {p.need_id: p.amount_rp for p in _open(session)} == {partial.id: 5_000_000}
    assert run.proposed_rp == 5_000_000
    assert run.unmatched[0]["unused_rp"] == 5_000_000


def test_approving_from_a_run_then_rerunning_proposes_only_what_is_left(app, session):
    from gandeng.collaborations.services import approve_proposal

    staff, need, offer = _world(session)
    _run(session, staff)
    [proposal] = _open(session)
    approve_proposal(session, staff, proposal)
    session.commit()
    run = _run(session, staff)
    assert _open(session) == []  # the need is funded; nothing else to propose
    assert run.counts["needs"] == 0 and run.unmatched[0]["unused_rp"] == 28_000_000
    assert session.get(Proposal, proposal.id).status == ProposalStatus.APPROVED


def test_failed_run_stores_no_proposals_and_keeps_old_ones_open(app, session, monkeypatch):
    staff, need, offer = _world(session)
    first = _run(session, staff)

    def broken(*args, **kwargs):
        raise RuntimeError("solver meledak")

    monkeypatch.setattr("gandeng.matching.run_matching", broken)
    run = jobs.run_now(session, staff)
    assert run.status == RunStatus.FAILED and "solver meledak" in run.error
    assert [p.run_id for p in _open(session)] == [first.id]
    assert session.scalar(select(func.count(Proposal.id)).where(Proposal.run_id == run.id)) == 0


def test_run_writes_audit_rows_for_start_and_finish(app, session):
    staff, need, offer = _world(session)
    run = _run(session, staff)
    actions = session.scalars(
        select(AuditEvent.action).where(AuditEvent.object_type == "matching_runs", AuditEvent.object_id == run.id)
        .order_by(AuditEvent.id)
    ).all()
    assert actions == ["matching_run.start", "matching_run.finish"]


def test_second_run_is_refused_while_one_is_queued(app, session):
    from gandeng.errors import DomainError

    staff, need, offer = _world(session)
    create_run(session, staff)
    session.commit()
    try:
        create_run(session, staff)
    except DomainError as error:
        assert "sedang berjalan" in error.message
    else:
        raise AssertionError("a second run was accepted")


def test_execute_run_leaves_a_finished_run_alone(app, session):
    staff, need, offer = _world(session)
    run = _run(session, staff)
    assert execute_run(run.id) == RunStatus.DONE
    assert session.scalar(select(func.count(Proposal.id))) == 1
    assert session.scalar(select(func.count(MatchingRun.id))) == 1


def test_run_keeps_the_fairness_weight_it_was_given_and_rejects_a_bad_one(app, session):
    from gandeng.errors import DomainError
    from gandeng.proposals.runs import clean_parameters

    assert clean_parameters({"fairness": "0.1"})["fairness"] == 0.1
    assert clean_parameters(None)["fairness"] == 0.02
    for bad in ("-1", "2", "banyak"):
        try:
            clean_parameters({"fairness": bad})
        except DomainError as error:
            assert error.field == "fairness"
        else:
            raise AssertionError(bad)

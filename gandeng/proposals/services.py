"""Matching runs: create one, execute it (in a worker or in-process), store its proposals."""
import logging
import time
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import insert, or_, select, update

from gandeng import matching
from gandeng.accounts.policies import is_staff
from gandeng.audit.services import record
from gandeng.db import db, utcnow
from gandeng.errors import DomainError, NotAllowed
from gandeng.proposals import adapter
from gandeng.proposals.models import MatchingRun, Proposal, ProposalStatus, RunStatus

log = logging.getLogger(__name__)

# A queued or running run older than this is presumed lost (a worker died) and no longer
# blocks a new one.
RUN_LOCK_MINUTES = 15


class Stage:
    """What a run is doing, stored in `MatchingRun.stage` and shown while the page polls."""

    QUEUED = "queued"
    LOADING = "loading"
    MATCHING = "matching"
    STORING = "storing"
    DONE = "done"
    FAILED = "failed"


MAX_FAIRNESS = 1.0


def default_parameters() -> dict:
    """The parameters a run records when none are given: the default weights and fairness weight."""
    weights = matching.Weights()
    return {"weights": {part: getattr(weights, part) for part in matching.PARTS},
            "fairness": matching.Settings().fairness}


def clean_parameters(parameters: dict | None) -> dict:
    """Parameters completed with defaults; weights must be non-negative and not all zero."""
    clean = default_parameters()
    given = dict(parameters or {})
    for part, value in (given.pop("weights", None) or {}).items():
        if part not in matching.PARTS:
            raise DomainError(_("Bobot tidak dikenal: %(name)s.", name=part), "weights")
        try:
            clean["weights"][part] = float(value)
        except (TypeError, ValueError):
            raise DomainError(_("Bobot harus berupa angka."), "weights") from None
    try:
        matching.Weights(**clean["weights"]).normalised()
    except ValueError:
        raise DomainError(_("Bobot harus non-negatif dan tidak semuanya nol."), "weights") from None
    if "fairness" in given:
        try:
            fairness = float(given.pop("fairness"))
        except (TypeError, ValueError):
            raise DomainError(_("Bobot pemerataan harus berupa angka."), "fairness") from None
        if not 0 <= fairness <= MAX_FAIRNESS:
            raise DomainError(_("Bobot pemerataan harus antara 0 dan 1."), "fairness")
        clean["fairness"] = fairness
    clean.update(given)
    return clean


def run_in_progress(session) -> MatchingRun | None:
    """A queued or running run started recently, if any."""
    since = utcnow() - timedelta(minutes=RUN_LOCK_MINUTES)
    return session.scalar(
        select(MatchingRun)
        .where(MatchingRun.status.in_((RunStatus.QUEUED, RunStatus.RUNNING)), MatchingRun.created_at >= since)
        .order_by(MatchingRun.id.desc())
        .limit(1)
    )


def create_run(session, actor, parameters: dict | None = None) -> MatchingRun:
    """A queued matching run started by `actor` (staff; None for the CLI). One run at a time."""
    if actor is not None and not is_staff(actor):
        raise NotAllowed(_("Hanya petugas kota yang dapat menjalankan pencocokan."))
    if run_in_progress(session) is not None:
        raise DomainError(_("Pencocokan lain sedang berjalan. Tunggu sampai selesai."))
    run = MatchingRun(
        started_by_id=getattr(actor, "id", None), status=RunStatus.QUEUED, progress=0,
        stage=Stage.QUEUED, parameters=clean_parameters(parameters), counts={}, unmatched=[],
    )
    session.add(run)
    session.flush()
    record(session, actor, "matching_run.start", run, after={"parameters": run.parameters})
    return run


def _set_stage(session, run: MatchingRun, stage: str, progress: int) -> None:
    """Record progress and commit at once, so the page that polls sees it."""
    run.stage = stage
    run.progress = progress
    session.commit()


def execute_run(run_id: int, app=None) -> str:
    """Do the work of a queued run in its own app context and session; returns the final status.

    Progress is committed stage by stage. The proposals, the superseding of older open
    proposals and the status `done` are committed together, so a failure leaves no half-stored
    proposals: the run is then `failed` with the error message. A run that is not queued (a job
    delivered twice) is left alone.
    """
    app = app or current_app._get_current_object()
    with app.app_context():
        session = db.session
        run = session.get(MatchingRun, run_id)
        if run is None:
            raise LookupError(f"matching run {run_id} not found")
        if run.status != RunStatus.QUEUED:
            return run.status
        clock = time.perf_counter()
        run.status = RunStatus.RUNNING
        run.started_at = utcnow()
        _set_stage(session, run, Stage.LOADING, 5)
        try:
            inputs = adapter.load_inputs(session, run.parameters, run_id=run.id)
            _set_stage(session, run, Stage.MATCHING, 30)
            result = matching.run_matching(inputs.needs, inputs.offers, inputs.geography, inputs.context)
            _set_stage(session, run, Stage.STORING, 80)
            _store_result(session, run, result, time.perf_counter() - clock)
            session.commit()
        except Exception as error:  # noqa: BLE001 — any failure must end as a visible `failed` run
            session.rollback()
            log.exception("matching run %s failed", run_id)
            run = session.get(MatchingRun, run_id)
            run.status = RunStatus.FAILED
            run.stage = Stage.FAILED
            run.error = f"{type(error).__name__}: {error}"[:2000]
            run.duration_s = round(time.perf_counter() - clock, 3)
            run.finished_at = utcnow()
            record(session, None, "matching_run.finish", run, after={"status": "failed", "error": run.error[:200]})
            session.commit()
        return run.status


def _store_result(session, run: MatchingRun, result: matching.MatchResult, seconds: float) -> None:
    """Supersede older open proposals, insert this run's, and mark the run done (no commit)."""
    session.execute(
        update(Proposal)
        .where(Proposal.status == ProposalStatus.PROPOSED,
               or_(Proposal.run_id.is_(None), Proposal.run_id != run.id))
        .values(status=ProposalStatus.SUPERSEDED)
    )
    now = utcnow()
    alternatives = alternatives_by_need(result)
    rows = [
        {
            "run_id": run.id, "need_id": p.need_id, "offer_id": p.offer_id, "amount_rp": int(p.amount_rp),
            "score": min(max(float(p.score), 0.0), 1.0),
            "breakdown": {part: float(p.breakdown.get(part, 0.0)) for part in matching.BREAKDOWN_KEYS},
            "reasons": [r.as_dict() for r in p.reasons], "status": ProposalStatus.PROPOSED, "created_at": now,
            "alternatives": alternatives.get(p.need_id, []),
        }
        for p in result.proposals
    ]
    _insert_proposals(session, rows)
    stats = result.stats
    run.counts = {
        "needs": int(stats.get("needs", 0)),
        "offers": int(stats.get("offers", 0)),
        "candidates": int(stats.get("candidate_pairs", 0)),
        "proposals": len(rows),
        "needs_fully_funded": int(stats.get("needs_fully_funded", 0)),
        "needs_partly_funded": int(stats.get("needs_partly_funded", 0)),
        "unmatched_offers": len(result.unmatched_offers),
        # The engine's own stages (prepare, candidates, scores, allocation, explain), for scale checks.
        "engine_seconds": {key.removeprefix("seconds_"): round(float(value), 3)
                           for key, value in stats.items() if key.startswith("seconds_")},
        # Gini of Rp per KMS household across kelurahan, kemantren shares (staff only: run page).
        "fairness": dict(result.fairness),
        # Sum of score x Rp: with the Gini, the trade-off the fairness weight controls.
        "objective": float(stats.get("objective", 0.0)),
    }
    run.proposed_rp = sum(r["amount_rp"] for r in rows)
    run.unmatched = [
        {"offer_id": u.offer_id, "unused_rp": int(u.unused_rp), "candidates": int(u.candidate_count),
         "label": u.label, "detail": u.detail}
        for u in result.unmatched_offers
    ]
    run.status = RunStatus.DONE
    run.stage = Stage.DONE
    run.progress = 100
    run.error = ""
    run.duration_s = round(seconds, 3)
    run.finished_at = utcnow()
    session.flush()
    record(session, None, "matching_run.finish", run,
           after={"status": "done", "counts": run.counts, "proposed_rp": run.proposed_rp})
    _tell_starter(session, run)


# Columns written by COPY: every NOT NULL column of proposals without a server default.
_COPY_COLUMNS = ("run_id", "need_id", "offer_id", "amount_rp", "score", "breakdown", "reasons", "status",
                 "reason", "created_at", "alternatives")


def _insert_proposals(session, rows: list[dict]) -> None:
    """Insert a run's proposals in bulk: COPY on PostgreSQL (100,000 rows in a few seconds, about
    twice as fast as a multi-row INSERT), one executemany INSERT elsewhere."""
    if not rows:
        return
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        session.execute(insert(Proposal), rows)
        return
    import json

    columns = ", ".join(_COPY_COLUMNS)
    with connection.connection.driver_connection.cursor() as cursor:
        with cursor.copy(f"COPY {Proposal.__tablename__} ({columns}) FROM STDIN") as copy:
            for r in rows:
                copy.write_row((r["run_id"], r["need_id"], r["offer_id"], r["amount_rp"], r["score"],
                                json.dumps(r["breakdown"]), json.dumps(r["reasons"], ensure_ascii=False),
                                str(r["status"]), "", r["created_at"],
                                json.dumps(r["alternatives"], ensure_ascii=False)))


def alternatives_by_need(result: matching.MatchResult) -> dict[int, list[dict]]:
    """The engine's next-best offers per need, as stored on the need's proposals."""
    out: dict[int, list[dict]] = {}
    for a in result.alternatives:
        out.setdefault(a.need_id, []).append({
            "offer_id": a.offer_id, "score": float(a.score),
            "breakdown": {k: float(v) for k, v in a.breakdown.items()},
            "reasons": [r.as_dict() for r in a.reasons], "lost": [r.as_dict() for r in a.lost],
        })
    return out


def _tell_starter(session, run: MatchingRun) -> None:
    """An in-app note for the staff member who started the run (they may have left the page)."""
    if run.started_by is None:
        return
    from gandeng.notifications.services import notify

    message = _("Pencocokan #%(id)d selesai: %(n)d usulan menunggu keputusan.",
                id=run.id, n=run.counts.get("proposals", 0))
    notify(session, [run.started_by], "matching_run.finish", message, link=f"/matching/runs/{run.id}")


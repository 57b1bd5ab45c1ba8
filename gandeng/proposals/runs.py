"""Matching runs: create one, execute it (in a worker or in-process), store its proposals."""
from __future__ import annotations

import gc
import logging
import time
from contextlib import contextmanager
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _, lazy_ngettext
from sqlalchemy import inspect, or_, select, text, update

from gandeng.accounts.policies import is_staff
from gandeng.audit.services import record
from gandeng.db import db, utcnow
from gandeng.errors import DomainError, NotAllowed
from gandeng.proposals import adapter, liveness, storing
from gandeng.proposals.models import MatchingRun, Proposal, ProposalStatus, RunStatus

# The package is light to import (its __init__ loads each part on first use): the numerical stack
# loads only when a function here first touches the engine.
from gandeng import matching  # noqa: E402

log = logging.getLogger(__name__)


class Stage:
    """What a run is doing, stored in `MatchingRun.stage` and shown while the page polls."""

    QUEUED = "queued"
    LOADING = "loading"
    MATCHING = "matching"
    STORING = "storing"
    DONE = "done"
    FAILED = "failed"
    STOPPED = liveness.STOPPED  # failed: the worker went silent while running
    LOST = liveness.LOST  # failed: the queued job vanished from the queue


class RunAbandoned(Exception):
    """The run was failed by the reaper while this worker still worked on it (it had gone silent
    too long): the worker stops without storing anything."""


MAX_FAIRNESS = 1.0


def default_parameters() -> dict:
    """The parameters a run records when none are given: the default weights and fairness weight."""
    from gandeng import matching  # lazy: the numerical stack loads only when matching runs
    weights = matching.Weights()
    return {"weights": {part: getattr(weights, part) for part in matching.PARTS},
            "fairness": matching.Settings().fairness}


def clean_parameters(parameters: dict | None) -> dict:
    """Parameters completed with defaults; weights must be non-negative and not all zero."""
    from gandeng import matching  # lazy: the numerical stack loads only when matching runs
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


def run_in_progress(session, cutoff=None) -> MatchingRun | None:
    """The run holding the one-run-at-a-time lock, if any: a queued one, or a running one whose worker
    gave a sign of life within the last minute (however long ago it started; `cutoff`: see
    liveness.live_run_condition)."""
    return session.scalar(
        select(MatchingRun).where(liveness.live_run_condition(cutoff)).order_by(MatchingRun.id.desc()).limit(1)
    )


def create_run(session, actor, parameters: dict | None = None) -> MatchingRun:
    """A queued matching run started by `actor` (staff; None for the CLI). One run at a time."""
    if actor is not None and not is_staff(actor):
        raise NotAllowed(_("Hanya petugas kota yang dapat menjalankan pencocokan."))
    # One moment for both: a run must not turn stale between the reaping and the lock check, or the
    # new run would start while the dead one still shows "running".
    cutoff = liveness.stale_before()
    liveness.reap_stale_runs(session, cutoff)  # a run whose worker died must not block this one
    if run_in_progress(session, cutoff) is not None:
        raise DomainError(_("Pencocokan lain sedang berjalan. Tunggu sampai selesai."))
    run = MatchingRun(
        started_by_id=getattr(actor, "id", None), status=RunStatus.QUEUED, progress=0,
        stage=Stage.QUEUED, parameters=clean_parameters(parameters), counts={}, unmatched=[],
    )
    session.add(run)
    session.flush()
    record(session, actor, "matching_run.start", run, after={"parameters": run.parameters})
    return run


def _still_running(session, run: MatchingRun) -> None:
    """Lock the run's row (PostgreSQL) and check the reaper has not failed it meanwhile."""
    session.refresh(run, ["status"], with_for_update=True)
    if run.status != RunStatus.RUNNING:
        raise RunAbandoned(run.id)


class StageClock:
    """Seconds spent in each stage of a run (loading rows, the engine, storing proposals)."""

    def __init__(self):
        self.laps: dict[str, float] = {}
        self._since = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.laps[stage] = round(now - self._since, 3)
        self._since = now

    def shift(self, seconds: float, source: str, target: str) -> None:
        """Count `seconds` of the `source` stage in `target` (work of one done during the other)."""
        seconds = min(round(seconds, 3), self.laps[source])
        self.laps[source] = round(self.laps[source] - seconds, 3)
        self.laps[target] = round(self.laps[target] + seconds, 3)


@contextmanager
def paused_gc():
    """No cyclic garbage collection inside: a run makes hundreds of thousands of small objects
    that are not garbage (rows, proposals, reasons), and each collection would walk them all (the
    matcher's libraries too) for nothing: a third of the loading time at 20,000 needs, and 0.15 s
    after the engine. A run is wrapped whole, to its commit; the engine lets the collector work
    during its allocation stage itself (matching.engine.freeze_objects)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _set_stage(session, run: MatchingRun, stage: str, progress: int) -> None:
    """Record progress (a sign of life too) and commit at once, so the page that polls sees it."""
    _still_running(session, run)
    run.stage = stage
    run.progress = progress
    run.heartbeat_at = utcnow()
    session.commit()


def _claim(session, run_id: int) -> bool:
    """queued -> running, only if still queued (a job delivered twice, or a run the reaper failed
    as lost, is left alone); committed."""
    now = utcnow()
    claimed = session.execute(
        update(MatchingRun).where(MatchingRun.id == run_id, MatchingRun.status == RunStatus.QUEUED)
        .values(status=RunStatus.RUNNING, started_at=now, heartbeat_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount == 1
    session.commit()
    return claimed


def execute_run(run_id: int, app=None) -> str:
    """Do the work of a queued run in its own app context and session; returns the final status.

    Progress is committed stage by stage. The proposals, the superseding of older open
    proposals and the status `done` are committed together, so a failure leaves no half-stored
    proposals: the run is then `failed` with the error message. A run that is not queued (a job
    delivered twice) is left alone. While it works, a Heartbeat thread keeps `heartbeat_at` fresh;
    a run the reaper failed meanwhile (silent too long) is abandoned without storing anything.
    """
    from gandeng import matching  # lazy: the numerical stack loads only when matching runs
    app = app or current_app._get_current_object()
    with app.app_context():
        session = db.session
        if session.get(MatchingRun, run_id) is None:
            raise LookupError(f"matching run {run_id} not found")
        if not _claim(session, run_id):
            session.expire_all()
            return session.get(MatchingRun, run_id).status
        run = session.get(MatchingRun, run_id)
        clock = time.perf_counter()
        stages = StageClock()
        stream = None
        try:
            with liveness.Heartbeat(app, run_id), paused_gc():
                _set_stage(session, run, Stage.LOADING, 5)
                inputs = adapter.load_inputs(session, run.parameters, run_id=run.id)
                stages.lap("loading")
                _set_stage(session, run, Stage.MATCHING, 30)
                # PostgreSQL: storing begins now and goes on beside the engine (storing.CopyStream).
                stream = storing.open_stream(session, run_id, _superseding(run_id), matching.BREAKDOWN_KEYS)
                result = matching.run_matching(inputs.needs, inputs.offers, inputs.geography,
                                               inputs.context, on_explained=stream)
                if stream is None:  # every row is built now: free the inputs first (the stream's are stored)
                    del inputs
                stages.lap("matching")
                _mark_stage(session, run, Stage.STORING, 80, aside=stream is not None)
                _store_result(session, run, result, stream)
                # The inputs and the result are freed as this returns, after the commit: tens of
                # thousands of objects, whose freeing the staff need not wait for.
                stages.lap("storing")
                if stream is not None:  # what the engine's blocks spent being stored is storing's
                    stages.shift(stream.seconds, "matching", "storing")
                # Where a run's time goes (loading rows, the engine, storing proposals), for scale checks.
                run.counts = {**run.counts, "stage_seconds": stages.laps}
                run.duration_s = round(time.perf_counter() - clock, 3)
                session.commit()
        except RunAbandoned as error:
            _let_go(stream, error)
            session.rollback()
            log.warning("matching run %s was failed while its worker was silent; its result is dropped", run_id)
            session.expire_all()
            return session.get(MatchingRun, run_id).status
        except Exception as error:  # noqa: BLE001 — any failure must end as a visible `failed` run
            _let_go(stream, error)
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
        except BaseException as error:  # interrupted (Ctrl-C, a worker told to stop): the reaper fails it
            _let_go(stream, error)
            raise
        return run.status


def _let_go(stream: storing.CopyStream | None, error: BaseException) -> None:
    """Before a failed run's rollback: the storing thread drops what it has not sent and lets go
    of the session's connection (a no-op if the stream was closed already)."""
    if stream is not None:
        stream.close(error)


def _superseding(run_id: int):
    """The UPDATE that supersedes every open proposal not of this run."""
    return (update(Proposal)
            .where(Proposal.status == ProposalStatus.PROPOSED,
                   or_(Proposal.run_id.is_(None), Proposal.run_id != run_id))
            .values(status=ProposalStatus.SUPERSEDED))


def _mark_stage(session, run: MatchingRun, stage: str, progress: int, aside: bool) -> None:
    """_set_stage; or, `aside`, while the session's transaction is storing the run (CopyStream), in
    a transaction of its own that leaves the session and `run` alone (the page sees it at once)."""
    if not aside:
        _set_stage(session, run, stage, progress)
        return
    run_id = inspect(run).identity[0]  # `run` is expired: reading run.id would use the session
    with db.engine.begin() as connection:
        connection.execute(update(MatchingRun)
                           .where(MatchingRun.id == run_id, MatchingRun.status == RunStatus.RUNNING)
                           .values(stage=stage, progress=progress, heartbeat_at=utcnow()))


def _store_result(session, run: MatchingRun, result: matching.MatchResult,
                  stream: storing.CopyStream | None = None) -> None:
    """Supersede older open proposals, insert this run's, and mark the run done (no commit); with
    a `stream`, both were done while the engine worked and the stream is closed here. The run's row
    stays locked to the commit (PostgreSQL): the reaper cannot fail it halfway."""
    from gandeng import matching  # lazy: the numerical stack loads only when matching runs
    if stream is not None:
        stream.close()
    _still_running(session, run)
    if session.get_bind().dialect.name == "postgresql":
        # The run's commit does not wait for its ~50 MB of WAL to reach the disk (0.1-0.2 s at
        # 20,000 proposals): a database crash in the next moment loses the whole run, never half
        # of it (its audit entry and note go with it), and the reaper then marks it failed.
        session.execute(text("SET LOCAL synchronous_commit TO OFF"))
    count, proposed_rp = len(result.proposals), sum(int(p.amount_rp) for p in result.proposals)
    if stream is None:
        # Through the Connection: the ORM objects it changes are expired at the run's commit.
        session.connection().execute(_superseding(run.id))
        storing.insert_proposals(session, storing.proposal_rows(
            run.id, result.proposals, matching.BREAKDOWN_KEYS, utcnow(),
            storing.alternatives_by_need(result.alternatives)))
    elif (stream.count, stream.amount_rp) != (count, proposed_rp):  # the blocks must add up to the result
        raise RuntimeError(f"stored {stream.count} proposals of Rp{stream.amount_rp}, "
                           f"the engine made {count} of Rp{proposed_rp}")
    stats = result.stats
    run.counts = {
        "needs": int(stats.get("needs", 0)),
        "offers": int(stats.get("offers", 0)),
        "candidates": int(stats.get("candidate_pairs", 0)),
        "proposals": count,
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
    run.proposed_rp = proposed_rp
    run.unmatched = [
        {"offer_id": u.offer_id, "unused_rp": int(u.unused_rp), "candidates": int(u.candidate_count),
         "label": u.label, "detail": u.detail}
        for u in result.unmatched_offers
    ]
    run.status = RunStatus.DONE
    run.stage = Stage.DONE
    run.progress = 100
    run.error = ""
    run.finished_at = utcnow()
    session.flush()
    record(session, None, "matching_run.finish", run,
           after={"status": "done", "counts": run.counts, "proposed_rp": run.proposed_rp})
    _tell_starter(session, run)


def _tell_starter(session, run: MatchingRun) -> None:
    """An in-app note for the staff member who started the run (they may have left the page)."""
    if run.started_by is None:
        return
    from gandeng.notifications.services import notify

    # Lazy: the starter reads it in their own language (the run may finish in a worker).
    message = lazy_ngettext("Pencocokan #%(id)d selesai: %(num)d usulan menunggu keputusan.",
                            "Pencocokan #%(id)d selesai: %(num)d usulan menunggu keputusan.",
                            run.counts.get("proposals", 0), id=run.id)
    notify(session, [run.started_by], "matching_run.finish", message, link=f"/matching/runs/{run.id}")


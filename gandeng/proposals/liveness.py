"""Whether a matching run still has a worker: its heartbeat, and failing the runs that lost theirs.

A working run's `heartbeat_at` is refreshed every HEARTBEAT_SECONDS by a thread beside the work
(a long engine step never stops it). A running run silent for more than STALE_SECONDS lost its
worker (killed, machine restarted); a run still queued after STALE_SECONDS whose job is no longer
waiting in Redis (the queue was lost with a Redis restart, or the worker died as it took the job)
will never start. `reap_stale_runs` marks both `failed` with the reason; it is called by every
start attempt, by the worker at start-up and every REAP_EVERY_SECONDS, and by the run pages, so a
new run can start within a minute and nobody watches a page that polls forever.

Settings (seconds; tests shorten them): MATCHING_HEARTBEAT_S, MATCHING_STALE_S, MATCHING_REAP_EVERY_S.
"""
import logging
import threading
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select, update

from gandeng.audit.services import record
from gandeng.db import db, utcnow
from gandeng.proposals.models import MatchingRun, RunStatus

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 10
STALE_SECONDS = 60
REAP_EVERY_SECONDS = 30
# Redis calls made while answering a web request (enqueue, job look-up): a hung Redis costs this.
REDIS_TIMEOUT_S = 0.5

# Stages of a run failed here (MatchingRun.stage; the page explains each).
STOPPED = "stopped"  # was running, the worker went silent
LOST = "lost"  # was queued, the job is no longer waiting in the queue


def _setting(name: str, default: float) -> float:
    value = current_app.config.get(name)
    return float(default if value is None else value)


def heartbeat_seconds() -> float:
    return _setting("MATCHING_HEARTBEAT_S", HEARTBEAT_SECONDS)


def stale_seconds() -> float:
    return _setting("MATCHING_STALE_S", STALE_SECONDS)


def reap_every_seconds() -> float:
    return _setting("MATCHING_REAP_EVERY_S", REAP_EVERY_SECONDS)


def last_sign_of_life():
    """SQL for a run's last sign of life: its heartbeat, else when it started, else when created."""
    return func.coalesce(MatchingRun.heartbeat_at, MatchingRun.started_at, MatchingRun.created_at)


def stale_before() -> datetime:
    return utcnow() - timedelta(seconds=stale_seconds())


def live_run_condition(cutoff: datetime | None = None):
    """SQL: the run holds the one-run-at-a-time lock (queued, or running with a sign of life at or
    after `cutoff`, by default stale_before()). A queued run keeps it until the reaper finds its job
    gone."""
    return (MatchingRun.status == RunStatus.QUEUED) | (
        (MatchingRun.status == RunStatus.RUNNING) & (last_sign_of_life() >= (cutoff or stale_before()))
    )


class Heartbeat:
    """`with Heartbeat(app, run_id):` refreshes the run's heartbeat_at every heartbeat_seconds() in
    a thread with its own connection, while the block runs. A failed beat is logged and retried at
    the next one (the database may be away for a moment)."""

    def __init__(self, app, run_id: int):
        self.app, self.run_id = app, run_id
        with app.app_context():
            self.every = heartbeat_seconds()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=f"heartbeat-run-{run_id}", daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(timeout=max(self.every, 1.0) + 15)

    def _loop(self):
        while not self._stop.wait(self.every):
            self.beat()

    def beat(self) -> None:
        try:
            with self.app.app_context():
                with db.engine.begin() as connection:
                    connection.execute(
                        update(MatchingRun)
                        .where(MatchingRun.id == self.run_id, MatchingRun.status == RunStatus.RUNNING)
                        .values(heartbeat_at=utcnow())
                    )
        except Exception as error:  # noqa: BLE001 — a missed beat must never stop the run
            log.warning("heartbeat of matching run %s failed: %s", self.run_id, type(error).__name__)


def redis_connection(url: str, short: bool = False):
    """A Redis client for `url`; `short`: connect/read timeouts of REDIS_TIMEOUT_S and no retries, for
    calls made while a user waits (a hung Redis must cost milliseconds, not seconds)."""
    from redis import Redis

    if not short:
        return Redis.from_url(url)
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    return Redis.from_url(url, socket_connect_timeout=REDIS_TIMEOUT_S, socket_timeout=REDIS_TIMEOUT_S,
                          retry=Retry(NoBackoff(), 0))


# RQ job statuses in which the job still waits to be taken by a worker.
WAITING = ("queued", "deferred", "scheduled")


def job_waiting(run: MatchingRun) -> bool:
    """True when the run's job still waits in the Redis queue; False when it is gone, was taken by a
    worker (which then died: the run is still queued), or Redis cannot tell (unreachable)."""
    url = current_app.config.get("REDIS_URL")
    if not url or not run.job_id:
        return False  # executed in-process, and that process went away before it started
    from redis.exceptions import RedisError
    from rq.exceptions import NoSuchJobError
    from rq.job import Job

    try:
        status = Job.fetch(run.job_id, connection=redis_connection(url, short=True)).get_status(refresh=False)
    except NoSuchJobError:
        return False
    except (RedisError, OSError):
        log.warning("Redis unreachable while checking the job of matching run %s", run.id)
        return False
    return str(getattr(status, "value", status)) in WAITING


def _fail(session, run: MatchingRun, stage: str, error: str, still) -> bool:
    """Mark `run` failed if it is still as the reaper saw it (`still`: SQL); True when it was."""
    now = utcnow()
    result = session.execute(
        update(MatchingRun)
        .where(MatchingRun.id == run.id, still)
        .values(status=RunStatus.FAILED, stage=stage, error=error, finished_at=now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    session.expire(run)
    log.warning("matching run %s failed: %s", run.id, error)
    record(session, None, "matching_run.finish", run, after={"status": "failed", "error": error[:200]})
    return True


def reap_stale_runs(session, cutoff: datetime | None = None) -> list[int]:
    """Fail every run that lost its worker (see the module's docstring): silent since before `cutoff`
    (by default stale_before()); returns their ids. Flushes, does not commit. Safe beside a live
    worker and a second reaper: each update re-checks the row."""
    cutoff = cutoff or stale_before()
    failed = []
    silent = session.scalars(select(MatchingRun).where(
        MatchingRun.status == RunStatus.RUNNING, last_sign_of_life() < cutoff)).all()
    for run in silent:
        seconds = int((utcnow() - (run.heartbeat_at or run.started_at or run.created_at)).total_seconds())
        error = (f"pekerja berhenti: tidak ada tanda hidup selama {seconds} detik "
                 f"(tahap {run.stage}, {run.progress}%)")
        if _fail(session, run, STOPPED, error, (MatchingRun.status == RunStatus.RUNNING)
                 & (last_sign_of_life() < cutoff)):
            failed.append(run.id)
    waiting = session.scalars(select(MatchingRun).where(
        MatchingRun.status == RunStatus.QUEUED, MatchingRun.created_at < cutoff)).all()
    for run in waiting:
        if job_waiting(run):
            continue
        error = "pekerja berhenti: pekerjaan tidak ada lagi di antrean (Redis dimulai ulang atau pekerja mati)"
        if _fail(session, run, LOST, error, MatchingRun.status == RunStatus.QUEUED):
            failed.append(run.id)
    if failed:
        session.flush()
    return failed


class PeriodicReaper:
    """`with PeriodicReaper(app):` runs reap_stale_runs every reap_every_seconds() in a thread (in
    the worker), each time in its own app context and session, committing what it failed."""

    def __init__(self, app):
        self.app = app
        with app.app_context():
            self.every = reap_every_seconds()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="matching-reaper", daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(timeout=max(self.every, 1.0) + 15)

    def _loop(self):
        while not self._stop.wait(self.every):
            reap_once(self.app)


def reap_once(app) -> list[int]:
    """reap_stale_runs in a fresh app context, committed; a failure is logged, never raised."""
    try:
        with app.app_context():
            try:
                failed = reap_stale_runs(db.session)
                db.session.commit()
                return failed
            finally:
                db.session.remove()
    except Exception as error:  # noqa: BLE001 — the next round tries again
        log.warning("matching reaper failed: %s", type(error).__name__)
        return []

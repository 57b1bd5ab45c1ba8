"""Where a matching run executes: an RQ worker on Redis when REDIS_URL is set, else this process."""
import logging

from flask import current_app, has_app_context

from gandeng.db import db
from gandeng.proposals import liveness
from gandeng.proposals.models import MatchingRun
from gandeng.proposals.runs import create_run, execute_run

log = logging.getLogger(__name__)

QUEUE = "matching"  # app.config["MATCHING_QUEUE"] overrides it (tests running side by side)
# A city-sized run takes seconds; 100,000 needs x 50,000 offers takes minutes.
JOB_TIMEOUT_S = 3600


def redis_connection(url: str, short: bool = False):
    """A Redis client; `short` for calls a user waits on (0.5 s timeouts, no retries)."""
    return liveness.redis_connection(url, short)


def queue_name() -> str:
    return current_app.config.get("MATCHING_QUEUE") or QUEUE


def matching_queue(url: str, short: bool = False):
    """The RQ queue for matching runs on the Redis at `url` (`short`: see redis_connection)."""
    from rq import Queue

    return Queue(queue_name(), connection=redis_connection(url, short))


def run_job(run_id: int) -> str:
    """The RQ job: execute the run inside the app (the worker's, or one built from the environment)."""
    if has_app_context():
        return execute_run(run_id, current_app._get_current_object())
    from gandeng.factory import create_app

    return execute_run(run_id, create_app())


def start_run(session, run: MatchingRun) -> str:
    """Hand a committed, queued run to the worker (REDIS_URL set) or execute it here and now.

    Returns "queued" or "in-process". The caller has committed the run before: the worker may
    pick the job up at once and must find the row.
    """
    url = current_app.config.get("REDIS_URL")
    if url:
        from redis.exceptions import RedisError

        try:
            # Short timeouts: a hung Redis costs this request half a second, not the default minutes.
            job = matching_queue(url, short=True).enqueue(
                "gandeng.proposals.jobs.run_job", run.id, job_timeout=JOB_TIMEOUT_S,
                description=f"matching run {run.id}",
            )
        except (RedisError, OSError):
            # Staff still get their result: a city-sized run takes seconds in this process.
            log.warning("Redis unreachable; matching run %s runs in-process", run.id, exc_info=True)
        else:
            run.job_id = job.id
            session.commit()
            return "queued"
    execute_run(run.id, current_app._get_current_object())
    session.expire_all()
    return "in-process"


def run_now(session, actor, parameters: dict | None = None) -> MatchingRun:
    """Create a run and execute it in this process whatever REDIS_URL says (the CLI's `match run`).
    The matcher loads first, as in the worker: the run's stage times are the run's own work."""
    from gandeng import matching

    matching.preload()
    run = create_run(session, actor, parameters)
    session.commit()
    execute_run(run.id, current_app._get_current_object())
    session.expire_all()
    return session.get(MatchingRun, run.id)


def reap(session) -> list[int]:
    """Fail the runs whose worker died (liveness.reap_stale_runs), committed if any; their ids."""
    failed = liveness.reap_stale_runs(session)
    if failed:
        session.commit()
    return failed


def work(burst: bool = False) -> bool:
    """Run an RQ worker on the "matching" queue until stopped (or until empty with `burst`).

    A SimpleWorker executes jobs in this process, inside the app context the CLI pushed: no
    fork, so no database connection is ever shared between a parent and a forked child. At
    start-up it fails the runs a dead worker left behind, and a thread does so again every
    30 s while it works (liveness.PeriodicReaper). The matcher's numerical stack (scikit-learn,
    SciPy, OR-Tools) is loaded once here, before the first job, instead of on every app start.
    """
    from rq import SimpleWorker

    from gandeng import matching

    matching.preload()  # the first run does not pay for the imports

    url = current_app.config.get("REDIS_URL")
    if not url:
        raise RuntimeError("REDIS_URL is not set")
    app = current_app._get_current_object()
    failed = reap(db.session)
    if failed:
        log.warning("worker start-up: failed %d matching run(s) left by a stopped worker: %s", len(failed), failed)
    worker = SimpleWorker([queue_name()], connection=redis_connection(url))
    with liveness.PeriodicReaper(app):
        return worker.work(burst=burst)

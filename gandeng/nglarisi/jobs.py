"""Moving unanswered orders on, in the background: an RQ job (`expire_job`) on the worker's queue, and one
round per minute inside `flask worker` (gandeng.notifications.jobs.run_once calls `run_expiry`)."""
import logging

from flask import current_app, has_app_context

log = logging.getLogger(__name__)


def run_expiry(app=None) -> dict:
    """One round, committed: expired offers moved on, reminders queued. Two processes at once are safe
    (each transition is a conditional UPDATE; the loser skips the order)."""
    from gandeng.db import db
    from gandeng.nglarisi.orders import expire_due

    app = app or current_app._get_current_object()
    with app.app_context():
        try:
            counts = expire_due(db.session)
            db.session.commit()
            if counts.get("expired"):
                log.info("nglarisi: %s", counts)
            return counts
        except Exception:
            db.session.rollback()
            raise
        finally:
            db.session.remove()


def expire_job() -> dict:
    """The RQ job: inside the worker's app, or an app built from the environment."""
    if has_app_context():
        return run_expiry(current_app._get_current_object())
    from gandeng.factory import create_app

    return run_expiry(create_app())


def enqueue_expiry(url: str):
    """Put one expiry round on the worker's queue (the same queue as the matching runs)."""
    from gandeng.proposals.jobs import matching_queue

    return matching_queue(url).enqueue("gandeng.nglarisi.jobs.expire_job", job_timeout=300,
                                       description="nglarisi: move unanswered orders on")

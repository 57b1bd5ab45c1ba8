"""The outbox inside `flask worker`: a thread that, every minute, queues due reminders and sends what is due.

Why a loop and not RQ scheduling: a self-rescheduling RQ job dies with the worker that runs it (and
a fixed job id is overwritten while it runs); a loop lives exactly as long as the worker, needs no
scheduler, and several workers are harmless because each message is claimed before it is sent and
each reminder key is stored once.
"""
import logging
import threading

from sqlalchemy.exc import IntegrityError

log = logging.getLogger(__name__)
EVERY_SECONDS = 60


def run_once(app) -> dict:
    """One round in its own app context: reminders queued, digests released, due messages sent."""
    from gandeng.db import db, utcnow
    from gandeng.notifications.outbox import send_due
    from gandeng.notifications.reminders import send_reminders

    with app.app_context():
        try:
            now = utcnow()
            try:
                reminded = send_reminders(db.session, now)
                db.session.commit()
            except IntegrityError:  # another worker stored the same reminder key first
                db.session.rollback()
                reminded = {}
            try:  # Nglarisi (issue 18): unanswered orders move on, groups are reminded, before sending
                from gandeng.nglarisi.orders import expire_due
                from gandeng.nglarisi.recuration import remind as remind_recuration

                expire_due(db.session, now)
                remind_recuration(db.session, now)  # yearly re-curation, once per group and curation year
                db.session.commit()
            except Exception:  # noqa: BLE001  (the outbox must still go out)
                db.session.rollback()
                log.exception("nglarisi expiry round failed")
            privacy = _privacy_round(db, now, app.config)  # issue 19: 3 × 24-hour reminders, daily purge
            sent = send_due(db.session, now, app.config)
            return {**sent, "reminders": sum(reminded.values()), **privacy}
        finally:
            db.session.remove()


def _privacy_round(db, now, config) -> dict:
    from gandeng.privacy.jobs import privacy_round

    try:
        counts = privacy_round(db.session, now, config)
        db.session.commit()
        return counts
    except IntegrityError:  # another worker took the same reminder or purge key first
        db.session.rollback()
        return {}


class OutboxLoop(threading.Thread):
    """Runs `run_once` now and then every EVERY_SECONDS until `stop()`; an error is logged, never fatal."""

    def __init__(self, app, every: float = EVERY_SECONDS):
        super().__init__(name="outbox-loop", daemon=True)
        self.app, self.every, self.rounds = app, every, 0
        self._stopped = threading.Event()

    def run(self) -> None:
        while not self._stopped.is_set():
            try:
                counts = run_once(self.app)
                if counts.get("sent") or counts.get("failed") or counts.get("gave_up"):
                    log.info("outbox: %s", counts)
            except Exception:  # noqa: BLE001  (the worker must outlive a bad round: log and go on)
                log.exception("outbox round failed")
            self.rounds += 1
            self._stopped.wait(self.every)

    def stop(self) -> None:
        self._stopped.set()

"""The worker's privacy round (run by notifications/jobs.run_once every minute): reminders of the
3 × 24-hour clock, and the retention purge once a day (a key in reminders_sent per WIB day, so several
workers purge once). The log line carries counts only."""
import logging
from datetime import datetime

from gandeng.formatting import to_wib

log = logging.getLogger(__name__)


def privacy_round(session, now: datetime, config) -> dict:
    """Queue due reminders and, first time on a WIB day, purge; flushes, the caller commits."""
    from gandeng.notifications.reminders import _once
    from gandeng.privacy.records import retention_months
    from gandeng.privacy.requests import send_privacy_reminders
    from gandeng.privacy.retention import purge

    counts = {"privacy_reminders": send_privacy_reminders(session, now), "purged": 0}
    if _once(session, f"privacy-purge:{to_wib(now):%Y-%m-%d}"):
        removed = purge(session, now, retention_months(config))
        counts["purged"] = len(removed)
        if removed:
            log.info("privacy purge: anonymised %d need(s), %d attachment(s)", len(removed),
                     sum(r.attachments for r in removed))
    return counts

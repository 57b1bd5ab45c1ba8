"""Reminders: a partner who has not confirmed a collaboration in 3 days; a collaboration with no report
in 30 days. Each is sent once per key (`reminders_sent`), so running this every minute is safe."""
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from gandeng.collaborations import parties
from gandeng.collaborations.models import Commitment, CommitmentStatus, ProgressReport
from gandeng.notifications.models import ReminderSent

CONFIRM_AFTER = timedelta(days=3)
REPORT_AFTER = timedelta(days=30)


def _once(session, key: str) -> bool:
    """True the first time `key` is seen (and remembers it)."""
    if session.get(ReminderSent, key) is not None:
        return False
    session.add(ReminderSent(key=key))
    session.flush()
    return True


def send_reminders(session, now: datetime) -> dict:
    """Queue the reminders that are due at `now`; flushes. Returns counts per kind."""
    counts = {"confirm": 0, "report": 0}
    waiting = session.scalars(select(Commitment).where(
        Commitment.status == CommitmentStatus.AWAITING_PARTNER, Commitment.created_at <= now - CONFIRM_AFTER)
        .order_by(Commitment.id))
    for commitment in waiting:
        if _once(session, f"confirm:{commitment.id}"):
            parties.tell_partner(session, None, "reminder.confirm", commitment,
                                 _l("Pengingat: kerja sama untuk kebutuhan “%(title)s” menunggu konfirmasi Anda "
                                    "sejak 3 hari lalu. Mohon konfirmasi atau tolak.", title=commitment.need.title),
                                 email_subject=_l("Pengingat: kerja sama menunggu konfirmasi"))
            counts["confirm"] += 1
    last_report = (select(ProgressReport.commitment_id, func.max(ProgressReport.created_at).label("at"))
                   .group_by(ProgressReport.commitment_id).subquery())
    rows = session.execute(
        select(Commitment, last_report.c.at).outerjoin(last_report, last_report.c.commitment_id == Commitment.id)
        .where(Commitment.status == CommitmentStatus.IN_PROGRESS).order_by(Commitment.id))
    for commitment, reported_at in rows:
        last = max(filter(None, [reported_at, commitment.confirmed_at, commitment.created_at]))
        silent = now - last
        if silent < REPORT_AFTER:
            continue
        # One reminder per 30 days of silence.
        if _once(session, f"report:{commitment.id}:{last:%Y%m%d%H%M}:{silent // REPORT_AFTER}"):
            message = _l("Pengingat: belum ada laporan kemajuan untuk kebutuhan “%(title)s” selama 30 hari. "
                         "Mohon kirim laporan.", title=commitment.need.title)
            subject = _l("Pengingat: laporan kemajuan kerja sama")
            parties.tell_partner(session, None, "reminder.report", commitment, message, email_subject=subject)
            parties.tell_coordinators(session, None, "reminder.report", commitment, message, email_subject=subject)
            counts["report"] += 1
    # Sister pairing (issue 17): a quarterly report of a published pair that is overdue.
    from gandeng.sister.work import remind_late_reports

    counts["sister_report"] = remind_late_reports(session, now)
    return counts

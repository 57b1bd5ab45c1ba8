"""Retention (records.py): needs completed, rejected or withdrawn more than PRIVACY_RETENTION_MONTHS ago
lose their households' names, contact phone and attachments. `flask --app app privacy purge [--dry-run]`
and the worker's daily round (notifications/jobs.py) run it; the dry run lists exactly what the real run
removes, because both walk the same `due_needs` query and `what_would_go` counts what `anonymise_need`
removes.

"More than N months ago" is measured from the need's last change (`updated_at`): a closed need cannot be
edited, so its last change is when it closed (or was reopened and closed again)."""
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from gandeng.needs.models import Need, NeedAttachment, NeedStatus
from gandeng.privacy.anonymise import Removed, anonymise_need, what_would_go

CLOSED = (NeedStatus.COMPLETED, NeedStatus.REJECTED, NeedStatus.WITHDRAWN)


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time `months` calendar months earlier (the 31st becomes the month's last day)."""
    year, month = divmod(moment.year * 12 + (moment.month - 1) - months, 12)
    month += 1
    for day in (moment.day, 30, 29, 28):
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    raise ValueError(moment)


def due_needs(session, now: datetime, months: int) -> list[Need]:
    """Closed needs last changed before the cutoff that still hold names, a phone or attachments."""
    cutoff = months_before(now, months)
    has_files = select(NeedAttachment.id).where(NeedAttachment.need_id == Need.id).exists()
    query = (select(Need).where(Need.status.in_(CLOSED), Need.updated_at < cutoff,
                                or_(Need.beneficiaries != "", Need.contact_phone != "", has_files))
             .options(selectinload(Need.attachments)).order_by(Need.id))
    return list(session.scalars(query))


def purge(session, now: datetime, months: int, dry_run: bool = False) -> list[Removed]:
    """Anonymise (or, with `dry_run`, only list) every due need; flushes, never commits."""
    needs = due_needs(session, now, months)
    if dry_run:
        return [what_would_go(need) for need in needs]
    return [anonymise_need(session, None, need, "retention") for need in needs]


def report_lines(removed: list[Removed], dry_run: bool) -> list[str]:
    """The purge's report: one line per need (number and counts only), then the totals."""
    lines = [f"need {r.need_id}: {r.names} name line(s), {'1' if r.phone else '0'} phone, "
             f"{r.attachments} attachment(s)" for r in removed]
    verb = "would anonymise" if dry_run else "anonymised"
    lines.append(f"{verb} {len(removed)} need(s): {sum(r.names for r in removed)} name line(s), "
                 f"{sum(r.phone for r in removed)} phone(s), {sum(r.attachments for r in removed)} attachment(s)")
    return lines

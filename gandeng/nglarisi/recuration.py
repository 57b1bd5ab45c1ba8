"""Yearly re-curation: a verified group is curated again every year (members, documents, kitchen).

- 11 months after its last curation the group is **reminded** (in-app, e-mail, WhatsApp to its accounts and
  its contact phone; template `ngl_kurasi_ulang`) and staff are told (a notification, and a task on the staff
  home until the re-curation is recorded): once per curation year (`Group.recurate_reminded_for` keeps the
  curation date the reminder was for; claimed with a conditional UPDATE, so two workers never send it twice).
- 12 months after it the re-curation is **overdue**: shown as such on the staff home and the group list.
- Not suspended automatically (decision): a late re-curation is first the city's own task; stopping the
  orders of a group that cooks well because a visit was not made in time would cut a poor household's income
  for the city's delay. Staff suspend (with a note, audited) when the re-curation finds a reason.

Run every minute by the worker's outbox loop (gandeng.notifications.jobs.run_once, cheap: one query), and by
`flask --app app nglarisi recurate-remind` (for cron). Services flush, never commit.
"""
from __future__ import annotations

from datetime import date, datetime

from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import or_, select, update

from gandeng.accounts.policies import is_staff
from gandeng.audit.services import record
from gandeng.errors import DomainError, NotAllowed
from gandeng.formatting import long_date, to_wib
from gandeng.nglarisi import notices
from gandeng.nglarisi.models import Group, GroupStatus

REMIND_AFTER_MONTHS = 11
OVERDUE_AFTER_MONTHS = 12


def months_before(day: date, months: int) -> date:
    """The same day `months` months earlier (the 31st becomes the month's last day)."""
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def next_due(last_curated_on: date | None, today: date) -> date:
    """When the group's re-curation falls due (a year after the last; today when never curated)."""
    if last_curated_on is None:
        return today
    try:
        return last_curated_on.replace(year=last_curated_on.year + 1)
    except ValueError:  # 29 February
        return last_curated_on.replace(year=last_curated_on.year + 1, day=28)


def due_condition(today: date, months: int = REMIND_AFTER_MONTHS):
    """Verified groups whose last curation is `months` or more ago (or never recorded)."""
    return (Group.status == GroupStatus.VERIFIED) & or_(
        Group.last_curated_on.is_(None), Group.last_curated_on <= months_before(today, months))


def state(group: Group, today: date) -> str:
    """'' (fine), 'due' (11 months passed: reminded) or 'overdue' (more than 12 months)."""
    if group.status != GroupStatus.VERIFIED:
        return ""
    if group.last_curated_on is None or group.last_curated_on < months_before(today, OVERDUE_AFTER_MONTHS):
        return "overdue"
    if group.last_curated_on <= months_before(today, REMIND_AFTER_MONTHS):
        return "due"
    return ""


def remind(session, now: datetime) -> int:
    """Remind every group due and not yet reminded for its current curation; returns how many."""
    from gandeng.notifications.services import city_staff, notify

    today = to_wib(now).date()
    reminded = 0
    for group in session.scalars(select(Group).where(
            due_condition(today), Group.last_curated_on.is_not(None),
            or_(Group.recurate_reminded_for.is_(None), Group.recurate_reminded_for != Group.last_curated_on))
            .order_by(Group.id)).all():
        claimed = session.execute(update(Group).where(
            Group.id == group.id, Group.last_curated_on == group.last_curated_on,
            or_(Group.recurate_reminded_for.is_(None), Group.recurate_reminded_for != group.last_curated_on))
            .values(recurate_reminded_for=group.last_curated_on)
            .execution_options(synchronize_session=False)).rowcount
        if claimed != 1:
            continue
        due = next_due(group.last_curated_on, today)
        notices.tell_group(session, group, notices.recurate(group, due), now)
        notify(session, city_staff(session), "nglarisi.recurate_staff", _l(
            "Kelompok %(group)s perlu kurasi ulang tahunan sebelum %(due)s (kurasi terakhir %(last)s).",
            group=group.name, due=long_date(due), last=long_date(group.last_curated_on)),
            link=f"/nglarisi/groups/{group.id}", now=now)
        reminded += 1
    session.flush()
    return reminded


def record_recuration(session, actor, group: Group, today: date, note: str = "") -> None:
    """Staff record that the yearly re-curation is done: the next falls due a year from today."""
    if not is_staff(actor):
        raise NotAllowed(_("Hanya petugas kota yang dapat melakukan ini."))
    if group.status != GroupStatus.VERIFIED:
        raise DomainError(_("Hanya kelompok terverifikasi yang dikurasi ulang; verifikasi kelompok ini dulu."),
                          "status")
    before = {"last_curated_on": group.last_curated_on.isoformat() if group.last_curated_on else None}
    group.last_curated_on = today
    session.flush()
    record(session, actor, "nglarisi.recurated", group, before=before,
           after={"last_curated_on": today.isoformat()}, note=(note or "")[:500])

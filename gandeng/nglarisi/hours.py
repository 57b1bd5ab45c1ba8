"""The group's answer window counts waking hours only (pure functions, times naive UTC as stored).

An order placed at 23.48 WIB with ORDER_ACCEPT_MINUTES = 120 must be answered by 07.48, not 01.48: the
minutes run only between ORDER_ANSWER_HOURS (default 06.00-21.00 WIB). The window never ends later than
the moment the group's own lead time starts (`deliver_at - lead time`): a group that answers in time
always keeps its full lead time to cook. A group whose window would be shorter than MIN_ANSWER_MINUTES
(of waking time) cannot take the order (the proposer leaves it out with the reason "answer_time").
"""
from __future__ import annotations

from datetime import datetime, time, timedelta, timezone

from gandeng.formatting import WIB

DEFAULT_HOURS = "06:00-21:00"
MIN_ANSWER_MINUTES = 30


def parse_hours(text: str | None) -> tuple[time, time]:
    """("06:00", "21:00") from "06:00-21:00" or "06.00–21.00"; ValueError when not a daytime range."""
    raw = (text or DEFAULT_HOURS).replace("–", "-").replace(".", ":").replace(" ", "")
    start, _sep, end = raw.partition("-")
    first, last = time.fromisoformat(start), time.fromisoformat(end)
    if first >= last:
        raise ValueError("the waking hours must start before they end on the same day")
    return first, last


def _local(moment: datetime) -> datetime:
    return moment.replace(tzinfo=timezone.utc).astimezone(WIB)


def _utc(local: datetime) -> datetime:
    return local.astimezone(timezone.utc).replace(tzinfo=None)


def _day_bounds(local: datetime, hours) -> tuple[datetime, datetime]:
    first, last = hours
    return local.replace(hour=first.hour, minute=first.minute, second=0, microsecond=0), \
        local.replace(hour=last.hour, minute=last.minute, second=0, microsecond=0)


def add_waking_minutes(start: datetime, minutes: float, hours=None) -> datetime:
    """`start` (UTC) plus `minutes` counted only inside the waking hours of WIB days."""
    hours = hours or parse_hours(None)
    local, left = _local(start), timedelta(minutes=minutes)
    for _day in range(400):  # a window longer than a year is a mistake in the settings
        opens, closes = _day_bounds(local, hours)
        if local < opens:
            local = opens
        if local >= closes:
            local = _day_bounds(local + timedelta(days=1), hours)[0]
            continue
        if local + left <= closes:
            return _utc(local + left)
        left -= closes - local
        local = _day_bounds(local + timedelta(days=1), hours)[0]
    raise ValueError("answer window too long")


def waking_minutes_between(start: datetime, end: datetime, hours=None) -> float:
    """How many waking minutes lie between two UTC moments (0 when `end` is not after `start`)."""
    hours = hours or parse_hours(None)
    local, stop, total = _local(start), _local(end), timedelta()
    while local < stop:
        opens, closes = _day_bounds(local, hours)
        lo, hi = max(local, opens), min(stop, closes)
        if hi > lo:
            total += hi - lo
        local = _day_bounds(local + timedelta(days=1), hours)[0]
    return total.total_seconds() / 60


def answer_deadline(now: datetime, minutes: int, deliver_at: datetime, lead_time_hours: int,
                    hours=None) -> tuple[datetime, bool]:
    """(When the offer ends, whether it was shortened): `minutes` of waking time from `now`, but never
    after `deliver_at - lead_time_hours` (then shortened)."""
    full = add_waking_minutes(now, minutes, hours)
    latest = deliver_at - timedelta(hours=lead_time_hours)
    return (latest, True) if latest < full else (full, False)


def enough_time_to_answer(now: datetime, minutes: int, deliver_at: datetime, lead_time_hours: int,
                          hours=None) -> bool:
    """The group has at least MIN_ANSWER_MINUTES of waking time (or the whole window, when shorter) to answer."""
    deadline, _short = answer_deadline(now, minutes, deliver_at, lead_time_hours, hours)
    return waking_minutes_between(now, deadline, hours) >= min(MIN_ANSWER_MINUTES, minutes)

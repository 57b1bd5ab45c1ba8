"""Read-only queries behind the audit-log pages: filtered events, the choices, and what changed."""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from gandeng.accounts.models import User
from gandeng.audit.models import AuditEvent
from gandeng.formatting import WIB
from gandeng.paging import Key, Keyset, Page, Position, keyset_page

MAX_VALUE_CHARS = 80  # a changed value longer than this is cut in the compact list
# Newest first; (created_at, id) is unique and indexed (ix_audit_events_created).
EVENT_ORDER = Keyset(Key(AuditEvent.created_at, datetime), Key(AuditEvent.id, int))


@dataclass(frozen=True)
class AuditFilters:
    """What the staff narrowed the log to; None or '' means "any"."""

    action: str = ""
    object_type: str = ""
    actor: str = ""
    date_from: date | None = None
    date_to: date | None = None
    object_id: int | None = None


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped.lower()}%"


def wib_day_start_utc(day: date) -> datetime:
    """Midnight of `day` in Yogyakarta as the naive UTC time the `*_at` columns store."""
    return datetime.combine(day, time.min, tzinfo=WIB).astimezone(timezone.utc).replace(tzinfo=None)


def events_query(filters: AuditFilters):
    """Audit events matching `filters`, newest first, with their actors loaded."""
    query = select(AuditEvent).options(selectinload(AuditEvent.actor))
    if filters.action:
        query = query.where(AuditEvent.action == filters.action)
    if filters.object_type:
        query = query.where(AuditEvent.object_type == filters.object_type)
    if filters.object_id is not None:
        query = query.where(AuditEvent.object_id == filters.object_id)
    if filters.actor.strip():
        pattern = _like(filters.actor.strip())
        matching = select(User.id).where(or_(
            func.lower(User.name).like(pattern, escape="\\"), func.lower(User.email).like(pattern, escape="\\")
        ))
        query = query.where(AuditEvent.actor_id.in_(matching))
    # Dates are days in WIB: "from 1 May" starts at 00.00 WIB, "to 31 May" ends before 1 June 00.00 WIB.
    if filters.date_from is not None:
        query = query.where(AuditEvent.created_at >= wib_day_start_utc(filters.date_from))
    if filters.date_to is not None:
        query = query.where(AuditEvent.created_at < wib_day_start_utc(filters.date_to + timedelta(days=1)))
    return query.order_by(*EVENT_ORDER.order_by())


def page_of_events(session, filters: AuditFilters, position: Position, per_page: int) -> Page:
    """One page of the filtered log at `position`: a count, the events, their actors."""
    return keyset_page(session, events_query(filters), EVENT_ORDER, per_page, position)


def actions_present(session) -> list[str]:
    """The distinct action codes in the log, sorted (for the filter's choices)."""
    return list(session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)))


def object_types_present(session) -> list[str]:
    """The distinct object types (table names) in the log, sorted."""
    return list(session.scalars(select(AuditEvent.object_type).distinct().order_by(AuditEvent.object_type)))


def _short(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, (list, tuple)):
        value = ", ".join(str(v) for v in value)
    text = str(value)
    return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 1] + "…"


def changes(before: dict | None, after: dict | None) -> list[tuple[str, str, str]]:
    """(key, before, after) for each key whose value differs, in a stable order; values shortened.
    A key only in `after` (a creation) shows "–" before it."""
    before, after = before or {}, after or {}
    keys = list(before) + [k for k in after if k not in before]
    return [(key, _short(before.get(key)), _short(after.get(key)))
            for key in keys if before.get(key) != after.get(key)]

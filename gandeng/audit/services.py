"""Recording and reading audit events."""
from sqlalchemy import select

from gandeng.audit.models import AuditEvent


def record(session, actor, action: str, obj, before=None, after=None, note: str = "") -> AuditEvent:
    """Append one audit row for `action` on `obj` (a model with `id` and `__tablename__`)."""
    event = AuditEvent(
        actor_id=getattr(actor, "id", None),
        action=action,
        object_type=obj.__tablename__,
        object_id=obj.id,
        before=before,
        after=after,
        note=note or "",
    )
    session.add(event)
    session.flush()
    return event


def history(session, obj) -> list[AuditEvent]:
    """The audit rows of one object, oldest first."""
    query = (
        select(AuditEvent)
        .where(AuditEvent.object_type == obj.__tablename__, AuditEvent.object_id == obj.id)
        .order_by(AuditEvent.created_at, AuditEvent.id)
    )
    return list(session.scalars(query))

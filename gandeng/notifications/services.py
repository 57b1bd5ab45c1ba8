"""Telling people what concerns them: an in-app notification and a queued e-mail for each."""
from sqlalchemy import func, select, update

from gandeng.db import utcnow
from gandeng.notifications.models import Notification, OutboxEmail


def notify(session, users, kind: str, message: str, link: str = "", email_subject: str | None = None) -> int:
    """One in-app notification per distinct active user (and an outbox e-mail when a subject is
    given); returns how many users were told. `message` must not carry personal data of households."""
    told = 0
    seen = set()
    for user in users:
        if user is None or user.id in seen or not user.is_active:
            continue
        seen.add(user.id)
        session.add(Notification(user_id=user.id, kind=kind, message=message, link=link))
        if email_subject and user.email:
            body = message + (f"\n\n{link}" if link else "")
            session.add(OutboxEmail(to_email=user.email, subject=email_subject, body=body))
        told += 1
    session.flush()
    return told


def unread_count(session, user) -> int:
    """How many of the user's notifications are unread (for the navigation bar)."""
    return session.scalar(
        select(func.count(Notification.id)).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    ) or 0


def mark_all_read(session, user) -> None:
    """Mark every unread notification of the user as read."""
    session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )

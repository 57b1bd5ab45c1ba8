"""Read-only queries behind the notification and outbox pages."""
from sqlalchemy import func, select

from gandeng.notifications.models import Notification, OutboxEmail

OUTBOX_STATES = ("queued", "failed", "sent")


def notifications_query(user):
    """The user's notifications, newest first."""
    return (select(Notification).where(Notification.user_id == user.id)
            .order_by(Notification.created_at.desc(), Notification.id.desc()))


def _outbox_state(state: str):
    if state == "sent":
        return OutboxEmail.sent_at.is_not(None)
    if state == "failed":  # not sent yet, at least one attempt failed: it will be retried
        return OutboxEmail.sent_at.is_(None) & (OutboxEmail.attempts > 0)
    return OutboxEmail.sent_at.is_(None) & (OutboxEmail.attempts == 0)


def outbox_query(state: str = ""):
    """Outbox e-mails in one state ('queued', 'failed', 'sent'; '' = all), newest first."""
    query = select(OutboxEmail)
    if state in OUTBOX_STATES:
        query = query.where(_outbox_state(state))
    return query.order_by(OutboxEmail.created_at.desc(), OutboxEmail.id.desc())


def outbox_counts(session) -> dict[str, int]:
    """How many e-mails are queued, failed (waiting for a retry) and sent."""
    return {state: session.scalar(select(func.count(OutboxEmail.id)).where(_outbox_state(state))) or 0
            for state in OUTBOX_STATES}

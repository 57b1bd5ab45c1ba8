"""Read-only queries behind the notification, outbox and delivery-status views."""
from datetime import datetime, timedelta

from sqlalchemy import and_, func, select

from gandeng.accounts.models import User
from gandeng.notifications.models import Channel, MessageStatus, Notification, OutboxMessage

LATE_AFTER = timedelta(hours=1)
# Filters of the staff's outbox page: name -> condition (given `now`).
OUTBOX_FILTERS = ("queued", "retrying", "sent", "delivered", "read", "failed", "late", "held")


def notifications_query(user):
    """The user's notifications, newest first."""
    return (select(Notification).where(Notification.user_id == user.id)
            .order_by(Notification.created_at.desc(), Notification.id.desc()))


def _condition(name: str, now: datetime):
    status = OutboxMessage.status
    if name == "queued":
        return and_(status == MessageStatus.QUEUED, OutboxMessage.attempts == 0)
    if name == "retrying":  # failed at least once, will be tried again
        return and_(status == MessageStatus.QUEUED, OutboxMessage.attempts > 0)
    if name == "late":  # went out more than an hour ago and no receipt says it arrived
        return and_(status.in_([MessageStatus.SENT, MessageStatus.SENDING]),
                    func.coalesce(OutboxMessage.sent_at, OutboxMessage.sending_at) < now - LATE_AFTER)
    return status == name


def outbox_query(state: str, now: datetime, channel: str = ""):
    """Outside messages (WhatsApp, e-mail) in one state ('' = all), newest first."""
    query = select(OutboxMessage).where(OutboxMessage.channel != Channel.INAPP)
    if state in OUTBOX_FILTERS:
        query = query.where(_condition(state, now))
    if channel in (Channel.WHATSAPP, Channel.EMAIL):
        query = query.where(OutboxMessage.channel == channel)
    return query.order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())


def outbox_counts(session, now: datetime) -> dict[str, int]:
    """How many outside messages are in each filter."""
    return {name: session.scalar(select(func.count(OutboxMessage.id)).where(
        OutboxMessage.channel != Channel.INAPP, _condition(name, now))) or 0 for name in OUTBOX_FILTERS}


# Best news first: a read WhatsApp beats a delivered e-mail.
_RANK = {MessageStatus.READ: 6, MessageStatus.DELIVERED: 5, MessageStatus.SENT: 4, MessageStatus.SENDING: 3,
         MessageStatus.QUEUED: 2, MessageStatus.HELD: 2, MessageStatus.DIGESTED: 4, MessageStatus.FAILED: 1}


def last_delivery_by_party(session, link: str) -> list[dict]:
    """For each person told about `link` (a page such as /needs/5): their last notification there and how
    far it got on each channel — for "terkirim / dibaca" on the need and collaboration pages."""
    rows = list(session.execute(
        select(OutboxMessage, User).join(User, User.id == OutboxMessage.user_id)
        .where(OutboxMessage.link == link).order_by(OutboxMessage.created_at, OutboxMessage.id)))
    latest: dict[int, dict] = {}
    for message, user in rows:
        entry = latest.get(user.id)
        key = (message.notification_id, message.kind)
        if entry is None or (entry["key"] != key and message.created_at >= entry["at"]):
            entry = latest[user.id] = {"user": user, "kind": message.kind, "at": message.created_at,
                                       "key": key, "channels": {}}
        if entry["key"] == key:
            entry["channels"][message.channel] = message
    result = []
    for entry in latest.values():
        best = max(entry["channels"].values(), key=lambda m: _RANK.get(m.status, 0))
        result.append({**entry, "best": best})
    return sorted(result, key=lambda e: e["user"].name)

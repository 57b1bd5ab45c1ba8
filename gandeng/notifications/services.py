"""Telling people what concerns them: an in-app notification and an outbox message per outside channel."""
from flask_babel import force_locale, gettext as _, lazy_gettext as _l
from sqlalchemy import func, select, update

from gandeng.accounts.models import Role, User, UserStatus
from gandeng.db import utcnow
from gandeng.errors import NotFound
from gandeng.notifications import channels
from gandeng.notifications.models import Channel, MessageStatus, Notification, OutboxMessage


def _in_language(text, user) -> str:
    """`text` as the user reads it: a lazy (_l) message is rendered in the user's language."""
    if isinstance(text, str):
        return text
    with force_locale(user.locale or "id"):
        return str(text)


def _one_line(text: str) -> str:
    """WhatsApp template parameters may not hold new lines or runs of spaces."""
    return " ".join((text or "").split())


def notify(session, users, kind: str, message: str, link: str = "", email_subject: str | None = None, *,
           inapp: bool = True, secret: bool = False, now=None, whatsapp_params: list | None = None) -> int:
    """Tell each distinct active user: one in-app notification (unless `inapp` is False) and one outbox
    message per outside channel they have (WhatsApp with consent, e-mail); returns how many were told.
    Users who chose the daily digest get their outside messages held until 07:00 WIB (urgent kinds never).
    `message` must not carry personal data of households; it and `email_subject` may be lazy strings
    (_l): each user then reads them in their language. Never raises for a channel: a notification must
    not block the decision that caused it. `whatsapp_params`: the body parameters of the kind's own
    WhatsApp template, when it has its own (default: [the text, the link] of the generic templates)."""
    from gandeng.notifications.preferences import preference_of

    now = now or utcnow()
    config = channels.settings()
    told = 0
    seen = set()
    for user in users:
        if user is None or user.id in seen or not user.is_active:
            continue
        seen.add(user.id)
        text = _in_language(message, user)
        notification = None
        if inapp:
            notification = Notification(user_id=user.id, kind=kind, message=text, link=link, created_at=now)
            session.add(notification)
            session.flush()
            session.add(OutboxMessage(channel=Channel.INAPP, kind=kind, user_id=user.id,
                                      notification_id=notification.id, to_address=f"user:{user.id}",
                                      body=text, link=link, status=MessageStatus.DELIVERED, created_at=now,
                                      sent_at=now, delivered_at=now, next_attempt_at=None))
        preference = preference_of(session, user)
        held = preference.daily_digest and kind not in channels.URGENT_KINDS
        subject = _in_language(email_subject, user) if email_subject else _default_subject(user)
        for channel in channels.channels_for(user, preference, config):
            session.add(OutboxMessage(
                channel=channel, kind=kind, user_id=user.id,
                notification_id=notification.id if notification else None,
                to_address=user.phone if channel == Channel.WHATSAPP else user.email,
                subject=subject[:200], body=text + (f"\n\n{link}" if link else ""), link=link,
                template_name=channels.template_for(kind) if channel == Channel.WHATSAPP else "",
                template_params=(([_one_line(str(p)) for p in whatsapp_params] if whatsapp_params is not None
                                  else [_one_line(text), link]) if channel == Channel.WHATSAPP else []),
                secret=secret, created_at=now,
                status=MessageStatus.HELD if held else MessageStatus.QUEUED,
                next_attempt_at=channels.next_digest_at(now) if held else now,
            ))
        told += 1
    session.flush()
    return told


def notify_number(session, phone_e164: str, kind: str, message, link: str = "", *, params: list | None = None,
                  secret: bool = False, now=None) -> bool:
    """One WhatsApp message to a number that has no account (e.g. a Nglarisi group's registered contact
    phone), through the same outbox (retries, receipts, redaction of `secret` bodies). Indonesian; the
    kind's template with `params` (default [text, link]). False when WhatsApp is not configured or the
    number is empty. The caller decides whether the number may be written to (consent, BERHENTI)."""
    if not phone_e164 or not channels.whatsapp_configured():
        return False
    now = now or utcnow()
    with force_locale("id"):
        text = str(message)
        values = [_one_line(str(p)) for p in params] if params is not None else [_one_line(text), link]
    session.add(OutboxMessage(
        channel=Channel.WHATSAPP, kind=kind, user_id=None, to_address=phone_e164, subject="",
        body=text + (f"\n\n{link}" if link else ""), link=link, template_name=channels.template_for(kind),
        template_params=values, secret=secret, created_at=now, status=MessageStatus.QUEUED, next_attempt_at=now))
    session.flush()
    return True


def _default_subject(user) -> str:
    with force_locale(user.locale or "id"):
        return str(_l("Pemberitahuan Gandeng Gendong"))


def unread_count(session, user) -> int:
    """How many of the user's notifications are unread (for the navigation bar)."""
    return session.scalar(
        select(func.count(Notification.id)).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    ) or 0


def mark_all_read(session, user) -> None:
    """Mark every unread notification of the user as read."""
    now = utcnow()
    unread = select(Notification.id).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    session.execute(update(OutboxMessage).where(
        OutboxMessage.channel == Channel.INAPP, OutboxMessage.notification_id.in_(unread)
    ).values(status=MessageStatus.READ, read_at=now))
    session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=now)
    )


def mark_read(session, user, notification: Notification) -> None:
    """Mark one of the user's notifications as read (a no-op when it already is)."""
    if notification.user_id != user.id:
        raise NotFound(_("Notifikasi tidak ditemukan."))
    if notification.read_at is None:
        notification.read_at = utcnow()
        session.execute(update(OutboxMessage).where(
            OutboxMessage.channel == Channel.INAPP, OutboxMessage.notification_id == notification.id
        ).values(status=MessageStatus.READ, read_at=notification.read_at))
        session.flush()


# --- who is concerned ---------------------------------------------------------------------------


def _active(query):
    return query.where(User.status == UserStatus.ACTIVE).order_by(User.id)


def coordinators_of(session, kampung_id) -> list[User]:
    """The active coordinators of a kampung."""
    return list(session.scalars(_active(select(User).where(
        User.role == Role.COORDINATOR, User.kampung_id == kampung_id))))


def members_of(session, organisation_id) -> list[User]:
    """The active partner accounts of an organisation."""
    return list(session.scalars(_active(select(User).where(
        User.role == Role.PARTNER, User.organisation_id == organisation_id))))


def city_staff(session) -> list[User]:
    """The active city staff; the admins when there are no staff yet (someone must hear of it)."""
    staff = list(session.scalars(_active(select(User).where(User.role == Role.STAFF))))
    return staff or list(session.scalars(_active(select(User).where(User.role == Role.ADMIN))))

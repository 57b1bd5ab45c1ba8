"""Telling people what concerns them: an in-app notification and a queued e-mail for each."""
from flask_babel import force_locale, gettext as _
from sqlalchemy import func, select, update

from gandeng.accounts.models import Role, User, UserStatus
from gandeng.db import utcnow
from gandeng.errors import NotFound
from gandeng.notifications.models import Notification, OutboxEmail


def _in_language(text, user) -> str:
    """`text` as the user reads it: a lazy (_l) message is rendered in the user's language."""
    if isinstance(text, str):
        return text
    with force_locale(user.locale or "id"):
        return str(text)


def notify(session, users, kind: str, message: str, link: str = "", email_subject: str | None = None) -> int:
    """One in-app notification per distinct active user (and an outbox e-mail when a subject is
    given); returns how many users were told. `message` must not carry personal data of households.
    `message` and `email_subject` may be lazy strings (_l): each user then reads them in their language."""
    told = 0
    seen = set()
    for user in users:
        if user is None or user.id in seen or not user.is_active:
            continue
        seen.add(user.id)
        text = _in_language(message, user)
        session.add(Notification(user_id=user.id, kind=kind, message=text, link=link))
        if email_subject and user.email:
            body = text + (f"\n\n{link}" if link else "")
            session.add(OutboxEmail(to_email=user.email, subject=_in_language(email_subject, user), body=body))
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


def mark_read(session, user, notification: Notification) -> None:
    """Mark one of the user's notifications as read (a no-op when it already is)."""
    if notification.user_id != user.id:
        raise NotFound(_("Notifikasi tidak ditemukan."))
    if notification.read_at is None:
        notification.read_at = utcnow()
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

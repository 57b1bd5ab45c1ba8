"""Each user's choice of channels and digest, WhatsApp consent (UU PDP) and BERHENTI replies."""
import logging

from flask_babel import gettext as _
from sqlalchemy import select, update

from gandeng.accounts.models import User
from gandeng.accounts.phones import normalise_phone
from gandeng.audit.services import record
from gandeng.db import utcnow
from gandeng.errors import DomainError
from gandeng.notifications.models import Channel, MessageStatus, NotificationPreference, OutboxMessage

log = logging.getLogger(__name__)
STOP_WORDS = {"BERHENTI", "STOP"}


def preference_of(session, user) -> NotificationPreference:
    """The user's row; a fresh one with the defaults (not added) when they never chose."""
    found = session.get(NotificationPreference, user.id)
    if found is not None:
        return found
    return NotificationPreference(user_id=user.id, email_enabled=True, whatsapp_enabled=False, daily_digest=False)


def _stored(session, user) -> NotificationPreference:
    preference = preference_of(session, user)
    if preference not in session:
        session.add(preference)
    return preference


def grant_whatsapp_consent(session, user, now=None) -> None:
    """WhatsApp on for `user`, consent stamped now (staff-entered numbers count as consent for service
    messages: contract, create-user --phone)."""
    preference = _stored(session, user)
    preference.whatsapp_enabled = True
    preference.whatsapp_consent_at = now or utcnow()
    preference.whatsapp_opt_out_at = None
    session.flush()


def update_preferences(session, actor, user, *, phone: str, email_enabled: bool, whatsapp_enabled: bool,
                       daily_digest: bool) -> None:
    """The user sets their number and channels. Turning WhatsApp on records consent with a timestamp;
    turning it off withdraws it. Only the user themself may do this."""
    if actor is None or actor.id != user.id:
        raise DomainError(_("Hanya pemilik akun yang dapat mengubah pilihan pemberitahuan."))
    phone = normalise_phone(phone)
    if whatsapp_enabled and not phone:
        raise DomainError(_("Isi nomor HP untuk menerima WhatsApp."), "phone")
    if phone and phone != user.phone:
        taken = session.scalar(select(User.id).where(User.phone == phone, User.id != user.id))
        if taken is not None:
            raise DomainError(_("Nomor HP ini sudah dipakai akun lain."), "phone")
    preference = _stored(session, user)
    before = {"whatsapp": preference.whatsapp_enabled, "email": preference.email_enabled,
              "digest": preference.daily_digest, "phone_changed": phone != user.phone}
    if phone != user.phone:
        user.phone = phone
        preference.whatsapp_consent_at = None  # consent was for the old number
    if whatsapp_enabled and (preference.whatsapp_consent_at is None or not preference.whatsapp_enabled
                             or preference.whatsapp_opt_out_at is not None):
        preference.whatsapp_consent_at = utcnow()
        preference.whatsapp_opt_out_at = None
    if not whatsapp_enabled:
        preference.whatsapp_consent_at = None
    preference.whatsapp_enabled = whatsapp_enabled
    preference.email_enabled = email_enabled
    preference.daily_digest = daily_digest
    session.flush()
    # The number itself never goes to the audit trail.
    record(session, actor, "notification_preferences.update", user, before=before,
           after={"whatsapp": whatsapp_enabled, "email": email_enabled, "digest": daily_digest})


def stop_whatsapp(session, phone_e164: str, now=None) -> int:
    """A BERHENTI reply from `phone_e164`: WhatsApp off for every account with that number, their queued
    WhatsApp messages dropped. Returns how many accounts were switched off."""
    now = now or utcnow()
    users = list(session.scalars(select(User).where(User.phone == phone_e164)))
    for user in users:
        preference = _stored(session, user)
        preference.whatsapp_enabled = False
        preference.whatsapp_opt_out_at = now
        session.execute(update(OutboxMessage).where(
            OutboxMessage.user_id == user.id, OutboxMessage.channel == Channel.WHATSAPP,
            OutboxMessage.status.in_([MessageStatus.QUEUED, MessageStatus.HELD]),
        ).values(status=MessageStatus.FAILED, failed_at=now, last_error="BERHENTI: penerima berhenti berlangganan"))
        record(session, None, "notification_preferences.whatsapp_stop", user, after={"whatsapp": False})
    # Numbers written to without an account (a Nglarisi group's contact phone): stopped there too.
    from gandeng.nglarisi.notices import stop_contact

    stop_contact(session, phone_e164, now)
    session.execute(update(OutboxMessage).where(
        OutboxMessage.user_id.is_(None), OutboxMessage.to_address == phone_e164,
        OutboxMessage.channel == Channel.WHATSAPP, OutboxMessage.status.in_([MessageStatus.QUEUED, MessageStatus.HELD]),
    ).values(status=MessageStatus.FAILED, failed_at=now, last_error="BERHENTI: penerima berhenti berlangganan"))
    session.flush()
    return len(users)


def note_inbound(session, phone_e164: str, now=None) -> None:
    """The person wrote to us: the 24-hour window for plain-text messages opens."""
    for user in session.scalars(select(User).where(User.phone == phone_e164)):
        _stored(session, user).whatsapp_last_inbound_at = now or utcnow()
    session.flush()

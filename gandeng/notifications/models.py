"""Notification (in-app), OutboxMessage (one per person and channel: in-app, WhatsApp, e-mail, sent later
and followed until delivered), each user's NotificationPreference and the reminders already sent."""
from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gandeng.accounts.models import User
from gandeng.db import db, utcnow


class Notification(db.Model):
    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_unread", "user_id", "read_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(40))
    message: Mapped[str] = mapped_column(Text)
    link: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
    user: Mapped[User] = relationship()


class OutboxEmail(db.Model):
    """Legacy: the e-mail-only outbox before migration notify01, which copied its rows into
    outbox_messages. Nothing writes here any more; kept so the migration stays additive."""

    __tablename__ = "outbox_emails"
    __table_args__ = (Index("ix_outbox_emails_pending", "sent_at", "next_attempt_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    to_email: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(default=utcnow)
    last_error: Mapped[str] = mapped_column(Text, default="")


class Channel(StrEnum):
    INAPP = "inapp"
    WHATSAPP = "whatsapp"
    EMAIL = "email"


class MessageStatus(StrEnum):
    HELD = "held"          # waits for the user's daily digest
    QUEUED = "queued"      # due at next_attempt_at (attempts > 0: an earlier try failed)
    SENDING = "sending"    # claimed by a sender; the provider call may or may not have happened
    SENT = "sent"          # the provider accepted it (provider_message_id kept)
    DELIVERED = "delivered"
    READ = "read"
    FAILED = "failed"      # given up: 5 tries, a permanent provider error, or an uncertain send
    DIGESTED = "digested"  # went out inside a digest message (digest_id)


# Forward order of delivery receipts: a late "sent" never undoes "read".
STATUS_RANK = {MessageStatus.SENT: 1, MessageStatus.DELIVERED: 2, MessageStatus.READ: 3}


class OutboxMessage(db.Model):
    """One message to one person on one channel. In-app rows mirror a Notification (delivered at once,
    read when opened); WhatsApp and e-mail rows are sent by `outbox send` and followed by receipts."""

    __tablename__ = "outbox_messages"
    __table_args__ = (
        Index("ix_outbox_messages_due", "status", "next_attempt_at"),
        Index("ix_outbox_messages_link", "link", "user_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(40), default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    notification_id: Mapped[int | None] = mapped_column(ForeignKey("notifications.id"), index=True)
    to_address: Mapped[str] = mapped_column(String(254))  # e-mail address or E.164 number
    subject: Mapped[str] = mapped_column(String(200), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str] = mapped_column(String(300), default="")
    template_name: Mapped[str] = mapped_column(String(80), default="")
    template_params: Mapped[list] = mapped_column(JSON, default=list)
    # A body that carries a secret (a password-reset link) is blanked once the message is settled.
    secret: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(16), default=MessageStatus.QUEUED)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(default=utcnow)
    last_error: Mapped[str] = mapped_column(Text, default="")
    # Written (and committed) before the provider call; echoed back by the Cloud API in receipts.
    idempotency_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    claim_token: Mapped[str | None] = mapped_column(String(32), index=True)  # which sender claimed it
    provider_message_id: Mapped[str | None] = mapped_column(String(160), unique=True)
    digest_id: Mapped[int | None] = mapped_column(ForeignKey("outbox_messages.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sending_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
    read_at: Mapped[datetime | None]
    failed_at: Mapped[datetime | None]
    user: Mapped[User | None] = relationship()


class NotificationPreference(db.Model):
    """How a user wants to be told. No row = the defaults (e-mail on, WhatsApp off until consent)."""

    __tablename__ = "notification_preferences"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    email_enabled: Mapped[bool] = mapped_column(default=True)
    whatsapp_enabled: Mapped[bool] = mapped_column(default=False)
    # UU PDP: when the person (or staff for them, create-user --phone) agreed to WhatsApp messages.
    whatsapp_consent_at: Mapped[datetime | None]
    whatsapp_opt_out_at: Mapped[datetime | None]  # a "BERHENTI" reply
    whatsapp_last_inbound_at: Mapped[datetime | None]  # opens the 24-hour window for plain text
    daily_digest: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ReminderSent(db.Model):
    """A reminder already sent, by a key naming what and when (sent once per key)."""

    __tablename__ = "reminders_sent"
    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

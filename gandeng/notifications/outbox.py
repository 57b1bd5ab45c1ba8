"""Sending the outbox: WhatsApp through the Cloud API, e-mail over SMTP; retried with back-off, never twice.

Idempotency: a sender first *claims* messages (status `sending`, an idempotency key, committed), then
calls the provider, then records the provider's ids (committed). A crash between the call and the
record leaves the messages in `sending`: they are never picked up again by themselves. A WhatsApp receipt that
carries the key (`biz_opaque_callback_data`) reconciles it as sent; a message still `sending` after
STUCK_AFTER becomes `failed` with a note, and only a person (the retry button on /outbox) sends it again.
"""
import smtplib
import uuid
from datetime import datetime, timedelta
from email.message import EmailMessage

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import String, cast, func, literal, select, update

from gandeng.notifications import whatsapp
from gandeng.notifications.channels import whatsapp_configured
from gandeng.notifications.models import Channel, MessageStatus, NotificationPreference, OutboxMessage

MAX_ATTEMPTS = 5
MAX_BACKOFF = timedelta(hours=6)
STUCK_AFTER = timedelta(minutes=10)
CHUNK = 16  # messages claimed (and recorded) per commit
PARALLEL_CALLS = 8  # WhatsApp calls in flight at once (Meta allows 80 messages/second per number)
SMTP_TIMEOUT_SECONDS = 20
MAX_ERROR_CHARS = 1000
REDACTED = "[tautan rahasia disembunyikan setelah dikirim]"
UNCERTAIN = ("Tidak pasti apakah terkirim: pengiriman terhenti sebelum hasilnya dicatat. "
             "Tidak dikirim ulang otomatis agar tidak terkirim dua kali.")


def backoff(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed attempt: 1, 2, 4, 8 … minutes, at most 6 hours."""
    if attempts >= 10:  # 2**9 minutes already passes the cap; avoids huge powers
        return MAX_BACKOFF
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def _absolute(link: str, base_url: str) -> str:
    if base_url and link.startswith("/") and not link.startswith("//"):
        return base_url.rstrip("/") + link
    return link


def _absolute_body(body: str, base_url: str) -> str:
    """Lines that are local paths (/needs/5) made absolute, when the site's address is known."""
    return "\n".join(_absolute(line, base_url) for line in body.split("\n"))


def sendable_channels(config) -> list[str]:
    chosen = []
    if whatsapp_configured(config):
        chosen.append(Channel.WHATSAPP)
    if config.get("MAIL_SERVER"):
        chosen.append(Channel.EMAIL)
    return chosen


def unsent_count(session) -> int:
    """How many outside messages wait (queued, held for a digest or being sent)."""
    return session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.status.in_(
        [MessageStatus.QUEUED, MessageStatus.HELD, MessageStatus.SENDING]))) or 0


# --- one message ------------------------------------------------------------------------------------


def claim_batch(session, message_ids, now: datetime) -> list[OutboxMessage]:
    """Take queued messages for sending, committed before any provider call. Each row is claimed by exactly
    one sender (the UPDATE only moves `queued` rows); the rows this call won carry its claim token.
    A message keeps its idempotency key across retries, so a late receipt of an earlier try still finds it."""
    ids = list(message_ids)
    if not ids:
        return []
    token = uuid.uuid4().hex
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(ids), OutboxMessage.status == MessageStatus.QUEUED)
        .values(status=MessageStatus.SENDING, sending_at=now, claim_token=token,
                idempotency_key=func.coalesce(OutboxMessage.idempotency_key,
                                              literal(token + "-") + cast(OutboxMessage.id, String)))
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return list(session.scalars(select(OutboxMessage).where(OutboxMessage.claim_token == token)
                                .order_by(OutboxMessage.id)
                                .execution_options(populate_existing=True)))


def claim(session, message_id: int, now: datetime) -> OutboxMessage | None:
    """Take one queued message for sending (only one sender wins); None when another sender has it."""
    claimed = claim_batch(session, [message_id], now)
    return claimed[0] if claimed else None


def _whatsapp_body(session, message: OutboxMessage, config, now: datetime) -> dict:
    preference = session.get(NotificationPreference, message.user_id) if message.user_id else None
    base = config.get("PUBLIC_BASE_URL") or ""
    in_window = (preference is not None and preference.whatsapp_last_inbound_at is not None
                 and now - preference.whatsapp_last_inbound_at < timedelta(hours=whatsapp.TEXT_WINDOW_HOURS))
    if in_window:
        return whatsapp.payload(message.to_address, text=_absolute_body(message.body, base),
                                callback_data=message.idempotency_key)
    params = [_absolute(str(p), base) for p in (message.template_params or [])]
    return whatsapp.payload(message.to_address, template_name=message.template_name, params=params,
                            language=config.get("WHATSAPP_TEMPLATE_LANGUAGE") or "id",
                            callback_data=message.idempotency_key)


def _email(message: OutboxMessage, config) -> EmailMessage:
    email = EmailMessage()
    email["From"] = config.get("MAIL_FROM") or "gandeng-gendong@localhost"
    email["To"] = message.to_address
    email["Subject"] = message.subject
    sender = str(email["From"])
    domain = sender.rsplit("@", 1)[-1].strip("> ") if "@" in sender else "localhost"
    # Stable per message: a receiving server may drop a duplicate after a crash between send and record.
    email["Message-ID"] = f"<outbox-{message.id}.{message.idempotency_key}@{domain}>"
    email.set_content(_absolute_body(message.body, config.get("PUBLIC_BASE_URL") or ""))
    return email


def _secret_values(message: OutboxMessage) -> dict:
    return {"body": REDACTED, "template_params": [REDACTED]} if message.secret else {}


def _settle(session, message: OutboxMessage, values: dict) -> bool:
    """Write a send's result only while the message is still `sending`: a receipt may have arrived (and
    moved it to sent/delivered/read) before the sender got to record its answer; that news must win."""
    done = session.execute(
        update(OutboxMessage).where(OutboxMessage.id == message.id, OutboxMessage.status == MessageStatus.SENDING)
        .values(**values).execution_options(synchronize_session=False)
    ).rowcount
    session.expire(message)
    return bool(done)


def record_sent(session, message: OutboxMessage, provider_id: str, now: datetime) -> None:
    """The provider accepted the message (unless a receipt has already said more)."""
    _settle(session, message, {
        "status": MessageStatus.SENT, "provider_message_id": message.provider_message_id or provider_id,
        "sent_at": now, "attempts": (message.attempts or 0) + 1, "last_error": "", **_secret_values(message)})


def record_failure(session, message: OutboxMessage, now: datetime, error: str, permanent: bool = False) -> str:
    """Count the attempt; retry after back-off, or give up after MAX_ATTEMPTS or a permanent refusal.
    Returns the status written (`queued` or `failed`), or '' when a receipt had already settled it."""
    attempts = (message.attempts or 0) + 1
    values = {"attempts": attempts, "last_error": error[:MAX_ERROR_CHARS]}
    if permanent or attempts >= MAX_ATTEMPTS:
        values.update(status=MessageStatus.FAILED, failed_at=now, next_attempt_at=None, **_secret_values(message))
    else:
        values.update(status=MessageStatus.QUEUED, next_attempt_at=now + backoff(attempts))
    return values["status"] if _settle(session, message, values) else ""


class _Smtp:
    """One SMTP connection for a batch, opened at the first e-mail."""

    def __init__(self, config):
        self.config, self.smtp = config, None

    def send(self, email: EmailMessage) -> None:
        if self.smtp is None:
            config = self.config
            smtp = smtplib.SMTP(config["MAIL_SERVER"], int(config.get("MAIL_PORT") or 25),
                                timeout=SMTP_TIMEOUT_SECONDS)
            try:
                if config.get("MAIL_USE_TLS"):
                    smtp.starttls()
                if config.get("MAIL_USERNAME"):
                    smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
            except BaseException:
                smtp.close()
                raise
            self.smtp = smtp
        try:
            self.smtp.send_message(email)
        except smtplib.SMTPServerDisconnected:
            self.smtp = None
            raise

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (OSError, smtplib.SMTPException):
                self.smtp.close()


def deliver(session, message: OutboxMessage, config, now: datetime, smtp: _Smtp) -> str:
    """Call the provider for a claimed message; returns the provider's id (raises ProviderError)."""
    if message.channel == Channel.WHATSAPP:
        return whatsapp.send(config, _whatsapp_body(session, message, config, now))
    email = _email(message, config)
    try:
        smtp.send(email)
    except smtplib.SMTPRecipientsRefused as error:
        raise whatsapp.ProviderError(f"SMTP: {error.recipients}", permanent=False) from None
    except (OSError, smtplib.SMTPException) as error:
        raise whatsapp.ProviderError(f"{type(error).__name__}: {error}") from None
    return str(email["Message-ID"])  # SMTP acceptance: the Message-ID is the provider id


# --- the batch --------------------------------------------------------------------------------------


def settle_stuck(session, now: datetime) -> int:
    """Messages left in `sending` (a sender died after claiming) become `failed` with a note; not resent."""
    stuck = list(session.scalars(select(OutboxMessage).where(
        OutboxMessage.status == MessageStatus.SENDING, OutboxMessage.sending_at < now - STUCK_AFTER)))
    for message in stuck:
        message.status = MessageStatus.FAILED
        message.failed_at = now
        message.last_error = UNCERTAIN
    session.flush()
    return len(stuck)


def _send_whatsapps(session, messages, config, now: datetime) -> list:
    """Provider calls for a claimed chunk, side by side (the Cloud API answers in a few hundred ms; one at
    a time would cap a city at a few messages a second). Bodies are built here, results recorded by the
    caller: the database session never leaves this thread."""
    bodies = [_whatsapp_body(session, message, config, now) for message in messages]

    def call(body):
        try:
            return whatsapp.send(config, body)
        except whatsapp.ProviderError as error:
            return error

    if len(bodies) == 1:
        return [call(bodies[0])]
    with ThreadPoolExecutor(max_workers=min(PARALLEL_CALLS, len(bodies))) as pool:
        return list(pool.map(call, bodies))


def _send_emails(messages, config, smtp: _Smtp) -> list:
    results = []
    for message in messages:
        try:
            results.append(deliver(None, message, config, None, smtp))
        except whatsapp.ProviderError as error:
            results.append(error)
    return results


def send_due(session, now: datetime, config, limit: int = 100) -> dict:
    """Send up to `limit` due messages on the configured channels, CHUNK at a time. Commits twice per chunk:
    the claim before any provider call (what makes a crash unable to send twice), the results after.
    Returns counts: sent, failed (this round; will be retried), gave_up, skipped and waiting."""
    from gandeng.notifications.digests import release_digests

    release_digests(session, now)
    settle_stuck(session, now)
    session.commit()
    counts = {"sent": 0, "failed": 0, "gave_up": 0, "skipped": 0}
    sendable = sendable_channels(config)
    if sendable:
        ids = list(session.scalars(
            select(OutboxMessage.id).where(OutboxMessage.status == MessageStatus.QUEUED,
                                           OutboxMessage.channel.in_(sendable),
                                           OutboxMessage.next_attempt_at <= now)
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(limit)))
        smtp = _Smtp(config)
        try:
            for start in range(0, len(ids), CHUNK):
                chunk = ids[start:start + CHUNK]
                claimed = claim_batch(session, chunk, now)
                counts["skipped"] += len(chunk) - len(claimed)
                known = [m for m in claimed if m.provider_message_id]  # a receipt already told us it went out
                for message in known:
                    record_sent(session, message, message.provider_message_id, now)
                    counts["sent"] += 1
                todo = [m for m in claimed if not m.provider_message_id]
                whatsapps = [m for m in todo if m.channel == Channel.WHATSAPP]
                emails = [m for m in todo if m.channel == Channel.EMAIL]
                results = list(zip(whatsapps, _send_whatsapps(session, whatsapps, config, now) if whatsapps else []))
                results += list(zip(emails, _send_emails(emails, config, smtp)))
                for message, result in results:
                    if isinstance(result, whatsapp.ProviderError):
                        status = record_failure(session, message, now, str(result), permanent=result.permanent)
                        counts["gave_up" if status == MessageStatus.FAILED else "failed" if status else "sent"] += 1
                    else:
                        record_sent(session, message, result, now)
                        counts["sent"] += 1
                session.commit()
        finally:
            smtp.close()
    counts["waiting"] = unsent_count(session)
    counts["configured"] = bool(sendable)
    return counts


def retry(session, actor, message: OutboxMessage, now: datetime) -> None:
    """Staff send a failed (or uncertain) message again: queued now, attempts counted afresh."""
    from flask_babel import gettext as _

    from gandeng.audit.services import record
    from gandeng.errors import DomainError

    if message.status != MessageStatus.FAILED:
        raise DomainError(_("Hanya pesan yang gagal yang dapat dikirim ulang."))
    if message.secret:
        raise DomainError(_("Tautan atur ulang kata sandi tidak dikirim ulang; buat tautan baru."))
    message.status = MessageStatus.QUEUED
    message.attempts = 0
    message.next_attempt_at = now
    message.failed_at = None
    message.idempotency_key = None  # a deliberate new send: new key, no old provider id
    message.provider_message_id = None
    session.flush()
    record(session, actor, "outbox.retry", message, before={"status": "failed"}, after={"status": "queued"})

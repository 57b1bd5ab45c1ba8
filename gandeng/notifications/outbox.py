"""Sending the e-mail outbox over SMTP: what is due goes out, what fails is retried later, nothing is lost."""
import smtplib
from datetime import datetime, timedelta
from email.message import EmailMessage

from sqlalchemy import func, or_, select

from gandeng.notifications.models import OutboxEmail

MAX_BACKOFF = timedelta(hours=6)
SMTP_TIMEOUT_SECONDS = 20
MAX_ERROR_CHARS = 1000


def backoff(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed attempt: 1, 2, 4, 8 … minutes, at most 6 hours."""
    if attempts >= 10:  # 2**9 minutes already passes the cap; avoids huge powers
        return MAX_BACKOFF
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def _due(now: datetime):
    return (OutboxEmail.sent_at.is_(None)) & or_(
        OutboxEmail.next_attempt_at.is_(None), OutboxEmail.next_attempt_at <= now
    )


def unsent_count(session) -> int:
    """How many e-mails are not sent yet (due or waiting for their retry time)."""
    return session.scalar(select(func.count(OutboxEmail.id)).where(OutboxEmail.sent_at.is_(None))) or 0


def _absolute(body: str, base_url: str) -> str:
    """A local link (a line that is a path like /needs/5) made absolute, when the site's address is known."""
    if not base_url:
        return body
    base = base_url.rstrip("/")
    return "\n".join(base + line if line.startswith("/") and not line.startswith("//") else line
                     for line in body.split("\n"))


def _message(email: OutboxEmail, settings) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.get("MAIL_FROM") or "gandeng-gendong@localhost"
    message["To"] = email.to_email
    message["Subject"] = email.subject
    # Stable per outbox row, so a receiving server can drop a duplicate after a crash between send and commit.
    sender = str(message["From"])
    domain = sender.rsplit("@", 1)[-1].strip("> ") if "@" in sender else "localhost"
    stamp = email.created_at.strftime("%Y%m%d%H%M%S") if email.created_at else "0"
    message["Message-ID"] = f"<outbox-{email.id}.{stamp}@{domain}>"
    message.set_content(_absolute(email.body, settings.get("PUBLIC_BASE_URL") or ""))
    return message


def _connect(settings) -> smtplib.SMTP:
    smtp = smtplib.SMTP(settings["MAIL_SERVER"], int(settings.get("MAIL_PORT") or 25),
                        timeout=SMTP_TIMEOUT_SECONDS)
    try:
        if settings.get("MAIL_USE_TLS"):
            smtp.starttls()
        if settings.get("MAIL_USERNAME"):
            smtp.login(settings["MAIL_USERNAME"], settings.get("MAIL_PASSWORD") or "")
    except BaseException:
        smtp.close()
        raise
    return smtp


def _failed(email: OutboxEmail, now: datetime, error: Exception) -> None:
    email.attempts = (email.attempts or 0) + 1
    email.last_error = f"{type(error).__name__}: {error}"[:MAX_ERROR_CHARS]
    email.next_attempt_at = now + backoff(email.attempts)


def send_pending(session, now: datetime, smtp_settings, limit: int = 100) -> dict:
    """Send up to `limit` due e-mails over one SMTP connection. A sent e-mail gets `sent_at`; a failure
    counts an attempt, keeps the error and schedules the next try (exponential back-off); no row is ever
    deleted. Without MAIL_SERVER nothing is sent and every e-mail stays readable in the outbox.
    Flushes, never commits: the caller commits (the CLI after each batch).
    Returns counts: sent, failed, waiting (unsent after this batch) and `configured`."""
    if not smtp_settings.get("MAIL_SERVER"):
        return {"configured": False, "sent": 0, "failed": 0, "waiting": unsent_count(session)}
    batch = list(session.scalars(
        select(OutboxEmail).where(_due(now))
        .order_by(OutboxEmail.next_attempt_at, OutboxEmail.id).limit(limit)
    ))
    sent = failed = 0
    if batch:
        try:
            smtp = _connect(smtp_settings)
        except (OSError, smtplib.SMTPException) as error:
            for email in batch:
                _failed(email, now, error)
            session.flush()
            return {"configured": True, "sent": 0, "failed": len(batch), "waiting": unsent_count(session)}
        try:
            for email in batch:
                try:
                    smtp.send_message(_message(email, smtp_settings))
                except (OSError, smtplib.SMTPException) as error:
                    _failed(email, now, error)
                    failed += 1
                else:
                    email.sent_at = now
                    email.attempts = (email.attempts or 0) + 1
                    email.last_error = ""
                    sent += 1
                session.flush()
        finally:
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                smtp.close()
    return {"configured": True, "sent": sent, "failed": failed, "waiting": unsent_count(session)}

"""Delivery receipts and replies from the WhatsApp Cloud API webhook, applied to the outbox.

Receipts only move a message forward (sent → delivered → read; failed from sent), so duplicates and
late arrivals change nothing. A receipt for an id we do not know is logged and ignored.
"""
import logging
from datetime import datetime, timezone

from sqlalchemy import select

from gandeng.accounts.phones import phone_or_none
from gandeng.notifications.models import STATUS_RANK, Channel, MessageStatus, OutboxMessage
from gandeng.notifications.outbox import REDACTED, UNCERTAIN
from gandeng.notifications.preferences import STOP_WORDS, note_inbound, stop_whatsapp

log = logging.getLogger(__name__)
RECEIPT_STATUSES = {"sent": MessageStatus.SENT, "delivered": MessageStatus.DELIVERED,
                    "read": MessageStatus.READ, "failed": MessageStatus.FAILED}


def _when(timestamp, now: datetime) -> datetime:
    try:
        return datetime.fromtimestamp(int(timestamp), timezone.utc).replace(tzinfo=None)
    except (TypeError, ValueError, OverflowError, OSError):
        return now


def _find(session, receipt: dict) -> OutboxMessage | None:
    provider_id = str(receipt.get("id") or "")[:160]
    message = session.scalar(select(OutboxMessage).where(OutboxMessage.provider_message_id == provider_id)) \
        if provider_id else None
    key = str(receipt.get("biz_opaque_callback_data") or "")[:64]
    if message is None and key:
        # A send whose result was never recorded (the sender died after the call): the key finds it.
        message = session.scalar(select(OutboxMessage).where(OutboxMessage.idempotency_key == key,
                                                             OutboxMessage.channel == Channel.WHATSAPP))
        if message is not None and message.provider_message_id is None and provider_id:
            message.provider_message_id = provider_id
    return message


def apply_receipt(session, receipt: dict, now: datetime) -> str:
    """One `statuses[]` entry: 'applied', 'unchanged' (duplicate or older news) or 'unknown'."""
    new = RECEIPT_STATUSES.get(str(receipt.get("status") or ""))
    message = _find(session, receipt)
    if message is None or new is None:
        log.info("whatsapp receipt ignored: unknown message or status (status=%s)", receipt.get("status"))
        return "unknown"
    at = _when(receipt.get("timestamp"), now)
    current = MessageStatus(message.status)
    if new == MessageStatus.FAILED:
        if current in (MessageStatus.FAILED, MessageStatus.DELIVERED, MessageStatus.READ):
            return "unchanged"
        errors = receipt.get("errors") or [{}]
        first = errors[0] if isinstance(errors, list) and errors and isinstance(errors[0], dict) else {}
        message.status = MessageStatus.FAILED
        message.failed_at = at
        message.last_error = f"WhatsApp {first.get('code', '')}: {first.get('title', '')}"[:1000]
        return "applied"
    # Statuses without a rank (sending, queued, failed as "uncertain") move forward on any receipt: the
    # provider says the message went out.
    if STATUS_RANK.get(current, 0) >= STATUS_RANK[new]:
        return "unchanged"
    if current == MessageStatus.SENDING or message.last_error == UNCERTAIN:
        message.attempts = (message.attempts or 0) + 1  # the try whose answer was never recorded
    message.status = new
    message.last_error = ""
    message.failed_at = None
    message.sent_at = message.sent_at or at
    if new in (MessageStatus.DELIVERED, MessageStatus.READ):
        message.delivered_at = message.delivered_at or at
    if new == MessageStatus.READ:
        message.read_at = at
    if message.secret:
        message.body, message.template_params = REDACTED, [REDACTED]
    return "applied"


def apply_reply(session, reply: dict, now: datetime) -> str:
    """One `messages[]` entry (a person wrote to us): 'stopped' for BERHENTI, else 'noted'."""
    phone = phone_or_none("+" + str(reply.get("from") or "").lstrip("+"))
    if phone is None:
        return "unknown"
    text = ""
    if reply.get("type") == "text":
        text = str((reply.get("text") or {}).get("body") or "")
    elif reply.get("type") == "button":
        text = str((reply.get("button") or {}).get("text") or "")
    if text.strip().upper().strip(".! ") in STOP_WORDS:
        stop_whatsapp(session, phone, now)
        return "stopped"
    note_inbound(session, phone, _when(reply.get("timestamp"), now))
    return "noted"


def apply_webhook(session, data, now: datetime) -> dict:
    """Every receipt and reply in a webhook body; counts per outcome. Bad shapes are skipped, not errors."""
    counts: dict[str, int] = {}
    entries = data.get("entry") if isinstance(data, dict) else None
    for entry in entries if isinstance(entries, list) else []:
        changes = entry.get("changes") if isinstance(entry, dict) else None
        for change in changes if isinstance(changes, list) else []:
            value = change.get("value") if isinstance(change, dict) else None
            if not isinstance(value, dict):
                continue
            for receipt in value.get("statuses") or []:
                if isinstance(receipt, dict):
                    outcome = apply_receipt(session, receipt, now)
                    counts[outcome] = counts.get(outcome, 0) + 1
            for reply in value.get("messages") or []:
                if isinstance(reply, dict):
                    outcome = apply_reply(session, reply, now)
                    counts[outcome] = counts.get(outcome, 0) + 1
    session.flush()
    return counts

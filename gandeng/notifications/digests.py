"""The daily digest: a user who chose it gets one WhatsApp and one e-mail a day instead of one per event."""
from datetime import datetime
from itertools import groupby

from flask_babel import force_locale, lazy_gettext as _l, ngettext
from sqlalchemy import select

from gandeng.accounts.models import User
from gandeng.notifications.channels import template_for
from gandeng.notifications.models import Channel, MessageStatus, OutboxMessage

MAX_LINES = 20


def _summary(user, messages: list[OutboxMessage]) -> tuple[str, str, str]:
    """(subject, body, one-line text) of one user's digest, in their language."""
    with force_locale(user.locale or "id"):
        count = len(messages)
        headline = ngettext("%(num)d pemberitahuan baru di Gandeng Gendong.",
                            "%(num)d pemberitahuan baru di Gandeng Gendong.", count)
        lines = [f"- {m.body.splitlines()[0] if m.body else m.kind}" for m in messages[:MAX_LINES]]
        if count > MAX_LINES:
            lines.append(str(_l("… dan %(n)d lainnya.", n=count - MAX_LINES)))
        subject = str(_l("Ringkasan harian Gandeng Gendong"))
    return subject, "\n".join([headline, "", *lines, "", "/notifications"]), headline


def release_digests(session, now: datetime) -> int:
    """Bundle every held message that is due into one queued digest per user and channel; the held
    ones become `digested` (pointing at their digest). Returns how many digests were made."""
    held = list(session.scalars(
        select(OutboxMessage).where(OutboxMessage.status == MessageStatus.HELD,
                                    OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.user_id, OutboxMessage.channel, OutboxMessage.id)))
    made = 0
    for (user_id, channel), group in groupby(held, key=lambda m: (m.user_id, m.channel)):
        group = list(group)
        user = session.get(User, user_id) if user_id else None
        if user is None:
            continue
        subject, body, headline = _summary(user, group)
        digest = OutboxMessage(
            channel=channel, kind="digest", user_id=user_id, to_address=group[-1].to_address,
            subject=subject, body=body, link="/notifications",
            template_name=template_for("digest") if channel == Channel.WHATSAPP else "",
            template_params=[headline, "/notifications"] if channel == Channel.WHATSAPP else [],
            status=MessageStatus.QUEUED, next_attempt_at=now, created_at=now)
        session.add(digest)
        session.flush()
        for message in group:
            message.status = MessageStatus.DIGESTED
            message.digest_id = digest.id
        made += 1
    session.flush()
    return made

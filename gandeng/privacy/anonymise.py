"""Anonymising a need: its households' names, contact phone and attachments go; its figures (Rp, counts,
status) and its audit trail stay, so every total and every decision reads the same before and after.
Used by rights requests (requests.py) and the retention purge (retention.py)."""
from dataclasses import dataclass

from gandeng.audit.services import record
from gandeng.db import utcnow
from gandeng.needs.attachments import attachment_path
from gandeng.needs.models import Need
from gandeng.uploads import remove_after_commit


@dataclass(frozen=True)
class Removed:
    """What anonymising one need removes (counts only: the report itself holds no personal data)."""

    need_id: int
    names: int          # lines of household names
    phone: bool
    attachments: int

    @property
    def anything(self) -> bool:
        return bool(self.names or self.phone or self.attachments)


def what_would_go(need: Need) -> Removed:
    """What `anonymise_need` would remove from `need`, without touching it (the dry run's answer)."""
    names = len([line for line in (need.beneficiaries or "").splitlines() if line.strip()])
    return Removed(need.id, names, bool(need.contact_phone), len(need.attachments))


def anonymise_need(session, actor, need: Need, why: str) -> Removed:
    """Blank the names and phone, delete the attachments (their files once the transaction commits),
    note when; one audit row `need.anonymise` with counts and `why` (a request number or "retention").
    Flushes; never commits."""
    removed = what_would_go(need)
    for attachment in list(need.attachments):
        remove_after_commit(session, attachment_path(attachment))
        need.attachments.remove(attachment)  # delete-orphan: the row goes at flush
    need.beneficiaries = ""
    need.contact_phone = ""
    need.anonymised_at = utcnow()
    session.flush()
    record(session, actor, "need.anonymise", need,
           after={"names": removed.names, "phone": removed.phone, "attachments": removed.attachments},
           note=why)
    return removed


def anonymise_user(session, actor, user, why: str) -> None:
    """A deletion request from an account holder: name, e-mail and phone replaced, WhatsApp off, the
    account suspended and its sessions ended; the addresses in its sent messages blanked. The user row
    stays (the audit trail and the needs point to it), so every decision still reads the same."""
    from sqlalchemy import update

    from gandeng.accounts.models import UserStatus
    from gandeng.notifications.models import NotificationPreference, OutboxMessage

    user.name = f"Pengguna dihapus {user.id}"
    user.email = f"dihapus-{user.id}@anonim.invalid"
    user.phone = ""
    user.status = UserStatus.SUSPENDED
    user.session_version += 1
    preference = session.get(NotificationPreference, user.id)
    if preference is not None:
        preference.whatsapp_enabled = preference.email_enabled = False
    session.execute(update(OutboxMessage).where(OutboxMessage.user_id == user.id).values(to_address=""))
    session.flush()
    record(session, actor, "user.anonymise", user, note=why)

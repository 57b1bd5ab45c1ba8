"""PrivacyRequest: a person's request under UU 27/2022 (access, correction, deletion, withdrawal of
consent), answered within 3 × 24 hours. Consent columns live on their own rows (users, needs)."""
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gandeng.accounts.models import User
from gandeng.db import db, utcnow

# UU 27/2022 Art. 32, 40, 41, 42: a controller answers within 3 × 24 hours.
ANSWER_WITHIN = timedelta(hours=72)


class RequestKind(StrEnum):
    ACCESS = "access"
    CORRECTION = "correction"
    DELETION = "deletion"
    WITHDRAWAL = "withdrawal"


class RequestStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    REFUSED = "refused"


class PrivacyRequest(db.Model):
    __tablename__ = "privacy_requests"
    __table_args__ = (Index("ix_privacy_requests_open", "status", "due_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    # Personal data of the requester: seen by the DPO and admins only (records.py: "privacy_requests").
    requester_name: Mapped[str] = mapped_column(String(120))
    requester_contact: Mapped[str] = mapped_column(String(254))
    details: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # when filed while signed in
    status: Mapped[str] = mapped_column(String(16), default=RequestStatus.OPEN)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    due_at: Mapped[datetime]
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    handled_at: Mapped[datetime | None]
    # What was done, for the requester and the DPO's file (counts and need numbers, never names).
    outcome: Mapped[str] = mapped_column(Text, default="")
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    handled_by: Mapped[User | None] = relationship(foreign_keys=[handled_by_id])


class PrivacyIncident(db.Model):
    """A personal-data breach (UU 27/2022 Art. 46): notify the people concerned and the authority in
    writing within 3 × 24 hours of finding it, saying what leaked, when and how, and the remedy."""

    __tablename__ = "privacy_incidents"
    id: Mapped[int] = mapped_column(primary_key=True)
    what: Mapped[str] = mapped_column(Text)             # what happened (no personal data in it)
    how: Mapped[str] = mapped_column(Text, default="")  # how it happened
    remedy: Mapped[str] = mapped_column(Text, default="")
    found_at: Mapped[datetime]
    due_at: Mapped[datetime]                             # found_at + 3 × 24 hours
    data_kinds: Mapped[list] = mapped_column(JSON, default=list)  # record keys (records.py)
    need_ids: Mapped[list] = mapped_column(JSON, default=list)    # needs whose data was exposed
    people_count: Mapped[int] = mapped_column(default=0)          # as estimated when recorded
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    people_notified_at: Mapped[datetime | None]
    authority_notified_at: Mapped[datetime | None]
    recorded_by: Mapped[User | None] = relationship()

    @property
    def notified(self) -> bool:
        return self.people_notified_at is not None and self.authority_notified_at is not None

"""PrivacyRequest: a person's request under UU 27/2022 (access, correction, deletion, withdrawal of
consent), answered within 3 × 24 hours. Consent columns live on their own rows (users, needs)."""
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text
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

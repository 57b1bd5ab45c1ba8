"""Commitment: an approved amount of an offer given to a need."""
from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from gandeng.db import db, utcnow


class CommitmentStatus(StrEnum):
    AWAITING_PARTNER = "awaiting_partner"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    DECLINED = "declined"
    CANCELLED = "cancelled"


# Statuses whose amount still counts against the offer and towards the need.
HOLDING_STATUSES = (
    CommitmentStatus.AWAITING_PARTNER,
    CommitmentStatus.IN_PROGRESS,
    CommitmentStatus.COMPLETED,
)


class Commitment(db.Model):
    __tablename__ = "commitments"
    __table_args__ = (
        CheckConstraint("amount_rp > 0", name="amount_positive"),
        CheckConstraint("realised_rp >= 0 AND realised_rp <= amount_rp", name="realised_within_amount"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id"), index=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("offers.id"), index=True)
    amount_rp: Mapped[int] = mapped_column(BigInteger)
    realised_rp: Mapped[int] = mapped_column(BigInteger, default=0)
    status: Mapped[str] = mapped_column(String(20), default=CommitmentStatus.AWAITING_PARTNER, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

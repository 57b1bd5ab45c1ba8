"""Commitment (an approved amount of an offer given to a need, followed as a collaboration)
and its progress reports."""
from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

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
    """An approved pairing; the contract calls it a collaboration once approved."""

    __tablename__ = "commitments"
    __table_args__ = (
        CheckConstraint("amount_rp > 0", name="amount_positive"),
        CheckConstraint("realised_rp >= 0 AND realised_rp <= amount_rp", name="realised_within_amount"),
        CheckConstraint("progress_percent >= 0 AND progress_percent <= 100", name="percent_in_range"),
        Index("ix_commitments_created", "created_at", "id"),  # the list of collaborations, newest first
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id"), index=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("offers.id"), index=True)
    # One proposal commits at most once, whatever retries or double clicks happen.
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposals.id"), unique=True)
    # A client's key for a retried approval (after a timeout or a crash): same key, one commitment.
    idempotency_key: Mapped[str | None] = mapped_column(String(80), unique=True)
    amount_rp: Mapped[int] = mapped_column(BigInteger)
    realised_rp: Mapped[int] = mapped_column(BigInteger, default=0)
    progress_percent: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(String(20), default=CommitmentStatus.AWAITING_PARTNER, index=True)
    status_reason: Mapped[str] = mapped_column(Text, default="")
    beneficiaries_reached: Mapped[int | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    confirmed_at: Mapped[datetime | None]
    completion_reported_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]  # declined or cancelled
    need = relationship("Need")
    offer = relationship("Offer")
    proposal = relationship("Proposal")
    created_by = relationship("User", foreign_keys=[created_by_id])
    reports: Mapped[list["ProgressReport"]] = relationship(
        back_populates="commitment", order_by="ProgressReport.id", cascade="all, delete-orphan"
    )


class ProgressReport(db.Model):
    """A partner's or coordinator's report on a collaboration: percent done, Rp realised so far."""

    __tablename__ = "progress_reports"
    __table_args__ = (
        CheckConstraint("percent >= 0 AND percent <= 100", name="percent_in_range"),
        CheckConstraint("realised_rp >= 0", name="realised_non_negative"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitments.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    percent: Mapped[int]
    text: Mapped[str] = mapped_column(Text, default="")
    realised_rp: Mapped[int] = mapped_column(BigInteger, default=0)  # total realised as of this report
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    commitment: Mapped[Commitment] = relationship(back_populates="reports")
    author = relationship("User")
    photos: Mapped[list["ProgressPhoto"]] = relationship(
        back_populates="report", order_by="ProgressPhoto.id", cascade="all, delete-orphan"
    )


class ProgressPhoto(db.Model):
    __tablename__ = "progress_photos"
    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("progress_reports.id"), index=True)
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    original_name: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    report: Mapped[ProgressReport] = relationship(back_populates="photos")

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

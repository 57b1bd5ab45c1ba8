"""Need and its attachments."""
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gandeng.accounts.models import Kampung, User
from gandeng.db import db, utcnow
from gandeng.reference.models import Category, Kelurahan


class NeedStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    VERIFIED = "verified"
    MATCHED = "matched"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


# Statuses anyone may see (without personal data).
PUBLIC_STATUSES = (NeedStatus.VERIFIED, NeedStatus.MATCHED, NeedStatus.IN_PROGRESS, NeedStatus.COMPLETED)


class Urgency(StrEnum):
    RENDAH = "rendah"
    SEDANG = "sedang"
    TINGGI = "tinggi"
    DARURAT = "darurat"


class Need(db.Model):
    __tablename__ = "needs"
    __table_args__ = (
        CheckConstraint("cost_rp > 0", name="cost_positive"),
        CheckConstraint("households >= 0 AND kms_households >= 0", name="households_non_negative"),
        CheckConstraint("kms_households <= households", name="kms_within_households"),
        CheckConstraint("committed_rp >= 0 AND committed_rp <= cost_rp", name="committed_within_cost"),
        # Covers the home page's public totals (an index-only scan at 100k needs).
        Index("ix_needs_public_totals", "status", "kelurahan_code", "cost_rp"),
        Index("ix_needs_created", "created_at", "id"),  # keyset paging of the list, newest first
        # An old link's deep page (?page=N, OFFSET): its ids by an index-only scan, the status filter
        # included, then only those rows read (paging.keyset_page's `deferred_by`).
        Index("ix_needs_created_status", "created_at", "id", "status"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str | None] = mapped_column(String(64), unique=True)
    kampung_id: Mapped[int] = mapped_column(ForeignKey("kampung.id"), index=True)
    # Copied from the kampung so lists filter by area without a join through kampung.
    kelurahan_code: Mapped[str] = mapped_column(ForeignKey("kelurahan.code"), index=True)
    rw: Mapped[str] = mapped_column(String(8), default="")
    category_code: Mapped[str] = mapped_column(ForeignKey("categories.code"), index=True)
    title: Mapped[str] = mapped_column(String(160))
    description: Mapped[str] = mapped_column(Text)
    households: Mapped[int] = mapped_column(default=0)
    kms_households: Mapped[int] = mapped_column(default=0)
    cost_rp: Mapped[int] = mapped_column(BigInteger)
    # Running total of holding commitments, kept by the approval's conditional UPDATE so the
    # CHECK above can refuse over-commitment; figures shown are summed from commitments.
    committed_rp: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    deadline: Mapped[date | None]
    urgency: Mapped[str] = mapped_column(String(16), default=Urgency.SEDANG)
    partial_ok: Mapped[bool] = mapped_column(default=False)
    # Personal data: never on public pages, in the public API or in logs.
    beneficiaries: Mapped[str] = mapped_column(Text, default="")
    contact_phone: Mapped[str] = mapped_column(String(32), default="")
    # Issue 19: the coordinator confirmed that the households named agreed (who, when); and when the
    # names, phone and attachments were anonymised (a rights request or the retention purge).
    beneficiaries_consent_at: Mapped[datetime | None]
    beneficiaries_consent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    anonymised_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(16), default=NeedStatus.DRAFT, index=True)
    status_reason: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None]
    verified_at: Mapped[datetime | None]
    kampung: Mapped[Kampung] = relationship()
    kelurahan: Mapped[Kelurahan] = relationship()
    category: Mapped[Category] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    attachments: Mapped[list["NeedAttachment"]] = relationship(
        back_populates="need", order_by="NeedAttachment.id", cascade="all, delete-orphan"
    )


class NeedAttachment(db.Model):
    __tablename__ = "need_attachments"
    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id"), index=True)
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)  # random; never the user's name
    original_name: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int]
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    need: Mapped[Need] = relationship(back_populates="attachments")

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

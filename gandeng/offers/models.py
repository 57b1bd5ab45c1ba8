"""Offer with the categories and areas it covers."""
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import BigInteger, CheckConstraint, Column, ForeignKey, Index, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gandeng.accounts.models import Organisation, User
from gandeng.db import db, utcnow
from gandeng.reference.models import Category


class OfferStatus(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    FULLY_COMMITTED = "fully_committed"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"


class OfferKind(StrEnum):
    DANA = "dana"
    BARANG = "barang"
    JASA = "jasa"
    PELATIHAN = "pelatihan"
    PEMBELIAN = "pembelian"


offer_categories = Table(
    "offer_categories",
    db.Model.metadata,
    Column("offer_id", ForeignKey("offers.id"), primary_key=True),
    Column("category_code", ForeignKey("categories.code"), primary_key=True),
    # The list's category filter looks offers up by category (the primary key serves by offer).
    Index("ix_offer_categories_category", "category_code", "offer_id"),
)


class Offer(db.Model):
    __tablename__ = "offers"
    __table_args__ = (
        CheckConstraint("capacity_rp > 0", name="capacity_positive"),
        CheckConstraint("committed_rp >= 0 AND committed_rp <= capacity_rp", name="committed_within_capacity"),
        Index("ix_offers_created", "created_at", "id"),  # keyset paging of the list, newest first
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str | None] = mapped_column(String(64), unique=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(160))
    description: Mapped[str] = mapped_column(Text)
    capacity_rp: Mapped[int] = mapped_column(BigInteger)
    # Running total of holding commitments, kept by the approval's conditional UPDATE so the
    # CHECK above makes over-commitment impossible; figures shown are summed from commitments.
    committed_rp: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    valid_until: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(16), default=OfferStatus.DRAFT, index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    organisation: Mapped[Organisation] = relationship()
    created_by: Mapped[User | None] = relationship()
    categories: Mapped[list[Category]] = relationship(
        secondary=offer_categories, order_by="Category.position"
    )
    areas: Mapped[list["OfferArea"]] = relationship(
        back_populates="offer", cascade="all, delete-orphan", order_by="OfferArea.code"
    )


class OfferArea(db.Model):
    """A kemantren or kelurahan an offer serves, by code; an offer with none serves the whole city."""

    __tablename__ = "offer_areas"
    offer_id: Mapped[int] = mapped_column(ForeignKey("offers.id"), primary_key=True)
    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    offer: Mapped[Offer] = relationship(back_populates="areas")

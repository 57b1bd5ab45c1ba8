"""Sister profiles of kampung and organisations, and each year's pairing (draft or published)."""
from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gandeng.accounts.models import Kampung, Organisation
from gandeng.db import db, utcnow
from gandeng.reference.models import Kelurahan


def split_themes(value: str) -> list[str]:
    """'environment;livelihood' -> ['environment', 'livelihood'] (how themes are stored)."""
    return [code for code in (value or "").split(";") if code]


def join_themes(codes) -> str:
    """Category codes stored sorted and without repeats, separated by ';'."""
    return ";".join(sorted({code for code in codes if code}))


class KampungSisterProfile(db.Model):
    """What a kampung brings to the pairing: size, poverty and themes (its potential and problems)."""

    __tablename__ = "sister_kampung_profiles"
    kampung_id: Mapped[int] = mapped_column(ForeignKey("kampung.id"), primary_key=True)
    households: Mapped[int] = mapped_column(default=0)
    kms_households: Mapped[int] = mapped_column(default=0)
    themes: Mapped[str] = mapped_column(String(400), default="")  # category codes, ';'
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    kampung: Mapped[Kampung] = relationship()

    @property
    def theme_codes(self) -> list[str]:
        return split_themes(self.themes)


class PartnerSisterProfile(db.Model):
    """What a campus or company offers to the pairing: how many kampung it can accompany, its themes,
    its home base and the person the kampung talk to."""

    __tablename__ = "sister_partner_profiles"
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), primary_key=True)
    capacity: Mapped[int] = mapped_column(default=0)
    themes: Mapped[str] = mapped_column(String(400), default="")
    home_kelurahan_code: Mapped[str | None] = mapped_column(ForeignKey("kelurahan.code"))
    contact_name: Mapped[str] = mapped_column(String(120), default="")
    contact_phone: Mapped[str] = mapped_column(String(32), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    organisation: Mapped[Organisation] = relationship()
    home_kelurahan: Mapped[Kelurahan | None] = relationship()

    @property
    def theme_codes(self) -> list[str]:
        return split_themes(self.themes)


class RoundStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class SisterRound(db.Model):
    """The pairing of one year: a draft (replaced by each run) until staff publish it (then frozen)."""

    __tablename__ = "sister_rounds"
    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(unique=True)
    status: Mapped[str] = mapped_column(String(16), default=RoundStatus.DRAFT)
    solver: Mapped[str] = mapped_column(String(16), default="")
    seconds: Mapped[float] = mapped_column(default=0.0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None]
    pairs: Mapped[list["SisterPair"]] = relationship(
        back_populates="round", cascade="all, delete-orphan", order_by="SisterPair.id"
    )


class SisterPair(db.Model):
    """One kampung of a round with its campus and company. Either may be missing; `unpaired_reason` then
    holds why, as codes ('kampus:short_capacity;korporat:no_partner') worded when shown."""

    __tablename__ = "sister_pairs"
    __table_args__ = (UniqueConstraint("round_id", "kampung_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("sister_rounds.id"), index=True)
    kampung_id: Mapped[int] = mapped_column(ForeignKey("kampung.id"), index=True)
    campus_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    company_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    campus_km: Mapped[float | None]
    company_km: Mapped[float | None]
    campus_themes: Mapped[str] = mapped_column(String(400), default="")   # themes shared with the campus
    company_themes: Mapped[str] = mapped_column(String(400), default="")  # themes shared with the company
    continued_campus: Mapped[bool] = mapped_column(default=False)
    continued_company: Mapped[bool] = mapped_column(default=False)
    campus_locked: Mapped[bool] = mapped_column(default=False)
    company_locked: Mapped[bool] = mapped_column(default=False)
    unpaired_reason: Mapped[str] = mapped_column(String(300), default="")
    round: Mapped[SisterRound] = relationship(back_populates="pairs")
    kampung: Mapped[Kampung] = relationship()
    campus: Mapped[Organisation | None] = relationship(foreign_keys=[campus_id])
    company: Mapped[Organisation | None] = relationship(foreign_keys=[company_id])

    @property
    def shared_themes(self) -> str:
        """The kampung's themes shared with its campus or its company (';')."""
        return join_themes(split_themes(self.campus_themes) + split_themes(self.company_themes))

    @property
    def is_complete(self) -> bool:
        return self.campus_id is not None and self.company_id is not None


# --- the year's work of a published pair: a plan, then a report each quarter ------------------------

class PlanStatus(StrEnum):
    DRAFT = "draft"          # being written by the partners with the kampung
    SUBMITTED = "submitted"  # agreed by the parties, waiting for the city's approval
    APPROVED = "approved"    # approved by city staff: the year's plan (frozen)


class SisterPlan(db.Model):
    """The year plan of a published pair: activities by quarter, themes and target figures. Written by
    the pair's parties (kampung coordinator, campus, company), submitted by one of them, approved (or
    sent back with a note) by city staff."""

    __tablename__ = "sister_plans"
    __table_args__ = (
        CheckConstraint("target_households >= 0 AND target_participants >= 0 AND target_students >= 0 "
                        "AND target_employees >= 0", name="targets_not_negative"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("sister_pairs.id"), unique=True)
    status: Mapped[str] = mapped_column(String(16), default=PlanStatus.DRAFT)
    themes: Mapped[str] = mapped_column(String(400), default="")
    q1: Mapped[str] = mapped_column(Text, default="")  # activities planned in each quarter
    q2: Mapped[str] = mapped_column(Text, default="")
    q3: Mapped[str] = mapped_column(Text, default="")
    q4: Mapped[str] = mapped_column(Text, default="")
    target_households: Mapped[int] = mapped_column(default=0)
    target_participants: Mapped[int] = mapped_column(default=0)
    target_students: Mapped[int] = mapped_column(default=0)
    target_employees: Mapped[int] = mapped_column(default=0)
    return_note: Mapped[str] = mapped_column(String(500), default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None]
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None]
    pair: Mapped[SisterPair] = relationship()

    @property
    def theme_codes(self) -> list[str]:
        return split_themes(self.themes)


class SisterReport(db.Model):
    """What a pair did in one quarter: a text, figures (households reached, participants, students and
    employees involved) and optional photos. One per pair and quarter, written by one of its parties."""

    __tablename__ = "sister_reports"
    __table_args__ = (
        UniqueConstraint("pair_id", "quarter"),
        CheckConstraint("quarter >= 1 AND quarter <= 4", name="quarter_in_range"),
        CheckConstraint("households_reached >= 0 AND participants >= 0 AND students >= 0 AND employees >= 0",
                        name="figures_not_negative"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("sister_pairs.id"), index=True)
    quarter: Mapped[int]
    text: Mapped[str] = mapped_column(Text, default="")
    households_reached: Mapped[int] = mapped_column(default=0)
    participants: Mapped[int] = mapped_column(default=0)
    students: Mapped[int] = mapped_column(default=0)
    employees: Mapped[int] = mapped_column(default=0)
    on_time: Mapped[bool] = mapped_column(default=True)  # sent by the quarter's due date
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    pair: Mapped[SisterPair] = relationship()
    photos: Mapped[list["SisterReportPhoto"]] = relationship(
        back_populates="report", order_by="SisterReportPhoto.id", cascade="all, delete-orphan")


class SisterReportPhoto(db.Model):
    """A photo of a quarterly report (stored as the collaboration progress photos are)."""

    __tablename__ = "sister_report_photos"
    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("sister_reports.id"), index=True)
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    original_name: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    report: Mapped[SisterReport] = relationship(back_populates="photos")

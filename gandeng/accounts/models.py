"""User, Organisation and Kampung: who acts on the platform and on whose behalf."""
from datetime import datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, UniqueConstraint, false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gandeng.db import db, utcnow
from gandeng.reference.models import Kelurahan


class Role(StrEnum):
    ADMIN = "admin"
    STAFF = "staff"
    COORDINATOR = "coordinator"
    PARTNER = "partner"
    OFFICE = "office"  # a city office (OPD) ordering food (issue 18, Nglarisi)
    GROUP = "group"    # a kelompok Gandeng Gendong selling food (issue 18)


class UserStatus(StrEnum):
    PENDING = "pending"      # registered, waiting for staff to verify
    ACTIVE = "active"
    SUSPENDED = "suspended"  # refused or blocked by staff


class OrgType(StrEnum):
    KORPORAT = "korporat"
    KAMPUS = "kampus"
    KOMUNITAS = "komunitas"


class Organisation(db.Model):
    __tablename__ = "organisations"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160), unique=True)
    type: Mapped[str] = mapped_column(String(16))
    phone: Mapped[str] = mapped_column(String(32), default="")
    email: Mapped[str] = mapped_column(String(160), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    verified_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None


class Kampung(db.Model):
    __tablename__ = "kampung"
    __table_args__ = (UniqueConstraint("kelurahan_code", "name_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    # Normalised name so that "Code Utara" and "code-utara" are one kampung per kelurahan.
    name_key: Mapped[str] = mapped_column(String(120))
    kelurahan_code: Mapped[str] = mapped_column(ForeignKey("kelurahan.code"), index=True)
    verified_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    kelurahan: Mapped[Kelurahan] = relationship()

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None


class User(UserMixin, db.Model):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str] = mapped_column(String(32), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), index=True)
    status: Mapped[str] = mapped_column(String(16), default=UserStatus.PENDING, index=True)
    kampung_id: Mapped[int | None] = mapped_column(ForeignKey("kampung.id"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    # Raised at logout and password change: a session cookie carries it, so old cookies stop working.
    session_version: Mapped[int] = mapped_column(default=1)
    locale: Mapped[str] = mapped_column(String(8), default="id")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    verified_at: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]
    # Issue 19 (UU PDP): the version of the terms and privacy notice agreed at registration, and when;
    # `dpo` lets a staff or admin account handle the privacy request queue (Art. 53).
    consent_version: Mapped[str] = mapped_column(String(16), default="", server_default="")
    consent_at: Mapped[datetime | None]
    dpo: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    kampung: Mapped[Kampung | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:
        return self.status == UserStatus.ACTIVE

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.STAFF, Role.ADMIN)

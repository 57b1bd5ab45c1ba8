"""PasswordReset: a one-time link, stored as a hash, valid 30 minutes, used once."""
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gandeng.accounts.models import User
from gandeng.db import db, utcnow


class PasswordReset(db.Model):
    __tablename__ = "password_resets"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 hex; the token is never stored
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # staff who made it, if any
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    user: Mapped[User] = relationship(foreign_keys=[user_id])

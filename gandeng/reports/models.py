"""The version of the public figures: bumped in the transaction of every write that changes them."""
from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from gandeng.db import db


class PublicVersion(db.Model):
    """One row per cached family of pages ("public": /public, its open data, the map, /api/v1/stats).

    Readers compare `version` to the one their cached copy was built at; the row lives in the
    database so every worker and every machine sees a change when its transaction commits."""

    __tablename__ = "public_versions"
    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    version: Mapped[int] = mapped_column(default=0)
    changed_at: Mapped[datetime | None]  # UTC, naive like every *_at column

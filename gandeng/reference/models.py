"""Kemantren, kelurahan and category tables, keyed by their official codes."""
from sqlalchemy import Float, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gandeng.db import db


class Kemantren(db.Model):
    __tablename__ = "kemantren"
    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    kelurahan: Mapped[list["Kelurahan"]] = relationship(
        back_populates="kemantren", order_by="Kelurahan.name"
    )


class Kelurahan(db.Model):
    __tablename__ = "kelurahan"
    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    kemantren_code: Mapped[str] = mapped_column(ForeignKey("kemantren.code"), index=True)
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    kemantren: Mapped[Kemantren] = relationship(back_populates="kelurahan")


class Category(db.Model):
    __tablename__ = "categories"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    label_id: Mapped[str] = mapped_column(String(120))
    label_en: Mapped[str] = mapped_column(String(120))
    examples_id: Mapped[str] = mapped_column(String(400), default="")
    position: Mapped[int] = mapped_column(default=0)

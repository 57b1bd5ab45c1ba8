"""The reference data (kemantren, kelurahan, categories) as plain values, read once and kept in this
process while the lists' version holds.

Every list page shows the filters' choices (14 kemantren, 45 kelurahan, the categories) and each
card a kelurahan, its kemantren and a category. Read for each page, that was three statements and
thousands of ORM objects. Reference data changes only through writes that move the lists' version
(gandeng/reports/public_version.py counts them among the public figures), so a copy keyed by that
version, which the page reads anyway, is never stale. Plain frozen values: safe to share between
the threads and sessions of the process.
"""
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from gandeng.reference.models import Category, Kelurahan, Kemantren

_KEY = "reference_snapshot"


@dataclass(frozen=True)
class CategoryItem:
    code: str
    label_id: str
    label_en: str

    def label(self, locale: str) -> str:
        return self.label_en if locale == "en" else self.label_id


@dataclass(frozen=True)
class KelurahanItem:
    code: str
    name: str
    kemantren_code: str
    kemantren_name: str


@dataclass(frozen=True)
class KemantrenItem:
    code: str
    name: str
    kelurahan: tuple[KelurahanItem, ...]


@dataclass(frozen=True)
class Reference:
    categories: tuple[CategoryItem, ...]  # in the order of categories.csv
    kemantren: tuple[KemantrenItem, ...]  # by name, each with its kelurahan by name
    category: dict[str, CategoryItem]
    kelurahan: dict[str, KelurahanItem]


def load_reference(session) -> Reference:
    """The reference tables read now: two statements."""
    categories = tuple(CategoryItem(c, i, e) for c, i, e in session.execute(
        select(Category.code, Category.label_id, Category.label_en).order_by(Category.position)))
    rows = session.execute(
        select(Kemantren.code, Kemantren.name, Kelurahan.code, Kelurahan.name)
        .join(Kelurahan, Kelurahan.kemantren_code == Kemantren.code, isouter=True)
        .order_by(Kemantren.name, Kelurahan.name)).all()
    areas: dict[str, tuple[str, list]] = {}
    for code, name, kel_code, kel_name in rows:
        _, kelurahan = areas.setdefault(code, (name, []))
        if kel_code is not None:
            kelurahan.append(KelurahanItem(kel_code, kel_name, code, name))
    kemantren = tuple(KemantrenItem(code, name, tuple(kel)) for code, (name, kel) in areas.items())
    return Reference(categories, kemantren, {c.code: c for c in categories},
                     {k.code: k for area in kemantren for k in area.kelurahan})


def reference(session) -> Reference:
    """The reference data, read again only when the lists' version moved since the copy was taken."""
    from gandeng.request_frame import lists_stamp

    token = lists_stamp(session).token
    held = current_app.extensions.get(_KEY)
    if held is not None and held[0] == token:
        return held[1]
    built = load_reference(session)
    current_app.extensions[_KEY] = (token, built)
    return built

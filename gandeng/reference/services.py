"""Loading reference data and finding kelurahan or kemantren by code or loose name."""
import csv
import re
from importlib import resources

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from gandeng.reference.models import Category, Kelurahan, Kemantren


def normalise_name(name: str) -> str:
    """'Muja-Muju', 'muja muju' and 'MujaMuju' all become 'mujamuju'."""
    return re.sub(r"[^a-z0-9]", "", (name or "").lower())


def _rows(filename):
    text = resources.files("gandeng.reference").joinpath("data", filename).read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


def load_reference_data(session) -> dict:
    """Insert or update the 14 kemantren, 45 kelurahan and the categories; returns counts."""
    counts = {"kemantren": 0, "kelurahan": 0, "categories": 0}
    for row in _rows("wilayah.csv"):
        kemantren = session.get(Kemantren, row["kode_kemantren"])
        if kemantren is None:
            kemantren = Kemantren(code=row["kode_kemantren"])
            session.add(kemantren)
            counts["kemantren"] += 1
        kemantren.name = row["kemantren"]
        kelurahan = session.get(Kelurahan, row["kode_kelurahan"])
        if kelurahan is None:
            kelurahan = Kelurahan(code=row["kode_kelurahan"])
            session.add(kelurahan)
            counts["kelurahan"] += 1
        kelurahan.name = row["kelurahan"]
        kelurahan.kemantren_code = row["kode_kemantren"]
        kelurahan.lat = float(row["lat"])
        kelurahan.lon = float(row["lon"])
    for position, row in enumerate(_rows("categories.csv")):
        category = session.get(Category, row["code"])
        if category is None:
            category = Category(code=row["code"])
            session.add(category)
            counts["categories"] += 1
        category.label_id = row["label_id"]
        category.label_en = row["label_en"]
        category.examples_id = row["examples_id"]
        category.position = position
    session.flush()
    return counts


def _find(session, model, text: str):
    """The row of `model` whose code or loosely written name is `text`, or None."""
    text = (text or "").strip()
    if not text:
        return None
    by_code = session.get(model, text)
    if by_code is not None:
        return by_code
    wanted = normalise_name(text)
    return next((row for row in session.scalars(select(model)) if normalise_name(row.name) == wanted), None)


def find_kelurahan(session, text: str) -> Kelurahan | None:
    """The kelurahan whose code or loosely written name is `text` ("Muja-Muju", "muja muju"), or None."""
    return _find(session, Kelurahan, text)


def find_kemantren(session, text: str) -> Kemantren | None:
    """The kemantren whose code or loosely written name is `text`, or None."""
    return _find(session, Kemantren, text)


def categories(session) -> list[Category]:
    """All categories in the order of categories.csv."""
    return list(session.scalars(select(Category).order_by(Category.position)))


def kemantren_with_kelurahan(session) -> list[Kemantren]:
    """The kemantren, by name, each with its kelurahan loaded."""
    return list(session.scalars(
        select(Kemantren).options(selectinload(Kemantren.kelurahan)).order_by(Kemantren.name)
    ))

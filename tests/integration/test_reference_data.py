"""Reference data: 14 kemantren, 45 kelurahan with codes and points, categories, loose names."""
import pytest
from sqlalchemy import func, select

from gandeng.reference.models import Category, Kelurahan, Kemantren
from gandeng.reference.services import find_kelurahan, find_kemantren, load_reference_data


def test_reference_data_has_14_kemantren_45_kelurahan_and_10_categories(session):
    assert session.scalar(select(func.count()).select_from(Kemantren)) == 14
    assert session.scalar(select(func.count()).select_from(Kelurahan)) == 45
    assert session.scalar(select(func.count()).select_from(Category)) == 10


def test_every_kelurahan_has_a_point_inside_the_city(session):
    for kelurahan in session.scalars(select(Kelurahan)):
        assert -7.85 < kelurahan.lat < -7.74 and 110.33 < kelurahan.lon < 110.42, kelurahan.name


def test_loading_reference_data_again_adds_nothing(session):
    assert load_reference_data(session) == {"kemantren": 0, "kelurahan": 0, "categories": 0}


@pytest.mark.parametrize(
    "text, name",
    [
        ("Muja-Muju", "Muja Muju"),
        ("muja muju", "Muja Muju"),
        ("MUJAMUJU", "Muja Muju"),
        ("Tegal Panggung", "Tegalpanggung"),
        ("34.71.01.1001", "Kricak"),
        ("  kricak ", "Kricak"),
        ("Purwo Kinanti", "Purwokinanti"),
    ],
)
def test_kelurahan_found_by_code_or_loose_name(session, text, name):
    found = find_kelurahan(session, text)
    assert found is not None and found.name == name


@pytest.mark.parametrize("text", ["", "Atlantis", "34.71.99.9999"])
def test_unknown_kelurahan_is_none(session, text):
    assert find_kelurahan(session, text) is None


def test_kemantren_found_by_loose_name(session):
    assert find_kemantren(session, "gondo kusuman").code == find_kemantren(session, "Gondokusuman").code

"""Kelurahan reference: loading rows or objects, hierarchy and distances."""

from types import SimpleNamespace

import pytest

from gandeng.matching import load_geography
from places import BUMIJO, GIWANGAN, GOWONGAN, JETIS

ROWS = [
    {"kode_kemantren": "34.71.02", "kemantren": "Jetis", "kode_kelurahan": "34.71.02.1001",
     "kelurahan": "Bumijo", "lat": "-7.785134", "lon": "110.359274"},
    {"kode_kemantren": "34.71.02", "kemantren": "Jetis", "kode_kelurahan": "34.71.02.1003",
     "kelurahan": "Gowongan", "lat": "-7.785206", "lon": "110.366262"},
]


def test_geography_loads_from_dict_rows_and_from_objects():
    from_rows = load_geography(ROWS)
    from_objects = load_geography(SimpleNamespace(**row) for row in ROWS)
    assert from_rows.kelurahan == from_objects.kelurahan
    assert from_rows.kemantren_names == {"34.71.02": "Jetis"}


def test_the_city_has_45_kelurahan_in_14_kemantren(geo):
    assert len(geo) == 45 and len(geo.kemantren_codes) == 14


def test_distances_are_kilometres_between_kelurahan_points(geo):
    d = geo.distance_km
    assert d[geo.index[BUMIJO], geo.index[BUMIJO]] == 0
    assert 0.5 < d[geo.index[BUMIJO], geo.index[GOWONGAN]] < 1.0
    assert 5 < d[geo.index[BUMIJO], geo.index[GIWANGAN]] < 7


def test_kemantren_area_covers_its_kelurahan(geo):
    covered = geo.covered((JETIS,))
    assert covered.sum() == 3 and covered[geo.index[GOWONGAN]]


def test_empty_reference_is_refused():
    with pytest.raises(ValueError):
        load_geography([])

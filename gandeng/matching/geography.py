"""Kelurahan reference for the matcher: hierarchy, distances and which kelurahan an offer covers."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

# Distance (km) at which proximity has fallen to 1/e; Kota Yogyakarta is about 6 km across.
PROXIMITY_SCALE_KM = 1.5
# Geography part = LEVEL_SHARE * targeting level + (1 - LEVEL_SHARE) * proximity.
LEVEL_SHARE = 0.6
LEVEL_KELURAHAN, LEVEL_KEMANTREN, LEVEL_CITY = 1.0, 0.8, 0.3


@dataclass(frozen=True, slots=True)
class Kelurahan:
    """One kelurahan with its kemantren and representative point."""

    code: str
    name: str
    kemantren_code: str
    kemantren_name: str
    lat: float
    lon: float


class Geography:
    """The 45 kelurahan of the city, indexed 0..n-1 in code order, with a distance matrix in km."""

    def __init__(self, kelurahan: Iterable[Kelurahan]):
        self.kelurahan = tuple(sorted(kelurahan, key=lambda k: k.code))
        if not self.kelurahan:
            raise ValueError("referensi wilayah kosong")
        self.index = {k.code: i for i, k in enumerate(self.kelurahan)}
        self.kemantren_names = {k.kemantren_code: k.kemantren_name for k in self.kelurahan}
        self.kemantren_of = np.array(
            [sorted(self.kemantren_names).index(k.kemantren_code) for k in self.kelurahan]
        )
        self.kemantren_codes = tuple(sorted(self.kemantren_names))
        self.distance_km = _haversine_matrix(
            np.array([k.lat for k in self.kelurahan]), np.array([k.lon for k in self.kelurahan])
        )

    def __len__(self) -> int:
        return len(self.kelurahan)

    def covered(self, areas: tuple[str, ...]) -> np.ndarray:
        """Boolean mask of kelurahan inside `areas` (kemantren or kelurahan codes; empty = city)."""
        if not areas:
            return np.ones(len(self), dtype=bool)
        mask = np.zeros(len(self), dtype=bool)
        for code in areas:
            if code in self.index:
                mask[self.index[code]] = True
            elif code in self.kemantren_names:
                mask |= self.kemantren_of == self.kemantren_codes.index(code)
        return mask

    def level_row(self, areas: tuple[str, ...]) -> np.ndarray:
        """Targeting level per kelurahan: listed itself 1.0, via its kemantren 0.8, city-wide 0.3."""
        if not areas:
            return np.full(len(self), LEVEL_CITY)
        level = np.zeros(len(self))
        for code in areas:
            if code in self.kemantren_names:
                level[self.kemantren_of == self.kemantren_codes.index(code)] = LEVEL_KEMANTREN
        for code in areas:
            if code in self.index:
                level[self.index[code]] = LEVEL_KELURAHAN
        return level

    def geography_row(self, areas: tuple[str, ...]) -> np.ndarray:
        """Geography part (0 where not covered) of one offer for a need in each kelurahan.

        A targeted offer ranks its own kelurahan above its kemantren above the whole city; the
        proximity term rewards offers whose covered kelurahan lie close to the need's point.
        """
        mask = self.covered(areas)
        if not mask.any():
            return np.zeros(len(self))
        mean_km = self.distance_km[:, mask].mean(axis=1)
        value = LEVEL_SHARE * self.level_row(areas) + (1 - LEVEL_SHARE) * np.exp(
            -mean_km / PROXIMITY_SCALE_KM
        )
        return np.where(mask, value, 0.0)


def _haversine_matrix(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    lat_r, lon_r = np.radians(lat), np.radians(lon)
    dlat = lat_r[:, None] - lat_r[None, :]
    dlon = lon_r[:, None] - lon_r[None, :]
    a = np.sin(dlat / 2) ** 2 + np.cos(lat_r)[:, None] * np.cos(lat_r)[None, :] * np.sin(dlon / 2) ** 2
    return 2 * 6371.0 * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def load_geography(rows: Iterable[Mapping[str, object] | object]) -> Geography:
    """Build a Geography from wilayah.csv-shaped rows (dicts or objects with the same fields).

    Fields: kode_kemantren, kemantren, kode_kelurahan, kelurahan, lat, lon.
    """
    items = []
    for row in rows:
        get = row.get if isinstance(row, Mapping) else lambda name, r=row: getattr(r, name)
        lat, lon = float(get("lat")), float(get("lon"))
        if not (math.isfinite(lat) and math.isfinite(lon)):
            raise ValueError(f"titik kelurahan tidak valid: {get('kode_kelurahan')}")
        items.append(
            Kelurahan(
                code=str(get("kode_kelurahan")),
                name=str(get("kelurahan")),
                kemantren_code=str(get("kode_kemantren")),
                kemantren_name=str(get("kemantren")),
                lat=lat,
                lon=lon,
            )
        )
    return Geography(items)

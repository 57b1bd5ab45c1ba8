"""Fixtures for the matcher's unit tests: reference data copied into tests/data/matching."""

import csv
import json
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from gandeng.matching import MatchContext, Need, Offer, load_geography
from places import BUMIJO, TODAY

DATA = Path(__file__).resolve().parents[2] / "data" / "matching"


@pytest.fixture(scope="session")
def geo():
    with open(DATA / "wilayah.csv", encoding="utf-8") as f:
        return load_geography(csv.DictReader(f))


@pytest.fixture(scope="session")
def labels():
    with open(DATA / "categories.csv", encoding="utf-8") as f:
        return {row["code"]: row["label_id"] for row in csv.DictReader(f)}


@pytest.fixture
def context(labels):
    """A context builder: today's date and the category labels, overridable."""
    def build(**overrides):
        return MatchContext(**{"today": TODAY, "category_labels": labels, **overrides})
    return build


@pytest.fixture(scope="session")
def make_need(geo):
    """Need builder with sensible defaults; the kemantren follows the kelurahan."""
    def build(id=1, kelurahan_code=BUMIJO, **overrides):
        kemantren = geo.kelurahan[geo.index[kelurahan_code]].kemantren_code
        values = dict(id=id, kelurahan_code=kelurahan_code, kemantren_code=kemantren,
                      category="sanitation", title="Kakus dan septictank",
                      description="Lima KK belum punya WC, septictank tetangga penuh.",
                      households=10, kms_households=4, remaining_rp=10_000_000, deadline=None,
                      urgency="sedang", partial_ok=False)
        values.update(overrides)
        return Need(**values)
    return build


@pytest.fixture(scope="session")
def make_offer():
    """Offer builder: a city-wide sanitation offer for jamban and tangki septik by default."""
    def build(id=100, **overrides):
        values = dict(id=id, organisation_id=1, kind="dana", categories=("sanitation",),
                      title="Jamban sehat dan tangki septik",
                      description="Pembangunan jamban sehat dan tangki septik untuk keluarga prasejahtera.",
                      remaining_rp=50_000_000, areas=(), valid_until=None)
        values.update(overrides)
        return Offer(**values)
    return build


def load_labelled(name: str, geo):
    """A labelled set: needs, offers, the right offers per need, its date, and extra labels
    (`loses_to` per need, `contested_need` group per need, the `contested` groups)."""
    raw = json.loads((DATA / name).read_text(encoding="utf-8"))
    if "offers_from" in raw:  # a set that reuses another set's offers
        raw["offers"] = json.loads((DATA / raw["offers_from"]).read_text(encoding="utf-8"))["offers"]
    day = lambda s: date.fromisoformat(s) if s else None  # noqa: E731
    needs = [Need(id=n["id"], kelurahan_code=n["kelurahan_code"],
                  kemantren_code=geo.kelurahan[geo.index[n["kelurahan_code"]]].kemantren_code,
                  category=n["category"], title=n["title"], description=n["description"],
                  households=n["households"], kms_households=n["kms_households"],
                  remaining_rp=n["remaining_rp"], deadline=day(n["deadline"]),
                  urgency=n["urgency"], partial_ok=n["partial_ok"]) for n in raw["needs"]]
    offers = [Offer(id=o["id"], organisation_id=o["organisation_id"], kind=o["kind"],
                    categories=tuple(o["categories"]), title=o["title"],
                    description=o["description"], remaining_rp=o["remaining_rp"],
                    areas=tuple(o["areas"]), valid_until=day(o["valid_until"]))
              for o in raw["offers"]]
    right = {n["id"]: frozenset(n["right"]) for n in raw["needs"]}
    extra = {"loses_to": {n["id"]: tuple(n["loses_to"]) for n in raw["needs"] if n.get("loses_to")},
             "contested_need": {n["id"]: n["contested"] for n in raw["needs"] if n.get("contested")},
             "contested": raw.get("contested", {})}
    return needs, offers, right, date.fromisoformat(raw["today"]), extra


@pytest.fixture(scope="session")
def labelled(geo):
    """The first labelled set: needs, offers, the right offers per need, and its date."""
    return load_labelled("labelled.json", geo)[:4]


@pytest.fixture(scope="session")
def kampung(geo):
    """The kampung set of issue 13 (written before tuning), with its extra labels."""
    return load_labelled("kampung.json", geo)


@pytest.fixture(scope="session")
def kampung2(geo):
    """The second kampung set (shared everyday words; written before the engine was changed for it)."""
    return load_labelled("kampung2.json", geo)


@pytest.fixture(scope="session")
def kampung4(geo):
    """The fourth kampung set ("tahun ajaran": the school year is not teaching; written before the
    engine was changed for it)."""
    return load_labelled("kampung4.json", geo)


@pytest.fixture(scope="session")
def kampung3(geo):
    """The third kampung set (words that stem alike, things another kind of help pays for or
    gives; written before the engine was changed for it)."""
    return load_labelled("kampung3.json", geo)


@pytest.fixture(scope="session")
def random_market():
    """Builder of small random markets (see `market`)."""
    return market


def market(seed: int, n_needs: int = 12, n_offers: int = 6, partial_share: float = 0.5):
    """Small random capacities, demands and pair weights for solver comparisons."""
    rng = np.random.default_rng(seed)
    pairs = {(int(i), int(j)) for i, j in zip(rng.integers(0, n_needs, n_needs * 3),
                                              rng.integers(0, n_offers, n_needs * 3))}
    need, offer = (np.array(x, dtype=np.int64) for x in zip(*sorted(pairs)))
    return dict(
        capacity=rng.integers(1, 40, n_offers).astype(np.int64) * 1_000_000,
        demand=rng.integers(1, 15, n_needs).astype(np.int64) * 1_000_000,
        partial_ok=rng.random(n_needs) < partial_share,
        pair_offer=offer, pair_need=need,
        weight=rng.integers(1_000, 80_000, need.size).astype(np.int64),
    )

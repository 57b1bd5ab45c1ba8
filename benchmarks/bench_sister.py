"""Sister pairing benchmark (issue 17): one campus and one company per kampung.

    .venv/bin/python benchmarks/bench_sister.py                      # 169x48x70 and 2000x300x800
    .venv/bin/python benchmarks/bench_sister.py --sizes 169x48x70 --solvers networkx,ortools

Not a test: it measures. Per size (kampung x campuses x companies) it builds seeded synthetic data and
runs `gandeng.sister.solver.pair` as `sister pair` does, then prints per kind (campus, company):
seconds, peak MB (RSS above the start, sampled every 5 ms), kampung unpaired, mean distance against the
distance-only optimum (the same flow with theme, continuity and load terms switched off), theme fit
(share of pairs sharing at least one theme, against the distance-only pairing), kampung keeping last
year's partner, and the largest load against capacity.

Data: the city size puts kampung and partners on the 45 real kelurahan points of Kota Yogyakarta
(gandeng/reference/data/wilayah.csv); the province size on 400 random points in a 60 x 60 km square
around it. Kampung have 1-3 of the 10 category codes as themes, partners 1-3; 30% of kampung had a
random partner of each kind last year. City capacities: campuses 3-5, companies 2-3 (both cover all
169). Province: campuses 6-8, companies 2-3 (companies about 2,000 places: tight or a little short).
"""
from __future__ import annotations

import argparse
import csv
import math
import sys
import threading
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gandeng.matching.geography import load_geography  # noqa: E402
from gandeng.sister.solver import SisterKampung, SisterPartner, Weights, pair  # noqa: E402

THEMES = ("housing", "sanitation", "health", "nutrition", "education", "livelihood", "training", "environment",
          "infrastructure", "social")  # the 10 category codes of the reference data
WILAYAH = Path(__file__).resolve().parents[1] / "gandeng" / "reference" / "data" / "wilayah.csv"


class PeakRss:
    """Samples the process RSS every 5 ms; `peak_mb()` since the last `reset()`."""

    def __init__(self) -> None:
        self._peak = self.rss_mb()
        threading.Thread(target=self._run, daemon=True).start()

    @staticmethod
    def rss_mb() -> float:
        with open("/proc/self/status") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return 0.0

    def _run(self) -> None:
        while True:
            self._peak = max(self._peak, self.rss_mb())
            time.sleep(0.005)

    def reset(self) -> float:
        self._peak = self.rss_mb()
        return self._peak

    def peak_mb(self) -> float:
        return max(self._peak, self.rss_mb())


def city_points():
    with WILAYAH.open(encoding="utf-8") as handle:
        geography = load_geography(csv.DictReader(handle))
    codes = [k.code for k in geography.kelurahan]

    def km(a, b):
        return float(geography.distance_km[geography.index[a], geography.index[b]])

    return codes, km


def province_points(rng, n=400):
    xy = rng.uniform(0, 60, size=(n, 2))
    codes = [f"p{i}" for i in range(n)]
    index = {code: i for i, code in enumerate(codes)}
    matrix = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=2))

    def km(a, b):
        return float(matrix[index[a], index[b]])

    return codes, km


def themes(rng):
    return frozenset(rng.choice(THEMES, size=int(rng.integers(1, 4)), replace=False).tolist())


def build(n_kampung, n_campus, n_company, seed=17):
    rng = np.random.default_rng(seed)
    city = n_kampung <= 500
    codes, km = city_points() if city else province_points(rng)
    kampung = [SisterKampung(i, codes[int(rng.integers(len(codes)))], themes(rng)) for i in range(n_kampung)]
    campus_cap = (3, 6) if city else (6, 9)
    partners = [SisterPartner(10_000 + j, "kampus", codes[int(rng.integers(len(codes)))],
                              int(rng.integers(*campus_cap)), themes(rng)) for j in range(n_campus)]
    partners += [SisterPartner(20_000 + j, "korporat", codes[int(rng.integers(len(codes)))],
                               int(rng.integers(2, 4)), themes(rng)) for j in range(n_company)]
    campuses = [p.id for p in partners if p.kind == "kampus"]
    companies = [p.id for p in partners if p.kind == "korporat"]
    previous = {k.id: {int(rng.choice(campuses)), int(rng.choice(companies))}
                for k in kampung if rng.random() < 0.3}
    return kampung, partners, km, previous


def describe(side, distance_side, capacity_total):
    assigned = list(side.assignments.values())
    best = list(distance_side.assignments.values())
    mean = sum(a.km for a in assigned) / len(assigned) if assigned else math.nan
    best_mean = sum(a.km for a in best) / len(best) if best else math.nan
    fit = sum(1 for a in assigned if a.shared_themes) / len(assigned) if assigned else math.nan
    best_fit = sum(1 for a in best if a.shared_themes) / len(best) if best else math.nan
    kept = sum(1 for a in assigned if a.continued)
    ratio, load, cap = max(((side.load[p] / side.capacity[p], side.load[p], side.capacity[p]) for p in side.load),
                           default=(0, 0, 0))
    return (f"paired {len(assigned)}, unpaired {len(side.unpaired)} (capacity {capacity_total}); "
            f"mean {mean:.2f} km vs distance-only {best_mean:.2f} km (+{mean - best_mean:.2f}); "
            f"worst {max((a.km for a in assigned), default=0):.1f} km; "
            f"theme fit {100 * fit:.0f}% vs {100 * best_fit:.0f}%; kept last year's {kept}; "
            f"largest load {load}/{cap} ({100 * ratio:.0f}%)")


def run(size: str, solvers, rss: PeakRss):
    n_kampung, n_campus, n_company = (int(x) for x in size.split("x"))
    kampung, partners, km, previous = build(n_kampung, n_campus, n_company)
    print(f"\n== {n_kampung} kampung x {n_campus} campuses x {n_company} companies ==")
    capacity = {kind: sum(p.capacity for p in partners if p.kind == kind) for kind in ("kampus", "korporat")}
    distance_only = None
    for solver in solvers:
        if solver == "networkx" and n_kampung * max(n_campus, n_company) > 200_000:
            print(f"{solver}: skipped (pure Python, far too slow at this size)")
            continue
        base = rss.reset()
        started = time.perf_counter()
        result = pair(kampung, partners, km, previous=previous, solver=solver)
        seconds = time.perf_counter() - started
        peak = rss.peak_mb() - base
        if distance_only is None:
            distance_only = pair(kampung, partners, km, weights=Weights.distance_only(), solver="ortools")
        print(f"{solver}: {seconds:.2f} s, peak {peak:.0f} MB")
        for kind, label in (("kampus", "campus"), ("korporat", "company")):
            print(f"  {label:<8} {describe(result.sides[kind], distance_only.sides[kind], capacity[kind])}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="169x48x70,2000x300x800")
    parser.add_argument("--solvers", default="networkx,ortools")
    args = parser.parse_args()
    rss = PeakRss()
    for size in args.sizes.split(","):
        run(size, args.solvers.split(","), rss)


if __name__ == "__main__":
    main()

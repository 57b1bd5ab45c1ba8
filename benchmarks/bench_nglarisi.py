"""Benchmark and fairness simulation of the Nglarisi proposer (not a test).

    .venv/bin/python benchmarks/bench_nglarisi.py [--orders 1000] [--groups 190] [--seed 18]

Places the orders through gandeng.nglarisi.proposer (gandeng.nglarisi.simulation builds the synthetic
city) and prints the size, seconds, peak Python memory (tracemalloc, a separate run), the Gini of order
value across groups, and how many orders were placed, refused, unplaced or placed with a group unable
to make them (must be 0).
"""
from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gandeng.nglarisi.simulation import simulate  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--groups", type=int, default=190)
    parser.add_argument("--seed", type=int, default=18)
    args = parser.parse_args()
    started = time.perf_counter()
    outcome = simulate(args.orders, args.groups, args.seed)
    seconds = time.perf_counter() - started
    tracemalloc.start()
    simulate(args.orders, args.groups, args.seed)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    values = sorted(outcome.value_by_group.values())
    print(f"size: {args.orders} orders over {args.groups} groups (seed {args.seed})")
    print(f"seconds: {seconds:.2f}")
    print(f"peak memory: {peak / 1e6:.1f} MB")
    print(f"gini of order value across groups: {outcome.gini:.3f}")
    print(f"placed {outcome.placed}, refused {outcome.refused}, unplaced {outcome.unplaced}, "
          f"declines moved on {outcome.declines}, infeasible placements {outcome.infeasible_placements}")
    print(f"order value per group: min Rp{values[0]:,}, median Rp{values[len(values) // 2]:,}, "
          f"max Rp{values[-1]:,}".replace(",", "."))


if __name__ == "__main__":
    main()

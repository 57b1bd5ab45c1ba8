"""Fingerprints of matching results, to show that a change meant to save time or memory leaves
every proposal, alternative and reason as it was.

    .venv/bin/python tests/unit/matching/same_results.py --write

records the fingerprints of today's engine in tests/data/matching/same_results.json (do that
only for a change that is meant to alter results, and say so in the commit);
tests/unit/matching/test_matching_same_results.py compares against them.
"""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
DATA = ROOT / "tests" / "data" / "matching"
FINGERPRINTS = DATA / "same_results.json"
LABELLED_SETS = ("labelled.json", "kampung.json", "kampung2.json", "kampung3.json", "kampung4.json")
RANDOM_SIZE = (3000, 1500)   # needs x offers from the benchmark's seeded generator


def canonical(result) -> dict:
    """Everything a run returns except its timings, as plain JSON values."""
    reasons = lambda rs: [[r.code, r.params, r.negative] for r in rs]  # noqa: E731
    return {
        "proposals": [[p.need_id, p.offer_id, p.amount_rp, p.score, p.breakdown, reasons(p.reasons)]
                      for p in result.proposals],
        "alternatives": [[a.need_id, a.offer_id, a.score, a.breakdown, reasons(a.reasons), reasons(a.lost)]
                         for a in result.alternatives],
        "unmatched": [[u.offer_id, u.unused_rp, u.candidate_count, u.detail] for u in result.unmatched_offers],
        "fairness": result.fairness,
    }


def fingerprint(result) -> dict:
    text = json.dumps(canonical(result), sort_keys=True, ensure_ascii=False, default=str)
    return {"proposals": len(result.proposals), "alternatives": len(result.alternatives),
            "proposed_rp": sum(p.amount_rp for p in result.proposals),
            "sha256": hashlib.sha256(text.encode()).hexdigest()}


def benchmark_module():
    spec = importlib.util.spec_from_file_location("bench_matching", ROOT / "benchmarks" / "bench_matching.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_set(name: str, on_explained=None):
    """The engine's result on one labelled set, or on the random case ("random")."""
    from gandeng.matching import MatchContext, load_geography, run_matching

    if name == "random":
        bench = benchmark_module()
        needs, offers, geo = bench.make_data(*RANDOM_SIZE)
        return run_matching(needs, offers, geo, MatchContext(today=bench.TODAY), on_explained=on_explained)
    sys.path.insert(0, str(HERE))
    from conftest import load_labelled

    with open(DATA / "wilayah.csv", encoding="utf-8") as f:
        geo = load_geography(csv.DictReader(f))
    with open(DATA / "categories.csv", encoding="utf-8") as f:
        labels = {row["code"]: row["label_id"] for row in csv.DictReader(f)}
    needs, offers, _, today, _ = load_labelled(name, geo)
    return run_matching(needs, offers, geo, MatchContext(today=today, category_labels=labels),
                        on_explained=on_explained)


def main() -> None:
    sys.path.insert(0, str(ROOT))
    prints = {name: fingerprint(run_set(name)) for name in (*LABELLED_SETS, "random")}
    if "--write" in sys.argv:
        FINGERPRINTS.write_text(json.dumps(prints, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(json.dumps(prints, indent=2, sort_keys=True))


if __name__ == "__main__":
    main()

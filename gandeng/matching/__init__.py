"""Matching engine: propose need-offer pairings with scores and Indonesian reasons.

A pure library: dataclasses in, dataclasses out; no Flask, no SQLAlchemy. See docs/matching.md.
"""

import importlib

# Each public name and the module it lives in. Loaded on first use (PEP 562), so that importing
# `gandeng.matching.model` for its dataclasses, or the app for its pages, does not pull in the
# numerical stack (scikit-learn, SciPy, OR-Tools, networkx): only a run or a suggestion does.
_WHERE = {
    "run_matching": ".engine", "solve_flow": ".flow", "allocate": ".allocation",
    "Geography": ".geography", "Kelurahan": ".geography", "load_geography": ".geography",
    "OfferIndex": ".incremental", "build_offer_index": ".incremental", "rank_offers_for_need": ".incremental",
    "BREAKDOWN_KEYS": ".model", "NO_GOOD_MATCH": ".model", "OFFER_KINDS": ".model", "PARTS": ".model",
    "URGENCY_LEVELS": ".model", "Alternative": ".model", "MatchContext": ".model", "MatchResult": ".model",
    "Need": ".model", "Offer": ".model", "Proposal": ".model", "RankedOffer": ".model", "Reason": ".model",
    "Settings": ".model", "UnmatchedOffer": ".model", "Weights": ".model",
    "render_id": ".reasons", "SYNONYM_GROUPS": ".synonyms",
}

__all__ = sorted(_WHERE) + ["preload"]


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_WHERE[name], __name__), name)
    globals()[name] = value  # the next look-up is a plain attribute
    return value


def __dir__():
    return __all__


def preload() -> None:
    """Load the engine and its numerical stack now: the worker before its first job, `match run`
    before it starts its clock. (`import gandeng.matching` alone loads nothing heavy.)"""
    importlib.import_module(".engine", __name__)
    importlib.import_module("ortools.graph.python.min_cost_flow")  # the engine loads it at its first solve

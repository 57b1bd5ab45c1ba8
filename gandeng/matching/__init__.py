"""Matching engine: propose need-offer pairings with scores and Indonesian reasons.

A pure library: dataclasses in, dataclasses out; no Flask, no SQLAlchemy. See docs/matching.md.
"""

from .engine import run_matching
from .flow import solve_flow
from .allocation import allocate
from .geography import Geography, Kelurahan, load_geography
from .incremental import OfferIndex, build_offer_index, rank_offers_for_need
from .model import (BREAKDOWN_KEYS, NO_GOOD_MATCH, OFFER_KINDS, PARTS, URGENCY_LEVELS, Alternative,
                    MatchContext, MatchResult, Need, Offer, Proposal, RankedOffer, Reason, Settings,
                    UnmatchedOffer, Weights)
from .reasons import render_id
from .synonyms import SYNONYM_GROUPS

__all__ = [
    "run_matching", "rank_offers_for_need", "build_offer_index", "OfferIndex",
    "allocate", "solve_flow", "load_geography", "Geography", "Kelurahan",
    "Need", "Offer", "MatchContext", "Weights", "Settings", "Proposal", "UnmatchedOffer",
    "MatchResult", "RankedOffer", "SYNONYM_GROUPS", "PARTS", "URGENCY_LEVELS", "OFFER_KINDS",
    "NO_GOOD_MATCH", "BREAKDOWN_KEYS", "Alternative", "Reason", "render_id",
]

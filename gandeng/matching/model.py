"""Dataclasses that go in and out of the matcher: needs, offers, context, weights, results."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

URGENCY_LEVELS = ("rendah", "sedang", "tinggi", "darurat")
OFFER_KINDS = ("dana", "barang", "jasa", "pelatihan", "pembelian")
PARTS = ("text", "category", "geography", "urgency", "poverty")
NO_GOOD_MATCH = "penawaran tanpa pasangan yang baik"


@dataclass(frozen=True, slots=True)
class Need:
    """An open, verified need of a kampung; `remaining_rp` is cost minus approved commitments."""

    id: int
    kelurahan_code: str
    kemantren_code: str
    category: str
    title: str
    description: str
    households: int
    kms_households: int
    remaining_rp: int
    deadline: date | None = None
    urgency: str = "sedang"
    partial_ok: bool = False


@dataclass(frozen=True, slots=True)
class Offer:
    """An active offer; empty `categories` covers every category, empty `areas` the whole city."""

    id: int
    organisation_id: int
    kind: str
    categories: tuple[str, ...]
    title: str
    description: str
    remaining_rp: int
    areas: tuple[str, ...] = ()
    valid_until: date | None = None


@dataclass(frozen=True, slots=True)
class Weights:
    """Weights of the five score parts; data set by the admin, normalised to sum 1 when used."""

    text: float = 0.40
    category: float = 0.15
    geography: float = 0.15
    urgency: float = 0.15
    poverty: float = 0.15

    def normalised(self) -> tuple[float, float, float, float, float]:
        """The weights in PARTS order, scaled to sum 1; rejects negative or all-zero weights."""
        values = (self.text, self.category, self.geography, self.urgency, self.poverty)
        if any(v < 0 for v in values) or sum(values) <= 0:
            raise ValueError("bobot harus non-negatif dan tidak semuanya nol")
        total = sum(values)
        return tuple(v / total for v in values)  # type: ignore[return-value]


@dataclass(frozen=True, slots=True)
class Settings:
    """Engine knobs with measured defaults (see docs/matching.md); rarely changed."""

    gate_min_text: float = 0.04   # below this text similarity a pair is irrelevant: score 0
    gate_full_text: float = 0.20  # from here on the other parts count in full
    min_score: float = 0.20       # a pair scoring less is never proposed
    stability_bonus: float = 0.02  # added to pairs proposed in the previous run
    top_k_per_need: int = 12
    top_k_per_offer: int = 16     # at least; offers with more money keep more (candidates.py)
    top_k_per_offer_max: int = 400
    diversity_need: float = 0.3    # pair-specific jitter added when ranking candidates, so that
    diversity_offer: float = 0.3   # near-identical offers (needs) do not all pick the same needs (offers)
    max_repair_rounds: int = 10
    residual_passes: int = 1      # extra candidate searches between idle money and unmet needs
    solver: str = "auto"          # "auto", "ortools" or "networkx"


@dataclass(frozen=True, slots=True)
class MatchContext:
    """Everything about a run that is not a need or an offer."""

    today: date
    rejected_pairs: frozenset[tuple[int, int]] = frozenset()
    previous_pairs: frozenset[tuple[int, int]] = frozenset()
    received_rp_by_kelurahan: dict[str, int] = field(default_factory=dict)
    category_labels: dict[str, str] = field(default_factory=dict)
    weights: Weights = Weights()
    settings: Settings = Settings()


@dataclass(frozen=True, slots=True)
class Proposal:
    """One proposed pairing: `amount_rp` of the offer goes to the need."""

    need_id: int
    offer_id: int
    amount_rp: int
    score: float
    breakdown: dict[str, float]
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class UnmatchedOffer:
    """Money of an offer that found no good need; shown to staff, never spent badly."""

    offer_id: int
    unused_rp: int
    candidate_count: int
    label: str = NO_GOOD_MATCH
    detail: str = ""


@dataclass(frozen=True, slots=True)
class MatchResult:
    """Proposals in (need_id, offer_id) order, idle offers, and summary figures."""

    proposals: tuple[Proposal, ...]
    unmatched_offers: tuple[UnmatchedOffer, ...]
    stats: dict[str, float]


@dataclass(frozen=True, slots=True)
class RankedOffer:
    """An offer ranked for a single need by the incremental path."""

    offer_id: int
    score: float
    breakdown: dict[str, float]
    reasons: tuple[str, ...]

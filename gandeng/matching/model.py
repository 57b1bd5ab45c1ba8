"""Dataclasses that go in and out of the matcher: needs, offers, context, weights, results."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

URGENCY_LEVELS = ("rendah", "sedang", "tinggi", "darurat")
OFFER_KINDS = ("dana", "barang", "jasa", "pelatihan", "pembelian")
PARTS = ("text", "category", "geography", "urgency", "poverty", "severity")
# The breakdown of a proposal: the weighted parts, then `kind`, the kind-of-help factor the
# weighted sum is multiplied by (1 = the kind of help the need asks for).
BREAKDOWN_KEYS = PARTS + ("kind",)
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


class Reason(NamedTuple):
    """One reason for (or against) a pairing: a code and its parameters, rendered by the reader.

    `render_id` (gandeng.matching.reasons) writes it in Indonesian; the app renders it in the
    reader's language. `private` reasons reveal KMS figures and are for staff only. A named
    tuple, not a dataclass: a run builds one per reason of every proposal and alternative.
    """

    code: str
    params: dict = {}
    negative: bool = False

    PRIVATE_CODES = frozenset({"kms_share"})

    @property
    def private(self) -> bool:
        return self.code in Reason.PRIVATE_CODES

    def as_dict(self) -> dict:
        """JSON form: {"code", "params", "negative"}."""
        return {"code": self.code, "params": dict(self.params), "negative": self.negative}

    def __str__(self) -> str:
        from .reasons import render_id
        return render_id(self)


@dataclass(frozen=True, slots=True)
class Weights:
    """Weights of the six score parts; data set by the admin, normalised to sum 1 when used.

    Relevance (text) is a gate and then a small part; what the need describes (urgency,
    KMS share, severity) decides among relevant pairs (docs/matching.md).
    """

    text: float = 0.15
    category: float = 0.10
    geography: float = 0.10
    urgency: float = 0.20
    poverty: float = 0.20
    severity: float = 0.25

    def normalised(self) -> tuple[float, float, float, float, float, float]:
        """The weights in PARTS order, scaled to sum 1; rejects negative or all-zero weights."""
        values = (self.text, self.category, self.geography, self.urgency, self.poverty, self.severity)
        if any(v < 0 for v in values) or sum(values) <= 0:
            raise ValueError("bobot harus non-negatif dan tidak semuanya nol")
        total = sum(values)
        return tuple(v / total for v in values)  # type: ignore[return-value]


@dataclass(frozen=True, slots=True)
class Settings:
    """Engine knobs with measured defaults (see docs/matching.md); rarely changed."""

    gate_min_text: float = 0.06   # below this text similarity a pair is irrelevant: score 0
    gate_full_text: float = 0.12  # from here on the other parts count in full
    text_saturation: float = 0.15  # text part = 1 - exp(-cosine / this): density past the gate counts little
    fairness: float = 0.02        # score given up per step of a kemantren's money beyond its fair share
    alternatives: int = 2         # next-best allowed offers kept per need (memory: 1 GB at 100k x 50k)
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
    reasons: tuple[Reason, ...]


@dataclass(frozen=True, slots=True)
class Alternative:
    """A next-best allowed offer for a need that received proposals, and why it lost."""

    need_id: int
    offer_id: int
    score: float
    breakdown: dict[str, float]
    reasons: tuple[Reason, ...]      # for the pair, as a proposal would carry them
    lost: tuple[Reason, ...]         # why the engine chose another offer


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
    alternatives: tuple[Alternative, ...] = ()
    fairness: dict = field(default_factory=dict)   # Gini and kemantren shares (fairness.py)


@dataclass(frozen=True, slots=True)
class RankedOffer:
    """An offer ranked for a single need by the incremental path."""

    offer_id: int
    score: float
    breakdown: dict[str, float]
    reasons: tuple[Reason, ...]

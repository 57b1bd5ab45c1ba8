"""Offers that would fit a need being written, through the engine's incremental path.

The offer index (TF-IDF vectors, area tables) is built once per process and database, and rebuilt
only when a cheap fingerprint of the offers and commitments changes.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from gandeng.collaborations.models import Commitment
from gandeng.formatting import today_wib
from gandeng.offers.models import Offer
from gandeng.proposals import adapter
from gandeng.reference.models import Kelurahan

# The package is light to import (its __init__ loads each part on first use): the numerical stack
# loads only when a function here first touches the engine.
from gandeng import matching  # noqa: E402

_cache: dict[str, tuple[tuple, matching.OfferIndex]] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class Suggestion:
    offer: Offer
    score: float
    breakdown: dict
    reasons: tuple[str, ...]


def offers_fingerprint(session, today: date) -> tuple:
    """Changes whenever a usable offer or a commitment is added, changed or removed (or the day turns)."""
    usable = adapter.active_offers_query(today).subquery()
    offers = session.execute(select(func.count(), func.max(usable.c.updated_at)).select_from(usable)).one()
    commitments = session.execute(select(func.count(Commitment.id), func.max(Commitment.updated_at))).one()
    return (today.isoformat(), *map(str, offers), *map(str, commitments))


def offer_index(session, today: date | None = None) -> matching.OfferIndex:
    """The cached index of usable offers for this database, rebuilt when the fingerprint changes."""
    from gandeng import matching  # lazy: the numerical stack loads only when matching runs
    today = today or today_wib()
    key = str(session.get_bind().url)
    fingerprint = offers_fingerprint(session, today)
    with _lock:
        cached = _cache.get(key)
        if cached is not None and cached[0] == fingerprint:
            return cached[1]
    kemantren = adapter.kemantren_of(session)
    context = matching.MatchContext(
        today=today,
        received_rp_by_kelurahan=adapter.received_by_kelurahan(session),
        category_labels=adapter.category_labels(session),
    )
    index = matching.build_offer_index(
        adapter.load_offers(session, today), adapter.load_geography(session), context,
        needs=adapter.load_needs(session, kemantren),
    )
    with _lock:
        _cache[key] = (fingerprint, index)
    return index


def clear_cache() -> None:
    """Forget every built index (tests)."""
    with _lock:
        _cache.clear()


def suggest_offers(session, *, category: str, kelurahan_code: str, title: str, description: str,
                   urgency: str = "sedang", households: int = 0, kms_households: int = 0,
                   deadline: date | None = None, limit: int = 5) -> list[Suggestion]:
    """Up to `limit` usable offers that fit the need being written, best first, with reasons."""
    from gandeng import matching  # lazy: the numerical stack loads only when matching runs
    kelurahan = session.get(Kelurahan, kelurahan_code) if kelurahan_code else None
    if kelurahan is None or not category or not (title or description).strip():
        return []
    need = matching.Need(
        id=0, kelurahan_code=kelurahan.code, kemantren_code=kelurahan.kemantren_code, category=category,
        title=title, description=description, households=max(households, 0),
        kms_households=min(max(kms_households, 0), max(households, 0)), remaining_rp=1, deadline=deadline,
        urgency=urgency if urgency in matching.URGENCY_LEVELS else "sedang",
    )
    ranked = matching.rank_offers_for_need(need, index=offer_index(session), limit=limit)
    if not ranked:
        return []

    offers = {
        o.id: o
        for o in session.scalars(
            select(Offer).where(Offer.id.in_([r.offer_id for r in ranked])).options(selectinload(Offer.organisation))
        )
    }
    return [Suggestion(offers[r.offer_id], r.score, r.breakdown, r.reasons) for r in ranked if r.offer_id in offers]

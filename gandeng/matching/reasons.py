"""Short Indonesian reasons for a pairing, strongest first, one to four of them."""

from __future__ import annotations

from datetime import date

from .geography import Geography
from .model import Need, Offer

MAX_REASONS = 4
URGENT_LEVELS = {"tinggi": "tinggi", "darurat": "darurat"}
DEADLINE_MENTION_DAYS = 30
KMS_MENTION_SHARE = 0.2
SPREAD_MENTION = 0.75


def explain(need: Need, offer: Offer, parts: dict[str, float], weights: tuple[float, ...],
            keywords: list[str], geo: Geography, labels: dict[str, str], today: date,
            spread: float) -> tuple[str, ...]:
    """Reasons a staff member understands, ordered by their weight in the score."""
    w_text, w_cat, w_geo, w_urg, w_pov = weights
    found: list[tuple[float, int, str]] = []
    if keywords:
        found.append((w_text * parts["text"], 0, "kata kunci cocok: " + ", ".join(keywords[:3])))
    label = labels.get(need.category, need.category)
    if offer.categories:
        found.append((w_cat * parts["category"], 1, f"kategori sama: {label}"))
    else:
        found.append((w_cat * parts["category"] * 0.5, 1, f"penawaran terbuka untuk semua kategori ({label})"))
    found.append((w_geo * parts["geography"], 2, _place(need, offer, geo)))
    urgency = _urgency(need, today)
    if urgency:
        found.append((w_urg * parts["urgency"], 3, urgency))
    poverty = _poverty(need, spread)
    if poverty:
        found.append((w_pov * parts["poverty"], 4, poverty))
    found.sort(key=lambda item: (-item[0], item[1]))
    return tuple(text for _, _, text in found[:MAX_REASONS])


def _place(need: Need, offer: Offer, geo: Geography) -> str:
    kel = geo.kelurahan[geo.index[need.kelurahan_code]]
    if need.kelurahan_code in offer.areas:
        return f"satu kelurahan ({kel.name})"
    if need.kemantren_code in offer.areas:
        return f"satu kemantren ({kel.kemantren_name})"
    return "penawaran berlaku untuk seluruh kota"


def _urgency(need: Need, today: date) -> str:
    bits = []
    if need.urgency in URGENT_LEVELS:
        bits.append(f"urgensi {URGENT_LEVELS[need.urgency]}")
    if need.deadline is not None:
        days = (need.deadline - today).days
        if days < 0:
            bits.append("tenggat sudah lewat")
        elif days <= DEADLINE_MENTION_DAYS:
            bits.append(f"tenggat {days} hari lagi")
    return ", ".join(bits)


def _poverty(need: Need, spread: float) -> str:
    bits = []
    if need.households > 0 and need.kms_households / need.households >= KMS_MENTION_SHARE:
        bits.append(f"{round(100 * need.kms_households / need.households)}% KK pemegang KMS")
    if spread >= SPREAD_MENTION:
        bits.append("kelurahan ini baru sedikit menerima bantuan")
    return ", ".join(bits)


def format_rp(amount: int) -> str:
    """Rupiah the Indonesian way: Rp1.500.000."""
    return "Rp" + f"{int(amount):,}".replace(",", ".")

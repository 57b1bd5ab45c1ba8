"""Reasons for a pairing as codes with parameters (`Reason`), strongest first, plus the negatives.

The engine never writes sentences to be parsed back: it returns `Reason(code, params)`; the app
renders them in the reader's language (gandeng/reason_text.py) and `render_id` here renders the
Indonesian the API hands out. Codes:

| code | params | Indonesian |
|---|---|---|
| keywords | words | kata kunci cocok: jamban, tangki septik |
| severity | words | kondisi: roboh, numpang |
| same_category / any_category | label | kategori sama: Sanitasi / penawaran terbuka untuk semua kategori (Sanitasi) |
| same_kelurahan / same_kemantren | name | satu kelurahan (Bumijo) / satu kemantren (Jetis) |
| citywide | | penawaran berlaku untuk seluruh kota |
| urgency | level | urgensi tinggi |
| deadline_days / deadline_passed | days | tenggat 5 hari lagi / tenggat sudah lewat |
| kms_share (staff only) | percent | 60% KK pemegang KMS |
| spread | | kelurahan ini baru sedikit menerima bantuan |
| right_kind | kind | jenis bantuan sesuai: dana |
| negatives: comfort, wrong_kind, other_category, other_kemantren, deadline_far | | see render_id |
| lost reasons (alternatives): offer_used_up, lower_score, fairness | | see render_id |
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from .model import Need, Offer, Reason

if TYPE_CHECKING:  # annotations only: rendering a stored reason needs no numpy
    from .geography import Geography

MAX_REASONS = 5
MAX_NEGATIVE = 2
URGENT_LEVELS = ("tinggi", "darurat")
DEADLINE_MENTION_DAYS = 30
DEADLINE_FAR_DAYS = 180
KMS_MENTION_SHARE = 0.2
SPREAD_MENTION = 0.75
KIND_LABELS = {"dana": "dana", "barang": "barang", "jasa": "jasa/tenaga", "pelatihan": "pelatihan",
               "pembelian": "pembelian produk"}


def explain(need: Need, offer: Offer, parts: dict[str, float], weights: tuple[float, ...],
            keywords: list[str], geo: Geography, labels: dict[str, str], today: date,
            spread: float, profile=None) -> tuple[Reason, ...]:
    """Up to five positive reasons by their weight in the score, then up to two negatives.

    `profile` (severe words, comfort words, asked kinds, given kinds) adds severity and kind.
    Reasons are built only for what is kept: this runs for every proposal and alternative.
    """
    w_text, w_cat, w_geo, w_urg, w_pov, w_sev = weights
    found: list[tuple[float, int, str, dict]] = []
    negative: list[tuple[str, dict]] = []
    if keywords:
        found.append((w_text * parts["text"], 0, "keywords", {"words": list(keywords[:3])}))
    label = labels.get(need.category, need.category)
    if offer.categories:
        found.append((w_cat * parts["category"], 1, "same_category", {"label": label}))
        if len(offer.categories) > 2:
            negative.append(("other_category", {"count": len(offer.categories)}))
    else:
        found.append((w_cat * parts["category"] * 0.5, 1, "any_category", {"label": label}))
        negative.append(("other_category", {"count": 0}))
    found.append((w_geo * parts["geography"], 2, *_place(need, offer, geo)))
    urgency = w_urg * parts["urgency"]
    if need.urgency in URGENT_LEVELS:
        found.append((urgency, 3, "urgency", {"level": need.urgency}))
    if need.deadline is not None:
        days = (need.deadline - today).days
        if days < 0:
            found.append((urgency, 3, "deadline_passed", {}))
        elif days <= DEADLINE_MENTION_DAYS:
            found.append((urgency, 3, "deadline_days", {"days": days}))
        elif days > DEADLINE_FAR_DAYS and need.urgency not in URGENT_LEVELS:
            negative.append(("deadline_far", {"days": days}))
    poverty = w_pov * parts["poverty"]
    if need.households > 0 and need.kms_households / need.households >= KMS_MENTION_SHARE:
        found.append((poverty * 0.6, 4, "kms_share", {"percent": round(100 * need.kms_households / need.households)}))
    if spread >= SPREAD_MENTION:  # "received little so far" is the smaller share (0.4) of the part
        found.append((poverty * 0.4, 4, "spread", {}))
    if profile is not None:
        severe, comfort, asked, gives = profile
        if severe:
            found.append((w_sev * parts.get("severity", 0.0) + 0.01, 3, "severity", {"words": list(severe[:3])}))
        if comfort:
            negative.insert(0, ("comfort", {"words": list(comfort[:3])}))
        if asked and parts.get("kind", 1.0) >= 0.95:
            kind = next((k for k in asked if k in gives), asked[0])
            found.append((0.05, 5, "right_kind", {"kind": kind}))
        elif asked:
            negative.insert(0, ("wrong_kind", {"asked": list(asked), "given": list(gives)}))
    found.sort(key=lambda item: (-item[0], item[1]))
    return (tuple(Reason(code, params) for _, _, code, params in found[:MAX_REASONS])
            + tuple(Reason(code, params, True) for code, params in negative[:MAX_NEGATIVE]))


class Explainer:
    """`explain` for the many pairs of one run, same reasons: what depends only on the need
    (urgency, deadline, KMS share, spread, condition words, kinds asked), on the category
    label or on the place is built once per need, label or kelurahan and shared (a Reason is
    never changed once made). Reasons for 20,000 proposals and their alternatives took 0.6 s
    one call at a time."""

    def __init__(self, weights: tuple[float, ...], geo: Geography, labels: dict[str, str], today: date):
        self.weights, self.geo, self.labels, self.today = weights, geo, labels, today
        self._needs: dict[int, tuple] = {}
        self._category: dict[tuple[str, bool], Reason] = {}
        self._places: dict[tuple[str, int], Reason] = {}
        self._wrong: dict[tuple, Reason] = {}
        self._right: dict[str, Reason] = {}
        self._citywide = Reason("citywide", {})
        self._other_any = Reason("other_category", {"count": 0}, True)
        self._other: dict[int, Reason] = {}

    def _need_part(self, key: int, need: Need, spread: float, profile) -> tuple:
        urgent = Reason("urgency", {"level": need.urgency}) if need.urgency in URGENT_LEVELS else None
        deadline = far = None
        if need.deadline is not None:
            days = (need.deadline - self.today).days
            if days < 0:
                deadline = Reason("deadline_passed", {})
            elif days <= DEADLINE_MENTION_DAYS:
                deadline = Reason("deadline_days", {"days": days})
            elif days > DEADLINE_FAR_DAYS and need.urgency not in URGENT_LEVELS:
                far = Reason("deadline_far", {"days": days}, True)
        kms = None
        if need.households > 0 and need.kms_households / need.households >= KMS_MENTION_SHARE:
            kms = Reason("kms_share", {"percent": round(100 * need.kms_households / need.households)})
        spread_reason = Reason("spread", {}) if spread >= SPREAD_MENTION else None
        severe = comfort = None
        asked: tuple[str, ...] = ()
        if profile is not None:
            s_words, c_words, asked = profile[0], profile[1], profile[2]
            severe = Reason("severity", {"words": list(s_words[:3])}) if s_words else None
            comfort = Reason("comfort", {"words": list(c_words[:3])}, True) if c_words else None
        part = (urgent, deadline, far, kms, spread_reason, severe, comfort, asked, profile is not None)
        self._needs[key] = part
        return part

    def __call__(self, key: int, need: Need, offer: Offer, parts: dict[str, float], keywords: list[str],
                 spread: float, profile=None, positive_only: bool = False) -> tuple[Reason, ...]:
        """explain(need, offer, ...) for the need numbered `key` in this run; with
        `positive_only` its first three positive reasons (an alternative's)."""
        w_text, w_cat, w_geo, w_urg, w_pov, w_sev = self.weights
        part = self._needs.get(key) or self._need_part(key, need, spread, profile)
        urgent, deadline, far, kms, spread_reason, severe, comfort, asked, profiled = part
        # (-weight, order, position): sorted as explain sorts by (-weight, order), stably.
        found: list[tuple[float, int, int, Reason]] = []
        negative: list[Reason] = []
        if keywords:
            found.append((-(w_text * parts["text"]), 0, 0, Reason("keywords", {"words": list(keywords[:3])})))
        has_categories = bool(offer.categories)
        label_reason = self._category.get((need.category, has_categories))
        if label_reason is None:
            label = self.labels.get(need.category, need.category)
            label_reason = Reason("same_category" if has_categories else "any_category", {"label": label})
            self._category[(need.category, has_categories)] = label_reason
        if has_categories:
            found.append((-(w_cat * parts["category"]), 1, 1, label_reason))
            if len(offer.categories) > 2:
                count = len(offer.categories)
                negative.append(self._other.get(count) or self._other.setdefault(
                    count, Reason("other_category", {"count": count}, True)))
        else:
            found.append((-(w_cat * parts["category"] * 0.5), 1, 1, label_reason))
            negative.append(self._other_any)
        found.append((-(w_geo * parts["geography"]), 2, 2, self._place(need, offer)))
        urgency = w_urg * parts["urgency"]
        if urgent is not None:
            found.append((-urgency, 3, 3, urgent))
        if deadline is not None:
            found.append((-urgency, 3, 4, deadline))
        if far is not None:
            negative.append(far)
        poverty = w_pov * parts["poverty"]
        if kms is not None:
            found.append((-(poverty * 0.6), 4, 5, kms))
        if spread_reason is not None:
            found.append((-(poverty * 0.4), 4, 6, spread_reason))
        if profiled:
            if severe is not None:
                found.append((-(w_sev * parts.get("severity", 0.0) + 0.01), 3, 7, severe))
            if comfort is not None:
                negative.insert(0, comfort)
            if asked and parts.get("kind", 1.0) >= 0.95:
                gives = profile[3]
                kind = next((k for k in asked if k in gives), asked[0])
                right = self._right.get(kind) or self._right.setdefault(kind, Reason("right_kind", {"kind": kind}))
                found.append((-0.05, 5, 8, right))
            elif asked:
                gives = tuple(profile[3])
                wrong = self._wrong.get((asked, gives))
                if wrong is None:
                    wrong = self._wrong[(asked, gives)] = Reason(
                        "wrong_kind", {"asked": list(asked), "given": list(gives)}, True)
                negative.insert(0, wrong)
        found.sort()
        if positive_only:
            return tuple(item[3] for item in found[:3])
        return tuple(item[3] for item in found[:MAX_REASONS]) + tuple(negative[:MAX_NEGATIVE])

    def _place(self, need: Need, offer: Offer) -> Reason:
        if need.kelurahan_code in offer.areas:
            key = (need.kelurahan_code, 0)
        elif need.kemantren_code in offer.areas:
            key = (need.kelurahan_code, 1)
        else:
            return self._citywide
        reason = self._places.get(key)
        if reason is None:
            code, params = _place(need, offer, self.geo)
            reason = self._places[key] = Reason(code, params)
        return reason


def _place(need: Need, offer: Offer, geo: Geography) -> tuple[str, dict]:
    if need.kelurahan_code in offer.areas:
        return "same_kelurahan", {"name": geo.kelurahan[geo.index[need.kelurahan_code]].name}
    if need.kemantren_code in offer.areas:
        return "same_kemantren", {"name": geo.kelurahan[geo.index[need.kelurahan_code]].kemantren_name}
    return "citywide", {}


def _words(params) -> str:
    return ", ".join(params.get("words", ()))


def _kinds(values) -> str:
    return ", ".join(KIND_LABELS.get(k, k) for k in values)


def _score(value) -> str:
    return f"{float(value):.2f}"


RENDER_ID = {
    "keywords": lambda p: f"kata kunci cocok: {_words(p)}",
    "severity": lambda p: f"kondisi: {_words(p)}",
    "same_category": lambda p: f"kategori sama: {p.get('label', '')}",
    "any_category": lambda p: f"penawaran terbuka untuk semua kategori ({p.get('label', '')})",
    "same_kelurahan": lambda p: f"satu kelurahan ({p.get('name', '')})",
    "same_kemantren": lambda p: f"satu kemantren ({p.get('name', '')})",
    "citywide": lambda p: "penawaran berlaku untuk seluruh kota",
    "urgency": lambda p: f"urgensi {p.get('level', '')}",
    "deadline_days": lambda p: f"tenggat {p.get('days', 0)} hari lagi",
    "deadline_passed": lambda p: "tenggat sudah lewat",
    "kms_share": lambda p: f"{p.get('percent', 0)}% KK pemegang KMS",
    "spread": lambda p: "kelurahan ini baru sedikit menerima bantuan",
    "right_kind": lambda p: f"jenis bantuan sesuai: {_kinds([p.get('kind', '')])}",
    "comfort": lambda p: f"usulan perbaikan kenyamanan, bukan kerusakan: {_words(p)}",
    "wrong_kind": lambda p: (f"bukan jenis bantuan yang diminta (diminta {_kinds(p.get('asked', ()))}, "
                             f"ditawarkan {_kinds(p.get('given', ()))})"),
    "other_category": lambda p: "penawaran untuk jenis lain" + (" (semua kategori)" if not p.get("count") else ""),
    "other_kemantren": lambda p: "tidak satu kemantren",
    "deadline_far": lambda p: f"tenggat masih jauh ({p.get('days', 0)} hari)",
    "offer_used_up": lambda p: "dana penawaran ini sudah terpakai untuk kebutuhan yang lebih mendesak",
    "lower_score": lambda p: f"skor lebih rendah ({_score(p.get('score', 0))} dibanding {_score(p.get('best', 0))})",
    "fairness": lambda p: "dana dibagi ke kemantren lain agar merata",
}


def render_id(reason) -> str:
    """A reason (Reason or its dict) as a short Indonesian sentence; unknown codes as their code."""
    if isinstance(reason, str):
        return reason
    code = reason.code if isinstance(reason, Reason) else reason.get("code", "")
    params = reason.params if isinstance(reason, Reason) else (reason.get("params") or {})
    render = RENDER_ID.get(code)
    return render(params) if render else code


def format_rp(amount: int) -> str:
    """Rupiah the Indonesian way: Rp1.500.000."""
    return "Rp" + f"{int(amount):,}".replace(",", ".")

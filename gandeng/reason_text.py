"""The matcher's reasons in the reader's language, from their codes.

The engine returns `Reason(code, params)` (gandeng.matching.reasons) and proposals store them as
{"code", "params", "negative"}. `reason_text` says one of them through the catalogue, so an
English reader sees English; `visible_reasons` drops those that reveal KMS figures for anyone who
is not city staff; `reasons_id` gives the contract's short Indonesian sentences (the API).
Rows stored before reasons had codes hold Indonesian sentences: they are shown unchanged.
"""
import re

from flask_babel import gettext as _

from gandeng.matching import Reason, render_id

KIND_LABELS = {
    "dana": lambda: _("dana"),
    "barang": lambda: _("barang"),
    "jasa": lambda: _("jasa/tenaga"),
    "pelatihan": lambda: _("pelatihan"),
    "pembelian": lambda: _("pembelian produk"),
}
URGENCY = {"tinggi": lambda: _("urgensi tinggi"), "darurat": lambda: _("urgensi darurat")}


def _kinds(values) -> str:
    return ", ".join(KIND_LABELS[k]() if k in KIND_LABELS else str(k) for k in values or ())


def _words(params) -> str:
    return ", ".join(str(w) for w in params.get("words") or ())


def _number(value) -> str:
    """A count or share in the reader's locale, one decimal at most (48,2 in Indonesian)."""
    from babel.numbers import format_decimal
    from flask_babel import get_locale

    lang = "en" if str(get_locale() or "id").startswith("en") else "id"
    return format_decimal(round(float(value or 0), 1), format="#,##0.#", locale=lang)


def _score(value) -> str:
    """A score in the reader's locale: 0,63 in Indonesian, 0.63 in English."""
    from flask_babel import get_locale

    from gandeng.formatting import decimal

    return decimal(float(value or 0), str(get_locale() or "id"))


_SAY = {
    "keywords": lambda p: _("kata kunci cocok: %(words)s", words=_words(p)),
    "severity": lambda p: _("kondisi: %(words)s", words=_words(p)),
    "same_category": lambda p: _("kategori sama: %(label)s", label=p.get("label", "")),
    "any_category": lambda p: _("penawaran terbuka untuk semua kategori (%(label)s)", label=p.get("label", "")),
    "same_kelurahan": lambda p: _("satu kelurahan (%(name)s)", name=p.get("name", "")),
    "same_kemantren": lambda p: _("satu kemantren (%(name)s)", name=p.get("name", "")),
    "citywide": lambda p: _("penawaran berlaku untuk seluruh kota"),
    "urgency": lambda p: URGENCY.get(p.get("level"), lambda: p.get("level", ""))(),
    "deadline_days": lambda p: _("tenggat %(days)s hari lagi", days=p.get("days", 0)),
    "deadline_passed": lambda p: _("tenggat sudah lewat"),
    "kms_share": lambda p: _("%(share)s%% KK pemegang KMS", share=_number(p.get("percent", 0))),
    "spread": lambda p: _("kelurahan ini baru sedikit menerima bantuan"),
    "right_kind": lambda p: _("jenis bantuan sesuai: %(kind)s", kind=_kinds([p.get("kind")])),
    "comfort": lambda p: _("usulan perbaikan kenyamanan, bukan kerusakan: %(words)s", words=_words(p)),
    "wrong_kind": lambda p: _("bukan jenis bantuan yang diminta (diminta %(asked)s, ditawarkan %(given)s)",
                              asked=_kinds(p.get("asked")), given=_kinds(p.get("given"))),
    "other_category": lambda p: (_("penawaran untuk jenis lain (semua kategori)") if not p.get("count")
                                 else _("penawaran untuk jenis lain")),
    "other_kemantren": lambda p: _("tidak satu kemantren"),
    "deadline_far": lambda p: _("tenggat masih jauh (%(days)s hari)", days=p.get("days", 0)),
    "offer_used_up": lambda p: _("dana penawaran ini sudah terpakai untuk kebutuhan yang lebih mendesak"),
    "lower_score": lambda p: _("skor lebih rendah (%(score)s dibanding %(best)s)",
                               score=_score(p.get("score")), best=_score(p.get("best"))),
    "fairness": lambda p: _("dana dibagi ke kemantren lain agar merata"),
    "switched": lambda p: _("dipilih petugas dari alternatif mesin"),
}


def _code(reason) -> str:
    if isinstance(reason, Reason):
        return reason.code
    return reason.get("code", "") if isinstance(reason, dict) else ""


def is_private(reason) -> bool:
    """Reveals KMS counts or shares (staff only)."""
    return _code(reason) in Reason.PRIVATE_CODES


def is_negative(reason) -> bool:
    if isinstance(reason, Reason):
        return reason.negative
    return bool(reason.get("negative")) if isinstance(reason, dict) else False


# Why an offer kept money after a run: the engine writes these as sentences (UnmatchedOffer.detail).
_KEPT_MONEY = {
    "tidak ada kebutuhan yang cukup cocok": lambda: _("tidak ada kebutuhan yang cukup cocok"),
    "kebutuhan yang cocok sudah terdanai atau butuh dana penuh yang tidak tercukupi":
        lambda: _("kebutuhan yang cocok sudah terdanai atau butuh dana penuh yang tidak tercukupi"),
}
_UNUSED = re.compile(r"(?P<amount>Rp[\d.]+) belum terpakai: (?P<why>.+)")


def _sentence_text(text: str) -> str:
    """A stored sentence in the current language when it is one the engine writes; else unchanged."""
    if text in _KEPT_MONEY:
        return _KEPT_MONEY[text]()
    match = _UNUSED.fullmatch(text)
    if match and match["why"] in _KEPT_MONEY:
        return _("%(amount)s belum terpakai: %(why)s", amount=match["amount"], why=_KEPT_MONEY[match["why"]]())
    return text


def reason_text(reason) -> str:
    """One reason in the current language; a stored sentence (older rows) unchanged."""
    if not isinstance(reason, (Reason, dict)):
        return _sentence_text(str(reason or ""))
    params = reason.params if isinstance(reason, Reason) else (reason.get("params") or {})
    say = _SAY.get(_code(reason))
    return say(params) if say else render_id(reason)


def visible_reasons(reasons, staff: bool) -> list:
    """The reasons a viewer may read: everything for staff, without KMS figures for anyone else."""
    return [r for r in (reasons or []) if staff or not is_private(r)]


def reasons_id(reasons, staff: bool) -> list[str]:
    """The contract's reasons: short Indonesian sentences, filtered for the viewer."""
    return [render_id(r) for r in visible_reasons(reasons, staff)]

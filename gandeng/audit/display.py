"""An audit row's changes as staff read them: Indonesian field names, status and category labels,
Rupiah, dates and percentages (the log stores codes; review walk: staff saw "amount_rp: – → 12000000")."""
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _, lazy_gettext as _l

from gandeng import labels
from gandeng.formatting import current_lang, decimal, long_date, percent, rupiah, whole

MAX_VALUE_CHARS = 120

# Statuses per audited table, and per key that names another object's status.
_STATUS_BY_OBJECT = {
    "needs": labels.NEED_STATUS, "offers": labels.OFFER_STATUS, "commitments": labels.COLLABORATION_STATUS,
    "users": labels.USER_STATUS, "matching_runs": labels.RUN_STATUS, "proposals": labels.PROPOSAL_STATUS,
}
_STATUS_BY_KEY = {"need_status": labels.NEED_STATUS, "offer_status": labels.OFFER_STATUS,
                  "proposal_status": labels.PROPOSAL_STATUS}
_CODES = {"role": labels.ROLE, "type": labels.ORG_TYPE, "urgency": labels.URGENCY}
# The counts of a matching run worth reading in the log (the rest are engine internals).
RUN_COUNTS = {
    "needs": _l("kebutuhan"), "offers": _l("penawaran"), "candidates": _l("pasangan calon"),
    "proposals": _l("usulan"), "needs_fully_funded": _l("kebutuhan terdanai penuh"),
    "needs_partly_funded": _l("kebutuhan terdanai sebagian"), "unmatched_offers": _l("penawaran bersisa"),
}
SIDE = {"campus": _l("kampus"), "company": _l("perusahaan")}


def field_label(key: str) -> str:
    """The Indonesian name of a key of an audit row; the key itself when the table lacks it."""
    return str(labels.AUDIT_FIELD.get(key, key))


@dataclass
class _Names:
    """Names of categories and areas, read once per page."""

    session: object
    _categories: dict = field(default_factory=dict)
    _areas: dict = field(default_factory=dict)

    def category(self, code) -> str:
        if not self._categories:
            from gandeng.reference.services import categories

            english = current_lang() == "en"
            self._categories = {c.code: (c.label_en if english else c.label_id) for c in categories(self.session)}
        return self._categories.get(code, str(code))

    def area(self, code) -> str:
        if not self._areas:
            from gandeng.reference.services import kemantren_with_kelurahan

            for k in kemantren_with_kelurahan(self.session):
                self._areas[k.code] = k.name
                self._areas.update({kel.code: kel.name for kel in k.kelurahan})
        return self._areas.get(code, str(code))


def _status_labels(object_type: str, key: str) -> dict:
    if key in _STATUS_BY_KEY:
        return _STATUS_BY_KEY[key]
    if object_type.startswith("nglarisi_"):
        from gandeng.nglarisi import texts

        return texts.GROUP_STATUS if object_type == "nglarisi_groups" else texts.STATUS
    return _STATUS_BY_OBJECT.get(object_type, {})


def _kind(object_type: str, value) -> str:
    if object_type == "privacy_requests":
        from gandeng.privacy.requests import KIND_LABELS, RequestKind

        try:
            return str(KIND_LABELS[RequestKind(value)])
        except (KeyError, ValueError):
            return str(value)
    return str(labels.OFFER_KIND.get(value, value))


def _weights(value: dict) -> str:
    lang = current_lang()
    parts = [f"{labels.SCORE_PART.get(k, k)} {decimal(v, lang)}" for k, v in (value.get("weights") or {}).items()]
    if value.get("fairness") is not None:
        parts.append(_("pemerataan %(weight)s", weight=decimal(value["fairness"], lang)))
    return "; ".join(str(p) for p in parts)


def _counts(value: dict) -> str:
    lang = current_lang()
    return ", ".join(f"{whole(value[k], lang)} {label}" for k, label in RUN_COUNTS.items()
                     if isinstance(value.get(k), int))


def _iso_date(value):
    try:
        return date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
    except ValueError:
        return None


def display_value(key: str, value, object_type: str = "", names: _Names | None = None) -> str:
    """One stored value as staff read it."""
    if key == "areas" and value == []:
        return _("seluruh kota")  # an offer without areas covers the whole city
    if value is None or value == "" or value == []:
        return "–"
    lang = current_lang()
    if isinstance(value, bool):
        return _("ya") if value else _("tidak")
    if key.endswith("_rp") and isinstance(value, (int, float)):
        return rupiah(value)
    if key == "progress_percent" and isinstance(value, (int, float)):
        return percent(value, lang)
    if key == "status" or key in _STATUS_BY_KEY:
        return str(_status_labels(object_type, key).get(value, value))
    if key in _CODES:
        return str(_CODES[key].get(value, value))
    if key == "kind":
        return _kind(object_type, value)
    if key == "side":
        return str(SIDE.get(value, value))
    if key in ("categories", "category_code", "themes") and names is not None:
        codes = value if isinstance(value, (list, tuple)) else str(value).split(";")
        return ", ".join(names.category(c) for c in codes if c)
    if key in ("areas", "kelurahan_code", "home_kelurahan") and names is not None:
        codes = value if isinstance(value, (list, tuple)) else [value]
        return ", ".join(names.area(c) for c in codes)
    if key == "counts" and isinstance(value, dict):
        return _counts(value)
    if key == "parameters" and isinstance(value, dict):
        return _weights(value)
    if _iso_date(value) is not None:
        return long_date(_iso_date(value), lang)
    if isinstance(value, int):
        return whole(value, lang) if not key.endswith("_id") and key != "year" else str(value)
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{field_label(k)}: {display_value(k, v, object_type, names)}" for k, v in value.items())
    return str(value)


def _short(text: str) -> str:
    return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 1] + "…"


def change_rows(session, events) -> list[list[tuple[str, str, str]]]:
    """Per event: (field label, before, after) for each key whose value changed, in a stable order
    (a key only in `after`, a creation, shows "–" before it)."""
    names = _Names(session)
    rows = []
    for event in events:
        before, after = event.before or {}, event.after or {}
        keys = list(before) + [k for k in after if k not in before]
        rows.append([
            (field_label(k), _short(display_value(k, before.get(k), event.object_type, names)),
             _short(display_value(k, after.get(k), event.object_type, names)))
            for k in keys if before.get(k) != after.get(k)
        ])
    return rows

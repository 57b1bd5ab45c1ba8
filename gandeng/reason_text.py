"""The matcher's reasons in the reader's language.

The matching library (pure, no Flask) writes its reasons in Indonesian, and the API hands them out
as they are (contract: short Indonesian sentences). Pages show them through `reason_text`, which
recognises each pattern of gandeng/matching/reasons.py and says it again through the catalogue, so an
English reader sees English; a text it does not recognise is shown unchanged."""
import re

from flask_babel import gettext as _

_WHOLE = [
    (re.compile(r"kata kunci cocok: (?P<words>.+)"), lambda m: _("kata kunci cocok: %(words)s", words=m["words"])),
    (re.compile(r"kategori sama: (?P<label>.+)"), lambda m: _("kategori sama: %(label)s", label=m["label"])),
    (re.compile(r"penawaran terbuka untuk semua kategori \((?P<label>.+)\)"),
     lambda m: _("penawaran terbuka untuk semua kategori (%(label)s)", label=m["label"])),
    (re.compile(r"satu kelurahan \((?P<name>.+)\)"), lambda m: _("satu kelurahan (%(name)s)", name=m["name"])),
    (re.compile(r"satu kemantren \((?P<name>.+)\)"), lambda m: _("satu kemantren (%(name)s)", name=m["name"])),
    (re.compile(r"penawaran berlaku untuk seluruh kota"), lambda m: _("penawaran berlaku untuk seluruh kota")),
    # Why an offer kept money after a run (gandeng/matching/engine.py, shown on the run's page).
    (re.compile(r"tidak ada kebutuhan yang cukup cocok"), lambda m: _("tidak ada kebutuhan yang cukup cocok")),
    (re.compile(r"kebutuhan yang cocok sudah terdanai atau butuh dana penuh yang tidak tercukupi"),
     lambda m: _("kebutuhan yang cocok sudah terdanai atau butuh dana penuh yang tidak tercukupi")),
]
# Urgency and poverty reasons join several bits with ", ".
_BITS = [
    (re.compile(r"urgensi tinggi"), lambda m: _("urgensi tinggi")),
    (re.compile(r"urgensi darurat"), lambda m: _("urgensi darurat")),
    (re.compile(r"tenggat sudah lewat"), lambda m: _("tenggat sudah lewat")),
    (re.compile(r"tenggat (?P<days>\d+) hari lagi"), lambda m: _("tenggat %(days)s hari lagi", days=m["days"])),
    (re.compile(r"(?P<share>\d+)% KK pemegang KMS"), lambda m: _("%(share)s%% KK pemegang KMS", share=m["share"])),
    (re.compile(r"kelurahan ini baru sedikit menerima bantuan"),
     lambda m: _("kelurahan ini baru sedikit menerima bantuan")),
]


def _say(patterns, text):
    for pattern, say in patterns:
        found = pattern.fullmatch(text)
        if found:
            return say(found)
    return None


def reason_text(reason: str) -> str:
    """One reason of a proposal in the current language (unchanged when not recognised)."""
    reason = str(reason or "")
    whole = _say(_WHOLE, reason)
    if whole is not None:
        return whole
    bits = [_say(_BITS, bit) for bit in reason.split(", ")]
    if bits and all(bit is not None for bit in bits):
        return ", ".join(bits)
    return reason

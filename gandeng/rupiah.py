"""One reader of Rupiah amounts as people type them ("50 juta", "50jt", "1,5 juta", "Rp 50.000.000"),
shared by every form field and the spreadsheet imports."""
import re
from decimal import Decimal, InvalidOperation

# Words for thousands, millions and billions as written in messages and on receipts.
UNITS = {
    "rb": 1_000, "ribu": 1_000, "k": 1_000,
    "jt": 1_000_000, "juta": 1_000_000,
    "m": 1_000_000_000, "miliar": 1_000_000_000, "milyar": 1_000_000_000,
}
MAX_DIGITS = 15  # Rp999 triliun: far above any amount here; longer input is a typo
_UNIT = "|".join(sorted(UNITS, key=len, reverse=True))
# One part: a number and, if any, its unit ("1,5 juta", "500rb", "50.000.000").
_PART = re.compile(rf"(\d[\d.,]*)\s*({_UNIT})?\.?(?![a-z])")
_GROUPED = re.compile(r"\d{1,3}(\.\d{3})+")


def _plain_number(text: str) -> int:
    """'50.000.000', '50000000', '50.000.000,00' or '50.000.000,-' (no unit) as an int."""
    text = re.sub(r",(-|0{1,2})$", "", text)
    if _GROUPED.fullmatch(text):
        text = text.replace(".", "")
    if not re.fullmatch(rf"\d{{1,{MAX_DIGITS}}}", text):
        raise ValueError("not an amount")
    return int(text)


def _scaled_number(text: str, unit: int) -> Decimal:
    """'1,5' or '1.5' (a decimal before a unit), or a grouped whole number ('1.500 rb')."""
    if _GROUPED.fullmatch(text):
        return Decimal(text.replace(".", "")) * unit
    if not re.fullmatch(r"\d{1,12}([.,]\d{1,9})?", text):
        raise ValueError("not an amount")
    try:
        return Decimal(text.replace(",", ".")) * unit
    except InvalidOperation as exc:
        raise ValueError("not an amount") from exc


def parse_rupiah(text) -> int:
    """Whole Rupiah from what a person typed: '1.500.000', 'Rp1.500.000', 'Rp 1.500.000,-', '1500000',
    '1,5 juta', '1.5jt', '500 rb', '2 miliar', '1 juta 250 ribu' or an int. A ValueError for anything
    else: negative, fractions of a Rupiah, '1.50.000', '2.5' without a unit (a decimal or a typo?)."""
    if isinstance(text, bool):
        raise ValueError("not an amount")
    if isinstance(text, int):
        if text < 0:
            raise ValueError("negative")
        return text
    if isinstance(text, float):
        if not text.is_integer() or text < 0:
            raise ValueError("not a whole amount")
        return int(text)
    cleaned = str(text or "").strip().lower()
    cleaned = re.sub(r"^rp\.?\s*", "", cleaned)
    cleaned = re.sub(r"\s+", " ", cleaned).strip()
    cleaned = re.sub(r",-$", "", cleaned)  # "1.500.000,-" as on a receipt
    if not cleaned:
        raise ValueError("empty")
    parts = list(_PART.finditer(cleaned))
    # The parts must cover the whole text (apart from spaces between them).
    if not parts or re.sub(r"\s", "", _PART.sub("", cleaned)):
        raise ValueError("not an amount")
    if len(parts) == 1 and parts[0].group(2) is None:
        return _plain_number(parts[0].group(1).replace(" ", ""))
    if any(part.group(2) is None for part in parts):
        raise ValueError("a number without its unit among numbers with units")
    units = [UNITS[part.group(2)] for part in parts]
    if units != sorted(units, reverse=True) or len(set(units)) != len(units):
        raise ValueError("units out of order")  # "500 ribu 1 juta" is a typo, not an amount
    total = sum(_scaled_number(part.group(1), UNITS[part.group(2)]) for part in parts)
    if total != total.to_integral_value() or len(str(int(total))) > MAX_DIGITS:
        raise ValueError("not a whole amount")
    return int(total)

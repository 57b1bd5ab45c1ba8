"""How money, dates and times are shown: Rp1.500.000, 28 November 2026, 14.30 WIB."""
import re
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from babel.dates import format_date

WIB = ZoneInfo("Asia/Jakarta")


def rupiah(amount) -> str:
    """Rupiah with dots between thousands and no space after Rp (PUEBI): Rp1.500.000."""
    if amount is None:
        return "–"
    amount = int(amount)
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp{abs(amount):,}".replace(",", ".")


def long_date(value, locale: str = "id") -> str:
    """A date like '28 November 2026' (in the given locale's month names)."""
    if value is None:
        return "–"
    if isinstance(value, datetime):
        value = to_wib(value).date()
    return format_date(value, "d MMMM y", locale=locale)


def to_wib(value: datetime) -> datetime:
    """A stored UTC time (naive) as a time in Asia/Jakarta."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(WIB)


def long_datetime(value, locale: str = "id") -> str:
    """A time like '28 November 2026 14.30 WIB'."""
    if value is None:
        return "–"
    local = to_wib(value)
    return f"{long_date(local.date(), locale)} {local:%H.%M} WIB"


def today_wib() -> date:
    """Today's date in Yogyakarta."""
    return datetime.now(WIB).date()


def wa_link(phone) -> str | None:
    """A WhatsApp click-to-chat link for an Indonesian number: "0812-3456-7890", "+62 812 3456 7890",
    "62812…" or "812…" -> https://wa.me/6281234567890; None when it is not such a number."""
    digits = re.sub(r"\D", "", str(phone or ""))
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    elif digits.startswith("8"):
        digits = "62" + digits
    if not digits.startswith("62") or not 10 <= len(digits) <= 15:
        return None
    return f"https://wa.me/{digits}"


# Short Rupiah for narrow places (cards, chart ticks): the unit words people read in each language.
_SHORT_UNITS = {
    "id": ((10**12, "T"), (10**9, "M"), (10**6, "jt"), (10**3, "rb")),
    "en": ((10**12, "T"), (10**9, "B"), (10**6, "M"), (10**3, "K")),
}


def rupiah_short(amount, locale: str = "id") -> str:
    """Rupiah in a few characters, one decimal at most: Rp799,2 jt, Rp1,5 M (id); Rp799.2M (en).
    Below a thousand, and for None, the same as `rupiah`."""
    from babel.numbers import format_decimal

    if amount is None:
        return "–"
    amount = int(amount)
    lang = "en" if str(locale).startswith("en") else "id"
    sign = "-" if amount < 0 else ""
    for size, unit in _SHORT_UNITS[lang]:
        rounded = round(abs(amount) / size, 1)
        if rounded >= 1:  # 999.950.000 is "Rp1 M", not "Rp1.000 jt"
            number = format_decimal(rounded, format="#,##0.#", locale=lang)
            return f"{sign}Rp{number} {unit}" if lang == "id" else f"{sign}Rp{number}{unit}"
    return rupiah(amount)


def decimal(value, locale: str = "id", digits: int = 2) -> str:
    """A score or share with a decimal comma in Indonesian (0,36) and a point in English (0.36)."""
    from babel.numbers import format_decimal

    if value is None:
        return "–"
    lang = "en" if str(locale).startswith("en") else "id"
    return format_decimal(round(float(value), digits), format="#,##0." + "0" * digits, locale=lang)


def percent(value, locale: str = "id", digits: int = 0) -> str:
    """A percentage given as 0..100 with the locale's signs: 48,2% (id), 48.2% (en); `digits` decimals at most."""
    from babel.numbers import format_percent

    if value is None:
        return "–"
    lang = "en" if str(locale).startswith("en") else "id"
    pattern = "#,##0" + ("." + "#" * digits if digits else "") + "%"
    return format_percent(round(float(value), digits) / 100, format=pattern, locale=lang)


def big_decimal(value, locale: str = "id") -> str:
    """A large score or sum without exponent: 245.000.000 (id), 245,000,000 (en); two decimals below 1000."""
    from babel.numbers import format_decimal

    if value is None:
        return "–"
    lang = "en" if str(locale).startswith("en") else "id"
    value = float(value)
    pattern = "#,##0" if abs(value) >= 1000 else "#,##0.0#"
    return format_decimal(round(value, 0 if abs(value) >= 1000 else 2), format=pattern, locale=lang)


def whole(value, locale: str = "id") -> str:
    """A whole number with the locale's thousands sign: 100.000 (id), 100,000 (en)."""
    from babel.numbers import format_decimal

    if value is None:
        return "–"
    lang = "en" if str(locale).startswith("en") else "id"
    return format_decimal(int(value), format="#,##0", locale=lang)


def current_lang() -> str:
    """The reader's language inside a request ("id" outside one)."""
    try:
        from flask_babel import get_locale

        return str(get_locale() or "id")
    except RuntimeError:
        return "id"


def month_year(value, locale: str = "id") -> str:
    """A month like 'Desember 2026' from a date or a "YYYY-MM" text (versions, periods); other text unchanged."""
    if value is None:
        return "–"
    if isinstance(value, str):
        match = re.fullmatch(r"(\d{4})-(\d{2})", value.strip())
        if not match or not 1 <= int(match[2]) <= 12:
            return value
        value = date(int(match[1]), int(match[2]), 1)
    return format_date(value, "LLLL y", locale=locale)

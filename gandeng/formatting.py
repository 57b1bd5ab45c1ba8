"""How money, dates and times are shown: Rp1.500.000, 28 November 2026, 14.30 WIB."""
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

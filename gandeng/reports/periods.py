"""The reporting period a page is filtered by: a year, optionally a quarter, in Yogyakarta time.

Stored times are naive UTC; a quarter starts at 00.00 WIB on its first day, so its bounds in UTC
start at 17.00 the day before."""
from dataclasses import dataclass
from datetime import date, datetime, time, timezone

from gandeng.formatting import WIB, today_wib

FIRST_YEAR = 2018  # Perwal No. 23/2018: the programme's first year


@dataclass(frozen=True)
class Period:
    year: int | None = None
    quarter: int | None = None  # 1..4, only with a year

    @property
    def is_all(self) -> bool:
        return self.year is None

    def first_day(self) -> date | None:
        if self.year is None:
            return None
        return date(self.year, 3 * (self.quarter - 1) + 1 if self.quarter else 1, 1)

    def day_after(self) -> date | None:
        """The first day after the period."""
        if self.year is None:
            return None
        if not self.quarter or self.quarter == 4:
            return date(self.year + 1, 1, 1)
        return date(self.year, 3 * self.quarter + 1, 1)

    def bounds(self) -> tuple[datetime | None, datetime | None]:
        """[start, end) in naive UTC, comparable with the stored `*_at` columns; (None, None) for all time."""
        if self.year is None:
            return None, None
        return utc_midnight(self.first_day()), utc_midnight(self.day_after())

    def holds(self, column):
        """SQL: `column` (a naive-UTC time) lies in the period; always true for all time."""
        from sqlalchemy import and_, true

        start, end = self.bounds()
        return true() if start is None else and_(column >= start, column < end)

    def contains(self, moment: datetime | None) -> bool:
        if moment is None:
            return False
        start, end = self.bounds()
        return start is None or start <= moment < end

    def args(self) -> dict:
        """The query-string arguments that select this period (for links and CSV downloads)."""
        found = {}
        if self.year:
            found["year"] = self.year
            if self.quarter:
                found["quarter"] = self.quarter
        return found

    def quarters_until(self, last: date) -> list["Period"]:
        """Every quarter from this period's first (or FIRST_YEAR's) to the one holding `last`."""
        year, quarter = (self.year, self.quarter or 1) if self.year else (FIRST_YEAR, 1)
        found = []
        while (year, quarter) <= (last.year, (last.month - 1) // 3 + 1):
            found.append(Period(year, quarter))
            year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
        return found


def utc_midnight(day: date) -> datetime:
    """00.00 WIB on `day`, as naive UTC."""
    return datetime.combine(day, time(0), tzinfo=WIB).astimezone(timezone.utc).replace(tzinfo=None)


def period_from_args(args) -> Period:
    """?year=2026&quarter=3 -> Period(2026, 3). A year outside FIRST_YEAR..next year, or a quarter
    outside 1..4 or without a year, is ignored (all time, or the whole year), never an error page."""
    year = _int(args.get("year"))
    quarter = _int(args.get("quarter"))
    if year is None or not FIRST_YEAR <= year <= today_wib().year + 1:
        return Period()
    return Period(year, quarter if quarter in (1, 2, 3, 4) else None)


def year_choices() -> list[int]:
    """Years offered in the filter, newest first."""
    return list(range(today_wib().year, FIRST_YEAR - 1, -1))


def _int(value) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None

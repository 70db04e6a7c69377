"""Calendar arithmetic for the date forms: the precisions, month and number words, years.

The bottom of the package: plain data and arithmetic on days and months that every
other module of :mod:`planctl.core.dates` uses, and that imports none of them.
"""

from __future__ import annotations

import calendar
from datetime import date
from enum import StrEnum

from dateutil.relativedelta import relativedelta


class Precision(StrEnum):
    """How finely a phrase pins down its interval (drives wording and sorting)."""

    DAY = "day"
    WEEK = "week"
    MONTH_PART = "month-part"
    MONTH = "month"
    QUARTER = "quarter"
    FINANCIAL_QUARTER = "financial-quarter"
    SEASON = "season"
    HALF_YEAR = "half-year"
    RANGE = "range"
    YEAR = "year"
    FINANCIAL_YEAR = "financial-year"
    MUNICIPAL_YEAR = "municipal-year"
    ACADEMIC_YEAR = "academic-year"
    RELATIVE = "relative"
    OPEN_START = "open-start"
    VAGUE = "vague"
    UNRESOLVED = "unresolved"


#: The month names the date reader knows (and the first three letters of each).
MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_MONTH_NUM = {name[:3].lower(): i for i, name in enumerate(MONTH_NAMES, 1)}
_WEEKDAY_NUM = {d: i for i, d in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))}
_NUM_WORDS = {
    w: i
    for i, w in enumerate(
        ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"),
        1,
    )
}
_MIN_YEAR, _MAX_YEAR = 1900, 2199

_Span = tuple[Precision, date | None, date | None]


def _int(text: str) -> int:
    return _NUM_WORDS.get(text.lower()) or int(text)


def _year(text: str) -> int:
    """Two-digit years are 20YY; anything outside 1900-2199 is not a plan year."""
    y = 2000 + int(text) if len(text) == 2 else int(text)
    if not _MIN_YEAR <= y <= _MAX_YEAR:
        raise ValueError(f"year out of range: {y}")
    return y


def _month(text: str) -> int:
    return _MONTH_NUM[text[:3].lower()]


def _last_day(y: int, m: int) -> int:
    return calendar.monthrange(y, m)[1]


def _months(y: int, m: int, n: int) -> tuple[date, date]:
    """The n whole months starting at month m of year y (m may run past 12)."""
    sy, sm = divmod(y * 12 + (m - 1), 12)
    ey, em = divmod(y * 12 + (m - 1) + (n - 1), 12)
    return date(sy, sm + 1, 1), date(ey, em + 1, _last_day(ey, em + 1))


def _delta(n: int, unit: str) -> relativedelta:
    u = unit[0].lower()
    if u == "d":
        return relativedelta(days=n)
    if u == "w":
        return relativedelta(weeks=n)
    if u == "m":
        return relativedelta(months=n)
    return relativedelta(years=n)

"""The period a KPI observation covers, read as performance reports print it.

Reports label figures "2023/24", "13/14", "July 24", "Apr 22- Mar 23", "22-23" or
"Q1 2025/26". :func:`planctl.dates.parse_date` reads most of these already; it
refuses "July 24" and "22-23" because, as a *deadline*, they have two readings
(24 July or July 2024; December 2022 or 2022/23). As the label of a column of
figures they have one: a month of 2024, a financial year. So this module only
rewrites those shapes into forms :mod:`planctl.dates` reads, and keeps the text as
written: one parser of dates for the whole of planctl, not a second one.
"""

from __future__ import annotations

import functools
import re

from planctl.core.dates import FuzzyDate, Precision, parse_date

__all__ = ["PERIOD_FORMS", "parse_period", "period_or_none"]

PERIOD_FORMS = (
    "2023/24 or 13/14 (financial year), Q1 2025/26, Q3 2025, July 24, July 2024, "
    "31 July 2024, Apr 22 - Mar 23, 2024, academic year 2023/24"
)
"""The forms an observation's period can be written in (for messages and the README)."""

_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
# "July 24" / "31 July 24": a full month name with a two-digit year.
_MONTH_YY = re.compile(rf"\b({_MONTHS})\s+(\d{{2}})\b(?![/\d])", re.IGNORECASE)
# "22-23": two consecutive two-digit years.
_YY_YY = re.compile(r"^\s*(\d{2})\s*-\s*(\d{2})\s*$")
# "31 Jul 24": a day, a month and a two-digit year.
_DAY_MON_YY = re.compile(r"^\s*(\d{1,2})\s+([A-Za-z]{3,9})\s+(\d{2})\s*$")
# What a period can never be: a point relative to today, an open start, a vague phrase.
_NOT_A_PERIOD = frozenset({Precision.RELATIVE, Precision.OPEN_START, Precision.VAGUE, Precision.UNRESOLVED})


def _rewrite(text: str) -> str:
    """The shapes that are unambiguous as period labels, in the forms dates reads."""
    m = _YY_YY.match(text)
    if m and (int(m[1]) + 1) % 100 == int(m[2]):
        return f"{m[1]}/{m[2]}"
    text = _MONTH_YY.sub(lambda m: f"{m[1][:3]} 20{m[2]}", text)
    m = _DAY_MON_YY.match(text)
    if m:
        return f"{m[1]} {m[2]} 20{m[3]}"
    return text


@functools.lru_cache(maxsize=4096)
def parse_period(text: str) -> FuzzyDate:
    """The interval a period label stands for, with the label as written.

    Raises ValueError for text that names no interval ("ongoing", "next year", "TBC").
    """
    raw = text.strip()
    found = parse_date(raw)
    if found.precision in _NOT_A_PERIOD:
        again = parse_date(_rewrite(raw))
        found = FuzzyDate(raw, again.start, again.end, again.precision)
    if found.precision in _NOT_A_PERIOD or found.start is None:
        raise ValueError(f"cannot read {raw!r} as a period; write e.g. {PERIOD_FORMS}")
    return found


def period_or_none(text: str) -> FuzzyDate | None:
    """:func:`parse_period`, or None for text that names no period."""
    try:
        return parse_period(text)
    except ValueError:
        return None

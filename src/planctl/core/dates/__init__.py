"""Fuzzy dates as UK public-sector plans write them: see :mod:`planctl.core.dates.forms`.

The module moved here whole, so that its history follows; the next commit splits it
into modules by concern.
"""

from __future__ import annotations

from planctl.core.dates.forms import (
    ACCEPTED_FORMS,
    DEADLINE_FORMS,
    FuzzyDate,
    Precision,
    Recurrence,
    day_words,
    find_date,
    find_recurrence,
    find_start,
    month_words,
    parse_date,
    parse_duration,
    parse_query_date,
    parse_recurrence,
)
from planctl.core.dates.forms import add_clamped as add_clamped
from planctl.core.dates.forms import latest_on as latest_on

__all__ = [
    "ACCEPTED_FORMS",
    "DEADLINE_FORMS",
    "FuzzyDate",
    "Precision",
    "Recurrence",
    "day_words",
    "find_date",
    "find_recurrence",
    "find_start",
    "month_words",
    "parse_date",
    "parse_duration",
    "parse_query_date",
    "parse_recurrence",
]

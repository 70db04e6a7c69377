"""The dates a user types on the command line: ``--as-of``, ``--before``, ``--within``.

Any resolvable phrase, ``today`` or ``+3m`` (:func:`parse_query_date`), a window such as
``90d`` (:func:`parse_duration`), and :func:`add_clamped` for windows that would run
past the last day a date can hold.
"""

from __future__ import annotations

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from planctl.core.dates.forms import _FLAGS, DEADLINE_FORMS, _lazy
from planctl.core.dates.fuzzy import FuzzyDate, parse_date
from planctl.core.dates.periods import Precision, _delta

ACCEPTED_FORMS = DEADLINE_FORMS + ", today, +90d, +6w, +3m, +1y"
"""The forms a date can be given in on the command line (``--as-of``, ``--from`` ...):
the deadline forms and, relative to today, ``today`` and ``+N`` days/weeks/months/years."""

_duration = _lazy(r"\+?\s*(?P<n>\d{1,4})\s*(?P<u>d|days?|w|weeks?|m|months?|y|years?)", _FLAGS)


def add_clamped(day: date, delta: relativedelta | timedelta) -> date:
    """``day + delta``, or the last day a date can hold when that runs past 9999-12-31.

    ``--as-of 9999-12-31`` is a legal day; a window or horizon counted from it has no
    later day to end on, and Python raises rather than stopping at the end of time.
    """
    try:
        result: date = day + delta
    except (ValueError, OverflowError):
        return date.max
    return result


def parse_duration(text: str) -> relativedelta:
    """A --within window: "90d", "6w", "3m", "1y"."""
    m = _duration().fullmatch(text.strip())
    if m is None:
        raise ValueError(f"cannot read {text!r} as a duration; use e.g. 90d, 6w, 3m or 1y")
    return _delta(int(m["n"]), m["u"])


def parse_query_date(text: str, today: date) -> FuzzyDate:
    """A date given on the command line: any resolvable phrase, "today" or "+3m"."""
    raw = text.strip()
    low = raw.lower()
    if low == "today":
        return FuzzyDate(raw, today, today, Precision.DAY)
    m = _duration().fullmatch(low)
    if m is not None and low.startswith("+"):
        try:
            day = today + _delta(int(m["n"]), m["u"])
        except (ValueError, OverflowError) as exc:
            raise ValueError(f"{raw!r} is out of range") from exc
        return FuzzyDate(raw, day, day, Precision.DAY)
    fd = parse_date(raw)
    if not fd.resolved:
        raise ValueError(f"cannot read {raw!r} as a date; accepted forms: {ACCEPTED_FORMS}")
    return fd

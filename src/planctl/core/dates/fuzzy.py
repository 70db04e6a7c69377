"""One phrase read as a date: FuzzyDate, parse_date, and the words for a date.

:func:`parse_date` tries the forms of :mod:`.forms` that can read the whole phrase,
then applies what qualifiers ("end of", "mid-") and lead-ins ("before", "w/c",
"from") say, and reads ranges ("April to June 2026").  :meth:`FuzzyDate.words`,
:func:`day_words` and :func:`month_words` give the plain-English wording.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol, TypeVar

from planctl.core.dates.forms import _FLAGS, _canon, _clean, _lazy, _possible_forms
from planctl.core.dates.periods import (
    _MAX_YEAR,
    _MIN_YEAR,
    MONTH_NAMES,
    Precision,
    _last_day,
    _months,
    _Span,
)

_QUAL_KIND = {"end": "late", "late": "late", "early": "early", "beginning": "early"}
_QUAL_KIND |= {"start": "early", "mid": "mid", "middle": "mid"}


def _qualify(qual: str | None, span: _Span) -> _Span | None:
    """Apply "early/mid/late/end of/start of" to a span.

    For a month this narrows to a part (1-10, 11-20, 21-end).  For longer periods
    "end of" / "start of" narrow to the last / first month ("end of 2025" is
    December 2025), while "early/mid/late" keep the whole period: "late 2026"
    does not say which months, and words() still shows the qualifier.
    """
    precision, start, end = span
    if qual is None or start is None or end is None or precision is Precision.DAY:
        return span
    q = qual.lower()
    if precision is Precision.MONTH:
        days = {"early": (1, 10), "mid": (11, 20), "late": (21, end.day)}[_QUAL_KIND[q]]
        return Precision.MONTH_PART, start.replace(day=days[0]), start.replace(day=days[1])
    if precision is Precision.MONTH_PART:
        return None
    if q == "end":
        return (Precision.MONTH, *_months(end.year, end.month, 1))
    if q in ("start", "beginning"):
        return (Precision.MONTH, *_months(start.year, start.month, 1))
    if precision is Precision.YEAR:
        # A plan officer's "early/mid/late 2026": the year's thirds, four months each.
        return (Precision.YEAR, *_months(start.year, {"early": 1, "mid": 5, "late": 9}[_QUAL_KIND[q]], 4))
    return span


_week_lead = _lazy(r"(?:^|\s)(?:w/c|w/b|week\s+(?:commencing|beginning))\s*$", _FLAGS)
_before_lead = _lazy(r"(?:^|\s)before\s", _FLAGS)
# "from April 2026", "starting March 2027": when something starts, never when it is due.
_open_lead = _lazy(r"(?<!week)\s(?:from|starting|commencing|beginning(?!\s+of\b))\s", _FLAGS)
_onwards = _lazy(r"\bonwards?\W*$", _FLAGS)


def _lead_reading(lead: str, span: _Span) -> _Span:
    """Apply what the lead-in says about the interval.

    "w/c 12 January 2026" is that week (a day's span of seven days); "before April
    2026" ends the day before April starts, so it is the day 31 March 2026.  Other
    lead-ins ("by", "in", "due") leave the interval as the phrase gives it.
    """
    precision, start, end = span
    if start is None or end is None:
        return span
    if _open_lead().search(" " + lead):
        return Precision.OPEN_START, None, None
    if precision is Precision.DAY and _week_lead().search(lead):
        return Precision.WEEK, start, start + timedelta(days=6)
    if _before_lead().search(" " + lead):
        day = start - timedelta(days=1)
        return Precision.DAY, day, day
    return span


def _interpret(s: str) -> _Span:
    """All readings of a cleaned phrase; exactly one distinct reading or unresolved."""
    readings: set[_Span] = set()
    for core in _possible_forms(s):
        m = core.full().fullmatch(s)
        if m is None:
            continue
        try:
            span = core.build(m)
        except (ValueError, OverflowError, KeyError):
            span = None
        if span is not None:
            span = _qualify(m["qual"] or m["qual2"], span)
        if span is not None:
            readings.add(_lead_reading(m["lead"] or "", span))
    if len(readings) == 1:
        return readings.pop()
    return _range(s) or (Precision.UNRESOLVED, None, None)


_range_sep = _lazy(r"\s+(?:to|until|till|through)\s+|\s*-\s*", _FLAGS)
_range_between = _lazy(r"(?:(?:from|in|during)\s+)?between\s+(.+?)\s+and\s+(.+)", _FLAGS)
_trailing_year = _lazy(r"\s(\d{4})$", _FLAGS)


def _range(s: str) -> _Span | None:
    """ "April to June 2026", "Jan - Mar 2026", "2025/26 to 2026/27": start of the first
    to end of the second.

    The first part may borrow the second's year ("April" in "April to June 2026").
    Bare years ("2018-2021", "2025 to 2026") are not read: they are a plan's period
    far more often than a deadline.  Only one way of splitting may read, else None.
    """
    m = _range_between().fullmatch(s)
    pairs = [(m[1], m[2])] if m else [(s[: x.start()], s[x.end() :]) for x in _range_sep().finditer(s)]
    found: set[_Span] = set()
    for a, b in pairs:
        if not a or not b:
            continue
        second = _interpret_one(b)
        if second[1] is None or second[2] is None or second[0] is Precision.YEAR:
            continue
        first = _interpret_one(a)
        year = _trailing_year().search(b)
        if first[1] is None and year is not None:
            first = _interpret_one(f"{a} {year[1]}")
        if first[1] is None or first[2] is None or first[0] is Precision.YEAR:
            continue
        if first[1] < second[1] and first[2] <= second[2]:
            found.add((Precision.RANGE, first[1], second[2]))
    return found.pop() if len(found) == 1 else None


def _interpret_one(s: str) -> _Span:
    """One side of a range, read as a whole phrase (never itself a range)."""
    readings: set[_Span] = set()
    for core in _possible_forms(s):
        m = core.full().fullmatch(s)
        if m is None:
            continue
        try:
            span = core.build(m)
        except (ValueError, OverflowError, KeyError):
            span = None
        if span is not None:
            span = _qualify(m["qual"] or m["qual2"], span)
        if span is not None:
            readings.add(_lead_reading(m["lead"] or "", span))
    return readings.pop() if len(readings) == 1 else (Precision.UNRESOLVED, None, None)


@dataclass(frozen=True, slots=True)
class FuzzyDate:
    """A deadline as written, with the closed interval it stands for (if any)."""

    text: str
    start: date | None
    end: date | None
    precision: Precision

    @property
    def resolved(self) -> bool:
        """True when the phrase maps to a calendar interval."""
        return self.start is not None

    @property
    def is_vague(self) -> bool:
        """Seasons and yearless phrases: shown, but flagged as soft deadlines."""
        return self.precision in (Precision.SEASON, Precision.VAGUE)

    def words(self) -> str:
        """Plain-English wording for reports and easy-read handouts (months in words)."""
        s, e = self.start, self.end
        if s is None or e is None:
            return self.text
        p = self.precision
        if p is Precision.DAY and s == e:
            return day_words(s)
        if p is Precision.MONTH and (s.year, s.month) == (e.year, e.month):
            return month_words(s)
        if p is Precision.MONTH_PART and (s.year, s.month) == (e.year, e.month):
            return f"{_part_label(self.text, s)}{month_words(s)}"
        if p is Precision.WEEK:
            return f"week commencing {day_words(s)}"
        if p is Precision.RANGE and (s.day != 1 or e.day != _last_day(e.year, e.month)):
            return f"{day_words(s)} to {day_words(e)}"
        if p is Precision.YEAR and (s.month, e.month) != (1, 12):
            label = {1: "early ", 5: "mid-", 9: "late "}.get(s.month, "")
            return f"{label}{s.year} ({_range_words(s, e)})"
        base = _period_words(p, s, e)
        if base is None:
            return _range_words(s, e)
        qual = re.search(r"\b(early|mid|late)\b", _canon(self.text), _FLAGS)
        if qual is None:
            return base
        q = qual[1].lower()
        return f"mid-{base}" if q == "mid" else f"{q} {base}"

    def to_json(self) -> dict[str, str | None]:
        """Stable JSON shape: ISO dates or None, precision as its string value."""
        return {
            "text": self.text,
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "precision": self.precision.value,
        }


class _Dated(Protocol):
    @property
    def date(self) -> date | None: ...


_D = TypeVar("_D", bound=_Dated)


def latest_on(steps: Iterable[_D], day: date | None) -> _D | None:
    """The last of ``steps`` (oldest first) dated on or before ``day``; ``day`` None: the last.

    A step with no date holds on every day. The one rule for "as of a day", shared by
    the models (:meth:`planctl.core.models.Item.rating_as_of`) and the cached query rows,
    which keep a rating history rather than the rating on one day.
    """
    found: _D | None = None
    for step in steps:
        if day is None or step.date is None or step.date <= day:
            found = step
    return found


def day_words(d: date) -> str:
    """A day as "4 March 2026": English month names whatever the locale, unlike ``strftime('%B')``."""
    return f"{d.day} {MONTH_NAMES[d.month - 1]} {d.year}"


def month_words(d: date) -> str:
    """A month as "March 2026", in English whatever the locale."""
    return f"{MONTH_NAMES[d.month - 1]} {d.year}"


def _range_words(s: date, e: date) -> str:
    if s.year == e.year:
        return f"{MONTH_NAMES[s.month - 1]} to {month_words(e)}"
    return f"{month_words(s)} to {month_words(e)}"


def _pair_label(y: int) -> str:
    return f"{y}/{(y + 1) % 100:02d}"


def _part_label(text: str, s: date) -> str:
    low = _canon(text).lower()
    for word, label in (("end", "end of "), ("beginning", "beginning of "), ("start", "start of ")):
        if re.search(rf"\b{word}\b", low):
            return label
    return "early " if s.day <= 10 else "mid-" if s.day <= 20 else "late "


def _period_words(p: Precision, s: date, e: date) -> str | None:
    """Name a multi-month period, with its months spelled out where it helps."""
    months = (e.year * 12 + e.month) - (s.year * 12 + s.month) + 1
    span = _range_words(s, e)
    fy = s.year if s.month >= 4 else s.year - 1
    if p is Precision.QUARTER and months == 3:
        return f"Q{(s.month - 1) // 3 + 1} {s.year} ({span})"
    if p is Precision.FINANCIAL_QUARTER and months == 3:
        return f"Q{(s.month - 4) % 12 // 3 + 1} {_pair_label(fy)} ({span})"
    if p is Precision.SEASON:
        seasons = {(3, 5): "Spring", (6, 8): "Summer", (9, 11): "Autumn"}
        terms = {(9, 12): "Autumn term", (1, 4): "Spring term", (4, 7): "Summer term"}
        key = (s.month, e.month)
        if key == (12, 2):
            return f"Winter {_pair_label(s.year)}"
        if key in seasons:
            return f"{seasons[key]} {s.year}"
        if key in terms:
            return f"{terms[key]} {s.year}"
        return None
    if p is Precision.HALF_YEAR and months == 6:
        half = "first" if s.month in (1, 4) else "second"
        label = str(s.year) if s.month in (1, 7) else _pair_label(fy)
        return f"{half} half of {label} ({span})"
    if p is Precision.YEAR and months == 12 and s.month == 1:
        return str(s.year)
    kinds = {
        Precision.FINANCIAL_YEAR: "financial year",
        Precision.MUNICIPAL_YEAR: "municipal year",
        Precision.ACADEMIC_YEAR: "academic year",
    }
    if p in kinds and months == 12:
        return f"{_pair_label(s.year)} {kinds[p]} ({span})"
    return None


def parse_date(text: str) -> FuzzyDate:
    """Read a whole phrase as a date; never raises, unreadable text is UNRESOLVED."""
    raw = text.strip()
    iso = _iso(raw)
    if iso is not None:
        return iso
    precision, start, end = _interpret(_clean(raw))
    if start is not None and _onwards().search(_canon(raw)):
        precision, start, end = Precision.OPEN_START, None, None  # "2026/27 onwards": a start
    return FuzzyDate(raw, start, end, precision)


_ISO = re.compile(r"(\d{4})-(\d\d)(?:-(\d\d))?", re.ASCII)


def _iso(raw: str) -> FuzzyDate | None:
    """``2026-04`` or ``2026-04-15`` read directly, as :func:`_interpret` reads them.

    The most common query date (``due --before 2026-04``) then needs none of the date
    forms compiled. None for anything else, and for what another form could also read:
    "2011-12" is December 2011 or the year 2011/12, which the forms call ambiguous.
    """
    m = _ISO.fullmatch(raw)
    if m is None:
        return None
    y, mo = int(m[1]), int(m[2])
    if not (_MIN_YEAR <= y <= _MAX_YEAR and 1 <= mo <= 12) or (m[3] is None and mo == (y + 1) % 100):
        return None
    if m[3] is None:
        return FuzzyDate(raw, date(y, mo, 1), date(y, mo, _last_day(y, mo)), Precision.MONTH)
    try:
        day = date(y, mo, int(m[3]))
    except ValueError:
        return None
    return FuzzyDate(raw, day, day, Precision.DAY)

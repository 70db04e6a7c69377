"""Fuzzy dates as UK public-sector plans write them.

Plans promise things "by the end of March 2026", "in Q3 2025/26" or "Summer
2026", rarely on a day.  To answer "what is due when" honestly each phrase
becomes a closed interval ``[start, end]`` plus a :class:`Precision`, and the
raw wording is always kept.  Nothing is guessed: a missing year, an ambiguous
form ("2011-12": December 2011 or financial year 2011/12?) or an impossible day
is marked instead of silently filled in.  Pure functions only: no I/O and no
clock, so "today" is always a parameter.

Decisions on the open questions (tested in tests/test_dates.py):

* "end of March 2026" is late March (21-31, MONTH_PART); "end of 2025" and the
  end of any longer period is its last month ("December 2025", MONTH); "start
  of" likewise gives the first month.  "early/mid/late 2026" are the year's
  thirds: January-April, May-August, September-December (the README table);
  early/mid/late of a longer named period (a season, a financial year) keep
  the whole period.
* "from April 2026", "starting March 2027", "2026/27 onwards" say when something
  starts, not when it is due: OPEN_START, no interval (find_start reads the start).
* "before April 2026" is the day before the period starts (31 March 2026);
  "w/c 12 January 2026" (w/b, week commencing/beginning) is the week 12-18
  January; "April to June 2026", "Jan - Mar 2026", "2025/26 to 2026/27" and
  "between X and Y" run from the start of the first to the end of the second
  (RANGE).  Ranges of bare years ("2018-2021") stay unresolved: they name a
  plan's period more often than a deadline.
* Municipal year 2025/26 is 1 May 2025 - 30 April 2026, so municipal years tile.
* School terms ("Spring term 2026") are SEASON, generously: autumn Sep-Dec,
  spring Jan-Apr, summer Apr-Jul, since term dates vary by authority and Easter.
* "TBC"/"to be confirmed" are UNRESOLVED; "ongoing", "later this year", "next
  year", a month or season without a year are VAGUE.
* Two-digit years are 20YY; a full month name with two digits ("March 20") is
  unresolved (20 March or March 2020?), only abbreviations take them ("Mar 20").
* "24/25" (two digits, slash, consecutive) is financial year 2024/25, the usual
  shorthand; a form with two readings ("2011-12") is unresolved.
* Years outside 1900-2199 are not plan years.
"""

from __future__ import annotations

import calendar
import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Protocol, TypeVar

from dateutil.relativedelta import relativedelta

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


DEADLINE_FORMS = (
    "2026-04-15, 15/04/2026, 15 April 2026, 2026-04, April 2026, "
    "early/mid/late April 2026, Q3 2026 (calendar quarter), "
    "Q3 2025/26 (financial quarter), H1 2026, Summer 2026, 2026, "
    "2025/26 (financial year), academic year 2025/26, municipal year 2025/26"
)
"""The forms a deadline can be written in, in a plan file or with ``--due``: text that
means the same day whatever day it is read on."""

ACCEPTED_FORMS = DEADLINE_FORMS + ", today, +90d, +6w, +3m, +1y"
"""The forms a date can be given in on the command line (``--as-of``, ``--from`` ...):
the deadline forms and, relative to today, ``today`` and ``+N`` days/weeks/months/years."""

_MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_MONTH_NUM = {name[:3].lower(): i for i, name in enumerate(_MONTH_NAMES, 1)}
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
_FLAGS = re.IGNORECASE | re.ASCII


def _lazy(pattern: str, flags: int = 0) -> Callable[[], re.Pattern[str]]:
    """A function giving the pattern compiled, compiling it on its first call only.

    Compiling the 44 patterns of this module took ~30 ms at import, most of the cost
    of importing it, paid even by a command that reads no phrase.  Compiled on first
    use, a process compiles only the forms its phrases can be read as (the narrowing
    of :func:`_possible_forms` and :func:`_match_starts`).
    """
    return functools.cache(lambda: re.compile(pattern, flags))


# --- regex building blocks (applied to whitespace-collapsed, dash-normalised text) ---
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?![a-z])"
)
# Only true abbreviations take a two-digit year ("Sep 19"); "March 20" or "May 20"
# could equally be a day, so they are left unresolved.
_ABBR2 = r"(?:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)"
_WEEKDAY = (
    r"(?:mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?"
    r"|fri(?:day)?|sat(?:urday)?|sun(?:day)?)(?![a-z])"
)
_ORD = r"(?:st|nd|rd|th)?"
_NUM = r"(?:\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_UNIT = r"(?:day|week|fortnight|month|quarter|term|year)"
_FY_KW = r"(?:fy|financial\s+year|fiscal\s+year)"
# A year spec after "Q3", "H1", "Winter", ...: 2026, 2025/26, 2025-2026, FY25/26.
_YS = (
    rf"(?:{_FY_KW}\s*)?(?:\d{{4}}|\d{{2}})(?:\s*[/-]\s*(?:\d{{4}}|\d{{2}}))?"
    r"(?:\s+(?:financial|fiscal)\s+year|\s+fy)?"
)
_PREFIX = (
    r"(?:by|before|no\s+later\s+than|not\s+later\s+than|due|in|during|from|starting"
    r"|commencing|beginning|w/c|w/b|week\s+(?:commencing|beginning)|until|till"
    r"|up\s+to|on|at|for|towards?|the|deadline|target|due\s+date)"
)
_QUAL = (
    r"(?:(?:the\s+)?(?:very\s+)?(?P<qual>end|beginning|start|middle)\s+of\s+(?:the\s+)?"
    r"|(?P<qual2>early|mid|late|end)(?:\s*-\s*|\s+))"
)
_LEAD = rf"(?P<lead>(?:{_PREFIX}:?\s+){{0,4}}(?:{_QUAL})?)"
_BEFORE = r"(?<![\w/.\-\u00a3$])"  # not inside a word, number, path or amount
_AFTER = r"(?![\w%/]|[.,:\-]\d)"  # not followed by more number ("58%", "17.5")


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


def _year_span(text: str) -> tuple[int, bool, bool] | None:
    """Read a year spec as (first year, is a YYYY/YY pair, has FY keyword); None if invalid."""
    m = re.fullmatch(
        rf"(?P<kw>{_FY_KW}\s*)?(?P<a>\d{{4}}|\d{{2}})(?:\s*[/-]\s*(?P<b>\d{{4}}|\d{{2}}))?"
        r"(?P<kw2>\s+(?:financial|fiscal)\s+year|\s+fy)?",
        text,
        _FLAGS,
    )
    if m is None:
        return None
    a, b = m["a"], m["b"]
    has_kw = bool(m["kw"] or m["kw2"])
    if len(a) == 2 and b is None:
        return None  # a lone "26" is not a year
    try:
        y1 = _year(a)
    except ValueError:
        return None
    if b is not None:
        expected = y1 + 1 if len(b) == 4 else (y1 + 1) % 100
        if int(b) != expected:
            return None  # "2025/27" is not a financial year
    return y1, b is not None, has_kw


def _day(y: str, m: int, d: str, weekday: str | None = None) -> _Span | None:
    day = date(_year(y), m, int(d))
    if weekday is not None and _WEEKDAY_NUM[weekday[:3].lower()] != day.weekday():
        return None  # "Monday 15 April 2026" is a Wednesday: contradictory, not ours to fix
    return Precision.DAY, day, day


# --- builders: one per phrase form; return None when the form is invalid ---


def _b_iso_day(m: re.Match[str]) -> _Span | None:
    return _day(m["y"], int(m["m"]), m["d"])


def _b_num_day(m: re.Match[str]) -> _Span | None:
    if m["d"] is not None:
        return _day(m["y"], int(m["m"]), m["d"])
    return _day(m["y2"], int(m["m2"]), m["d2"])


def _b_named_day(m: re.Match[str]) -> _Span | None:
    return _day(m["y"], _month(m["mon"]), m["d"], m["wd"])


def _b_month(m: re.Match[str]) -> _Span | None:
    if m["mon"] is not None:
        y, mon = _year(m["y"]), _month(m["mon"])
    elif m["mon2"] is not None:
        y, mon = _year(m["yy"]), _month(m["mon2"])
    elif m["m"] is not None:
        y, mon = _year(m["y2"]), int(m["m"])
    else:
        y, mon = _year(m["y3"]), int(m["m3"])
    if not 1 <= mon <= 12:
        return None
    return (Precision.MONTH, *_months(y, mon, 1))


_YEAR_KINDS = {
    "financial": (Precision.FINANCIAL_YEAR, 4),
    "fiscal": (Precision.FINANCIAL_YEAR, 4),
    "fy": (Precision.FINANCIAL_YEAR, 4),
    "municipal": (Precision.MUNICIPAL_YEAR, 5),
    "council": (Precision.MUNICIPAL_YEAR, 5),
    "civic": (Precision.MUNICIPAL_YEAR, 5),
    "academic": (Precision.ACADEMIC_YEAR, 9),
    "school": (Precision.ACADEMIC_YEAR, 9),
}


def _b_year_pair(m: re.Match[str]) -> _Span | None:
    pre, post = m["pre"], m["post"]
    kinds = {k.split()[0].lower() for k in (pre, post) if k}
    kinds = {_YEAR_KINDS[k][0].value for k in kinds}
    if len(kinds) > 1:
        return None
    a, b, sep = m["a"], m["b"], m["sep"].strip().lower()
    keyword = pre or post
    if sep == "to" and not keyword:
        return None  # "2025 to 2026" alone is a range, not a financial year
    if len(a) == 2 and not keyword and (sep != "/" or len(b) != 2 or m.start("b") - m.end("a") != 1):
        return None  # "24/25" is the usual shorthand for 2024/25; "14 - 25" is an age band
    if sep == "to" and (len(a) != 4 or len(b) != 4):
        return None
    y1 = _year(a)
    if int(b) != (y1 + 1 if len(b) == 4 else (y1 + 1) % 100):
        return None
    precision, first_month = _YEAR_KINDS[(keyword or "fy").split()[0].lower()]
    return (precision, *_months(y1, first_month, 12))


_QUARTER_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "one": 1, "two": 2}
_QUARTER_WORDS |= {"three": 3, "four": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}


def _ordinal(text: str) -> int:
    for token in re.findall(r"[a-z0-9]+", text.lower()):
        if token.isdigit():
            return int(token)
        if token in _QUARTER_WORDS:
            return _QUARTER_WORDS[token]
        if token[0] in "qh" and token[1:].isdigit():
            return int(token[1:])
    raise ValueError(text)


def _b_quarter(m: re.Match[str]) -> _Span | None:
    q = _ordinal(m["q"] or m["q2"])
    span = _year_span(m["ys"] or m["ys2"])
    if span is None:
        return None
    y, pair, kw = span
    if pair or kw:
        if not pair:
            return None  # "Q3 FY2026": which financial year? do not guess
        return (Precision.FINANCIAL_QUARTER, *_months(y, 4 + 3 * (q - 1), 3))
    return (Precision.QUARTER, *_months(y, 3 * q - 2, 3))


def _b_half(m: re.Match[str]) -> _Span | None:
    h = _ordinal(m["h"] or m["h2"])
    span = _year_span(m["ys"] or m["ys2"])
    if span is None:
        return None
    y, pair, kw = span
    if kw and not pair:
        return None
    first = (4 if pair else 1) + 6 * (h - 1)
    return (Precision.HALF_YEAR, *_months(y, first, 6))


_SEASON_START = {"spring": 3, "summer": 6, "autumn": 9, "winter": 12}
# School terms vary by authority and by Easter, so these are deliberately generous.
_TERM_MONTHS = {"autumn": (9, 4), "spring": (1, 4), "summer": (4, 4)}


def _b_season(m: re.Match[str]) -> _Span | None:
    season = m["s"].lower()
    span = _year_span(m["ys"])
    if span is None or span[2]:
        return None
    y, pair, _ = span
    if pair and season != "winter":
        return None  # "Spring 2025/26": which spring?
    return (Precision.SEASON, *_months(y, _SEASON_START[season], 3))


def _b_term(m: re.Match[str]) -> _Span | None:
    term = m["s"].lower()
    span = _year_span(m["ys"])
    if span is None or span[2]:
        return None
    y, pair, _ = span
    if pair and term != "autumn":
        y += 1  # academic year 2025/26: spring and summer terms fall in 2026
    first, n = _TERM_MONTHS[term]
    return (Precision.SEASON, *_months(y, first, n))


def _b_year(m: re.Match[str]) -> _Span | None:
    return (Precision.YEAR, *_months(_year(m["y"]), 1, 12))


def _b_relative(m: re.Match[str]) -> _Span | None:
    return Precision.RELATIVE, None, None


def _b_vague(m: re.Match[str]) -> _Span | None:
    return Precision.VAGUE, None, None


@dataclass(frozen=True, slots=True)
class _Core:
    """One phrase form: a pattern for whole phrases and one for free text, each
    compiled on first use (see :func:`_lazy`)."""

    name: str
    full: Callable[[], re.Pattern[str]]
    find: Callable[[], re.Pattern[str]] | None  # applied to _fold(text): lower case, no IGNORECASE
    build: Callable[[re.Match[str]], _Span | None]
    needs_lead: bool  # in free text only count it after "by", "in", "end of", ...
    needs_capital: bool  # in free text the month must be capitalised ("may" is a verb)
    first: frozenset[str]  # the words the body can start with (see _date_candidates)


_DIGIT = "#"  # in a ``first`` list: the body can start with a digit
_MONTH_WORDS = (
    "jan january feb february mar march apr april may jun june jul july aug august "
    "sep sept september oct october nov november dec december"
)
_WEEKDAY_WORDS = (
    "mon monday tue tues tuesday wed wednesday thu thur thurs thursday fri friday sat saturday sun sunday"
)


def _core(
    name: str,
    body: str,
    build: Callable[[re.Match[str]], _Span | None],
    *,
    first: str = "",
    needs_lead: bool = False,
    needs_capital: bool = False,
) -> _Core:
    """A phrase form; ``first`` lists the words its body can start with, a leading
    optional "the" replaced by the words that can follow it (no ``first``: whole
    phrases only, never looked for in free text)."""
    full = _lazy(rf"{_LEAD}(?:{body})", _FLAGS)
    found = _lazy(rf"{_BEFORE}{_LEAD}(?:{body}){_AFTER}", re.ASCII) if first else None
    return _Core(name, full, found, build, needs_lead, needs_capital, frozenset(first.split()))


_WD = rf"(?:(?P<wd>{_WEEKDAY}),?\s+)?"
_QWORD = (
    r"q\s*[1-4]|quarter\s+(?:[1-4]|one|two|three|four)"
    r"|(?:first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter"
)
_HWORD = r"h\s*[12]|(?:first|second|1st|2nd)\s+half(?:\s+of)?(?:\s+the)?"
_YEAR_KIND_WORDS = r"(?:financial|fiscal|municipal|council|civic|academic|school)\s+year|fy"
_EVENT = (
    r"(?:birthday|referral|assessment|request|discharge|transition|review|meeting"
    r"|diagnosis|admission|appointment|application|decision|agreement|notification"
    r"|completion|contact)s?"
)

_CORES: tuple[_Core, ...] = (
    _core("iso-day", r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})", _b_iso_day, first=_DIGIT),
    _core(
        "numeric-day",
        r"(?P<d>\d{1,2})(?P<sep>[/-])(?P<m>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})"
        r"|(?P<d2>\d{1,2})\.(?P<m2>\d{1,2})\.(?P<y2>\d{4})",
        _b_num_day,
        first=_DIGIT,
    ),
    _core(
        "day-month-year",
        rf"{_WD}(?:the\s+)?(?P<d>\d{{1,2}}){_ORD}(?:\s+of\s+|\s+)(?P<mon>{_MONTH}),?\s+(?P<y>\d{{4}})",
        _b_named_day,
        first=f"{_WEEKDAY_WORDS} {_DIGIT}",
    ),
    _core(
        "dd-mon-yy",
        rf"{_WD}(?P<d>\d{{1,2}})(?P<sep>[-/])(?P<mon>{_MONTH})(?P=sep)(?P<y>\d{{4}}|\d{{2}})",
        _b_named_day,
        first=f"{_WEEKDAY_WORDS} {_DIGIT}",
    ),
    _core(
        "month-day-year",
        rf"{_WD}(?P<mon>{_MONTH})\s+(?P<d>\d{{1,2}}){_ORD},?\s+(?P<y>\d{{4}})",
        _b_named_day,
        first=f"{_WEEKDAY_WORDS} {_MONTH_WORDS}",
    ),
    _core(
        "month-year",
        rf"(?P<mon>{_MONTH})(?:,?\s+(?:of\s+)?|-)(?P<y>\d{{4}})"
        rf"|(?P<mon2>{_ABBR2})(?:\s*'|\s+|-)(?P<yy>\d{{2}})"
        r"|(?P<y2>\d{4})-(?P<m>0[1-9]|1[0-2])|(?P<m3>0?[1-9]|1[0-2])/(?P<y3>\d{4})",
        _b_month,
        first=f"{_MONTH_WORDS} {_DIGIT}",
    ),
    _core(
        "year-pair",
        rf"(?:(?P<pre>{_YEAR_KIND_WORDS})\s*(?:of\s+)?)?(?:the\s+)?"
        r"(?P<a>\d{4}|\d{2})\s*(?P<sep>[/-]|\s+to\s+)\s*(?P<b>\d{4}|\d{2})"
        rf"(?:\s+(?P<post>{_YEAR_KIND_WORDS}))?",
        _b_year_pair,
        first=f"financial fiscal municipal council civic academic school fy {_DIGIT}",
    ),
    _core(
        "quarter",
        rf"(?P<q>{_QWORD})(?:\s+of)?(?:\s+the)?\s+(?P<ys>{_YS})"
        rf"|(?:the\s+)?(?P<ys2>{_YS})\s+(?P<q2>q\s*[1-4])",
        _b_quarter,
        first=f"q quarter first second third fourth fy financial fiscal {_DIGIT}",
    ),
    _core(
        "half-year",
        rf"(?P<h>{_HWORD})\s+(?P<ys>{_YS})|(?P<ys2>{_YS})\s+(?P<h2>h[12])",
        _b_half,
        first=f"h first second fy financial fiscal {_DIGIT}",
    ),
    _core(
        "season",
        rf"(?P<s>spring|summer|autumn|winter)(?:\s+of)?\s+(?P<ys>{_YS})",
        _b_season,
        first="spring summer autumn winter",
    ),
    _core(
        "term",
        rf"(?P<s>autumn|spring|summer)\s+term(?:\s+of)?\s+(?P<ys>{_YS})",
        _b_term,
        first="autumn spring summer",
    ),
    _core(
        "year",
        r"(?:(?:the\s+)?(?:calendar\s+)?year\s+)?"
        r"(?<!\bact\s)(?<!\bacts\s)(?<!regulations\s)(?<!\d,)(?P<y>(?:19|20|21)\d{2})"
        r"(?!\s+(?:people|persons|residents|participants|individuals|adults|children|young|staff|carers"
        r"|families|pupils|students|places|homes|beds|jobs|hours|pounds|households)\b)",
        _b_year,
        first=f"calendar year {_DIGIT}",
    ),
    # Tied to an event rather than the calendar: no interval.
    _core(
        "relative",
        r"(?:the\s+)?(?:age\s+(?:of\s+)?|aged\s+)\d{1,2}(?:\.\d{1,2})?"
        r"|(?:the\s+)?time\s+.{1,80}?\b(?:is|are|turns?|reach(?:es)?|becomes?)\s+(?:aged?\s+)?\d{1,2}(?:\.\d{1,2})?"
        rf"|{_NUM}\s+(?:working\s+)?{_UNIT}s?\s+(?:prior\s+to|before|after|following|ahead\s+of)\s+.+"
        rf"|within\s+{_NUM}\s+(?:working\s+)?{_UNIT}s?(?:\s+of\s+.+)?"
        r"|(?:the|their|his|her|a\s+young\s+person's|the\s+young\s+person's|the\s+child's)"
        r"\s+\d{1,2}(?:st|nd|rd|th)\s+birthday",
        _b_relative,
    ),  # no ``first``: only as a whole phrase; free text uses _relative_find()
    # Calendar-shaped but missing the year: flagged, never completed from a clock.
    _core(
        "month-no-year",
        rf"(?P<mon>{_MONTH})|{_WD}(?:the\s+)?\d{{1,2}}{_ORD}(?:\s+of)?\s+(?P<mon2>{_MONTH})"
        rf"|(?P<mon3>{_MONTH})\s+\d{{1,2}}(?:st|nd|rd|th)",
        _b_vague,
        first=f"{_MONTH_WORDS} {_WEEKDAY_WORDS} {_DIGIT}",
        needs_lead=True,
        needs_capital=True,
    ),
    _core(
        "season-no-year",
        r"(?:the\s+)?(?:spring|summer|autumn|winter)(?:\s+term)?",
        _b_vague,
        first="spring summer autumn winter",
        needs_lead=True,
    ),
    _core(
        "this-next-year",
        r"(?:this|next|the)\s+(?:calendar\s+|financial\s+|academic\s+|municipal\s+)?year",
        _b_vague,
        first="this next calendar financial academic municipal year",
        needs_lead=True,
    ),
    _core(
        "later-this-year",
        r"later\s+this\s+year|(?:early|later)\s+next\s+year",
        _b_vague,
        first="later early",
    ),
    _core(
        "vague",
        r"ongoing|as\s+soon\s+as\s+possible|asap|immediately|(?:the\s+)?(?:short|medium|long)[\s-]term"
        r"|(?:in\s+)?the\s+coming\s+(?:weeks|months|year)|(?:the\s+)?next\s+(?:few|\d{1,2})\s+(?:weeks|months|years)",
        _b_vague,
    ),  # no ``first``: only as a whole phrase
)

# Event-relative deadlines in free text need their preposition: a bare "age 17" is not one.
_relative_find = _lazy(
    _BEFORE
    + r"(?:(?:by|at|from|before|until|after)\s+(?:the\s+)?(?:age\s+(?:of\s+)?|aged\s+)\d{1,2}(?:\.\d{1,2})?"
    r"|by\s+the\s+time\s+(?:[a-z'-]+\s+){1,6}?(?:is|are|turns?|reach(?:es)?|becomes?)\s+(?:aged?\s+)?\d{1,2}(?:\.\d{1,2})?"
    rf"|{_NUM}\s+(?:working\s+)?{_UNIT}s?\s+(?:prior\s+to|before|after|following|ahead\s+of)\s+(?:[a-z0-9'-]+\s+){{0,4}}?{_EVENT}"
    rf"|within\s+{_NUM}\s+(?:working\s+)?{_UNIT}s?(?:\s+of\s+(?:[a-z0-9'-]+\s+){{0,4}}?{_EVENT})?"
    r"|(?:by|before|on|at|after|from)\s+(?:the|their|his|her|a\s+young\s+person's|the\s+young\s+person's"
    r"|the\s+child's)\s+\d{1,2}(?:st|nd|rd|th)\s+birthday)" + _AFTER,
    re.ASCII,
)  # applied to _fold(text), like _Core.find
# The words an event-relative phrase can start with ("by age 17", "within 20 working days").
_RELATIVE_FIRST = frozenset(("by", "at", "from", "before", "until", "after", "within", "on", *_NUM_WORDS))

_CANON = str.maketrans(
    {
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
        "\u2018": "'", "\u2019": "'",
    }
    | {chr(c): " " for c in range(0x3001) if chr(c).isspace()}
)  # fmt: skip


_FOLD = str.maketrans(_CANON | {chr(c): chr(c + 32) for c in range(ord("A"), ord("Z") + 1)})


def _canon(text: str) -> str:
    """Same-length copy for matching: Word's dashes, quotes and odd spaces made plain."""
    return text.translate(_CANON)


def _fold(text: str) -> str:
    """:func:`_canon` with A-Z in lower case, still the same length.

    The free-text patterns run on this without IGNORECASE: case-insensitive literals
    defeat the regex engine's quick checks, and IGNORECASE with ASCII folds only A-Z.
    """
    return text.translate(_FOLD)


def _clean(text: str) -> str:
    s = " ".join(_canon(text).split())
    s = s.strip("()[]\"' ")
    s = re.sub(r"(?:\s+(?:onwards|at\s+the\s+latest))?[\s.,;:!?]*$", "", s, flags=_FLAGS)
    return s.strip("()[]\"' ")


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
    return f"{d.day} {_MONTH_NAMES[d.month - 1]} {d.year}"


def month_words(d: date) -> str:
    """A month as "March 2026", in English whatever the locale."""
    return f"{_MONTH_NAMES[d.month - 1]} {d.year}"


def _range_words(s: date, e: date) -> str:
    if s.year == e.year:
        return f"{_MONTH_NAMES[s.month - 1]} to {month_words(e)}"
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


# Words a lead-in ("by", "no later than", "the very end of", "mid-", "w/c" ...) is made of.
_LEAD_WORDS = frozenset(
    (
        "by", "before", "no", "not", "later", "than", "due", "in", "during", "from", "starting",
        "commencing", "beginning", "w", "c", "b", "week", "until", "till", "up", "to", "on", "at",
        "for", "toward", "towards", "the", "deadline", "target", "date",
        "very", "end", "start", "middle", "of", "early", "mid", "late",
    )
)  # fmt: skip
_TOKEN = re.compile(r"(?<!\w)(?:fy|[a-z]+|\d)", re.ASCII)
_FINDERS = tuple(i for i, core in enumerate(_CORES) if core.find is not None)


def _anchors() -> dict[str, tuple[int, ...]]:
    """Word (or digit) -> indexes in _CORES of the forms whose body can start with it."""
    table: dict[str, list[int]] = {}
    for i in _FINDERS:
        for word in _CORES[i].first:
            for key in "0123456789" if word == _DIGIT else (word,):
                table.setdefault(key, []).append(i)
    return {word: tuple(found) for word, found in table.items()}


_ANCHORS = _anchors()
_RELATIVE_KEYS = _RELATIVE_FIRST | frozenset("0123456789")
# Every word that matters to _match_starts: (forms it can start, starts an event-relative
# phrase, is a lead word); any other word only ends a run of lead words.
_WORD_INFO = {
    word: (_ANCHORS.get(word, ()), word in _RELATIVE_KEYS, word in _LEAD_WORDS)
    for word in (*_ANCHORS, *_RELATIVE_KEYS, *_LEAD_WORDS)
}


def _match_starts(low: str) -> tuple[dict[int, list[int]], list[int]]:
    """Where in folded text a free-text form can match: by index in _CORES, and for
    _relative_find(); each list ascending.

    Running a form's ``finditer`` tries its lead-in alternation at every position,
    which was most of the cost of :func:`find_date`.  But a match is a lead-in made of
    _LEAD_WORDS followed by a body starting with one of the form's ``first`` words, so
    it starts at such a word or at one of the lead words just before it; an
    event-relative phrase starts at one of _RELATIVE_FIRST or a number.
    """
    starts: dict[int, list[int]] = {}
    relative: list[int] = []
    lead: list[int] = []  # positions of the lead words just before the current word
    for tok in _TOKEN.finditer(low):
        info = _WORD_INFO.get(tok[0])
        if info is None:
            lead.clear()
            continue
        forms, is_relative, is_lead = info
        pos = tok.start()
        for i in forms:
            bucket = starts.setdefault(i, [])
            last = bucket[-1] if bucket else -1
            bucket.extend(p for p in lead if p > last)
            bucket.append(pos)
        if is_relative:
            relative.append(pos)
        if is_lead:
            lead.append(pos)
        else:
            lead.clear()
    return starts, relative


_WHOLE_ONLY = frozenset(i for i, core in enumerate(_CORES) if core.find is None)


def _possible_forms(s: str) -> list[_Core]:
    """The forms, in _CORES order, that can read the whole phrase ``s``.

    As in :func:`_match_starts`: a form's body starts at one of its ``first`` words,
    here the first word of the phrase or the first after its leading lead words.  Saves
    trying all 17 whole-phrase patterns on every phrase.
    """
    low = _fold(s)
    if _TOKEN.match(low) is None:
        return [_CORES[i] for i in sorted(_WHOLE_ONLY)]
    forms = set(_WHOLE_ONLY)
    for tok in _TOKEN.finditer(low):
        info = _WORD_INFO.get(tok[0])
        if info is None:
            break
        forms.update(info[0])
        if not info[2]:
            break
    return [_CORES[i] for i in sorted(forms)]


def _date_candidates(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, date-shaped) of every date-like span in free text.

    A bare year needs a preposition ("in 2026"): "support 2000 residents" or
    "the 2021 census" are not deadlines.  Spans that are not date-shaped (year
    ranges such as "2018-2021", "paragraphs 42-43") still claim their text but
    are not reported when they do not resolve.

    Each form is matched only at the positions :func:`_match_starts` gives, each
    from where its previous match ended: exactly the matches ``finditer`` would find.
    """
    low = _fold(text)
    starts, relative = _match_starts(low)
    found: list[tuple[int, int, bool]] = []
    for i in _FINDERS:
        if i not in starts:
            continue
        core = _CORES[i]
        assert core.find is not None
        find = core.find()
        end = 0
        for at in starts[i]:
            if at < end:
                continue
            m = find.match(low, at)
            if m is None:
                continue
            end = m.end()
            if core.needs_lead and not m["lead"]:
                continue
            if core.needs_capital:
                mon = next(g for g in ("mon", "mon2", "mon3") if m[g])
                if not text[m.start(mon)].isupper():
                    continue
            if core.name == "year" and low[m.start() : m.start("y")] in ("", "the "):
                continue
            shaped = core.name not in ("year", "year-pair") or bool(
                core.name == "year-pair" and (m["pre"] or m["post"])
            )
            found.append((m.start(), end, shaped))
    end = 0
    for at in relative:
        if at >= end and (m := _relative_find().match(low, at)) is not None:
            end = m.end()
            found.append((m.start(), end, True))
    return found


def _leftmost_longest(spans: list[tuple[int, int, bool]]) -> list[tuple[int, int, bool]]:
    chosen: list[tuple[int, int, bool]] = []
    for span in sorted(spans, key=lambda c: (c[0], -c[1])):
        if not chosen or span[0] >= chosen[-1][1]:
            chosen.append(span)
    return chosen


_deadline_lead = _lazy(
    r"(?:by|before|no\s+later\s+than|not\s+later\s+than|due|until|till|up\s+to|deadline|target)\b",
    _FLAGS,
)


# A phrase introduced like this starts something ("starting March 2027", "from April
# 2026"); "beginning of March" is a part of a month, not a start keyword.
_start_lead = _lazy(
    r"(?:starting|commencing|beginning(?!\s+of\b)|from|with\s+effect\s+from)"
    r"(?:\s+(?:from|in|on))?\s+",
    _FLAGS,
)


_range_join = _lazy(r"\s*(?:to|until|till|through|and|-)\s*$", _FLAGS)
_word_start = _lazy(r"(?<![\w/.\-])\w", _FLAGS)


def _join_ranges(text: str, spans: list[tuple[int, int, bool]]) -> list[tuple[int, int, bool]]:
    """Widen a phrase to the range it ends ("April to June 2026", "6 November 2025 to
    19 March 2026"), absorbing the phrase it starts from, when the whole reads as a range."""
    out: list[tuple[int, int, bool]] = []
    for a, b, shaped in spans:
        lo = max(0, a - 40)
        if _range_join().search(_canon(text[lo:a])) is not None:
            for w in _word_start().finditer(text, lo, a):
                p = w.start()
                if out and p < out[-1][1] and p != out[-1][0]:
                    continue
                if parse_date(text[p:b]).precision is Precision.RANGE:
                    if out and p == out[-1][0]:
                        out.pop()
                    a, shaped = p, True
                    break
        out.append((a, b, shaped))
    return out


def _phrases(text: str) -> list[FuzzyDate]:
    """Every date phrase of free text worth showing, in order (see :func:`find_date`)."""
    spans = _join_ranges(text, _leftmost_longest(_date_candidates(text)))
    found = [(parse_date(text[a:b]), shaped) for a, b, shaped in spans]
    return [fd for fd, shaped in found if fd.resolved or shaped]


def find_date(text: str, *, recurring: bool = False) -> FuzzyDate | None:
    """Find the deadline phrase in free text ("...agreed by April 2026").

    Prefers the first resolved phrase introduced as a deadline ("by", "before",
    "no later than", "due", ...) so that "priorities for 2026/27 by September
    2025" gives September 2025; then the first resolved phrase of any kind; only
    when none resolves, the first event-relative, vague or impossible one ("by
    age 17", "by March", "by 30 February 2026"), so a problem is shown rather
    than hidden.  The text is the matched phrase with its preposition.

    For the text of something ``recurring``, a phrase introduced as a start
    ("starting March 2027", "from April 2026") is the recurrence's start (see
    :func:`find_start`), not a deadline, and is skipped.
    """
    dates = _phrases(text)
    if recurring:
        dates = [fd for fd in dates if _start_lead().match(_canon(fd.text)) is None]
    return next(
        (fd for fd in dates if fd.resolved and _deadline_lead().match(_canon(fd.text))),
        next((fd for fd in dates if fd.resolved), dates[0] if dates else None),
    )


def find_start(text: str) -> FuzzyDate | None:
    """The first date free text gives as a start ("... starting March 2027"), without its keyword.

    A recurrence's start, for text whose recurrence is given elsewhere (``recurrence:
    annual`` on an outcome that reads "... starting March 2027").
    """
    for fd in _phrases(text):
        m = _start_lead().match(_canon(fd.text))
        if m is not None:
            return parse_date(fd.text[m.end() :])
    return None


# --- recurrences ---

_UNIT_OF = {
    "day": ("day", 1), "week": ("week", 1), "fortnight": ("week", 2), "month": ("month", 1),
    "quarter": ("month", 3), "term": ("term", 1), "year": ("year", 1),
}  # fmt: skip
_ADJECTIVE = {
    "daily": ("day", 1), "weekly": ("week", 1), "fortnightly": ("week", 2),
    "monthly": ("month", 1), "quarterly": ("month", 3), "termly": ("term", 1),
    "annually": ("year", 1), "annual": ("year", 1), "yearly": ("year", 1),
    "half-yearly": ("month", 6), "six-monthly": ("month", 6),
}  # fmt: skip
_REC_BODY = (
    rf"(?:once\s+)?every\s+(?:(?P<a>{_NUM})(?:\s*(?:-|to|or)\s*(?P<b>{_NUM}))?\s+"
    rf"|(?P<other>other|alternate|second)\s+)?(?P<u>{_UNIT})s?(?![a-z])"
    rf"|(?:once\s+(?:a|per|each|every)|each)\s+(?P<u2>{_UNIT})(?![a-z])"
    r"|(?P<twice>twice\s+(?:a\s+|per\s+|each\s+)?(?:year|yearly|annually))(?![a-z])"
    r"|(?<![\w-])(?P<adj>daily|weekly|fortnightly|monthly|quarterly|termly|annually|annual|yearly"
    r"|half-yearly|six-monthly"
    r"|(?P<n>\d{1,2}|two|three|four|six)[\s-](?P<nu>monthly|weekly))(?![\w-])"
    r"(?:\s+(?:review|meeting|report|check|health\s+check|survey|audit|update)s?(?![\w-]))?"
)
_rec_find = _lazy(rf"(?<![\w-])(?:{_REC_BODY})", _FLAGS)
_rec_full = _lazy(
    rf"(?:{_REC_BODY})(?:,?\s+(?:starting|beginning|commencing|from|with\s+effect\s+from)"
    r"(?:\s+(?:from|in|on))?\s+(?P<rest>.+))?",
    _FLAGS,
)
_start_kw = _lazy(
    r",?\s+(?:starting|beginning|commencing|from|with\s+effect\s+from)(?:\s+(?:from|in|on))?\s+",
    _FLAGS,
)


# unit -> (relativedelta keyword, fewest days it can take)
_STEP = {"day": ("days", 1), "week": ("weeks", 7), "month": ("months", 28), "year": ("years", 365)}


@dataclass(frozen=True, slots=True)
class Recurrence:
    """Something that repeats ("every 6 to 8 weeks"), optionally from a start date."""

    text: str
    every_min: int | None
    every_max: int | None
    unit: str | None  # "day" | "week" | "month" | "term" | "year"
    start: FuzzyDate | None

    def words(self) -> str:
        """Plain-English wording: "every month starting March 2027"."""
        lo, hi, unit = self.every_min, self.every_max, self.unit
        if lo is None or hi is None or unit is None:
            base = self.text
        elif lo == hi == 1:
            base = f"every {unit}"
        elif lo == hi:
            base = f"every {lo} {unit}s"
        else:
            base = f"every {lo} to {hi} {unit}s"
        if self.start is not None and unit is not None:
            base = f"{base} starting {self.start.words()}"
        return base

    def next_on_or_after(self, as_of: date) -> date | None:
        """The next occurrence on or after ``as_of``, or None when it cannot be told.

        Occurrences are counted from the first day of the start ("starting March
        2026" is 1 March 2026) at the shortest interval of a range ("every 6 to 8
        weeks" steps 6 weeks), so that the next one is never later than the plan
        allows.  A recurrence without a start, or counted in terms (whose dates vary by
        authority), has no next date.
        """
        if self.start is None or self.start.start is None or self.every_min is None:
            return None
        step = _STEP.get(self.unit or "")
        if step is None:
            return None
        first = self.start.start
        if as_of <= first:
            return first
        n = self.every_min
        # jump close, then step: months and years have no fixed length in days
        k = max(0, ((as_of - first).days // (n * step[1])) - 1)
        try:
            while (day := first + _delta(n * k, step[0])) < as_of:
                k += 1
        except (ValueError, OverflowError):  # the next one falls after 9999-12-31
            return None
        return day

    def to_json(self) -> dict[str, object]:
        """JSON shape with the start date nested in FuzzyDate's own shape."""
        return {
            "text": self.text,
            "every_min": self.every_min,
            "every_max": self.every_max,
            "unit": self.unit,
            "start": self.start.to_json() if self.start else None,
        }


def _interval(m: re.Match[str]) -> tuple[int, int, str] | None:
    """(min, max, unit) of a recurrence match; None for nonsense like "every 0 weeks"."""
    if m["adj"]:
        if m["nu"]:
            n = _int(m["n"])
            unit, lo = ("month", n) if m["nu"].lower() == "monthly" else ("week", n)
        else:
            unit, lo = _ADJECTIVE[m["adj"].lower()]
        hi = lo
    elif m["twice"]:
        unit, lo, hi = "month", 6, 6
    elif m["u2"]:
        unit, lo = _UNIT_OF[m["u2"].lower()]
        hi = lo
    else:
        unit, mult = _UNIT_OF[m["u"].lower()]
        lo = 2 if m["other"] else _int(m["a"]) if m["a"] else 1
        hi = _int(m["b"]) if m["b"] else lo
        lo, hi = lo * mult, hi * mult
    if lo < 1 or hi < lo:
        return None
    return lo, hi, unit


def parse_recurrence(text: str) -> Recurrence | None:
    """Read a whole phrase as a recurrence, with an optional "starting <date>"."""
    raw = text.strip()
    s = _clean(raw)
    m = _rec_full().fullmatch(s)
    if m is None:
        return None
    interval = _interval(m)
    if interval is None:
        return None
    start = parse_date(m["rest"]) if m["rest"] else None
    return Recurrence(raw, *interval, start)


# "after their yearly health check", "following the annual review": the adjective names
# another event that repeats, which the text is timed against; the text itself does not.
_anchored = _lazy(
    r"(?<![\w-])(?:after|following|before|since)\s+(?:(?:the|their|his|her|your|my|our|each)\s+)?$", _FLAGS
)


def find_recurrence(text: str) -> Recurrence | None:
    """Find the first recurrence in free text ("The group will meet every 6 to 8 weeks")."""
    canon = _fold(text)
    for m in _rec_find().finditer(canon):
        interval = _interval(m)
        if interval is None:
            continue
        if m["adj"] and _anchored().search(canon, 0, m.start()):
            continue
        end, start = m.end(), None
        kw = _start_kw().match(canon, end)
        if kw is not None:
            p = kw.end()
            spans = [
                found.end()
                for core in _CORES
                if core.find is not None and (found := core.find().match(canon, p)) is not None
            ]
            if spans:
                end = max(spans)
                start = parse_date(text[p:end])
        return Recurrence(text[m.start() : end].strip(), *interval, start)
    return None


# --- command-line forms ---

_duration = _lazy(r"\+?\s*(?P<n>\d{1,4})\s*(?P<u>d|days?|w|weeks?|m|months?|y|years?)", _FLAGS)


def _delta(n: int, unit: str) -> relativedelta:
    u = unit[0].lower()
    if u == "d":
        return relativedelta(days=n)
    if u == "w":
        return relativedelta(weeks=n)
    if u == "m":
        return relativedelta(months=n)
    return relativedelta(years=n)


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

"""The phrase forms: regex building blocks, one builder per form, and the _CORES table.

Each form ("15 April 2026", "Q3 2025/26", "Summer 2026" ...) is a :class:`_Core`: a
pattern for whole phrases, one for free text and a builder giving its interval.  The
text the patterns see (:func:`_canon`, :func:`_fold`, :func:`_clean`) and the index of
the words each form can start with (used to narrow which forms are tried) live here too.
Adding a form means a row in _CORES and, if a user may write it, DEADLINE_FORMS.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from planctl.core.dates.periods import (
    _NUM_WORDS,
    _WEEKDAY_NUM,
    Precision,
    _month,
    _months,
    _Span,
    _year,
)

DEADLINE_FORMS = (
    "2026-04-15, 15/04/2026, 15 April 2026, 2026-04, April 2026, "
    "early/mid/late April 2026, Q3 2026 (calendar quarter), "
    "Q3 2025/26 (financial quarter), H1 2026, Summer 2026, 2026, "
    "2025/26 (financial year), academic year 2025/26, municipal year 2025/26"
)
"""The forms a deadline can be written in, in a plan file or with ``--due``: text that
means the same day whatever day it is read on."""

_FLAGS = re.IGNORECASE | re.ASCII


def _lazy(pattern: str, flags: int = 0) -> Callable[[], re.Pattern[str]]:
    """A function giving the pattern compiled, compiling it on its first call only.

    Compiling the 44 patterns of the dates package took ~30 ms at import, most of the cost
    of importing it, paid even by a command that reads no phrase.  Compiled on first
    use, a process compiles only the forms its phrases can be read as (the narrowing
    of :func:`_possible_forms` and :func:`.finding._match_starts`).
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
    first: frozenset[str]  # the words the body can start with (see finding._date_candidates)


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
# Every word that matters to finding._match_starts: (forms it can start, starts an event-relative
# phrase, is a lead word); any other word only ends a run of lead words.
_WORD_INFO = {
    word: (_ANCHORS.get(word, ()), word in _RELATIVE_KEYS, word in _LEAD_WORDS)
    for word in (*_ANCHORS, *_RELATIVE_KEYS, *_LEAD_WORDS)
}


_WHOLE_ONLY = frozenset(i for i, core in enumerate(_CORES) if core.find is None)


def _possible_forms(s: str) -> list[_Core]:
    """The forms, in _CORES order, that can read the whole phrase ``s``.

    As in :func:`.finding._match_starts`: a form's body starts at one of its ``first`` words,
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

"""Recurrences: "every 6 to 8 weeks", "annually, starting March 2027".

:func:`parse_recurrence` reads a whole phrase, :func:`find_recurrence` finds one in
free text; a :class:`Recurrence` knows its next occurrence on or after a day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from planctl.core.dates.forms import _CORES, _FLAGS, _NUM, _UNIT, _clean, _fold, _lazy
from planctl.core.dates.fuzzy import FuzzyDate, parse_date
from planctl.core.dates.periods import _delta, _int

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

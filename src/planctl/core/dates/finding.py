"""Date phrases in free text: find_date (the deadline) and find_start (the start).

Each free-text form is tried only where it can start (:func:`_match_starts`), the
leftmost-longest spans win, ranges are joined, and each span is read with
:func:`.fuzzy.parse_date`.
"""

from __future__ import annotations

from planctl.core.dates.forms import (
    _CORES,
    _FINDERS,
    _FLAGS,
    _TOKEN,
    _WORD_INFO,
    _canon,
    _fold,
    _lazy,
    _relative_find,
)
from planctl.core.dates.fuzzy import FuzzyDate, parse_date
from planctl.core.dates.periods import Precision


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

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

The package, bottom to top (each module imports only those above it):

* ``periods``: :class:`Precision`, month and number words, calendar arithmetic.
* ``forms``: the regex building blocks, one builder per phrase form, the ``_CORES``
  table, the text the patterns see (``_canon``, ``_fold``, ``_clean``) and
  ``DEADLINE_FORMS``.
* ``fuzzy``: :class:`FuzzyDate` and :func:`parse_date`, reading one phrase:
  qualifiers, lead-ins, ranges; the words for a date (``day_words``,
  ``month_words``) and ``latest_on``.
* ``finding``: :func:`find_date` and :func:`find_start`, date phrases in free text.
* ``recurrence``: :class:`Recurrence`, :func:`parse_recurrence`, :func:`find_recurrence`.
* ``commandline``: what a user types: :func:`parse_query_date`, :func:`parse_duration`,
  :func:`add_clamped`, ``ACCEPTED_FORMS``.
"""

from __future__ import annotations

from planctl.core.dates.commandline import ACCEPTED_FORMS, parse_duration, parse_query_date
from planctl.core.dates.commandline import add_clamped as add_clamped
from planctl.core.dates.finding import find_date, find_start
from planctl.core.dates.forms import DEADLINE_FORMS
from planctl.core.dates.fuzzy import FuzzyDate, day_words, month_words, parse_date
from planctl.core.dates.fuzzy import latest_on as latest_on
from planctl.core.dates.periods import Precision
from planctl.core.dates.recurrence import Recurrence, find_recurrence, parse_recurrence

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

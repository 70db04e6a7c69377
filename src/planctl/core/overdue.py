"""What "overdue" means, in one place.

An item is overdue when its deadline's last day is before the as-of day and its rating
does not mean done: "by March 2026" is overdue from 1 April 2026. A deadline that names
no calendar dates ("TBC", "Summer" with no year) never passes. The variants below differ
on purpose, and each says why; every command, report, handout and lint rule uses one of
them rather than comparing dates itself.
"""

from __future__ import annotations

from datetime import date

from planctl.core.dates import FuzzyDate


def deadline_passed(deadline: FuzzyDate | None, as_of: date) -> bool:
    """The deadline's last day is before ``as_of`` (an unresolved phrase never passes)."""
    return deadline is not None and deadline.end is not None and deadline.end < as_of


def is_overdue(deadline: FuzzyDate | None, *, done: bool, as_of: date) -> bool:
    """Deadline passed and not done: what ``overdue``, ``show`` and the tables mark red.

    Any kind of item counts, and an unrated item is not done: nothing says it was.
    """
    return not done and deadline_passed(deadline, as_of)


def is_overdue_action(deadline: FuzzyDate | None, *, done: bool, actionable: bool, as_of: date) -> bool:
    """:func:`is_overdue` for an action, objective or recommendation only.

    Reports, handouts, ``leads`` and ``stats`` count promises: a finding or a quote of
    what people said has a date but is not a promise that can be late.
    """
    return actionable and is_overdue(deadline, done=done, as_of=as_of)

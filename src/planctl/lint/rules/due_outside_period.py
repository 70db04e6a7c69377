"""A deadline falls outside the plan's period.

## What it does
Reports each deadline (an item's or outcome's `due:`, or a date named in an outcome's
text) that ends before the plan's period starts or starts after it ends. The period is
`period.start` / `period.end`; when those are absent and `period.text` is a range of
years such as "2018-2021" or "2024 to 2026", it is read as running from the start of
the first year to the end of the last, where a year starts in April (UK public bodies
plan in financial years; see the option).

## Why is this bad?
A deadline before the plan began is usually a typing slip ("Mar 18" for "Mar 19") or
work carried over that should say so; one after the plan ends promises something the
plan will not be around to check.

## Options
- `year_start_month` (whole number, default 4): the month a year of a "2018-2021"
  period starts in; 1 reads it as calendar years.

## Example
```yaml
id: example
title: Example plan 2018-2021
period: {text: 2018-2021}
sections:
  - id: carers
    title: Carers
    leads: [Head of Service]
    items:
      - id: A1
        title: Offer every carer an assessment.
        due: Mar 18
```

## Use instead
```yaml
id: example
title: Example plan 2018-2021
period: {text: 2018-2021}
sections:
  - id: carers
    title: Carers
    leads: [Head of Service]
    items:
      - id: A1
        title: Offer every carer an assessment.
        due: Mar 19
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from planctl.core.diagnostics import Severity
from planctl.core.models import Plan, item_deadlines
from planctl.lint.base import Finding, RuleContext

CODE = "PL205"
NAME = "due-outside-period"
SEVERITY = Severity.WARNING

_YEARS = re.compile(r"\s*(\d{4})\s*(?:-|–|—|to)\s*(\d{4})\s*")


@dataclass(frozen=True, slots=True)
class Options:
    year_start_month: int = 4


def plan_period(plan: Plan, year_start_month: int = 4) -> tuple[date | None, date | None]:
    """The period's first and last day, from its dates or a "2018-2021" text."""
    period = plan.period
    if period is None:
        return None, None
    start, end = period.start, period.end
    if (start is None or end is None) and period.text:
        m = _YEARS.fullmatch(period.text)
        if m and int(m[1]) <= int(m[2]) and 1 <= year_start_month <= 12:
            first, last = int(m[1]), int(m[2])
            text_start = date(first, year_start_month, 1)
            if year_start_month == 1:
                text_end = date(last, 12, 31)
            else:
                text_end = date(last, year_start_month, 1) - timedelta(days=1)
            start, end = start or text_start, end or text_end
    return start, end


def check(ctx: RuleContext) -> Iterator[Finding]:
    start, end = plan_period(ctx.plan, ctx.options.year_start_month)
    if start is None and end is None:
        return
    span = f"{start or '…'} to {end or '…'}"
    for loc in ctx.items:
        item = loc.item
        for path, due in item_deadlines(item, loc.path, named_in_text=True):
            if due.start is None or due.end is None:
                continue
            if start is not None and due.end < start:
                where = "before the plan's period starts"
            elif end is not None and due.start > end:
                where = "after the plan's period ends"
            else:
                continue
            yield Finding(
                path,
                f"deadline {due.text!r} ({due.words()}) is {where} ({span})",
                item=item.id,
                hint="check the year; if it is right, say why in the item's text",
            )

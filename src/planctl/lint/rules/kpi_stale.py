"""A measure has no figure for the latest period that has ended.

## What it does
Reports each KPI series (one per area) whose latest figure is for a period followed by
another of the same length that ended before the as-of date (`--as-of`, default today),
less `grace_days`. A measure reported by financial year with figures up to 2023/24 is
reported once 2024/25 has ended; a monthly one once the next month has. Figures for a
single day or a period of no whole months say nothing about how often the measure is
reported and are not judged.

## Why is this bad?
A board reading last year's figure as this year's draws the wrong conclusion; a gap in
the series is either a figure to record or a measure no longer collected.

## Options
- `grace_days` (whole number, default 0): how long after a period ends its figure may
  take to arrive (statutory returns are often published months later).

## Example
```yaml
id: example
title: Example plan
kpis:
  - id: K1
    name: People supported at home
    observations:
      - {period: 2023/24, value: 71.3, text: 71.3%}
```

## Use instead
```yaml
id: example
title: Example plan
kpis:
  - id: K1
    name: People supported at home
    observations:
      - {period: 2023/24, value: 71.3, text: 71.3%}
      - {period: 2024/25, value: 72.0, text: 72.0%}
      - {period: 2025/26, value: 73.1, text: 73.1%}
```
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from planctl.core.dates import day_words
from planctl.core.diagnostics import Severity
from planctl.core.kpi import assess
from planctl.lint.base import Finding, RuleContext
from planctl.lint.rules._common import measure_label

CODE = "PL306"
NAME = "kpi-stale"
SEVERITY = Severity.INFO


@dataclass(frozen=True, slots=True)
class Options:
    grace_days: int = 0


def _months(start: dt.date, end: dt.date) -> int | None:
    """The number of whole months from ``start`` to ``end``, or None if not whole months."""
    if start.day != 1 or (end + dt.timedelta(days=1)).day != 1:
        return None
    return (end.year - start.year) * 12 + end.month - start.month + 1


def check(ctx: RuleContext) -> Iterator[Finding]:
    grace = dt.timedelta(days=ctx.options.grace_days)
    for measure in ctx.measures:
        for a in assess(measure, ctx.as_of):
            latest = a.latest
            if latest is None or latest.span.start is None or latest.span.end is None:
                continue
            months = _months(latest.span.start, latest.span.end)
            if months is None:
                continue
            next_end = (
                latest.span.end + dt.timedelta(days=1) + relativedelta(months=months) - dt.timedelta(days=1)
            )
            if next_end + grace >= ctx.as_of:
                continue
            yield Finding(
                (*measure.path, "observations"),
                f"{measure_label(measure.kpi, a.area)}: the latest figure is for "
                f"{latest.period}; the next period ended on {day_words(next_end)} with no figure",
                item=measure.item_id,
                hint="record it: planctl update --kpi ID --period P --value V",
            )

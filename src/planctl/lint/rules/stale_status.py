"""A rating is older than the plan's last rating round, or older than allowed.

## What it does
Reports each item whose rating (`status:` or the latest rated `updates:` entry) is dated
(`status_date:` or the update's `date:`) before the plan's `ratings_as_of:`, so it was
missed in the last round. With the option `max_age_days`, also reports ratings older
than that many days on the as-of date (`--as-of`, default today); an undated rating
counts as given on `ratings_as_of`. The rating is the one the item had on the as-of date:
a rating dated after it was not given yet.

## Why is this bad?
A board reading "Green" assumes it is current. An old rating hides slippage since.

## Options
- `max_age_days` (whole number, default 0 = off): the oldest a rating may be, in days.
  For quarterly boards, 90 is typical: `[tool.planctl.rules.stale-status] max_age_days = 90`.

## Example
```yaml
id: example
title: Example plan
ratings_as_of: 2026-03-31
scales:
  - id: rag
    name: RAG
    values:
      - {key: amber, label: Amber}
      - {key: green, label: Green, done: true}
sections:
  - id: work
    title: Employment
    leads: [Employment Lead]
    items:
      - id: A1
        title: Run the job club.
        due: March 2027
        status: amber
        status_date: 2025-09-30
```

## Use instead
```yaml
id: example
title: Example plan
ratings_as_of: 2026-03-31
scales:
  - id: rag
    name: RAG
    values:
      - {key: amber, label: Amber}
      - {key: green, label: Green, done: true}
sections:
  - id: work
    title: Employment
    leads: [Employment Lead]
    items:
      - id: A1
        title: Run the job club.
        due: March 2027
        status: amber
        status_date: 2026-03-31
```
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

from planctl.core.diagnostics import Severity
from planctl.lint.base import Finding, RuleContext

CODE = "PL303"
NAME = "stale-status"
SEVERITY = Severity.WARNING


@dataclass(frozen=True, slots=True)
class Options:
    max_age_days: int = 0


def check(ctx: RuleContext) -> Iterator[Finding]:
    round_date = ctx.plan.ratings_as_of
    max_age = ctx.options.max_age_days
    oldest = ctx.as_of - timedelta(days=max_age) if max_age > 0 else None
    for loc in ctx.items:
        item = loc.item
        step = ctx.plan.rating_of(item, ctx.as_of)  # the rating then, not one given later
        if step is None:
            continue
        status, when = step.status, step.date
        path = (
            (*loc.path, "status_date" if item.status_date else "status")
            if step.from_status
            else (*loc.path, "updates")
        )
        if when is not None and round_date is not None and when < round_date:
            yield Finding(
                path,
                f"rating {status!r} is dated {when}, before the plan's ratings_as_of {round_date}",
                item=item.id,
                hint="re-rate the item in this round, or give the date it was confirmed",
            )
            continue
        rated_on = when or round_date
        if oldest is not None and rated_on is not None and rated_on < oldest:
            yield Finding(
                path,
                f"rating {status!r} dates from {rated_on}, more than {max_age} days before {ctx.as_of}",
                item=item.id,
                hint="ask the lead for a current rating",
            )

"""An item's deadline has passed and it has no rating.

## What it does
Reports each actionable item in a plan that has a rating scale when the item's deadline
ended before the as-of date (`--as-of`, default today) and it had no rating on that date
(neither `status:` nor a rated `updates:` entry given by then). Plans with no `scales:` do not track ratings and are skipped.

## Why is this bad?
Once the date has passed the question "was it done?" has an answer; a plan that does not
record it cannot show progress to its board.

## Options
None.

## Example
Checked as of 1 June 2026:
```yaml
id: example
title: Example plan
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
        title: Publish the employment figures.
        due: March 2026
```

## Use instead
```yaml
id: example
title: Example plan
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
        title: Publish the employment figures.
        due: March 2026
        updates:
          - {date: 2026-04-10, status: green, note: Published on the website.}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from planctl.core.diagnostics import Severity
from planctl.lint.base import Finding, RuleContext
from planctl.lint.rules._common import item_label

CODE = "PL302"
NAME = "status-missing"
SEVERITY = Severity.WARNING


def check(ctx: RuleContext) -> Iterator[Finding]:
    if not ctx.plan.scales:
        return
    for loc in ctx.items:
        item = loc.item
        if not item.actionable or item.repeats is not None:
            continue
        deadline = item.deadline
        if deadline is None or deadline.end is None or deadline.end >= ctx.as_of:
            continue
        if ctx.plan.rating_of(item, ctx.as_of) is not None or ctx.plan.scale(loc.scale_id) is None:
            continue
        yield Finding(
            (*loc.path, "id"),
            f"{item_label(item.kind, item.number, item.id)} was due {deadline.words()} and has no rating",
            item=item.id,
            hint="add 'status:' (with 'status_date:') or an 'updates:' entry with a status",
        )

"""An item's deadline has passed and its rating does not say it is done.

## What it does
Reports each item with a rating (`status:` or the latest rated `updates:` entry, as of
the as-of date) whose deadline ended before the as-of date (`--as-of`, default today)
while the rating is not one marked `done: true` on its scale. A rating dated after the
as-of date was not given yet. Recurring items are not reported.

## Why is this bad?
Overdue open work is what a board needs to see first. Either the work is late (say so,
and give a new date) or it is done and the rating is out of date.

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
        status: amber
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
        status: green
        status_date: 2026-04-02
```
"""

from __future__ import annotations

from collections.abc import Iterator

from planctl.core.diagnostics import Severity
from planctl.core.overdue import deadline_passed
from planctl.lint.base import Finding, RuleContext

CODE = "PL301"
NAME = "overdue-open"
SEVERITY = Severity.WARNING


def check(ctx: RuleContext) -> Iterator[Finding]:
    for loc in ctx.items:
        item = loc.item
        deadline = item.deadline
        if deadline is None or not deadline_passed(deadline, ctx.as_of):
            continue
        if item.repeats is not None:
            continue
        step = ctx.plan.rating_of(item, ctx.as_of)  # the rating then, not one given later
        if step is None:
            continue  # status-missing reports it
        scale = ctx.plan.scale(loc.scale_id)
        value = scale.find(step.status) if scale else None
        if value is None or value.done:
            continue
        yield Finding(
            (*loc.path, "status") if step.from_status else (*loc.path, "updates"),
            f"due {deadline.words()} ({deadline.text!r}) and still rated {value.label!r} on {ctx.as_of}",
            item=item.id,
            hint="update the rating, or record why it is late and the new date",
        )

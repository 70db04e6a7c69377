"""A deadline is only a season or a phrase without a year.

## What it does
Reports each `due:` (on an item or an outcome) that is a season ("Summer 2026") or has
no year ("March", "later this year", "in the autumn").

## Why is this bad?
A season spans three months and people disagree on where it starts; a month without a
year could be any year. Such deadlines sort and report poorly, and "is it late?" gets a
different answer from each reader.

## Options
None.

## Example
```yaml
id: example
title: Example plan
sections:
  - id: work
    title: Employment
    leads: [Employment Lead]
    items:
      - id: A1
        title: Publish the employment figures.
        due: later this year
```

## Use instead
```yaml
id: example
title: Example plan
sections:
  - id: work
    title: Employment
    leads: [Employment Lead]
    items:
      - id: A1
        title: Publish the employment figures.
        due: December 2026
```
"""

from __future__ import annotations

from collections.abc import Iterator

from planctl.core.diagnostics import Severity
from planctl.core.models import item_deadlines
from planctl.lint.base import Finding, RuleContext

CODE = "PL202"
NAME = "vague-due"
SEVERITY = Severity.WARNING


def check(ctx: RuleContext) -> Iterator[Finding]:
    for loc in ctx.items:
        item = loc.item
        for path, due in item_deadlines(item, loc.path):
            if due.is_vague:
                yield Finding(
                    path,
                    f"vague deadline {due.text!r} ({due.precision.value})",
                    item=item.id,
                    hint="give a month and year, e.g. 'August 2026'",
                )

"""An action, objective or recommendation has no deadline and does not recur.

## What it does
Reports each actionable item (kind `action`, `objective` or `recommendation`) with no
`due:`, no deadline named in any outcome ("... by April 2026") and no `recurrence:`
(on the item or in an outcome's text, e.g. "every month").

## Why is this bad?
Without a date nobody can say whether the work is late, and it never appears in
"what is due before April?". A rough date ("Q3 2025/26", "2026") is far better than none.

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
        title: Run a job fair with local employers.
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
        title: Run a job fair with local employers.
        due: Q3 2026/27
      - id: A2
        title: Meet the employers' forum.
        recurrence: every 3 months
```
"""

from __future__ import annotations

from collections.abc import Iterator

from planctl.core.diagnostics import Severity
from planctl.lint.base import Finding, RuleContext
from planctl.lint.rules._common import item_label

CODE = "PL201"
NAME = "missing-due"
SEVERITY = Severity.WARNING


def check(ctx: RuleContext) -> Iterator[Finding]:
    for loc in ctx.items:
        item = loc.item
        if not item.actionable or item.deadline is not None or item.repeats is not None:
            continue
        yield Finding(
            (*loc.path, "id"),
            f"{item_label(item.kind, item.number, item.id)} has no deadline",
            item=item.id,
            hint="add 'due:' (e.g. 'March 2026', 'Q3 2025/26') or 'recurrence:' if it repeats",
        )

"""A deadline's text cannot be read as a date.

## What it does
Reports each `due:` (on an item or an outcome) whose text planctl cannot turn into a
calendar interval, such as "ongoing", "when funding allows" or "March 20" (a day or a
year?). Impossible dates ("30 February 2026") are already validation errors. When the
text reads as a recurrence ("every 6 to 8 weeks", "monthly"), the hint says to move it
to `recurrence:`, since a recurrence is not a deadline.

## Why is this bad?
An unreadable deadline is left out of every date query: the item is never due, never
late and never in a report of upcoming work.

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
        title: Review the job club.
        due: when funding allows
```

## Use instead
Write the deadline in one of the forms `planctl` reads ("March 2026", "Q4 2025/26",
"2026", "early April 2026"), and keep conditions in the text:
```yaml
id: example
title: Example plan
sections:
  - id: work
    title: Employment
    leads: [Employment Lead]
    items:
      - id: A1
        title: Review the job club.
        text: Subject to funding.
        due: March 2027
```
"""

from __future__ import annotations

from collections.abc import Iterator

from planctl.core.dates import DEADLINE_FORMS, Precision, Recurrence, parse_recurrence
from planctl.core.diagnostics import Severity
from planctl.core.models import item_deadlines
from planctl.lint.base import Finding, RuleContext

CODE = "PL203"
NAME = "unresolved-due"
SEVERITY = Severity.WARNING


def _hint(due_text: str, has: Recurrence | None) -> str:
    """What to do: a recurrence written as a deadline belongs in ``recurrence:``."""
    found = parse_recurrence(due_text)
    if found is None:
        return f"write it as one of: {DEADLINE_FORMS}"
    if has is not None:
        return (
            f"a recurrence is not a deadline: remove 'due:' (the record already has 'recurrence: {has.text}')"
        )
    return f"a recurrence is not a deadline: move it to 'recurrence: {found.text}' and remove 'due:'"


def check(ctx: RuleContext) -> Iterator[Finding]:
    for loc in ctx.items:
        item = loc.item
        for path, due in item_deadlines(item, loc.path):
            if due.precision is Precision.UNRESOLVED:
                # the item's own due is at (*loc.path, "due"), an outcome's at (..., "outcomes", k, "due")
                k = path[len(loc.path) + 1] if len(path) == len(loc.path) + 3 else None
                has = item.outcomes[k].recurrence if isinstance(k, int) else item.recurrence
                yield Finding(
                    path,
                    f"cannot read deadline {due.text!r} as a date",
                    item=item.id,
                    hint=_hint(due.text, has),
                )

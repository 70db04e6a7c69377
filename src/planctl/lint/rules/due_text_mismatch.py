"""An outcome's text names a different deadline from the explicit `due:`.

## What it does
Finds a deadline named in each outcome's text ("... agreed by April 2026") and compares
it with the outcome's own `due:`, or else the item's `due:`. When the two periods do not
overlap at all, the text and the data disagree and one of them is wrong.

## Why is this bad?
Reports and queries use `due:`, while people read the text. When a plan is revised and
only one of them is updated, the board is told one date and the report shows another.

## Options
None.

## Example
```yaml
id: example
title: Example plan
sections:
  - id: money
    title: Funding
    leads: [Finance Lead]
    items:
      - id: A1
        title: Agree the pooled budget.
        due: March 2026
        outcomes:
          - text: By June 2026 the money will be agreed.
```

## Use instead
```yaml
id: example
title: Example plan
sections:
  - id: money
    title: Funding
    leads: [Finance Lead]
    items:
      - id: A1
        title: Agree the pooled budget.
        due: June 2026
        outcomes:
          - text: By June 2026 the money will be agreed.
```
"""

from __future__ import annotations

from collections.abc import Iterator

from planctl.core.dates import FuzzyDate, find_date
from planctl.core.diagnostics import Severity
from planctl.lint.base import Finding, RuleContext

CODE = "PL204"
NAME = "due-text-mismatch"
SEVERITY = Severity.WARNING


def _disjoint(a: FuzzyDate, b: FuzzyDate) -> bool:
    if a.start is None or a.end is None or b.start is None or b.end is None:
        return False
    return a.end < b.start or b.end < a.start


def check(ctx: RuleContext) -> Iterator[Finding]:
    for loc in ctx.items:
        item = loc.item
        for k, outcome in enumerate(item.outcomes):
            explicit = outcome.due or item.due
            if explicit is None or not explicit.resolved:
                continue
            # without its own due, the outcome's deadline *is* the date in its text (cached)
            named = (
                find_date(outcome.text, recurring=outcome.recurring)
                if outcome.due is not None
                else outcome.deadline
            )
            if named is None or not named.resolved or not _disjoint(named, explicit):
                continue
            where = "the outcome's" if outcome.due is not None else "the item's"
            yield Finding(
                (*loc.path, "outcomes", k, "text"),
                f"the text says {named.text!r} ({named.words()}) but {where} due is "
                f"{explicit.text!r} ({explicit.words()})",
                item=item.id,
                hint="make 'due:' and the text agree",
            )

"""An action has no easy-read words, so the handout falls back to its title.

## What it does
In a plan that takes part in easy read, reports each action, objective or
recommendation without `easy_read:` text. A plan takes part once it has any
`easy_read:` text (on the plan, a section, an item or a glossary entry) or has the tag
`easy-read`; other plans are never reported, so the rule costs nothing until a plan
starts an easy-read version.

## Why is this bad?
`planctl render --template easy-read.html` uses an item's title where it has no easy
words, and titles are written for officers ("Review and analyse the current market for
outreach"). People with a learning disability need the same promise in short, common
words.

## Options
None.

## Example
```yaml
id: example
title: Example plan
easy_read: This is our plan for the next two years.
sections:
  - id: work
    title: Employment
    leads: [Employment Lead]
    items:
      - id: A1
        title: Review and analyse the current market for supported employment.
        due: April 2026
```

## Use instead
```yaml
id: example
title: Example plan
easy_read: This is our plan for the next two years.
sections:
  - id: work
    title: Employment
    leads: [Employment Lead]
    items:
      - id: A1
        title: Review and analyse the current market for supported employment.
        due: April 2026
        easy_read: We will find out which jobs and job help there are.
```
"""

from __future__ import annotations

from collections.abc import Iterator

from planctl.core.diagnostics import Severity
from planctl.lint.base import Finding, RuleContext
from planctl.lint.rules._common import item_label
from planctl.lint.rules._easy_read import opted_in

CODE = "PL502"
NAME = "missing-easy-read"
SEVERITY = Severity.INFO


def check(ctx: RuleContext) -> Iterator[Finding]:
    if not opted_in(ctx):
        return
    for loc in ctx.items:
        item = loc.item
        if item.actionable and not item.easy_read:
            yield Finding(
                (*loc.path, "id"),
                f"{item_label(item.kind, item.number, item.id)} has no easy_read text; the handout uses its title",
                item=item.id,
                hint="add 'easy_read:' with short sentences in common words",
            )

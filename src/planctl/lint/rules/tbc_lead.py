"""A lead is only "TBC" (or "to be confirmed", "TBA").

## What it does
Reports each item or section whose `leads:` are all placeholders such as "TBC",
"tbc", "to be confirmed", "TBA" or "to be agreed".

## Why is this bad?
"TBC" is a promise to name someone later; it is easy for "later" never to come. A
placeholder lead should be followed up, not mistaken for a named one.

## Options
None.

## Example
```yaml
id: example
title: Example plan
sections:
  - id: work-plan
    title: Forward work plan
    items:
      - id: T1
        title: Report on transitions.
        due: March 2026
        leads: [TBC]
```

## Use instead
```yaml
id: example
title: Example plan
sections:
  - id: work-plan
    title: Forward work plan
    items:
      - id: T1
        title: Report on transitions.
        due: March 2026
        leads: [Head of Service for Transitions]
```
"""

from __future__ import annotations

from collections.abc import Iterator

from planctl.core.diagnostics import Severity
from planctl.core.models import is_tbc
from planctl.lint.base import Finding, RuleContext

CODE = "PL102"
NAME = "tbc-lead"
SEVERITY = Severity.WARNING


def check(ctx: RuleContext) -> Iterator[Finding]:
    for section, _parents, path in ctx.sections:
        if section.leads and all(is_tbc(lead) for lead in section.leads):
            yield Finding(
                (*path, "leads"),
                f"section {section.id} has only a placeholder lead ({section.leads[0].label()})",
                hint="name the lead once it is agreed",
            )
    for loc in ctx.items:
        item = loc.item
        if item.leads and all(is_tbc(lead) for lead in item.leads):
            yield Finding(
                (*loc.path, "leads"),
                f"item {item.id} has only a placeholder lead ({item.leads[0].label()})",
                item=item.id,
                hint="name the lead once it is agreed",
            )

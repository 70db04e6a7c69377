"""An action, objective or recommendation has nobody leading it.

## What it does
Reports each actionable item (kind `action`, `objective` or `recommendation`) that has
no `leads:` of its own and none on an enclosing section. A lead that is only the plan's
owner organisation (one of `owners:`) does not count: "the Council" names nobody who
can be asked. Feedback, topics and other kinds of item are not reported.

## Why is this bad?
An action nobody leads is an action nobody will report on. Boards and scrutiny
committees ask "who leads this?" first; the plan should answer it.

## Options
None.

## Example
```yaml
id: example
title: Example plan
owners: [Example Council]
sections:
  - id: homes
    title: Homes
    items:
      - id: A1
        title: Open a housing advice line.
        due: April 2026
        leads: [Example Council]
```

## Use instead
Name a person, role or team, on the item or on its section:
```yaml
id: example
title: Example plan
owners: [Example Council]
sections:
  - id: homes
    title: Homes
    leads: [Head of Housing]
    items:
      - id: A1
        title: Open a housing advice line.
        due: April 2026
```
If the source names no lead, keep it blank: the finding is the gap to raise with the
plan's owners. To accept it, add `# planctl: ignore[missing-lead]` above the item.
"""

from __future__ import annotations

from collections.abc import Iterator

from planctl.core.diagnostics import Severity
from planctl.core.models import is_tbc
from planctl.lint.base import Finding, RuleContext
from planctl.lint.rules._common import is_owner, item_label, owner_names

CODE = "PL101"
NAME = "missing-lead"
SEVERITY = Severity.WARNING


def check(ctx: RuleContext) -> Iterator[Finding]:
    owners = owner_names(ctx.plan)
    for loc in ctx.items:
        item = loc.item
        if not item.actionable:
            continue
        leads = loc.leads
        if not leads:
            message = f"{item_label(item.kind, item.number, item.id)} has no lead"
            hint = "add 'leads:' naming a person, role or team, on the item or its section"
        elif all(is_owner(lead, owners) for lead in leads):
            message = f"{item_label(item.kind, item.number, item.id)} is led only by the plan's owner ({leads[0].label()})"
            hint = "name the person, role or team within the organisation"
        elif any(is_tbc(lead) for lead in leads):
            continue  # tbc-lead reports it
        else:
            continue
        yield Finding((*loc.path, "id"), message, item=item.id, hint=hint)

"""A link points at an item or plan that does not exist.

## What it does
Checks each entry of an item's `links:`. A link is the id of an item or section in the
same plan, or `plan-id:item-id` for one in another plan. The other plan must be among
the plans checked together, so lint the whole folder (`planctl lint plans/`), not one file.

## Why is this bad?
A broken link sends a reader nowhere, and reports that follow links (what depends on
what) silently lose the connection. Usually an id was renamed or mistyped.

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
        title: Write the employment plan.
        due: April 2026
      - id: A2
        title: Run the job fair the plan describes.
        due: June 2026
        links: [A3]
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
        title: Write the employment plan.
        due: April 2026
      - id: A2
        title: Run the job fair the plan describes.
        due: June 2026
        links: [A1]
```
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from planctl.diagnostics import Severity
from planctl.lint.base import Finding, RuleContext
from planctl.models import Plan, walk_items, walk_sections

CODE = "PL402"
NAME = "dangling-link"
SEVERITY = Severity.ERROR


@dataclass(frozen=True, slots=True)
class Options:
    pass


def _ids(plan: Plan) -> set[str]:
    return {s.id for s, _p, _path in walk_sections(plan.sections)} | {loc.item.id for loc in walk_items(plan)}


def check(ctx: RuleContext) -> Iterator[Finding]:
    local = {s.id for s, _p, _path in ctx.sections} | {loc.item.id for loc in ctx.items}
    others: dict[str, set[str]] = {}  # ids of other plans, computed once each, when linked
    for loc in ctx.items:
        for k, link in enumerate(loc.item.links):
            target = link.strip()
            if target in local:
                continue
            plan_id, sep, item_id = target.partition(":")
            if sep and plan_id == ctx.plan.id and item_id in local:
                continue
            if sep and plan_id in ctx.plans and plan_id != ctx.plan.id:
                if plan_id not in others:
                    others[plan_id] = _ids(ctx.plans[plan_id])
                if item_id in others[plan_id]:
                    continue
                message = f"link {link!r}: plan {plan_id!r} has no item or section {item_id!r}"
            elif sep and plan_id != ctx.plan.id:
                message = (
                    f"link {link!r}: no item {target!r} here and no plan {plan_id!r} among those checked"
                )
            else:
                message = f"link {link!r}: no item or section with that id in this plan"
            yield Finding(
                (*loc.path, "links", k),
                message,
                item=loc.item.id,
                hint="check the id; lint the whole plans/ folder so other plans are found",
            )

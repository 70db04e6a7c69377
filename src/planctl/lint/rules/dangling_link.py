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

from planctl.core.diagnostics import Severity
from planctl.core.models import walk_items, walk_sections
from planctl.lint.base import Finding, ProjectFinding, RuleContext, Scope
from planctl.lint.results import Outcome

CODE = "PL402"
NAME = "dangling-link"
SEVERITY = Severity.ERROR
SCOPE = Scope.PROJECT  # a link into another plan is judged once every plan is read
HINT = "check the id; lint the whole plans/ folder so other plans are found"


def check(ctx: RuleContext) -> Iterator[Finding | ProjectFinding]:
    """Broken links within the plan, and the links into other plans (judged by the engine
    once every plan is read). Needs nothing but the plan itself, so it runs per file (in
    parallel, or cached)."""
    # Every id of the plan, closed work's too: ctx.items leaves closed work out of the
    # checks, but an item may still link to it.
    local = {s.id for s, _p, _path in walk_sections(ctx.plan.sections)} | {
        loc.item.id for loc in walk_items(ctx.plan)
    }
    for loc in ctx.items:
        for k, link in enumerate(loc.item.links):
            target = link.strip()
            if target in local:
                continue
            plan_id, sep, item_id = target.partition(":")
            if sep and plan_id == ctx.plan.id and item_id in local:
                continue
            path = (*loc.path, "links", k)
            if sep and plan_id != ctx.plan.id:
                messages = {
                    Outcome.NO_PLAN: f"link {link!r}: no item {target!r} here and no plan {plan_id!r} among those checked",
                    Outcome.NO_ITEM: f"link {link!r}: plan {plan_id!r} has no item or section {item_id!r}",
                }
                yield ProjectFinding(
                    Finding(path, "", item=loc.item.id, hint=HINT), plan_id, item_id, messages
                )
                continue
            yield Finding(
                path,
                f"link {link!r}: no item or section with that id in this plan",
                item=loc.item.id,
                hint=HINT,
            )

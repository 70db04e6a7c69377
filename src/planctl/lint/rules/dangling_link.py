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

from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass

from planctl.core.diagnostics import Severity
from planctl.core.models import Plan, walk_items, walk_sections
from planctl.lint.base import Finding, RuleContext

CODE = "PL402"
NAME = "dangling-link"
SEVERITY = Severity.ERROR
HINT = "check the id; lint the whole plans/ folder so other plans are found"


@dataclass(frozen=True, slots=True)
class Options:
    pass


@dataclass(frozen=True, slots=True)
class CrossLink:
    """A link into another plan: it can only be judged once every plan is known."""

    finding: Finding  # where it is and which item; the message comes from :func:`judge`
    link: str  # as written
    plan_id: str
    item_id: str


def plan_ids(plan: Plan) -> set[str]:
    """Every id a link may name in ``plan``: its sections' and items'."""
    return {s.id for s, _p, _path in walk_sections(plan.sections)} | {loc.item.id for loc in walk_items(plan)}


def check_local(ctx: RuleContext) -> Iterator[Finding | CrossLink]:
    """Broken links within the plan, and the links into other plans (not yet judged).

    Needs nothing but the plan itself, so it runs per file (in parallel, or cached).
    """
    local = {s.id for s, _p, _path in ctx.sections} | {loc.item.id for loc in ctx.items}
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
                yield CrossLink(Finding(path, "", item=loc.item.id, hint=HINT), link, plan_id, item_id)
                continue
            yield Finding(
                path,
                f"link {link!r}: no item or section with that id in this plan",
                item=loc.item.id,
                hint=HINT,
            )


def judge(link: str, plan_id: str, item_id: str, ids: Collection[str] | None) -> str | None:
    """The message for a link into plan ``plan_id`` (whose ``ids``, None when not checked)."""
    if ids is None:
        return f"link {link!r}: no item {link.strip()!r} here and no plan {plan_id!r} among those checked"
    if item_id in ids:
        return None
    return f"link {link!r}: plan {plan_id!r} has no item or section {item_id!r}"


def check(ctx: RuleContext) -> Iterator[Finding]:
    others: dict[str, set[str]] = {}  # ids of other plans, computed once each, when linked

    def ids(plan_id: str) -> set[str] | None:
        if plan_id not in ctx.plans:
            return None
        if plan_id not in others:
            others[plan_id] = plan_ids(ctx.plans[plan_id])
        return others[plan_id]

    yield from resolve(check_local(ctx), ids)


def resolve(
    found: Iterator[Finding | CrossLink], ids: Callable[[str], Collection[str] | None]
) -> Iterator[Finding]:
    """Findings from :func:`check_local`, with cross-plan links judged against ``ids``."""
    for f in found:
        if isinstance(f, Finding):
            yield f
            continue
        message = judge(f.link, f.plan_id, f.item_id, ids(f.plan_id))
        if message is not None:
            yield Finding(f.finding.path, message, item=f.finding.item, hint=f.finding.hint)

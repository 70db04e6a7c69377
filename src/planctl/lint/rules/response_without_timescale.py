"""An accepted or partially accepted recommendation has no timescale.

## What it does
Reports each item with a `response:` whose `decision` is accepted or partially accepted
(any decision named in the option `decisions`, by key or label) when the response gives
no `timescale`.

## Why is this bad?
Accepting a recommendation is a promise to act; without a timescale the scrutiny
committee cannot tell when to ask for an update, and the promise cannot be late.

## Options
- `decisions` (list of text, default `["accepted", "partially accepted",
  "partially-accepted", "agreed"]`): decisions that commit to action.

## Example
```yaml
id: example
title: Example plan
scales:
  - id: decision
    name: Decision
    values:
      - {key: accepted, label: Accepted}
      - {key: partially-accepted, label: Partially accepted}
      - {key: rejected, label: Rejected}
sections:
  - id: recs
    title: Recommendations
    items:
      - id: R1
        kind: recommendation
        title: Publish the employment figures.
        leads: [Cabinet Member for Adults]
        due: June 2026
        response:
          decision: partially-accepted
          action: Figures will be in the annual report.
```

## Use instead
```yaml
id: example
title: Example plan
scales:
  - id: decision
    name: Decision
    values:
      - {key: accepted, label: Accepted}
      - {key: partially-accepted, label: Partially accepted}
      - {key: rejected, label: Rejected}
sections:
  - id: recs
    title: Recommendations
    items:
      - id: R1
        kind: recommendation
        title: Publish the employment figures.
        leads: [Cabinet Member for Adults]
        due: June 2026
        response:
          decision: partially-accepted
          action: Figures will be in the annual report.
          timescale: December 2026
```
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from planctl.core.diagnostics import Severity
from planctl.lint.base import Finding, RuleContext

CODE = "PL601"
NAME = "response-without-timescale"
SEVERITY = Severity.WARNING


@dataclass(frozen=True, slots=True)
class Options:
    decisions: tuple[str, ...] = ("accepted", "partially accepted", "partially-accepted", "agreed")


def check(ctx: RuleContext) -> Iterator[Finding]:
    wanted = {d.casefold() for d in ctx.options.decisions}
    for loc in ctx.items:
        response = loc.item.response
        if response is None or not response.decision or (response.timescale or "").strip():
            continue
        names = {response.decision.casefold()}
        scale = ctx.plan.scale(response.scale or "decision")
        value = scale.find(response.decision) if scale else None
        if value is not None:
            names |= {value.key.casefold(), value.label.casefold()}
        if names & wanted:
            label = value.label if value else response.decision
            yield Finding(
                (*loc.path, "response", "decision"),
                f"response is {label!r} but gives no timescale",
                item=loc.item.id,
                hint="add 'timescale:' to the response, as the response document words it",
            )

"""A measure's target date has passed and its latest figure does not meet the target.

## What it does
Reports each KPI whose `target:` has a value and a deadline (`due:`, or the date its text
names, "by August 2026") that ended before the as-of date (`--as-of`, default today),
and whose latest figure on that day (per area) does not meet it. "Meets" follows the
measure's direction: its `polarity`, else the one the target implies (a target above the
first figure means higher is better); with neither, only the target value itself meets it.

## Why is this bad?
A missed target is the finding a board most needs to see, and a new target or an
explanation is the response it expects.

## Options
None.

## Example
```yaml
id: example
title: Example plan
kpis:
  - id: K1
    name: Schools in the relational schools project
    target: {value: 51, text: 51 schools, due: by March 2026}
    observations:
      - {period: 2024/25, value: 30, text: "30"}
      - {period: 2025/26, value: 44, text: "44"}
```

## Use instead
```yaml
id: example
title: Example plan
kpis:
  - id: K1
    name: Schools in the relational schools project
    target: {value: 51, text: 51 schools, due: by March 2026}
    observations:
      - {period: 2024/25, value: 30, text: "30"}
      - {period: 2025/26, value: 52, text: "52"}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from planctl.core.diagnostics import Severity
from planctl.core.kpi import assess, format_number
from planctl.lint.base import Finding, RuleContext
from planctl.lint.rules._common import measure_label

CODE = "PL305"
NAME = "kpi-target-missed"
SEVERITY = Severity.WARNING


def check(ctx: RuleContext) -> Iterator[Finding]:
    for measure in ctx.measures:
        target = measure.kpi.target
        if target is None or target.value is None:
            continue
        for a in assess(measure, ctx.as_of):
            if a.target_state != "missed" or a.latest is None:
                continue
            deadline = target.deadline
            when = deadline.words() if deadline is not None else ""
            wanted = target.text or format_number(target.value)
            yield Finding(
                (*measure.path, "target"),
                f"{measure_label(measure.kpi, a.area)} is {a.latest.label} ({a.latest.period}); "
                f"its target {wanted} by {when} was not met",
                item=measure.item_id,
                hint="record the figure that met it (planctl update --kpi), or set a new target and say why",
            )

"""A measure of success has no target.

## What it does
Reports each KPI (in the plan's, a section's or an item's `kpis:`) with no `target:`.

## Why is this bad?
A figure with nothing to compare it to says what happened, not whether it is good
enough. A target (a value and a date, "51 schools by August 2026") lets `planctl kpis`
say met, on track or off track. Where the source sets none, this finding records that.

## Options
None.

## Example
```yaml
id: example
title: Example plan
kpis:
  - id: K1
    name: EHCPs completed within 20 weeks
    unit: percent
    observations:
      - {period: 2024/25, value: 58.5, text: 58.5%}
```

## Use instead
```yaml
id: example
title: Example plan
kpis:
  - id: K1
    name: EHCPs completed within 20 weeks
    unit: percent
    target: {value: 60, text: 60%, due: by March 2027}
    observations:
      - {period: 2024/25, value: 58.5, text: 58.5%}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from planctl.core.diagnostics import Severity
from planctl.lint.base import Finding, RuleContext
from planctl.lint.rules._common import measure_label

CODE = "PL304"
NAME = "kpi-without-target"
SEVERITY = Severity.INFO


def check(ctx: RuleContext) -> Iterator[Finding]:
    for measure in ctx.measures:
        kpi = measure.kpi
        if kpi.target is None:
            yield Finding(
                (*measure.path, "name"),
                f"{measure_label(kpi)} has no target",
                hint="add 'target:' with a value and a date, e.g. {value: 60, text: 60%, due: by March 2027}",
            )

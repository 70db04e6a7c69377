"""A figure as printed disagrees with its value or with the measure's unit.

## What it does
Reports each observation (and benchmark) whose `text:` (the figure as printed) holds a
first number other than its `value:` ("58.5%" with `value: 85.5`), or a percentage when
the measure's `unit:` is something else.

## Why is this bad?
Charts, trends and targets read `value:`; readers check `text:` against the source. When
the two disagree one of them is a transcription slip, and every answer built on it is wrong.

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
      - {period: May 2024, value: 85.5, text: 58.5%}
```

## Use instead
```yaml
id: example
title: Example plan
kpis:
  - id: K1
    name: EHCPs completed within 20 weeks
    unit: percent
    observations:
      - {period: May 2024, value: 58.5, text: 58.5%}
```
"""

from __future__ import annotations

import math
from collections.abc import Iterator

from planctl.core.diagnostics import Severity
from planctl.core.kpi import figure_number, format_number
from planctl.core.models import kpi_entries
from planctl.lint.base import Finding, RuleContext
from planctl.lint.rules._common import measure_label

CODE = "PL307"
NAME = "kpi-figure-mismatch"
SEVERITY = Severity.WARNING

_PERCENT_UNITS = frozenset({"percent", "%", "percentage", "per cent"})


def check(ctx: RuleContext) -> Iterator[Finding]:
    for kpi, path, _ in kpi_entries(ctx.plan):
        name = measure_label(kpi)
        figures = [("observations", k, o.text, o.value) for k, o in enumerate(kpi.observations)]
        figures += [("benchmarks", k, b.text, b.value) for k, b in enumerate(kpi.benchmarks)]
        for key, k, text, value in figures:
            if not text:
                continue
            printed = figure_number(text)
            if value is not None and printed is not None and not math.isclose(printed, value, abs_tol=1e-9):
                yield Finding(
                    (*path, key, k, "value"),
                    f"{name}: value {format_number(value)} but the figure as printed is {text!r}",
                    hint=f"check the source; the printed figure reads {format_number(printed)}",
                )
            elif "%" in text and kpi.unit and kpi.unit.strip().casefold() not in _PERCENT_UNITS:
                yield Finding(
                    (*path, key, k, "text"),
                    f"{name}: the figure {text!r} is a percentage but the unit is {kpi.unit!r}",
                    hint="set 'unit: percent', or check the figure",
                )

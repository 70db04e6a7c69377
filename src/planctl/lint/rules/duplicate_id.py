"""Two records share an id where ids must be unique.

## What it does
Reports a repeated evidence `code`, KPI `id` or governance body `id` within a plan, and
a plan `id` used by two files among the plans checked together. (Repeated section and
item ids are validation errors, reported as `invalid`.)

## Why is this bad?
Links and evidence references name records by id; with two records of one id, a link
silently points at whichever is found first, and cross-plan links become ambiguous.

## Options
None.

## Example
```yaml
id: example
title: Example plan
evidence:
  - {code: E1, title: Board minutes}
  - {code: E1, title: Survey results}
sections:
  - id: work
    title: Employment
    items:
      - id: A1
        title: Run the job club.
        kind: topic
        evidence: [E1]
```

## Use instead
```yaml
id: example
title: Example plan
evidence:
  - {code: E1, title: Board minutes}
  - {code: E2, title: Survey results}
sections:
  - id: work
    title: Employment
    items:
      - id: A1
        title: Run the job club.
        kind: topic
        evidence: [E1, E2]
```
"""

from __future__ import annotations

from collections.abc import Iterator

from planctl.core.diagnostics import Severity
from planctl.core.models import KPI
from planctl.lint.base import Finding, ProjectFinding, RuleContext, Scope, YamlPath
from planctl.lint.results import Outcome

CODE = "PL401"
NAME = "duplicate-id"
SEVERITY = Severity.ERROR
SCOPE = Scope.PROJECT  # a plan id used by two files is judged once every plan is read


def _kpis(ctx: RuleContext) -> Iterator[tuple[KPI, YamlPath]]:
    for i, kpi in enumerate(ctx.plan.kpis):
        yield kpi, ("kpis", i)
    for section, _parents, path in ctx.sections:
        for i, kpi in enumerate(section.kpis):
            yield kpi, (*path, "kpis", i)
    for loc in ctx.items:
        for i, kpi in enumerate(loc.item.kpis):
            yield kpi, (*loc.path, "kpis", i)


def check(ctx: RuleContext) -> Iterator[Finding | ProjectFinding]:
    """Repeats within the plan; the plan id across files is judged once all are read."""
    message = f"plan id {ctx.plan.id!r} is also used by another plan file"
    yield ProjectFinding(
        Finding(("id",), message, hint="give each plan its own id"),
        ctx.plan.id,
        None,
        {Outcome.ELSEWHERE: message},
    )
    plan = ctx.plan
    groups: list[tuple[str, list[tuple[str | None, YamlPath]]]] = [
        ("evidence code", [(e.code, ("evidence", i, "code")) for i, e in enumerate(plan.evidence)]),
        ("KPI id", [(k.id, (*p, "id")) for k, p in _kpis(ctx)]),
        ("governance id", [(g.id, ("governance", i, "id")) for i, g in enumerate(plan.governance)]),
    ]
    for what, entries in groups:
        seen: set[str] = set()
        for ident, path in entries:
            if ident is None:
                continue
            if ident in seen:
                yield Finding(path, f"duplicate {what} {ident!r}", hint="ids must be unique within a plan")
            seen.add(ident)

"""Numbered siblings skip a number (1, 2, 4).

## What it does
Looks at the `number:` of the items in each section, and of the sections in each parent.
Numbers are grouped by what comes before their last run of digits ("1.1", "1.2" share
"1."; "PAP2:1" and "PAP2:3" share "PAP2:"), and a group that starts at 1 must go on
without a gap. Groups that do not start at 1 (paragraph numbers, rows continued from an
earlier table) and repeated numbers are not reported.

## Why is this bad?
A missing number usually means a row was lost when the plan was copied from its source,
or a recommendation was dropped without a note. If the source itself skips the number,
say so in a comment and suppress the finding.

## Options
None.

## Example
```yaml
id: example
title: Example plan
sections:
  - id: recs
    title: Recommendations
    leads: [Scrutiny Officer]
    items:
      - {id: R1, number: "1", kind: topic, title: Publish the figures.}
      - {id: R2, number: "2", kind: topic, title: Meet employers.}
      - {id: R4, number: "4", kind: topic, title: Report back in a year.}
```

## Use instead
```yaml
id: example
title: Example plan
sections:
  - id: recs
    title: Recommendations
    leads: [Scrutiny Officer]
    items:
      - {id: R1, number: "1", kind: topic, title: Publish the figures.}
      - {id: R2, number: "2", kind: topic, title: Meet employers.}
      - {id: R3, number: "3", kind: topic, title: Report back in a year.}
```
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Sequence

from planctl.core.diagnostics import Severity
from planctl.lint.base import Finding, RuleContext, YamlPath

CODE = "PL602"
NAME = "numbering-gap"
SEVERITY = Severity.WARNING

_NUMBER = re.compile(r"^(.*?)(\d+)$")


def _gaps(siblings: Sequence[tuple[str | None, YamlPath, str | None]], what: str) -> Iterator[Finding]:
    groups: dict[str, list[tuple[int, YamlPath, str | None]]] = {}
    for number, path, item in siblings:
        m = _NUMBER.match(number.strip()) if number else None
        if m:
            groups.setdefault(m[1], []).append((int(m[2]), path, item))
    for prefix, members in groups.items():
        members.sort(key=lambda m: m[0])
        if members[0][0] != 1:
            continue
        for (before, _p, _i), (after, path, item) in itertools.pairwise(members):
            if after > before + 1:
                missing = (
                    f"{prefix}{before + 1}"
                    if after == before + 2
                    else f"{prefix}{before + 1} to {prefix}{after - 1}"
                )
                yield Finding(
                    (*path, "number"),
                    f"{what} numbered {prefix}{before} then {prefix}{after}: {missing} is missing",
                    item=item,
                    hint="add the missing entry, or note in a comment that the source skips it",
                )


def check(ctx: RuleContext) -> Iterator[Finding]:
    yield from _gaps([(s.number, ("sections", i), None) for i, s in enumerate(ctx.plan.sections)], "sections")
    for section, _parents, path in ctx.sections:
        yield from _gaps(
            [(s.number, (*path, "sections", i), None) for i, s in enumerate(section.sections)], "sections"
        )
        yield from _gaps(
            [(it.number, (*path, "items", j), it.id) for j, it in enumerate(section.items)], "items"
        )

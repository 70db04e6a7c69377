"""An evidence code is not in the plan's evidence catalogue.

## What it does
Checks each code in an item's or section's `evidence:` against the plan's `evidence:`
catalogue (its `code:` values). Plans without a catalogue are not checked: a catalogue
is optional, but once a plan has one, every code it cites must be in it.

## Why is this bad?
Evidence codes stand for documents a reader or inspector is expected to find. A code
that is not in the catalogue is usually a typing or OCR slip ("E9O" for "E90").

## Options
None.

## Example
```yaml
id: example
title: Example plan
evidence:
  - {code: E90, title: EHCP timeliness report}
sections:
  - id: ehcp
    title: EHC plans
    leads: [SEND Lead]
    items:
      - id: P1
        kind: objective
        title: Finish EHC plans within 20 weeks.
        due: April 2026
        evidence: [E9O]
```

## Use instead
```yaml
id: example
title: Example plan
evidence:
  - {code: E90, title: EHCP timeliness report}
sections:
  - id: ehcp
    title: EHC plans
    leads: [SEND Lead]
    items:
      - id: P1
        kind: objective
        title: Finish EHC plans within 20 weeks.
        due: April 2026
        evidence: [E90]
```
"""

from __future__ import annotations

from collections.abc import Iterator

from planctl.core.diagnostics import Severity
from planctl.lint.base import Finding, RuleContext, YamlPath

CODE = "PL403"
NAME = "unknown-evidence"
SEVERITY = Severity.ERROR


_LOOKALIKE = str.maketrans({"O": "0", "o": "0", "l": "1", "I": "1", "i": "1", "S": "5", "s": "5"})


def _shape(code: str) -> str:
    """Codes as OCR or tired eyes confuse them ("E9O", "Afil"): one dict look-up, not a search."""
    return code.strip().translate(_LOOKALIKE).casefold()


def check(ctx: RuleContext) -> Iterator[Finding]:
    known = {e.code for e in ctx.plan.evidence}
    by_shape = {_shape(c): c for c in known}
    if not known:
        return
    cited: list[tuple[str, YamlPath, str | None]] = []
    for section, _parents, path in ctx.sections:
        cited += [(c, (*path, "evidence", k), None) for k, c in enumerate(section.evidence)]
    for loc in ctx.items:
        cited += [(c, (*loc.path, "evidence", k), loc.item.id) for k, c in enumerate(loc.item.evidence)]
    for code, path, item in cited:
        if code in known:
            continue
        close = by_shape.get(_shape(code))
        yield Finding(
            path,
            f"evidence {code!r} is not in the plan's evidence catalogue"
            + (f"; did you mean {close!r}?" if close else ""),
            item=item,
            hint="add it to 'evidence:' at the top of the plan, or correct the code",
        )

"""Easy-read text looks passive ("will be reviewed") rather than saying who acts.

## What it does
Reports phrases in `easy_read:` text that look like the passive voice: a form of "be"
or "get" followed by a past participle ("is checked", "will be written"). It is a hint:
the pattern cannot tell every passive from an adjective ("we are interested").

## Why is this bad?
Easy-read guidance asks for active sentences that say who does what: "We will check
the homes", not "The homes will be checked". A passive sentence hides who will help.

## Options
None.

## Example
```yaml
id: example
title: Example plan
sections:
  - id: homes
    title: Homes
    leads: [Head of Housing]
    items:
      - id: A1
        title: Review supported living contracts.
        due: April 2026
        easy_read: The contracts will be checked by the council.
```

## Use instead
```yaml
id: example
title: Example plan
sections:
  - id: homes
    title: Homes
    leads: [Head of Housing]
    items:
      - id: A1
        title: Review supported living contracts.
        due: April 2026
        easy_read: The council will check the contracts.
```
"""

from __future__ import annotations

from collections.abc import Iterator

from planctl.core.diagnostics import Severity
from planctl.core.readability import passive_hints
from planctl.lint.base import Finding, RuleContext
from planctl.lint.rules._easy_read import easy_texts

CODE = "PL506"
NAME = "easy-read-passive"
SEVERITY = Severity.INFO


def check(ctx: RuleContext) -> Iterator[Finding]:
    for t in easy_texts(ctx):
        found = passive_hints(t.text)
        if found:
            yield Finding(
                t.path,
                f"easy-read text may be passive: {', '.join(repr(f) for f in found)}",
                item=t.item,
                hint="say who does it: 'we will check ...'",
            )

"""A `# planctl: ignore[...]` comment suppresses nothing.

## What it does
Reports each rule named in a suppression comment that found nothing on the item or
section the comment belongs to (the line of its `- id:` or the line just above), and
each name that is not a rule at all. A comment on a section covers the section and
everything in it.

## Why is this bad?
A stale suppression hides the next real problem on that item: once a lead is named, an
old `ignore[missing-lead]` would also hide the lead being removed again.

## Options
None.

## Example
```yaml
id: example
title: Example plan
sections:
  - id: work
    title: Employment
    items:
      # planctl: ignore[missing-lead]
      - id: A1
        title: Run the job club.
        due: June 2026
        leads: [Employment Lead]
```

## Use instead
```yaml
id: example
title: Example plan
sections:
  - id: work
    title: Employment
    items:
      # planctl: ignore[missing-lead]
      - id: A1
        title: Run the job club, once someone is found to lead it.
        due: June 2026
```
"""

from __future__ import annotations

from collections.abc import Iterator

from planctl.core.diagnostics import Severity
from planctl.lint.base import CommentFinding, RuleContext, Scope

CODE = "PL404"
NAME = "unused-suppression"
SEVERITY = Severity.WARNING
SCOPE = Scope.SUPPRESSIONS  # judges the comments once every other rule has run


def check(ctx: RuleContext) -> Iterator[CommentFinding]:
    """Each rule a comment names that suppressed nothing, or that is not a rule."""
    from planctl.lint.registry import find_rule  # the registry imports this module

    for n, s in enumerate(ctx.suppressions):
        for wanted in s.rules:
            found = find_rule(wanted)
            if found is None:
                yield CommentFinding(
                    n,
                    f"suppression names an unknown rule {wanted!r}",
                    "see 'planctl rules' for the rule names",
                )
            elif found.name in s.used or found.name not in ctx.enabled:
                continue  # used, or the rule is off here so it cannot be used: not stale
            else:
                yield CommentFinding(
                    n,
                    f"suppression of {found.name!r} is not needed: the rule finds nothing here",
                    "remove it from the comment",
                    found.name if found.name in ctx.pending.get(n, ()) else None,
                )

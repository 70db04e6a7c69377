"""Easy-read text uses an acronym the glossary does not explain.

## What it does
Reports each acronym (two or more capital letters, such as `GP`, `NHS` or `CTR`, also
in the plural "GPs") in `easy_read:` text that is not a `term` of the plan's
`glossary:`. The handout's "Hard words" page is built from the glossary.

## Why is this bad?
Easy-read guidance says: no unexplained acronyms. A reader cannot ask what "DSR" means.

## Options
None.

## Example
```yaml
id: example
title: Example plan
sections:
  - id: health
    title: Health
    leads: [Health Lead]
    items:
      - id: A1
        title: Increase uptake of annual health checks.
        due: March 2026
        easy_read: More people will have a health check with their GP.
```

## Use instead
Explain it in the glossary, in easy words:
```yaml
id: example
title: Example plan
glossary:
  - term: GP
    meaning: General practitioner
    easy_read: Your family doctor.
sections:
  - id: health
    title: Health
    leads: [Health Lead]
    items:
      - id: A1
        title: Increase uptake of annual health checks.
        due: March 2026
        easy_read: More people will have a health check with their GP.
```
"""

from __future__ import annotations

from collections.abc import Iterator

from planctl.core.diagnostics import Severity
from planctl.core.readability import unexplained_acronyms
from planctl.lint.base import Finding, RuleContext
from planctl.lint.rules._easy_read import easy_texts, glossary_terms

CODE = "PL504"
NAME = "easy-read-acronym"
SEVERITY = Severity.WARNING


def check(ctx: RuleContext) -> Iterator[Finding]:
    terms = glossary_terms(ctx)
    for t in easy_texts(ctx):
        for acronym in unexplained_acronyms(t.text, terms):
            yield Finding(
                t.path,
                f"easy-read text uses {acronym!r}, which the glossary does not explain",
                item=t.item,
                hint=f"add a glossary entry for {acronym} with an easy_read meaning, or write it out",
            )

"""A section's easy-read words score low on the Flesch reading-ease scale.

## What it does
In a plan that takes part in easy read (it has any `easy_read:` text, or the tag
`easy-read`), scores the words each top-level section's handout would show (its items'
`easy_read:` text, or their titles where they have none, and the section's own) with
the Flesch reading-ease formula, and reports a section scoring below `min_ease`. The
message gives the figure. To see the figure of every section, set `min_ease = 101`.

## Why is this bad?
Flesch reading ease runs from about 0 (very hard) to 100 (very easy); plain English is
60 to 70, and easy read should be higher still. A low score shows where the handout
will be hard going, and where to start rewriting.

## Options
- `min_ease` (number, default 70): the lowest score allowed for a section.

## Example
```yaml
id: example
title: Example plan
easy_read: This is our plan.
sections:
  - id: market
    title: Market development
    leads: [Commissioning Lead]
    items:
      - id: A1
        title: Undertake a comprehensive analysis of commissioning arrangements, procurement frameworks and contractual specifications.
        due: April 2026
```

## Use instead
```yaml
id: example
title: Example plan
easy_read: This is our plan.
sections:
  - id: market
    title: Market development
    easy_read: Services.
    leads: [Commissioning Lead]
    items:
      - id: A1
        title: Undertake a comprehensive analysis of commissioning arrangements, procurement frameworks and contractual specifications.
        due: April 2026
        easy_read: We will look at how we buy care. We will make it better.
```
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from planctl.core.diagnostics import Severity
from planctl.core.models import Section
from planctl.core.readability import reading_ease
from planctl.lint.base import Finding, RuleContext
from planctl.lint.rules._easy_read import opted_in

CODE = "PL507"
NAME = "reading-ease"
SEVERITY = Severity.INFO


@dataclass(frozen=True, slots=True)
class Options:
    min_ease: float = 70.0


def _handout_text(section: Section) -> list[str]:
    """The handout's words for a section: easy_read where given, else the title."""
    text = [_sentence(section.easy_read or section.title)]
    for item in section.items:
        text.append(_sentence(item.easy_read or item.title))
    for child in section.sections:
        text.extend(_handout_text(child))
    return text


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else f"{text}."


def check(ctx: RuleContext) -> Iterator[Finding]:
    if not opted_in(ctx):
        return
    for i, section in enumerate(ctx.plan.sections):
        score = reading_ease(" ".join(_handout_text(section)))
        if score < ctx.options.min_ease:
            yield Finding(
                ("sections", i, "title"),
                f"section {section.id!r}: handout reading ease {score:.0f} (aim for {ctx.options.min_ease:.0f} or more)",
                hint="shorter sentences and shorter, common words raise the score",
            )

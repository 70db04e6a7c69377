"""Easy-read text uses words outside the common-word list.

## What it does
Reports the words of two or more syllables in `easy_read:` text that are not on the
Dale-Chall list of about 3,000 common words (textstat's easy-word list). Glossary terms,
acronyms (see `easy-read-acronym`) and the words of the option `allow` are not reported.
One finding per text, listing its words.

## Why is this bad?
Easy-read guidance asks for common, everyday words, and for any hard word to be
explained. This is a hint: some words (a place name, "doctor") are fine; add them to
`allow` or the glossary.

## Options
- `allow` (list of words, default none): words not to report, e.g. place names:
  `[tool.planctl.rules.easy-read-hard-word] allow = ["Oxfordshire"]`.

## Example
```yaml
id: example
title: Example plan
sections:
  - id: work
    title: Employment
    leads: [Employment Lead]
    items:
      - id: A1
        title: Develop supported employment.
        due: April 2026
        easy_read: We will commission supported employment opportunities.
```

## Use instead
```yaml
id: example
title: Example plan
sections:
  - id: work
    title: Employment
    leads: [Employment Lead]
    items:
      - id: A1
        title: Develop supported employment.
        due: April 2026
        easy_read: We will pay for help to find a job and keep it.
```
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from planctl.core.diagnostics import Severity
from planctl.core.readability import hard_words
from planctl.lint.base import Finding, RuleContext
from planctl.lint.rules._easy_read import easy_texts, glossary_terms

CODE = "PL505"
NAME = "easy-read-hard-word"
SEVERITY = Severity.INFO


@dataclass(frozen=True, slots=True)
class Options:
    allow: tuple[str, ...] = ()


def check(ctx: RuleContext) -> Iterator[Finding]:
    allowed = [*glossary_terms(ctx), *ctx.options.allow]
    for t in easy_texts(ctx):
        found = hard_words(t.text, allowed)
        if found:
            yield Finding(
                t.path,
                f"easy-read text uses less common words: {', '.join(found)}",
                item=t.item,
                hint="use everyday words, or explain them in the glossary",
            )

"""An easy-read sentence is longer than 15 words.

## What it does
Splits each `easy_read:` text (of the plan, sections, items and glossary entries) into
sentences, as the handout does (one sentence per line), and reports every sentence of
more than `max_words` words.

## Why is this bad?
Easy-read guidance asks for short sentences, 15 words or fewer, each saying one thing.
A long sentence spreads over several lines and loses the reader.

## Options
- `max_words` (whole number, default 15): the longest sentence allowed, in words.

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
        title: Run a job club.
        due: April 2026
        easy_read: We will run a job club every month at the library where people can get help to find a job they like.
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
        title: Run a job club.
        due: April 2026
        easy_read: We will run a job club every month. It will be at the library. People can get help to find a job they like.
```
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from planctl.core.diagnostics import Severity
from planctl.core.readability import MAX_SENTENCE_WORDS, long_sentences
from planctl.lint.base import Finding, RuleContext
from planctl.lint.rules._easy_read import easy_texts

CODE = "PL503"
NAME = "easy-read-long-sentence"
SEVERITY = Severity.WARNING


@dataclass(frozen=True, slots=True)
class Options:
    max_words: int = MAX_SENTENCE_WORDS


def check(ctx: RuleContext) -> Iterator[Finding]:
    limit = ctx.options.max_words
    for t in easy_texts(ctx):
        for sentence, n in long_sentences(t.text, limit):
            start = " ".join(sentence.split()[:6])
            yield Finding(
                t.path,
                f"easy-read sentence of {n} words (at most {limit}): {start!r}...",
                item=t.item,
                hint="split it into shorter sentences, one idea each",
            )

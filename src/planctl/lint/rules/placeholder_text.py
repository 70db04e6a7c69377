"""Template text was left in the plan ("Enter optional text here", "TBC" as a title).

## What it does
Looks for words a form or template puts in an empty box, left in by mistake: "Enter
optional text here", "Click here to enter text", "Error! Reference source not found",
"Lorem ipsum", "Insert text here", and a title that is only "TBC" or "TBA". It checks
the titles and text of the plan, sections and items, outcomes, and responses.

## Why is this bad?
Leftovers make a published plan look unfinished and can hide that a box was never
filled in. In a response, "Enter optional text here" means nobody wrote the response.

## Options
- `patterns` (list of text, default empty): more phrases to report, matched ignoring case.

## Example
```yaml
id: example
title: Example plan
sections:
  - id: recs
    title: Recommendations
    items:
      - id: R1
        kind: recommendation
        title: Publish the employment figures.
        due: June 2026
        leads: [Cabinet Member for Adults]
        response:
          text: Enter optional text here
          timescale: June 2026
```

## Use instead
Remove the leftover, or write what belongs there:
```yaml
id: example
title: Example plan
sections:
  - id: recs
    title: Recommendations
    items:
      - id: R1
        kind: recommendation
        title: Publish the employment figures.
        due: June 2026
        leads: [Cabinet Member for Adults]
        response:
          timescale: June 2026
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from planctl.core.diagnostics import Severity
from planctl.lint.base import Finding, RuleContext, YamlPath

CODE = "PL501"
NAME = "placeholder-text"
SEVERITY = Severity.WARNING

PHRASES = (
    "enter optional text here",
    "click here to enter text",
    "click or tap here to enter text",
    "error! reference source not found",
    "error! bookmark not defined",
    "insert text here",
    "enter text here",
    "lorem ipsum",
)
_TITLE_ONLY = re.compile(r"^\s*(?:tbc|tba|tbd|to be confirmed|xxx+|\?+)\s*\.?\s*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Options:
    patterns: tuple[str, ...] = ()


def check(ctx: RuleContext) -> Iterator[Finding]:
    phrases = PHRASES + tuple(p.casefold() for p in ctx.options.patterns)

    def scan(path: YamlPath, text: str | None, item: str | None, *, title: bool = False) -> Iterator[Finding]:
        if not text:
            return
        if title and _TITLE_ONLY.match(text):
            yield Finding(path, f"the title is only {text.strip()!r}", item=item, hint="give it a real title")
            return
        folded = text.casefold()
        for phrase in phrases:
            if phrase in folded:
                start = folded.index(phrase)
                yield Finding(
                    path,
                    f"template text left in: {text[start : start + len(phrase)]!r}",
                    item=item,
                    hint="remove it, or write what belongs here",
                )
                return

    plan = ctx.plan
    yield from scan(("title",), plan.title, None, title=True)
    yield from scan(("summary",), plan.summary, None)
    for section, _parents, path in ctx.sections:
        yield from scan((*path, "title"), section.title, None, title=True)
        yield from scan((*path, "text"), section.text, None)
    for loc in ctx.items:
        item, path = loc.item, loc.path
        yield from scan((*path, "title"), item.title, item.id, title=True)
        yield from scan((*path, "text"), item.text, item.id)
        for k, outcome in enumerate(item.outcomes):
            yield from scan((*path, "outcomes", k, "text"), outcome.text, item.id)
        if item.response is not None:
            r = item.response
            for key in ("text", "action", "timescale"):
                yield from scan((*path, "response", key), getattr(r, key), item.id)

"""A deadline is tied to an event or says when something starts, not when it is due.

## What it does
Reports each deadline, written in `due:` or named in an outcome's text, that planctl
reads but cannot turn into dates: one tied to an event ("one month prior to the 18th
birthday", "by the time a young person is 17.5", "within 6 weeks of referral") or
one that says when something starts ("from April 2026", "starting March 2027",
"2026/27 onwards"). planctl keeps such text as written and never guesses a date.

## Why is this bad?
An event-relative deadline falls on a different day for every person, and a start is
open-ended: neither is ever due, late or upcoming in `due`, `report` or the calendar.

## Options
None.

## Example
```yaml
id: example
title: Example plan
sections:
  - id: moving-on
    title: Moving on
    leads: [Transitions Lead]
    items:
      - id: A1
        title: Tell young people about adult services.
        due: one month prior to the 18th birthday
```

## Use instead
Keep the event in the text and give the date by which the whole action is done (or
remove `due:` when there is none); a start belongs in the text or in `recurrence:`:
```yaml
id: example
title: Example plan
sections:
  - id: moving-on
    title: Moving on
    leads: [Transitions Lead]
    items:
      - id: A1
        title: Tell young people about adult services.
        text: Each young person is told one month prior to their 18th birthday.
        due: March 2027
```
"""

from __future__ import annotations

from collections.abc import Iterator

from planctl.core.dates import Precision
from planctl.core.diagnostics import Severity
from planctl.core.models import item_deadlines
from planctl.lint.base import Finding, RuleContext

CODE = "PL206"
NAME = "inexact-due"
SEVERITY = Severity.WARNING


def check(ctx: RuleContext) -> Iterator[Finding]:
    for loc in ctx.items:
        item = loc.item
        for path, due in item_deadlines(item, loc.path, named_in_text=True):
            if due.precision is Precision.RELATIVE:
                yield Finding(
                    path,
                    f"deadline {due.text!r} is tied to an event, not a date; it is kept as text"
                    " and is never due or late",
                    item=item.id,
                    hint="keep the event in the text and give the date the action is done by,"
                    " e.g. 'due: March 2027'",
                )
            elif due.precision is Precision.OPEN_START:
                yield Finding(
                    path,
                    f"{due.text!r} says when this starts, not when it is due",
                    item=item.id,
                    hint="give the date it must be done by (e.g. 'due: March 2027'), or for something"
                    " that repeats, 'recurrence: monthly starting April 2026'",
                )

"""The file is not a valid plan (YAML or schema).

## What it does
Reports a file that is not valid YAML, or whose data does not match the plan schema:
an unknown or misspelt key, a wrong type, a missing required field, a duplicate id, a
status that is not on the plan's scale. `planctl validate` reports the same problems.

## Why is this bad?
planctl cannot read the plan, so none of its other rules, queries or reports can use it.
These findings are always errors and cannot be suppressed.

## Use instead
Fix the file at the line and column given; the message's hint says what to write.
`planctl schema` prints the JSON Schema an editor can check the file against as you type.
"""

from __future__ import annotations

from collections.abc import Iterator

from planctl.core.diagnostics import LOAD_CODE, LOAD_RULE, Severity
from planctl.lint.base import Finding, RuleContext, Scope

CODE = LOAD_CODE  # the loader (in the core, which cannot import lint) names its problems so
NAME = LOAD_RULE
SEVERITY = Severity.ERROR
SCOPE = Scope.LOAD  # the engine reports each file's loading problems as this rule


def check(ctx: RuleContext) -> Iterator[Finding]:
    """Nothing to check on a loaded plan: a plan that loaded has no loading problems."""
    return iter(())

"""The list of rules. Adding a rule = adding a module to ``rules/`` and its name here.

A rule module has ``CODE``, ``NAME``, ``SEVERITY`` and ``check(ctx)``, and may declare
an ``Options`` dataclass (its settings in planctl.toml; default: none) and ``SCOPE`` (:class:`~planctl.lint.base.Scope`; default
``FILE``: ``check`` yields :class:`Finding` values about its one plan). Its docstring
(ruff's shape: What it does / Why is this bad? / Options / Example / Use instead) is what
``planctl rule NAME`` prints, and a test runs its examples.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from types import ModuleType
from typing import Any

from planctl.core.diagnostics import Severity
from planctl.lint.base import CommentFinding, Finding, ProjectFinding, RuleContext, Scope

RULE_MODULES = (
    "missing_lead",
    "tbc_lead",
    "missing_due",
    "vague_due",
    "unresolved_due",
    "due_text_mismatch",
    "due_outside_period",
    "inexact_due",
    "overdue_open",
    "status_missing",
    "stale_status",
    "kpi_without_target",
    "kpi_target_missed",
    "kpi_stale",
    "kpi_figure_mismatch",
    "duplicate_id",
    "dangling_link",
    "unknown_evidence",
    "unused_suppression",
    "placeholder_text",
    "response_without_timescale",
    "numbering_gap",
    "missing_easy_read",
    "easy_read_long_sentence",
    "easy_read_acronym",
    "easy_read_hard_word",
    "easy_read_passive",
    "reading_ease",
)

#: The date the docstring examples are checked against (rules about overdue work need one).
EXAMPLE_AS_OF = date(2026, 6, 1)

_HEADING = re.compile(r"^## (.+)$", re.MULTILINE)
_YAML_BLOCK = re.compile(r"```yaml\n(.*?)```", re.DOTALL)


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    name: str
    severity: Severity
    options_type: type[Any]
    check: Callable[[RuleContext], Iterator[Finding | ProjectFinding | CommentFinding]]
    doc: str
    scope: Scope = Scope.FILE

    @property
    def summary(self) -> str:
        """The docstring's first line: one sentence for ``planctl rules``."""
        return self.doc.strip().splitlines()[0].strip()

    def section(self, heading: str) -> str:
        """The text under ``## heading`` in the docstring ('' if absent)."""
        parts = _HEADING.split(self.doc)
        for title, body in zip(parts[1::2], parts[2::2], strict=True):
            if title.strip().lower() == heading.lower():
                return body.strip()
        return ""

    def example(self, heading: str) -> str | None:
        """The YAML block under ``## Example`` (fails) or ``## Use instead`` (passes)."""
        m = _YAML_BLOCK.search(self.section(heading))
        return m.group(1) if m else None

    def option_fields(self) -> list[dataclasses.Field[Any]]:
        return list(dataclasses.fields(self.options_type))

    def matches(self, selector: str) -> bool:
        """A name, a code, or a code prefix ("PL2") or "ALL"."""
        s = selector.strip()
        if s.upper() == "ALL" or s == self.name:
            return True
        return bool(s) and self.code.startswith(s.upper()) and s.upper().startswith("PL")

    def matches_any(self, selectors: Iterable[str]) -> bool:
        return any(self.matches(s) for s in selectors)


@dataclass(frozen=True, slots=True)
class NoOptions:
    """The options of a rule that has none: configuring one is an error naming the rule."""


def _load(module_name: str) -> Rule:
    module: ModuleType = importlib.import_module(f"planctl.lint.rules.{module_name}")
    return Rule(
        code=module.CODE,
        name=module.NAME,
        severity=module.SEVERITY,
        options_type=getattr(module, "Options", NoOptions),
        check=module.check,
        doc=inspect.cleandoc(module.__doc__ or ""),
        scope=Scope(getattr(module, "SCOPE", Scope.FILE)),
    )


RULES: tuple[Rule, ...] = tuple(_load(m) for m in RULE_MODULES)
"""The rules lint runs, selects and configures."""

INVALID = _load("invalid")
"""Problems found while reading a plan, before any rule runs (scope LOAD): always an
error, not selectable, but listed and explained with the others."""

DOCUMENTED: tuple[Rule, ...] = (INVALID, *RULES)
"""Every rule ``planctl rules`` lists and SARIF describes."""

_BY_KEY = {r.name: r for r in RULES} | {r.code: r for r in RULES}


_DOCUMENTED_BY_KEY = {r.name: r for r in DOCUMENTED} | {r.code: r for r in DOCUMENTED}


def find_rule(key: str, *, documented: bool = False) -> Rule | None:
    """A rule by name or code (codes ignore case); with ``documented``, also ``invalid``."""
    by_key = _DOCUMENTED_BY_KEY if documented else _BY_KEY
    return by_key.get(key.strip()) or by_key.get(key.strip().upper())


def selector_known(selector: str) -> bool:
    """True when ``selector`` names at least one rule."""
    return any(r.matches(selector) for r in RULES)

"""Lint: find the gaps in a plan (no lead, no deadline, stale ratings, broken links, ...).

Each rule is a module in :mod:`planctl.lint.rules` whose docstring is its documentation;
:mod:`planctl.lint.registry` lists them; :mod:`planctl.lint.engine` runs them. The names
below are loaded on first use, so :mod:`planctl.lint.results` (what the cache reads)
can be imported without loading every rule and the plan models.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from planctl.lint.base import Finding, RuleContext
    from planctl.lint.config import ConfigError, LintConfig
    from planctl.lint.engine import lint, lint_file
    from planctl.lint.registry import RULES, Rule, find_rule
    from planctl.lint.results import FileLint, combine

__all__ = [
    "RULES",
    "ConfigError",
    "FileLint",
    "Finding",
    "LintConfig",
    "Rule",
    "RuleContext",
    "combine",
    "find_rule",
    "lint",
    "lint_file",
]

_WHERE = {
    "RULES": "registry",
    "Rule": "registry",
    "find_rule": "registry",
    "ConfigError": "config",
    "LintConfig": "config",
    "Finding": "base",
    "RuleContext": "base",
    "lint": "engine",
    "lint_file": "engine",
    "FileLint": "results",
    "combine": "results",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"planctl.lint.{module}"), name)
    globals()[name] = value
    return value

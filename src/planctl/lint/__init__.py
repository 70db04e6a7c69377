"""Lint: find the gaps in a plan (no lead, no deadline, stale ratings, broken links, ...).

Pure: takes loaded plans, a :class:`LintConfig` and the as-of date; returns
:class:`Diagnostic` values. Each rule is a module in :mod:`planctl.lint.rules` whose
docstring is its documentation; :mod:`planctl.lint.registry` lists them. Validation
problems from loading come first, always as errors (rule ``invalid``, PL001).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from planctl.diagnostics import Diagnostic, Severity, format_path
from planctl.lint.base import Finding, RuleContext, YamlPath
from planctl.lint.config import ConfigError, LintConfig
from planctl.lint.registry import RULES, Rule, find_rule
from planctl.lint.suppress import Suppression, scan_suppressions
from planctl.models import Plan, walk_items, walk_sections
from planctl.validate import LoadResult

__all__ = [
    "RULES",
    "ConfigError",
    "Finding",
    "LintConfig",
    "Rule",
    "RuleContext",
    "find_rule",
    "lint",
]

UNUSED_SUPPRESSION = "unused-suppression"


def lint(
    results: Sequence[LoadResult],
    config: LintConfig | None = None,
    as_of: date | None = None,
    *,
    texts: Mapping[str, str] | None = None,
) -> list[Diagnostic]:
    """Every problem in ``results``: validation errors, then rule findings, by file and line.

    ``texts`` maps a file's display name to its text, for ``# planctl: ignore[...]``
    comments; files without text simply have no suppressions. ``as_of`` defaults to the
    configuration's ``as-of``; one of them must be given (the clock is the caller's).
    """
    config = config or LintConfig()
    when = as_of or config.as_of
    if when is None:
        raise ValueError("lint needs an as-of date")
    plans: dict[str, Plan] = {}
    for r in results:
        if r.plan is not None:
            plans.setdefault(r.plan.id, r.plan)
    active = [rule for rule in RULES if config.enabled(rule)]
    out: list[Diagnostic] = []
    for result in results:
        out.extend(result.problems)  # validation failures are always errors
        if result.plan is None:
            continue
        out.extend(_lint_one(result, result.plan, plans, active, config, when, texts))
    out.sort(key=lambda d: (d.file, d.line, d.column, d.code))
    return out


def _lint_one(
    result: LoadResult,
    plan: Plan,
    plans: Mapping[str, Plan],
    active: list[Rule],
    config: LintConfig,
    as_of: date,
    texts: Mapping[str, str] | None,
) -> Iterable[Diagnostic]:
    file = result.file
    rules = [r for r in active if not _path_ignored(config, file, r)]
    items = list(walk_items(plan))
    sections = list(walk_sections(plan.sections))
    text = texts.get(file) if texts else None
    suppressions = scan_suppressions(text) if text else []
    by_line: dict[int, list[Suppression]] = {}
    for s in suppressions:
        by_line.setdefault(s.line, []).append(s)
    anchor_cache: dict[YamlPath, tuple[int, int]] = {}

    def suppressed(finding: Finding, rule: Rule) -> bool:
        """A comment on the line of the item/section (or just above) covers it and its items."""
        if not by_line:
            return False
        hit = False
        for anchor in _anchors(finding.path):
            if anchor not in anchor_cache:
                anchor_cache[anchor] = result.locate(anchor)
            line = anchor_cache[anchor][0]
            for s in (*by_line.get(line, ()), *by_line.get(line - 1, ())):
                if s.covers(rule):
                    s.used.add(rule.name)
                    hit = True
        return hit

    for rule in rules:
        ctx = RuleContext(
            plan=plan,
            result=result,
            plans=plans,
            options=config.options_for(rule),
            as_of=as_of,
            items=items,
            sections=sections,
        )
        for finding in rule.check(ctx):
            if suppressed(finding, rule):
                continue
            yield _diagnostic(result, rule, config.severity_for(rule), finding)

    unused = find_rule(UNUSED_SUPPRESSION)
    if unused is None or unused not in rules:
        return
    for s in suppressions:
        for wanted in s.rules:
            found = find_rule(wanted)
            if found is None:
                message = f"suppression names an unknown rule {wanted!r}"
                hint = "see 'planctl rules' for the rule names"
            elif found.name in s.used:
                continue
            elif found not in rules:
                continue  # the rule is off here, so it cannot be used; not stale
            else:
                message = f"suppression of {found.name!r} is not needed: the rule finds nothing here"
                hint = "remove it from the comment"
            yield Diagnostic(
                file,
                s.line,
                s.column,
                message,
                severity=config.severity_for(unused),
                rule=unused.name,
                code=unused.code,
                hint=hint,
            )


def _anchors(path: YamlPath) -> list[YamlPath]:
    """The item and section paths that enclose ``path``, innermost first."""
    out: list[YamlPath] = []
    for i in range(len(path) - 1, 0, -1):
        if isinstance(path[i], int) and path[i - 1] in ("items", "sections"):
            out.append(path[: i + 1])
    return out


def _path_ignored(config: LintConfig, file: str, rule: Rule) -> bool:
    for pattern, selectors in config.per_path_ignores.items():
        if fnmatch.fnmatch(file, pattern) and rule.matches_any(selectors):
            return True
    return False


def _diagnostic(result: LoadResult, rule: Rule, severity: Severity, finding: Finding) -> Diagnostic:
    line, column = result.locate(finding.path, key=finding.at_key)
    return Diagnostic(
        result.file,
        line,
        column,
        finding.message,
        severity=severity,
        rule=rule.name,
        code=rule.code,
        yaml_path=format_path(finding.path),
        item=finding.item,
        hint=finding.hint,
    )

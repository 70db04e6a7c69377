"""The lint engine: every rule over one file, then the checks across files.

Pure: takes loaded plans, a :class:`LintConfig` and the as-of date; returns
:class:`Diagnostic` values. :func:`lint_file` needs nothing but its one file, so it can
run in a worker process or be answered from the cache; :func:`planctl.lint.results.combine`
then adds what needs every plan. Each rule runs by the ``SCOPE`` its module declares
(:class:`Scope`), never by its name; validation problems from loading are always errors
(the LOAD rule, ``invalid``).
"""

from __future__ import annotations

import dataclasses
import fnmatch
from collections.abc import Mapping, Sequence
from datetime import date

from planctl.core.diagnostics import Diagnostic, Severity, format_path
from planctl.core.models import Section, closure_of, walk_items, walk_sections
from planctl.core.validate import LoadResult
from planctl.lint.base import CommentFinding, Finding, ProjectFinding, RuleContext, Scope, YamlPath
from planctl.lint.config import LintConfig
from planctl.lint.registry import RULES, Rule
from planctl.lint.results import FileLint, Pending, PendingUnused, combine
from planctl.lint.suppress import Suppression, scan_suppressions


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
    The same two steps as ``planctl lint``: :func:`lint_file` per file, then :func:`combine`.
    """
    config = config or LintConfig()
    when = as_of or config.as_of
    if when is None:
        raise ValueError("lint needs an as-of date")
    return combine([lint_file(r, config, when, texts.get(r.file) if texts else None) for r in results])


def lint_file(result: LoadResult, config: LintConfig, as_of: date, text: str | None = None) -> FileLint:
    """Every rule on one file, and the facts for the checks that need all files.

    ``text`` is the file's text, for suppression comments. Depends on nothing but its
    arguments, so its result may run in a worker process and be cached by content.
    """
    out = FileLint(result.file, list(result.problems))  # validation failures are always errors
    plan = result.plan
    if plan is None:
        return out
    file = result.file
    rules = [r for r in RULES if config.enabled(r) and not _path_ignored(config, file, r)]

    # Closed work (a plan whose period ended, a section the board closed) is not checked
    # for gaps: nobody will name a lead for an action of a plan that has ended.
    def open_now(chain: tuple[Section, ...]) -> bool:
        return config.include_closed or closure_of(plan, chain, as_of) is None

    all_items = list(walk_items(plan))
    all_sections = list(walk_sections(plan.sections))
    items = [loc for loc in all_items if open_now(loc.sections)]
    sections = [(s, parents, path) for s, parents, path in all_sections if open_now((*parents, s))]
    suppressions = scan_suppressions(text) if text else []
    by_line: dict[int, list[tuple[int, Suppression]]] = {}
    for n, s in enumerate(suppressions):
        by_line.setdefault(s.line, []).append((n, s))
    anchor_cache: dict[YamlPath, tuple[int, int]] = {}

    def covering(path: YamlPath, rule: Rule) -> list[int]:
        """The comments on the line of an enclosing item/section (or just above) naming ``rule``."""
        if not by_line:
            return []
        hits: list[int] = []
        for anchor in _anchors(path):
            if anchor not in anchor_cache:
                anchor_cache[anchor] = result.locate(anchor)
            line = anchor_cache[anchor][0]
            for n, s in (*by_line.get(line, ()), *by_line.get(line - 1, ())):
                if s.covers(rule):
                    hits.append(n)
        return hits

    out.plan_id = plan.id
    # every id, closed or not: a link from another plan to closed work still resolves
    out.ids = frozenset(s.id for s, _p, _path in all_sections) | {loc.item.id for loc in all_items}
    pending: dict[int, set[str]] = {}  # comment -> project rules with a pending finding it covers
    ran = [r for r in rules if r.scope is not Scope.SUPPRESSIONS]
    for rule in ran:
        ctx = RuleContext(plan, result, config.options_for(rule), as_of, items, sections)
        severity = config.severity_for(rule)
        for finding in rule.check(ctx):
            if isinstance(finding, ProjectFinding) and rule.scope is Scope.PROJECT:
                covers = tuple(covering(finding.finding.path, rule))
                for n in covers:
                    pending.setdefault(n, set()).add(rule.name)
                reports = {
                    outcome: _diagnostic(
                        result, rule, severity, dataclasses.replace(finding.finding, message=message)
                    )
                    for outcome, message in finding.messages.items()
                }
                out.pending.append(Pending(finding.plan_id, finding.item_id, covers, reports))
                continue
            if not isinstance(finding, Finding):
                raise TypeError(f"rule {rule.name} (scope {rule.scope}) yielded {type(finding).__name__}")
            hits = covering(finding.path, rule)
            if hits:
                for n in hits:
                    suppressions[n].used.add(rule.name)
                continue
            out.diagnostics.append(_diagnostic(result, rule, severity, finding))

    enabled = frozenset(r.name for r in rules)
    for rule in rules:
        if rule.scope is not Scope.SUPPRESSIONS:
            continue
        ctx = RuleContext(
            plan,
            result,
            config.options_for(rule),
            as_of,
            items,
            sections,
            suppressions=suppressions,
            enabled=enabled,
            pending=pending,
        )
        severity = config.severity_for(rule)
        for found in rule.check(ctx):
            if not isinstance(found, CommentFinding):
                raise TypeError(f"rule {rule.name} (scope {rule.scope}) yielded {type(found).__name__}")
            s = suppressions[found.comment]
            diagnostic = Diagnostic(
                file,
                s.line,
                s.column,
                found.message,
                severity=severity,
                rule=rule.name,
                code=rule.code,
                hint=found.hint,
            )
            out.unused.append(PendingUnused(diagnostic, found.waits_for, found.comment))
    return out


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

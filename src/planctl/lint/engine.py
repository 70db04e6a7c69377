"""The lint engine: every rule over one file, then the checks across files.

Pure: takes loaded plans, a :class:`LintConfig` and the as-of date; returns
:class:`Diagnostic` values. :func:`lint_file` needs nothing but its one file, so it can
run in a worker process or be answered from the cache; :func:`planctl.lint.results.combine`
then adds what needs every plan. Validation problems from loading are always errors
(rule ``invalid``, PL001).
"""

from __future__ import annotations

import dataclasses
import fnmatch
from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from planctl.diagnostics import Diagnostic, Severity, format_path
from planctl.lint.base import Finding, RuleContext, YamlPath
from planctl.lint.config import LintConfig
from planctl.lint.registry import RULES, Rule, find_rule
from planctl.lint.results import FileLint, PendingLink, PendingUnused, combine
from planctl.lint.rules import dangling_link, duplicate_id
from planctl.lint.suppress import Suppression, scan_suppressions
from planctl.models import Section, closure_of, walk_items, walk_sections
from planctl.validate import LoadResult

UNUSED_SUPPRESSION = "unused-suppression"
_DANGLING = dangling_link.NAME
_DUPLICATE = duplicate_id.NAME


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

    items = [loc for loc in walk_items(plan) if open_now(loc.sections)]
    sections = [
        (s, parents, path) for s, parents, path in walk_sections(plan.sections) if open_now((*parents, s))
    ]
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
    out.ids = frozenset(dangling_link.plan_ids(plan))
    plans = {plan.id: plan}  # only this plan: what needs the others is left pending
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
        severity = config.severity_for(rule)
        findings: Iterable[Finding | dangling_link.CrossLink]
        if rule.name == _DANGLING:
            findings = dangling_link.check_local(ctx)
        elif rule.name == _DUPLICATE:
            findings = duplicate_id.check_local(ctx)
            out.duplicate = _diagnostic(result, rule, severity, duplicate_id.plan_id_finding(plan.id))
        else:
            findings = rule.check(ctx)
        for finding in findings:
            if isinstance(finding, dangling_link.CrossLink):
                out.links.append(
                    _pending_link(
                        result, rule, severity, finding, tuple(covering(finding.finding.path, rule))
                    )
                )
                continue
            hits = covering(finding.path, rule)
            if hits:
                for n in hits:
                    suppressions[n].used.add(rule.name)
                continue
            out.diagnostics.append(_diagnostic(result, rule, severity, finding))

    unused = find_rule(UNUSED_SUPPRESSION)
    if unused is None or unused not in rules:
        return out
    waiting = {n for link in out.links for n in link.covers}
    for n, s in enumerate(suppressions):
        for wanted in s.rules:
            found = find_rule(wanted)
            waits: str | None = None
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
                if found.name == _DANGLING and n in waiting:
                    waits = found.name
            diagnostic = Diagnostic(
                file,
                s.line,
                s.column,
                message,
                severity=config.severity_for(unused),
                rule=unused.name,
                code=unused.code,
                hint=hint,
            )
            out.unused.append(PendingUnused(diagnostic, waits, n))
    return out


def _pending_link(
    result: LoadResult, rule: Rule, severity: Severity, link: dangling_link.CrossLink, covers: tuple[int, ...]
) -> PendingLink:
    """A link into another plan, with the diagnostic for each way it can fail."""

    def report(ids: frozenset[str] | None) -> Diagnostic:
        message = dangling_link.judge(link.link, link.plan_id, link.item_id, ids) or ""
        return _diagnostic(result, rule, severity, dataclasses.replace(link.finding, message=message))

    return PendingLink(link.plan_id, link.item_id, covers, report(None), report(frozenset()))


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

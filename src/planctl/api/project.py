"""A folder of plans as a Python object: what the command line answers, by import.

::

    from datetime import date
    from planctl import Project

    project = Project.load("plans", as_of=date(2026, 11, 24))
    for row in project.overdue(plans=["oxfordshire-send-pap-2024"]):
        print(row.ref, row.due.words() if row.due else "", ", ".join(row.leads))

The command line is a thin layer over this: the same loading, the same checks on
filters (a plan, section or status no plan has raises :class:`ProjectError` with a
"did you mean"), the same queries, lint rules, templates and diffs. The clock is an
argument (``as_of``), as everywhere in planctl. Files are read afresh (the command
line's cache is an optimisation for repeated runs, not part of the answer).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planctl.core.diagnostics import Diagnostic
    from planctl.core.models import Plan
    from planctl.core.plandiff import PlanDiff
    from planctl.core.query import Filters
    from planctl.core.rows import Row
    from planctl.core.validate import LoadResult
    from planctl.lint.config import LintConfig
    from planctl.store.files import Found


class ProjectError(ValueError):
    """A request the plans cannot answer as asked: the message says what to give instead."""


@dataclass
class Project:
    """The plan files under some paths, read and checked, as of one day.

    ``results`` holds every file's outcome in file order (a file that is not a valid
    plan has ``plan=None`` and its located problems); :attr:`plans` and :attr:`rows`
    come from the valid ones, as every command leaves invalid files out and says so.
    """

    as_of: date
    files: list[Found]
    results: list[LoadResult] = field(repr=False)

    @classmethod
    def load(cls, *paths: str | Path, as_of: date, follow_symlinks: bool = False) -> Project:
        """Read the plan files under ``paths`` (files or folders; default: the project's ``plans/``).

        Raises :class:`ProjectError` when there is no plan file to read.
        """
        from planctl.store.files import UsageError, discover, load
        from planctl.store.root import default_plans, no_plans_message

        roots = [Path(p) for p in paths] or [default_plans()]
        if not paths and not roots[0].exists():
            raise ProjectError(no_plans_message())
        try:
            found = discover(roots, follow_symlinks=follow_symlinks)
        except UsageError as exc:
            raise ProjectError(str(exc)) from exc
        if not found:
            raise ProjectError(f"no plan files (*.yaml, *.yml) under {', '.join(map(str, roots))}")
        return cls(as_of, found, [load(f) for f in found])

    # --- what was read ---

    @property
    def plans(self) -> list[Plan]:
        """The valid plans, in file order."""
        return [r.plan for r in self.results if r.plan is not None]

    @property
    def problems(self) -> list[Diagnostic]:
        """Located problems of the files that are not valid plans (``planctl validate``)."""
        return [d for r in self.results if r.plan is None for d in r.problems]

    @cached_property
    def rows(self) -> list[Row]:
        """Every item of every valid plan as a query row, rated as of :attr:`as_of`."""
        from planctl.core.rows import rows_of

        return [row.as_of(self.as_of) for i, r in enumerate(self.results) for row in rows_of(r, i)]

    def plan(self, plan_id: str) -> Plan:
        """The plan with this id; :class:`ProjectError` (with a suggestion) when none has it."""
        from planctl.core.text import did_you_mean

        ids = [p.id for p in self.plans]
        for p in self.plans:
            if p.id == plan_id:
                return p
        raise ProjectError(f"no plan with id {plan_id!r}{did_you_mean(plan_id, ids)}")

    # --- questions (planctl due, overdue, upcoming, show) ---

    def filters(
        self,
        *,
        plans: Sequence[str] = (),
        sections: Sequence[str] = (),
        leads: Sequence[str] = (),
        statuses: Sequence[str] = (),
        tags: Sequence[str] = (),
    ) -> Filters:
        """The filters every query shares, checked against these plans (as the CLI's options are)."""
        from planctl.core.query import FilterError, check_filters

        try:
            return check_filters(self.rows, plans, sections, leads, statuses, tags)
        except FilterError as exc:
            raise ProjectError(f"{exc.field}: {exc}") from exc

    def due(
        self,
        before: str | None = None,
        after: str | None = None,
        *,
        include_undated: bool = False,
        include_done: bool = False,
        include_closed: bool = False,
        **filters: Sequence[str],
    ) -> list[Row]:
        """``planctl due``: deadlines ending before ``before`` and starting after ``after``.

        Dates are read as the command line reads them ("2026-04", "Q1 2026/27", "+3m"
        from :attr:`as_of`); ``filters`` are those of :meth:`filters`. Items of a plan or
        section closed by :attr:`as_of` are left out unless ``include_closed``, as on the
        command line.
        """
        from planctl.core import query

        tests: list[query.DatePredicate] = []
        if before is not None:
            tests.append(query.before(self._date("before", before)))
        if after is not None:
            tests.append(query.after(self._date("after", after)))
        return query.select(
            self.rows,
            self.filters(**filters),
            lambda d: all(t(d) for t in tests),
            include_undated=include_undated,
            include_done=include_done,
            include_closed=include_closed,
        )

    def overdue(self, *, include_closed: bool = False, **filters: Sequence[str]) -> list[Row]:
        """``planctl overdue``: open items whose deadline ended before :attr:`as_of`."""
        from planctl.core import query

        chosen = self.filters(**filters)
        return query.select(self.rows, chosen, query.overdue(self.as_of), include_closed=include_closed)

    def upcoming(
        self, within: str = "90d", *, include_closed: bool = False, **filters: Sequence[str]
    ) -> list[Row]:
        """``planctl upcoming``: open items due between :attr:`as_of` and ``within`` after it."""
        from planctl.core import query
        from planctl.core.dates import add_clamped, parse_duration

        try:
            until = add_clamped(self.as_of, parse_duration(within))
        except ValueError as exc:
            raise ProjectError(f"within: {exc}") from exc
        chosen = self.filters(**filters)
        return query.select(
            self.rows, chosen, query.upcoming(self.as_of, until), include_closed=include_closed
        )

    def find(self, ref: str) -> list[Row]:
        """Rows with id ``ref`` or ``plan-id:item-id`` (ids are unique only within a plan)."""
        from planctl.core import query

        return query.find(self.rows, ref)

    # --- lint, render, diff ---

    def lint(self, config: LintConfig | None = None) -> list[Diagnostic]:
        """``planctl lint``: every finding, invalid files' problems included, in file order.

        ``config`` defaults to the nearest ``planctl.toml`` (or ``[tool.planctl]``) above
        the first file, as the command line finds it from where it runs.
        """
        from planctl.api.pipeline import lint_found
        from planctl.lint import LintConfig
        from planctl.store.configfile import find_config_file, load_config

        if config is None:
            start = self.files[0].path.parent if self.files else Path.cwd()
            path = find_config_file(start)
            config = load_config(path) if path else LintConfig()
        chosen = config
        return lint_found(self.files, lambda: (chosen, self.as_of), jobs=1, cache=None).diagnostics

    def render(
        self,
        plan_id: str,
        template: str,
        *,
        section: str | None = None,
        templates: Path | None = None,
        include_closed: bool = False,
    ) -> str:
        """``planctl render``: plan ``plan_id`` through template ``template`` (text; HTML for .html).

        ``templates`` is a folder of your own templates, searched before the bundled ones.
        A report leaves out work of plans and sections closed by :attr:`as_of` unless
        ``include_closed``, as ``planctl render`` does.
        """
        from planctl.render.context import SectionNotFoundError, build_context
        from planctl.render.engine import list_templates, picture_maps, render_template, template_dirs
        from planctl.render.pictures import load_picture_set

        dirs = template_dirs(templates)
        names = [t.name for t in list_templates(dirs)]
        if template not in names:
            raise ProjectError(f"no template {template!r}; templates: {', '.join(names)}")
        pictures = load_picture_set(picture_maps(templates, None))
        try:
            ctx = build_context(
                self.plan(plan_id),
                self.as_of,
                section=section,
                pictures=pictures,
                include_closed=include_closed,
            )
        except SectionNotFoundError as exc:
            raise ProjectError(str(exc)) from exc
        return render_template(template, ctx, dirs)

    def diff(self, base: str) -> list[PlanDiff]:
        """``planctl diff BASE``: what changed in meaning from git revision ``base`` to these files.

        Plans pair up by id and items by id, so renamed files and moved items are followed.
        """
        from planctl.core.plandiff import diff_plan_sets
        from planctl.core.validate import load_bytes
        from planctl.store.gitrev import BlobTooLargeError, GitError, resolve, show, to_repo_path

        before: list[tuple[str, Plan]] = []
        after: list[tuple[str, Plan]] = []
        sha: str | None = None
        for found, result in zip(self.files, self.results, strict=True):
            where = found.path.resolve().parent
            try:
                sha = sha or resolve(base, cwd=where)
                path = to_repo_path(found.path.resolve(), cwd=where)
            except GitError as exc:
                raise ProjectError(str(exc)) from exc
            try:
                raw: bytes | None = show(sha, path, cwd=where)
            except BlobTooLargeError as exc:
                raise ProjectError(str(exc)) from exc
            except GitError:
                raw = None  # the file is not in that revision: its plan is new
            if raw is not None:
                old = load_bytes(raw, f"{base}:{path}")
                if old.plan is None:
                    raise ProjectError(
                        f"{base}:{path} is not a valid plan at that revision; see planctl validate"
                    )
                before.append((path, old.plan))
            if result.plan is not None:
                after.append((path, result.plan))
        return diff_plan_sets(before, after)

    def _date(self, name: str, text: str) -> FuzzyDate:
        from planctl.core.dates import parse_query_date

        try:
            return parse_query_date(text, self.as_of)
        except ValueError as exc:
            raise ProjectError(f"{name}: {exc}") from exc


if TYPE_CHECKING:
    from planctl.core.dates import FuzzyDate

"""Per-file lint results and the pass over all of them: light, pure and serialisable.

:func:`planctl.lint.engine.lint_file` turns one loaded file into a :class:`FileLint`
(its own findings plus the facts the cross-file checks need); :func:`combine` joins
every file's result, adding what needs all plans at once (a plan id used twice,
links into other plans). A ``FileLint`` holds no plan and no YAML, so a worker process
can return it cheaply and the cache can store it as JSON. This module imports no rules
and no models, so a fully cached lint does not pay for loading them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from planctl.core import entry
from planctl.core.diagnostics import Diagnostic, Severity


@dataclass(frozen=True, slots=True)
class PendingLink:
    """A link into another plan, waiting for every plan's ids (rule dangling-link)."""

    plan_id: str
    item_id: str
    covers: tuple[int, ...]  # the file's suppression comments (by index) that would cover it
    if_no_plan: Diagnostic  # what to report when no plan checked has that id
    if_no_item: Diagnostic  # ... when the plan exists but has no such item or section


@dataclass(frozen=True, slots=True)
class PendingUnused:
    """An unused-suppression finding; with ``waits_for``, only if no cross-file finding used it."""

    diagnostic: Diagnostic
    waits_for: str | None = None  # a cross-file rule's name
    suppression: int = -1  # index of the comment in its file


@dataclass(slots=True)
class FileLint:
    """One file's share of lint: its own findings and the facts for the cross-file checks."""

    file: str
    diagnostics: list[Diagnostic] = field(default_factory=list)  # validation + file-local findings
    unused: list[PendingUnused] = field(default_factory=list)
    plan_id: str | None = None  # None: the file is not a valid plan
    ids: frozenset[str] = frozenset()  # section and item ids, for links from other plans
    links: list[PendingLink] = field(default_factory=list)
    duplicate: Diagnostic | None = None  # reported if an earlier file has this plan id

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "diagnostics": [_diag_json(d) for d in self.diagnostics],
            "unused": [[_diag_json(u.diagnostic), u.waits_for, u.suppression] for u in self.unused],
            "plan_id": self.plan_id,
            "ids": sorted(self.ids),
            "links": [
                [k.plan_id, k.item_id, list(k.covers), _diag_json(k.if_no_plan), _diag_json(k.if_no_item)]
                for k in self.links
            ],
            "duplicate": _diag_json(self.duplicate) if self.duplicate else None,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FileLint:
        """The inverse of :meth:`to_json`; raises KeyError, TypeError or ValueError on a bad shape."""
        return cls(
            file=entry.text(data["file"]),
            diagnostics=[_diag_from(d) for d in data["diagnostics"]],
            unused=[
                PendingUnused(_diag_from(d), entry.opt_text(w), entry.whole(i)) for d, w, i in data["unused"]
            ],
            plan_id=entry.opt_text(data["plan_id"]),
            ids=frozenset(entry.text(i) for i in data["ids"]),
            links=[
                PendingLink(
                    entry.text(p),
                    entry.text(i),
                    tuple(entry.whole(c) for c in cs),
                    _diag_from(a),
                    _diag_from(b),
                )
                for p, i, cs, a, b in data["links"]
            ],
            duplicate=_diag_from(data["duplicate"]) if data["duplicate"] is not None else None,
        )


def combine(files: Sequence[FileLint]) -> list[Diagnostic]:
    """Every file's findings plus the cross-file ones, sorted by file, line, column and code.

    A plan id or a link into another plan is judged against the first valid plan (in
    the order given) with that id, as ``planctl lint plans/`` reads them.
    """
    first: dict[str, FileLint] = {}
    for f in files:
        if f.plan_id is not None:
            first.setdefault(f.plan_id, f)
    out: list[Diagnostic] = []
    for f in files:
        out.extend(f.diagnostics)
        if f.plan_id is not None and f.duplicate is not None and first[f.plan_id] is not f:
            out.append(f.duplicate)
        used: set[int] = set()
        for link in f.links:
            target = first.get(link.plan_id)
            if target is not None and link.item_id in target.ids:
                continue
            if link.covers:
                used.update(link.covers)
                continue
            out.append(link.if_no_plan if target is None else link.if_no_item)
        out.extend(u.diagnostic for u in f.unused if u.waits_for is None or u.suppression not in used)
    out.sort(key=lambda d: (d.file, d.line, d.column, d.code))
    return out


def _diag_json(d: Diagnostic) -> list[Any]:
    return [d.file, d.line, d.column, d.message, int(d.severity), d.rule, d.code, d.yaml_path, d.item, d.hint]


_SEVERITIES = {int(s): s for s in Severity}


def _diag_from(data: Any) -> Diagnostic:
    """A diagnostic from :func:`_diag_json`'s list; checks types (the cache runs this a lot)."""
    file, line, column, message, severity, rule, code, yaml_path, item, hint = data
    if not (
        type(file) is str
        and type(line) is int
        and type(column) is int
        and type(message) is str
        and type(rule) is str
        and type(code) is str
        and (yaml_path is None or type(yaml_path) is str)
        and (item is None or type(item) is str)
        and (hint is None or type(hint) is str)
    ):
        raise TypeError("not a diagnostic")
    return Diagnostic(file, line, column, message, _SEVERITIES[severity], rule, code, yaml_path, item, hint)

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
from enum import StrEnum
from typing import Any

from planctl.core import entry
from planctl.core.diagnostics import Diagnostic
from planctl.core.layout import column_codec, list_of, record_codec


class Outcome(StrEnum):
    """What a plan named by a pending finding turns out to be, once every file is read."""

    NO_PLAN = "no-plan"  # no valid plan checked has that id
    NO_ITEM = "no-item"  # the (first) plan with that id has no such item or section
    ELSEWHERE = "elsewhere"  # the first plan with that id is another file (and has the item)


@dataclass(frozen=True, slots=True)
class Pending:
    """A project rule's finding, waiting for every plan's ids; ``reports`` says what to report."""

    plan_id: str
    item_id: str | None
    covers: tuple[int, ...]  # the file's suppression comments (by index) that would cover it
    reports: dict[Outcome, Diagnostic]  # an outcome not here reports nothing


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
    pending: list[Pending] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "diagnostics": [_diag_json(d) for d in self.diagnostics],
            "unused": [[_diag_json(u.diagnostic), u.waits_for, u.suppression] for u in self.unused],
            "plan_id": self.plan_id,
            "ids": sorted(self.ids),
            "pending": [
                [p.plan_id, p.item_id, list(p.covers), {str(o): _diag_json(d) for o, d in p.reports.items()}]
                for p in self.pending
            ],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FileLint:
        """The inverse of :meth:`to_json`; raises KeyError, TypeError or ValueError on a bad shape."""
        return cls(
            file=entry.text(data["file"]),
            diagnostics=list(_diag_column(list_of(data["diagnostics"]))),  # read together: shared texts
            unused=[
                PendingUnused(_diag_from(d), entry.opt_text(w), entry.whole(i)) for d, w, i in data["unused"]
            ],
            plan_id=entry.opt_text(data["plan_id"]),
            ids=frozenset(entry.text(i) for i in data["ids"]),
            pending=[
                Pending(
                    entry.text(p),
                    entry.opt_text(i),
                    tuple(entry.whole(c) for c in cs),
                    {Outcome(o): _diag_from(d) for o, d in reports.items()},
                )
                for p, i, cs, reports in data["pending"]
            ],
        )


def combine(files: Sequence[FileLint]) -> list[Diagnostic]:
    """Every file's findings plus the cross-file ones, sorted by file, line, column and code.

    A pending finding (a plan id used twice, a link into another plan) is judged against
    the first valid plan (in the order given) with the id it names, as ``planctl lint
    plans/`` reads them.
    """
    first: dict[str, FileLint] = {}
    for f in files:
        if f.plan_id is not None:
            first.setdefault(f.plan_id, f)
    out: list[Diagnostic] = []
    for f in files:
        out.extend(f.diagnostics)
        used: set[int] = set()
        for p in f.pending:
            outcome = _outcome(p, f, first.get(p.plan_id))
            report = p.reports.get(outcome) if outcome is not None else None
            if report is None:
                continue
            if p.covers:
                used.update(p.covers)
                continue
            out.append(report)
        out.extend(u.diagnostic for u in f.unused if u.waits_for is None or u.suppression not in used)
    out.sort(key=lambda d: (d.file, d.line, d.column, d.code))
    return out


def _outcome(p: Pending, f: FileLint, target: FileLint | None) -> Outcome | None:
    """What the plan ``p`` names is, seen from file ``f`` (None: ``f`` is that plan)."""
    if target is None:
        return Outcome.NO_PLAN
    if p.item_id is not None and p.item_id not in target.ids:
        return Outcome.NO_ITEM
    return Outcome.ELSEWHERE if target is not f else None


_diag_json, _diag_from = record_codec(Diagnostic)  # its fields in order (planctl.core.layout)
_diag_column = column_codec(Diagnostic)

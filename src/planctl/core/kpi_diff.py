"""What ``planctl diff`` and ``history`` say about measures of success.

Kept apart from :mod:`planctl.plandiff` (which compares items) so the two grow
independently; :func:`planctl.plandiff.diff_plans` adds these changes to its own.
A figure is matched across versions by its KPI, area and period (the interval, so
"2023/24" and "23/24" are one period). :func:`kpi_history` walks one measure through
a plan file's revisions with :func:`diff_kpis`, so ``history`` and ``diff`` use one
set of words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from planctl.core.kpi import Measure, format_number, measures, series
from planctl.core.models import KPI, Observation, Plan
from planctl.core.periods import period_or_none
from planctl.core.plandiff import Change, ChangeKind, CommitEntry, Revision
from planctl.core.revision import Commit

__all__ = ["KpiHistoryEntry", "diff_kpis", "kpi_history"]

_Key = tuple[str | None, dt.date | None, dt.date | None, str]


def _key(obs: Observation) -> _Key:
    span = period_or_none(obs.period)
    if span is None:
        return (obs.area, None, None, obs.period)
    return (obs.area, span.start, span.end, "")


def _figure(obs: Observation) -> str:
    shown = obs.text or (format_number(obs.value) if obs.value is not None else "no figure")
    where = [obs.period] if obs.period not in shown else []
    where += [obs.area] if obs.area else []
    return f"{shown} ({', '.join(where)})" if where else shown


def _target_words(kpi: KPI) -> str:
    t = kpi.target
    if t is None:
        return "none"
    words = t.text or (format_number(t.value) if t.value is not None else "")
    if t.deadline is not None and t.deadline.text.casefold() not in words.casefold():
        words += f" ({t.deadline.text})"
    return words or "none"


def _by_id(plan: Plan) -> dict[str, Measure]:
    return {m.kpi.id or m.kpi.name: m for m in measures(plan)}


def diff_kpis(old: Plan, new: Plan, start: int = 0) -> list[Change]:
    """Figures recorded, changed or removed, targets changed, measures added or removed."""
    before, after = _by_id(old), _by_id(new)
    changes: list[Change] = []
    order = start
    for ident, m in after.items():
        kpi = m.kpi
        order += 1
        if ident not in before:
            changes.append(
                Change(
                    ChangeKind.KPI_ADDED,
                    ident,
                    kpi.name,
                    None,
                    f"{len(kpi.observations)} figures",
                    order=order,
                )
            )
            continue
        was = before[ident].kpi
        old_obs = {_key(o): o for o in was.observations}
        new_obs = {_key(o): o for o in kpi.observations}
        for key, o in new_obs.items():
            prior = old_obs.get(key)
            if prior is None:
                changes.append(
                    Change(
                        ChangeKind.KPI_FIGURE_ADDED,
                        ident,
                        kpi.name,
                        None,
                        _figure(o),
                        order=order,
                        after_data=o.model_dump(mode="json", exclude_none=True),
                    )
                )
            elif (prior.value, prior.text) != (o.value, o.text):
                changes.append(
                    Change(
                        ChangeKind.KPI_FIGURE_CHANGED,
                        ident,
                        kpi.name,
                        _figure(prior),
                        _figure(o),
                        order=order,
                        before_data=prior.model_dump(mode="json", exclude_none=True),
                        after_data=o.model_dump(mode="json", exclude_none=True),
                    )
                )
        for key, o in old_obs.items():
            if key not in new_obs:
                changes.append(
                    Change(ChangeKind.KPI_FIGURE_REMOVED, ident, kpi.name, _figure(o), None, order=order)
                )
        if _target_words(was) != _target_words(kpi) or was.target != kpi.target:
            changes.append(
                Change(
                    ChangeKind.KPI_TARGET_CHANGED,
                    ident,
                    kpi.name,
                    _target_words(was),
                    _target_words(kpi),
                    order=order,
                )
            )
    for ident, m in before.items():
        order += 1
        if ident not in after:
            changes.append(
                Change(ChangeKind.KPI_REMOVED, ident, m.kpi.name, "measure of success", None, order=order)
            )
    return changes


# --- a measure through the history ----------------------------------------------------------


def _latest(kpi: KPI) -> list[dict[str, Any]]:
    """The newest figure of each area (by period end), as ``planctl kpi`` orders them."""
    return [
        {"period": p.period, "area": p.area, "value": p.value, "text": p.text}
        for points in series(kpi).values()
        for p in points[-1:]
    ]


@dataclass(slots=True)
class KpiHistoryEntry(CommitEntry):
    """One commit that changed a measure: its latest figures and target after it, and what changed."""

    commit: Commit
    latest: list[dict[str, Any]]
    target: str | None
    changes: list[Change]
    note: str | None = None

    @property
    def present(self) -> bool:
        """The measure is in the plan after this commit (not removed, not unreadable)."""
        return self.note is None and not any(c.kind is ChangeKind.KPI_REMOVED for c in self.changes)

    def latest_words(self) -> str:
        """``58.5% (2024/25), 61.2 (Q3 2025/26, WCC)``, or ``none``."""
        bits = []
        for f in self.latest:
            shown = f["text"] or (format_number(f["value"]) if f["value"] is not None else "no figure")
            where = [f["period"]] if f["period"] not in shown else []
            where += [f["area"]] if f["area"] else []
            bits.append(f"{shown} ({', '.join(where)})" if where else shown)
        return ", ".join(bits) or "none"

    def state_json(self) -> dict[str, Any]:
        return {"latest": self.latest, "target": self.target}


def kpi_history(kpi_id: str, revisions: Sequence[Revision]) -> list[KpiHistoryEntry]:
    """The commits (oldest first) that added, changed or removed the measure ``kpi_id``.

    Consecutive readable revisions are compared with :func:`diff_kpis` and only this
    measure's changes kept; an unreadable revision is listed (not silently skipped) and
    the next readable one is compared with the last readable one before it.
    """
    entries: list[KpiHistoryEntry] = []
    prev: Plan | None = None  # the last readable plan that held the measure
    for rev in revisions:
        if rev.plan is None:
            note = f"plan not readable here, skipped: {rev.problem}"
            entries.append(KpiHistoryEntry(rev.commit, [], None, [], note=note))
            continue
        here = _by_id(rev.plan).get(kpi_id)
        if here is None:
            if prev is not None:
                name = _by_id(prev)[kpi_id].kpi.name
                gone = Change(ChangeKind.KPI_REMOVED, kpi_id, name, "measure of success")
                entries.append(KpiHistoryEntry(rev.commit, [], None, [gone]))
            prev = None
            continue
        kpi = here.kpi
        state = (_latest(kpi), _target_words(kpi))
        if prev is None:
            count = len(kpi.observations)
            words = f"{count} figure{'s' if count != 1 else ''}, target {state[1]}"
            added = Change(ChangeKind.KPI_ADDED, kpi_id, kpi.name, None, words)
            entries.append(KpiHistoryEntry(rev.commit, *state, [added]))
        else:
            changes = [c for c in diff_kpis(prev, rev.plan) if c.item_id == kpi_id]
            if changes:
                entries.append(KpiHistoryEntry(rev.commit, *state, changes))
        prev = rev.plan
    return entries

"""What ``planctl diff`` and ``history`` say about measures of success.

Kept apart from :mod:`planctl.plandiff` (which compares items) so the two grow
independently; :func:`planctl.plandiff.diff_plans` adds these changes to its own.
A figure is matched across versions by its KPI, area and period (the interval, so
"2023/24" and "23/24" are one period).
"""

from __future__ import annotations

import datetime as dt

from planctl.core.kpi import Measure, format_number, measures
from planctl.core.models import KPI, Observation, Plan
from planctl.core.periods import period_or_none
from planctl.core.plandiff import Change, ChangeKind

__all__ = ["diff_kpis"]

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

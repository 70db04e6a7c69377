"""Measures of success: the series, trend, target and rating of each KPI, as of a day.

One home for what every KPI command, lint rule, chart and export says about a measure,
so they never disagree: which figures count on a day (:func:`series`), which way is
better (:func:`direction`), whether the target is met or on track and which rating the
tolerance gives (:func:`assess`). Pure functions of a plan and a day: no I/O, no clock.

Which way is better is never guessed. It is the KPI's ``polarity`` (set only where the
source states it), else what its target implies: a target above the baseline (or the
first figure) means higher is better. Without either, a change is "up" or "down", not
"better" or "worse", and the measure is never called off target for its trend.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

from planctl.core.dates import FuzzyDate
from planctl.core.models import (
    KPI,
    Observation,
    Plan,
    Provenance,
    Section,
    YamlPath,
    walk_sections,
)
from planctl.core.periods import parse_period
from planctl.core.ratings import Rating, rating_on

__all__ = [
    "FLAT_FIELDS",
    "Assessment",
    "Measure",
    "Point",
    "assess",
    "direction",
    "figure_number",
    "format_number",
    "measures",
    "series",
    "sparkline",
]

Direction = Literal["higher", "lower"]


@dataclass(frozen=True, slots=True)
class Point:
    """One observation placed in time: the period's interval, the number and the figure as printed."""

    period: str
    span: FuzzyDate
    area: str | None
    value: float | None
    text: str | None
    provenance: Provenance | None

    @property
    def label(self) -> str:
        """The figure as the source prints it, else the number."""
        if self.text:
            return self.text
        return format_number(self.value) if self.value is not None else ""

    def to_json(self) -> dict[str, object]:
        return {
            "period": self.period,
            "start": self.span.start.isoformat() if self.span.start else None,
            "end": self.span.end.isoformat() if self.span.end else None,
            "area": self.area,
            "value": self.value,
            "text": self.text,
            "source": self.provenance.words() if self.provenance else None,
        }


@dataclass(frozen=True, slots=True)
class Measure:
    """A KPI with its place: plan, enclosing sections, item, YAML path, rating scale."""

    plan: Plan
    kpi: KPI
    path: YamlPath
    sections: tuple[Section, ...]
    item_id: str | None
    scale_id: str | None

    @property
    def ref(self) -> str:
        """``plan-id:kpi-id`` (the name alone for a KPI without an id)."""
        return f"{self.plan.id}:{self.kpi.id}" if self.kpi.id else self.kpi.name


def measures(plan: Plan) -> Iterator[Measure]:
    """Every KPI of ``plan`` in document order: the plan's own, then each section's and item's."""
    for i, kpi in enumerate(plan.kpis):
        yield Measure(plan, kpi, ("kpis", i), (), None, None)
    for section, parents, path in walk_sections(plan.sections):
        chain = (*parents, section)
        scale_id = next((s.scale for s in reversed(chain) if s.scale), None)
        for i, kpi in enumerate(section.kpis):
            yield Measure(plan, kpi, (*path, "kpis", i), chain, None, scale_id)
        for j, item in enumerate(section.items):
            for i, kpi in enumerate(item.kpis):
                yield Measure(
                    plan, kpi, (*path, "items", j, "kpis", i), chain, item.id, item.scale or scale_id
                )


def _point(obs: Observation, kpi: KPI) -> Point:
    """The observation in time; a figure with no provenance of its own has its table's."""
    source = obs.provenance or kpi.provenance
    return Point(obs.period, parse_period(obs.period), obs.area, obs.value, obs.text, source)


def series(kpi: KPI, as_of: dt.date | None = None) -> dict[str | None, list[Point]]:
    """The observations per area (in the order areas first appear), oldest period first.

    With ``as_of``, a period that had not begun on that day is left out: its figure could
    not have been known. Periods are ordered by their end, then their start, so a month
    sorts inside the financial year that ends after it.
    """
    found: dict[str | None, list[Point]] = {}
    for obs in kpi.observations:
        point = _point(obs, kpi)
        if as_of is not None and point.span.start is not None and point.span.start > as_of:
            continue
        found.setdefault(obs.area, []).append(point)
    for points in found.values():
        points.sort(key=lambda p: (p.span.end or dt.date.max, p.span.start or dt.date.max))
    return found


def direction(kpi: KPI) -> tuple[Direction | None, str]:
    """Which way is better, and why: ``("higher", "stated")``, ``("lower", "target")``, ``(None, "")``."""
    if kpi.polarity == "higher-is-better":
        return "higher", "stated"
    if kpi.polarity == "lower-is-better":
        return "lower", "stated"
    if kpi.polarity == "neutral" or kpi.target is None or kpi.target.value is None:
        return None, ""
    start = kpi.baseline.value if kpi.baseline is not None else None
    if start is None:
        start = next((o.value for o in kpi.observations if o.value is not None), None)
    if start is None or start == kpi.target.value:
        return None, ""
    return ("higher" if kpi.target.value > start else "lower"), "target"


TargetState = Literal["met", "on track", "off track", "missed", "not met", "no data", ""]
Trend = Literal["better", "worse", "same", "up", "down", ""]


@dataclass(frozen=True, slots=True)
class Assessment:
    """One series of a measure (one area) as of a day: latest, previous, change, target, rating."""

    measure: Measure
    area: str | None
    points: tuple[Point, ...]
    latest: Point | None
    previous: Point | None
    change: float | None
    trend: Trend
    target_state: TargetState
    rating: Rating | None
    rating_band: int | None  # index of the tolerance band the latest value falls in

    @property
    def off_target(self) -> bool:
        """Getting worse, a target missed or off track, or a rating outside the first (best) band."""
        return (
            self.trend == "worse"
            or self.target_state in ("missed", "off track")
            or (self.rating_band is not None and self.rating_band > 0)
        )

    def to_flat(self) -> dict[str, object]:
        """One CSV row: the fields of :data:`FLAT_FIELDS`."""
        kpi = self.measure.kpi
        target = kpi.target
        deadline = target.deadline if target is not None else None
        return {
            "plan": self.measure.plan.id,
            "id": kpi.id or "",
            "name": kpi.name,
            "section": self.measure.sections[-1].id if self.measure.sections else "",
            "item": self.measure.item_id or "",
            "area": self.area or "",
            "unit": kpi.unit or "",
            "polarity": kpi.polarity or "",
            "latest_period": self.latest.period if self.latest else "",
            "latest_value": _csv_number(self.latest.value if self.latest else None),
            "latest_text": self.latest.text or "" if self.latest else "",
            "previous_period": self.previous.period if self.previous else "",
            "previous_value": _csv_number(self.previous.value if self.previous else None),
            "previous_text": self.previous.text or "" if self.previous else "",
            "change": _csv_number(self.change),
            "trend": self.trend,
            "target_value": _csv_number(target.value if target else None),
            "target_text": (target.text or "") if target else "",
            "target_due": deadline.text if deadline else "",
            "target_due_end": deadline.end.isoformat() if deadline and deadline.end else "",
            "target_state": self.target_state,
            "rating": self.rating.label if self.rating else "",
            "off_target": "yes" if self.off_target else "no",
        }

    def to_json(self) -> dict[str, object]:
        kpi = self.measure.kpi
        target = kpi.target
        deadline = target.deadline if target is not None else None
        better, why = direction(kpi)
        return {
            "plan": self.measure.plan.id,
            "id": kpi.id,
            "name": kpi.name,
            "sections": [s.id for s in self.measure.sections],
            "item": self.measure.item_id,
            "area": self.area,
            "unit": kpi.unit,
            "polarity": kpi.polarity,
            "better": better,
            "better_because": why or None,
            "latest": self.latest.to_json() if self.latest else None,
            "previous": self.previous.to_json() if self.previous else None,
            "change": self.change,
            "trend": self.trend or None,
            "target": (
                {
                    "value": target.value,
                    "text": target.text,
                    "due": deadline.to_json() if deadline else None,
                }
                if target
                else None
            ),
            "target_state": self.target_state or None,
            "rating": self.rating.label if self.rating else None,
            "off_target": self.off_target,
            "series": [p.to_json() for p in self.points],
        }


FLAT_FIELDS = (
    "plan",
    "id",
    "name",
    "section",
    "item",
    "area",
    "unit",
    "polarity",
    "latest_period",
    "latest_value",
    "latest_text",
    "previous_period",
    "previous_value",
    "previous_text",
    "change",
    "trend",
    "target_value",
    "target_text",
    "target_due",
    "target_due_end",
    "target_state",
    "rating",
    "off_target",
)


def _csv_number(value: float | None) -> str:
    return format_number(value) if value is not None else ""


def format_number(value: float) -> str:
    """A number as people write it: ``12`` not ``12.0``, ``3.8`` not ``3.7999999999999972``."""
    if math.isfinite(value) and value == int(value):
        return str(int(value))
    return f"{value:.10g}"


def _decimals(value: float) -> int:
    text = format_number(value)
    return len(text.split(".")[1]) if "." in text and "e" not in text else 0


def _meets(value: float, target: float, better: Direction | None) -> bool:
    if better == "higher":
        return value >= target
    if better == "lower":
        return value <= target
    return value == target


def _rating(measure: Measure, value: float | None) -> tuple[Rating | None, int | None]:
    tolerance = measure.kpi.tolerance
    if tolerance is None or value is None:
        return None, None
    scale = measure.plan.scale(tolerance.scale or measure.scale_id)
    for k, band in enumerate(tolerance.bands):
        if (band.min is None or value >= band.min) and (band.max is None or value <= band.max):
            return rating_on(scale, band.rating), k
    return None, None


def _assess_series(measure: Measure, area: str | None, points: list[Point], as_of: dt.date) -> Assessment:
    kpi = measure.kpi
    better, _ = direction(kpi)
    latest = points[-1] if points else None
    previous = points[-2] if len(points) > 1 else None
    change: float | None = None
    trend: Trend = ""
    if (
        latest is not None
        and previous is not None
        and latest.value is not None
        and previous.value is not None
    ):
        change = round(latest.value - previous.value, max(_decimals(latest.value), _decimals(previous.value)))
        if change == 0:
            trend = "same"
        elif better is None:
            trend = "up" if change > 0 else "down"
        else:
            trend = "better" if (change > 0) == (better == "higher") else "worse"
    state: TargetState = ""
    target = kpi.target
    if target is not None and target.value is not None:
        if latest is None or latest.value is None:
            state = "no data"
        elif _meets(latest.value, target.value, better):
            state = "met"
        else:
            deadline = target.deadline
            if deadline is not None and deadline.end is not None and deadline.end < as_of:
                state = "missed"
            elif trend == "better":
                state = "on track"
            elif trend in ("worse", "same"):
                state = "off track"
            else:
                state = "not met"
    rating, band = _rating(measure, latest.value if latest else None)
    return Assessment(measure, area, tuple(points), latest, previous, change, trend, state, rating, band)


def assess(measure: Measure, as_of: dt.date) -> list[Assessment]:
    """Each area's series of ``measure`` as of ``as_of``; one (empty) for a measure with no figures."""
    found = series(measure.kpi, as_of)
    if not found:
        return [_assess_series(measure, None, [], as_of)]
    return [_assess_series(measure, area, points, as_of) for area, points in found.items()]


def sparkline(values: Iterable[float | None]) -> str:
    """A small chart in text, one bar per figure (a gap for none): ``▁▃▅█``."""
    bars = "▁▂▃▄▅▆▇█"
    numbers = list(values)
    known = [v for v in numbers if v is not None]
    if not known:
        return ""
    low, high = min(known), max(known)
    span = high - low
    out = []
    for v in numbers:
        if v is None:
            out.append(" ")
        else:
            out.append(bars[round((v - low) / span * (len(bars) - 1))] if span else bars[len(bars) // 2])
    return "".join(out)


def figure_number(text: str) -> float | None:
    """The first number in a figure as printed: ``'152,430 between ...'`` -> 152430, ``'-59.1%'`` -> -59.1."""
    m = re.search(r"(?<![\w.])[-−]?\d[\d,]*(?:\.\d+)?", text)
    if m is None:
        return None
    raw = m[0].replace(",", "").replace("−", "-")
    try:
        return float(raw)
    except ValueError:
        return None


OBSERVATION_FIELDS = (
    "plan",
    "kpi_id",
    "kpi",
    "unit",
    "polarity",
    "area",
    "period",
    "period_start",
    "period_end",
    "value",
    "figure_as_printed",
    "target_value",
    "target",
    "target_due",
    "source",
)
"""The columns of ``planctl export --kpis`` and the KPIs sheet of the xlsx export."""


def observation_rows(plans: Iterable[Plan], as_of: dt.date) -> list[dict[str, str]]:
    """One row of text per figure of every measure (as of a day), for spreadsheets."""
    rows: list[dict[str, str]] = []
    for plan in plans:
        for m in measures(plan):
            kpi = m.kpi
            target = kpi.target
            deadline = target.deadline if target is not None else None
            for points in series(kpi, as_of).values():
                for p in points:
                    rows.append(
                        {
                            "plan": plan.id,
                            "kpi_id": kpi.id or "",
                            "kpi": kpi.name,
                            "unit": kpi.unit or "",
                            "polarity": kpi.polarity or "",
                            "area": p.area or "",
                            "period": p.period,
                            "period_start": p.span.start.isoformat() if p.span.start else "",
                            "period_end": p.span.end.isoformat() if p.span.end else "",
                            "value": format_number(p.value) if p.value is not None else "",
                            "figure_as_printed": p.text or "",
                            "target_value": format_number(target.value)
                            if target and target.value is not None
                            else "",
                            "target": (target.text or "") if target else "",
                            "target_due": deadline.text if deadline else "",
                            "source": p.provenance.words() if p.provenance else "",
                        }
                    )
    return rows

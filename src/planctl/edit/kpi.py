"""Recording a KPI figure (``planctl update --kpi``).

A pure function from a plan's text to its new text, like every edit: it writes with the
round-trip writer of :mod:`planctl.edit.roundtrip`, so only the lines of the new
observation change and comments and layout stay, and it checks the plan before and
after as every plan edit does (:mod:`planctl.edit.operations`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from planctl.core.kpi import format_number, measures
from planctl.core.models import KPI
from planctl.core.periods import PERIOD_FORMS, parse_period
from planctl.edit.operations import EditError, check_valid, loaded_plan
from planctl.edit.roundtrip import append, edit_text, follow, set_key

__all__ = ["KPI_ORDER", "ObservationRequest", "record_observation"]

KPI_ORDER = list(KPI.model_fields)


@dataclass(frozen=True, slots=True)
class ObservationRequest:
    """What ``planctl update --kpi`` records: a period, a value, and optionally area and figure."""

    period: str
    value: float
    area: str | None = None
    figure: str | None = None  # the figure as printed; default: the value as given


def _number(value: float) -> int | float:
    """``12`` for 12.0, so the file says what the user typed."""
    return int(value) if value == int(value) else value


def _span(period: str) -> tuple[object, object]:
    found = parse_period(period)
    return found.start, found.end


def record_observation(text: str, file: str, kpi_id: str, req: ObservationRequest) -> tuple[str, str | None]:
    """The plan text with a figure for ``kpi_id`` added, and a notice for the user.

    A figure for a period (and area) the KPI already has replaces it, and the notice
    says what it replaced: one figure per period is what every chart and trend reads.
    """
    period = req.period.strip()
    try:
        span = parse_period(period)
    except ValueError:
        raise EditError(f"cannot read {req.period!r} as a period", f"write e.g. {PERIOD_FORMS}") from None
    area = req.area.strip() if req.area is not None else None
    if area is not None and not area:
        raise EditError("--area must not be empty", "give the area, or leave --area out")
    figure = req.figure.strip() if req.figure is not None else format_number(req.value)
    if not figure:
        raise EditError("--figure must not be empty", "give the figure as printed, or leave --figure out")
    plan = loaded_plan(text, file).plan
    assert plan is not None  # loaded_plan refuses an invalid plan
    found = [m for m in measures(plan) if m.kpi.id == kpi_id]
    if not found:
        raise EditError(f"no measure {kpi_id!r} in {file}")
    measure = found[0]
    same = next(
        (
            k
            for k, o in enumerate(measure.kpi.observations)
            if (o.area or None) == area and _span(o.period) == (span.start, span.end)
        ),
        None,
    )
    notice: str | None = None
    if same is not None:
        old = measure.kpi.observations[same]
        if old.value == req.value and (old.text or None) == figure:
            raise EditError(
                f"{kpi_id} already has {figure} for {old.period}" + (f" in {area}" if area else ""),
                "nothing to record",
            )
        was = old.text or (format_number(old.value) if old.value is not None else "no figure")
        notice = f"{kpi_id}: the figure for {old.period} was {was}; it is now {figure}"

    def change(data: Any) -> None:
        node = follow(data, measure.path)
        entry = CommentedMap()
        entry["period"] = period
        if area is not None:
            entry["area"] = area
        entry["value"] = _number(req.value)
        entry["text"] = figure
        seq = node.get("observations")
        if isinstance(seq, CommentedSeq) and len(seq):
            last = seq[-1]
            if isinstance(last, CommentedMap) and last.fa.flow_style():
                entry.fa.set_flow_style()  # as the figures above it are written
            if same is not None:
                old_entry = seq[same]
                for key in ("value", "text"):
                    old_entry[key] = entry[key]
                old_entry.pop("provenance", None)  # the new figure does not come from that source
            else:
                append(seq, entry)
        else:
            set_key(node, "observations", CommentedSeq([entry]), KPI_ORDER)

    new = edit_text(text, change)
    check_valid(new, file)
    return new, notice

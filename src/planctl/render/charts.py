"""Trend charts of KPIs, drawn by matplotlib (Agg, no display) as SVG or PNG.

matplotlib rather than hand-drawn SVG: axes, ticks, scaling and text layout are its
job and it does them well. The SVG is byte-for-byte reproducible (``svg.hashsalt`` fixes
the ids, ``Date: None`` drops the timestamp), so a rendered report diffs cleanly in git.
A chart is never the only place a figure is: templates put the figures in a table
beside it (see :func:`chart_rows`), and the SVG carries a title and ``aria-label``.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from planctl.core.kpi import Assessment, assess, format_number, measures
from planctl.core.models import Plan

__all__ = ["ChartRow", "chart_rows", "trend_chart"]

_SALT = "planctl"  # any fixed text: the ids matplotlib writes are hashed from it


@dataclass(frozen=True, slots=True)
class ChartRow:
    """One figure of a chart, for the table beside it."""

    period: str
    area: str
    figure: str


def chart_rows(series: Sequence[Assessment]) -> list[ChartRow]:
    """The figures a chart plots, as printed, in its order (areas, then periods)."""
    return [
        ChartRow(p.period, a.area or "", p.label) for a in series for p in a.points if p.value is not None
    ]


def _periods(series: Sequence[Assessment]) -> list[str]:
    """Every period of the series once, oldest first (ordered as :func:`planctl.core.kpi.series` does)."""
    seen: dict[str, tuple[dt.date, dt.date]] = {}
    for a in series:
        for p in a.points:
            seen.setdefault(p.period, (p.span.end or dt.date.max, p.span.start or dt.date.max))
    return sorted(seen, key=lambda k: seen[k])


def trend_chart(series: Sequence[Assessment], *, fmt: str = "svg") -> bytes:
    """A line chart of a measure's figures, one line per area: SVG (default) or PNG bytes."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    kpi = series[0].measure.kpi
    title = "\n".join(textwrap.wrap(kpi.name, 70)) or kpi.name
    periods = _periods(series)
    # text.parse_math off: a name, unit or figure is plan text, never TeX ("$5 to $10", or a
    # "$\\frac{" that matplotlib's mathtext cannot parse and would raise on).
    with matplotlib.rc_context(
        {"svg.hashsalt": _SALT, "svg.fonttype": "none", "font.size": 9, "text.parse_math": False}
    ):
        fig = Figure(figsize=(6.4, 3.2), dpi=100)
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        for a in series:
            xs = [periods.index(p.period) for p in a.points if p.value is not None]
            ys = [p.value for p in a.points if p.value is not None]
            ax.plot(xs, ys, marker="o", label=a.area or kpi.name)
            labels = [p.label for p in a.points if p.value is not None]
            for x, y, label in zip(xs, ys, labels, strict=True):
                ax.annotate(label, (x, y), textcoords="offset points", xytext=(0, 5), ha="center")
        target = kpi.target
        if target is not None and target.value is not None:
            ax.axhline(
                target.value, linestyle="--", color="grey", label=f"target {target.text or target.value}"
            )
        ax.set_xticks(range(len(periods)), periods)
        ax.set_title(title)
        ax.set_xlabel("Period")
        ax.set_ylabel(kpi.unit or "Value")
        if len(series) > 1 or (target is not None and target.value is not None):
            ax.legend(loc="best")
        ax.margins(x=0.1, y=0.2)
        fig.tight_layout()
        out = io.BytesIO()
        if fmt == "png":
            fig.savefig(out, format="png", metadata={"Software": None})
            return out.getvalue()
        fig.savefig(out, format="svg", metadata={"Date": None, "Title": kpi.name, "Creator": None})
    svg = out.getvalue().decode("utf-8")
    label = html.escape(f"Chart: {kpi.name}, by period; the figures are in the table beside it.", quote=True)
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)
    return svg.encode("utf-8")


def data_uri(series: Sequence[Assessment]) -> str:
    """The SVG chart as a ``data:`` URI, for an ``<img>`` in Markdown or HTML."""
    return "data:image/svg+xml;base64," + base64.b64encode(trend_chart(series)).decode("ascii")


@dataclass(frozen=True, slots=True)
class KPIView:
    """A measure as templates see it: ``kpis`` in every template, charted with ``kpi_chart(k)``."""

    id: str
    name: str
    unit: str
    target: str
    series: tuple[Assessment, ...]
    rows: tuple[ChartRow, ...]

    @property
    def charted(self) -> bool:
        """True when there are figures to chart (a target alone draws nothing)."""
        return bool(self.rows)


def kpi_views(plan: Plan, as_of: dt.date, section_id: str | None = None) -> list[KPIView]:
    """The plan's measures as of a day; with a section, only those under it."""
    views = []
    for m in measures(plan):
        if section_id is not None and not any(s.id == section_id for s in m.sections):
            continue
        series = tuple(assess(m, as_of))
        target = m.kpi.target
        words = ""
        if target is not None:
            words = target.text or (format_number(target.value) if target.value is not None else "")
            deadline = target.deadline
            if deadline is not None and deadline.text.casefold() not in words.casefold():
                words += f" ({deadline.text})"
        views.append(
            KPIView(m.kpi.id or "", m.kpi.name, m.kpi.unit or "", words, series, tuple(chart_rows(series)))
        )
    return views


def chart_alt(view: KPIView) -> str:
    """The chart's text alternative: what it shows, and where its figures are."""
    return f"Trend chart of {view.name}; the figures are in the table below."


def chart_img(view: KPIView) -> str:
    """An ``<img>`` of the view's chart, with alt text; '' when there is nothing to chart."""
    if not view.charted:
        return ""
    alt = html.escape(chart_alt(view), quote=True)
    return f'<img alt="{alt}" src="{data_uri(view.series)}">'

"""Trend charts of KPIs: by matplotlib (Agg, no display) for reports, directly for the site.

Reports embed a few charts, and matplotlib's axes, ticks, scaling and text layout earn
their 77 ms a chart there. The website draws one per measure on every build, so it uses
:func:`trend_svg`, a plain line chart written as SVG in well under a millisecond.
Both are byte-for-byte reproducible (for matplotlib, ``svg.hashsalt`` fixes the ids and
``Date: None`` drops the timestamp), so a rendered report or site diffs cleanly in git.
A chart is never the only place a figure is: templates put the figures in a table
beside it (see :func:`chart_rows`), and the SVG carries a title and ``aria-label``.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from planctl.core.kpi import Assessment, assess, format_number, measures
from planctl.core.models import Plan

__all__ = ["ChartRow", "chart_rows", "trend_chart", "trend_svg"]

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


# --- The site's trend chart: drawn as SVG directly -------------------------------------
#
# A site draws one chart per measure, on every build: matplotlib took about 77 ms a chart
# (text layout for tight_layout, then the SVG backend), most of the site's build time on
# the shipped plans. This chart is a few lines, points and words on a fixed canvas, so it
# is written here in well under a millisecond. Text is never measured: widths are
# estimated from the character count (generously, so words do not collide), and long
# words wrap. The figures stay in the table beside the chart, and in its <desc>.

_W, _H = 640, 320  # the <img> on the measure page is this size
_FONT = "Arial, Helvetica, sans-serif"
_CHAR = 6.6  # a 12px character's width, generously, for layout without font metrics
_INK = "#0b0c0c"
_GREY = "#505a5f"
# GOV.UK colours with at least 3:1 contrast on white (WCAG 1.4.11, graphical objects).
_COLOURS = ("#1d70b8", "#d4351c", "#00703c", "#4c2c92", "#d53880", "#28a197", _INK)


def _x(text: str) -> str:
    """Text for SVG, escaped (plan text is never markup)."""
    return html.escape(text, quote=True)


def _n(value: float) -> str:
    """A coordinate: one decimal, fixed, so the SVG is the same bytes on every build."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _nice_step(span: float) -> float:
    """A step of 1, 2, 2.5 or 5 times a power of ten giving about five ticks over ``span``."""
    raw = span / 5
    power = 10.0 ** math.floor(math.log10(raw))
    return next(k * power for k in (1, 2, 2.5, 5, 10) if k * power >= raw)


def _ticks(lo: float, hi: float) -> tuple[list[float], int]:
    """Tick values inside [lo, hi] and the decimals their labels need."""
    step = _nice_step(hi - lo)
    first = math.ceil(lo / step - 1e-9)
    ticks = []
    k = first
    while k * step <= hi + step * 1e-9:
        ticks.append(0.0 if k == 0 else k * step)
        k += 1
    text = f"{step:.10g}"
    decimals = len(text.split(".")[1]) if "." in text and "e" not in text else 0
    return ticks, decimals


def _lines(text: str, chars: int) -> list[str]:
    return textwrap.wrap(text, max(chars, 4), break_long_words=True) or [text]


def _text(x: float, y: float, lines: list[str], attrs: str, step: float = 14) -> str:
    """One <text> of one or more lines, the first at (x, y)."""
    if len(lines) == 1:
        return f'<text x="{_n(x)}" y="{_n(y)}" {attrs}>{_x(lines[0])}</text>'
    spans = "".join(
        f'<tspan x="{_n(x)}" y="{_n(y + i * step)}">{_x(line)}</tspan>' for i, line in enumerate(lines)
    )
    return f"<text {attrs}>{spans}</text>"


def _plottable(value: float) -> bool:
    """A number a chart can place: finite, and small enough that the axis's span stays
    finite (a plan may say ``.inf``; like matplotlib, the chart leaves it out, and the
    table beside it still shows the figure)."""
    return math.isfinite(value) and abs(value) <= 1e100


def trend_svg(series: Sequence[Assessment]) -> bytes:
    """A line chart of a measure's figures, one line per area, as a small standalone SVG.

    Every point is a ``<circle class="point">`` whose ``<title>`` is its period (and area)
    and figure, and whose label is the figure as printed; the y axis's tick labels sit at
    their ticks' heights, so a reader (or a test) can read each value back off the chart.
    """
    kpi = series[0].measure.kpi
    periods = _periods(series)
    target = kpi.target.value if kpi.target is not None else None
    target_words = ""
    if kpi.target is not None and target is not None:
        target_words = f"target {kpi.target.text or format_number(target)}"
    if target is not None and not _plottable(target):
        target, target_words = None, ""
    plotted = [[p for p in a.points if p.value is not None and _plottable(p.value)] for a in series]
    values = [p.value for pts in plotted for p in pts if p.value is not None]
    if target is not None:
        values.append(target)
    lo, hi = (min(values), max(values)) if values else (0.0, 1.0)
    pad = (hi - lo) * 0.2 if hi > lo else (abs(hi) * 0.1 or 1.0)
    lo, hi = lo - pad, hi + pad
    ticks, decimals = _ticks(lo, hi)
    tick_words = [f"{t:,.{decimals}f}" for t in ticks]

    out: list[str] = []
    # Title, then the legend (areas and target), each wrapped to the width.
    top = 20.0
    title = _lines(kpi.name, int((_W - 20) / 7.4))
    out.append(_text(_W / 2, top, title, 'text-anchor="middle" font-size="13" font-weight="bold"', 16))
    top += 16 * (len(title) - 1) + 10
    keys: list[tuple[str, str, bool]] = []  # (words, colour, dashed)
    if len(series) > 1:
        keys += [(a.area or kpi.name, _COLOURS[i % len(_COLOURS)], False) for i, a in enumerate(series)]
    if target_words:
        keys.append((target_words, _GREY, True))
    x, row_h, legend = 10.0, 0.0, []
    if keys:
        top += 8
    for words, colour, dashed in keys:
        lines = _lines(words, int((_W - 60) / _CHAR))
        width = 34 + _CHAR * max(len(line) for line in lines)
        if x > 10 and x + width > _W - 10:
            x, top, row_h = 10.0, top + row_h + 4, 0.0
        dash = ' stroke-dasharray="6 4"' if dashed else ""
        mid = top + 7
        legend.append(
            f'<line x1="{_n(x)}" y1="{_n(mid)}" x2="{_n(x + 24)}" y2="{_n(mid)}" stroke="{colour}" '
            f'stroke-width="2"{dash}/>'
        )
        if not dashed:
            legend.append(f'<circle cx="{_n(x + 12)}" cy="{_n(mid)}" r="4" fill="{colour}"/>')
        legend.append(_text(x + 30, mid + 4, lines, 'font-size="12"'))
        x += width + 16
        row_h = max(row_h, 14.0 * len(lines))
    if keys:
        out.append(f'<g class="legend">{"".join(legend)}</g>')
        top += row_h
    top += 22  # room for the highest point's label

    # Margins: the y axis's words on the left, the periods (wrapped to their slot) below.
    left = 10 + 16 + 8 + _CHAR * max(len(w) for w in tick_words) + 6
    right = _W - 20
    slot = (right - left) / len(periods)
    period_lines = [_lines(p, int(slot / _CHAR) - 1) for p in periods]
    bottom = _H - 32.0 - 14 * max(len(lines) for lines in period_lines)
    if bottom - top < 60:  # a very long title or legend: the plot keeps a usable height
        bottom = top + 60

    def y_of(value: float) -> float:
        return bottom - (value - lo) / (hi - lo) * (bottom - top)

    def x_of(period: str) -> float:
        return left + slot * (periods.index(period) + 0.5)

    axes = [f'<line x1="{_n(left)}" y1="{_n(bottom)}" x2="{_n(right)}" y2="{_n(bottom)}" stroke="{_INK}"/>']
    axes.append(f'<line x1="{_n(left)}" y1="{_n(top)}" x2="{_n(left)}" y2="{_n(bottom)}" stroke="{_INK}"/>')
    for t, words in zip(ticks, tick_words, strict=True):
        y = y_of(t)
        axes.append(
            f'<line x1="{_n(left)}" y1="{_n(y)}" x2="{_n(right)}" y2="{_n(y)}" stroke="#d8d8d8"/>'
            f'<line x1="{_n(left - 5)}" y1="{_n(y)}" x2="{_n(left)}" y2="{_n(y)}" stroke="{_INK}"/>'
            f'<text class="ytick" x="{_n(left - 8)}" y="{_n(y)}" text-anchor="end" '
            f'dominant-baseline="middle" font-size="12">{_x(words)}</text>'
        )
    for period, lines in zip(periods, period_lines, strict=True):
        x = x_of(period)
        axes.append(
            f'<line x1="{_n(x)}" y1="{_n(bottom)}" x2="{_n(x)}" y2="{_n(bottom + 5)}" stroke="{_INK}"/>'
            + _text(x, bottom + 18, lines, 'class="xtick" text-anchor="middle" font-size="12"')
        )
    axes.append(_text((left + right) / 2, _H - 12, ["Period"], 'text-anchor="middle" font-size="12"'))
    mid_y = (top + bottom) / 2
    axes.append(
        f'<text x="20" y="{_n(mid_y)}" transform="rotate(-90 20 {_n(mid_y)})" text-anchor="middle" '
        f'font-size="12">{_x(kpi.unit or "Value")}</text>'
    )
    out.append(f'<g class="axes">{"".join(axes)}</g>')

    if target is not None:
        y = y_of(target)
        out.append(
            f'<line class="target" x1="{_n(left)}" y1="{_n(y)}" x2="{_n(right)}" y2="{_n(y)}" '
            f'stroke="{_GREY}" stroke-width="1.5" stroke-dasharray="6 4"/>'
        )
    for i, (a, pts) in enumerate(zip(series, plotted, strict=True)):
        colour = _COLOURS[i % len(_COLOURS)]
        xy = [(x_of(p.period), y_of(p.value)) for p in pts if p.value is not None]
        line = [f'<g class="series" fill="{colour}">']
        if len(xy) > 1:
            points = " ".join(f"{_n(x)},{_n(y)}" for x, y in xy)
            line.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for p, (x, y) in zip(pts, xy, strict=True):
            what = f"{a.area}, {p.period}" if a.area else p.period
            line.append(
                f'<circle class="point" cx="{_n(x)}" cy="{_n(y)}" r="4">'
                f"<title>{_x(what)}: {_x(p.label)}</title></circle>"
                f'<text class="figure" x="{_n(x)}" y="{_n(y - 9)}" text-anchor="middle" '
                f'font-size="11" fill="{_INK}">{_x(p.label)}</text>'
            )
        line.append("</g>")
        out.append("".join(line))

    figures = "; ".join(
        f"{a.area + ', ' if a.area else ''}{p.period}: {p.label}"
        for a, pts in zip(series, plotted, strict=True)
        for p in pts
    )
    desc = f"Line chart of {kpi.name} by period, in {kpi.unit or 'value'}: {figures}."
    if target_words:
        desc += f" A dashed line marks the {target_words}."
    label = f"Chart: {kpi.name}, by period; the figures are in the table beside it."
    head = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_W}" height="{_H}" viewBox="0 0 {_W} {_H}" '
        f'role="img" aria-label="{_x(label)}" font-family="{_FONT}" fill="{_INK}">\n'
        f"<title>{_x(kpi.name)}</title>\n<desc>{_x(desc)}</desc>\n"
        f'<rect width="{_W}" height="{_H}" fill="#ffffff"/>\n'
    )
    return (head + "\n".join(out) + "\n</svg>\n").encode("utf-8")


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

"""The site's measures of success: a Measures page per plan and a page per measure.

What a measure says (latest figure, previous, change, target, rating) comes from
:func:`planctl.render.charts.kpi_views`, so the site never disagrees with the board
report, the board pack or ``planctl kpis``. Each chart is a small SVG drawn directly
(:func:`planctl.render.charts.trend_svg`: matplotlib cost more than the rest of the site),
written as a file of the site beside its page (an ``<img>``, which runs no script); its
figures are a table under it. File names come from :class:`planctl.site.build.Names`, as
item pages' do, with one base name per measure for its page and its chart.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from planctl.core.kpi import direction, format_number

if TYPE_CHECKING:
    import jinja2

    from planctl.core.kpi import Assessment, Measure, Point
    from planctl.core.models import Provenance
    from planctl.render.charts import KPIView
    from planctl.site.build import ItemEntry, PlanEntry, Site


@dataclass(slots=True)
class MeasureEntry:
    """One measure of a plan as the site shows it: its view, where its pages go."""

    view: KPIView
    plan: PlanEntry
    base: str  # file name without suffix, unique in the plan's measures folder
    item: ItemEntry | None  # the item the measure belongs to, if any

    @property
    def measure(self) -> Measure:
        return self.view.series[0].measure  # assess() gives at least one series

    @property
    def url(self) -> str:
        return f"plans/{self.plan.slug}/measures/{self.base}.html"

    @property
    def chart_url(self) -> str:
        return f"plans/{self.plan.slug}/measures/{self.base}.svg"

    @property
    def title(self) -> str:
        return f"{self.view.id}: {self.view.name}" if self.view.id else self.view.name

    @property
    def off_target(self) -> bool:
        """Any area's series off target (see :attr:`planctl.core.kpi.Assessment.off_target`)."""
        return any(s.off_target for s in self.view.series)

    @property
    def better(self) -> str:
        """Which way is better, in words, and why (never guessed: see :func:`direction`)."""
        way, why = direction(self.measure.kpi)
        if way is None:
            return "Not stated by the source"
        because = "as the source states" if why == "stated" else "as its target implies"
        return f"{way.capitalize()} is better ({because})"

    @property
    def areas(self) -> bool:
        return any(s.area for s in self.view.series)


def measures_url(p: PlanEntry) -> str:
    return f"plans/{p.slug}/measures/index.html"


def gather_measures(p: PlanEntry, as_of: date) -> list[MeasureEntry]:
    """The plan's measures as of a day, in document order, with unique file names."""
    from planctl.render.charts import kpi_views
    from planctl.site.build import Names

    names = Names(["index"])
    out = []
    for view in kpi_views(p.plan, as_of):
        m = view.series[0].measure
        item = p.by_id.get(m.item_id) if m.item_id else None
        out.append(MeasureEntry(view, p, names.take(m.kpi.id or m.kpi.name), item))
    return out


def off_target_count(entries: Iterable[MeasureEntry], closed: bool) -> int:
    """Measures off target; none for a closed plan, whose work is over (as its actions
    are not counted overdue)."""
    return 0 if closed else sum(1 for m in entries if m.off_target)


def signed(value: float | None) -> str:
    """A change as people write it: ``+0.3``, ``-856``, ``0``."""
    if value is None:
        return ""
    text = format_number(value)
    return f"+{text}" if value > 0 else text


def source_words(provenance: Provenance | None) -> str:
    """Where the source prints a figure: file, section and line, and the transcriber's note."""
    if provenance is None:
        return "Not given"
    words = provenance.words()
    return f"{words} ({provenance.note})" if provenance.note else words


def point_words(point: Point | None) -> str:
    return f"{point.label} ({point.period})" if point is not None else ""


def change_words(s: Assessment) -> str:
    if s.change is None:
        return ""
    return f"{signed(s.change)} ({s.trend})" if s.trend else signed(s.change)


def search_entries(p: PlanEntry, entries: list[MeasureEntry]) -> list[list[str]]:
    """Search index entries: the plan's Measures page and each measure's page."""
    if not entries:
        return []
    found = [[f"Measures: {p.plan.title}", measures_url(p), p.plan.title, "measures KPIs performance"]]
    for m in entries:
        words = " ".join(x for x in (m.view.id, m.view.name, m.view.unit, "measure KPI") if x)
        found.append([m.title, m.url, p.plan.title, words])
    return found


def measure_pages(
    env: jinja2.Environment,
    render: Callable[..., tuple[str, str]],
    site: Site,
    plans: Iterable[PlanEntry],
) -> Iterable[tuple[str, str]]:
    """(site-relative path, HTML) of each plan's Measures page and its measures' pages."""
    listing = env.get_template("measures.html")
    page = env.get_template("measure.html")
    for p in plans:
        if not p.measures:
            continue
        yield render(listing, measures_url(p), p=p)
        for m in p.measures:
            yield render(page, m.url, p=p, m=m)


def measure_charts(entries: Iterable[MeasureEntry]) -> Iterable[tuple[str, bytes]]:
    """Each measure's trend chart as an SVG file of the site (only charted ones are given)."""
    from planctl.render.charts import trend_svg

    for m in entries:
        yield m.chart_url, trend_svg(m.view.series)

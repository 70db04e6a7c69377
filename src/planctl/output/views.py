"""What each result looks like: its rows for a table or Markdown, its JSON, its CSV.

Each result type here satisfies :class:`planctl.output.emit.Shaped`, so a command
computes the result and calls :func:`planctl.output.emit.emit`; no command decides
columns, colours or CSV fields itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from planctl.core.kpi import Assessment
    from planctl.core.query import LeadSummary, Stats
    from planctl.core.rows import Row
    from planctl.output.formats import Block, Cell

_STATE_COLOUR = {"met": "green", "on track": "green", "off track": "red", "missed": "red"}
_TREND_COLOUR = {"better": "green", "worse": "red"}


def due_cell(row: Row, raw: bool, as_of: date) -> Cell:
    from planctl.core.overdue import is_overdue
    from planctl.output.formats import Cell

    d = row.due
    if d is None:
        rec = row.repeats
        return Cell(f"repeats: {rec.words()}" if rec else "")
    if not d.resolved:
        return Cell(f"{d.text} (no date)")
    text = d.words()
    if raw and d.text != text:
        text += f' ["{d.text}"]'
    late = is_overdue(d, done=row.done, as_of=as_of)
    return Cell(text, "red" if late else None)


def row_blocks(rows: Sequence[Row], raw: bool, as_of: date) -> list[Block]:
    """Rows grouped by plan, then section (document order); rows keep their order."""
    from planctl.core.query import section_label
    from planctl.output.formats import Block, Cell, Column

    rated = any(r.status is not None for r in rows)
    columns = [Column("ID", 24), Column("Item", flex=True), Column("Due", 30), Column("Lead", 28)]
    if rated:  # no empty Status column when no plan in the answer rates its items
        columns.append(Column("Status", 16))
    blocks: dict[tuple[str, ...], Block] = {}
    first: dict[tuple[str, ...], tuple[int, int]] = {}
    for row in rows:
        sections = " › ".join(section_label(s.kind, s.number, s.title) for s in row.sections)
        key = (f"{row.plan.title} ({row.file})", sections)
        block = blocks.setdefault(key, Block(key, columns))
        first[key] = min(first.get(key, row.order), row.order)
        rating = row.rating
        status = rating.label if rating else (row.status or "")
        cells = [
            Cell(row.id),
            Cell(row.title),
            due_cell(row, raw, as_of),
            Cell("; ".join(row.leads) or "—"),
        ]
        if rated:
            cells.append(Cell(status, rating.colour if rating else None))
        block.rows.append(cells)
    # Plans and sections in document order, as a reader checks them against the source.
    return sorted(blocks.values(), key=lambda b: first[b.headings])


def target_words(a: Assessment) -> str:
    target = a.measure.kpi.target
    if target is None:
        return ""
    from planctl.core.kpi import format_number

    words = target.text or (format_number(target.value) if target.value is not None else "")
    deadline = target.deadline
    if deadline is not None and deadline.text.casefold() not in words.casefold():
        words += f" ({deadline.text})"
    return words


def change_words(a: Assessment) -> str:
    from planctl.core.kpi import format_number

    if a.change is None:
        return ""
    sign = "+" if a.change > 0 else ""
    return f"{sign}{format_number(a.change)}"


def _measure_cells(a: Assessment) -> list[Cell]:
    from planctl.output.formats import Cell

    kpi = a.measure.kpi
    latest = (
        f"{a.latest.label} ({a.latest.period})" if a.latest and a.latest.period not in a.latest.label else ""
    )
    if a.latest and not latest:
        latest = a.latest.label
    previous = ""
    if a.previous:
        previous = (
            a.previous.label
            if a.previous.period in a.previous.label
            else f"{a.previous.label} ({a.previous.period})"
        )
    status: str = a.target_state
    if a.rating is not None:
        status = f"{a.rating.label}, {status}" if status else a.rating.label
    return [
        Cell(kpi.id or "—"),
        Cell(kpi.name),
        Cell(a.area or ""),
        Cell(latest or "no figures"),
        Cell(previous),
        Cell(f"{change_words(a)} {a.trend}".strip(), _TREND_COLOUR.get(a.trend)),
        Cell(target_words(a)),
        Cell(status, a.rating.colour if a.rating and a.rating.colour else _STATE_COLOUR.get(a.target_state)),
    ]


def measure_blocks(found: Sequence[Assessment]) -> list[Block]:
    """Measures grouped by plan, then section, in document order."""
    from planctl.core.query import section_label
    from planctl.output.formats import Block, Column

    with_area = any(a.area for a in found)  # no empty Area column for plans with one area
    columns = [
        Column("ID", 14),
        Column("Measure", flex=True),
        *([Column("Area", 8)] if with_area else []),
        Column("Latest", 16),
        Column("Previous", 14),
        Column("Change", 12),
        Column("Target", 16),
        Column("Status", 10),
    ]
    blocks: dict[tuple[str, ...], Block] = {}
    for a in found:
        m = a.measure
        where = (
            " › ".join(section_label(s.kind, s.number, s.title) for s in m.sections) or "Plan-wide measures"
        )
        key = (m.plan.title, where)
        cells = _measure_cells(a)
        if not with_area:
            del cells[2]
        blocks.setdefault(key, Block(key, columns)).rows.append(cells)
    return list(blocks.values())


@dataclass(frozen=True, slots=True)
class ItemRows:
    """Items as the query commands answer them: grouped tables for people, one record per
    item for machines (:meth:`planctl.core.rows.Row.to_json`, ``to_flat``)."""

    rows: Sequence[Row]
    raw: bool
    as_of: date

    @property
    def csv_fields(self) -> Sequence[str]:
        from planctl.core.rows import FLAT_FIELDS

        return FLAT_FIELDS

    def blocks(self) -> Sequence[Block]:
        return row_blocks(self.rows, self.raw, self.as_of)

    def to_json(self) -> Any:
        return [r.to_json() for r in self.rows]

    def records(self) -> Iterable[Mapping[str, object]]:
        return (r.to_flat() for r in self.rows)


@dataclass(frozen=True, slots=True)
class MeasureRows:
    """Measures of success, one per measure and area (``planctl kpis``)."""

    rows: Sequence[Assessment]

    @property
    def csv_fields(self) -> Sequence[str]:
        from planctl.core.kpi import FLAT_FIELDS

        return FLAT_FIELDS

    def blocks(self) -> Sequence[Block]:
        return measure_blocks(self.rows)

    def to_json(self) -> Any:
        return [a.to_json() for a in self.rows]

    def records(self) -> Iterable[Mapping[str, object]]:
        return (a.to_flat() for a in self.rows)


@dataclass(frozen=True, slots=True)
class LeadRows:
    """Per lead: open items, overdue items and the next deadline (``planctl leads``)."""

    summary: Sequence[LeadSummary]
    as_of: date
    csv_fields: Sequence[str] = ("lead", "open", "overdue", "next_due_text", "next_due_end", "next_item")

    def blocks(self) -> Sequence[Block]:
        from planctl.core.models import NO_LEAD_LABEL
        from planctl.output.formats import Block, Cell, Column

        columns = [Column("Lead", 40), Column("Open", 6), Column("Overdue", 8), Column("Next deadline", 50)]
        block = Block((f"Leads (as of {self.as_of.isoformat()})",), columns)
        for s in self.summary:
            nxt = f"{s.next_due.words()} ({s.next_item})" if s.next_due else "—"
            block.rows.append(
                [
                    Cell(s.lead or NO_LEAD_LABEL),
                    Cell(str(s.open)),
                    Cell(str(s.overdue), "red" if s.overdue else None),
                    Cell(nxt),
                ]
            )
        return [block]

    def to_json(self) -> Any:
        return [s.to_json() for s in self.summary]

    def records(self) -> Iterable[Mapping[str, object]]:
        return (
            {
                "lead": s.lead,
                "open": s.open,
                "overdue": s.overdue,
                "next_due_text": s.next_due.text if s.next_due else "",
                "next_due_end": s.next_due.end.isoformat() if s.next_due and s.next_due.end else "",
                "next_item": s.next_item or "",
            }
            for s in self.summary
        )


@dataclass(frozen=True, slots=True)
class StatsView:
    """Counts by plan, section and rating (``planctl stats``); CSV as group, key, count."""

    stats: Stats
    as_of: date
    csv_fields: Sequence[str] = ("group", "key", "count")

    def _groups(self) -> list[tuple[str, Mapping[str, int]]]:
        data = self.stats.to_json()
        return [
            ("totals", {k: v for k, v in data.items() if isinstance(v, int)}),
            ("by plan", self.stats.by_plan),
            ("by section", self.stats.by_section),
            ("by rating", self.stats.by_rating),
        ]

    def blocks(self) -> Sequence[Block]:
        from planctl.output.formats import Block, Cell, Column

        columns = [Column("Measure", 70), Column("Items", 8)]
        return [
            Block(
                (f"Statistics (as of {self.as_of.isoformat()})", g.capitalize()),
                columns,
                [[Cell(k.replace("_", " ")), Cell(str(n))] for k, n in counts.items()],
            )
            for g, counts in self._groups()
        ]

    def to_json(self) -> Any:
        return self.stats.to_json()

    def records(self) -> Iterable[Mapping[str, object]]:
        return ({"group": g, "key": k, "count": n} for g, counts in self._groups() for k, n in counts.items())

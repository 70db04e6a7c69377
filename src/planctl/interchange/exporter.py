"""Export plans' items as CSV, JSON, Excel or an iCalendar feed of deadlines.

Pure: each function takes loaded plans and returns text or bytes; the command writes it.
One row per item: plan, section, section path, id, kind, title, deadline as written with
its interval, leads and rating. The rating is the item's rating as of a day
(:meth:`planctl.core.models.Plan.rating_of`), whether it is written as ``status:`` or in
``updates:``, so it is the rating ``planctl show`` gives for that day. The calendar has an all-day event on the last day of each
resolved deadline with a stable UID (``plan-id/item-id@planctl``), so a lead who
subscribes to it sees a moved deadline move rather than a second event appear. Text goes
through icalendar, which escapes newlines and folds lines, so a title cannot add a
property or an event.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from planctl.core.models import NO_LEAD_LABEL, Item, Plan, walk_items

if TYPE_CHECKING:
    from planctl.core.dates import Recurrence

FIELDS = (
    "plan",
    "section",
    "section_path",
    "id",
    "kind",
    "title",
    "due",
    "due_start",
    "due_end",
    "leads",
    "status",
)
LEAD_SEPARATOR = "; "


def rows(plans: Iterable[Plan], as_of: dt.date) -> list[dict[str, str]]:
    """One flat record per item, in document order, rated as of ``as_of``."""
    out: list[dict[str, str]] = []
    for plan in plans:
        for loc in walk_items(plan):
            item, deadline = loc.item, loc.item.deadline
            resolved = deadline is not None and deadline.resolved
            rating = plan.rating_of(item, as_of)
            out.append(
                {
                    "plan": plan.id,
                    "section": loc.sections[-1].id,
                    "section_path": " > ".join(loc.section_titles),
                    "id": item.id,
                    "kind": item.kind,
                    "title": item.title,
                    "due": deadline.text if deadline else "",
                    "due_start": deadline.start.isoformat()
                    if resolved and deadline and deadline.start
                    else "",
                    "due_end": deadline.end.isoformat() if resolved and deadline and deadline.end else "",
                    "leads": LEAD_SEPARATOR.join(lead.label() for lead in loc.leads),
                    "status": rating.status if rating else "",
                }
            )
    return out


def to_csv(records: list[dict[str, str]]) -> str:
    from planctl.output.formats import write_csv

    buf = io.StringIO()
    write_csv(records, FIELDS, buf)
    return buf.getvalue()


def to_json(records: list[dict[str, str]]) -> str:
    from planctl.output.formats import write_json

    buf = io.StringIO()
    write_json(records, buf)
    return buf.getvalue()


def to_xlsx(records: list[dict[str, str]]) -> bytes:
    """A workbook with one sheet of items; every cell is text, never a formula.

    Cells are typed as text, and one starting with ``= + - @`` also gets Excel's quote
    prefix, so it stays text even when someone edits it. Control characters, which a
    workbook cannot hold, are made visible (:func:`planctl.core.text.safe_text`).
    """
    from openpyxl import Workbook  # type: ignore[import-untyped]

    from planctl.core.text import FORMULA_START, safe_text

    wb = Workbook()
    ws: Any = wb.active
    ws.title = "Items"
    ws.append(list(FIELDS))
    for record in records:
        ws.append([None] * len(FIELDS))
        row = ws.max_row
        for col, name in enumerate(FIELDS, 1):
            value = record.get(name, "")
            if value:
                cell = ws.cell(row=row, column=col)
                cell.value = safe_text(value)
                cell.data_type = "s"  # "=SUM(...)" in a title stays text
                if value.startswith(FORMULA_START):
                    cell.quotePrefix = True
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


_FREQ = {"day": "DAILY", "week": "WEEKLY", "month": "MONTHLY", "year": "YEARLY"}


def _rrule(repeats: Recurrence) -> dict[str, object] | None:
    """RRULE of a recurrence at its shortest interval ("every 6 to 8 weeks": every 6),
    as ``show`` counts it; None for terms, whose dates vary by authority."""
    freq = _FREQ.get(repeats.unit or "")
    if freq is None or repeats.every_min is None:
        return None
    return {"freq": freq, "interval": repeats.every_min}


def to_ics(
    plans: Iterable[Plan], stamp: dt.datetime, keep: Callable[[Plan, Item], bool] | None = None
) -> bytes:
    """An iCalendar feed: one all-day event per resolved deadline, on its last day, and
    one recurring event (RRULE) per recurrence with a start, from its first day.

    ``stamp`` is the DTSTAMP of every event (the clock is the caller's); ``keep``, when
    given, chooses the items (``planctl site`` makes one feed per lead).
    """
    from icalendar import Calendar, Event

    from planctl.core.dates import add_clamped
    from planctl.core.text import safe_text

    cal = Calendar()
    cal.add("prodid", "-//planctl//plan deadlines//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Plan deadlines")
    for plan in plans:
        for loc in walk_items(plan):
            item, deadline = loc.item, loc.item.deadline
            if keep is not None and not keep(plan, item):
                continue
            if deadline is None or not deadline.resolved or deadline.end is None:
                continue
            leads = LEAD_SEPARATOR.join(lead.label() for lead in loc.leads) or NO_LEAD_LABEL
            event = Event()
            event.add("uid", f"{plan.id}/{item.id}@planctl")
            event.add("dtstamp", stamp)
            event.add("summary", safe_text(f"{item.id}: {item.title}"))
            event.add("dtstart", deadline.end)
            event.add("dtend", add_clamped(deadline.end, dt.timedelta(days=1)))
            event.add(
                "description",
                safe_text(
                    f"Lead: {leads}\nPlan: {plan.title} ({plan.id})\n"
                    f"Section: {' > '.join(loc.section_titles)}\nDeadline as written: {deadline.text}"
                ),
            )
            event.add("categories", [plan.id])
            cal.add_component(event)
        for loc in walk_items(plan):
            item, repeats = loc.item, loc.item.repeats
            if keep is not None and not keep(plan, item):
                continue
            rule = _rrule(repeats) if repeats is not None else None
            if repeats is None or rule is None or repeats.start is None or repeats.start.start is None:
                continue
            leads = LEAD_SEPARATOR.join(lead.label() for lead in loc.leads) or NO_LEAD_LABEL
            event = Event()
            event.add("uid", f"{plan.id}/{item.id}/repeats@planctl")
            event.add("dtstamp", stamp)
            event.add("summary", safe_text(f"{item.id}: {item.title}"))
            event.add("dtstart", repeats.start.start)
            event.add("dtend", add_clamped(repeats.start.start, dt.timedelta(days=1)))
            event.add("rrule", rule)
            event.add(
                "description",
                safe_text(
                    f"Lead: {leads}\nPlan: {plan.title} ({plan.id})\n"
                    f"Section: {' > '.join(loc.section_titles)}\nRepeats as written: {repeats.text}"
                ),
            )
            event.add("categories", [plan.id])
            cal.add_component(event)
    data: bytes = cal.to_ical()
    return data

"""Export plans' items as CSV, JSON, Excel or an iCalendar feed of deadlines.

Pure: each function takes loaded plans and returns text or bytes; the command writes it.
One row per item: plan, section, section path, id, kind, title, deadline as written with
its interval, leads and rating. The rating is the item's rating as of a day
(:meth:`planctl.core.models.Plan.rating_of`), whether it is written as ``status:`` or in
``updates:``, so it is the rating ``planctl show`` gives for that day. The calendar has an all-day event on the last day of each
resolved deadline with a stable UID (``plan-id/item-id@planctl``), so a lead who
subscribes to it sees a moved deadline move rather than a second event appear. Text is
escaped (newlines, ``;``, ``,``, ``\\``) and long lines folded as RFC 5545 says, so a
title cannot add a property or an event; the tests read every feed back with icalendar.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from planctl.core.dates import add_clamped
from planctl.core.models import NO_LEAD_LABEL, Item, Located, Plan, closure_of, walk_items
from planctl.core.text import safe_text

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
    "section_ids",
)
LEAD_SEPARATOR = "; "


def leads_match(loc: Located, lead: str | None) -> bool:
    """No ``lead`` given, or one of the item's leads (own or inherited) contains it, in any
    case: what ``--lead`` means in the queries."""
    wanted = lead.strip().casefold() if lead else ""
    return not wanted or any(wanted in x.label().casefold() for x in loc.leads)


def is_done(plan: Plan, loc: Located, as_of: dt.date) -> bool:
    """Rated done (a value with ``done: true``) as of the day."""
    step = plan.rating_of(loc.item, as_of)
    scale = plan.scale(loc.scale_id)
    value = scale.find(step.status) if scale is not None and step is not None else None
    return value is not None and value.done


def rows(plans: Iterable[Plan], as_of: dt.date, lead: str | None = None) -> list[dict[str, str]]:
    """One flat record per item (of ``lead`` if given), in document order, rated as of ``as_of``."""
    out: list[dict[str, str]] = []
    for plan in plans:
        for loc in walk_items(plan):
            if not leads_match(loc, lead):
                continue
            item, deadline = loc.item, loc.item.deadline
            resolved = deadline is not None and deadline.resolved
            rating = plan.rating_of(item, as_of)
            out.append(
                {
                    "plan": plan.id,
                    "section": loc.sections[-1].id,
                    "section_path": " > ".join(loc.section_titles),
                    "section_ids": " > ".join(s.id for s in loc.sections),
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


DATE_FIELDS = frozenset({"due_start", "due_end"})
DATE_FORMAT = "yyyy-mm-dd"  # ISO, as the CSV and JSON give it; Excel sorts and filters it as a date
MAX_WIDTH = 60  # characters: a long title wraps in its cell rather than widening the sheet


def to_xlsx(
    records: list[dict[str, str]],
    kpi_records: list[dict[str, str]] | None = None,
    kpi_fields: tuple[str, ...] = (),
) -> bytes:
    """A workbook with a sheet of items (and one of KPI figures when given); every cell is text or a date, never a formula.

    Text cells are typed as text, and one starting with ``= + - @`` also gets Excel's
    quote prefix, so it stays text even when someone edits it. Control characters, which
    a workbook cannot hold, are made visible (:func:`planctl.core.text.safe_text`). The
    deadline's first and last days are date cells (sortable and filterable as dates in
    Excel and LibreOffice); the header is bold, frozen and filtered, and each column is
    as wide as its longest value up to :data:`MAX_WIDTH`.
    """
    from openpyxl import Workbook  # type: ignore[import-untyped]
    from openpyxl.styles import Alignment, Font  # type: ignore[import-untyped]
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

    from planctl.core.text import FORMULA_START, safe_text

    wb = Workbook()
    ws: Any = wb.active
    ws.title = "Items"
    ws.append(list(FIELDS))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    widths = [len(name) for name in FIELDS]
    for record in records:
        ws.append([None] * len(FIELDS))
        row = ws.max_row
        for col, name in enumerate(FIELDS, 1):
            value = record.get(name, "")
            if not value:
                continue
            cell = ws.cell(row=row, column=col)
            if name in DATE_FIELDS:
                cell.value = dt.date.fromisoformat(value)
                cell.number_format = DATE_FORMAT
                widths[col - 1] = max(widths[col - 1], len(value))
                continue
            cell.value = safe_text(value)
            cell.data_type = "s"  # "=SUM(...)" in a title stays text
            if value.startswith(FORMULA_START):
                cell.quotePrefix = True
            if len(value) > MAX_WIDTH:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            widths[col - 1] = max(widths[col - 1], min(len(value), MAX_WIDTH))
    for col, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(col)].width = width + 2
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    if kpi_records:
        _kpi_sheet(wb.create_sheet("KPIs"), kpi_fields, kpi_records)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _kpi_sheet(ws: Any, fields: tuple[str, ...], records: list[dict[str, str]]) -> None:
    """The measures' figures (:func:`planctl.core.kpi.observation_rows`), typed as text as the Items sheet is."""
    from planctl.core.text import FORMULA_START, safe_text

    ws.append(list(fields))
    for record in records:
        ws.append([None] * len(fields))
        row = ws.max_row
        for col, name in enumerate(fields, 1):
            value = record.get(name, "")
            if value:
                cell = ws.cell(row=row, column=col)
                cell.value = safe_text(value)
                cell.data_type = "s"
                if value.startswith(FORMULA_START):
                    cell.quotePrefix = True
    ws.freeze_panes = "A2"


_FREQ = {"day": "DAILY", "week": "WEEKLY", "month": "MONTHLY", "year": "YEARLY"}


def _rrule(repeats: Recurrence) -> tuple[str, int] | None:
    """RRULE (frequency, interval) of a recurrence at its shortest interval ("every 6 to 8
    weeks": every 6), as ``show`` counts it; None for terms, whose dates vary by authority."""
    freq = _FREQ.get(repeats.unit or "")
    if freq is None or repeats.every_min is None:
        return None
    return freq, repeats.every_min


def to_ics(
    plans: Iterable[Plan],
    stamp: dt.datetime,
    as_of: dt.date | None = None,
    lead: str | None = None,
    keep: Callable[[Plan, Item], bool] | None = None,
) -> bytes:
    """An iCalendar feed of :func:`ics_events`, as :func:`ics_feed` writes it."""
    return ics_feed(event for _, _, event in ics_events(plans, stamp, as_of, lead, keep))


def ics_feed(events: Iterable[bytes]) -> bytes:
    """A calendar holding ``events`` (each a VEVENT as :func:`ics_events` gives it): its
    header, the events in order, its end. A site writes each event once and puts it in its
    plan's feed and its lead's."""
    return _CALENDAR_START + b"".join(events) + b"END:VCALENDAR\r\n"


# What icalendar 7 wrote for the calendar's own properties, byte for byte (the feeds
# written before planctl wrote them itself are unchanged).
_CALENDAR_START = (
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//planctl//plan deadlines//EN\r\n"
    b"X-WR-CALNAME:Plan deadlines\r\n"
)


def _ics_text(value: str) -> str:
    """A TEXT value escaped as RFC 5545 says, in icalendar's order (a literal ``\\N`` is
    read as a line break first): no newline, ``;`` or ``,`` is left to end a value,
    property or line."""
    return (
        value.replace("\\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


_FOLD_AT = 74  # octets per physical line before the fold's leading space (RFC 5545: 75 at most)


def _ics_line(line: str) -> bytes:
    """One content line, folded as icalendar folds it: at most 74 octets, then CRLF and a
    space, never inside a UTF-8 character, and a ``\\`` or ``^`` that would end a line moves
    to the next (so an escape is never split). Sliced over the bytes once per line: folding
    a character at a time was most of the cost of a large site's calendars."""
    data = line.encode("utf-8")
    if len(data) <= _FOLD_AT:
        return data
    parts: list[bytes] = []
    start, size = 0, len(data)
    while size - start > _FOLD_AT:
        cut = start + _FOLD_AT
        while data[cut] & 0xC0 == 0x80:  # a continuation byte: cut before its character
            cut -= 1
        if data[cut - 1] in b"\\^" and cut - 1 > start:
            cut -= 1
        parts.append(data[start:cut])
        start = cut
    parts.append(data[start:])
    return b"\r\n ".join(parts)


def _ics_date(day: dt.date) -> str:
    return f"{day.year:04}{day.month:02}{day.day:02}"


def _vevent(
    plan: Plan,
    loc: Located,
    uid: str,
    stamp: str,
    first: dt.date,
    rule: tuple[str, int] | None,
    written: str,
) -> bytes:
    """One all-day, transparent VEVENT, its properties in icalendar's order for an event."""
    item = loc.item
    leads = LEAD_SEPARATOR.join(lead.label() for lead in loc.leads) or NO_LEAD_LABEL
    description = safe_text(
        f"Lead: {leads}\nPlan: {plan.title} ({plan.id})\nSection: {' > '.join(loc.section_titles)}\n{written}"
    )
    lines = [
        "BEGIN:VEVENT",
        f"SUMMARY:{_ics_text(safe_text(f'{item.id}: {item.title}'))}",
        f"DTSTART;VALUE=DATE:{_ics_date(first)}",
        f"DTEND;VALUE=DATE:{_ics_date(add_clamped(first, dt.timedelta(days=1)))}",
        f"DTSTAMP:{stamp}",
        f"UID:{_ics_text(uid)}",
    ]
    if rule is not None:
        lines.append(f"RRULE:FREQ={rule[0]};INTERVAL={rule[1]}")
    lines += [
        f"CATEGORIES:{_ics_text(plan.id)}",
        f"DESCRIPTION:{_ics_text(description)}",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]
    return b"".join(_ics_line(line) + b"\r\n" for line in lines)


def ics_events(
    plans: Iterable[Plan],
    stamp: dt.datetime,
    as_of: dt.date | None = None,
    lead: str | None = None,
    keep: Callable[[Plan, Item], bool] | None = None,
) -> list[tuple[str, str, bytes]]:
    """(plan id, item id, VEVENT) of each event of an iCalendar feed, in the feed's order:
    one all-day event per resolved deadline, on its last day, and one recurring event
    (RRULE) per recurrence with a start, from its first day.

    ``stamp`` is the DTSTAMP of every event (the clock is the caller's; written in UTC).
    With ``lead``, only that lead's items. An item rated done as of ``as_of`` is not an
    open deadline and is left out. Events are transparent (TRANSP:TRANSPARENT): a
    deadline is a reminder, not a meeting, so it never shows the lead as busy all day.
    ``keep``, when given, chooses the items (``planctl site`` makes one feed per lead).

    Written here rather than through icalendar (the same bytes icalendar 7 writes, which
    the tests check by reading every feed back with it): icalendar's objects and its
    character-by-character folding were most of a large site's download time.
    """
    utc = stamp.astimezone(dt.UTC)
    stamped = f"{_ics_date(utc)}T{utc.hour:02}{utc.minute:02}{utc.second:02}Z"
    out: list[tuple[str, str, bytes]] = []
    for plan in plans:
        for loc in walk_items(plan):
            item, deadline = loc.item, loc.item.deadline
            if keep is not None and not keep(plan, item):
                continue
            if deadline is None or not deadline.resolved or deadline.end is None:
                continue
            if not leads_match(loc, lead) or (as_of is not None and is_done(plan, loc, as_of)):
                continue
            if as_of is not None and closure_of(plan, loc.sections, as_of) is not None:  # ended work
                continue
            uid = f"{plan.id}/{item.id}@planctl"
            written = f"Deadline as written: {deadline.text}"
            out.append((plan.id, item.id, _vevent(plan, loc, uid, stamped, deadline.end, None, written)))
        for loc in walk_items(plan):
            item, repeats = loc.item, loc.item.repeats
            if keep is not None and not keep(plan, item):
                continue
            rule = _rrule(repeats) if repeats is not None else None
            if repeats is None or rule is None or repeats.start is None or repeats.start.start is None:
                continue
            if not leads_match(loc, lead) or (as_of is not None and is_done(plan, loc, as_of)):
                continue
            if as_of is not None and closure_of(plan, loc.sections, as_of) is not None:  # ended work
                continue
            uid = f"{plan.id}/{item.id}/repeats@planctl"
            written = f"Repeats as written: {repeats.text}"
            out.append(
                (plan.id, item.id, _vevent(plan, loc, uid, stamped, repeats.start.start, rule, written))
            )
    return out

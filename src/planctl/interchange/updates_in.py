"""Updates in: a filled return form (or any sheet of id, rating, date, note) as dated
``updates:`` entries, written by the same locked, comment-keeping editor as ``update``.

Every row is checked against the plans before anything is written, and every problem is
kept with its row and column (``FILE:row N:column NAME``), so a form with one slip is
sent back whole rather than half-imported. A row is:

- empty (no rating, no note): nothing to do;
- unchanged: a rating equal to the item's rating on that day and no note, as every row
  of ``planctl export`` is, so export then import changes nothing;
- already imported: the item has an entry with that rating and note on the row's day
  (for an undated row of a form: on or after the day the form was made; of any other
  sheet: as its latest entry), so a form imported twice adds nothing the second time;
- an update, if its id is known (once in the file), its rating is on that item's own
  scale, its date is a day no later than ``as_of``, and, for a form, the item is as it
  was when the form was made (the marker's hash): a row filled against an item someone
  else changed since is refused, for a person to reconcile.

Pure: rows and plans in, checked updates or problems out; the command reads and writes.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from planctl.core.dates import parse_date
from planctl.core.models import Located, Plan, Update, walk_items
from planctl.interchange.forms import Marker, item_state, read_marker

if TYPE_CHECKING:
    from collections.abc import Iterable

ID_COLUMNS = ("id",)
PLAN_COLUMNS = ("plan",)
RATING_COLUMNS = ("new rating", "rating", "status")  # a form's, a hand-made sheet's, export's
DATE_COLUMNS = ("date",)
NOTE_COLUMNS = ("note", "notes", "update")
MARKER_COLUMNS = ("marker",)
EXCEL_EPOCH = dt.date(1899, 12, 30)  # day 0 of Excel's (1900) date serials, as LibreOffice counts
_SERIAL = re.compile(r"[0-9]{1,7}(?:\.0+)?")
_TIMESTAMP = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})[ T]00:00(?::00(?:\.0+)?)?")


class ColumnsError(Exception):
    """The sheet has no column to take updates from."""


@dataclass(frozen=True, slots=True)
class Problem:
    row: int
    column: str
    message: str


@dataclass(frozen=True, slots=True)
class Entry:
    """One checked update, ready for :func:`planctl.edit.operations.apply_update`."""

    row: int
    file: str
    plan: str
    item: str
    date: dt.date
    status: str | None  # the scale key
    label: str | None  # the scale label, for messages
    note: str | None
    by: str | None


@dataclass(slots=True)
class Checked:
    entries: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unchanged: int = 0
    already: int = 0
    empty: int = 0


@dataclass(frozen=True, slots=True)
class Columns:
    """Which header holds what (as written in the sheet)."""

    id: str
    plan: str | None
    rating: str | None
    date: str | None
    note: str | None
    marker: str | None


def find_columns(headers: list[str]) -> Columns:
    """The columns by their names, any case; an id and a rating or note are required."""
    by_name = {h.strip().casefold(): h for h in reversed(headers) if h.strip()}

    def pick(names: tuple[str, ...]) -> str | None:
        return next((by_name[n] for n in names if n in by_name), None)

    found = Columns(
        id=pick(ID_COLUMNS) or "",
        plan=pick(PLAN_COLUMNS),
        rating=pick(RATING_COLUMNS),
        date=pick(DATE_COLUMNS),
        note=pick(NOTE_COLUMNS),
        marker=pick(MARKER_COLUMNS),
    )
    if not found.id:
        raise ColumnsError("no column 'id'; the first row must name the columns (id, new rating, date, note)")
    if found.rating is None and found.note is None:
        raise ColumnsError(
            "no column 'new rating' (or 'rating', 'status') and no column 'note': nothing to import"
        )
    return found


def read_day(text: str) -> dt.date | None:
    """A day as a cell holds it: a date cell (read as ``YYYY-MM-DD``), an Excel date serial
    (``46127``: days since 30 December 1899, as Excel and LibreOffice count), or a day as
    ``update --date`` takes it (``15/04/2026``, ``15 April 2026``). Else None."""
    text = text.strip()
    if m := _TIMESTAMP.fullmatch(text):
        text = m.group(1)
    if _SERIAL.fullmatch(text):
        serial = int(float(text))
        if 1 <= serial <= 2_958_465:  # 31 December 9999
            return EXCEL_EPOCH + dt.timedelta(days=serial)
        return None
    found = parse_date(text)
    if found.resolved and found.start is not None and found.start == found.end:
        return found.start
    return None


def _already(
    updates: list[Update], status: str | None, note: str, day: dt.date | None, mark: Marker | None
) -> bool:
    """The item has this update already: the same rating and note on the row's day, or,
    for an undated row of a form, on or after the day the form was made (the import
    dated it then); for an undated row of any other sheet, as its latest entry."""

    def same(u: Update) -> bool:
        return (u.status or None) == status and (u.note or "").strip() == note

    if day is not None:
        return any(same(u) and u.date == day for u in updates)
    if mark is not None:
        return any(same(u) and u.date >= mark.day for u in updates)
    latest = max(updates, key=lambda u: u.date, default=None)
    return latest is not None and same(latest)


def _index(plans: Iterable[Plan], files: dict[str, str]) -> dict[str, list[tuple[str, Plan, Located]]]:
    """Every item by its id (several when plans share one): (file, plan, located)."""
    out: dict[str, list[tuple[str, Plan, Located]]] = {}
    for plan in plans:
        for located in walk_items(plan):
            out.setdefault(located.item.id, []).append((files[plan.id], plan, located))
    return out


def check(
    body: list[tuple[int, dict[str, str]]],
    columns: Columns,
    plans: list[Plan],
    files: dict[str, str],
    as_of: dt.date,
) -> Checked:
    """Every row checked against ``plans`` (``files``: each plan's file by plan id)."""
    result = Checked()
    items = _index(plans, files)
    seen: dict[tuple[str, str], int] = {}
    for row, cells in body:
        rating_text = cells.get(columns.rating, "").strip() if columns.rating else ""
        note = cells.get(columns.note, "").strip() if columns.note else ""
        if not rating_text and not note:
            result.empty += 1
            continue
        problems = len(result.problems)

        def problem(column: str | None, message: str, row: int = row) -> None:
            result.problems.append(Problem(row, column or "", message))

        item_id = cells.get(columns.id, "").strip()
        plan_id = cells.get(columns.plan, "").strip() if columns.plan else ""
        mark: Marker | None = None
        marker_text = cells.get(columns.marker, "").strip() if columns.marker else ""
        if marker_text:
            mark = read_marker(marker_text)
            if mark is None:
                problem(
                    columns.marker, "not a marker planctl wrote; the hidden marker column must not be edited"
                )
                continue
            if (mark.item, mark.plan) != (item_id, plan_id or mark.plan):
                problem(columns.id, f"the row was made for {mark.plan}:{mark.item}, but now says {item_id!r}")
                continue
            plan_id = mark.plan
        if not item_id:
            problem(columns.id, "no id: which item is this update for?")
            continue
        found = [f for f in items.get(item_id, []) if not plan_id or f[1].id == plan_id]
        if not found:
            where = f" in plan {plan_id}" if plan_id else ""
            problem(columns.id, f"no item {item_id!r}{where} in the plans read")
            continue
        if len(found) > 1:
            refs = ", ".join(f"{p.id}:{item_id}" for _, p, _ in found)
            problem(columns.id, f"{item_id!r} is in more than one plan ({refs}); add a 'plan' column")
            continue
        file, plan, located = found[0]
        key = (plan.id, item_id)
        if key in seen:
            problem(columns.id, f"{item_id} is also on row {seen[key]}; give one update per item")
            continue
        seen[key] = row

        status: str | None = None
        label: str | None = None
        scale = plan.scale(located.scale_id)
        if rating_text:
            value = scale.find(rating_text) if scale is not None else None
            if scale is None:
                problem(columns.rating, f"{plan.id} has no rating scale, so {item_id} cannot be rated")
            elif value is None:
                allowed = ", ".join(v.label for v in scale.values)
                problem(
                    columns.rating,
                    f"{rating_text!r} is not on the {scale.name} scale of {item_id}; allowed: {allowed}",
                )
            else:
                status, label = value.key, value.label
        day_text = cells.get(columns.date, "").strip() if columns.date else ""
        day = as_of
        if day_text:
            read = read_day(day_text)
            if read is None:
                problem(columns.date, f"cannot read {day_text!r} as a day; give a date such as 2026-11-24")
            elif read > as_of:
                problem(
                    columns.date,
                    f"{read.isoformat()} is after today ({as_of.isoformat()}); an update is dated when it was given",
                )
            else:
                day = read
        if len(result.problems) > problems:
            continue

        item = located.item
        if _already(item.updates, status, note, day if day_text else None, mark):
            result.already += 1
            continue
        current = plan.rating_of(item, day)
        if not note and current is not None and status is not None and scale is not None:
            now = scale.find(current.status)
            if now is not None and now.key == status:
                result.unchanged += 1
                continue
        if mark is not None and mark.state != item_state(located):
            problem(
                columns.marker,
                f"{item_id} has changed since this form was made on {mark.day.isoformat()}; "
                "make a new form for it (planctl forms), or add this update with planctl update",
            )
            continue
        result.entries.append(
            Entry(row, file, plan.id, item_id, day, status, label, note or None, mark.lead if mark else None)
        )
    return result


def apply(text: str, file: str, entries: list[Entry]) -> tuple[str, list[str]]:
    """``text`` with each entry added as ``planctl update`` adds one, in row order, and the
    notices ``update`` would print (a rating dated before the current one is history)."""
    from planctl.edit.operations import UpdateRequest, apply_update

    notices: list[str] = []
    for entry in entries:
        req = UpdateRequest(date=entry.date, status=entry.status, note=entry.note, by=entry.by)
        text, notice = apply_update(text, file, entry.item, req)
        if notice:
            notices.append(notice)
    return text, notices

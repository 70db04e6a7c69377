"""Return forms: a workbook per lead that the lead fills in Excel or LibreOffice.

A plan officer sends each lead the open items they lead and gets back a rating, the day
it was given and a note for each (``planctl import --updates``, :mod:`planctl.interchange.updates_in`).
The form is built so that what comes back can be trusted without reading every cell:

- what identifies a row (plan, id, title, deadline, current rating) is locked: the sheet
  is protected (no password: it stops slips, not people) and only the three input
  columns are unlocked;
- the rating cell is a drop-down of that item's own scale (Excel data validation over a
  hidden sheet of scale values), so a BRAG item offers Blue and a RAG item does not, and
  a value typed that is not on it is refused by Excel itself;
- the date cell takes only a date (validation), shown as ``yyyy-mm-dd``;
- each row carries a hidden marker: the plan, item, the day the form was made, a hash of
  the item as it was then, and the lead. The import compares the hash with the item now,
  so a row filled against an item someone else has changed since is refused, not merged.

Written with XlsxWriter rather than openpyxl (which reads the forms back): XlsxWriter is
write-only and checks its output against files Excel itself saved, including data
validation, sheet protection and hidden columns, and having a second library read what
the first wrote is itself a check that the form is an ordinary workbook.
Pure: takes loaded plans and the day, returns bytes; the command writes them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import orjson

from planctl.core.models import Located, Plan, Scale, closure_of, walk_items

if TYPE_CHECKING:
    from collections.abc import Iterable

MARKER_PREFIX = "planctl-form/1"
SHEET = "Updates"
HEADERS = ("plan", "id", "title", "deadline", "current rating", "new rating", "date", "note", "marker")
INPUTS = ("new rating", "date", "note")
DATE_FORMAT = "yyyy-mm-dd"
# Widths in characters, as Excel counts them; the note is wide and wraps.
WIDTHS = {"plan": 14, "id": 10, "title": 60, "deadline": 16, "current rating": 16, "new rating": 16}
WIDTHS |= {"date": 12, "note": 60, "marker": 10}


@dataclass(frozen=True, slots=True)
class FormRow:
    """One open item on a lead's form."""

    plan: Plan
    located: Located
    scale: Scale | None
    rating: str  # the current rating's label as of the form's day, "" when unrated

    @property
    def ref(self) -> str:
        return f"{self.plan.id}:{self.located.item.id}"


@dataclass(slots=True)
class Form:
    """A lead's form: who it is for and their open items, in document order."""

    lead: str
    rows: list[FormRow] = field(default_factory=list)


def item_state(located: Located) -> str:
    """A short hash of everything written for an item: any edit to it changes the hash.

    What the lead saw (title, deadline, rating, notes) and what they did not (text,
    outcomes) alike: a row filled against an older version of the item is for a person
    to reconcile, whatever changed.
    """
    data = orjson.dumps(located.item.model_dump(mode="json", exclude_none=True), option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(data).hexdigest()[:16]


def marker(row: FormRow, day: dt.date, lead: str) -> str:
    """The hidden marker of a row: ``planctl-form/1|plan|item|day|state|lead``."""
    return "|".join(
        (MARKER_PREFIX, row.plan.id, row.located.item.id, day.isoformat(), item_state(row.located), lead)
    )


@dataclass(frozen=True, slots=True)
class Marker:
    plan: str
    item: str
    day: dt.date
    state: str
    lead: str


def read_marker(text: str) -> Marker | None:
    """A marker's parts, or None when the text is not one (edited, or not a form)."""
    parts = text.strip().split("|", 5)
    if len(parts) != 6 or parts[0] != MARKER_PREFIX:
        return None
    try:
        day = dt.date.fromisoformat(parts[3])
    except ValueError:
        return None
    return Marker(parts[1], parts[2], day, parts[4], parts[5])


def _is_open(plan: Plan, located: Located, as_of: dt.date) -> tuple[bool, Scale | None, str]:
    """Open work (an action, objective or recommendation not rated done as of the day),
    its scale and its current rating's label."""
    scale = plan.scale(located.scale_id)
    step = plan.rating_of(located.item, as_of)
    value = scale.find(step.status) if scale is not None and step is not None else None
    label = value.label if value is not None else (step.status if step is not None else "")
    done = value is not None and value.done
    closed = closure_of(plan, located.sections, as_of) is not None  # ended work is not returned on
    return located.item.actionable and not done and not closed, scale, label


def forms_by_lead(plans: Iterable[Plan], as_of: dt.date) -> dict[str, Form]:
    """Every lead's form, keyed by the lead's name in lower case.

    A lead is one that names somebody (:meth:`Plan.names_somebody`: not "TBC", not only
    the plan's owner), own or inherited from the nearest section that names leads, as
    ``planctl leads`` counts them; an item with two leads is on both forms.
    """
    forms: dict[str, Form] = {}
    for plan in plans:
        for located in walk_items(plan):
            is_open, scale, label = _is_open(plan, located, as_of)
            if not is_open:
                continue
            names = dict.fromkeys(lead.label() for lead in located.leads if plan.names_somebody(lead))
            for name in names:
                form = forms.setdefault(name.casefold(), Form(name))
                form.rows.append(FormRow(plan, located, scale, label))
    return forms


def file_stem(lead: str) -> str:
    """A file name for a lead's form: ``Karen Fuller`` → ``karen-fuller``."""
    stem = re.sub(r"[^a-z0-9]+", "-", lead.casefold()).strip("-")
    return stem[:80] or "lead"


def _instructions(lead: str, day: dt.date, scales: list[tuple[str, Scale]]) -> list[tuple[str, str]]:
    lines = [
        ("Return form", f"for {lead}, made {day.isoformat()}"),
        ("", ""),
        ("What to do", f"On the sheet '{SHEET}', each row is an open item you lead."),
        ("", "The grey columns (plan, id, title, deadline, current rating) are locked."),
        ("new rating", "Pick the rating from the drop-down: it lists that item's own scale."),
        ("date", "The day of your update, as a date (e.g. 2026-11-24). Empty: the day it is imported."),
        ("note", "What has happened, what is next, any risk. Leave the row empty if nothing changed."),
        ("", ""),
        ("Do not", "add, delete or reorder rows, rename the sheet, or change the hidden marker column."),
        ("", "Save as .xlsx and send the file back."),
        ("", ""),
    ]
    for name, scale in scales:
        lines.append((f"Scale: {scale.name}", name))
        lines.extend(
            (f"  {v.label}", v.meaning or ("means the work is done" if v.done else "")) for v in scale.values
        )
    return lines


def to_xlsx(form: Form, day: dt.date) -> bytes:
    """The form as an .xlsx workbook: sheets Updates, Instructions and (hidden) Scales."""
    import xlsxwriter  # type: ignore[import-untyped]

    from planctl.core.text import FORMULA_START, safe_text

    buf = io.BytesIO()
    wb: Any = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False})
    header = wb.add_format({"bold": True, "bg_color": "#D9D9D9", "border": 1, "text_wrap": True})
    locked = wb.add_format({"bg_color": "#EFEFEF", "text_wrap": True, "valign": "top", "locked": True})
    locked_quoted = wb.add_format(
        {"bg_color": "#EFEFEF", "text_wrap": True, "valign": "top", "locked": True, "quote_prefix": True}
    )
    open_text = wb.add_format({"locked": False, "valign": "top"})
    open_note = wb.add_format({"locked": False, "text_wrap": True, "valign": "top"})
    open_date = wb.add_format({"locked": False, "num_format": DATE_FORMAT, "valign": "top"})

    ws = wb.add_worksheet(SHEET)
    guide = wb.add_worksheet("Instructions")
    values = wb.add_worksheet("Scales")

    # One column of the hidden Scales sheet per scale used: the drop-downs point at it,
    # so a label with a comma is one choice, and no list is limited to 255 characters.
    scale_ranges: dict[tuple[str, str], str] = {}
    used: list[tuple[str, Scale]] = []
    for row in form.rows:
        if row.scale is None or (row.plan.id, row.scale.id) in scale_ranges:
            continue
        col = len(scale_ranges)
        values.write_string(0, col, f"{row.plan.id}/{row.scale.id}")
        for i, v in enumerate(row.scale.values, 1):
            values.write_string(i, col, safe_text(v.label))
        letter = xlsxwriter.utility.xl_col_to_name(col)
        scale_ranges[(row.plan.id, row.scale.id)] = (
            f"=Scales!${letter}$2:${letter}${len(row.scale.values) + 1}"
        )
        used.append((f"{row.plan.id}: {row.scale.id}", row.scale))
    values.protect()
    values.hide()

    for col, name in enumerate(HEADERS):
        ws.write_string(0, col, name, header)
        options = {"hidden": True} if name == "marker" else {}
        ws.set_column(col, col, WIDTHS[name], None, options)
    for r, row in enumerate(form.rows, 1):
        item = row.located.item
        deadline = item.deadline.text if item.deadline is not None else ""
        for col, text in enumerate((row.plan.id, item.id, item.title, deadline, row.rating)):
            fmt = locked_quoted if text.startswith(FORMULA_START) else locked
            ws.write_string(r, col, safe_text(text), fmt)
        rating, date, note = (HEADERS.index(n) for n in INPUTS)
        ws.write_blank(r, rating, None, open_text)
        ws.write_blank(r, date, None, open_date)
        ws.write_blank(r, note, None, open_note)
        ws.write_string(r, HEADERS.index("marker"), marker(row, day, form.lead), locked)
        if row.scale is not None:
            ws.data_validation(
                r, rating, r, rating,
                {
                    "validate": "list",
                    "source": scale_ranges[(row.plan.id, row.scale.id)],
                    "error_title": "Not on this item's scale",
                    "error_message": "Pick a rating from the list: "
                    + ", ".join(v.label for v in row.scale.values)[:200],
                },
            )  # fmt: skip
    last = len(form.rows)
    if last:
        date_col = HEADERS.index("date")
        ws.data_validation(
            1, date_col, last, date_col,
            {
                "validate": "date",
                "criteria": "between",
                "minimum": dt.date(2000, 1, 1),
                "maximum": dt.date(2099, 12, 31),
                "input_title": "Date of the update",
                "input_message": "A date, e.g. 2026-11-24",
                "error_title": "Not a date",
                "error_message": "Type a date, e.g. 2026-11-24.",
            },
        )  # fmt: skip
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, last, len(HEADERS) - 1)
    ws.protect("", {"autofilter": True, "sort": True, "format_columns": True, "format_rows": True})
    ws.activate()

    guide.set_column(0, 0, 24)
    guide.set_column(1, 1, 100)
    bold = wb.add_format({"bold": True})
    for r, (key, text) in enumerate(_instructions(form.lead, day, used)):
        guide.write_string(r, 0, safe_text(key), bold)
        guide.write_string(r, 1, safe_text(text))
    guide.protect()
    wb.close()
    return buf.getvalue()

"""Import items from a spreadsheet (CSV or Excel) into a plan: a new file or an existing one.

Columns are mapped onto item fields with ``--map "Header=field,..."``; without a map,
headers that are field names (as ``planctl export`` writes them) map to themselves.
Every row is checked first and every problem is reported with its row number; nothing
is written unless the whole import is valid. A deadline that planctl cannot read is kept
as written (lint reports it), but a row without a title is an error.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from planctl.core.models import Plan, walk_items, walk_sections
from planctl.core.validate import load_text
from planctl.edit.operations import (
    SECTION_ORDER,
    Style,
    _yaml,
    append,
    edit_text,
    flow_seq,
    new_plan_text,
    set_key,
)

FIELDS = (
    "id", "kind", "number", "title", "text", "due", "leads", "status", "section", "section_title", "section_path",
)  # fmt: skip
LEAD_SPLIT = (";", "\n")


class TableError(Exception):
    """The import cannot start: bad map or unreadable table."""


@dataclass(frozen=True, slots=True)
class Problem:
    row: int  # spreadsheet row number, header = 1
    message: str


@dataclass(slots=True)
class Outcome:
    text: str | None = None
    added: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def read_table(path: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Headers and (row number, cells) of the first sheet of a .csv or .xlsx file."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        table = _read_csv(path)
    elif suffix in (".xlsx", ".xlsm"):
        table = _read_xlsx(path)
    else:
        raise TableError(
            f"{path}: cannot import {suffix or 'a file without suffix'}; give a .csv or .xlsx file"
        )
    if not table:
        raise TableError(f"{path}: the table is empty; the first row must hold the column headers")
    headers = [h.strip() for h in table[0]]
    body = []
    for n, cells in enumerate(table[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        body.append(
            (n, {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(headers) if h})
        )
    return headers, body


def _read_csv(path: Path) -> list[list[str]]:
    """The rows of a CSV file; a field may be as long as a plan file may be.

    The csv module refuses fields over 131,072 characters by default, raising an error
    no message explained. The limit is raised to the plan size cap (a cell cannot be
    longer than the plan it goes into) for this read only, and a broken row is reported
    with its line number.
    """
    from planctl.core.limits import MAX_BYTES

    previous = csv.field_size_limit(MAX_BYTES)
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh)
            try:
                return [list(r) for r in reader]
            except csv.Error as exc:
                raise TableError(f"{path}:{reader.line_num}: cannot read this row: {exc}") from None
    finally:
        csv.field_size_limit(previous)


def _read_xlsx(path: Path) -> list[list[str]]:
    """The rows of a workbook's first sheet; a broken file is a message, not a traceback.

    A truncated or renamed file fails deep inside openpyxl (zip, XML or key errors), so
    every failure of reading it is reported as one: not a readable workbook.
    """
    import zipfile
    import zlib
    from xml.etree.ElementTree import ParseError

    from openpyxl import load_workbook  # type: ignore[import-untyped]

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
        try:
            if not wb.worksheets:
                raise TableError(f"{path}: the workbook has no sheet")
            ws: Any = wb.worksheets[0]
            return [["" if v is None else str(v) for v in r] for r in ws.iter_rows(values_only=True)]
        finally:
            wb.close()
    except (zipfile.BadZipFile, zlib.error, EOFError, ParseError, KeyError, ValueError, TypeError) as exc:
        reason = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        raise TableError(
            f"{path}: not a readable Excel workbook ({reason}); save it again as .xlsx, or export it as .csv"
        ) from None


def parse_map(spec: str | None, headers: list[str]) -> dict[str, str]:
    """``"Header=field,..."`` to {header: field}; without a spec, headers named like fields."""
    if not spec:
        found = {h: h for h in headers if h in FIELDS and h != "status"}
        if "title" not in found:
            raise TableError(
                "no column is named 'title'; give --map, e.g. --map \"What needs to happen=title,By when=due\""
            )
        return found
    mapping: dict[str, str] = {}
    for part in spec.split(","):
        column, sep, target = part.rpartition("=")
        column, target = column.strip(), target.strip()
        if not sep or not column:
            raise TableError(f"--map: {part.strip()!r} is not COLUMN=FIELD")
        if target not in FIELDS:
            raise TableError(f"--map: unknown field {target!r}; fields: {', '.join(FIELDS)}")
        if column not in headers:
            raise TableError(
                f"--map: no column {column!r}; the columns are: {', '.join(h for h in headers if h)}"
            )
        mapping[column] = target
    if "title" not in mapping.values():
        raise TableError("--map must map a column to 'title'")
    return mapping


def _next_id(prefix: str, taken: set[str], start: dict[str, int]) -> str:
    """The first free ``prefix-N``. ``taken`` only grows, so the search resumes where the
    last one for this prefix stopped (``start``): counting from 1 for every row made an
    import quadratic in its rows."""
    n = start.get(prefix, 1)
    while f"{prefix}-{n}" in taken:
        n += 1
    start[prefix] = n
    return f"{prefix}-{n}"


def build(
    body: list[tuple[int, dict[str, str]]],
    mapping: dict[str, str],
    *,
    plan_id: str,
    section_id: str | None,
    existing: str | None,
    file: str,
    title: str | None = None,
) -> Outcome:
    """The new plan text (new file when ``existing`` is None) with the rows as items."""
    result = Outcome()
    plan: Plan | None = None
    if existing is not None:
        loaded = load_text(existing, file)
        if loaded.plan is None or loaded.problems:
            result.problems.append(
                Problem(0, f"{file} is not a valid plan; run 'planctl validate' on it first")
            )
            return result
        plan = loaded.plan
        if plan.id != plan_id:
            result.problems.append(Problem(0, f"{file} holds plan {plan.id!r}, not {plan_id!r}"))
            return result
    known_sections = {s.id: s for s, _, _ in walk_sections(plan.sections)} if plan else {}
    taken = {loc.item.id for loc in walk_items(plan)} | set(known_sections) if plan else set()
    default_section = section_id
    if default_section is None and plan and len(known_sections) == 1:
        default_section = next(iter(known_sections))
    if default_section is None and not plan:
        default_section = "imported"
    if section_id and plan and section_id not in known_sections:
        result.problems.append(Problem(0, f"no section {section_id!r} in {file}"))
        return result

    entries: list[tuple[str, str | None, CommentedMap]] = []  # (section id, section title, item)
    free_from: dict[str, int] = {}  # per section: no free id below this number
    for row, cells in body:
        values = {target: cells.get(column, "") for column, target in mapping.items()}
        if not values.get("title"):
            result.problems.append(Problem(row, "no title (every item needs one)"))
            continue
        section = values.get("section") or default_section
        if not section:
            result.problems.append(Problem(row, "no section: give --section or map a column to 'section'"))
            continue
        if plan and section not in known_sections and section_id is None and "section" in values:
            result.problems.append(Problem(row, f"no section {section!r} in {file}"))
            continue
        item_id = values.get("id") or _next_id(section, taken, free_from)
        if item_id in taken:
            result.problems.append(Problem(row, f"id {item_id!r} is already used"))
            continue
        taken.add(item_id)
        item = CommentedMap()
        item["id"] = item_id
        item["kind"] = values.get("kind") or "action"
        for key in ("number", "title", "text", "due"):
            if values.get(key):
                item[key] = values[key]
        leads = [p.strip() for p in _split(values.get("leads", "")) if p.strip()]
        if leads:
            item["leads"] = flow_seq(leads)
        if values.get("status"):
            item["status"] = values["status"]
        section_title = values.get("section_title") or values.get("section_path", "").rpartition(" > ")[2]
        entries.append((section, section_title or None, item))
        result.added.append(item_id)
    if result.problems:
        return result

    text = existing if existing is not None else _skeleton(plan_id, title or plan_id)

    def change(data: Any) -> None:
        sections: dict[str, Any] = {}
        for s, _, path in walk_sections(plan.sections) if plan else ():
            node = data
            for part in path:
                node = node[part]
            sections[s.id] = node
        if "sections" not in data:
            data["sections"] = CommentedSeq()
        for section, section_title, item in entries:
            if section not in sections:
                node = CommentedMap([("id", section), ("title", section_title or section)])
                if len(data["sections"]):
                    append(data["sections"], node)
                else:
                    data["sections"].append(node)
                sections[section] = node
            target = sections[section]
            if "items" in target and isinstance(target["items"], CommentedSeq) and len(target["items"]):
                append(target["items"], item)
            else:
                set_key(target, "items", CommentedSeq([item]), SECTION_ORDER)

    new = edit_text(text, change) if existing is not None else _dump_new(text, change)
    check = load_text(new, file)
    for p in check.problems:
        result.problems.append(Problem(0, f"the imported plan would be invalid: line {p.line}: {p.message}"))
    if not result.problems:
        result.text = new
    return result


def _split(text: str) -> list[str]:
    for sep in LEAD_SPLIT[1:]:
        text = text.replace(sep, LEAD_SPLIT[0])
    return text.split(LEAD_SPLIT[0])


def _skeleton(plan_id: str, title: str) -> str:
    """The scaffold of ``planctl new`` without its example section."""
    text = new_plan_text(plan_id, title)
    return text[: text.index("sections:")]


def _dump_new(text: str, change: Any) -> str:
    yaml = _yaml(Style())
    data = yaml.load(text)
    change(data)
    buf = io.StringIO()
    yaml.dump(data, buf)
    return buf.getvalue()

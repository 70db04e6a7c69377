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

from planctl.core.models import Plan, Section, walk_items, walk_sections
from planctl.core.validate import load_text
from planctl.edit.operations import SECTION_ORDER, new_plan_text
from planctl.edit.roundtrip import Style, append, edit_text, flow_seq, set_key, yaml_for

FIELDS = (
    "id", "kind", "number", "title", "text", "due", "leads", "status", "section", "section_title", "section_path",
    "section_ids",
)  # fmt: skip
PATH_SEPARATOR = " > "  # between the sections of ``section_path`` and ``section_ids``, as export writes
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
    with its line number. The text is decoded by :func:`decode_csv`.
    """
    from planctl.core.limits import MAX_BYTES

    text = decode_csv(path.read_bytes(), path)
    previous = csv.field_size_limit(MAX_BYTES)
    try:
        reader = csv.reader(io.StringIO(text, newline=""))
        try:
            return [list(r) for r in reader]
        except csv.Error as exc:
            raise TableError(f"{path}:{reader.line_num}: cannot read this row: {exc}") from None
    finally:
        csv.field_size_limit(previous)


def decode_csv(raw: bytes, path: Path) -> str:
    """The text of a CSV file as spreadsheets save it: UTF-8 (with or without a BOM), or
    Windows-1252, which Excel on Windows writes for "CSV (Comma delimited)".

    Strict UTF-8 is tried first: text that decodes as UTF-8 is almost never meant as
    Windows-1252, while any UTF-8 file with an accent fails as Windows-1252 only by luck.
    Bytes that neither reads (the five Windows-1252 leaves undefined) are refused with
    their line and column, never a codec traceback.
    """
    body = raw.removeprefix(b"\xef\xbb\xbf")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise TableError(
            f"{path}: saved as Unicode text (UTF-16, tab-separated), not CSV; save the sheet again as CSV UTF-8"
        )
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return body.decode("cp1252")
    except UnicodeDecodeError as exc:
        line = body.count(b"\n", 0, exc.start) + 1
        column = exc.start - (body.rfind(b"\n", 0, exc.start) + 1) + 1
        raise TableError(
            f"{path}:{line}:{column}: byte 0x{body[exc.start]:02x} is not text in UTF-8 or Windows-1252;"
            " save the sheet again as CSV UTF-8 (or as .xlsx)"
        ) from None


def cell_text(value: object) -> str:
    """A workbook cell as the text a plan holds: a date cell is its day (``2026-04-15``),
    never ``2026-04-15 00:00:00``; a date with a time of day keeps the time."""
    import datetime as dt

    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


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
            return [[cell_text(v) for v in r] for r in ws.iter_rows(values_only=True)]
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
        found = {h: h for h in headers if h in FIELDS}
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
    lineage = {s.id: (*up, s) for s, up, _ in walk_sections(plan.sections)} if plan else {}
    rated = plan if plan is not None else load_text(_skeleton(plan_id, title or plan_id), file).plan
    taken = {loc.item.id for loc in walk_items(plan)} | set(known_sections) if plan else set()
    default_section = section_id
    if default_section is None and plan and len(known_sections) == 1:
        default_section = next(iter(known_sections))
    if default_section is None and not plan:
        default_section = "imported"
    if section_id and plan and section_id not in known_sections:
        result.problems.append(Problem(0, f"no section {section_id!r} in {file}"))
        return result

    entries: list[tuple[list[tuple[str, str | None]], CommentedMap]] = []  # (section chain, item)
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
        chain = _chain(section, values)
        if values.get("status"):
            key, problem = _rating_key(rated, lineage.get(section, ()), values["status"])
            if problem:
                result.problems.append(Problem(row, problem))
                continue
            item["status"] = key
        entries.append((chain, item))
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
        for chain, item in entries:
            parent: Any = None
            for section, section_title in chain:
                if section not in sections:
                    node = CommentedMap([("id", section), ("title", section_title or section)])
                    if parent is None:
                        siblings = data["sections"]
                    elif isinstance(parent.get("sections"), CommentedSeq):
                        siblings = parent["sections"]
                    else:
                        siblings = CommentedSeq()
                        set_key(parent, "sections", siblings, SECTION_ORDER)
                    if len(siblings):
                        append(siblings, node)
                    else:
                        siblings.append(node)
                    sections[section] = node
                parent = sections[section]
            target = sections[chain[-1][0]]
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


def _chain(section: str, values: dict[str, str]) -> list[tuple[str, str | None]]:
    """The sections from the top down to ``section``, with their titles where known.

    ``planctl export`` writes the ids of the enclosing sections (``section_ids``) and
    their titles (``section_path``), so an exported plan comes back with its sections
    nested as they were, not flattened into one level. Without them (or when they do
    not end in ``section``) the section stands alone, titled by ``section_title`` or
    the last part of ``section_path``.
    """
    title = values.get("section_title") or values.get("section_path", "").rpartition(PATH_SEPARATOR)[2]
    ids = [p.strip() for p in values.get("section_ids", "").split(PATH_SEPARATOR) if p.strip()]
    if not ids or ids[-1] != section:
        return [(section, title or None)]
    titles: list[str | None] = list(values.get("section_path", "").split(PATH_SEPARATOR))
    if len(titles) != len(ids):
        titles = [*(None for _ in ids[1:]), title or None]
    chain = [(i, t.strip() if t and t.strip() else None) for i, t in zip(ids, titles, strict=True)]
    if values.get("section_title"):
        chain[-1] = (section, values["section_title"])
    return chain


def _rating_key(plan: Plan | None, sections: tuple[Section, ...], status: str) -> tuple[str, str | None]:
    """The scale key of a row's rating, or a problem naming the values allowed.

    The scale is the item's as it will be: the nearest enclosing section's that names
    one, else the plan's default. A rating is written as the key (labels may be renamed).
    """
    scale_id = next((s.scale for s in reversed(sections) if s.scale), None)
    scale = plan.scale(scale_id) if plan is not None else None
    if scale is None:
        return "", f"rating {status!r}: the plan defines no rating scale"
    value = scale.find(status)
    if value is None:
        allowed = ", ".join(v.key for v in scale.values)
        return "", f"rating {status!r} is not on the {scale.name} scale; allowed values: {allowed}"
    return value.key, None


def _split(text: str) -> list[str]:
    for sep in LEAD_SPLIT[1:]:
        text = text.replace(sep, LEAD_SPLIT[0])
    return text.split(LEAD_SPLIT[0])


def _skeleton(plan_id: str, title: str) -> str:
    """The scaffold of ``planctl new`` without its example section."""
    text = new_plan_text(plan_id, title)
    return text[: text.index("sections:")]


def _dump_new(text: str, change: Any) -> str:
    yaml = yaml_for(Style())
    data = yaml.load(text)
    change(data)
    buf = io.StringIO()
    yaml.dump(data, buf)
    return buf.getvalue()

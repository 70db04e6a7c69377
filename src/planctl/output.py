"""Writing lists of records as a table, JSON, CSV or Markdown.

Shared by every command that prints rows (queries, export): the command builds
:class:`Block` s (a heading path and rows of cells) for people, and plain mappings for
machines; this module only formats.  Rich is imported inside :func:`write_table` so
importing this module stays cheap.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TextIO


@dataclass(frozen=True, slots=True)
class Cell:
    """A cell's text and an optional colour (a rich colour name or #rrggbb)."""

    text: str
    colour: str | None = None


@dataclass(frozen=True, slots=True)
class Column:
    """A column; ``flex`` columns share the width the others leave."""

    header: str
    max_width: int = 30
    flex: bool = False


@dataclass(slots=True)
class Block:
    """Rows under a heading path, e.g. ``("Plan title", "Theme > Priority")``."""

    headings: tuple[str, ...]
    columns: Sequence[Column]
    rows: list[list[Cell]] = field(default_factory=list)


# --- text from plan files ---

# C0 controls but tab and newline, DEL, and C1 controls (U+009B is a one-byte CSI).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _picture(match: re.Match[str]) -> str:
    code = ord(match[0])
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode "control picture": ESC shows as ␛
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"  # a C1 control has no picture


def safe_text(text: str) -> str:
    """Plan text with its control characters made visible and inert.

    A plan may hold ``"\\e[31m"`` or an OSC 8 link in a double-quoted string; printed raw,
    it would recolour the terminal, hide text behind ``\\r`` or plant a clickable link.
    Each control character but newline and tab becomes a visible stand-in without an
    ESC (``␛[31m``), so a reader sees that the text holds one.
    """
    return _CONTROL.sub(_picture, text) if _CONTROL.search(text) else text


# --- machines ---

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet may run as a formula


def csv_safe(value: object) -> str:
    """Text for a CSV cell that a spreadsheet will not run as a formula.

    A cell starting with = + - @ (or tab/CR) gets a leading apostrophe (OWASP advice);
    control characters are made visible (:func:`safe_text`), as CSV is often read in a
    terminal.
    """
    text = "" if value is None else str(value)
    text = "'" + text if text.startswith(FORMULA_START) else text
    return safe_text(text)


def write_csv(records: Iterable[Mapping[str, object]], fields: Sequence[str], out: TextIO) -> None:
    import csv

    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(fields)
    for record in records:
        writer.writerow([csv_safe(record.get(f)) for f in fields])


def json_text(data: Any) -> str:
    """``data`` as indented JSON (two spaces, UTF-8 text unescaped), without a final newline.

    orjson writes what ``json.dumps(data, indent=2, ensure_ascii=False)`` does, some 50
    times faster: the standard library's encoder is pure Python once it indents, which
    was a tenth of ``due --format json`` on 10,000 items. Data orjson refuses (a number
    beyond 64 bits, a key that is not text) goes to the standard library instead.
    """
    import orjson

    try:
        return orjson.dumps(data, option=orjson.OPT_INDENT_2).decode()
    except TypeError:
        import json

        return json.dumps(data, indent=2, ensure_ascii=False)


def write_json(data: Any, out: TextIO) -> None:
    out.write(json_text(data) + "\n")


# --- people ---


_MD_SPECIAL = re.compile(r"([\\`*_\[\]|])")
_MD_LINE_START = re.compile(r"^([#>+-])")


def md_text(text: str, *, line_start: bool = True) -> str:
    """Plan text as one line of inert Markdown.

    No table-breaking ``|`` or newline, no raw HTML (``<`` ``>`` as entities), no link or
    emphasis syntax (``[`` ``]`` ``*`` ``_`` backticks escaped), no control characters;
    with ``line_start``, no heading, quote or list marker where it starts a line.
    """
    text = safe_text(re.sub(r"\s+", " ", text))
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = text.replace("<", "&lt;").replace(">", "&gt;")
    return _MD_LINE_START.sub(r"\\\1", text) if line_start else text


def _md_cell(text: str) -> str:
    return md_text(text, line_start=False)


def write_markdown(blocks: Sequence[Block], out: TextIO, *, top_level: int = 2) -> None:
    """Each new heading as ``##``/``###``..., then a GitHub-flavoured pipe table."""
    previous: tuple[str, ...] = ()
    for block in blocks:
        for level, heading in enumerate(block.headings):
            if previous[: level + 1] != block.headings[: level + 1]:
                out.write(f"{'#' * (top_level + level)} {_md_cell(heading)}\n\n")
        previous = block.headings
        out.write("| " + " | ".join(_md_cell(c.header) for c in block.columns) + " |\n")
        out.write("|" + "|".join("---" for _ in block.columns) + "|\n")
        for row in block.rows:
            out.write("| " + " | ".join(_md_cell(c.text) for c in row) + " |\n")
        out.write("\n")


def _widths(blocks: Sequence[Block]) -> list[int]:
    """Fixed widths for the non-flex columns, the same in every block so they align."""
    columns = blocks[0].columns
    widths = [len(c.header) for c in columns]
    for block in blocks:
        for row in block.rows:
            for i, cell in enumerate(row):
                longest = max((len(w) for w in cell.text.split()), default=0)
                widths[i] = max(widths[i], min(len(cell.text), columns[i].max_width), longest)
    return [min(w, c.max_width) for w, c in zip(widths, columns, strict=True)]


def write_table(blocks: Sequence[Block], out: TextIO, *, colour: bool, width: int) -> None:
    """A rich table per block under its headings; plain text (no colour) when not a terminal."""
    if not blocks:
        return
    import io

    from rich import box
    from rich.console import Console
    from rich.errors import StyleSyntaxError
    from rich.style import Style
    from rich.table import Table
    from rich.text import Text

    buffer = io.StringIO()
    target: TextIO = out if colour else buffer
    console = Console(
        file=target,
        width=width,
        force_terminal=colour,
        no_color=not colour,
        color_system="auto" if colour else None,
        highlight=False,
        emoji=False,
        markup=False,
    )

    def styled(cell: Cell) -> Text:
        if colour and cell.colour:
            try:
                return Text(safe_text(cell.text), style=Style.parse(cell.colour))
            except StyleSyntaxError:
                pass
        return Text(safe_text(cell.text))

    widths = _widths(blocks)
    flexible = sum(1 for c in blocks[0].columns if c.flex) or 1
    spare = width - sum(w for w, c in zip(widths, blocks[0].columns, strict=True) if not c.flex)
    spare -= 3 * (len(widths) - 1)  # padding, divider, padding between columns
    flex_width = max(20, spare // flexible)
    previous: tuple[str, ...] = ()
    for block in blocks:
        for level, heading in enumerate(block.headings):
            if previous[: level + 1] != block.headings[: level + 1]:
                if level == 0 and previous:
                    console.print()
                console.print(
                    Text("  " * level + safe_text(heading), style="bold" if level == 0 else "italic")
                )
        previous = block.headings
        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
        for col, w in zip(block.columns, widths, strict=True):
            table.add_column(safe_text(col.header), width=flex_width if col.flex else w, overflow="fold")
        for row in block.rows:
            table.add_row(*(styled(c) for c in row))
        console.print(table)
    if not colour:  # rich pads lines to the width; files and diffs want them trimmed
        out.write("\n".join(line.rstrip() for line in buffer.getvalue().splitlines()) + "\n")

"""Writing lists of records as a table, JSON, CSV or Markdown.

Shared by every command that prints rows (queries, export): the command builds
:class:`Block` s (a heading path and rows of cells) for people, and plain mappings for
machines; this module only formats.  Rich is imported only for tables on a terminal,
so importing this module, and printing to a pipe or file, stays cheap.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any, TextIO

from planctl.core.text import csv_safe, is_colour, md_text, safe_text


@dataclass(frozen=True, slots=True)
class Cell:
    """A cell's text and an optional colour (one of :data:`COLOUR_NAMES` or #rrggbb)."""

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


class SafeMessages(io.TextIOBase):
    """A text stream that shows control characters as :func:`safe_text` does.

    Installed as ``sys.stderr`` for every command: stderr carries only messages (never
    data or deliberate colour), and messages quote plan text, ids and file names from
    everywhere, so this one stream makes each of them safe however it was built.
    """

    def __init__(self, inner: TextIO) -> None:
        self.inner = inner

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.inner, "encoding", None) or "utf-8"

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return getattr(self.inner, "errors", None)

    def write(self, text: str) -> int:
        if not isinstance(text, str):  # bytes: refused, as a text stream does
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        self.inner.write(safe_text(text))
        return len(text)

    def flush(self) -> None:
        self.inner.flush()

    def isatty(self) -> bool:
        return self.inner.isatty()

    def fileno(self) -> int:
        return self.inner.fileno()

    def writable(self) -> bool:
        return True


def safe_messages() -> None:
    """Route ``sys.stderr`` through :class:`SafeMessages` (once)."""
    import sys

    if not isinstance(sys.stderr, SafeMessages):
        sys.stderr = SafeMessages(sys.stderr)


# --- machines ---


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
                text = cell.text
                if len(text) <= widths[i]:  # no word of it can be longer either
                    continue
                longest = max(map(len, text.split()), default=0)
                widths[i] = max(widths[i], min(len(text), columns[i].max_width), longest)
    return [min(w, c.max_width) for w, c in zip(widths, columns, strict=True)]


def write_table(blocks: Sequence[Block], out: TextIO, *, colour: bool, width: int) -> None:
    """A table per block under its headings: rich on a terminal, plain text otherwise.

    The plain text (pipes, files, CI) is the same, byte for byte, as rich's rendering with
    trailing spaces trimmed, but is made here: importing and running rich costs ~65 ms of
    a query's start-up.  Text rich measures differently (wide or zero-width characters)
    is left to rich.
    """
    if not blocks:
        return
    if not colour:
        plain = _plain_tables(blocks, width)
        if plain is not None:
            out.write(plain)
            return
    _rich_tables(blocks, out, colour=colour, width=width)


def _column_widths(blocks: Sequence[Block], width: int) -> list[int]:
    """Each column's requested width: fixed ones fit their text, flex ones share the rest."""
    widths = _widths(blocks)
    columns = blocks[0].columns
    flexible = sum(1 for c in columns if c.flex) or 1
    spare = width - sum(w for w, c in zip(widths, columns, strict=True) if not c.flex)
    spare -= 3 * (len(widths) - 1)  # padding, divider, padding between columns
    flex_width = max(20, spare // flexible)
    return [flex_width if c.flex else w for w, c in zip(widths, columns, strict=True)]


def _new_headings(previous: tuple[str, ...], headings: tuple[str, ...]) -> Iterator[tuple[int, str]]:
    """The (level, heading) pairs that differ from the previous block's."""
    for level, heading in enumerate(headings):
        if previous[: level + 1] != headings[: level + 1]:
            yield level, heading


def _trimmed(text: str) -> str:
    """Rendered text with each line's trailing spaces trimmed, as files and diffs want."""
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


def _rich_tables(blocks: Sequence[Block], out: TextIO, *, colour: bool, width: int) -> None:
    """Rich tables (box SIMPLE_HEAD, no edge), in colour on a terminal."""
    import io

    from rich import box
    from rich.color import Color
    from rich.console import Console
    from rich.style import Style
    from rich.table import Table
    from rich.text import Text

    buffer = io.StringIO()
    console = Console(
        file=out if colour else buffer,
        width=width,
        force_terminal=colour,
        no_color=not colour,
        color_system="auto" if colour else None,
        highlight=False,
        emoji=False,
        markup=False,
    )

    def styled(cell: Cell) -> Text:
        if colour and cell.colour and is_colour(cell.colour):  # a colour, never a style string
            return Text(safe_text(cell.text), style=Style(color=Color.parse(cell.colour)))
        return Text(safe_text(cell.text))

    widths = _column_widths(blocks, width)
    previous: tuple[str, ...] = ()
    for block in blocks:
        for level, heading in _new_headings(previous, block.headings):
            if level == 0 and previous:
                console.print()
            console.print(Text("  " * level + safe_text(heading), style="bold" if level == 0 else "italic"))
        previous = block.headings
        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
        for col, w in zip(block.columns, widths, strict=True):
            table.add_column(safe_text(col.header), width=w, overflow="fold")
        for row in block.rows:
            table.add_row(*(styled(c) for c in row))
        console.print(table)
    if not colour:
        out.write(_trimmed(buffer.getvalue()))


# --- plain tables without rich ---
# What this copies of rich (pinned in pyproject.toml to the releases it matches, 14.3 to
# 15.x; `make rich-floor` checks the oldest, tests/test_output.py the installed one with
# random tables): ``Table(box=SIMPLE_HEAD, show_edge=False, pad_edge=False)`` with fixed
# column widths and overflow "fold", as :func:`_rich_tables` draws it: a space either side
# of a cell but at the table's edges, one divider between columns, headers at the bottom
# of their row and a rule under them; widths narrowed by ``ratio_reduce`` when too wide
# (and rich's "or 1"); lines broken by ``divide_line`` (words with their spaces, long
# words folded), tabs to stops every 8; trailing spaces trimmed. rich 14.2 and older fold
# long words differently.

# Characters one cell wide in every Unicode version rich knows (checked against its width
# tables; tests/test_output.py checks the installed rich), plus tab and newline.  Anything else (CJK, emoji, combining marks, zero-width
# and bidi controls, line separators) goes to rich, whose measuring this code would have
# to copy.
_NOT_NARROW = re.compile(
    "[^\t\n\x20-\x7e\xa0-\xac\xae-\u02ff\u0370-\u0482\u1e00-\u1eff\u2010-\u2027\u2030-\u205e"
    "\u2070-\u209f\u20a0-\u20c0\u2100-\u214f\u2190-\u22ff\u2400-\u2426\u2500-\u25fc\ufb00-\ufb06\ufffd]"
)
_WORD = re.compile(r"\s*\S+\s*")  # a word and the spaces around it, as rich splits lines


def _breaks(line: str, width: int) -> list[int]:
    """Where rich's ``divide_line`` breaks a line to fit ``width``, folding long words.

    Not :mod:`textwrap`: it breaks at hyphens and treats spaces differently, and the
    output must match rich's to the byte.
    """
    breaks: list[int] = []
    offset = 0
    # The words follow one another from the start (a leading space joins the first), as
    # matching each where the last ended would find them; finditer does it in one call.
    for match in _WORD.finditer(line):
        start = match.start()
        word = match[0]
        length = len(word.rstrip())
        if width - offset >= length:
            offset += len(word)
        elif length > width:  # too long for any line: fold it
            chunks = [word[i : i + width] for i in range(0, len(word), width)]
            for chunk in chunks:
                if start:
                    breaks.append(start)
                start += len(chunk)
            offset = len(chunks[-1])
        elif offset and start:
            breaks.append(start)
            offset = len(word)
    return breaks


def _wrap(text: str, width: int) -> list[str]:
    """Text wrapped to ``width`` as rich wraps it: tab stops every 8, long words folded."""
    lines: list[str] = []
    for line in text.split("\n"):
        if "\t" in line:
            line = line.expandtabs(8)
        if len(line) <= width:  # fits: rich does not break it
            lines.append(line)
            continue
        cuts = [0, *_breaks(line, width), len(line)]
        lines.extend(line[a:b][:width] for a, b in pairwise(cuts))
    return lines


def _ratio_reduce(excess: int, values: list[int]) -> list[int]:
    """rich's ``ratio_reduce`` with equal ratios: take ``excess`` from the columns evenly."""
    ratios = [1 if v else 0 for v in values]
    total_ratio = sum(ratios)
    remaining = excess
    result: list[int] = []
    for ratio, value in zip(ratios, values, strict=True):
        if ratio and total_ratio > 0:
            taken = min(value, round(ratio * remaining / total_ratio))
            result.append(value - taken)
            remaining -= taken
            total_ratio -= ratio
        else:
            result.append(value)
    return result


def _layout(requested: Sequence[int], width: int) -> list[int] | None:
    """Rich's column widths, padding included, for fixed-width columns ``width`` wide.

    A cell has a space either side but at the table's edges, and columns are one divider
    apart; when the table is too wide, rich narrows every column evenly.  None when a
    column would have no room for text (left to rich).
    """
    count = len(requested)
    pads = [(i > 0) + (i < count - 1) for i in range(count)]
    room = width - (count - 1)
    if room < 1:
        return None
    widths = [min(w + p, room) or 1 for w, p in zip(requested, pads, strict=True)]  # rich's "or 1"
    excess = sum(widths) - room
    if excess > 0:
        widths = [
            min(w + p, r) for w, p, r in zip(requested, pads, _ratio_reduce(excess, widths), strict=True)
        ]
    if any(w - p < 1 for w, p in zip(widths, pads, strict=True)):
        return None
    return widths


def _plain_table(texts: list[list[str]], widths: list[int]) -> list[str]:
    """One table's lines, padded as rich pads them: the header (``texts[0]``), a rule, the rows."""
    count = len(widths)
    lines: list[str] = []
    sides = [(" " * (i > 0), " " * (i < count - 1)) for i in range(count)]
    inners = [w - len(a) - len(b) for w, (a, b) in zip(widths, sides, strict=True)]
    for number, row in enumerate(texts):
        if number and all(
            len(t) <= w and "\n" not in t and "\t" not in t for t, w in zip(row, inners, strict=True)
        ):  # every cell fits on one line, as rich leaves it
            lines.append(
                " ".join(a + t.ljust(w) + b for t, w, (a, b) in zip(row, inners, sides, strict=True))
            )
            continue
        cells: list[list[str]] = []
        for text, inner, (left, right) in zip(row, inners, sides, strict=True):
            cells.append([left + line.ljust(inner) + right for line in _wrap(text, inner)])
        height = max(len(c) for c in cells)
        for i, c in enumerate(cells):
            blank = [" " * widths[i]] * (height - len(c))
            cells[i] = blank + c if number == 0 else c + blank  # headers sit at the bottom
        lines.extend(" ".join(parts) for parts in zip(*cells, strict=True))
        if number == 0:
            lines.append("─" * (sum(widths) + count - 1))
    return lines


def _plain_tables(blocks: Sequence[Block], width: int) -> str | None:
    """The plain text rich would print for ``blocks``, or None to let rich do it.

    None when any text holds a character that is not one cell wide, or a column is too
    narrow: there this code's measuring might differ from rich's.
    """
    if width < 1:
        return None
    widths = _layout(_column_widths(blocks, width), width)
    if widths is None:
        return None
    lines: list[str] = []
    previous: tuple[str, ...] = ()
    for block in blocks:
        for level, heading in _new_headings(previous, block.headings):
            text = "  " * level + safe_text(heading)
            if _NOT_NARROW.search(text):
                return None
            if level == 0 and previous:
                lines.append("")
            lines.extend(_wrap(text, width))
        previous = block.headings
        texts = [[safe_text(c.header) for c in block.columns]]
        texts.extend([safe_text(c.text) for c in row] for row in block.rows)
        if any(_NOT_NARROW.search(t) for row in texts for t in row):
            return None
        lines.extend(_plain_table(texts, widths))
    return _trimmed("\n".join(lines))

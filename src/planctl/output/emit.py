"""The one way a result reaches the reader: every output format, and :func:`emit`.

A command computes a result, then hands it here with the format the reader chose. Each
result type says what it looks like in each shape it has (:class:`Shaped`: blocks of
rows for a table or Markdown, a JSON value, flat records for CSV), so the choice of
shape, the writing and the terminal rules (colour, width, control characters) live in
this layer and nowhere in the commands.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol, TextIO

if TYPE_CHECKING:
    from planctl.output.formats import Block


class Format(StrEnum):
    """Every format planctl prints or writes. One enum for all commands: each command
    offers the subset its results have (see ``planctl.cli.options.format_option``)."""

    table = "table"
    text = "text"
    json = "json"
    csv = "csv"
    markdown = "markdown"
    github = "github"
    sarif = "sarif"
    xlsx = "xlsx"
    ics = "ics"
    html = "html"


class Shaped(Protocol):
    """A result that knows its shapes: rows for people, data for machines."""

    @property
    def csv_fields(self) -> Sequence[str]:
        """The CSV header, in column order."""
        ...

    def blocks(self) -> Sequence[Block]:
        """Rows under headings, for a table or Markdown."""
        ...

    def to_json(self) -> Any:
        """The result as JSON data (lists, mappings, text, numbers)."""
        ...

    def records(self) -> Iterable[Mapping[str, object]]:
        """Flat records, one CSV row each, keyed by :attr:`csv_fields`."""
        ...


def terminal_width() -> int:
    """Columns for tables: the terminal's (or $COLUMNS), else 120; never under 80."""
    import shutil

    return max(80, shutil.get_terminal_size((120, 24)).columns)


def emit(result: Shaped, fmt: Format, *, colour: bool = False, out: TextIO | None = None) -> None:
    """Write ``result`` in ``fmt`` to ``out`` (stdout): the one place a shape is chosen."""
    from planctl.output import formats

    out = out or sys.stdout
    if fmt is Format.json:
        formats.write_json(result.to_json(), out)
    elif fmt is Format.csv:
        formats.write_csv(result.records(), result.csv_fields, out)
    else:
        emit_blocks(result.blocks(), fmt, colour=colour, out=out)


def emit_blocks(
    blocks: Sequence[Block], fmt: Format, *, colour: bool = False, out: TextIO | None = None
) -> None:
    """Rows under headings as a table or Markdown, for results that have only that shape."""
    from planctl.output import formats

    out = out or sys.stdout
    if fmt is Format.markdown:
        formats.write_markdown(blocks, out)
    elif fmt is Format.table:
        formats.write_table(blocks, out, colour=colour, width=terminal_width())
    else:
        raise ValueError(f"rows have no {fmt} shape")

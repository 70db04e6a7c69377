"""Plain tables are made without rich, yet match rich's rendering byte for byte.

``write_table`` draws tables for pipes and files itself (importing rich costs a query's
start-up ~65 ms); these tests render the same blocks through rich and compare, on
tricky cells and on random ones.
"""

from __future__ import annotations

import io
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planctl.output.formats import _NOT_NARROW, Block, Cell, Column, _plain_tables, _rich_tables, write_table


def rich_text(blocks: list[Block], width: int) -> str:
    out = io.StringIO()
    _rich_tables(blocks, out, colour=False, width=width)
    return out.getvalue()


def plain_text(blocks: list[Block], width: int) -> str:
    out = io.StringIO()
    write_table(blocks, out, colour=False, width=width)
    return out.getvalue()


def rows_block(*rows: tuple[str, ...], headings: tuple[str, ...] = ("Plan", "Section")) -> Block:
    columns = [Column("ID", 24), Column("Item", flex=True), Column("Due", 30), Column("Lead", 28)]
    return Block(headings, columns, [[Cell(t) for t in row] for row in rows])


LONG_WORD = "Supercalifragilisticexpialidocious" * 3
URL = "https://www.example.org/services/send/local-offer/a-very-long-path?with=query&and=more#frag"
TRICKY: dict[str, list[Block]] = {
    "long words fold": [rows_block((LONG_WORD, LONG_WORD, LONG_WORD, LONG_WORD))],
    "urls": [rows_block(("1.1", f"See {URL} for details.", URL, "Head of Service, SEND"))],
    "empty cells": [rows_block(("", "", "", ""), ("1", "", "May 2026", ""))],
    "newlines": [rows_block(("1\n2", "First line.\n\nThird line after a blank.\n", "a\nb\nc", "\n"))],
    "tabs": [rows_block(("a\tb", "col1\tcol2\t\tcol4 and a long tail of words to wrap", "\t", "x\ty"))],
    "narrow non-ASCII": [
        rows_block(("é–1", "Children’s “Local Offer” – café › naïve — £5 ≥ §2 ™ ﬂ", "Q3 2025/26", "—"))
    ],
    "exact widths": [
        rows_block(("x" * 24, "y" * 20, "z" * 30, "w" * 28), ("x" * 25, "y" * 21, "z" * 31, "w" * 29))
    ],
    "headers longer than content": [
        Block(
            ("H",),
            [Column("A very long header that wraps", 6), Column("Value", flex=True)],
            [[Cell("a"), Cell("b")]],
        )
    ],
    "control characters": [
        rows_block(("\x1b[31mRED\x1b[0m", "fake\rOVER \x9b2J \x7f \x00", "\x07", "\x1b]8;;x\x07"))
    ],
    "spaces": [
        rows_block(
            ("  lead", "trailing   ", "   ", "a  b   c    d"), ("\xa0x\xa0", "nb\xa0sp\xa0" * 20, " ", "")
        )
    ],
    "no rows": [rows_block()],
    "one column": [Block(("Only",), [Column("Value", flex=True)], [[Cell("text " * 40)]])],
    "empty header": [Block(("Empty",), [Column("", 10), Column("", flex=True)], [[Cell(""), Cell("")]])],
    "leads columns squeezed": [
        Block(
            ("Leads",),
            [Column("Lead", 40), Column("Open", 6), Column("Overdue", 8), Column("Next deadline", 50)],
            [
                [
                    Cell("Director of Children’s Services " * 2),
                    Cell("12"),
                    Cell("3"),
                    Cell("April 2026 (3.1.1) " * 3),
                ]
            ],
        )
    ],
    "headings": [
        rows_block(("1", "a", "b", "c"), headings=("A plan title " * 12, "Theme 1 › Priority 2 " * 8)),
        rows_block(("2", "a", "b", "c"), headings=("A plan title " * 12, "Theme 2")),
        rows_block(("3", "a", "b", "c"), headings=("Second plan", LONG_WORD * 2)),
        rows_block(("4", "a", "b", "c"), headings=("", "")),
    ],
}
WIDTHS = [20, 40, 80, 100, 120, 200]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", TRICKY)
def test_plain_matches_rich_on_tricky_cells(name: str, width: int) -> None:
    blocks = TRICKY[name]
    assert plain_text(blocks, width) == rich_text(blocks, width)


@pytest.mark.parametrize("name", sorted(set(TRICKY) - {"empty header"}))
def test_tricky_cells_take_the_plain_path(name: str) -> None:
    """Rich is left only what the plain path cannot match (here: a column with no room)."""
    assert _plain_tables(TRICKY[name], 100) is not None


@pytest.mark.parametrize(
    "text",
    [
        "東京都の計画",
        "emoji 🙂 here",
        "e\u0301 combining",
        "joined 👩\u200d👧",
    ],
)
def test_characters_rich_measures_differently_go_to_rich(text: str) -> None:
    """Wide and joined characters: rich renders, not the plain path."""
    blocks = [rows_block(("1", text * 5, text, "lead"), headings=(text, text))]
    assert _plain_tables(blocks, 80) is None
    assert plain_text(blocks, 80) == rich_text(blocks, 80)


@pytest.mark.parametrize("char", ["\u200b", "\u2028", "\u2029", "\u202e", "\u2066", "\x85", "\x0b", "\x0c"])
def test_invisible_and_line_breaking_characters_are_shown_as_stand_ins(char: str) -> None:
    """A zero-width space, line separator or bidi override never reaches the table raw
    (it used to go to rich as is, forging a line or reordering the row)."""
    text = f"before{char}after"
    blocks = [rows_block(("1", text, text, "lead"), headings=(text, text))]
    for out in (plain_text(blocks, 80), rich_text(blocks, 80)):
        assert char not in out
        assert "before" in out
        assert "after" in out
    assert plain_text(blocks, 80) == rich_text(blocks, 80)


def test_plain_path_characters_are_one_cell_wide_for_rich() -> None:
    from rich.cells import cell_len

    narrow = (chr(c) for c in range(0x20, 0x10000) if not _NOT_NARROW.search(chr(c)))
    assert [hex(ord(c)) for c in narrow if cell_len(c) != 1] == []


def test_plain_path_does_not_import_rich() -> None:
    code = (
        "import io, sys\n"
        "from planctl.output.formats import Block, Cell, Column, write_table\n"
        "b = Block(('P',), [Column('ID', 8), Column('Item', flex=True)], [[Cell('1'), Cell('text')]])\n"
        "write_table([b], io.StringIO(), colour=False, width=100)\n"
        "print('rich' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


# Mostly letters and spaces, so words wrap; some of every kind of character the plain
# path must handle as rich does (tabs, newlines, no-break spaces, controls made visible).
NARROW = "abcdefghij ABC 0123 -/.,:;()[]'\"\t\n\xa0é–’“”›—£\x1b\x7f\x9b"
WIDE = "東🙂\u0301\u200b"  # wide, emoji, combining, zero-width: left to rich


@st.composite
def random_blocks(draw: st.DrawFn, alphabet: str) -> list[Block]:
    texts = st.text(alphabet=st.sampled_from(alphabet), max_size=80)
    column = st.builds(Column, header=texts, max_width=st.integers(0, 40), flex=st.booleans())
    columns = draw(st.lists(column, min_size=1, max_size=6))
    row = st.lists(st.builds(Cell, texts), min_size=len(columns), max_size=len(columns))
    headings = draw(st.lists(st.tuples(texts, texts), min_size=1, max_size=3))
    return [Block(h, columns, draw(st.lists(row, max_size=4))) for h in headings]


@settings(max_examples=200, deadline=None)
@given(blocks=random_blocks(NARROW), width=st.integers(1, 220))
def test_plain_matches_rich_on_random_blocks(blocks: list[Block], width: int) -> None:
    assert plain_text(blocks, width) == rich_text(blocks, width)


@settings(max_examples=50, deadline=None)
@given(blocks=random_blocks(NARROW + WIDE), width=st.integers(1, 220))
def test_random_blocks_with_wide_characters_match_rich(blocks: list[Block], width: int) -> None:
    assert plain_text(blocks, width) == rich_text(blocks, width)

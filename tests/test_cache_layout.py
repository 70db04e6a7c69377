"""Issue 17: the cache's layout of a row is made from the row type, in one place, so a
field added to a record is written and read back without touching the cache code."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from planctl.core import rows
from planctl.core.dates import FuzzyDate, Precision
from planctl.core.diagnostics import Diagnostic, Severity
from planctl.core.entry import BAD_ENTRY
from planctl.core.layout import Layout, record_codec
from planctl.store.files import discover, load

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True, slots=True)
class ReviewedRow(rows.Row):
    """A row with one field more, as the next feature might add."""

    reviewed: date | None
    reviewers: tuple[str, ...]
    due_again: FuzzyDate | None


def test_a_new_row_field_is_stored_and_read_back_with_no_other_change() -> None:
    found = discover([ROOT / "plans"])[0]
    row = rows.rows_of(load(found), 0)[0]
    fields = {f: getattr(row, f) for f in row.__dataclass_fields__}
    again = FuzzyDate("by May 2026", date(2026, 5, 1), date(2026, 5, 31), Precision.MONTH)
    longer = ReviewedRow(**fields, reviewed=date(2026, 1, 2), reviewers=("Jo", "Sam"), due_again=again)
    layout = Layout(
        ReviewedRow, skip=frozenset({"plan", "file", "order", "sections", "status", "rating", "status_date"})
    )
    stored = json.loads(json.dumps(layout.encode(longer)))
    assert stored[-3:] == ["2026-01-02", ["Jo", "Sam"], ["by May 2026", "2026-05-01", "2026-05-31", "month"]]
    back = dict(zip(layout.names, layout.decode(stored), strict=True))
    assert back == {n: getattr(longer, n) for n in layout.names}
    with pytest.raises(BAD_ENTRY):
        layout.decode(stored[:-1])  # an entry of the old layout is not read as the new


def test_the_row_layout_is_the_row_type() -> None:
    stored = [n for n in rows.Row.__dataclass_fields__ if n not in rows._NOT_STORED]
    assert list(rows._ROW.names) == stored


def test_a_diagnostic_is_stored_by_its_fields() -> None:
    to_json, from_json = record_codec(Diagnostic)
    d = Diagnostic(
        "p.yaml", 3, 5, "no lead", Severity.WARNING, "missing-lead", "PL101", "sections[0]", "A1", None
    )
    stored = json.loads(json.dumps(to_json(d)))
    assert stored == ["p.yaml", 3, 5, "no lead", 1, "missing-lead", "PL101", "sections[0]", "A1", None]
    assert from_json(stored) == d
    with pytest.raises(BAD_ENTRY):
        from_json([*stored[:4], 7, *stored[5:]])  # no such severity

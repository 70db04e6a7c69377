"""Issue 17, "Performance stays or improves": the warm path reads cached entries a field
at a time across all records (planctl.core.layout.Layout.decode_columns). These tests
check that the reading is the same as record by record, for good entries and hand-edited
bad ones, that an unchanged row is not copied per query, and that cached lint findings
share their texts (warm lint peak memory no higher than cold)."""

from __future__ import annotations

import copy
import dataclasses
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from planctl.api import pipeline
from planctl.cli import app
from planctl.core import rows
from planctl.core.dates import latest_on
from planctl.core.entry import BAD_ENTRY
from planctl.core.rows import file_rows_to_json, rows_of
from planctl.lint.results import FileLint
from planctl.store import cache
from planctl.store.files import discover, load
from planctl.store.layout import CACHE_DIR

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()
AS_OF = ["--as-of", "2026-11-24"]


def _stored_rows() -> list[list[Any]]:
    """Every shipped plan's rows as the cache stores them (JSON, so lists, not tuples)."""
    out: list[list[Any]] = []
    for index, found in enumerate(discover([ROOT / "plans"])):
        entry = json.loads(json.dumps(file_rows_to_json(rows_of(load(found), index))))
        out.extend(entry["rows"])
    return out


STORED = _stored_rows()
JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-3, 3)
    | st.floats(allow_nan=False)
    | st.sampled_from(["", "month", "2026-05-01", "2026-13-40", "G", "amber", "by May 2026"]),
    lambda inner: st.lists(inner, max_size=5),
    max_leaves=12,
)


def _one_by_one(records: list[Any]) -> list[list[Any]] | type[Exception]:
    try:
        return [rows._ROW.decode(r) for r in records]
    except BAD_ENTRY as exc:
        return type(exc)


def _together(records: list[Any]) -> list[list[Any]] | type[Exception]:
    try:
        columns = rows._ROW.decode_columns(records)
    except BAD_ENTRY as exc:
        return type(exc)
    return [list(values) for values in zip(*columns, strict=True)]


def test_reading_together_gives_the_same_rows_as_one_by_one() -> None:
    assert len(STORED) > 200
    got = _together(STORED)
    assert got == _one_by_one(STORED)
    assert got != []


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    picks=st.lists(st.integers(0, len(STORED) - 1), min_size=1, max_size=8),
    where=st.integers(0, len(rows._ROW.names) - 1),
    value=JSON_VALUES,
    inner=st.booleans(),
)
def test_a_hand_edited_entry_is_refused_or_read_alike(
    picks: list[int], where: int, value: Any, inner: bool
) -> None:
    """A value changed anywhere (a field, or inside a field's list): both readings refuse
    the entry (one of BAD_ENTRY) or both read the same rows."""
    records = copy.deepcopy([STORED[i] for i in picks])
    target = records[0]
    if inner and isinstance(target[where], list) and target[where]:
        target[where][0] = value
    else:
        target[where] = value
    one = _one_by_one(records)
    together = _together(records)
    assert (isinstance(one, type), isinstance(together, type)) in ((True, True), (False, False)), (
        one,
        together,
    )
    if not isinstance(one, type):
        assert together == one


def test_a_number_or_true_where_a_deadline_has_text_is_refused() -> None:
    """Equal deadlines are read once and shared; a hand-edited ``true`` or number is never
    taken for an equal-looking good one (``1 == True`` in Python)."""
    due = rows._ROW.names.index("due")
    good = next(r for r in STORED if r[due] is not None)
    for bad in (True, 1, 1.0):
        edited = copy.deepcopy(good)
        edited[due] = [bad, *edited[due][1:]]
        assert _together([good, edited]) in BAD_ENTRY


def test_a_row_as_of_a_day_that_changes_nothing_is_the_row_itself() -> None:
    """A query takes every row as of its day; most rows do not change, and are not copied."""
    found = discover([ROOT / "plans"])
    all_rows = [r for i, f in enumerate(found) for r in rows_of(load(f), i)]
    day = date(2026, 11, 24)
    once = [r.as_of(day) for r in all_rows]
    again = [r.as_of(day) for r in once]
    assert all(a is b for a, b in zip(once, again, strict=True))
    assert sum(a is b for a, b in zip(all_rows, once, strict=True)) > len(all_rows) // 2
    for when in (date(2000, 1, 1), date(2024, 6, 1), date(2025, 6, 1), day, date(2030, 1, 1)):
        for row in once:
            assert row.as_of(when) == _as_of_by_copy(row, when)


def _as_of_by_copy(row: rows.Row, day: date) -> rows.Row:
    """The rule as it was written before the shortcut: always a copy."""
    step = latest_on(row.ratings, day)
    closed = row.closed_on is not None and row.closed_on <= day
    if step is None:
        return dataclasses.replace(row, status=None, rating=None, status_date=None, closed=closed)
    return dataclasses.replace(
        row, status=step.status, rating=step.rating, status_date=step.date, closed=closed
    )


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "plans").mkdir()
    for plan in (ROOT / "plans").glob("*.yaml"):
        (tmp_path / "plans" / plan.name).write_bytes(plan.read_bytes())
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_cached_findings_share_their_texts(project: Path) -> None:
    """A warm lint reads each file's findings together: one file name, rule and code
    string for all of them, as a fresh run's results are, so warm memory is not higher."""
    first = runner.invoke(app, ["lint", *AS_OF])
    again = runner.invoke(app, ["lint", *AS_OF])
    assert first.exit_code == again.exit_code
    assert first.stdout == again.stdout
    entries = sorted((project / CACHE_DIR / "lint").rglob("*.json"))
    assert entries
    shared = 0
    for path in entries:
        value = cache._loads(path.read_bytes())["value"]
        result = FileLint.from_json(value)
        if len(result.diagnostics) < 2:
            continue
        files = {id(d.file) for d in result.diagnostics}
        codes = {d.code: id(d.code) for d in result.diagnostics}
        assert len(files) == 1
        assert all(id(d.code) == codes[d.code] for d in result.diagnostics)
        shared += 1
    assert shared
    assert pipeline  # the cache these entries came from is the pipeline's

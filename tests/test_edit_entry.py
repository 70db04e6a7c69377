"""update and add edit only the item's own lines, with the same result as a whole-file edit.

Reading and writing one entry instead of the whole plan is what keeps a 100,000-item
plan's lock short (issue 16). The shortcut is only allowed because it is exact: these
tests compare it byte for byte with the whole-file edit on every shipped plan.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import TypeVar

import pytest
import yaml
from ruamel.yaml.comments import CommentedSeq
from typer.testing import CliRunner

from planctl.cli import app
from planctl.core.models import walk_items, walk_sections
from planctl.core.validate import load_text
from planctl.edit import roundtrip as rt
from planctl.edit.operations import ITEM_ORDER, loaded_plan

ROOT = Path(__file__).resolve().parents[1]
ALL_PLANS = [*sorted((ROOT / "plans").glob("*.yaml")), ROOT / "examples" / "example-plan.yaml"]
runner = CliRunner()
T = TypeVar("T")


def _spread(things: list[T], count: int = 6) -> list[T]:
    """Up to ``count`` entries spread from first to last (the whole-file edit is slow)."""
    step = max(1, len(things) // count)
    return [*things[::step], things[-1]] if things else []


def _note(seq: CommentedSeq, index: int) -> None:
    """What ``update --note`` does to the entry: append a dated update."""
    entry = rt.block_map([("date", dt.date(2026, 11, 24)), ("status", None), ("note", "checked")])
    item = seq[index]
    if "updates" in item and isinstance(item["updates"], CommentedSeq):
        rt.append(item["updates"], entry)
    else:
        rt.set_key(item, "updates", CommentedSeq([entry]), ITEM_ORDER)


@pytest.mark.parametrize("path", ALL_PLANS, ids=lambda p: p.name)
def test_entry_edit_equals_whole_file_edit(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    loaded = load_text(text, str(path))
    assert loaded.plan is not None
    cut = 0
    for located in _spread(list(walk_items(loaded.plan))):
        *seq_path, index = located.path
        assert isinstance(index, int)
        fragment = rt.edit_entry_lines(text, loaded.document, tuple(seq_path), index, _note)
        whole = rt.edit_entry(text, None, tuple(seq_path), index, _note)
        if fragment is not None:
            cut += 1
            assert fragment == whole, located.item.id
    assert cut > 0, "no item was edited on its own lines"


def _add(seq: CommentedSeq, _index: int) -> None:
    """What ``add`` does: a new entry after the last, with a lead that needs quoting."""
    entry = rt.block_map(
        [("id", "NEW-1"), ("kind", "action"), ("title", "One more"), ("leads", rt.flow_seq(["A: b?"]))]
    )
    rt.append(seq, entry)


@pytest.mark.parametrize("path", ALL_PLANS, ids=lambda p: p.name)
def test_add_after_last_item_equals_whole_file_edit(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    loaded = load_text(text, str(path))
    assert loaded.plan is not None
    with_items = [(s, p) for s, _, p in walk_sections(loaded.plan.sections) if s.items]
    for section, sec_path in _spread(with_items):
        seq_path = (*sec_path, "items")
        last = len(section.items) - 1
        fragment = rt.edit_entry_lines(text, loaded.document, seq_path, last, _add)
        whole = rt.edit_entry(text, None, seq_path, last, _add)
        assert fragment is not None, section.id
        assert fragment == whole, section.id


def test_lead_with_flow_characters_reads_the_same_in_pyyaml(tmp_path: Path) -> None:
    """A lead such as ``yes ?x`` in ``leads: [...]`` was written plain; PyYAML, which stops a
    plain scalar at ``?`` inside brackets, refused the file (found by test_write_parsers)."""
    plan = tmp_path / "example-plan.yaml"
    shutil.copy(ROOT / "examples" / "example-plan.yaml", plan)
    loaded = load_text(plan.read_text(encoding="utf-8"), str(plan))
    assert loaded.plan is not None
    item = next(iter(walk_items(loaded.plan))).item
    lead = "Head of SEND ?team: north, [east]"
    result = runner.invoke(app, ["update", item.id, "--lead", lead, str(tmp_path)])
    assert result.exit_code == 0, result.output
    data = yaml.safe_load(plan.read_text(encoding="utf-8"))
    found = [it["leads"] for it in _all_items(data["sections"]) if it.get("id") == item.id]
    assert found == [[lead]]


def _all_items(sections: list[dict[str, object]]) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for section in sections:
        out.extend(section.get("items") or [])  # type: ignore[arg-type]
        out.extend(_all_items(section.get("sections") or []))  # type: ignore[arg-type]
    return out


def test_a_plan_read_before_the_lock_is_reused_only_if_the_file_is_unchanged() -> None:
    """update and add read the plan to find the item, then edit under the lock; the first
    reading is reused (a 100,000-item plan: 17.8 s -> 8.7 s) only for the very same text."""
    path = ROOT / "examples" / "example-plan.yaml"
    before = path.read_text(encoding="utf-8")
    first = load_text(before, str(path))
    assert first.plan is not None
    assert loaded_plan(before, str(path), (before, first)) is first
    title = first.plan.title
    after = before.replace(title, title + " (renamed meanwhile)", 1)
    again = loaded_plan(after, str(path), (before, first))
    assert again is not first
    assert again.plan is not None
    assert again.plan.title == title + " (renamed meanwhile)"

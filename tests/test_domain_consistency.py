"""Every command reads an item's rating, lead and deadlines the same way.

An item rated only in its ``updates:`` (no ``status:``) once counted as unrated in
``overdue``, ``stats`` and the board report while ``lint`` and ``diff`` read the update:
these tests run each command on one small plan and hold them to one answer.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from planctl.cli import app
from planctl.core.models import NO_LEAD_LABEL, Item, Located, item_deadlines, walk_items
from planctl.core.validate import load_text

AS_OF = "2026-06-01"

PLAN = """\
schema_version: 1
id: consistency-plan
title: Consistency plan
owners: [Example Council]
scales:
  - id: rag
    name: RAG
    values:
      - {key: red, label: Red}
      - {key: amber, label: Amber}
      - {key: complete, label: Complete, done: true}
sections:
  - id: theme-1
    kind: theme
    number: "1"
    title: Having a good life
    leads: [Head of Service]
    items:
      - id: A1
        title: Finished, said only in an update
        due: January 2026
        updates:
          - {date: 2026-02-01, status: amber, note: Venue booked}
          - {date: 2026-03-01, status: {A1_LATEST}, note: Event held}
      - id: A2
        title: Late, rated only in an update
        due: February 2026
        updates:
          - {date: 2026-02-10, status: amber}
  - id: theme-2
    kind: theme
    number: "2"
    title: Nobody leads this yet
    items:
      - id: B1
        title: No lead anywhere, no deadline
"""


def _plan(latest: str) -> str:
    return PLAN.replace("{A1_LATEST}", latest)


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout


@pytest.fixture
def plan_file(tmp_path: Path) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(_plan("complete"), encoding="utf-8")
    return path


def _json(*args: str) -> Any:
    code, out = run(*args)
    assert code == 0, out
    return json.loads(out)


def test_overdue_reads_the_rating_in_updates(plan_file: Path) -> None:
    rows = _json("overdue", "--as-of", AS_OF, "--format", "json", str(plan_file))
    assert [r["id"] for r in rows] == ["A2"]  # A1 is done by its update; A2 is still amber


def test_stats_count_the_rating_in_updates(plan_file: Path) -> None:
    stats = _json("stats", "--as-of", AS_OF, "--format", "json", str(plan_file))
    text = json.dumps(stats)
    assert stats["done"] == 1, text
    assert stats["overdue"] == 1, text
    assert stats["by_rating"] == {"Complete": 1, "Amber": 1, "(unrated)": 1}, text


def test_board_report_counts_the_rating_in_updates(plan_file: Path) -> None:
    code, out = run("render", str(plan_file), "--template", "board-report.md", "--as-of", AS_OF)
    assert code == 0, out
    assert "- **1** overdue (deadline passed, not marked done);" in out
    assert "## 3. Overdue (1)" in out
    assert (
        "| A2 | Late, rated only in an update | Theme 1 | February 2026 | Head of Service | 🟠 Amber |" in out
    )
    assert "| Theme 1: Having a good life | 1 | 1 | 0 | 2 |" in out  # Amber, Complete, Not rated
    assert f"| No lead anywhere, no deadline | Theme 2 | {NO_LEAD_LABEL} |" in out  # without a deadline


def test_lint_reads_the_rating_in_updates(plan_file: Path) -> None:
    code, out = run("lint", "--as-of", AS_OF, "--format", "json", str(plan_file))
    findings = json.loads(out)
    assert code == 0, out
    by_rule = {(f["rule"], f["item"]) for f in findings}
    assert ("overdue-open", "A2") in by_rule
    assert ("overdue-open", "A1") not in by_rule
    assert not any(rule == "status-missing" for rule, _ in by_rule)


def test_diff_reads_the_rating_in_updates(tmp_path: Path, plan_file: Path) -> None:
    old = tmp_path / "old.yaml"
    old.write_text(_plan("amber"), encoding="utf-8")
    report = _json("diff", str(old), str(plan_file), "--format", "json")
    changes = [(c["kind"], c["item"], c["before"], c["after"]) for p in report["plans"] for c in p["changes"]]
    assert changes == [("improved", "A1", "Amber", "Complete")]


def _item(**fields: Any) -> Item:
    return Item.model_validate({"id": "X1", "title": "x", **fields})


def test_current_status_rules() -> None:
    only_updates = _item(
        updates=[
            {"date": "2026-03-01", "status": "green"},
            {"date": "2026-01-01", "status": "red"},
            {"date": "2026-04-01", "note": "no rating in this one"},
        ]
    )
    assert (only_updates.current_status, only_updates.current_status_date) == ("green", date(2026, 3, 1))
    tie = _item(updates=[{"date": "2026-03-01", "status": "red"}, {"date": "2026-03-01", "status": "amber"}])
    assert tie.current_status == "amber"  # same day: the later entry in the list
    own = _item(status="red", status_date="2026-01-05", updates=[{"date": "2026-03-01", "status": "green"}])
    assert (own.current_status, own.current_status_date) == ("red", date(2026, 1, 5))
    undated_own = _item(status="green", updates=[{"date": "2026-03-01", "status": "green"}])
    assert undated_own.current_status_date == date(2026, 3, 1)  # the update that gave it
    other = _item(status="red", updates=[{"date": "2026-03-01", "status": "green"}])
    assert (other.current_status, other.current_status_date) == ("red", None)
    assert (_item().current_status, _item().current_status_date) == (None, None)


def test_item_deadlines_give_each_written_deadline_with_its_path() -> None:
    item = _item(
        due="April 2026",
        outcomes=[{"text": "Agreed by June 2026"}, {"text": "Reviewed", "due": "Q3 2026/27"}],
    )
    path = ("sections", 0, "items", 3)
    assert [(p, d.text) for p, d in item_deadlines(item, path)] == [
        ((*path, "due"), "April 2026"),
        ((*path, "outcomes", 1, "due"), "Q3 2026/27"),
    ]
    assert [(p, d.text) for p, d in item_deadlines(item, path, named_in_text=True)] == [
        ((*path, "due"), "April 2026"),
        ((*path, "outcomes", 0, "text"), "by June 2026"),
        ((*path, "outcomes", 1, "due"), "Q3 2026/27"),
    ]


def test_located_leads_are_what_reports_show(plan_file: Path) -> None:
    loaded = load_text(plan_file.read_text(encoding="utf-8"), str(plan_file))
    assert loaded.plan is not None
    located: dict[str, Located] = {loc.item.id: loc for loc in walk_items(loaded.plan)}
    assert [lead.label() for lead in located["A1"].leads] == ["Head of Service"]
    assert located["B1"].leads == []


def test_queries_and_reports_read_one_rating(plan_file: Path) -> None:
    """A query row (cached) and a report's item view hold the same core Rating, meaning
    and all; the page's extras (hex colour, badge) are computed from it."""
    from planctl.core.ratings import Rating
    from planctl.core.rows import Row, rows_of
    from planctl.render.context import build_context

    plan_file.write_text(
        _plan("complete").replace(
            "{key: amber, label: Amber}", "{key: amber, label: Amber, meaning: At risk}"
        ),
        encoding="utf-8",
    )
    result = load_text(plan_file.read_text(encoding="utf-8"), str(plan_file))
    assert result.plan is not None
    day = date.fromisoformat(AS_OF)
    rows: dict[str, Row] = {r.id: r.as_of(day) for r in rows_of(result)}
    views = {v.id: v for v in build_context(result.plan, day).items}
    assert rows["A2"].rating == Rating("amber", "Amber", "At risk", None, False)
    for item_id in ("A1", "A2"):
        view = views[item_id].rating
        assert view is not None
        assert view.rating == rows[item_id].rating
    view = views["A2"].rating
    assert view is not None
    assert (view.label, view.meaning, view.colour, view.badge, view.done) == (
        "Amber",
        "At risk",
        "#f47738",
        "🟠 Amber",
        False,
    )

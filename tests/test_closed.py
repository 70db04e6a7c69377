"""Closed work: a plan or section marked ``closed:`` (date and reason) is left out of
queries, lint and reports from that day on, unless ``--include-closed``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from planctl.cli import app

ROOT = Path(__file__).resolve().parents[1]
WESTMINSTER = "westminster-rbkc-big-plan-2018-2021"
EXAMPLE = ROOT / "examples" / "example-plan.yaml"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def rows(*args: str) -> tuple[list[dict[str, Any]], str]:
    code, out, err = run(*args, "--format", "json", "--no-cache")
    assert code == 0, err
    data: list[dict[str, Any]] = json.loads(out)
    return data, err


def test_the_westminster_plan_closed_with_its_period(in_repo: Path) -> None:
    """131 overdue items on 1 September 2026, 55 of them from the 2018-21 plan that ended
    in March 2021: they are left out, and a note says how many and how to see them."""
    every, _ = rows("overdue", "--as-of", "2026-09-01", "--include-closed")
    assert len(every) == 131
    assert sum(r["plan"] == WESTMINSTER for r in every) == 55
    open_now, err = rows("overdue", "--as-of", "2026-09-01")
    assert len(open_now) == 76
    assert not any(r["plan"] == WESTMINSTER for r in open_now)
    assert "55 items of closed plans or sections left out; --include-closed includes them" in err
    # Before the plan closed, its late work was overdue like any other.
    then, _ = rows("overdue", "--as-of", "2021-01-01", "--plan", WESTMINSTER)
    assert len(then) > 0


def test_show_says_an_item_is_closed(in_repo: Path) -> None:
    code, out, _ = run("show", "DP1", "--as-of", "2026-09-01", "--format", "json")
    assert code == 0
    assert json.loads(out)["closed"] == {
        "date": "2021-03-31",
        "reason": "Its period, 2018-2021, ended on 31 March 2021.",
    }


def test_lint_leaves_closed_work_out(in_repo: Path) -> None:
    file = f"plans/{WESTMINSTER}.yaml"
    code, out, _ = run("lint", "--as-of", "2026-09-01", "--no-cache", "--format", "json", file)
    assert code == 0
    assert not [f for f in json.loads(out) if f["item"]], out
    code, out, _ = run(
        "lint", "--as-of", "2026-09-01", "--no-cache", "--format", "json", "--include-closed", file
    )
    assert code == 0
    assert sum(f["rule"] == "missing-lead" for f in json.loads(out)) == 27


def test_board_report_says_the_plan_closed(in_repo: Path) -> None:
    code, out, _ = run("render", WESTMINSTER, "-t", "board-report.md", "--as-of", "2026-09-01")
    assert code == 0
    assert (
        "**Closed:** this plan closed on 31 March 2021: Its period, 2018-2021, ended on 31 March 2021." in out
    )
    assert "This report covers 0 actions (56 of closed work left out)." in out
    assert "## 3. Overdue (0)" in out
    code, out, _ = run(
        "render", WESTMINSTER, "-t", "board-report.md", "--as-of", "2026-09-01", "--include-closed"
    )
    assert "## 3. Overdue (55)" in out


@pytest.fixture
def closed_section(tmp_path: Path) -> Path:
    """The example plan with priority 1.1 closed on 1 January 2026."""
    plan = tmp_path / "plan.yaml"
    shutil.copyfile(EXAMPLE, plan)
    text = plan.read_text(encoding="utf-8")
    old = "        title: More people get paid work\n"
    assert text.count(old) == 1
    closed = old + "        closed: {date: 2026-01-01, reason: Merged into the employment strategy.}\n"
    plan.write_text(text.replace(old, closed), encoding="utf-8")
    return plan


def test_a_closed_section_is_left_out_from_its_date(closed_section: Path) -> None:
    before, _ = rows("list", str(closed_section), "--as-of", "2025-12-31")
    assert [r["id"] for r in before] == ["A3", "A1", "A2"]
    after, err = rows("list", str(closed_section), "--as-of", "2026-01-01")
    assert after == []
    assert "3 items of closed plans or sections left out" in err
    both, _ = rows("list", str(closed_section), "--as-of", "2026-01-01", "--include-closed")
    assert len(both) == 3


def test_a_closure_needs_a_date_and_a_reason(closed_section: Path) -> None:
    text = closed_section.read_text(encoding="utf-8")
    closed_section.write_text(text.replace("reason: Merged into the employment strategy.", 'reason: " "'))
    code, out, _ = run("validate", str(closed_section))
    assert code == 1
    assert "plan.yaml:58:" in out
    assert "sections[0].sections[0].closed.reason" in out


def test_diff_reports_a_closure(closed_section: Path) -> None:
    code, out, _ = run("diff", str(EXAMPLE), str(closed_section))
    assert code == 0
    assert "1 plan or section closed in 1 of 1 plan." in out
    assert "priority-1-1  Closed: closed on 2026-01-01: Merged into the employment strategy." in out


def test_links_to_closed_work_still_resolve(closed_section: Path) -> None:
    """Closed work is left out of the checks, not out of the plan: a link to an action of
    a closed section, from the same plan or another one, is not a dangling link."""
    with closed_section.open("a", encoding="utf-8") as f:
        f.write(
            "  - id: theme-2\n    title: Other work\n    items:\n"
            "      - id: B2\n        kind: action\n        title: Build on the first action\n"
            "        links: [A1]\n"
        )
    other = closed_section.parent / "other.yaml"
    other.write_text(
        "schema_version: 1\nid: other-plan\ntitle: Other plan\nsections:\n"
        "  - id: s1\n    title: Work\n    items:\n"
        "      - id: B1\n        kind: action\n        title: Follow on from the example plan\n"
        "        links: ['example-council-ld-plan-2025-2027:A1']\n",
        encoding="utf-8",
    )
    for extra in ([], ["--include-closed"]):
        code, out, err = run(
            "lint",
            str(closed_section.parent),
            "--as-of",
            "2026-09-01",
            "--no-cache",
            "--format",
            "json",
            *extra,
        )
        assert code in (0, 1), err
        findings = json.loads(out)
        assert {f["item"] for f in findings if f["rule"] == "missing-lead"} >= {"B1", "B2"}  # both linted
        assert [f for f in findings if f["rule"] == "dangling-link"] == [], extra


def test_return_forms_and_calendars_leave_closed_work_out(tmp_path: Path) -> None:
    """Issue 22 part 7: a plan that ended is not sent out for returns, and its deadlines are
    not a lead's open calendar entries; before it closed, both were."""
    plan = str(ROOT / "plans" / f"{WESTMINSTER}.yaml")
    after, before = tmp_path / "after", tmp_path / "before"
    after.mkdir()
    before.mkdir()
    code, _, err = run("forms", plan, "--out-dir", str(after), "--as-of", "2026-11-24")
    assert code == 0, err
    assert list(after.iterdir()) == []
    assert "no lead has open items" in err
    code, _, err = run("forms", plan, "--out-dir", str(before), "--as-of", "2020-06-01")
    assert code == 0, err
    assert len(list(before.glob("*.xlsx"))) >= 3
    code, ics, err = run("export", "--format", "ics", plan, "--as-of", "2026-11-24")
    assert code == 0, err
    assert "BEGIN:VEVENT" not in ics
    code, ics, err = run("export", "--format", "ics", plan, "--as-of", "2020-06-01")
    assert code == 0, err
    assert ics.count("BEGIN:VEVENT") > 50

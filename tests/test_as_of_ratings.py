"""``--as-of`` means as of then; one definition of an action; export gives ``show``'s rating.

A scratch copy of the SEND Priority Action Plan gets two ratings of PAP2A:1 ("By April
2024") through ``planctl update``: Red on 15 May 2024, Blue (done) on 3 November 2025.
As of 30 June 2024 every command must say Red, and the 2025 note must not show; as of
1 December 2025 every command must say Blue. Before, every command read the latest
rating whatever the day, and ``export`` left a rating in ``updates:`` empty.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from planctl.cli import app

PAP = "oxfordshire-send-pap-2024"
THEN = "2024-06-30"
LATER = "2025-12-01"
LATE_NOTE = "Protocol embedded across the partnership"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout


def _json(*args: str) -> Any:
    code, out = run(*args)
    assert code == 0, out
    return json.loads(out)


@pytest.fixture
def rated(project: Path) -> Path:
    """The project's PAP plan with PAP2A:1 rated Red in 2024 and Blue in 2025."""
    plan = project / "plans" / f"{PAP}.yaml"
    for status, day, note in (("red", "2024-05-15", "Protocol delayed"), ("blue", "2025-11-03", LATE_NOTE)):
        code, out = run("update", "PAP2A:1", "--status", status, "--note", note, "--date", day, str(plan))
        assert code == 0, out
    return plan


def test_overdue_as_of_then_uses_the_rating_of_then(rated: Path) -> None:
    then = _json("overdue", "--as-of", THEN, "--format", "json", str(rated))
    row = next(r for r in then if r["id"] == "PAP2A:1")  # Red then: open, and late
    assert (row["status"], row["done"]) == ("red", False)
    later = _json("overdue", "--as-of", LATER, "--format", "json", str(rated))
    assert "PAP2A:1" not in [r["id"] for r in later]  # Blue (done) since November 2025


def test_status_filter_is_as_of_then(rated: Path) -> None:
    rows = _json("list", "--status", "red", "--as-of", THEN, "--format", "json", str(rated))
    assert [r["id"] for r in rows] == ["PAP2A:1"]
    assert _json("list", "--status", "blue", "--as-of", THEN, "--format", "json", str(rated)) == []


def test_show_as_of_then_gives_the_rating_and_notes_of_then(rated: Path) -> None:
    data = _json("show", "PAP2A:1", "--as-of", THEN, "--format", "json", str(rated))
    assert data["status"] == "red"
    assert [u["date"] for u in data["updates"]] == ["2024-05-15"]  # the 2025 note was not written yet
    code, table = run("show", "PAP2A:1", "--as-of", THEN, "--format", "csv", str(rated))
    assert code == 0
    assert "status,Red on 2024-05-15" in table
    assert LATE_NOTE not in table
    assert "Blue" not in table
    code, table = run("show", "PAP2A:1", "--as-of", LATER, "--format", "csv", str(rated))
    assert "status,Blue on 2025-11-03 (done)" in table
    assert LATE_NOTE in table


def test_stats_as_of_then(rated: Path) -> None:
    then = _json("stats", "--as-of", THEN, "--format", "json", str(rated))
    assert then["by_rating"] == {"Red": 1, "(unrated)": 32}
    assert then["done"] == 0
    later = _json("stats", "--as-of", LATER, "--format", "json", str(rated))
    assert later["by_rating"] == {"Blue": 1, "(unrated)": 32}
    assert later["done"] == 1


def test_lint_overdue_open_as_of_then(rated: Path) -> None:
    def found(as_of: str) -> list[str]:
        out = _json_lint("--as-of", as_of, "--select", "overdue-open", str(rated))
        return [f["item"] for f in out]

    assert found(THEN) == ["PAP2A:1"]  # still Red on 30 June 2024, due April 2024
    assert found(LATER) == []


def _json_lint(*args: str) -> Any:
    code, out = run("lint", "--format", "json", *args)
    assert code in (0, 1), out
    return json.loads(out)


def test_board_report_as_of_then(rated: Path) -> None:
    code, report = run("render", str(rated), "--template", "board-report.md", "--as-of", THEN)
    assert code == 0, report
    overdue = report.split("## 3. Overdue", 1)[1].split("\n## ", 1)[0]
    line = next(x for x in overdue.splitlines() if x.startswith("| PAP2A:1 "))
    assert "Red" in line
    assert "Blue" not in report  # the Blue of November 2025 was not given yet
    code, report = run("render", str(rated), "--template", "board-report.md", "--as-of", LATER)
    assert "Blue" in report


def _export(rated: Path, fmt: str, as_of: str, tmp_path: Path) -> dict[str, str]:
    if fmt == "xlsx":
        from openpyxl import load_workbook  # type: ignore[import-untyped]

        out = tmp_path / "items.xlsx"
        code, _ = run("export", "--format", "xlsx", "--out", str(out), "--as-of", as_of, str(rated))
        assert code == 0
        ws: Any = load_workbook(out).active
        rows = list(ws.iter_rows(values_only=True))
        records = [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    else:
        code, text = run("export", "--format", fmt, "--as-of", as_of, str(rated))
        assert code == 0, text
        records = json.loads(text) if fmt == "json" else list(csv.DictReader(io.StringIO(text)))
    return {str(r["id"]): str(r["status"] or "") for r in records}


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
def test_export_gives_the_rating_show_gives(rated: Path, fmt: str, tmp_path: Path) -> None:
    for as_of, wanted in ((THEN, "red"), (LATER, "blue")):
        shown = _json("show", "PAP2A:1", "--as-of", as_of, "--format", "json", str(rated))["status"]
        assert _export(rated, fmt, as_of, tmp_path)["PAP2A:1"] == shown == wanted


def test_a_status_line_counts_from_its_date(tmp_path: Path) -> None:
    """``status:`` outranks the updates, but only from the day it was given."""
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        """\
schema_version: 1
id: dated
title: Dated ratings
scales:
  - id: rag
    name: RAG
    values:
      - {key: red, label: Red}
      - {key: amber, label: Amber}
      - {key: green, label: Green, done: true}
sections:
  - id: s
    title: Work
    leads: [Head of Service]
    items:
      - id: A1
        title: Open the advice line.
        due: March 2025
        status: green
        status_date: 2025-11-03
        updates:
          - {date: 2024-02-01, status: amber}
          - {date: 2025-01-10, status: red, note: Staff left}
""",
        encoding="utf-8",
    )
    said = {
        day: _json("show", "A1", "--as-of", day, "--format", "json", str(plan))["status"]
        for day in ("2024-01-01", "2024-06-30", "2025-06-30", "2025-11-03", "2026-01-01")
    }
    assert said == {
        "2024-01-01": None,
        "2024-06-30": "amber",
        "2025-06-30": "red",
        "2025-11-03": "green",
        "2026-01-01": "green",
    }
    overdue = _json("overdue", "--as-of", "2025-06-30", "--format", "json", str(plan))
    assert [r["id"] for r in overdue] == ["A1"]


# --- one definition of an action ---


def test_stats_without_lead_is_what_lint_finds(in_repo: Path) -> None:
    """On the shipped plans: 278 items, 204 actions, 164 without a lead, and 164
    missing-lead findings (stats once said 230, counting 63 feedback quotes, 2 responses
    and a committee topic)."""
    # --include-closed: the counts include the Westminster plan, closed with its period in 2021
    stats = _json("stats", "--as-of", "2026-11-24", "--format", "json", "--include-closed", "plans/")
    findings = _json_lint(
        "--as-of", "2026-11-24", "--select", "missing-lead,tbc-lead", "--include-closed", "plans/"
    )
    missing = [f for f in findings if f["rule"] == "missing-lead"]
    tbc_actions = [f for f in findings if f["rule"] == "tbc-lead" and not f["item"].startswith("wp-")]
    assert (stats["items"], stats["actions"]) == (278, 204)
    assert stats["without_lead"] == len(missing) + len(tbc_actions) == 164
    assert stats["with_lead"] + stats["without_lead"] == stats["actions"]
    assert sum(stats["by_plan"].values()) == stats["actions"]


def test_leads_counts_actions_only(in_repo: Path) -> None:
    data = _json(
        "leads",
        "--as-of",
        "2026-11-24",
        "--plan",
        "westminster-rbkc-big-plan-2018-2021",
        "-f",
        "json",
        "--include-closed",
    )
    nobody = next(d for d in data if d["lead"] is None)
    assert nobody["open"] == 27  # the 27 actions missing-lead reports; not the 63 feedback quotes


# --- the scrutiny plan's forward work plan ---


def test_work_plan_topics_are_due_at_their_meetings(in_repo: Path) -> None:
    rows = _json(
        "due",
        "--before",
        "2026-04",
        "--as-of",
        "2026-11-24",
        "--plan",
        "oxfordshire-people-scrutiny-2025-26",
        "--section",
        "work-plan",
        "--format",
        "json",
    )
    got = [(r["id"], r["due"]["start"], r["leads"]) for r in rows]
    assert got == [
        ("wp-2025-11-06.1", "2025-11-06", ["Karen Fuller"]),
        ("wp-2025-11-06.2", "2025-11-06", ["Karen Fuller", "Ansaf Azhar"]),
        ("wp-2025-11-06.3", "2025-11-06", ["Karen Fuller"]),
        ("wp-2026-01-15.1", "2026-01-15", ["Karen Fuller"]),
        ("wp-2026-01-15.2", "2026-01-15", ["Karen Fuller", "Ian Bottomley"]),
        ("wp-2026-01-15.3", "2026-01-15", ["Karen Fuller", "Ian Bottomley"]),
        ("wp-2026-03-19.1", "2026-03-19", ["Karen Fuller"]),
        ("wp-2026-03-19.2", "2026-03-19", ["Stephen Chandler", "Karen Fuller", "tbc"]),
        ("wp-2026-03-19.3", "2026-03-19", ["TBC"]),
    ]


def test_work_plan_dates_are_the_source_meeting_headings(in_repo: Path, seeds: Path) -> None:
    """Each topic's due is the date heading its meeting in the source, at the line cited."""
    source = (seeds / "001_1e47c8ac389b41b7.txt").read_text(encoding="utf-8").splitlines()
    text = (in_repo / "plans" / "oxfordshire-people-scrutiny-2025-26.yaml").read_text(encoding="utf-8")
    cited = [line.split("due: ", 1)[1] for line in text.splitlines() if "# the meeting's date, line" in line]
    assert len(cited) == 9
    for entry in cited:
        day, line = entry.split("  # the meeting's date, line ")
        assert source[int(line) - 1].strip() == day


def test_lint_status_missing_as_of_then(project: Path) -> None:
    """PAP2A:1 ("By April 2024") rated only in November 2025 had no rating in June 2024."""
    plan = project / "plans" / f"{PAP}.yaml"
    code, out = run("update", "PAP2A:1", "--status", "blue", "--date", "2025-11-03", str(plan))
    assert code == 0, out

    def found(as_of: str) -> bool:
        out = _json_lint("--as-of", as_of, "--select", "status-missing", str(plan))
        return "PAP2A:1" in [f["item"] for f in out]

    assert found(THEN)
    assert not found(LATER)


def test_an_action_led_only_by_the_owner_has_no_lead_everywhere(tmp_path: Path) -> None:
    """missing-lead reports an action led only by the plan's owner; stats agrees."""
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        """\
schema_version: 1
id: owned
title: Owned plan
owners: [Example Council]
sections:
  - id: s
    title: Work
    items:
      - {id: A1, title: Open the advice line., leads: [Example Council]}
      - {id: A2, title: Run the job club., leads: [Head of Employment]}
      - {id: F1, kind: feedback, title: We want jobs.}
""",
        encoding="utf-8",
    )
    stats = _json("stats", "--as-of", "2026-01-01", "--format", "json", str(plan))
    findings = _json_lint("--as-of", "2026-01-01", "--select", "missing-lead", str(plan))
    assert [f["item"] for f in findings] == ["A1"]
    assert (stats["items"], stats["actions"], stats["without_lead"], stats["with_lead"]) == (3, 2, 1, 1)
    nobody = _json("list", "--lead", "none", "--as-of", "2026-01-01", "--format", "json", str(plan))
    assert [r["id"] for r in nobody] == ["A1", "F1"]

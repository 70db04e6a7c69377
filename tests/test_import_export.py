"""planctl export and import: spreadsheets and calendars out and back in."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
from pathlib import Path

import pytest
from icalendar import Calendar
from openpyxl import load_workbook
from typer.testing import CliRunner

from planctl.cli import app
from planctl.core.models import walk_items
from planctl.core.validate import load_text
from planctl.interchange import exporter

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "example-plan.yaml"
runner = CliRunner()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def items_of(path: Path) -> list[tuple[str, str, str, str, list[str]]]:
    plan = load_text(path.read_text(), path.name).plan
    assert plan is not None
    return [
        (
            loc.item.id,
            loc.item.kind,
            loc.item.title,
            loc.item.deadline.text if loc.item.deadline else "",
            [lead.label() for lead in loc.leads],
        )
        for loc in walk_items(plan)
    ]


def test_csv_export_of_a_shipped_plan(in_repo: Path, shipped: dict[str, object]) -> None:
    code, out = run("export", "plans/westminster-rbkc-big-plan-2018-2021.yaml")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == list(exporter.FIELDS)
    dp1 = next(r for r in rows if r["id"] == "DP1")
    assert dp1["plan"] == "westminster-rbkc-big-plan-2018-2021"
    assert dp1["section"] == "priority-3-1"
    assert dp1["due"]
    assert dp1["due_end"] >= dp1["due_start"]


def test_csv_export_guards_formula_injection(tmp_path: Path) -> None:
    plan = tmp_path / "p.yaml"
    plan.write_text(EXAMPLE.read_text().replace("title: Run a job club.", 'title: "=HYPERLINK(1)"'))
    code, out = run("export", str(plan))
    assert code == 0
    assert "'=HYPERLINK(1)" in out


def test_json_export_has_one_record_per_item() -> None:
    code, out = run("export", "--format", "json", str(EXAMPLE))
    assert code == 0
    data = json.loads(out)
    assert [r["id"] for r in data] == ["A1", "A2", "A3"]
    assert data[0]["due_start"] == "2026-04-01"
    assert data[0]["status"] == "amber"


def test_xlsx_needs_out() -> None:
    code, out = run("export", "--format", "xlsx", str(EXAMPLE))
    assert code == 2
    assert "needs --out" in out


def test_xlsx_export_then_import_gives_the_same_items(tmp_path: Path) -> None:
    book = tmp_path / "items.xlsx"
    code, out = run("export", "--format", "xlsx", "--out", str(book), str(EXAMPLE))
    assert code == 0, out
    assert load_workbook(book).active["F2"].value == "Write a supported employment plan with self-advocates."
    plans = tmp_path / "plans"
    plans.mkdir()
    code, out = run("import", str(book), "--plan", "copy-plan", "--plans-dir", str(plans))
    assert code == 0, out
    assert "3 item(s) imported; created" in out
    assert items_of(plans / "copy-plan.yaml") == items_of(EXAMPLE)


def test_ics_parses_back_with_stable_uids() -> None:
    plan = load_text(EXAMPLE.read_text(), "x").plan
    assert plan is not None
    stamp = dt.datetime(2025, 11, 3, 9, 0, tzinfo=dt.UTC)
    data = exporter.to_ics([plan], stamp)
    assert data == exporter.to_ics([plan], stamp)
    cal = Calendar.from_ical(data)
    events = list(cal.walk("VEVENT"))
    assert [str(e["uid"]) for e in events] == [
        "example-council-ld-plan-2025-2027/A1@planctl",
        "example-council-ld-plan-2025-2027/A3@planctl",
    ]
    first = events[0]
    assert first.decoded("dtstart") == dt.date(2026, 4, 30)
    assert first.decoded("dtend") == dt.date(2026, 5, 1)
    assert "Lead: Head of Adult Social Care" in str(first["description"])
    assert "example-council-ld-plan-2025-2027" in str(first["description"])


def test_ics_export_via_cli_to_file(tmp_path: Path) -> None:
    out = tmp_path / "deadlines.ics"
    code, _ = run("export", "-f", "ics", "--out", str(out), str(EXAMPLE))
    assert code == 0
    assert len(list(Calendar.from_ical(out.read_bytes()).walk("VEVENT"))) == 2


WESTMINSTER_CSV = """What needs to happen,By when,Who will lead this
Set up a self-advocacy forum,Nov 19,Jane Smith
Review the easy-read leaflets,whenever we can,Jo Bloggs; Sam Lee
"""


def test_import_csv_into_existing_plan_section_with_map(tmp_path: Path) -> None:
    plans = tmp_path / "plans"
    plans.mkdir()
    target = plans / "example-council-ld-plan-2025-2027.yaml"
    shutil.copy(EXAMPLE, target)
    old = target.read_text()
    table = tmp_path / "rows.csv"
    table.write_text(WESTMINSTER_CSV)
    code, out = run(
        "import", str(table), "--plan", "example-council-ld-plan-2025-2027", "--section", "priority-1-1",
        "--map", "What needs to happen=title,By when=due,Who will lead this=leads", "--plans-dir", str(plans),
    )  # fmt: skip
    assert code == 0, out
    new = target.read_text()
    assert new.startswith(old.rstrip("\n").rsplit("\n", 1)[0])  # only appended at the end
    assert new.endswith(
        "          - id: priority-1-1-1\n"
        "            kind: action\n"
        "            title: Set up a self-advocacy forum\n"
        "            due: Nov 19\n"
        "            leads: [Jane Smith]\n"
        "          - id: priority-1-1-2\n"
        "            kind: action\n"
        "            title: Review the easy-read leaflets\n"
        "            due: whenever we can\n"
        "            leads: [Jo Bloggs, Sam Lee]\n"
    )


def test_import_reports_every_bad_row_and_writes_nothing(tmp_path: Path) -> None:
    plans = tmp_path / "plans"
    plans.mkdir()
    table = tmp_path / "rows.csv"
    table.write_text("Action,When\n,May 2026\nFine row,June 2026\n,\n ,July 2026\n")
    code, out = run(
        "import", str(table), "--plan", "p", "--map", "Action=title,When=due", "--plans-dir", str(plans)
    )
    assert code == 1
    assert "row 2: no title" in out
    assert "row 5: no title" in out
    assert "row 3" not in out
    assert list(plans.iterdir()) == []


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("Nope=title", "no column 'Nope'"),
        ("Action=colour", "unknown field 'colour'"),
        ("Action", "is not COLUMN=FIELD"),
    ],
)
def test_bad_map_is_a_usage_error(tmp_path: Path, spec: str, message: str) -> None:
    table = tmp_path / "rows.csv"
    table.write_text("Action,When\nA thing,May 2026\n")
    code, out = run("import", str(table), "--plan", "p", "--map", spec, "--plans-dir", str(tmp_path))
    assert code == 2
    assert message in out

"""planctl export and import: spreadsheets and calendars out and back in."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar
from openpyxl import load_workbook  # type: ignore[import-untyped]
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


# --- issue 22: what Excel gives and what export gives back -----------------------------


def test_excel_date_cells_import_as_days_not_timestamps(tmp_path: Path) -> None:
    """A due date typed into Excel is a date cell; it became ``due: '2026-04-15 00:00:00'``."""
    from openpyxl import Workbook

    book = tmp_path / "rows.xlsx"
    wb = Workbook()
    ws: Any = wb.active
    ws.append(["title", "due"])
    ws.append(["Open the hub", dt.datetime(2026, 4, 15)])
    ws.append(["Review the hub", dt.date(2026, 9, 30)])
    wb.save(book)
    plans = tmp_path / "plans"
    plans.mkdir()
    code, out = run("import", str(book), "--plan", "p", "--plans-dir", str(plans))
    assert code == 0, out
    text = (plans / "p.yaml").read_text()
    assert "due: '2026-04-15'\n" in text
    assert "due: '2026-09-30'\n" in text
    assert "00:00:00" not in text


@pytest.mark.parametrize(
    ("encoded", "title"),
    [
        ("Café “quoted” – £5".encode("cp1252"), "Café “quoted” – £5"),  # Excel: "CSV (Comma delimited)"
        (b"\xef\xbb\xbf" + "Café “quoted” – £5".encode(), "Café “quoted” – £5"),  # Excel: "CSV UTF-8"
    ],
    ids=["windows-1252", "utf-8-bom"],
)
def test_csv_as_excel_saves_it_imports(tmp_path: Path, encoded: bytes, title: str) -> None:
    table = tmp_path / "rows.csv"
    head = b"\xef\xbb\xbf" if encoded.startswith(b"\xef\xbb\xbf") else b""
    body = encoded.removeprefix(b"\xef\xbb\xbf")
    table.write_bytes(head + b"title,due\r\n" + body + b",April 2026\r\n")
    plans = tmp_path / "plans"
    plans.mkdir()
    code, out = run("import", str(table), "--plan", "p", "--plans-dir", str(plans))
    assert code == 0, out
    plan = load_text((plans / "p.yaml").read_text(), "p.yaml").plan
    assert plan is not None
    assert [loc.item.title for loc in walk_items(plan)] == [title]


def test_csv_bytes_no_encoding_reads_are_located(tmp_path: Path) -> None:
    table = tmp_path / "rows.csv"
    table.write_bytes(b"title,due\nA\x81b,April 2026\n")  # 0x81: undefined in Windows-1252
    code, out = run("import", str(table), "--plan", "p", "--plans-dir", str(tmp_path))
    assert code == 2
    assert f"{table}:2:2: byte 0x81 is not text in UTF-8 or Windows-1252" in out
    assert "codec" not in out
    assert not (tmp_path / "p.yaml").exists()


def test_export_then_import_keeps_ratings_and_nested_sections(tmp_path: Path) -> None:
    """Export dropped nothing but import did: ratings were not read back and every
    section became a top-level one."""
    code, out = run("export", "--as-of", "2026-01-01", str(EXAMPLE))
    assert code == 0, out
    table = tmp_path / "items.csv"
    table.write_text(out)
    plans = tmp_path / "plans"
    plans.mkdir()
    code, out = run("import", str(table), "--plan", "copy", "--plans-dir", str(plans))
    assert code == 0, out
    copy = load_text((plans / "copy.yaml").read_text(), "copy.yaml").plan
    original = load_text(EXAMPLE.read_text(), "x").plan
    assert copy is not None
    assert original is not None
    as_of = dt.date(2026, 1, 1)

    def shape(plan: Any) -> list[tuple[str, list[str], list[str], str | None]]:
        return [
            (
                loc.item.id,
                [s.id for s in loc.sections],
                loc.section_titles,
                step.status if (step := plan.rating_of(loc.item, as_of)) else None,
            )
            for loc in walk_items(plan)
        ]

    assert shape(copy) == shape(original)
    assert shape(copy)[0] == (
        "A1",
        ["theme-1", "priority-1-1"],
        ["Having a good life", "More people get paid work"],
        "amber",
    )


def test_import_refuses_a_rating_off_the_scale_by_row(tmp_path: Path) -> None:
    table = tmp_path / "rows.csv"
    table.write_text("title,status\nOne,Amber\nTwo,Purple\n")
    code, out = run("import", str(table), "--plan", "p", "--plans-dir", str(tmp_path))
    assert code == 1
    assert "row 3: rating 'Purple' is not on the RAG scale; allowed values: red, amber, green" in out
    assert not (tmp_path / "p.yaml").exists()


def test_xlsx_export_has_date_cells_widths_and_a_filtered_bold_frozen_header(tmp_path: Path) -> None:
    book = tmp_path / "items.xlsx"
    code, out = run("export", "--format", "xlsx", "--out", str(book), str(EXAMPLE))
    assert code == 0, out
    ws: Any = load_workbook(book).active
    header = [c.value for c in ws[1]]
    a1 = next(r for r in ws.iter_rows(min_row=2) if r[header.index("id")].value == "A1")
    start = a1[header.index("due_start")]
    assert start.value == dt.datetime(2026, 4, 1)
    assert start.is_date
    assert start.number_format == "yyyy-mm-dd"
    assert all(c.font.b for c in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:{ws.cell(1, len(header)).column_letter}{ws.max_row}"
    title = ws.column_dimensions[ws.cell(1, header.index("title") + 1).column_letter].width
    assert 40 < title <= exporter.MAX_WIDTH + 2


def test_a_lead_s_calendar_has_only_their_open_deadlines_as_transparent_events(tmp_path: Path) -> None:
    """``export --format ics --lead NAME``: a done item is not an open deadline, and a
    deadline never marks the lead busy. Read back with icalendar, an independent parser."""
    plan = tmp_path / "plan.yaml"
    shutil.copy(EXAMPLE, plan)
    code, out = run("update", "A3", "--status", "Green", "--date", "2025-12-01", str(plan))  # done
    assert code == 0, out
    out_file = tmp_path / "head.ics"
    code, out = run(
        "export", "-f", "ics", "--lead", "head of adult social care", "--as-of", "2026-01-05",
        "--out", str(out_file), str(plan),
    )  # fmt: skip
    assert code == 0, out
    events = list(Calendar.from_ical(out_file.read_bytes()).walk("VEVENT"))
    assert [str(e["uid"]) for e in events] == ["example-council-ld-plan-2025-2027/A1@planctl"]
    assert all(str(e["transp"]) == "TRANSPARENT" for e in events)
    # As of a day before A3 was rated done it is still an open deadline.
    code, out = run(
        "export", "-f", "ics", "--lead", "Head of Adult Social Care", "--as-of", "2025-11-01", str(plan)
    )
    assert code == 0, out
    uids = [str(e["uid"]) for e in Calendar.from_ical(out.encode()).walk("VEVENT")]
    assert uids == [
        "example-council-ld-plan-2025-2027/A1@planctl",
        "example-council-ld-plan-2025-2027/A3@planctl",
    ]
    code, out = run("export", "-f", "ics", "--lead", "Sam Jones", "--as-of", "2025-11-01", str(plan))
    assert code == 0, out
    assert list(Calendar.from_ical(out.encode()).walk("VEVENT")) == []  # A2 repeats with no start: no event

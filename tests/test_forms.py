"""The quarterly cycle (issue 22): return forms out, updates in.

planctl writes each form with XlsxWriter; the tests fill it with openpyxl, a second and
independent xlsx library (as a lead's Excel or LibreOffice would: open, type into the
unlocked cells, save), and ``planctl import --updates`` reads it back.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]
from typer.testing import CliRunner

from planctl.cli import app
from planctl.core.models import Plan, walk_items
from planctl.core.validate import load_text
from planctl.interchange.forms import HEADERS, read_marker

ROOT = Path(__file__).resolve().parents[1]
PLANS = ROOT / "plans"
SEND = "oxfordshire-send-pap-2024.yaml"
SCRUTINY = "oxfordshire-people-scrutiny-2025-26.yaml"
EXAMPLE = ROOT / "examples" / "example-plan.yaml"
AS_OF = "2026-11-24"
runner = CliRunner()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def col(name: str) -> int:
    """1-based column of a form's header."""
    return HEADERS.index(name) + 1


def fill(book: Path, answers: dict[str, tuple[Any, Any, str]]) -> None:
    """Type rating, date and note into the rows of ``book`` whose id is a key, with
    openpyxl (not the library planctl writes forms with), and save."""
    wb = load_workbook(book)
    ws = wb["Updates"]
    for row in ws.iter_rows(min_row=2):
        answer = answers.get(row[col("id") - 1].value)
        if answer is not None:
            for name, value in zip(("new rating", "date", "note"), answer, strict=True):
                ws.cell(row=row[0].row, column=col(name), value=value)
    wb.save(book)


def load_plan(path: Path) -> Plan:
    plan = load_text(path.read_text(encoding="utf-8"), path.name).plan
    assert plan is not None
    return plan


def updates_of(plan: Plan) -> dict[str, list[tuple[dt.date, str | None, str | None, str | None]]]:
    return {
        loc.item.id: [(u.date, u.status, u.note, u.by) for u in loc.item.updates] for loc in walk_items(plan)
    }


@pytest.fixture
def send(tmp_path: Path) -> Path:
    """A scratch copy of the SEND plan (which names no leads) with leads given to it the
    way a plan officer would: Sam Lee on two objectives, and Alex Kay on a sub-theme, so
    its three objectives are Alex's by inheritance."""
    plans = tmp_path / "plans"
    plans.mkdir()
    target = plans / SEND
    shutil.copy(PLANS / SEND, target)
    for item in ("PAP1:1", "PAP1:2"):
        code, out = run("update", item, "--lead", "Sam Lee", "--date", AS_OF, str(plans))
        assert code == 0, out
    text = target.read_text(encoding="utf-8")
    line = next(
        x for x in text.splitlines(keepends=True) if x.strip() == "- id: PAP3A"
    )  # no leads in the source
    indent = " " * (line.index("-") + 2)
    target.write_text(text.replace(line, f"{line}{indent}leads: [Alex Kay]\n", 1), encoding="utf-8")
    assert load_plan(target)
    return plans


def test_a_lead_s_form_locks_what_identifies_a_row_and_offers_only_that_item_s_scale(tmp_path: Path) -> None:
    book = tmp_path / "karen.xlsx"
    code, out = run(
        "forms", str(PLANS / SCRUTINY), "--lead", "karen fuller", "--out", str(book), "--as-of", AS_OF
    )
    assert code == 0, out
    assert "6 open item(s) for Karen Fuller" in out
    wb = load_workbook(book)
    assert wb.sheetnames == ["Updates", "Instructions", "Scales"]
    assert wb["Scales"].sheet_state == "hidden"
    ws = wb["Updates"]
    assert [c.value for c in ws[1]] == list(HEADERS)
    ids = [r[col("id") - 1].value for r in ws.iter_rows(min_row=2)]
    # rt-2025-06-26.1 and .2 are Karen Fuller's by inheritance (their meeting names her)
    assert ids == [
        "rt-2025-06-26.1", "rt-2025-06-26.2", "rut-2024-09-17.1", "rut-2025-07-15.1", "rut-2025-07-15.2",
        "rut-2025-07-15.4",
    ]  # fmt: skip
    assert ws.protection.sheet
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            name = HEADERS[cell.column - 1]
            assert cell.protection.locked == (name not in ("new rating", "date", "note")), (
                name,
                cell.coordinate,
            )
        mark = read_marker(row[col("marker") - 1].value)
        assert mark is not None
        assert (mark.plan, mark.item, mark.day, mark.lead) == (
            "oxfordshire-people-scrutiny-2025-26", row[col("id") - 1].value, dt.date(2026, 11, 24), "Karen Fuller",
        )  # fmt: skip
    assert ws.column_dimensions["I"].hidden  # the marker
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:I7"
    assert all(c.font.b for c in ws[1])
    assert ws["C2"].alignment.wrap_text
    assert ws["H2"].alignment.wrap_text
    assert ws["G2"].number_format == "yyyy-mm-dd"
    scales = {c[0].value: [x.value for x in c[1:] if x.value] for c in wb["Scales"].iter_cols()}
    lists = {}
    for dv in ws.data_validations.dataValidation:
        if dv.type == "list":
            column = dv.formula1.split("!")[1].split(":")[0].strip("$")[0]
            lists[str(dv.sqref)] = scales[wb["Scales"][f"{column}1"].value]
        else:
            assert dv.type == "date"
            assert str(dv.sqref) == "G2:G7"
    # the tracker's recommendations and the update tracker's rows, each their own key
    assert lists["F2"] == ["Due to Cabinet", "With Cabinet", "Complete"]
    assert lists["F4"] == ["Update Pending", "Update in Item", "Updated"]
    guide = list(wb["Instructions"].iter_rows(values_only=True))
    assert ("Return form", "for Karen Fuller, made 2026-11-24") in guide


def test_brag_items_offer_blue_and_rag_items_do_not(send: Path, tmp_path: Path) -> None:
    shutil.copy(EXAMPLE, send / "example.yaml")
    code, out = run("update", "PAP2A:1", "--lead", "Head of Adult Social Care", str(send))
    assert code == 0, out
    book = tmp_path / "head.xlsx"
    code, out = run(
        "forms", str(send), "--lead", "Head of Adult Social Care", "--out", str(book), "--as-of", AS_OF
    )
    assert code == 0, out
    wb = load_workbook(book)
    ws = wb["Updates"]
    scales = wb["Scales"]
    offered = {}
    for dv in ws.data_validations.dataValidation:
        if dv.type == "list":
            letter = dv.formula1.split("!$")[1][0]
            item = ws.cell(row=next(iter(dv.sqref.ranges)).min_row, column=col("id")).value
            offered[item] = [c.value for c in scales[letter][1:] if c.value]
    assert offered["PAP2A:1"] == ["Red", "Amber", "Green", "Blue"]
    assert offered["A1"] == ["Red", "Amber", "Green"]  # A1 inherits the lead of its theme
    assert "A2" not in offered  # led by Sam Jones


def test_one_workbook_per_lead(send: Path, tmp_path: Path) -> None:
    out_dir = tmp_path / "forms"
    out_dir.mkdir()
    code, out = run("forms", str(send), "--out-dir", str(out_dir), "--as-of", AS_OF)
    assert code == 0, out
    assert sorted(p.name for p in out_dir.iterdir()) == ["alex-kay.xlsx", "sam-lee.xlsx"]
    alex = load_workbook(out_dir / "alex-kay.xlsx")["Updates"]
    assert [r[1] for r in alex.iter_rows(min_row=2, values_only=True)] == [
        "PAP3A:1",
        "PAP3A:2",
        "PAP3A:3",
        "PAP3A:4",
    ]


def test_done_items_are_not_on_the_form(send: Path, tmp_path: Path) -> None:
    code, out = run("update", "PAP1:2", "--status", "Blue", "--date", "2026-10-01", str(send))
    assert code == 0, out
    book = tmp_path / "sam.xlsx"
    code, out = run("forms", str(send), "--lead", "Sam Lee", "--out", str(book), "--as-of", AS_OF)
    assert code == 0, out
    assert [r[1] for r in load_workbook(book)["Updates"].iter_rows(min_row=2, values_only=True)] == ["PAP1:1"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--lead", "Karen Fuler", "--out", "x.xlsx"], "did you mean Karen Fuller?"),
        (["--out", "x.xlsx"], "give exactly one --lead"),
        ([], "give --out FILE.xlsx (one --lead) or --out-dir FOLDER"),
        (["--lead", "Karen Fuller", "--out", "x.csv"], "name it .xlsx"),
    ],
)
def test_forms_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    args = [str(tmp_path / a) if a.startswith("x.") else a for a in args]
    code, out = run("forms", str(PLANS / SCRUTINY), *args)
    assert code == 2
    assert message in out
    assert list(tmp_path.iterdir()) == []


# --- updates in -------------------------------------------------------------------------


def test_two_leads_fill_their_forms_and_the_plan_shows_exactly_those_updates(
    send: Path, tmp_path: Path
) -> None:
    """The issue's "done when": forms for two leads, filled with a second xlsx library,
    imported; the plan gains exactly those updates, and a second import adds nothing."""
    out_dir = tmp_path / "forms"
    out_dir.mkdir()
    code, out = run("forms", str(send), "--out-dir", str(out_dir), "--as-of", AS_OF)
    assert code == 0, out
    fill(
        out_dir / "sam-lee.xlsx",
        {"PAP1:1": ("Amber", dt.date(2026, 11, 20), "Protocol drafted; sign-off in January")},
    )
    fill(
        out_dir / "alex-kay.xlsx",
        {
            "PAP3A:1": ("Green", dt.datetime(2026, 11, 21), ""),  # a date cell as Excel stores it
            "PAP3A:3": (None, None, "Waiting for the health data; next update in February"),
        },
    )
    plan_file = send / SEND
    before = load_plan(plan_file)
    for name in ("sam-lee.xlsx", "alex-kay.xlsx"):
        code, out = run(
            "import", "--updates", str(out_dir / name), "--plans-dir", str(send), "--as-of", AS_OF
        )
        assert code == 0, out
    after = load_plan(plan_file)
    old, new = updates_of(before), updates_of(after)
    added = {k: new[k][len(old[k]) :] for k in new if new[k] != old[k]}
    assert all(new[k][: len(old[k])] == old[k] for k in new)
    assert added == {
        "PAP1:1": [(dt.date(2026, 11, 20), "amber", "Protocol drafted; sign-off in January", "Sam Lee")],
        "PAP3A:1": [(dt.date(2026, 11, 21), "green", None, "Alex Kay")],
        "PAP3A:3": [
            (dt.date(2026, 11, 24), None, "Waiting for the health data; next update in February", "Alex Kay")
        ],
    }
    # nothing else changed: the items are the same but for the new updates
    strip = lambda p: [loc.item.model_dump(exclude={"updates"}) for loc in walk_items(p)]  # noqa: E731
    assert strip(before) == strip(after)
    text = plan_file.read_bytes()
    for name in ("sam-lee.xlsx", "alex-kay.xlsx"):
        code, out = run(
            "import", "--updates", str(out_dir / name), "--plans-dir", str(send), "--as-of", "2026-11-30"
        )
        assert code == 0, out
        assert "0 update(s) imported" in out
        assert "already imported" in out
    assert plan_file.read_bytes() == text


def test_dry_run_shows_the_diff_and_writes_nothing(send: Path, tmp_path: Path) -> None:
    book = tmp_path / "sam.xlsx"
    run("forms", str(send), "--lead", "Sam Lee", "--out", str(book), "--as-of", AS_OF)
    fill(book, {"PAP1:2": ("Red", dt.date(2026, 11, 2), "Late: no chair yet")})
    text = (send / SEND).read_bytes()
    code, out = run("import", "--updates", str(book), "--plans-dir", str(send), "--as-of", AS_OF, "--dry-run")
    assert code == 0, out
    assert f"+++ b/{send / SEND}" in out or f"+++ {send / SEND}" in out
    assert (
        "+              - date: 2026-11-02\n+                status: red\n+                note: 'Late: no chair yet'\n+                by: Sam Lee\n"
        in out
    )
    assert (send / SEND).read_bytes() == text


def test_every_bad_row_is_reported_by_row_and_column_and_nothing_is_written(
    send: Path, tmp_path: Path
) -> None:
    sam, alex = tmp_path / "sam.xlsx", tmp_path / "alex.xlsx"
    run("forms", str(send), "--lead", "Sam Lee", "--out", str(sam), "--as-of", AS_OF)
    run("forms", str(send), "--lead", "Alex Kay", "--out", str(alex), "--as-of", AS_OF)
    # After the forms went out, someone else changes PAP3A:2.
    code, out = run("update", "PAP3A:2", "--note", "Chased by the PDG", "--date", AS_OF, str(send))
    assert code == 0, out
    fill(
        alex,
        {
            "PAP3A:1": ("Purple", None, ""),  # not on BRAG
            "PAP3A:2": ("Green", None, "Done"),  # changed since the form was made
            "PAP3A:3": ("Amber", "next week", ""),  # not a day
        },
    )
    wb = load_workbook(alex)
    ws = wb["Updates"]
    ws.append(["x", "PAP9:9", "", "", "", "Red", None, "", ""])  # an id that is not in the plan
    ws.append(list(next(ws.iter_rows(min_row=4, max_row=4, values_only=True))))  # PAP3A:3 twice
    wb.save(alex)
    fill(sam, {"PAP1:1": ("Amber", dt.date(2026, 12, 25), "")})  # after --as-of
    wb = load_workbook(sam)
    wb["Updates"].cell(row=3, column=col("marker"), value="edited")
    wb["Updates"].cell(row=3, column=col("note"), value="a note")
    wb.save(sam)
    text = (send / SEND).read_bytes()
    code, out = run("import", "--updates", str(alex), "--plans-dir", str(send), "--as-of", AS_OF)
    assert code == 1
    assert (
        f"{alex}:row 2:column new rating: 'Purple' is not on the BRAG scale of PAP3A:1; allowed: Red, Amber, Green, Blue"
        in out
    )
    assert f"{alex}:row 3:column marker: PAP3A:2 has changed since this form was made on 2026-11-24" in out
    assert f"{alex}:row 4:column date: cannot read 'next week' as a day" in out
    assert f"{alex}:row 6:column id: no item 'PAP9:9' in plan x in the plans read" in out
    assert f"{alex}:row 7:column id: PAP3A:3 is also on row 4; give one update per item" in out
    assert "nothing imported: 5 problem(s)" in out
    code, out = run("import", "--updates", str(sam), "--plans-dir", str(send), "--as-of", AS_OF)
    assert code == 1
    assert f"{sam}:row 2:column date: 2026-12-25 is after today (2026-11-24)" in out
    assert f"{sam}:row 3:column marker: not a marker planctl wrote" in out
    assert (send / SEND).read_bytes() == text
    assert "Traceback" not in out


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_a_csv_sheet_of_updates_in_any_excel_encoding_with_date_serials(
    send: Path, tmp_path: Path, encoding: str
) -> None:
    table = tmp_path / "updates.csv"
    rows = [
        ["id", "rating", "date", "note"],
        ["PAP1:1", "amber", "46346", "Café held – parents came"],  # 46346: Excel's serial for 2026-11-20
        ["PAP1:2", "", "15/11/2026", "Chair appointed"],
        ["PAP2A:1", "", "", ""],
    ]
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    table.write_bytes(buf.getvalue().encode(encoding))
    code, out = run("import", "--updates", str(table), "--plans-dir", str(send), "--as-of", AS_OF)
    assert code == 0, out
    assert "2 update(s) imported; 1 row(s) empty" in out
    new = updates_of(load_plan(send / SEND))
    assert new["PAP1:1"][-1] == (dt.date(2026, 11, 20), "amber", "Café held – parents came", None)
    assert new["PAP1:2"][-1] == (dt.date(2026, 11, 15), None, "Chair appointed", None)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_updates_changes_nothing(project: Path, fmt: str) -> None:
    """Every row of an export carries the item's rating as of the day: importing it back
    finds each one unchanged."""
    run("update", "PAP2A:1", "--status", "Red", "--note", "Late", "--date", "2026-10-01", "plans")
    table = project / f"items.{fmt}"
    if fmt == "csv":
        code, out = run("export", "plans", "--as-of", AS_OF)
        table.write_text(out, encoding="utf-8")
    else:
        code, out = run("export", "plans", "--format", "xlsx", "--out", str(table), "--as-of", AS_OF)
    assert code == 0, out
    before = {p.name: p.read_bytes() for p in (project / "plans").iterdir()}
    code, out = run("import", "--updates", str(table), "--plans-dir", "plans", "--as-of", AS_OF)
    assert code == 0, out
    assert out.startswith("0 update(s) imported; ")
    assert "row(s) unchanged" in out
    assert {p.name: p.read_bytes() for p in (project / "plans").iterdir()} == before


def test_a_sheet_without_an_id_column_is_a_usage_error(tmp_path: Path) -> None:
    table = tmp_path / "u.csv"
    table.write_text("item,rating\nA1,Red\n")
    code, out = run("import", "--updates", str(table), "--plans-dir", str(PLANS))
    assert code == 2
    assert "no column 'id'" in out


def test_the_readme_cycle_gives_the_diff_it_shows(tmp_path: Path) -> None:
    """The README's worked example, run as written in a scratch repository, with Sam Lee's
    form filled as the README says between ``forms`` and ``import``."""
    import os
    import re
    import subprocess
    import sys

    from test_diff_support import git_env
    from test_readme_examples import README, sh_blocks

    text = README.read_text(encoding="utf-8")
    block = next(b for b in sh_blocks(text) if any(line.startswith("planctl forms ") for line in b))
    section = text.split("### forms, import --updates", 1)[1]
    shown = re.search(r"```diff\n(.*?)```", section, re.S)
    assert shown is not None
    shutil.copytree(PLANS, tmp_path / "plans")
    env = git_env(tmp_path / "home")
    env = {**env, "PATH": str(Path(sys.executable).parent) + os.pathsep + env["PATH"], "NO_COLOR": "1"}
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "plans"]):
        subprocess.run(["git", *args], cwd=tmp_path, env=env, check=True, capture_output=True)
    outputs = []
    for line in block:
        if line.startswith("planctl import"):
            fill(
                tmp_path / "cycle/forms/sam-lee.xlsx",
                {"PAP1:1": ("Amber", dt.date(2026, 11, 20), "Protocol drafted; sign-off in January")},
            )
        done = subprocess.run(["bash", "-c", line], cwd=tmp_path, env=env, capture_output=True, text=True)
        assert done.returncode == 0, (line, done.stderr)
        outputs.append((line, done.stdout, done.stderr))
    dry = next(out for line, out, _ in outputs if "--dry-run" in line)
    assert dry == shown.group(1)
    written = next(
        out for line, out, _ in outputs if line.startswith("planctl import") and "--dry-run" not in line
    )
    assert "updated oxfordshire-send-pap-2024:PAP1:1 (Amber, note, 2026-11-20)" in written
    assert "1 update(s) imported; 1 row(s) empty" in written
    again = subprocess.run(["bash", "-c", block[-1]], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert "0 update(s) imported; 1 row(s) already imported; 1 row(s) empty" in again.stdout

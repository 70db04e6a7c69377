"""`planctl due` and friends, through the commands a user runs, on shipped and small plans."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from planctl.cli import app
from planctl.core.text import csv_safe

runner = CliRunner()
LD = "oxfordshire-ld-plan-2025-2035"
SCRUTINY = "oxfordshire-people-scrutiny-2025-26"
ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "example-plan.yaml"

# Worked out by hand from the source (seed 000_3c465f6424dd8a9b.txt): the key actions
# with an outcome measure dated before April 2026, i.e. by March 2026 or earlier.
# Theme One and Theme Two give nothing earlier than "by April 2026" / "by May 2026".
LD_DUE_BEFORE_APRIL_2026 = [
    "3.1.1",  # line 138: housing plan written by September 2025
    "3.1.2",  # line 139: housing review ... by September 2025
    "3.1.3",  # line 140: by February 2026 the money will be agreed
    "3.2.2",  # line 151: list of providers using quality checkers by March 2026
    "3.2.3",  # line 152: review completed by February 2026
    "3.2.4",  # line 153: plan and checklist by February 2026
    "3.2.5",  # line 154: plan and checklist by February 2026
    "3.2.6",  # line 155: Supported Living Charter by February 2026
    "3.2.7",  # line 156: KPIs agreed by March 2026
    "3.2.8",  # line 157: out-of-county process shared by March 2026
    "3.3.1",  # line 164: information reviewed by February 2026
    "4.2.1",  # line 203: Safe Space operating model signed off by January 2026
    "4.2.2",  # line 204: specification written by January 2026
    "4.2.5",  # line 208: joint working protocol by March 2026
    "4.3.1",  # line 215: action plan completed by March 2026
    "4.4.2",  # line 224: action plan updated by March 2026
    "4.5.2",  # line 233: joint working protocol by March 2026
    "4.5.3",  # line 236: learning lunch by October 2025
]


def run(*args: str) -> Any:
    return runner.invoke(app, list(args))


def as_json(*args: str) -> list[dict[str, Any]]:
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    data: list[dict[str, Any]] = json.loads(result.stdout)
    return data


def ids(*args: str) -> list[str]:
    return [row["id"] for row in as_json(*args)]


def plan_file(tmp_path: Path, items: str, *, name: str = "p.yaml", extra: str = "") -> Path:
    """A small valid plan: one theme with one priority holding ``items`` (YAML list)."""
    body = "\n".join("        " + line if line else "" for line in items.strip("\n").splitlines())
    text = f"""\
schema_version: 1
id: {name.removesuffix(".yaml")}
title: Test plan {name}
{extra}
sections:
  - id: theme-a
    kind: theme
    number: "1"
    title: Living well
    leads: [Pat Smith]
    tags: [housing]
    sections:
      - id: prio-a1
        kind: priority
        title: Homes and support
        items:
{body}
"""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


PRECISIONS = """
- {id: fq, title: Financial quarter, due: Q4 2025/26}
- {id: season, title: Season, due: Spring 2026}
- {id: fy, title: Financial year, due: 2025/26}
- {id: month, title: Month, due: March 2026}
- {id: day, title: Day, due: 2026-03-15}
"""


# --- the headline: due --before on the shipped plans ---


def test_due_before_april_2026_ld_plan_exact_set(in_repo: Path) -> None:
    got = ids("due", "--before", "2026-04", "--as-of", "2026-11-24", "--plan", LD)
    assert sorted(got) == sorted(LD_DUE_BEFORE_APRIL_2026)
    assert len(got) == len(set(got))


def test_due_before_is_sorted_by_deadline(in_repo: Path) -> None:
    rows = as_json("due", "--before", "2026-04", "--as-of", "2026-11-24", "--plan", LD)
    ends = [r["due"]["end"] for r in rows]
    assert ends == sorted(ends)
    assert rows[0]["id"] in {"3.1.1", "3.1.2"}  # September 2025 comes first


def test_by_april_is_not_before_april_but_is_before_may(in_repo: Path) -> None:
    # 1.1.1: "... quality checking by April 2026." (seed line 23)
    assert "1.1.1" not in ids("due", "--before", "2026-04", "--as-of", "2026-11-24", "--plan", LD)
    assert "1.1.1" in ids("due", "--before", "2026-05", "--as-of", "2026-11-24", "--plan", LD)
    assert "1.1.1" in ids("due", "--before", "May 2026", "--as-of", "2026-11-24", "--plan", LD)


def test_demo_command_table_shows_rows_a_reader_can_check(in_repo: Path) -> None:
    # --include-closed: the Westminster plan (closed with its period in 2021) has a row to check
    result = run("due", "--before", "2026-04", "--as-of", "2026-11-24", "--include-closed")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "\x1b[" not in out  # not a terminal: plain text, no colour codes
    lines = out.splitlines()

    def row(item_id: str) -> str:
        return next(line for line in lines if line.startswith(item_id + " "))

    assert "Write a 10-year housing plan." in row("3.1.1")
    assert "September 2025" in row("3.1.1")
    assert "March 2026" in row("4.5.2")
    assert "early December 2025" in row("fa4-p44")  # scrutiny plan, due: early December 2025
    assert "March 2018" in row("DP50")  # Westminster Big Plan, "Mar 18"
    assert "Bi-Borough Head of Service" in row("DP50")  # the lead wraps onto the next line
    assert not any(line.startswith("1.1.1 ") for line in lines)  # due by April 2026
    assert "Theme 3: Having a Place to Live › Priority 1:" in out
    assert "(plans/oxfordshire-ld-plan-2025-2035.yaml)" in out
    assert out.rstrip().endswith("items due before April 2026 (as of 2026-11-24)")


def test_json_contract(in_repo: Path) -> None:
    rows = as_json("due", "--before", "2026-04", "--as-of", "2026-11-24", "--plan", LD)
    first = next(r for r in rows if r["id"] == "3.1.1")
    assert first["plan"] == LD
    assert first["file"] == "plans/oxfordshire-ld-plan-2025-2035.yaml"
    assert first["title"] == "Write a 10-year housing plan."
    assert first["path"][0] == "Having a Place to Live"
    assert first["path"][1].startswith("We need different types of housing")
    assert first["due"] == {
        "text": "by September 2025",
        "start": "2025-09-01",
        "end": "2025-09-30",
        "precision": "month",
    }
    assert first["recurrence"] is None
    assert first["leads"] == []
    assert first["status"] is None
    source = (ROOT / first["file"]).read_text(encoding="utf-8").splitlines()
    assert source[first["line"] - 1].strip() == "- id: 3.1.1"
    for r in rows:
        assert source[r["line"] - 1].strip().removeprefix("- id: ").strip("\"'") == r["id"]


def test_inherited_leads_in_json(in_repo: Path) -> None:
    rows = {r["id"]: r for r in as_json("list", "--plan", SCRUTINY, "--as-of", "2026-11-24")}
    # rut-2025-03-12 row: "Karen Fuller, Fulya Markham" lead the whole meeting row
    inherited = [r for r in rows.values() if r["leads"] == ["Karen Fuller", "Fulya Markham"]]
    assert inherited


# --- date precisions and boundaries ---


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--before", "2026-04"], {"fq", "fy", "month", "day"}),  # all end 31 March or earlier
        (["--before", "2026-03"], set()),  # each ends in March
        (["--before", "2026-03-16"], {"day"}),
        (["--before", "Q1 2026/27"], {"fq", "fy", "month", "day"}),
        (["--before", "2026/27"], {"fq", "fy", "month", "day"}),
        (["--before", "June 2026"], {"fq", "season", "fy", "month", "day"}),  # Spring ends 31 May
        (["--before", "2026-05"], {"fq", "fy", "month", "day"}),
        (["--after", "February 2026"], {"season", "month", "day"}),  # start 1 March
        (["--after", "2025-12"], {"fq", "season", "month", "day"}),  # Q4 starts 1 January
        (["--after", "2025-03"], {"fq", "season", "fy", "month", "day"}),  # FY starts 1 April 2025
        (["--after", "2025-04"], {"fq", "season", "month", "day"}),
        (["--between", "2026-03-31", "2026-04"], {"fq", "season", "fy", "month"}),  # overlap one day
        (["--between", "2026-04", "2026-05"], {"season"}),
        (["--between", "2025-10", "2025-12"], {"fy"}),
        (["--before", "today", "--as-of", "2026-03-16"], {"day"}),
        (["--before", "+3m", "--as-of", "2026-01-01"], {"fq", "fy", "month", "day"}),  # 1 April
        (["--before", "+6w", "--as-of", "2026-02-01"], set()),  # 15 March: the day itself is not before
        (["--before", "+7w", "--as-of", "2026-02-01"], {"day"}),  # 22 March
    ],
)
def test_precision_boundaries(tmp_path: Path, args: list[str], expected: set[str]) -> None:
    path = plan_file(tmp_path, PRECISIONS)
    call = ["due", str(path), *args]
    if "--as-of" not in args:
        call += ["--as-of", "2026-11-24"]
    assert set(ids(*call)) == expected


def test_outcome_date_counts_when_item_has_none(tmp_path: Path) -> None:
    path = plan_file(
        tmp_path,
        """
- id: a
  title: Early outcome wins
  outcomes:
    - text: First report by June 2026.
    - text: Full roll-out by March 2027.
""",
    )
    rows = as_json("due", str(path), "--before", "2026-07", "--as-of", "2026-01-01")
    assert [r["id"] for r in rows] == ["a"]
    assert rows[0]["due"]["end"] == "2026-06-30"


def test_undated_and_recurring_need_include_undated(tmp_path: Path) -> None:
    path = plan_file(
        tmp_path,
        """
- {id: dated, title: Dated, due: March 2026}
- {id: undated, title: Undated}
- {id: monthly, title: Meets, recurrence: monthly}
- {id: unplaced, title: Soon, due: as soon as possible}
""",
    )
    base = ["due", str(path), "--before", "2026-04", "--as-of", "2026-01-01"]
    assert ids(*base) == ["dated"]
    assert set(ids(*base, "--include-undated")) == {"dated", "undated", "monthly", "unplaced"}
    monthly = next(r for r in as_json(*base, "--include-undated") if r["id"] == "monthly")
    assert monthly["due"] is None
    assert monthly["recurrence"] == "monthly"


RATED = """
scales:
  - id: rag
    name: RAG
    values:
      - {key: red, label: Red, colour: red}
      - {key: amber, label: Amber, colour: "#f47738"}
      - {key: green, label: Green, colour: green, done: true}
"""


def rated_plan(tmp_path: Path) -> Path:
    return plan_file(
        tmp_path,
        """
- {id: r1, title: Late and red, due: January 2026, status: red, tags: [money]}
- {id: g1, title: Finished, due: February 2026, status: Green}
- {id: a1, title: "=HYPERLINK(\\"http://x\\")", due: March 2026, status: amber, leads: [TBC]}
- {id: n1, title: Own lead, due: May 2026, leads: [Jo Bloggs, Pat Smith]}
- {id: u1, title: Someday}
""",
        extra=RATED,
    )


def test_done_items_left_out_unless_all(tmp_path: Path) -> None:
    path = rated_plan(tmp_path)
    base = ["due", str(path), "--before", "2026-04", "--as-of", "2026-01-01"]
    assert ids(*base) == ["r1", "a1"]
    assert ids(*base, "--all") == ["r1", "g1", "a1"]


# --- filters ---


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--status", "red"], ["r1"]),
        (["--status", "AMBER"], ["a1"]),
        (["--status", "none"], ["n1", "u1"]),
        (["--tag", "money"], ["r1"]),
        (["--tag", "HOUSING"], ["r1", "g1", "a1", "n1", "u1"]),  # section tag
        (["--lead", "jo b"], ["n1"]),
        (["--lead", "pat"], ["r1", "g1", "n1", "u1"]),  # inherited from the theme
        (["--lead", "none"], ["a1"]),  # a TBC lead names nobody
        (["--section", "prio-a1"], ["r1", "g1", "a1", "n1", "u1"]),
        (["--section", "living"], ["r1", "g1", "a1", "n1", "u1"]),  # enclosing theme's title
        (["--plan", "p"], ["r1", "g1", "a1", "n1", "u1"]),
        (["--lead", "jo", "--lead", "tbc"], ["a1", "n1"]),  # "tbc" as text finds the TBC lead
        (["--status", "red", "--status", "amber"], ["r1", "a1"]),
    ],
)
def test_filters_on_list(tmp_path: Path, args: list[str], expected: list[str]) -> None:
    path = rated_plan(tmp_path)
    assert ids("list", str(path), "--as-of", "2026-01-01", *args) == expected


def test_filters_on_shipped_plans(in_repo: Path) -> None:
    rows = as_json("list", "--lead", "laura gordon", "--as-of", "2026-11-24", "--include-closed")
    assert rows
    assert all(any("laura gordon" in lead.lower() for lead in r["leads"]) for r in rows)
    theme4 = ids("due", "--before", "2026-04", "--as-of", "2026-11-24", "--plan", LD, "--section", "theme-4")
    assert set(theme4) == {i for i in LD_DUE_BEFORE_APRIL_2026 if i.startswith("4.")}
    homes = ids("due", "--before", "2026-04", "--as-of", "2026-11-24", "--section", "Homes not Hospitals")
    assert set(homes) == set(theme4)
    no_lead = as_json("list", "--plan", SCRUTINY, "--lead", "none", "--as-of", "2026-11-24")
    assert no_lead
    assert all(not r["leads"] or r["leads"] == ["TBC"] for r in no_lead)


# --- output formats ---


def test_csv_reads_back_and_guards_formulas(tmp_path: Path) -> None:
    path = rated_plan(tmp_path)
    result = run("list", str(path), "--as-of", "2026-01-01", "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["id"] for r in rows] == ["r1", "g1", "a1", "n1", "u1"]
    r1 = rows[0]
    assert r1["due_text"] == "January 2026"
    assert (r1["due_start"], r1["due_end"], r1["precision"]) == ("2026-01-01", "2026-01-31", "month")
    assert r1["path"] == "Living well > Homes and support"
    assert r1["leads"] == "Pat Smith"
    assert rows[3]["leads"] == "Jo Bloggs; Pat Smith"
    assert rows[2]["title"] == '\'=HYPERLINK("http://x")'
    assert rows[4]["due_text"] == ""


def test_csv_safe() -> None:
    assert csv_safe("=1+1") == "'=1+1"
    assert csv_safe("+44 20") == "'+44 20"
    assert csv_safe("-5") == "'-5"
    assert csv_safe("@SUM(A1)") == "'@SUM(A1)"
    assert csv_safe("plain") == "plain"
    assert csv_safe(None) == ""


def test_markdown_output(in_repo: Path) -> None:
    result = run("due", "--before", "2026-04", "--as-of", "2026-11-24", "--plan", LD, "-f", "markdown")
    assert result.exit_code == 0
    out = result.stdout
    assert out.startswith("## Oxfordshire Learning Disability Plan")
    assert "### Theme 3: Having a Place to Live › Priority 1:" in out
    assert "| ID | Item | Due | Lead |" in out
    assert "| 3.1.1 | Write a 10-year housing plan. | September 2025 | — |" in out
    assert sum(line.startswith(("| 3.", "| 4.")) for line in out.splitlines()) == 18


def test_table_colours_ratings_only_on_a_terminal(tmp_path: Path) -> None:
    path = rated_plan(tmp_path)
    result = run("list", str(path), "--as-of", "2026-01-01")
    assert result.exit_code == 0
    assert "\x1b[" not in result.stdout
    assert "Amber" in result.stdout
    assert "Status" in result.stdout


def test_raw_dates(in_repo: Path) -> None:
    result = run("due", "--before", "2026-04", "--as-of", "2026-11-24", "--plan", LD, "--raw-dates")
    assert '["by September' in result.stdout


def test_no_items_and_fail_if_any(tmp_path: Path) -> None:
    path = rated_plan(tmp_path)
    result = run("due", str(path), "--before", "2025-01", "--as-of", "2026-01-01")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "no items due before January 2025" in result.stderr
    result = run("due", str(path), "--before", "2025-01", "--as-of", "2026-01-01", "-f", "json")
    assert json.loads(result.stdout) == []
    assert run("overdue", str(path), "--as-of", "2026-02-01", "--fail-if-any").exit_code == 1
    assert run("overdue", str(path), "--as-of", "2025-12-01", "--fail-if-any").exit_code == 0


# --- the other questions ---


def test_overdue_and_upcoming(tmp_path: Path) -> None:
    path = rated_plan(tmp_path)
    # 1 April 2026: January (red) and March (amber) are past; February is done.
    assert ids("overdue", str(path), "--as-of", "2026-04-01") == ["r1", "a1"]
    assert ids("overdue", str(path), "--as-of", "2026-03-31") == ["r1"]
    assert ids("upcoming", str(path), "--as-of", "2026-03-01", "--within", "90d") == ["a1"]  # to 30 May
    assert ids("upcoming", str(path), "--as-of", "2026-03-01", "--within", "3m") == ["a1", "n1"]  # 1 June
    assert (
        ids("upcoming", str(path), "--as-of", "2026-03-01", "--within", "4w") == []
    )  # 29 March: "March" runs to the 31st
    assert ids("upcoming", str(path), "--as-of", "2026-03-01", "--within", "5w") == ["a1"]
    assert ids("upcoming", str(path), "--as-of", "2026-04-01", "--within", "1m") == []


def test_overdue_on_shipped_plan(in_repo: Path) -> None:
    got = ids("overdue", "--as-of", "2026-04-01", "--plan", LD)
    assert sorted(got) == sorted(LD_DUE_BEFORE_APRIL_2026)


def test_search(in_repo: Path) -> None:
    got = ids("search", "safe space", "--plan", LD, "--as-of", "2026-11-24")
    assert {"4.2.1", "4.2.2", "4.2.3", "4.2.4"} <= set(got)
    assert "1.5.4" not in got  # "become a Safe Place" (seed line 71) is not "safe space"
    assert ids("search", "zzzz-nothing", "--as-of", "2026-11-24") == []


def test_show_item(in_repo: Path) -> None:
    result = run("show", "4.2.5", "--as-of", "2026-11-24")
    assert result.exit_code == 0, result.output
    out = result.stdout
    source = (ROOT / "plans" / "oxfordshire-ld-plan-2025-2035.yaml").read_text(encoding="utf-8")
    line = source.splitlines().index("          - id: 4.2.5") + 1
    assert f"plans/oxfordshire-ld-plan-2025-2035.yaml:{line}" in out
    assert "Theme 4: Homes not Hospitals › Priority 2:" in out
    assert 'March 2026 (written "by March 2026", from an outcome measure)' in out
    assert "000_3c465f6424dd8a9b.txt, section Theme Four, priority 2, line 208" in out
    data = json.loads(run("show", f"{LD}:4.2.5", "-f", "json", "--as-of", "2026-11-24").stdout)
    assert data["ref"] == f"{LD}:4.2.5"
    assert data["outcomes"][0]["due"]["end"] == "2026-03-31"
    assert data["overdue"] is True


def test_a_recurrence_start_is_not_a_deadline(in_repo: Path) -> None:
    # seed line 216: "The annual review will be discussed ... starting March 2027."
    assert "4.3.2" not in ids("overdue", "--as-of", "2027-05-01", "--plan", LD)
    assert "4.3.2" not in ids("due", "--before", "2027-04", "--as-of", "2026-11-24", "--plan", LD)
    assert "4.3.2" in ids("due", "--include-undated", "--as-of", "2026-11-24", "--plan", LD)
    result = run("show", "4.3.2", "--as-of", "2027-05-01")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert any(re.match(r"repeats\s+every year starting March 2027$", line) for line in lines)
    assert not any(line.startswith("due ") for line in lines)
    assert "[deadline:" not in result.stdout
    data = json.loads(run("show", "4.3.2", "-f", "json", "--as-of", "2027-05-01").stdout)
    assert data["due"] is None
    assert data["overdue"] is False


def test_an_item_that_repeats_starts_where_its_outcome_says(tmp_path: Path) -> None:
    path = plan_file(
        tmp_path,
        """
- id: r1
  title: Report to the board
  recurrence: quarterly
  outcomes:
    - text: Reports go to the board starting April 2026, the first agreed by May 2026.
- id: r2
  title: Meet the forum
  recurrence: monthly
  outcomes:
    - text: The forum meets from June 2026.
""",
    )
    rows = {r["id"]: r for r in as_json("due", str(path), "--include-undated", "--as-of", "2026-01-01")}
    assert rows["r1"]["due"]["text"] == "by May 2026"  # a deadline in the same text still counts
    assert rows["r2"]["due"] is None
    result = run("show", "r2", str(path), "--as-of", "2026-01-01")
    assert "every month starting June 2026" in result.stdout


def test_show_example_resolves_evidence_and_history() -> None:
    data = json.loads(run("show", "A1", str(EXAMPLE), "-f", "json", "--as-of", "2026-01-01").stdout)
    assert data["evidence"] == [{"code": "E1", "title": "Minutes of the partnership board"}]
    assert data["updates"][0]["status"] == "amber"
    assert data["leads"] == ["Head of Adult Social Care"]
    text = run("show", "A3", str(EXAMPLE), "--as-of", "2026-01-01").stdout
    assert "A1: Write a supported employment plan" in text  # link resolved to its title
    assert "Q3 2025/26 (October to December 2025)" in text


def test_show_unknown_and_ambiguous(tmp_path: Path, in_repo: Path) -> None:
    result = run("show", "4.2.9", "--as-of", "2026-11-24")
    assert result.exit_code == 2  # an id the user typed: a usage error
    assert "no item '4.2.9' in plans/; did you mean" in result.stderr
    assert "4.2.5" in result.stderr
    plan_file(tmp_path, "- {id: x, title: One}", name="one.yaml")
    plan_file(tmp_path, "- {id: x, title: Two}", name="two.yaml")
    result = run("show", "x", str(tmp_path))
    assert result.exit_code == 2
    assert "one:x" in result.stderr
    assert "two:x" in result.stderr
    result = run("show", "two:x", str(tmp_path), "-f", "json")
    assert json.loads(result.stdout)["title"] == "Two"


def test_leads(tmp_path: Path) -> None:
    path = rated_plan(tmp_path)
    data = as_json("leads", str(path), "--as-of", "2026-04-01")
    by_lead = {d["lead"]: d for d in data}
    # Pat Smith: r1 (overdue), n1 (May 2026), u1; g1 is done. Jo Bloggs: n1.
    assert by_lead["Pat Smith"]["open"] == 3
    assert by_lead["Pat Smith"]["overdue"] == 1
    assert by_lead["Pat Smith"]["next_due"]["text"] == "May 2026"
    assert by_lead["Jo Bloggs"]["open"] == 1
    assert data[-1]["lead"] is None  # the no-lead line comes last: a1 (TBC)
    assert data[-1]["open"] == 1
    assert data[-1]["overdue"] == 1
    table = run("leads", str(path), "--as-of", "2026-04-01").stdout
    assert "No lead named" in table


def test_stats(in_repo: Path) -> None:
    data = json.loads(run("stats", "--plan", LD, "-f", "json", "--as-of", "2026-04-01").stdout)
    assert data["items"] == 74  # every key-action row of the source
    assert data["dated"] + data["undated"] == 74
    assert data["overdue"] == len(LD_DUE_BEFORE_APRIL_2026)
    assert data["without_lead"] == 74  # the source names no leads
    assert data["by_plan"] == {LD: 74}
    assert sum(data["by_section"].values()) == 74
    result = run("stats", "--plan", LD, "-f", "csv", "--as-of", "2026-04-01")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {"group": "totals", "key": "items", "count": "74"} in rows


# --- bad input ---


def test_bad_date_lists_accepted_forms(in_repo: Path) -> None:
    result = run("due", "--before", "next spring", "--as-of", "2026-11-24")
    assert result.exit_code == 2
    assert "--before: cannot read 'next spring'" in result.stderr
    assert "Q3 2025/26 (financial quarter)" in result.stderr
    assert run("upcoming", "--within", "soon").exit_code == 2
    assert run("due", "--as-of", "2026-13-01").exit_code == 2
    assert run("due", "--as-of", "2026-04").exit_code == 2  # a month is not a day
    assert run("due", "nowhere/").exit_code == 2


def test_invalid_plan_is_reported_not_skipped(tmp_path: Path) -> None:
    plan_file(tmp_path, "- {id: ok, title: Fine, due: March 2026}", name="good.yaml")
    (tmp_path / "bad.yaml").write_text(
        "schema_version: 1\nid: bad\ntitle: Bad\nsections:\n  - id: s\n    title: S\n    itmes: []\n",
        encoding="utf-8",
    )
    result = run("due", str(tmp_path), "--before", "2026-04", "--as-of", "2026-01-01")
    assert result.exit_code == 1
    assert "ok " in result.stdout  # the valid plan still answers
    assert "bad.yaml:7:5:" in result.stderr
    assert "could not be read" in result.stderr

"""Every form of deadline has one documented interval, or is refused with a reason.

The table in tests/data/date_phrasings.csv and the README's table of forms are both
checked against :func:`planctl.core.dates.parse_date`, and the commands a user runs (``due``,
``show``, ``lint``) are checked on the forms issue #15 named as misread.
"""

from __future__ import annotations

import csv
import json
import re
import textwrap
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from planctl.cli import app
from planctl.core.dates import Precision, parse_date

ROOT = Path(__file__).resolve().parents[1]
TABLE = ROOT / "tests" / "data" / "date_phrasings.csv"
runner = CliRunner()


def _rows() -> list[dict[str, str]]:
    with TABLE.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


ROWS = _rows()


def test_the_table_is_large_and_has_no_repeats() -> None:
    phrases = [r["phrase"] for r in ROWS]
    assert len(phrases) >= 150
    assert len(set(phrases)) == len(phrases)


@pytest.mark.parametrize("row", ROWS, ids=[r["phrase"] for r in ROWS])
def test_each_phrasing_reads_as_the_table_says(row: dict[str, str]) -> None:
    fd = parse_date(row["phrase"])
    start = date.fromisoformat(row["start"]) if row["start"] else None
    end = date.fromisoformat(row["end"]) if row["end"] else None
    assert (fd.precision.value, fd.start, fd.end) == (row["precision"], start, end)


def _readme_forms() -> list[tuple[str, str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    head = text.index("| Form | Example | Interval | Notes |")
    rows = []
    for line in text[head:].splitlines()[2:]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip("|").split("|")]
        rows.append((cells[1].strip("`"), cells[2]))
    return rows


@pytest.mark.parametrize(("example", "interval"), _readme_forms())
def test_readme_table_of_forms_is_what_the_parser_does(example: str, interval: str) -> None:
    fd = parse_date(example)
    if interval == "none":
        assert not fd.resolved
    else:
        assert fd.start is not None
        assert fd.end is not None
        assert f"{fd.start.isoformat()} to {fd.end.isoformat()}" == interval


def test_the_named_forms_are_read_exactly() -> None:
    """The forms issue #15 named as read wrongly without a warning."""
    expected = {
        "early 2026": (date(2026, 1, 1), date(2026, 4, 30)),
        "mid-2026": (date(2026, 5, 1), date(2026, 8, 31)),
        "late 2026": (date(2026, 9, 1), date(2026, 12, 31)),
        "before April 2026": (date(2026, 3, 31), date(2026, 3, 31)),
        "April to June 2026": (date(2026, 4, 1), date(2026, 6, 30)),
        "w/c 12 January 2026": (date(2026, 1, 12), date(2026, 1, 18)),
        "Q3 2025": (date(2025, 7, 1), date(2025, 9, 30)),
        "Q3 2025/26": (date(2025, 10, 1), date(2025, 12, 31)),
        "Q3 25/26": (date(2025, 10, 1), date(2025, 12, 31)),
    }
    for text, (start, end) in expected.items():
        fd = parse_date(text)
        assert (fd.start, fd.end) == (start, end), text
    for text in ("From April 2026", "2026/27 onwards"):
        fd = parse_date(text)
        assert (fd.precision, fd.resolved) == (Precision.OPEN_START, False), text


PLAN = """\
id: dates-plan
title: Dates plan
sections:
  - id: s
    title: Section
    leads: [Lead]
    items:
{items}
"""


def _plan(tmp_path: Path, dues: dict[str, str]) -> Path:
    items = "".join(f"      - id: {k}\n        title: Item {k}.\n        due: {v}\n" for k, v in dues.items())
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN.format(items=items), encoding="utf-8")
    return path


def _due(path: Path, *args: str) -> list[str]:
    result = runner.invoke(
        app, ["due", "--as-of", "2026-01-01", "--format", "json", "--plan", "dates-plan", *args, str(path)]
    )
    assert result.exit_code == 0, result.output
    data: Any = json.loads(result.stdout)
    return sorted(row["id"] for row in (data["items"] if isinstance(data, dict) else data))


def test_due_before_uses_the_exact_intervals(tmp_path: Path) -> None:
    path = _plan(
        tmp_path,
        {
            "EARLY": "early 2026",
            "LATE": "late 2026",
            "BEFORE": "before April 2026",
            "RANGE": "April to June 2026",
            "WEEK": "w/c 29 December 2025",
            "FROM": "From April 2026",
            "ONWARDS": "2026/27 onwards",
        },
    )
    # early 2026 ends 30 April; before April 2026 ends 31 March; the week ends 4 January
    assert _due(path, "--before", "2026-05") == ["BEFORE", "EARLY", "WEEK"]
    assert _due(path, "--before", "2026-04") == ["BEFORE", "WEEK"]
    assert _due(path, "--before", "2026-07") == ["BEFORE", "EARLY", "RANGE", "WEEK"]
    assert _due(path, "--after", "2026-08") == ["LATE"]  # a start is never a deadline


def test_lint_flags_starts_and_event_relative_deadlines(tmp_path: Path) -> None:
    path = _plan(
        tmp_path,
        {
            "BDAY": "one month prior to the 18th birthday",
            "AGE": "by the time a young person is 17.5",
            "FROM": "From April 2026",
            "OK": "April to June 2026",
        },
    )
    result = runner.invoke(app, ["lint", "--as-of", "2026-01-01", "--format", "json", str(path)])
    findings = [f for f in json.loads(result.stdout) if f["rule"] == "inexact-due"]
    by_item = {f["item"]: f["message"] for f in findings}
    assert set(by_item) == {"BDAY", "AGE", "FROM"}
    assert re.search(r"tied to an event", by_item["BDAY"])
    assert re.search(r"starts, not when it is due", by_item["FROM"])


def test_lint_example_of_inexact_due_is_flagged_and_its_fix_is_not(tmp_path: Path) -> None:
    from planctl.lint.rules import inexact_due

    doc = inexact_due.__doc__ or ""
    bad, good = re.findall(r"```yaml\n(.*?)```", doc, re.S)
    for text, expected in ((bad, 1), (good, 0)):
        path = tmp_path / "example.yaml"
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        result = runner.invoke(app, ["lint", "--as-of", "2026-01-01", "--format", "json", str(path)])
        found = [f for f in json.loads(result.stdout) if f["rule"] == "inexact-due"]
        assert len(found) == expected, result.output


RECURRING = """\
id: rec-plan
title: Recurring plan
sections:
  - id: s
    title: Section
    leads: [Lead]
    items:
      - id: R1
        title: The group meets.
        recurrence: every 6 to 8 weeks starting March 2026
      - id: R2
        title: Monthly report.
        recurrence: monthly starting 31 January 2026
      - id: R3
        title: Termly review.
        recurrence: termly
"""


def test_show_gives_the_next_occurrence_as_of(tmp_path: Path) -> None:
    path = tmp_path / "rec.yaml"
    path.write_text(RECURRING, encoding="utf-8")

    def field(item: str, as_of: str) -> str | None:
        result = runner.invoke(app, ["show", item, "--as-of", as_of, "-f", "csv", str(path)])
        assert result.exit_code == 0, result.output
        found = [row[1] for row in csv.reader(result.stdout.splitlines()) if row and row[0] == "next"]
        return found[0] if found else None

    # 1 March 2026, then every 6 weeks (the shortest of 6 to 8): 12 April, 24 May
    assert field("R1", "2026-02-01") == "1 March 2026 (counted from the start, at the shortest interval)"
    assert field("R1", "2026-04-12") == "12 April 2026 (counted from the start, at the shortest interval)"
    assert field("R1", "2026-05-01") == "24 May 2026 (counted from the start, at the shortest interval)"
    assert field("R2", "2026-03-05") == "31 March 2026 (counted from the start)"
    assert field("R3", "2026-03-05") is None  # terms vary by authority: no date is guessed


def test_ics_writes_a_recurrence_as_an_rrule(tmp_path: Path) -> None:
    from icalendar import Calendar

    path = tmp_path / "rec.yaml"
    path.write_text(RECURRING, encoding="utf-8")
    out = tmp_path / "rec.ics"
    result = runner.invoke(app, ["export", "-f", "ics", "--out", str(out), str(path)])
    assert result.exit_code == 0, result.output
    events = {str(e["uid"]): e for e in Calendar.from_ical(out.read_bytes()).walk("VEVENT")}
    assert set(events) == {"rec-plan/R1/repeats@planctl", "rec-plan/R2/repeats@planctl"}
    r1 = events["rec-plan/R1/repeats@planctl"]
    assert r1.decoded("dtstart") == date(2026, 3, 1)
    assert dict(r1["rrule"]) == {"FREQ": ["WEEKLY"], "INTERVAL": [6]}
    r2 = events["rec-plan/R2/repeats@planctl"]
    assert r2.decoded("dtstart") == date(2026, 1, 31)
    assert dict(r2["rrule"]) == {"FREQ": ["MONTHLY"], "INTERVAL": [1]}


def test_show_json_gives_the_next_occurrence_as_of(tmp_path: Path) -> None:
    """``show --format json`` carries the same next day as the table, for scripts."""
    path = tmp_path / "rec.yaml"
    path.write_text(RECURRING, encoding="utf-8")

    def nxt(item: str, as_of: str) -> object:
        result = runner.invoke(app, ["show", item, "--as-of", as_of, "-f", "json", str(path)])
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)["next_occurrence"]

    assert nxt("R1", "2026-05-01") == "2026-05-24"
    assert nxt("R2", "2026-03-05") == "2026-03-31"
    assert nxt("R3", "2026-03-05") is None

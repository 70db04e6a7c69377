"""Every command follows one set of rules: ids, days, colour, where errors go, exit codes.

The rules are in the README under "Exit status"; these tests run the commands as a
user does, on the shipped plans or copies of them.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from planctl.cli import app
from test_diff_support import Repo, git_env

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "example-plan.yaml"
SEND = ROOT / "plans" / "oxfordshire-send-pap-2024.yaml"
ESC = "\x1b["


def run(*args: str, env: dict[str, str | None] | None = None, color: bool = False) -> Result:
    result = CliRunner().invoke(app, list(args), env=env, color=color)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


# --- ids with ':' and any case ---


@pytest.fixture
def send_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    """A git repository holding the SEND plan (ids such as PAP2A:1), rated in a second commit."""
    env = git_env(tmp_path)
    repo = Repo(tmp_path / "repo", env)
    repo.path.mkdir()
    repo.git("init", "-q", "-b", "main")
    repo.copy(SEND, "plans/send.yaml")
    repo.commit("SEND plan", "2025-09-30T10:00:00+00:00")
    repo.edit(
        "plans/send.yaml",
        "due: By April 2024\n            # E3 is cited here",
        "due: By July 2024\n            # E3 is cited here",
    )
    repo.commit("Board: PAP2A:1 moves to July", "2025-10-28T10:00:00+00:00", author="Sam Secretary")
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(repo.path)
    return repo


@pytest.mark.parametrize("ident", ["PAP2A:1", "oxfordshire-send-pap-2024:PAP2A:1"])
def test_history_finds_ids_that_hold_a_colon(send_repo: Repo, ident: str) -> None:
    result = run("history", ident)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("PAP2A:1  By April 2024, we will co-produce")
    assert lines[1] == "plans/send.yaml (oxfordshire-send-pap-2024), 2 commits"
    assert "Pat Officer  Item added" in lines[2]
    assert "Sam Secretary  Deadline slipped: April 2024 → July 2024 (+3 months)" in lines[3]


def test_history_suggests_ids_in_any_case(send_repo: Repo) -> None:
    result = run("history", "pap2a:1")
    assert result.exit_code == 2
    assert "no item 'pap2a:1' in plans/; did you mean PAP2A:1" in result.stderr


def test_show_and_update_find_colon_ids_and_suggest_in_any_case(in_repo: Path) -> None:
    shown = run("show", "oxfordshire-send-pap-2024:PAP2A:1", "--format", "json")
    assert shown.exit_code == 0
    assert json.loads(shown.stdout)["id"] == "PAP2A:1"
    wrong_case = run("show", "pap2a:1")
    assert wrong_case.exit_code == 2
    assert wrong_case.stderr.startswith("planctl: error: no item 'pap2a:1' in plans/; did you mean PAP2A:1")
    update = run("update", "pap2a:1", "--note", "x", "--dry-run")
    assert update.exit_code == 2
    assert "did you mean PAP2A:1" in update.stderr


# --- exit codes: 2 for what the user typed wrong ---


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show", "Z9"], "no item 'Z9' in plans/"),
        (["update", "Z9", "--note", "x"], "no item 'Z9' in plans/"),
        (["add", "nowhere", "--title", "x"], "no section 'nowhere'"),
        (["list", "--plan", "oxfordshire-ld-plan-2025"], "no plan 'oxfordshire-ld-plan-2025'; did you mean"),
        (["due", "--status", "purple"], "no status 'purple' on the plans' scales"),
        (["overdue", "--status", "gren"], "did you mean green?"),
        (["list", "--section", "theme-44"], "no section with id 'theme-44' or a title containing it"),
        (["due", "--as-of", "2026-04"], "--as-of: '2026-04' (April 2026) is not a single day"),
        (["lint", "--as-of", "April 2026"], "--as-of: 'April 2026' is not a single day"),
        (
            ["render", "oxfordshire-ld-plan-2025-2035", "-t", "plan.md", "--as-of", "2026-04"],
            "is not a single day",
        ),
        (["update", "A1", "--date", "April 2026", "--note", "x", str(EXAMPLE)], "--date: 'April 2026'"),
        (["update", "A1", "--date", "2026-13-01", "--note", "x", str(EXAMPLE)], "cannot read '2026-13-01'"),
        (["lint", "--as-of", "2026-02-30"], "--as-of: cannot read '2026-02-30' as a day"),
        (["update", "A1", "--due", "when we can", str(EXAMPLE)], "--due: cannot read 'when we can'"),
        (["render", "nope", "-t", "plan.md"], "no plan with id 'nope'"),
        (["render", "oxfordshire-ld-plan-2025-2035", "-t", "nope.md"], "no template 'nope.md'"),
    ],
)
def test_usage_errors_exit_2(in_repo: Path, args: list[str], message: str) -> None:
    before = EXAMPLE.read_bytes()
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("planctl: error: ")
    assert message in result.stderr
    assert result.stdout == ""
    assert EXAMPLE.read_bytes() == before


def test_a_status_not_on_the_scale_is_a_refused_edit_listing_the_values(tmp_path: Path) -> None:
    plan = tmp_path / "example.yaml"
    shutil.copy(EXAMPLE, plan)
    result = run("update", "A1", "--status", "purple", str(plan))
    assert result.exit_code == 1
    assert "allowed values: red (Red), amber (Amber), green (Green)" in result.stderr
    assert plan.read_bytes() == EXAMPLE.read_bytes()


@pytest.mark.parametrize(
    "args", [["validate"], ["lint"], ["export"], ["due"], ["fmt", "--check"], ["show", "A1"], ["stats"]]
)
def test_a_folder_without_plans_is_a_usage_error(tmp_path: Path, args: list[str]) -> None:
    (tmp_path / "notes.txt").write_text("not a plan\n")
    result = run(*args, str(tmp_path))
    assert result.exit_code == 2
    assert f"planctl: error: no plan files (.yaml or .yml) found under {tmp_path}" in result.stderr


# --- where output goes ---


@pytest.fixture
def with_bad_plan(tmp_path: Path) -> Path:
    """The example plan and a plan file with a misspelt key beside it."""
    shutil.copy(EXAMPLE, tmp_path / "example.yaml")
    text = EXAMPLE.read_text(encoding="utf-8").replace("id: example-council-ld-plan-2025-2027", "id: bad", 1)
    (tmp_path / "bad.yaml").write_text(text.replace("\ntitle:", "\ntitel:", 1), encoding="utf-8")
    return tmp_path


def test_export_writes_the_valid_plans_and_reports_the_bad_one_on_stderr(with_bad_plan: Path) -> None:
    result = run("export", str(with_bad_plan))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("plan,section,section_path,id,")
    assert {line.split(",")[0] for line in lines[1:]} == {"example-council-ld-plan-2025-2027"}
    assert "bad.yaml:" in result.stderr
    assert "unknown key 'titel'" in result.stderr
    assert "bad.yaml" not in result.stdout


def test_export_to_a_file_keeps_problems_out_of_it(with_bad_plan: Path) -> None:
    out = with_bad_plan / "items.json"
    result = run(
        "export",
        str(with_bad_plan / "bad.yaml"),
        str(with_bad_plan / "example.yaml"),
        "-f",
        "json",
        "-o",
        str(out),
    )
    assert result.exit_code == 1
    assert {row["plan"] for row in json.loads(out.read_text())} == {"example-council-ld-plan-2025-2027"}


def test_render_reports_an_invalid_plan_on_stderr(with_bad_plan: Path) -> None:
    result = run("render", str(with_bad_plan / "bad.yaml"), "-t", "plan.md", "--as-of", "2026-01-01")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "unknown key 'titel'" in result.stderr


def test_render_out_does_not_create_folders(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "report.md"
    result = run("render", str(EXAMPLE), "-t", "plan.md", "--out", str(target))
    assert result.exit_code == 2
    assert "no such folder" in result.stderr
    assert not target.parent.exists()
    split = run("render", str(EXAMPLE), "-t", "plan.md", "--split", "--out", str(tmp_path / "parts"))
    assert split.exit_code == 0, split.stderr
    written = [p.name for p in (tmp_path / "parts").iterdir()]
    assert written == ["example-council-ld-plan-2025-2027-theme-1.md"]  # its one top-level section


# --- colour ---

QUERY = ["due", "--before", "2026-04", "--as-of", "2026-11-24", "--plan", "oxfordshire-ld-plan-2025-2035"]


def test_tables_are_coloured_on_a_terminal_unless_no_color(in_repo: Path) -> None:
    coloured = run(*QUERY, color=True, env={"NO_COLOR": None})
    assert ESC in coloured.stdout  # overdue deadlines in red
    plain = run(*QUERY, color=True, env={"NO_COLOR": "1"})
    assert ESC not in plain.stdout
    assert "4.2.1" in plain.stdout
    piped = run(*QUERY, env={"NO_COLOR": None})
    assert ESC not in piped.stdout


def test_lint_text_follows_the_same_colour_rule(in_repo: Path) -> None:
    args = [
        "lint",
        "--as-of",
        "2026-11-24",
        "--no-cache",
        "--include-closed",
        "plans/westminster-rbkc-big-plan-2018-2021.yaml",
    ]
    assert ESC in run(*args, color=True, env={"NO_COLOR": None}).stdout
    assert ESC not in run(*args, color=True, env={"NO_COLOR": "1"}).stdout


# --- wording and pipes ---


def test_fmt_counts_one_file_in_the_singular(tmp_path: Path) -> None:
    shutil.copy(EXAMPLE, tmp_path / "example.yaml")
    result = run("fmt", "--check", str(tmp_path / "example.yaml"))
    assert result.stderr.strip() == "1 file checked, 0 would be reformatted"


def test_help_shows_no_python_types() -> None:
    for command in ("due", "show", "validate", "update", "export", "lint", "render", "history", "schema"):
        text = run(command, "--help").stdout
        for python_type in ("list[", "<str>", "<Path>", "<int>"):
            assert python_type not in text, command


def test_a_reader_that_stops_early_is_not_an_error(in_repo: Path) -> None:
    """``planctl list --format json | head -1``: far more output than a pipe holds."""
    planctl = Path(sys.executable).with_name("planctl")
    done = subprocess.run(
        ["bash", "-c", f"'{planctl}' list --include-closed --format json | head -1; exit ${{PIPESTATUS[0]}}"],
        capture_output=True,
        text=True,
        cwd=in_repo,
        timeout=60,
    )
    assert done.stdout == "[\n"
    assert done.returncode == 0
    assert done.stderr == ""


def test_iso_days_take_the_short_path_to_the_same_day() -> None:
    """resolve_day reads YYYY-MM-DD without the phrase table; it must agree with it."""
    from datetime import date, timedelta

    from planctl.cli.common import resolve_day
    from planctl.core.dates import parse_query_date

    today = date(2026, 11, 24)
    for day in (date(2024, 2, 29), date(2026, 3, 31), date(2026, 4, 1), date(2025, 12, 31)):
        for d in (day, day + timedelta(days=1)):
            assert (
                resolve_day(d.isoformat(), "--as-of", today)
                == d
                == parse_query_date(d.isoformat(), today).start
            )

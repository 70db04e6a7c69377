"""One safe console (issue 17): every message with a value in it is printed by
``cli.common.say`` (or built by ``format_message``), which makes each value inert and
keeps it on one line; no command module makes text safe by hand.

Each test runs the command a user runs on a scratch copy of the shipped plans, with a
file name, folder, lead, measure name, area or template description holding an ESC
sequence and a newline, and checks that the message names it with both made visible
(``␛``, ``␊``) and that no line of output is forged.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from planctl.cli import app

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]
PLANS = ROOT / "plans"

EVIL = "evil\x1b[2J\nforged: error"
SHOWN = "evil\u241b[2J\u240aforged: error"  # how EVIL reads in a message
SEND = "oxfordshire-send-pap-2024.yaml"
SCRUTINY = "oxfordshire-people-scrutiny-2025-26.yaml"
LD = "oxfordshire-ld-plan-2025-2035.yaml"


def assert_inert(result: Result, shown: str = SHOWN) -> None:
    """No ESC and no forged line on stdout or stderr; the value is shown, on one line."""
    both = result.stdout + result.stderr
    assert "Traceback" not in both, both
    assert "\x1b" not in both, repr(both)
    assert not any(line.startswith("forged") for line in both.splitlines()), both
    assert shown in both, both


@pytest.fixture
def evil_plans(project: Path) -> Path:
    """The shipped plans, each file renamed to start with EVIL."""
    for path in sorted((project / "plans").glob("*.yaml")):
        path.rename(path.with_name(f"{EVIL}-{path.name}"))
    return project / "plans"


def evil(plans: Path, name: str) -> Path:
    return plans / f"{EVIL}-{name}"


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["update", "PAP1:2", "--status", "green", "--date", "2026-11-24"], "updated PAP1:2 in plans/"),
        (
            ["update", "--kpi", "sa-1", "--period", "Q3 2025/26", "--value", "61.2"],
            "recorded sa-1 Q3 2025/26 in",
        ),
        (["add", "priority-1", "--title", "A new thing"], "to priority-1 in plans/"),
        (
            ["respond", "rut-2025-07-15.1", "--response", "Agreed"],
            "recorded the response to rut-2025-07-15.1",
        ),
    ],
)
def test_an_edit_names_its_file_inert(evil_plans: Path, args: list[str], said: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert said in result.stdout
    assert_inert(result)


def test_an_area_typed_on_the_command_line_is_inert(project: Path) -> None:
    """`update --kpi --area` echoed the area raw (before, an ESC reached the terminal)."""
    args = ["update", "--kpi", "sa-1", "--period", "Q3 2025/26", "--value", "61.2", "--area", EVIL]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"recorded sa-1 Q3 2025/26 ({SHOWN}) in plans/")
    assert_inert(result)


def test_new_names_the_file_it_created_inert(project: Path) -> None:
    result = runner.invoke(app, ["new", f"plans/{EVIL}.yaml", "--id", "n", "--title", "N"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"created plans/{SHOWN}.yaml\n")
    assert_inert(result)


def test_fmt_names_what_it_formatted_inert(evil_plans: Path) -> None:
    send = evil(evil_plans, SEND)
    text = send.read_text(encoding="utf-8")
    swapped = text.replace(
        "  - id: priority-1\n    kind: priority\n", "  - kind: priority\n    id: priority-1\n"
    )
    send.write_text(swapped, encoding="utf-8")
    result = runner.invoke(app, ["fmt"])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"formatted plans/{SHOWN}-{SEND}\n"
    assert_inert(result)


def test_init_names_what_it_created_and_what_is_in_the_way_inert(tmp_path: Path) -> None:
    folder = tmp_path / f"in{EVIL}"
    first = runner.invoke(app, ["init", str(folder)])
    assert first.exit_code == 0, first.output
    assert f"created {tmp_path}/in{SHOWN}/plans/my-plan.yaml" in first.stdout
    assert_inert(first)
    again = runner.invoke(app, ["init", str(folder)])
    assert again.exit_code == 1
    assert f"{tmp_path}/in{SHOWN} already has what init would write" in again.stderr
    assert f"\n  {tmp_path}/in{SHOWN}/plans/my-plan.yaml" in again.stderr
    assert_inert(again)


def test_forms_names_the_workbook_and_the_lead_inert(project: Path) -> None:
    scrutiny = project / "plans" / SCRUTINY
    text = scrutiny.read_text(encoding="utf-8").replace(
        "leads: [Karen Fuller]", r'leads: ["Karen\e[2J\nforged"]'
    )
    scrutiny.write_text(text, encoding="utf-8")
    out = project / f"out{EVIL}"
    out.mkdir()
    result = runner.invoke(app, ["forms", "--out-dir", str(out), "--as-of", "2026-11-24"])
    assert result.exit_code == 0, result.output
    assert "for Karen\u241b[2J\u240aforged\n" in result.stdout
    assert_inert(result)


def test_updates_import_names_rows_files_and_plans_inert(evil_plans: Path, project: Path) -> None:
    bad = project / f"bad{EVIL}.csv"
    bad.write_text("id,rating,date,note\nPAP5A:1,purple,2026-11-20,x\n", encoding="utf-8")
    refused = runner.invoke(app, ["import", "--updates", str(bad), "--as-of", "2026-11-24"])
    assert refused.exit_code == 1
    assert f"{bad.name.replace(EVIL, SHOWN)}:row 2:column rating: " in refused.stderr
    assert_inert(refused)
    good = project / "good.csv"
    good.write_text("id,rating,date,note\nPAP5A:1,green,2026-11-20,Fine\n", encoding="utf-8")
    done = runner.invoke(app, ["import", "--updates", str(good), "--as-of", "2026-11-24"])
    assert done.exit_code == 0, done.output
    assert (
        f"updated oxfordshire-send-pap-2024:PAP5A:1 (Green, note, 2026-11-20) in plans/{SHOWN}" in done.stdout
    )
    assert_inert(done)


def test_kpi_card_keeps_each_value_on_its_line(project: Path) -> None:
    """A measure's name with a newline forged a line of its card (before, ``safe_text``
    kept the newline: "forged: error" stood on a line of its own)."""
    scrutiny = project / "plans" / SCRUTINY
    text = scrutiny.read_text(encoding="utf-8").replace(
        "name: People supported with on-going care", r'name: "People\e[2J\nforged: error"'
    )
    scrutiny.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["kpi", "sa-1", "--as-of", "2026-11-24"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("sa-1  People\u241b[2J\u240aforged: error\nplan: ")
    assert_inert(result, "People\u241b[2J\u240aforged")


@pytest.mark.parametrize("colour", [False, True])
def test_lint_text_names_files_inert(evil_plans: Path, colour: bool) -> None:
    result = runner.invoke(app, ["lint", "--as-of", "2026-11-24", "--no-cache"], color=colour)
    assert result.exit_code in (0, 1), result.output
    assert "missing-lead" in result.stdout
    both = result.stdout + result.stderr
    assert "\x1b[2J" not in both
    assert ("\x1b[1m" in result.stdout) is colour  # the colours stay, on a terminal only
    assert not any(line.startswith("forged") for line in both.splitlines())
    assert SHOWN in result.stdout


def test_render_gate_problems_name_the_file_inert(evil_plans: Path) -> None:
    """The easy-read gate's problem lines kept a file name's newline (before, the name
    forged a line on stderr)."""
    added = runner.invoke(app, ["add", "priority-1-1", "--title", "An action in no easy-read words"])
    assert added.exit_code == 0, added.output
    result = runner.invoke(
        app, ["render", str(evil(evil_plans, LD)), "--template", "easy-read.md", "--as-of", "2026-11-24"]
    )
    assert result.exit_code == 1
    assert f"plans/{SHOWN}-{LD}:554:20: error: item 1.1.7: an action with no easy_read" in result.stderr
    assert_inert(result)


def test_templates_lists_a_description_inert(tmp_path: Path) -> None:
    """A template's description was listed raw (before, its ESC reached the terminal)."""
    (tmp_path / "mine.md").write_text(f"{{# description: Mine {EVIL} #}}\n# {{{{ plan.title }}}}\n", "utf-8")
    result = runner.invoke(app, ["templates", "--templates", str(tmp_path)])
    assert result.exit_code == 0, result.output
    shown = SHOWN.replace("\u240a", " ")  # the description's whitespace is collapsed
    assert f"Mine {shown}  (yours)" in result.stdout
    assert_inert(result, shown)


def test_import_names_the_plan_file_inert(project: Path) -> None:
    """``import`` named the file it created raw (before, an ESC reached the terminal)."""
    (project / "rows.csv").write_text("title\nA thing\n", encoding="utf-8")
    folder = project / f"p{EVIL}"
    folder.mkdir()
    args = [
        "import",
        "rows.csv",
        "--plan",
        "newp",
        "--section",
        "s1",
        "--title",
        "T",
        "--plans-dir",
        str(folder),
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert f"1 item(s) imported; created {project}/p{SHOWN}/newp.yaml" in result.stdout
    assert_inert(result)


def test_history_names_the_file_inert(project: Path) -> None:
    """``history`` named the plan file raw (before, an ESC reached the terminal)."""
    send = project / "plans" / SEND
    send.rename(send.with_name(f"{EVIL}.yaml"))
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t"}
    env["GIT_COMMITTER_EMAIL"] = "t@t"
    for args in (["init", "-q"], ["add", "plans"], ["commit", "-qm", "plans"]):
        subprocess.run(["git", *args], cwd=project, env=env, check=True, capture_output=True)
    result = runner.invoke(app, ["history", "PAP1:2", "--no-cache"])
    assert result.exit_code == 0, result.output
    assert f"plans/{SHOWN}.yaml (oxfordshire-send-pap-2024), 1 commit\n" in result.stdout
    assert_inert(result)


def test_a_skipped_symlink_is_named_inert(project: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    shutil.copy(PLANS / SEND, outside)
    (project / "plans" / f"{EVIL}.yaml").symlink_to(outside)
    result = runner.invoke(app, ["validate"])
    assert f"planctl: note: plans/{SHOWN}.yaml is a symlink to a file outside" in result.stderr
    assert_inert(result)


def test_no_command_module_makes_text_safe_by_hand() -> None:
    """Messages are made safe in one place, ``cli/common.py`` (``say``, ``format_message``,
    ``say_text``); a command module that called ``safe_line``/``safe_text`` itself could
    forget a value (it did: 39 call sites, several values printed raw)."""
    for module in sorted((ROOT / "src" / "planctl" / "cli").glob("*.py")):
        if module.name == "common.py":
            continue
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.ImportFrom)
                else [node.attr]
                if isinstance(node, ast.Attribute)
                else [node.id]
                if isinstance(node, ast.Name)
                else []
            )
            for name in names:
                assert name not in ("safe_line", "safe_text"), f"{module.name}:{node.lineno}: {name}"


@pytest.mark.parametrize(
    "args",
    [
        ["render", f"plans/{SEND}", "--template", "plan.md", "--as-of", "2026-11-24", "--out"],
        ["export", "--as-of", "2026-11-24", "--out"],
        ["board", "--as-of", "2026-11-24", "--out"],
        ["site", "--as-of", "2026-11-24", "--out"],
    ],
)
def test_wrote_names_the_output_inert(project: Path, args: list[str]) -> None:
    """ "wrote FILE" on stderr kept a newline in the name (before, it forged a line)."""
    result = runner.invoke(app, [*args, f"out{EVIL}"])
    assert result.exit_code == 0, result.output
    assert f"wrote out{SHOWN}" in result.stderr
    assert_inert(result)


def test_import_names_the_rows_it_refuses_inert(project: Path) -> None:
    """A refused row of ``import`` was named with its table raw (before, a newline in the
    table's name forged a line)."""
    table = project / f"rows{EVIL}.csv"
    table.write_text("title,due\n,March 2026\n", encoding="utf-8")  # a row with no title
    result = runner.invoke(app, ["import", str(table), "--plan", "newp", "--section", "s1", "--title", "T"])
    assert result.exit_code == 1, result.output
    assert f"rows{SHOWN}.csv:row 2: " in result.stderr
    assert_inert(result)


def test_pictures_lists_a_picture_name_on_its_line(project: Path, tmp_path: Path) -> None:
    """A picture's name from a user's pictures.yaml kept its newline (before, ``safe_text``
    on the whole line let it forge a line of the list); the tabs between columns stay."""
    maps = tmp_path / "maps"
    maps.mkdir()
    shutil.copy(next((ROOT / "templates" / "pictures").glob("*.svg")), maps / "boat.svg")
    (maps / "pictures.yaml").write_text(
        'pictures:\n  "evil\\e[2J\\nforged: x": {file: boat.svg}\nkeywords:\n  learn*: "evil\\e[2J\\nforged: x"\n',
        encoding="utf-8",
    )
    result = runner.invoke(app, ["pictures", f"plans/{LD}", "--pictures", str(maps / "pictures.yaml")])
    assert result.exit_code == 0, result.output
    assert 'item 1.4.1\tevil\u241b[2j\u240aforged: x\t"learn" (learn*)\n' in result.stdout
    assert_inert(result, "evil\u241b[2j\u240aforged: x")

"""A plan or a file name cannot drive the terminal: every way text reaches it is made safe.

A cloned plan repository can hold escape codes (colour, OSC 8 links, "conceal"), line and
paragraph separators that forge lines, and bidi overrides that show text in another order,
in its titles, leads, colours and file names. Each test runs the real command and checks
that no such character reaches stdout or stderr raw, while JSON keeps the text exact.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planctl.cli import app

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "example-plan.yaml"
AS_OF = ["--as-of", "2026-11-24"]

# YAML double-quoted escapes: \e ESC, \L U+2028, \P U+2029, \N NEL, \v, \f
TRICK = (
    r"Evil \e[31mred\e[0m \e]8;;https://evil.invalid\e\\link\e]8;;\e\\ \e[8mhidden\e[0m"
    r" \Lforged line \Pforged para \Nnel \vvt \fff \u202Egnp.exe \u2066iso\u2069 zw\u200Bsp"
)
RAW = {
    "ESC": "\x1b",
    "CSI": "\x9b",
    "LS": "\u2028",
    "PS": "\u2029",
    "NEL": "\x85",
    "VT": "\x0b",
    "FF": "\x0c",
    "RLO": "\u202e",
    "LRI": "\u2066",
    "PDI": "\u2069",
    "ZWSP": "\u200b",
}
EVIL_NAME = "evil\x1b[2J\u202e\nforged.yaml:1:1: error invalid: forged"


def planctl(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "planctl", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "NO_COLOR": "1"},
        check=False,
    )


def assert_inert(text: str) -> None:
    found = [name for name, char in RAW.items() if char in text]
    assert found == [], f"raw {found} in: {text!r}"


def tricked(text: str, colour: str = "#f47738") -> str:
    """The example plan with the trick in its title, a section lead and an item title."""
    text = text.replace(
        "title: Example Council Learning Disability Action Plan 2025 to 2027", f'title: "{TRICK}"'
    )
    text = text.replace("leads: [Head of Adult Social Care]", f'leads: ["{TRICK}"]')
    text = text.replace(
        "title: Write a supported employment plan with self-advocates.", f'title: "A1 {TRICK}"'
    )
    return text.replace('colour: "#f47738"', f"colour: {json.dumps(colour)}")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "plans").mkdir(parents=True)
    (root / "plans" / "example.yaml").write_text(
        tricked(EXAMPLE.read_text(encoding="utf-8")), encoding="utf-8"
    )
    return root


@pytest.mark.parametrize(
    "question",
    [
        ["validate"],
        ["lint"],
        ["list", *AS_OF],
        ["due", "--before", "2030-01", *AS_OF],
        ["show", "A1", *AS_OF],
        ["list", "--format", "csv", *AS_OF],
        ["list", "--format", "markdown", *AS_OF],
    ],
)
def test_plan_text_reaches_the_terminal_inert(repo: Path, question: list[str]) -> None:
    done = planctl(repo, *question)
    assert "Traceback" not in done.stderr
    assert done.returncode in (0, 1), done.stderr
    assert "A1" in done.stdout or "no problems" in done.stdout or "hint" in done.stdout
    assert_inert(done.stdout)
    assert_inert(done.stderr)


def test_json_keeps_the_text_exact(repo: Path) -> None:
    done = planctl(repo, "list", "--format", "json", *AS_OF)
    assert done.returncode == 0, done.stderr
    titles = [r["title"] for r in json.loads(done.stdout)]
    assert any("\u2028forged line" in t and "\u202egnp" in t and "\x1b[31m" in t for t in titles)


def test_diff_shows_changed_text_inert(repo: Path) -> None:
    old = repo / "old.yaml"
    old.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    done = planctl(repo, "diff", str(old), "plans/example.yaml")
    assert done.returncode in (0, 1), done.stderr
    assert "A1" in done.stdout
    assert_inert(done.stdout)
    assert_inert(done.stderr)


@pytest.mark.parametrize("question", [["validate"], ["lint"], ["validate", "--format", "github"]])
def test_a_file_name_cannot_forge_lines_or_send_escapes(repo: Path, question: list[str]) -> None:
    (repo / "plans" / f"{EVIL_NAME}.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    done = planctl(repo, *question)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert_inert(done.stdout)
    assert_inert(done.stderr)
    # the name shows on one line, with its newline as a visible stand-in
    assert not any(line.startswith("forged.yaml") for line in done.stdout.splitlines())
    assert "\u240a" in done.stdout  # ␊


def test_a_file_name_in_a_message_is_inert(repo: Path) -> None:
    """Usage errors quote what was typed or found; they too reach stderr made safe."""
    done = planctl(repo, "validate", f"plans/{EVIL_NAME}")
    assert done.returncode == 2
    assert "no such" in done.stderr or "not" in done.stderr
    assert_inert(done.stderr)
    # The error is an exception's text with the name in it: kept on one line, the newline
    # shown, so the name cannot forge a line of its own.
    assert not any(line.startswith("forged.yaml") for line in done.stderr.splitlines())
    assert "\u240a" in done.stderr  # ␊


# --- colour -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "colour",
    ["red link https://evil.invalid", "conceal", "blink red", "bold", "#f477", "rgb(1,2,3)", "amber"],
)
def test_a_colour_that_is_not_a_colour_is_a_located_error(repo: Path, colour: str) -> None:
    plan = repo / "plans" / "example.yaml"
    plan.write_text(tricked(EXAMPLE.read_text(encoding="utf-8"), colour), encoding="utf-8")
    line = next(
        n for n, text in enumerate(plan.read_text(encoding="utf-8").splitlines(), 1) if "amber" in text
    )
    done = planctl(repo, "validate")
    assert done.returncode == 1
    assert f"plans/example.yaml:{line}:" in done.stdout
    assert "is not a colour" in done.stdout
    assert "hint: write #rrggbb" in done.stdout


@pytest.mark.parametrize("colour", ["#f47738", "yellow", "bright_red"])
def test_a_colour_shows_in_the_table_as_a_colour_only(repo: Path, colour: str) -> None:
    plan = repo / "plans" / "example.yaml"
    plan.write_text(tricked(EXAMPLE.read_text(encoding="utf-8"), colour), encoding="utf-8")
    cwd = Path.cwd()
    os.chdir(repo)
    try:
        result = CliRunner().invoke(app, ["list", *AS_OF], env={"NO_COLOR": None}, color=True)
    finally:
        os.chdir(cwd)
    assert result.exit_code == 0, result.output
    assert "\x1b[" in result.stdout  # coloured
    assert "\x1b]8" not in result.stdout
    assert "\x1b[8m" not in result.stdout
    for name, char in RAW.items():
        if name != "ESC":
            assert char not in result.stdout, name


def test_a_style_string_from_an_old_cache_is_never_parsed(tmp_path: Path) -> None:
    """Even a colour that bypassed validation (a row from elsewhere) is not parsed as a style."""
    import io

    from planctl.output.formats import Block, Cell, Column, write_table

    out = io.StringIO()
    block = Block(("t",), [Column("status")], [[Cell("amber", "red link https://evil.invalid")]])
    write_table([block], out, colour=True, width=60)
    assert "\x1b]8" not in out.getvalue()
    assert "amber" in out.getvalue()

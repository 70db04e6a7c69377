"""One output layer (issue 17): one shape per problem, one way to fail, one format enum."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planctl.cli import app
from planctl.output.emit import Format

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]
BAD = ROOT / "tests" / "data" / "bad"


@pytest.mark.parametrize("name", ["21-unknown-key-item.yaml", "01-tab-indent.yaml", "17-response-date.yaml"])
def test_validate_and_lint_print_a_problem_alike(name: str) -> None:
    """The same invalid file: every line validate prints for it, lint prints too, verbatim
    (before, lint wrote `error invalid message` and left out the YAML path)."""
    path = str(BAD / name)
    checked = runner.invoke(app, ["validate", path])
    linted = runner.invoke(app, ["lint", path, "--no-cache"])
    assert checked.exit_code == 1
    assert linted.exit_code == 1
    problem = [
        line for line in checked.stdout.splitlines() if "error invalid: " in line or line.startswith("    ")
    ]
    assert problem, checked.stdout
    lint_lines = linted.stdout.splitlines()
    for line in problem:
        assert line in lint_lines, (line, linted.stdout)


def test_lint_finding_has_the_shared_shape(in_repo: Path) -> None:
    result = runner.invoke(
        app,
        [
            "lint",
            "plans/westminster-rbkc-big-plan-2018-2021.yaml",
            "--select",
            "missing-lead",
            "--as-of",
            "2026-11-24",
            "--include-closed",
        ],
    )
    assert ": warning missing-lead: action 5 has no lead" in result.stdout


def test_refused_edit_fails_in_the_one_shape(tmp_path: Path) -> None:
    """A refused edit said `planctl: MESSAGE` while every other error said `planctl:
    error: MESSAGE`; now every stop is `planctl: error:` with its hint."""
    plans = tmp_path / "plans"
    plans.mkdir()
    shutil.copy(ROOT / "examples" / "example-plan.yaml", plans / "example-plan.yaml")
    before = (plans / "example-plan.yaml").read_bytes()
    result = runner.invoke(app, ["update", "A1", "--status", "purple", str(plans)])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith("planctl: error: 'purple' is not on the RAG scale"), result.stderr
    assert lines[1].startswith("  hint: allowed values: "), result.stderr
    assert (plans / "example-plan.yaml").read_bytes() == before


def test_import_into_a_broken_plan_fails_in_the_one_shape(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "x.yaml").write_text("id: x\ntitle: [oops\n", encoding="utf-8")
    (tmp_path / "rows.csv").write_text("title\nA thing\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["import", "rows.csv", "--plan", "x", "--section", "s1"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == "planctl: error: nothing imported: 1 problem(s)", result.stderr


def test_one_format_enum() -> None:
    """No command module defines a format enum of its own: each offers a subset of
    :class:`Format` (there were seven enums, one per command family)."""
    for module in (ROOT / "src" / "planctl").rglob("*.py"):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and node.name.endswith("Format"):
                assert module.name == "emit.py", f"{module}: class {node.name}"
    offered = {"table", "json", "csv", "markdown", "text", "github", "sarif", "xlsx", "ics", "html"}
    assert {f.value for f in Format} == offered


@pytest.mark.parametrize(
    ("command", "wrong"), [(["due"], "sarif"), (["lint"], "csv"), (["export"], "table"), (["board"], "json")]
)
def test_each_command_offers_only_its_formats(command: list[str], wrong: str) -> None:
    result = runner.invoke(app, [*command, "--format", wrong])
    assert result.exit_code == 2
    assert f"'{wrong}' is not one of" in result.output

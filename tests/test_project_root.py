"""planctl works from any folder inside a plan repository, as git does.

The project root is the nearest folder with planctl.toml, [tool.planctl] in
pyproject.toml, or plans/; commands given no paths read its plans/, and name files
relative to where the user stands.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planctl.cli import app
from planctl.store.layout import CACHE_DIR

ROOT = Path(__file__).resolve().parents[1]
AS_OF = "2026-11-24"
runner = CliRunner()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A copy of the shipped plans in a repository with a docs/ folder and a config."""
    root = tmp_path / "repo"
    shutil.copytree(ROOT / "plans", root / "plans")
    (root / "docs" / "deep").mkdir(parents=True)
    (root / "planctl.toml").write_text('ignore = ["missing-lead"]\n', encoding="utf-8")
    return root


def _due(monkeypatch: pytest.MonkeyPatch, where: Path) -> list[dict[str, object]]:
    monkeypatch.chdir(where)
    result = runner.invoke(app, ["due", "--before", "2026-04", "--as-of", AS_OF, "--format", "json"])
    assert result.exit_code == 0, result.output
    found: list[dict[str, object]] = json.loads(result.stdout)
    return found


def test_due_from_plans_and_from_a_sibling_folder(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at_root = _due(monkeypatch, repo)
    in_plans = _due(monkeypatch, repo / "plans")
    in_docs = _due(monkeypatch, repo / "docs" / "deep")
    assert len(at_root) > 50
    key = [(r["plan"], r["id"]) for r in at_root]
    assert [(r["plan"], r["id"]) for r in in_plans] == key
    assert [(r["plan"], r["id"]) for r in in_docs] == key
    first = str(at_root[0]["file"])
    assert first.startswith("plans/")
    name = first.removeprefix("plans/")
    assert in_plans[0]["file"] == name  # relative to where the user stands
    assert in_docs[0]["file"] == f"../../plans/{name}"


def test_lint_from_a_subfolder_uses_the_root_configuration(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo / "plans")
    result = runner.invoke(app, ["lint", "--as-of", AS_OF, "--format", "json"])
    assert result.exit_code == 0, result.output
    rules = {f["rule"] for f in json.loads(result.stdout)}
    assert "missing-due" in rules
    assert "missing-lead" not in rules  # ignored by the root's planctl.toml
    assert (repo / CACHE_DIR).is_dir()  # one cache, at the root
    assert not (repo / "plans" / CACHE_DIR).exists()


def test_a_pyproject_with_tool_planctl_marks_the_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pyproject.toml that configures planctl is a root even where plans/ is elsewhere
    above; one that does not (somebody's Python project) is walked past."""
    outer = tmp_path / "outer"
    shutil.copytree(ROOT / "plans", outer / "plans")
    inner = outer / "tools"
    (inner / "src").mkdir(parents=True)
    (inner / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    monkeypatch.chdir(inner / "src")
    result = runner.invoke(app, ["list", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert "../../plans/" in result.stdout
    (inner / "pyproject.toml").write_text("[tool.planctl]\n", encoding="utf-8")
    result = runner.invoke(app, ["list"])
    assert result.exit_code == 2
    assert "the project at ../ (it has planctl.toml or [tool.planctl]) has no plans/ folder" in result.output


def test_outside_any_project_the_message_says_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for command in (["due"], ["lint"], ["validate"], ["list"]):
        result = runner.invoke(app, command)
        assert result.exit_code == 2, (command, result.output)
        assert "no plans/ folder here or in any folder above" in result.output, command
        assert "Traceback" not in result.output


def test_import_from_a_subfolder_writes_into_the_projects_plans(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    table = repo / "docs" / "rows.csv"
    table.write_text("id,title,due\nR1,Write the plan,April 2026\n", encoding="utf-8")
    monkeypatch.chdir(repo / "docs")
    result = runner.invoke(app, ["import", "rows.csv", "--plan", "new-plan"])
    assert result.exit_code == 0, result.output
    assert (repo / "plans" / "new-plan.yaml").is_file()
    assert not (repo / "docs" / "plans").exists()

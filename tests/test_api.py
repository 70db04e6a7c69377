"""The Python API (``from planctl import Project``) answers what the command line answers.

Each test asks the same question of the shipped plans through ``planctl`` and through
the library, and compares the answers; the README's Python example is run as written.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planctl import Project, ProjectError
from planctl.cli import app

ROOT = Path(__file__).resolve().parents[1]
AS_OF = date(2026, 11, 24)
runner = CliRunner()


@pytest.fixture(scope="module")
def project() -> Project:
    return Project.load(ROOT / "plans", as_of=AS_OF)


def cli_json(*args: str) -> list[dict[str, object]]:
    result = runner.invoke(
        app, [*args, "--as-of", AS_OF.isoformat(), "--format", "json", str(ROOT / "plans")]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert isinstance(data, list)
    return data


def refs(rows: list[dict[str, object]]) -> list[str]:
    return [f"{r['plan']}:{r['id']}" for r in rows]


def test_overdue_due_and_upcoming_match_the_command_line(project: Project) -> None:
    assert [r.ref for r in project.overdue()] == refs(cli_json("overdue"))
    assert [r.ref for r in project.due(before="2026-04")] == refs(cli_json("due", "--before", "2026-04"))
    assert [r.ref for r in project.upcoming("6m")] == refs(cli_json("upcoming", "--within", "6m"))
    send = ["--plan", "oxfordshire-send-pap-2024", "--status", "amber"]
    assert [r.ref for r in project.overdue(plans=["oxfordshire-send-pap-2024"], statuses=["amber"])] == refs(
        cli_json("overdue", *send)
    )
    assert len(project.overdue()) > 50  # the shipped plans have overdue work: the test compares something
    closed = ["--include-closed"]
    assert [r.ref for r in project.overdue(include_closed=True)] == refs(cli_json("overdue", *closed))
    assert len(project.overdue(include_closed=True)) > len(project.overdue())  # Westminster's plan closed


def test_a_filter_naming_nothing_is_refused_with_the_command_lines_words(project: Project) -> None:
    result = runner.invoke(app, ["overdue", "--status", "purpl", str(ROOT / "plans")])
    assert result.exit_code == 2
    with pytest.raises(ProjectError) as raised:
        project.overdue(statuses=["purpl"])
    assert f"--{raised.value}" in result.output.replace("\n", " ")
    with pytest.raises(ProjectError, match="no plan with id 'nope'"):
        project.plan("nope")


def test_lint_matches_the_command_line(project: Project) -> None:
    result = runner.invoke(
        app, ["lint", "--format", "json", "--no-cache", "--as-of", AS_OF.isoformat(), str(ROOT / "plans")]
    )
    cli = [(d["file"], d["line"], d["rule"]) for d in json.loads(result.stdout)]
    api = [(d.file, d.line, d.rule) for d in project.lint()]
    assert len(api) > 100
    assert [(Path(f).name, line, rule) for f, line, rule in api] == [
        (Path(f).name, line, r) for f, line, r in cli
    ]


def test_render_matches_the_command_line(project: Project) -> None:
    result = runner.invoke(
        app, ["render", str(ROOT / "plans" / "oxfordshire-ld-plan-2025-2035.yaml"), "-t", "board-report.md",
              "--as-of", AS_OF.isoformat()]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert project.render("oxfordshire-ld-plan-2025-2035", "board-report.md") == result.stdout
    closed = ROOT / "plans" / "westminster-rbkc-big-plan-2018-2021.yaml"  # closed in 2021
    for extra in ([], ["--include-closed"]):
        result = runner.invoke(
            app, ["render", str(closed), "-t", "board-report.md", "--as-of", AS_OF.isoformat(), *extra]
        )
        assert result.exit_code == 0, result.output
        chosen = {"include_closed": True} if extra else {}  # the default leaves closed work out, as there
        api = project.render("westminster-rbkc-big-plan-2018-2021", "board-report.md", **chosen)
        assert api == result.stdout
    with pytest.raises(ProjectError, match=r"no template 'nope\.md'"):
        project.render("oxfordshire-ld-plan-2025-2035", "nope.md")


def _git(repo: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}  # fmt: skip
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def test_diff_against_a_revision_matches_the_command_line(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "plans").mkdir(parents=True)
    shutil.copy(ROOT / "plans" / "oxfordshire-send-pap-2024.yaml", repo / "plans")
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "plan")
    edited = subprocess.run(
        [sys.executable, "-m", "planctl", "update", "PAP1:1", "--status", "red", "--date", "2026-11-20",
         "--note", "Recruitment paused"], cwd=repo, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert edited.returncode == 0, edited.stderr
    shown = subprocess.run(
        [sys.executable, "-m", "planctl", "diff", "HEAD", "--format", "json"],
        cwd=repo, capture_output=True, text=True, check=False,
    )  # fmt: skip
    cli = json.loads(shown.stdout)
    cli_changes = [(c["item"], c["kind"]) for p in cli["plans"] for c in p["changes"]]
    api = Project.load(repo / "plans", as_of=AS_OF).diff("HEAD")
    assert [(c.item_id, str(c.kind)) for p in api for c in p.changes] == cli_changes
    assert cli_changes  # the update is seen
    with pytest.raises(ProjectError, match="no-such-rev"):
        Project.load(repo / "plans", as_of=AS_OF).diff("no-such-rev")


def test_no_plans_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="no plan files"):
        Project.load(tmp_path, as_of=AS_OF)


def test_the_readme_python_example_runs_as_shown(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Python API") :]
    code = re.search(r"```python\n(.*?)```", section, re.S)
    shown = re.search(r"```text\n(.*?)```", section, re.S)
    assert code
    assert shown
    shutil.copytree(ROOT / "plans", tmp_path / "plans")
    done = subprocess.run(
        [sys.executable, "-c", code.group(1)], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == shown.group(1)

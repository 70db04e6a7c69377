"""``planctl init`` makes a plan repository; ``planctl new`` writes a header that finds the schema.

Every file init writes is used as its reader would: the plan validates and lints, its
header names a schema that exists, the pre-commit hooks are this repository's, and the
workflow's comment step, run in bash against a stand-in ``gh``, posts one comment and
then edits it instead of posting another.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from planctl.api.scaffold import COMMENT_MARKER
from planctl.cli import app

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent  # where the installed planctl command is
EXPECTED = {
    "plans/my-plan.yaml",
    "schema/plan.schema.json",
    "planctl.toml",
    ".gitignore",
    ".pre-commit-config.yaml",
    ".github/workflows/plans.yml",
}

runner = CliRunner()


def run(cwd: Path, *args: str) -> tuple[int, str]:
    old = Path.cwd()
    os.chdir(cwd)
    try:
        result = runner.invoke(app, list(args))
    finally:
        os.chdir(old)
    return result.exit_code, result.output


def files_under(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() or p.is_symlink()}


def header_target(plan: Path) -> Path:
    first = plan.read_text(encoding="utf-8").splitlines()[0]
    prefix = "# yaml-language-server: $schema="
    assert first.startswith(prefix), first
    return (plan.parent / first[len(prefix) :]).resolve()


def test_init_makes_a_repository_whose_plans_validate_and_lint(tmp_path: Path) -> None:
    code, out = run(tmp_path, "init")
    assert code == 0, out
    assert files_under(tmp_path) == EXPECTED  # and nothing else: no lock or temporary file
    plan = tmp_path / "plans" / "my-plan.yaml"
    assert header_target(plan) == (tmp_path / "schema" / "plan.schema.json").resolve()
    code, schema = run(tmp_path, "schema")
    assert (tmp_path / "schema" / "plan.schema.json").read_text(encoding="utf-8") == schema
    assert run(tmp_path, "validate")[0] == 0
    code, out = run(tmp_path, "lint", "--as-of", "2026-01-05")
    assert code == 0, out
    gitignore = (tmp_path / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert {".planctl_cache/", ".*.lock", ".*.tmp-*"} <= set(gitignore)


def test_the_starter_plan_renders_an_easy_read_handout_without_draft(tmp_path: Path) -> None:
    """A fresh repository's first handout passes the easy-read gate (issue 19): its example
    action has easy_read words, so a new team sees the handout, not a refusal."""
    assert run(tmp_path, "init")[0] == 0
    out_file = tmp_path / "handout.md"
    code, out = run(
        tmp_path,
        "render",
        "plans/my-plan.yaml",
        "-t",
        "easy-read.md",
        "--as-of",
        "2026-01-05",
        "-o",
        str(out_file),
    )
    assert code == 0, out
    assert "Say what we will do, in easy words." in out_file.read_text(encoding="utf-8")


def test_init_into_a_named_folder_it_creates(tmp_path: Path) -> None:
    code, out = run(tmp_path, "init", "council-plans", "--id", "send/2026", "--title", "SEND plan")
    assert code == 0, out
    made = tmp_path / "council-plans"
    assert "plans/send-2026.yaml" in files_under(made)
    assert "id: send/2026" in (made / "plans" / "send-2026.yaml").read_text(encoding="utf-8")
    assert files_under(tmp_path) == {f"council-plans/{f}" for f in files_under(made)}


def test_init_refuses_to_overwrite_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("node_modules/\n", encoding="utf-8")
    code, out = run(tmp_path, "init")
    assert code == 1
    assert ".gitignore" in out
    assert "nothing written" in out
    assert files_under(tmp_path) == {".gitignore"}
    assert (tmp_path / ".gitignore").read_text(encoding="utf-8") == "node_modules/\n"


def test_init_never_writes_through_a_symlinked_folder(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "plans").symlink_to(outside)
    code, out = run(repo, "init")
    assert code == 1
    assert "symlink" in out
    assert list(outside.iterdir()) == []
    assert files_under(repo) == {"plans"}


def test_init_refuses_a_bad_plan_id_or_repository(tmp_path: Path) -> None:
    assert run(tmp_path, "init", "--id", "no spaces")[0] == 1
    assert run(tmp_path, "init", "--planctl-repo", "https://example.org/x/y")[0] == 2
    assert files_under(tmp_path) == set()


def test_pre_commit_config_uses_this_repositorys_hooks(tmp_path: Path) -> None:
    assert run(tmp_path, "init", "--planctl-repo", "someone/planctl-fork", "--planctl-rev", "v9")[0] == 0
    config = yaml.safe_load((tmp_path / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    (repo,) = config["repos"]
    assert repo["repo"] == "https://github.com/someone/planctl-fork"
    assert repo["rev"] == "v9"
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert {h["id"] for h in repo["hooks"]} <= {h["id"] for h in hooks}
    workflow = yaml.safe_load((tmp_path / ".github/workflows/plans.yml").read_text(encoding="utf-8"))
    uses = [s.get("uses") for s in workflow["jobs"]["plans"]["steps"]]
    assert "someone/planctl-fork@v9" in uses


@pytest.mark.parametrize("depth", [["plans"], ["plans", "2025", "q1"], ["elsewhere"]])
def test_new_writes_a_header_that_finds_the_schema_at_any_depth(tmp_path: Path, depth: list[str]) -> None:
    """The old header always said ../schema/plan.schema.json, which nothing created."""
    (tmp_path / "planctl.toml").write_text('select = ["ALL"]\n', encoding="utf-8")
    folder = tmp_path.joinpath(*depth)
    folder.mkdir(parents=True)
    plan = folder / "x.yaml"
    code, out = run(tmp_path, "new", str(plan.relative_to(tmp_path)), "--id", "x", "--title", "X")
    assert code == 0, out
    schema = header_target(plan)
    assert schema == (tmp_path / "schema" / "plan.schema.json").resolve()
    assert "sections" in json.loads(schema.read_text(encoding="utf-8"))["properties"]
    # a second plan finds the schema there and does not write it again
    code, out = run(folder, "new", "y.yaml", "--id", "y", "--title", "Y")
    assert code == 0, out
    assert "schema" not in out
    assert header_target(folder / "y.yaml") == schema


def _git(cwd: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t"}
    env["GIT_COMMITTER_EMAIL"] = "t@t"
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env=env, check=True)
    return done.stdout


FAKE_GH = """#!/bin/sh
# A stand-in for GitHub's gh: logs each call; lists the comment once one was posted.
echo "$*" >> "$GH_LOG"
case "$*" in
  *--paginate*) if [ -f "$GH_STATE" ]; then echo 4242; fi ;;
  *"--method POST"*) touch "$GH_STATE" ;;
esac
"""


def test_the_workflow_keeps_one_pull_request_comment(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    assert run(repo, "init")[0] == 0
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "start")
    base = _git(repo, "rev-parse", "HEAD").strip()
    plan = repo / "plans" / "my-plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("March 2026", "June 2026"), encoding="utf-8")

    workflow = yaml.safe_load((repo / ".github/workflows/plans.yml").read_text(encoding="utf-8"))
    (step,) = [s for s in workflow["jobs"]["plans"]["steps"] if "gh api" in s.get("run", "")]
    assert "pull_request" in step["if"]
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "gh").write_text(FAKE_GH, encoding="utf-8")
    (fake / "gh").chmod(0o755)
    log = tmp_path / "gh.log"
    env = {
        **os.environ,
        "PATH": f"{fake}{os.pathsep}{BIN}{os.pathsep}{os.environ['PATH']}",
        "GH_LOG": str(log),
        "GH_STATE": str(tmp_path / "posted"),
        "RUNNER_TEMP": str(tmp_path),
        "GITHUB_REPOSITORY": "council/plans",
        "BASE": base,
        "PR": "7",
    }
    for _ in range(3):  # three pushes to the pull request
        done = subprocess.run(
            ["bash", "-e", "-c", step["run"]], cwd=repo, env=env, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stderr
    calls = log.read_text(encoding="utf-8").splitlines()
    writes = [c for c in calls if "--method" in c]
    assert [w.split()[2] for w in writes] == ["POST", "PATCH", "PATCH"]
    assert "repos/council/plans/issues/7/comments" in writes[0]
    assert "repos/council/plans/issues/comments/4242" in writes[1]
    assert f"body={COMMENT_MARKER}" in writes[0]
    assert "slipped" in (tmp_path / "plans-diff.md").read_text(encoding="utf-8").lower()

"""Issue 21's "done when", as a new user would try it, end to end.

In an empty folder: ``planctl init``, ``git init``, commit, then a wrong key in the plan.
pre-commit's hooks (run as pre-commit runs them: this repository's
.pre-commit-hooks.yaml entries on the staged files matching each hook's ``files``), the
workflow's lint command (the Action's script with the workflow's inputs) and
yaml-language-server all point at the same line. ``planctl due`` works from ``plans/``,
completion offers the item ids, and ``git status`` never shows a lock file.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import yaml

from test_action import run_step
from test_editor import LanguageServer

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def sh(cwd: Path, *args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    git_env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@t",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@t",
    }
    full = {**os.environ, **git_env, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "NO_COLOR": "1"}
    return subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True, check=False, env=full | (env or {})
    )


def pre_commit_hooks(repo: Path) -> list[tuple[str, subprocess.CompletedProcess[str]]]:
    """Each configured hook, run as pre-commit does: ``entry`` plus the staged files that
    match ``files`` (unless ``pass_filenames: false``), from the repository's root."""
    config = yaml.safe_load((repo / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    shipped = {
        h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    }
    staged = sh(repo, "git", "diff", "--cached", "--name-only").stdout.split()
    ran = []
    for hook_ref in config["repos"][0]["hooks"]:
        hook = shipped[hook_ref["id"]]
        files = [f for f in staged if re.search(hook.get("files", ""), f)]
        if not files:
            continue
        args = shlex.split(hook["entry"]) + (files if hook.get("pass_filenames", True) else [])
        ran.append((hook["id"], sh(repo, *args)))
    return ran


def test_adopt_in_an_afternoon(tmp_path: Path) -> None:
    repo = tmp_path / "council-plans"
    repo.mkdir()
    assert sh(repo, "planctl", "init").returncode == 0
    assert sh(repo, "git", "init", "-q", "-b", "main").returncode == 0
    assert sh(repo, "git", "add", "-A").returncode == 0
    assert sh(repo, "git", "commit", "-q", "-m", "Our first plan").returncode == 0

    # planctl due from plans/, and completion of item ids there
    due = sh(repo / "plans", "planctl", "due", "--before", "2026-04", "--as-of", "2026-01-05")
    assert due.returncode == 0, due.stderr
    assert "1.1" in due.stdout
    offered = sh(
        repo / "plans",
        "planctl",
        env={"_PLANCTL_COMPLETE": "complete_bash", "COMP_WORDS": "planctl show 1.", "COMP_CWORD": "2"},
    )
    assert "1.1" in offered.stdout.split(), offered.stdout + offered.stderr

    # an edit: a status and a note, then a wrong key, staged for commit
    assert sh(repo, "planctl", "update", "1.1", "--status", "amber", "--date", "2026-01-05").returncode == 0
    plan = repo / "plans" / "my-plan.yaml"
    text = plan.read_text(encoding="utf-8").replace("owners: []\n", "owners: []\ndeadline: 2026\n")
    plan.write_text(text, encoding="utf-8")
    wrong = 1 + text.splitlines().index("deadline: 2026")
    assert sh(repo, "git", "add", "-A").returncode == 0
    assert sh(repo, "git", "status", "--porcelain").stdout.splitlines() == ["M  plans/my-plan.yaml"]

    # pre-commit's hooks
    hooks = pre_commit_hooks(repo)
    assert [h for h, _ in hooks] == ["planctl-validate", "planctl-lint"]
    for hook, done in hooks:
        assert done.returncode == 1, (hook, done.stdout, done.stderr)
        assert f"plans/my-plan.yaml:{wrong}:1: error" in done.stdout, (hook, done.stdout)

    # the workflow's lint command: the Action's script with the workflow's inputs
    workflow = yaml.safe_load((repo / ".github/workflows/plans.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["plans"]["steps"]
    (action,) = [s for s in steps if "uses" in s and not s["uses"].startswith("actions/")]
    inputs = {k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in action["with"].items()}
    annotations = run_step("Lint plans", repo, tmp_path, **inputs)
    assert annotations.returncode == 1
    assert f"::error file=plans/my-plan.yaml,line={wrong}," in annotations.stdout
    sarif = run_step("SARIF for code scanning", repo, tmp_path, **inputs)
    assert sarif.returncode == 0, sarif.stderr
    assert f'"startLine": {wrong}' in (tmp_path / "planctl.sarif").read_text(encoding="utf-8")

    # the editor
    server = LanguageServer(repo)
    try:
        found = server.diagnostics(plan)
    finally:
        server.close()
    assert [d["range"]["start"]["line"] + 1 for d in found] == [wrong], found

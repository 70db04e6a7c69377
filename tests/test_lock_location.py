"""Lock files never show in ``git status``: inside a repository they live in its git folder.

A plan repository made by hand (no .gitignore from ``planctl init``) is edited with every
command that writes a plan; ``git status --porcelain`` lists only the plans themselves.
The lock still excludes: a second planctl waits for a lock held elsewhere.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from filelock import FileLock

from planctl.store.safewrite import lock_path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "example-plan.yaml"


def git(cwd: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t"}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"}
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True).stdout


def planctl(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "planctl", *args], cwd=cwd, capture_output=True, text=True, check=False
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "plans").mkdir(parents=True)
    (root / "schema").mkdir()
    shutil.copy(ROOT / "schema" / "plan.schema.json", root / "schema")
    shutil.copy(EXAMPLE, root / "plans" / "example.yaml")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "plans")
    return root


def untracked(repo: Path) -> list[str]:
    return git(repo, "status", "--porcelain", "--untracked-files=all").splitlines()


EDITS = [
    ["update", "A1", "--status", "green", "--note", "Checked"],
    ["add", "priority-1-1", "--title", "Hold a jobs fair."],
    ["fmt"],
]


def test_no_edit_leaves_a_file_git_sees(repo: Path) -> None:
    done = planctl(repo, "new", "plans/second.yaml", "--id", "second", "--title", "Second")
    assert done.returncode == 0, done.stderr
    assert untracked(repo) == ["?? plans/second.yaml"]
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "second")
    for edit in EDITS:
        plan = repo / "plans" / "example.yaml"
        (repo / "plans" / "second.yaml").write_text(
            (repo / "plans" / "second.yaml").read_text(encoding="utf-8") + "\n\n", encoding="utf-8"
        )
        done = planctl(repo, *edit)
        assert done.returncode == 0, done.stderr
        assert {line[3:] for line in untracked(repo)} <= {"plans/example.yaml", "plans/second.yaml"}, edit
        assert all(line.startswith(" M") for line in untracked(repo)), untracked(repo)
        assert plan.exists()
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", " ".join(edit))
    committed = git(repo, "ls-files").split()
    assert sorted(committed) == ["plans/example.yaml", "plans/second.yaml", "schema/plan.schema.json"]
    assert list((repo / ".git" / "planctl-locks").iterdir())  # the locks are there instead


def test_a_linked_worktree_keeps_its_locks_in_its_git_folder(repo: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    git(repo, "worktree", "add", "-q", str(other))
    done = planctl(other, "update", "A1", "--status", "green")
    assert done.returncode == 0, done.stderr
    assert untracked(other) == [" M plans/example.yaml"]
    assert lock_path(other / "plans" / "example.yaml").is_relative_to(repo / ".git" / "worktrees")


def test_the_lock_in_the_git_folder_still_excludes(repo: Path) -> None:
    plan = repo / "plans" / "example.yaml"
    lock = FileLock(str(lock_path(plan)), thread_local=False)
    lock.acquire()
    timer = threading.Timer(1.5, lock.release)
    started = time.monotonic()
    timer.start()
    try:
        done = planctl(repo / "plans", "update", "A1", "--status", "green")
    finally:
        timer.join()
    assert done.returncode == 0, done.stderr
    assert time.monotonic() - started >= 1.5  # it waited for the lock held here
    assert "status: green" in plan.read_text(encoding="utf-8")


def test_outside_a_repository_the_lock_stays_beside_the_file(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    assert lock_path(plan) == tmp_path / ".plan.yaml.lock"

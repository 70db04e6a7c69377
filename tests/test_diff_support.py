"""A real, throwaway git repository for the diff and history tests (no tests here)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "example-plan.yaml"
OXON_LD = ROOT / "plans" / "oxfordshire-ld-plan-2025-2035.yaml"


def git_env(home: Path) -> dict[str, str]:
    """Isolated from the user's git config, with a fixed identity."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="Pat Officer",
        GIT_AUTHOR_EMAIL="pat@example.org",
        GIT_COMMITTER_NAME="Pat Officer",
        GIT_COMMITTER_EMAIL="pat@example.org",
        HOME=str(home),
    )
    return env


class Repo:
    def __init__(self, path: Path, env: dict[str, str]) -> None:
        self.path = path
        self.env = env

    def git(self, *args: str) -> str:
        done = subprocess.run(
            ["git", *args], cwd=self.path, env=self.env, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def write(self, rel: str, text: str) -> None:
        (self.path / rel).parent.mkdir(parents=True, exist_ok=True)
        (self.path / rel).write_text(text, encoding="utf-8")

    def copy(self, source: Path, rel: str) -> None:
        (self.path / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, self.path / rel)

    def edit(self, rel: str, old: str, new: str, *, regex: bool = False) -> None:
        """Replace text that must occur exactly once, so a changed source fails loudly."""
        path = self.path / rel
        text = path.read_text(encoding="utf-8")
        if regex:
            updated, n = re.subn(old, new, text, flags=re.S)
        else:
            n = text.count(old)
            updated = text.replace(old, new)
        assert n == 1, f"expected one {old!r} in {rel}, found {n}"
        path.write_text(updated, encoding="utf-8")

    def commit(self, message: str, when: str, author: str = "Pat Officer") -> str:
        self.git("add", "-A")
        env_date = {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when, "GIT_AUTHOR_NAME": author}
        done = subprocess.run(
            ["git", "commit", "-q", "-m", message],
            cwd=self.path,
            env={**self.env, **env_date},
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return self.git("rev-parse", "--short", "HEAD").strip()


def make_repo(path: Path, home: Path) -> Repo:
    """main holds the example plan and the Oxfordshire LD plan, one commit."""
    path.mkdir()
    repo = Repo(path, git_env(home))
    repo.git("init", "-q", "-b", "main")
    repo.copy(EXAMPLE, "plans/example.yaml")
    repo.copy(OXON_LD, "plans/oxfordshire-ld.yaml")
    repo.commit("Plans as agreed in September", "2025-09-30T10:00:00+01:00")
    return repo

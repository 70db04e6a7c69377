"""Every ``planctl`` command in the README's ```sh blocks runs as written.

Each runs as a real process (through a shell, for the README's pipes and redirections)
from a temporary copy of the repository's plans, examples, templates, schema and
configuration, made into a tiny git repository on branch ``main`` so ``diff``,
``history`` and ``slippage`` have a history to read; nothing real is edited. A ``git``
line in a block (``git show HEAD:... > old.yaml``) is run too: it prepares the next one.
A command may exit 1 only where the README says it reports problems by its exit status.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from test_diff_support import git_env

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
COPIED = ("plans", "examples", "templates", "schema", "planctl.toml")
# Commands whose documented purpose is to exit 1 when they find something.
MAY_FAIL = ("--fail-if-any", "--strict", "--fail-on")


def sh_blocks(text: str) -> list[list[str]]:
    """The command lines of each ```sh block, comments dropped, continuations joined."""
    blocks = []
    for body in re.findall(r"^```sh\n(.*?)^```", text, flags=re.S | re.M):
        joined = re.sub(r"\\\n\s*", " ", body)
        lines = [re.sub(r"\s+#\s.*$", "", line).strip() for line in joined.splitlines()]
        blocks.append([line for line in lines if line.startswith(("planctl ", "git ", "mkdir -p "))])
    return [b for b in blocks if any(line.startswith("planctl ") for line in b)]


BLOCKS = sh_blocks(README.read_text(encoding="utf-8"))


def test_the_readme_has_examples_to_run() -> None:
    commands = [line for block in BLOCKS for line in block if line.startswith("planctl ")]
    assert len(commands) >= 40
    for name in ("validate", "due", "show", "diff", "history", "update", "add", "export", "render", "lint"):
        assert any(c.startswith(f"planctl {name} ") for c in commands), name


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    work = tmp_path_factory.mktemp("readme")
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, work / name)
        else:
            shutil.copy(source, work / name)
    env = git_env(tmp_path_factory.mktemp("home"))
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "plans"]):
        subprocess.run(["git", *args], cwd=work, env=env, check=True, capture_output=True)
    bin_dir = str(Path(sys.executable).parent)  # the planctl of this environment
    env = {**env, "PATH": bin_dir + os.pathsep + env.get("PATH", ""), "NO_COLOR": "1"}
    return work, env


def _run_block(block: list[str], work: Path, env: dict[str, str]) -> list[tuple[str, int, str]]:
    results = []
    for line in block:
        done = subprocess.run(
            ["bash", "-c", line], cwd=work, env=env, capture_output=True, text=True, timeout=120
        )
        results.append((line, done.returncode, done.stdout + done.stderr))
    return results


def test_every_readme_command_runs(workdir: tuple[Path, dict[str, str]]) -> None:
    work, env = workdir
    has_jq = shutil.which("jq") is not None
    blocks = [[line for line in b if has_jq or "| jq" not in line] for b in BLOCKS]
    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = [r for rs in pool.map(lambda b: _run_block(b, work, env), blocks) for r in rs]
    failures = []
    for line, code, output in outcomes:
        allowed = {0, 1} if any(m in line for m in MAY_FAIL) else {0}
        if "Traceback" in output or code not in allowed:
            failures.append(f"{line}\n  exit {code}\n  {output[-600:]}")
    assert not failures, "\n".join(failures)
    # Nothing real was edited: the copied plans are as committed.
    status = subprocess.run(
        ["git", "status", "--porcelain", "--", *COPIED], cwd=work, env=env, capture_output=True, text=True
    )
    assert status.stdout == "", status.stdout

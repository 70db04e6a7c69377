"""A cloned repository may be hostile: symlinks, FIFOs, devices and traversal ids in it
never make planctl write outside its folder, read what it should not, hang or balloon.

Symlinks to devices and FIFOs cannot live in git portably, so each hostile repository is
built here from the shipped plans plus the trick under test; the run is a real
``planctl`` process with a memory cap and a time-out, so a regression fails instead of
taking the machine down.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from planctl.store.layout import CACHE_DIR

ROOT = Path(__file__).resolve().parents[1]
AS_OF = ["--as-of", "2026-11-24"]
MEMORY_CAP = 1536 * 1024 * 1024  # far above what any of these runs needs


def _cap_memory() -> None:  # pragma: no cover - runs in the child
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def planctl(cwd: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run the real command in ``cwd``, capped at 1.5 GiB and ``timeout`` seconds."""
    return subprocess.run(
        [sys.executable, "-m", "planctl", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=_cap_memory,
        env={**os.environ, "NO_COLOR": "1"},
        check=False,
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A plan repository: the shipped plans in ``repo/plans``, with a folder beside it
    that nothing planctl does may touch."""
    root = tmp_path / "repo"
    shutil.copytree(ROOT / "plans", root / "plans")
    (tmp_path / "outside").mkdir()
    return root


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# --- the cache --------------------------------------------------------------------


def test_a_cache_marker_that_is_a_symlink_is_not_written_through(repo: Path) -> None:
    victim = repo.parent / "outside" / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    (repo / CACHE_DIR).mkdir()
    (repo / CACHE_DIR / ".gitignore").symlink_to(victim)
    done = planctl(repo, "due", "--before", "2026-04", *AS_OF)
    assert done.returncode == 0, done.stderr
    assert "items due before April 2026" in done.stdout
    assert victim.read_text(encoding="utf-8") == "precious\n"


def test_a_cache_folder_that_is_a_symlink_is_not_used(repo: Path) -> None:
    elsewhere = repo.parent / "outside"
    (repo / CACHE_DIR).symlink_to(elsewhere, target_is_directory=True)
    for question in (["due", "--before", "2026-04"], ["lint"]):
        done = planctl(repo, *question, *AS_OF)
        assert done.returncode in (0, 1), done.stderr
    assert list(elsewhere.iterdir()) == []


@pytest.mark.parametrize("trick", ["dev-zero", "fifo", "folder-link"])
def test_cache_entries_that_are_not_files_are_misses(repo: Path, trick: str) -> None:
    """Each entry replaced by a link to /dev/zero, a FIFO, or its folder by a link
    elsewhere: the answer is the same, in seconds, and nothing is read past an entry."""
    first = planctl(repo, "due", "--before", "2026-04", *AS_OF)
    assert first.returncode == 0, first.stderr
    entries = sorted((repo / CACHE_DIR / "rows").rglob("*.json"))
    assert len(entries) == 5
    for entry in entries:
        if trick == "folder-link":
            shutil.rmtree(entry.parent, ignore_errors=True)
            if not entry.parent.exists():
                entry.parent.symlink_to(repo.parent / "outside", target_is_directory=True)
            continue
        entry.unlink()
        if trick == "dev-zero":
            entry.symlink_to("/dev/zero")
        else:
            os.mkfifo(entry)
    again = planctl(repo, "due", "--before", "2026-04", *AS_OF, timeout=60)
    assert again.returncode == 0, again.stderr
    assert again.stdout == first.stdout
    assert list((repo.parent / "outside").iterdir()) == []


# --- special files among the plans ------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [["validate"], ["lint"], ["due", "--before", "2026-04"], ["fmt", "--check"], ["fmt"]],
    ids=" ".join,
)
def test_a_fifo_named_like_a_plan_is_named_and_skipped(repo: Path, question: list[str]) -> None:
    """A FIFO named ``*.yaml`` used to hang every command forever."""
    os.mkfifo(repo / "plans" / "pipe.yaml")
    done = planctl(repo, *question, *AS_OF[: 2 if question[0] in ("due", "lint") else 0], timeout=60)
    assert done.returncode == 1, done.stdout + done.stderr
    said = done.stdout + done.stderr
    assert "plans/pipe.yaml" in said
    assert "named pipe (FIFO)" in said
    assert "Traceback" not in said
    if question[0] == "due":
        assert "items due before April 2026" in done.stdout  # the other plans still answer


def test_a_followed_link_to_a_device_is_refused_not_read(repo: Path) -> None:
    """With --follow-symlinks a link to /dev/zero reached 3 GB and a traceback."""
    (repo / "plans" / "zero.yaml").symlink_to("/dev/zero")
    for question in (["validate", "--follow-symlinks"], ["due", "--follow-symlinks", *AS_OF]):
        done = planctl(repo, *question, timeout=60)
        assert done.returncode == 1, done.stderr
        said = done.stdout + done.stderr
        assert "plans/zero.yaml:1:1" in said
        assert "character device, not a regular file" in said
        assert "Traceback" not in said


def test_a_fifo_named_like_the_configuration_does_not_hang(repo: Path) -> None:
    os.mkfifo(repo / "planctl.toml")
    done = planctl(repo, "lint", *AS_OF, timeout=60)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "planctl.toml: cannot read: it is a named pipe (FIFO), not a regular file" in done.stderr


# --- the configuration --------------------------------------------------------------


def test_an_invalid_pyproject_that_configures_planctl_is_reported(repo: Path) -> None:
    """It used to be ignored silently, so its settings did not apply and nobody knew."""
    (repo / "pyproject.toml").write_text("[tool.planctl]\nselect = [1,,]\n", encoding="utf-8")
    done = planctl(repo, "lint", *AS_OF)
    assert done.returncode == 2
    assert "pyproject.toml: not valid TOML" in done.stderr
    assert "(at line 2, column" in done.stderr


def test_a_broken_pyproject_of_another_tool_is_not_planctls_business(repo: Path) -> None:
    (repo / "pyproject.toml").write_text("[tool.black\n", encoding="utf-8")
    done = planctl(repo, "lint", *AS_OF)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (
            "[rules.stale-status]\nmax_age_days = 100000000000000000000\n",
            "rules.stale-status.max_age_days: expected a whole number up to 1,000,000",
        ),
        ("x = " + "[" * 5000 + "]" * 5000 + "\n", "planctl.toml: not valid TOML"),
    ],
    ids=["huge-number", "deep-nesting"],
)
def test_an_absurd_configuration_is_a_located_error(repo: Path, config: str, message: str) -> None:
    (repo / "planctl.toml").write_text(config, encoding="utf-8")
    done = planctl(repo, "lint", *AS_OF)
    assert done.returncode == 2, done.stdout + done.stderr
    assert message in done.stderr
    assert "Traceback" not in done.stderr

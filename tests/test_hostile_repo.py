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

from planctl import cache

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
    (repo / cache.CACHE_DIR).mkdir()
    (repo / cache.CACHE_DIR / ".gitignore").symlink_to(victim)
    done = planctl(repo, "due", "--before", "2026-04", *AS_OF)
    assert done.returncode == 0, done.stderr
    assert "items due before April 2026" in done.stdout
    assert victim.read_text(encoding="utf-8") == "precious\n"


def test_a_cache_folder_that_is_a_symlink_is_not_used(repo: Path) -> None:
    elsewhere = repo.parent / "outside"
    (repo / cache.CACHE_DIR).symlink_to(elsewhere, target_is_directory=True)
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
    entries = sorted((repo / cache.CACHE_DIR / "rows").rglob("*.json"))
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

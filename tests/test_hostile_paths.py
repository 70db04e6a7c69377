"""Files outside the repository: ids that become paths, templates and pictures that
reach out of their folders, templates without a budget, and ``--out`` on special files.

Most cases are data: ``tests/data/hostile/cases.yaml`` describes each hostile repository
(files, symlinks, FIFOs, the command and what must happen), and
:func:`test_hostile_repository` builds it in ``tmp_path`` and runs the real command in a
subprocess with a memory cap and a time-out (symlinks to ``/`` and FIFOs are never
committed: tools walking the tree would follow them). The rest need a reader on the other
end of a pipe, or a clock.
"""

from __future__ import annotations

import base64
import os
import resource
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from planctl.cli import app
from planctl.render import engine as render

ROOT = Path(__file__).resolve().parents[1]
CASES: list[dict[str, Any]] = yaml.safe_load((ROOT / "tests/data/hostile/cases.yaml").read_text("utf-8"))[
    "cases"
]
MEMORY_CAP = 1536 * 1024 * 1024  # far above what any of these runs needs
EXAMPLE = ROOT / "examples" / "example-plan.yaml"


def _cap_memory() -> None:  # pragma: no cover - runs in the child
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def planctl(cwd: Path, *args: str, timeout: float = 60, **kw: Any) -> subprocess.CompletedProcess[str]:
    """Run the real command in ``cwd``, capped at 1.5 GiB and ``timeout`` seconds."""
    kw.setdefault("capture_output", True)
    return subprocess.run(
        [sys.executable, "-m", "planctl", *args],
        cwd=cwd,
        text=True,
        timeout=timeout,
        preexec_fn=_cap_memory,
        env={**os.environ, "NO_COLOR": "1"},
        check=False,
        **kw,
    )


def _build(repo: Path, case: dict[str, Any]) -> None:
    repo.mkdir()
    (repo.parent / "outside").mkdir()
    for folder in case.get("dirs", []):
        (repo / folder).mkdir(parents=True, exist_ok=True)
    for name, text in case.get("files", {}).items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text, encoding="utf-8")
    for name, size in case.get("big_files", {}).items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_bytes(b"x" * size)
    for name, target in case.get("symlinks", {}).items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).symlink_to(target)
    for name in case.get("fifos", []):
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(repo / name)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_hostile_repository(tmp_path: Path, case: dict[str, Any]) -> None:
    repo = tmp_path / "repo"
    _build(repo, case)
    done = planctl(repo, *case["run"], timeout=case.get("timeout", 60))
    said = f"exit {done.returncode}\nstdout: {done.stdout[:2000]}\nstderr: {done.stderr[:2000]}"
    assert done.returncode == case["exit"], said
    assert "Traceback" not in done.stderr, said
    for fragment in case.get("stderr_has", []):
        assert fragment in done.stderr, said
    for fragment in case.get("stdout_has", []):
        assert fragment in done.stdout, said
    for fragment in case.get("stdout_lacks", []):
        assert fragment not in done.stdout, said
    for text in case.get("stdout_lacks_base64", []):
        assert base64.b64encode(text.encode("utf-8")).decode("ascii") not in done.stdout, said
    for name in case.get("unchanged", []):
        assert (repo / name).read_text(encoding="utf-8") == case["files"][name], name
    for name in case.get("absent", []):
        assert not (repo / name).exists(), name
    for name in case.get("present", []):
        assert (repo / name).is_file(), name
    for name in case.get("fifos", []):
        assert stat.S_ISFIFO(os.lstat(repo / name).st_mode), f"{name} is no longer a FIFO"


# --- --out on special files -------------------------------------------------------------


def test_out_into_a_fifo_writes_into_it(tmp_path: Path) -> None:
    """It used to rename a regular file over the FIFO: the reader got nothing."""
    pipe = tmp_path / "pipe.md"
    os.mkfifo(pipe)
    got: list[bytes] = []

    def read() -> None:
        with pipe.open("rb") as fh:
            got.append(fh.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    done = planctl(ROOT, "render", str(EXAMPLE), "-t", "plan.md", "--as-of", "2026-01-01", "--out", str(pipe))
    reader.join(timeout=30)
    assert done.returncode == 0, done.stderr
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode)
    assert got
    assert got[0].startswith(b"# ")
    assert (
        got[0]
        == planctl(ROOT, "render", str(EXAMPLE), "-t", "plan.md", "--as-of", "2026-01-01").stdout.encode()
    )


@pytest.mark.parametrize(
    "command",
    [["export", "--format", "csv"], ["render", "-t", "plan.md", "--as-of", "2026-01-01"], ["schema"]],
)
def test_out_dev_null_stays_a_device(command: list[str]) -> None:
    """As root the old rename would have replaced /dev/null with a regular file."""
    paths = [str(EXAMPLE)] if command[0] != "schema" else []
    done = planctl(ROOT, *command, *paths, "--out", "/dev/null")
    assert done.returncode == 0, done.stderr
    assert stat.S_ISCHR(os.lstat("/dev/null").st_mode)
    assert done.stdout == ""


def test_out_dev_stdout_on_a_pipe() -> None:
    """It failed: the temporary file could not be made beside /proc/self/fd/1."""
    done = planctl(
        ROOT, "export", str(EXAMPLE), "--format", "csv", "--as-of", "2026-01-01", "--out", "/dev/stdout"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("plan,")
    assert (
        done.stdout
        == planctl(ROOT, "export", str(EXAMPLE), "--format", "csv", "--as-of", "2026-01-01").stdout
    )


def test_out_on_a_block_device_is_refused(tmp_path: Path) -> None:
    device = tmp_path / "disk"
    try:
        os.mknod(device, stat.S_IFBLK | 0o600, os.makedev(7, 0))
    except (PermissionError, OSError):
        pytest.skip("cannot make a block device node here (not root)")
    done = planctl(ROOT, "export", str(EXAMPLE), "--out", str(device))
    assert done.returncode == 2, done.stderr
    assert f"--out {device} is a block device" in done.stderr
    assert stat.S_ISBLK(os.lstat(device).st_mode)


# --- the template clock -------------------------------------------------------------------


def test_a_template_over_its_time_budget_stops_with_its_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Loops that print nothing are stopped by the clock, not by the output cap."""
    monkeypatch.setattr(render, "TIME_BUDGET_SECONDS", 1.0)
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "slow.md").write_text(
        "start\n{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}\n",
        encoding="utf-8",
    )
    began = time.monotonic()
    result = CliRunner().invoke(
        app, ["render", str(EXAMPLE), "-t", "slow.md", "--templates", str(mine), "--as-of", "2026-01-01"]
    )
    assert result.exit_code == 1, result.output
    assert "slow.md:2: stopped: the template ran for more than 1 seconds" in result.stderr
    assert time.monotonic() - began < 15

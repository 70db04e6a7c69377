"""Odd places, odd days and odd files give a located message and exit 1 or 2, never a traceback.

Each case runs the real ``planctl`` process: git commands outside a repository, a clock
at the end of time (``--as-of 9999-12-31``), a lock file that is not a file, a read-only
plans folder, a full or closed stdout, huge CSV fields and broken workbooks; and a
root-run ``update`` keeps the plan file's owner.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "example-plan.yaml"
SEND = ROOT / "plans" / "oxfordshire-send-pap-2024.yaml"
AS_OF = ["--as-of", "2026-11-24"]


def planctl(cwd: Path, *args: str, stdout: int | None = subprocess.PIPE) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "planctl", *args],
        cwd=cwd,
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
        env={**os.environ, "NO_COLOR": "1", "GIT_CEILING_DIRECTORIES": str(cwd.parent)},
        check=False,
    )


def assert_clean_failure(done: subprocess.CompletedProcess[str], status: int) -> None:
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == status, done.stderr
    assert done.stderr.startswith("planctl"), done.stderr


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "plans").mkdir(parents=True)
    text = EXAMPLE.read_text(encoding="utf-8")
    text = text.replace("recurrence: every 6 to 8 weeks", "recurrence: every 6 weeks starting April 2026")
    (root / "plans" / "example.yaml").write_text(text, encoding="utf-8")
    shutil.copy(SEND, root / "plans" / "send.yaml")
    return root


# --- git commands outside a repository ------------------------------------------------


@pytest.mark.parametrize("question", [["diff"], ["diff", "HEAD~1"], ["history", "A1"], ["slippage"]])
def test_git_commands_outside_a_repository_say_so(repo: Path, question: list[str]) -> None:
    done = planctl(repo, *question)
    assert_clean_failure(done, 2)
    assert "not inside a git repository" in done.stderr


# --- the end of time ------------------------------------------------------------------


@pytest.mark.parametrize("as_of", ["9999-12-31", "9999-12-01"])
@pytest.mark.parametrize(
    "question",
    [
        ["due"],
        ["upcoming", "--within", "1y"],
        ["upcoming", "--within", "3m"],
        ["overdue"],
        ["list"],
        ["show", "A2"],
        ["lint"],
        ["render", "plans/example.yaml", "-t", "plan.md"],
        ["render", "plans/example.yaml", "-t", "board-report.md"],
        ["export", "--format", "ics"],
        ["export", "--format", "json"],
    ],
)
def test_an_as_of_at_the_end_of_time_is_answered(repo: Path, question: list[str], as_of: str) -> None:
    done = planctl(repo, *question, "--as-of", as_of)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode in (0, 1), done.stderr


def test_a_day_past_the_end_of_time_is_a_usage_error(repo: Path) -> None:
    done = planctl(repo, "due", "--before", "+1y", "--as-of", "9999-12-31")
    assert_clean_failure(done, 2)
    assert "out of range" in done.stderr


# --- lock files and folders -----------------------------------------------------------

EDITS = {
    "update": ["update", "A1", "--status", "green"],
    "add": ["add", "priority-1-1", "--title", "A new action"],
    "fmt": ["fmt"],
    "import": [
        "import",
        "items.csv",
        "--plan",
        "example-council-ld-plan-2025-2027",
        "--section",
        "priority-1-1",
    ],
}


def _plan_id_file(repo: Path) -> Path:
    """import finds a plan by file name: give the example its id as a name."""
    target = repo / "plans" / "example-council-ld-plan-2025-2027.yaml"
    (repo / "plans" / "example.yaml").rename(target)
    (repo / "items.csv").write_text("title,due\nA new action,March 2027\n", encoding="utf-8")
    return target


@pytest.mark.parametrize("edit", list(EDITS))
@pytest.mark.parametrize("odd", ["folder", "fifo", "dangling symlink"])
def test_an_odd_lock_file_is_a_message_and_nothing_written(repo: Path, edit: str, odd: str) -> None:
    plan = _plan_id_file(repo)
    plan.write_text(plan.read_text(encoding="utf-8") + "\n\n", encoding="utf-8")  # fmt has work to do
    lock = plan.with_name(f".{plan.name}.lock")
    if odd == "folder":
        lock.mkdir()
    elif odd == "fifo":
        os.mkfifo(lock)
    else:
        lock.symlink_to(repo / "nowhere" / "x.lock")
    before = plan.read_bytes()
    done = planctl(repo, *EDITS[edit])
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 1, done.stderr
    assert "lock file" in done.stderr
    assert "remove it" in done.stderr
    assert plan.read_bytes() == before


def test_a_lock_file_that_cannot_be_created_is_a_message(repo: Path) -> None:
    """A plan named with the longest name a folder allows: its lock name is too long.

    Runs as root too (unlike the read-only folder below): the system refuses the lock.
    """
    plan = repo / "plans" / ("x" * 250 + ".yaml")
    (repo / "plans" / "example.yaml").rename(plan)
    before = plan.read_bytes()
    done = planctl(repo, "update", "A1", "--status", "green")
    assert_clean_failure(done, 1)
    assert "cannot take its lock file" in done.stderr
    assert plan.read_bytes() == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only folder")
@pytest.mark.parametrize("edit", list(EDITS))
def test_a_read_only_plans_folder_is_a_message(repo: Path, edit: str) -> None:
    plan = _plan_id_file(repo)
    plan.write_text(plan.read_text(encoding="utf-8") + "\n\n", encoding="utf-8")
    before = plan.read_bytes()
    (repo / "plans").chmod(0o555)
    try:
        done = planctl(repo, *EDITS[edit])
    finally:
        (repo / "plans").chmod(0o755)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 1, done.stderr
    assert plan.read_bytes() == before


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to another user")
def test_a_root_run_update_keeps_the_files_owner(repo: Path) -> None:
    plan = repo / "plans" / "example.yaml"
    os.chown(plan, 1234, 5678)
    plan.chmod(0o640)
    done = planctl(repo, "update", "A1", "--status", "green")
    assert done.returncode == 0, done.stderr
    info = plan.stat()
    assert (info.st_uid, info.st_gid) == (1234, 5678)
    assert info.st_mode & 0o777 == 0o640
    assert "status: green" in plan.read_text(encoding="utf-8")


# --- stdout full or closed ------------------------------------------------------------


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
@pytest.mark.parametrize(
    "question",
    [["due", *AS_OF], ["due", "--format", "json", *AS_OF], ["validate"], ["show", "A1"], ["rules"]],
)
def test_a_full_disk_on_stdout_is_a_message(repo: Path, question: list[str]) -> None:
    with open("/dev/full", "w") as full:
        done = planctl(repo, *question, stdout=full.fileno())
    assert_clean_failure(done, 1)
    assert "cannot write the output: No space left on device" in done.stderr


@pytest.mark.parametrize("question", [["due", *AS_OF], ["list", "--format", "csv", *AS_OF], ["lint"]])
def test_a_closed_pipe_ends_quietly(repo: Path, question: list[str]) -> None:
    shell = f"{sys.executable} -m planctl {' '.join(question)} | head -c 1"
    done = subprocess.run(
        ["bash", "-o", "pipefail", "-c", shell],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert done.stderr == ""
    assert done.returncode == 0


# --- import: huge fields, broken workbooks ---------------------------------------------


def test_a_csv_field_over_the_csv_modules_limit_is_imported(repo: Path) -> None:
    long_title = "word " * 40_000  # 200,000 characters: over csv's default 131,072
    (repo / "big.csv").write_text(f"title,due\n{long_title},March 2027\n", encoding="utf-8")
    done = planctl(repo, "import", "big.csv", "--plan", "big", "--dry-run")
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 0, done.stderr
    assert "word word word" in done.stdout


def _workbook(repo: Path, kind: str) -> Path:
    path = repo / f"{kind}.xlsx"
    good = repo / "good.xlsx"
    done = planctl(repo, "export", "--format", "xlsx", "--out", str(good), *AS_OF)
    assert done.returncode == 0, done.stderr
    if kind == "truncated":
        path.write_bytes(good.read_bytes()[:3000])
    elif kind == "not a zip":
        path.write_text("title,due\nx,2026\n", encoding="utf-8")
    elif kind == "no workbook":
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("readme.txt", "hello")
    else:  # a sheet cut short
        with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w") as z:
            for name in src.namelist():
                data = src.read(name)
                z.writestr(name, data[: len(data) // 2] if "sheet1" in name else data)
    return path


@pytest.mark.parametrize("kind", ["truncated", "not a zip", "no workbook", "broken sheet"])
def test_a_broken_workbook_is_a_usage_error(repo: Path, kind: str) -> None:
    path = _workbook(repo, kind)
    done = planctl(repo, "import", path.name, "--plan", "imported")
    assert_clean_failure(done, 2)
    assert "not a readable Excel workbook" in done.stderr
    assert not (repo / "plans" / "imported.yaml").exists()

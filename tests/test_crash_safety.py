"""A killed ``planctl update`` leaves the old plan or the new one, never a torn file.

Real processes (``python -m planctl``), killed with SIGKILL: no ``finally`` runs, so
whatever is on disk afterwards is what a power cut or an OOM kill would leave.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pytest

from planctl.core.models import walk_items
from planctl.core.validate import load_text
from planctl.edit.operations import UpdateRequest, update_item
from planctl.store.safewrite import remove_stale_temps

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL and fork")

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "example-plan.yaml"
DAY = "2026-11-24"
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
TEMP = re.compile(r"\.example-plan\.yaml\.tmp-[a-z0-9_]{8}")


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    target = tmp_path / "plans" / "example-plan.yaml"
    target.parent.mkdir()
    shutil.copy(EXAMPLE, target)
    return target


def update_cmd(plan: Path, item: str, note: str) -> list[str]:
    return [sys.executable, "-m", "planctl", "update", item, "--note", note, "--date", DAY, str(plan)]


def expected_after(old: bytes, item: str, note: str) -> bytes:
    """The bytes a completed update writes: the pure edit applied to the old bytes."""
    req = UpdateRequest(date=dt.date.fromisoformat(DAY), note=note)
    return update_item(old.decode("utf-8"), "x", item, req).encode("utf-8")


def notes(text: str, item: str) -> list[str]:
    result = load_text(text, "x")
    assert result.plan is not None, result.problems
    found = next(loc.item for loc in walk_items(result.plan) if loc.item.id == item)
    return [u.note or "" for u in found.updates]


def visible(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))


def temps(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if TEMP.fullmatch(p.name))


def validate_folder(folder: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "planctl", "validate", str(folder)],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=30,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_sigkill_at_random_moments_leaves_old_or_new_file(plan: Path) -> None:
    """30 updates killed at seeded random moments: each leaves exactly the old or the new bytes."""
    runs = []
    for n in range(3):  # how long one update takes here, start-up included
        start = time.perf_counter()
        subprocess.run(update_cmd(plan, "A1", f"timing {n}"), env=ENV, check=True, capture_output=True)
        runs.append(time.perf_counter() - start)
    typical = statistics.median(runs)
    rng = random.Random(20261124)
    kept_notes = notes(plan.read_text(encoding="utf-8"), "A1")
    outcomes = {"old": 0, "new": 0}
    left_temp = 0
    for n in range(30):
        old = plan.read_bytes()
        note = f"kill test {n}"
        new = expected_after(old, "A1", note)
        proc = subprocess.Popen(
            update_cmd(plan, "A1", note), env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(
            rng.uniform(0, 2 * typical)
        )  # some finish (the write is at the end), even on a loaded machine
        proc.send_signal(signal.SIGKILL)  # a no-op if it has already finished
        proc.wait(30)
        now = plan.read_bytes()
        assert now in (old, new), f"kill {n}: the plan is neither the old nor the new version"
        if now == new:
            outcomes["new"] += 1
            kept_notes.append(note)
        else:
            outcomes["old"] += 1
        assert notes(now.decode("utf-8"), "A1") == kept_notes  # every earlier note is still there
        assert visible(plan.parent) == ["example-plan.yaml"]
        left_temp += len(temps(plan.parent))
        assert len(temps(plan.parent)) <= 1  # an orphan is cleared by the next run that writes
    # Both outcomes happen, so the kills really land before and after the write.
    print(f"{outcomes}, {left_temp} orphaned temporary file(s), typical run {typical:.2f} s")
    assert outcomes["old"] > 0, outcomes
    assert outcomes["new"] > 0, outcomes
    assert "1 file" in validate_folder(plan.parent)  # a hidden orphan is never read as a plan
    subprocess.run(update_cmd(plan, "A1", "after"), env=ENV, check=True, capture_output=True)
    assert temps(plan.parent) == []
    assert notes(plan.read_text(encoding="utf-8"), "A1") == [*kept_notes, "after"]


# A child that dies by SIGKILL at a chosen step of the write, so every step is covered,
# not only the ones random timing happens to hit.
_DIE_AT = """
import os, signal, sys
import planctl.store.safewrite as sw
step = sys.argv.pop(1)
real_fsync, real_replace = os.fsync, os.replace
def die():
    os.kill(os.getpid(), signal.SIGKILL)
def fsync(fd):
    if step == "before-fsync":
        die()
    real_fsync(fd)
def replace(src, dst):
    if step == "before-replace":
        die()
    real_replace(src, dst)
    if step == "after-replace":
        die()
sw.os.fsync, sw.os.replace = fsync, replace
# Where Linux can swap the files (renameat2), the swap is the replace: the displaced
# old file is unlinked after it is checked, which completes the step.
real_exchange, real_unlink = sw._exchange, os.unlink
def exchange(a, b):
    if step == "before-replace":
        die()
    swapped = real_exchange(a, b)
    if step == "after-exchange":
        die()
    return swapped
def unlink(p, *args, **kwargs):
    real_unlink(p, *args, **kwargs)
    if step == "after-replace" and ".tmp-" in str(p):
        die()
sw._exchange = exchange
sw.os.unlink = unlink
from planctl.cli import app
app(prog_name="planctl")
"""


@pytest.mark.parametrize(
    ("step", "outcome"),
    [("before-fsync", "old"), ("before-replace", "old"), ("after-exchange", "new"), ("after-replace", "new")],
)
def test_sigkill_at_each_step_of_the_write(plan: Path, step: str, outcome: str) -> None:
    old = plan.read_bytes()
    new = expected_after(old, "A2", "step")
    args = update_cmd(plan, "A2", "step")[3:]
    done = subprocess.run(
        [sys.executable, "-c", _DIE_AT, step, *args], env=ENV, capture_output=True, timeout=30, check=False
    )
    assert done.returncode == -signal.SIGKILL
    assert plan.read_bytes() == (old if outcome == "old" else new)
    assert visible(plan.parent) == ["example-plan.yaml"]
    # The orphan is hidden: the new file not yet swapped in, or the old one swapped out.
    assert len(temps(plan.parent)) == (1 if outcome == "old" or step == "after-exchange" else 0)
    assert "1 file" in validate_folder(plan.parent)
    # The next update, under the lock, removes the orphan and writes normally.
    subprocess.run(update_cmd(plan, "A2", "next"), env=ENV, check=True, capture_output=True)
    assert temps(plan.parent) == []
    assert notes(plan.read_text(encoding="utf-8"), "A2")[-1] == "next"


def test_only_this_files_orphans_are_removed(plan: Path) -> None:
    folder = plan.parent
    orphan = folder / ".example-plan.yaml.tmp-abcd1234"
    others = [
        folder / ".other.yaml.tmp-abcd1234",  # another plan's temporary file
        folder / ".example-plan.yaml.tmp-notes.txt",  # not a name mkstemp makes
        folder / "example-plan.yaml.tmp-abcd1234",  # visible: the user's own file
    ]
    for p in [orphan, *others]:
        p.write_text("x")
    assert remove_stale_temps(plan) == [orphan]
    assert all(p.exists() for p in others)


def test_concurrent_real_processes_with_some_killed_lose_nothing(plan: Path) -> None:
    """Six real updaters at once, two of them killed mid-run: the others' notes all land."""
    procs = [
        subprocess.Popen(update_cmd(plan, "A3", f"proc {w}"), env=ENV, stdout=subprocess.PIPE, text=True)
        for w in range(6)
    ]
    time.sleep(0.2)
    for victim in (procs[1], procs[4]):
        victim.send_signal(signal.SIGKILL)
    finished = []
    for w, proc in enumerate(procs):
        out, _ = proc.communicate(timeout=60)
        if proc.returncode == 0:
            assert out.startswith("updated A3")
            finished.append(f"proc {w}")
        else:
            assert proc.returncode == -signal.SIGKILL
    assert len(finished) >= 4
    landed = notes(plan.read_text(encoding="utf-8"), "A3")
    assert set(finished) <= set(landed)  # every process that said "updated" really did
    assert len(landed) == len(set(landed))  # and nothing was written twice
    assert visible(plan.parent) == ["example-plan.yaml"]

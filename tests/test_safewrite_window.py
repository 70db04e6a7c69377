"""No moment in which another writer's save is lost: an editor saving while ``update``
flushes its new file to disk, or between planctl's last check and its rename."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import planctl.store.safewrite as sw
from planctl.cli import app

ROOT = Path(__file__).resolve().parents[1]
EDITOR_LINE = b"# saved by an editor meanwhile\n"


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    target = tmp_path / "example-plan.yaml"
    shutil.copy(ROOT / "examples" / "example-plan.yaml", target)
    return target


def _update(plan: Path) -> Any:
    return CliRunner().invoke(app, ["update", "A2", "--note", "late", "--date", "2025-11-03", str(plan)])


def _editor_saves(plan: Path) -> None:
    plan.write_bytes(plan.read_bytes() + EDITOR_LINE)


def _once(action: Callable[[], None]) -> Callable[[], None]:
    done: list[bool] = []

    def run() -> None:
        if not done:
            done.append(True)
            action()

    return run


def _assert_editor_kept(plan: Path, result: Any) -> None:
    assert result.exit_code == 1, result.output
    assert "changed on disk" in result.output
    data = plan.read_bytes()
    assert data.endswith(EDITOR_LINE)
    assert b"late" not in data
    assert not [p for p in plan.parent.iterdir() if ".tmp-" in p.name]


@pytest.mark.parametrize("swap", [True, False], ids=["renameat2", "rename"])
def test_editor_saving_during_the_slow_fsync_is_not_lost(
    plan: Path, monkeypatch: pytest.MonkeyPatch, swap: bool
) -> None:
    """Before: the check ran before the new file was flushed, so a save during the fsync
    was overwritten while update reported success."""
    real_fsync = os.fsync
    editor = _once(lambda: _editor_saves(plan))

    def slow_fsync(fd: int) -> None:
        editor()
        real_fsync(fd)

    monkeypatch.setattr(sw.os, "fsync", slow_fsync)
    if not swap:
        monkeypatch.setattr(sw, "_exchange", lambda a, b: False, raising=False)
    _assert_editor_kept(plan, _update(plan))


def test_editor_saving_just_before_the_swap_is_swapped_back(
    plan: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the files are swapped atomically, a save after every check still shows in the
    displaced file, and the swap is undone."""
    if not sw._exchange(str(plan), str(plan)):
        pytest.skip("renameat2(RENAME_EXCHANGE) is not available here")
    real = sw._exchange
    editor = _once(lambda: _editor_saves(plan))

    def exchange(a: str, b: str) -> bool:
        editor()
        return real(a, b)

    monkeypatch.setattr(sw, "_exchange", exchange)
    _assert_editor_kept(plan, _update(plan))


def test_an_unhindered_update_still_writes(plan: Path) -> None:
    result = _update(plan)
    assert result.exit_code == 0, result.output
    assert b"note: late" in plan.read_bytes()

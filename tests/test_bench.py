"""The benchmark runs end to end on a tiny corpus (CI proves it works; no timing asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]


def bench(*args: str, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    """bench/run.py with ``args``, as a person or CI runs it, from the repository root."""
    return subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        timeout=timeout,
    )


def test_bench_quick_prints_every_measure() -> None:
    proc = bench("--quick")
    assert proc.returncode == 0, proc.stderr
    assert "error:" not in proc.stderr, proc.stderr
    table = proc.stdout
    for measure in (
        "due --before 2026-04 (shipped plans, cached)",
        "due --before 2026-04 --no-cache (shipped plans)",
        "planctl --version",
        "planctl --help",
        "lint, 2,000 items",
        "due, 2,000 items",
        "due cached, 2,000 items unchanged",
        "lint warm, 2,000 items unchanged",
        "lint warm peak memory, 2,000 items",
        "due --before 2026-04 warm vs Taskwarrior export, 2,000 items",
        "before/after: due --before 2026-04, 2,000 items, cold",
        "before/after: due --before 2026-04, 2,000 items, warm",
        "lint scaling 200 → 2,000 items",
        "lint peak memory, 2,000 items",
        "site, shipped plans",
        "site, 2,000 items",
        "site, 2,000 items, into a new folder",
        "site scaling 200 → 2,000 items",
        "validate scaling 200 → 2,000 errors",
        "update scaling 200 → 2,000 items",
        "add scaling 200 → 2,000 items",
        "import scaling 200 → 2,000 rows",
        "validate one large plan, 2,000 items",
        "slippage, 200 commits, cold",
        "slippage, 200 commits, warm",
        "history ID, 200 commits, cold",
    ):
        assert f"| {measure}" in table, measure
    assert "| measure | planctl | baseline | ratio | target |" in table
    assert "Where cold time goes, 2,000 items" in table
    for stage in (
        "libyaml compose",
        "validate (pydantic models)",
        "lint rules",
        "all of due's work per file",
    ):
        assert f"| {stage}" in table, stage


def test_bench_only_runs_the_sections_named() -> None:
    """--only startup: its four rows and nothing else (no corpus is even generated)."""
    proc = bench("--quick", "--only", "startup")
    assert proc.returncode == 0, proc.stderr
    measures = [
        line.split(" | ")[0].lstrip("| ") for line in proc.stdout.splitlines() if line.startswith("| ")
    ]
    assert measures[1:] == [
        "due --before 2026-04 (shipped plans, cached)",
        "due --before 2026-04 --no-cache (shipped plans)",
        "planctl --version",
        "planctl --help",
    ]
    assert "Where cold time goes" not in proc.stdout


def test_bench_only_names_the_sections_it_knows() -> None:
    proc = bench("--only", "site,nope", timeout=60)
    assert proc.returncode == 2
    assert "sections are startup, throughput, warm, taskwarrior" in proc.stderr


def _sidebyside() -> ModuleType:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import sidebyside
    finally:
        sys.path.remove(str(ROOT / "bench"))
    return sidebyside


def test_before_after_without_history_says_so_and_skips(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A copy from a tarball has no history to check out: the section says so, nothing fails."""
    sidebyside = _sidebyside()
    monkeypatch.setattr(sidebyside, "ROOT", tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    rows, failures = sidebyside.before_after(10, "10 items", 1, None)
    assert failures == []
    assert [r[0] for r in rows] == ["before/after: no git history here (a tarball?); section skipped"]


def test_before_after_names_a_revision_it_cannot_find(monkeypatch: pytest.MonkeyPatch) -> None:
    sidebyside = _sidebyside()
    rows, failures = sidebyside.before_after(10, "10 items", 1, "no-such-revision")
    assert failures == []
    assert [r[0] for r in rows] == [
        "before/after: revision no-such-revision not in this history; section skipped"
    ]


def test_taskwarrior_missing_is_a_row_not_a_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Not root, or no apt: the row says Taskwarrior is not installed and the bench goes on."""
    sidebyside = _sidebyside()
    monkeypatch.setattr(sidebyside, "ensure_taskwarrior", lambda: None)
    rows, failures = sidebyside.taskwarrior(ROOT / "plans", "10 items", 1, tmp_path)
    assert failures == []
    assert rows[0][2] == "Taskwarrior: not installed"

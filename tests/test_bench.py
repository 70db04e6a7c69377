"""The benchmark runs end to end on a tiny corpus (CI proves it works; no timing asserted)."""

from __future__ import annotations

import importlib.util
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


def _bench_run(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """bench/run.py as a module (its dataclasses need it in sys.modules while it loads)."""
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "bench_run", module)
    spec.loader.exec_module(module)
    return module


def test_site_first_builds_go_into_folders_that_never_existed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each timed first build gets a folder of its own, and nothing is removed until the
    section's builds are done: on ext4 without a journal, files made just after thousands
    were removed cost seconds of system time, which the old row (removing the folder
    before each run) timed instead of planctl."""
    bench_run = _bench_run(monkeypatch)
    events: list[tuple[str, str]] = []

    def fake_run(cmd: list[str], cwd: Path = ROOT, env: object = None, out: object = None) -> object:
        events.append(("run", " ".join(cmd)))
        return bench_run.Run(1.0, 10.0, 0)

    real_rmtree = bench_run.shutil.rmtree

    def recording_rmtree(path: object, *args: object, **kwargs: object) -> None:
        events.append(("rmtree", str(path)))
        real_rmtree(path, *args, **kwargs)

    monkeypatch.setattr(bench_run, "run", fake_run)
    monkeypatch.setattr(bench_run.shutil, "rmtree", recording_rmtree)
    b = bench_run.Bench(3, True, [20, 200], tmp_path, None, 100)
    bench_run.site(b)

    site_runs = [i for i, (kind, cmd) in enumerate(events) if kind == "run" and " site " in cmd]
    new_folder = [
        events[i][1].split("--out ")[1].split()[0] for i in site_runs if "site-new-" in events[i][1]
    ]
    first_builds = new_folder[:3]
    assert len(set(first_builds)) == 3, first_builds
    removals = [i for i, (kind, cmd) in enumerate(events) if kind == "rmtree" or "rmtree" in cmd]
    assert removals, "the section removes its folders at the end"
    assert min(removals) > max(site_runs), [events[i] for i in removals]
    assert "site, 200 items, into a new folder" in [row[0] for row in b.rows]

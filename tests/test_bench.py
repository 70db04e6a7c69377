"""The benchmark runs end to end on a tiny corpus (CI proves it works; no timing asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_bench_quick_prints_every_measure() -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--quick"],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        timeout=300,
    )
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
        "lint scaling 200 → 2,000 items",
        "lint peak memory, 2,000 items",
        "site, shipped plans",
        "site, 2,000 items",
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

"""Benchmark planctl against baselines run side by side; prints a Markdown table.

Every figure is a ratio against a baseline measured in the same run, alternating the two
commands, because the machine is shared and absolute seconds drift. Each command runs as
a real process (start-up included); peak memory is the process's maximum RSS.

    python bench/run.py            # full: 1k, 10k and 100k items
    python bench/run.py --quick    # CI: tiny corpus, one repetition, proves it runs

After the table, bench/stages.py breaks a cold run on the middle corpus into its stages.
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import flat_plan, generate, rows_csv
from history import history_repo
from sidebyside import before_after, taskwarrior

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PY = sys.executable
PLANCTL = [str(BIN / "planctl")]
AS_OF = "2026-11-24"
COMPOSE = (
    "import sys, yaml\n"
    "for f in sys.argv[1:]:\n"
    "    with open(f, 'rb') as fh: yaml.compose(fh, Loader=yaml.CSafeLoader)\n"
)


@dataclass
class Run:
    seconds: float
    peak_mb: float
    code: int


def run(cmd: list[str], cwd: Path = ROOT) -> Run:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Run(elapsed, usage.ru_maxrss / 1024, proc.returncode)


def paired(
    subject: list[str], baseline: list[str], reps: int, prep: list[str] | None = None
) -> tuple[Run, Run]:
    """Median of ``reps`` alternating runs of each; ``prep`` runs untimed before each subject run."""
    subj: list[Run] = []
    base: list[Run] = []
    for _ in range(reps):
        base.append(run(baseline))
        if prep:
            run(prep)
        subj.append(run(subject))
    med = lambda rs: Run(statistics.median(r.seconds for r in rs), max(r.peak_mb for r in rs), rs[-1].code)  # noqa: E731
    return med(subj), med(base)


def paired_in(
    subject: list[str], baseline: list[str], reps: int, cwd: Path, prep: list[str] | None = None
) -> tuple[Run, Run]:
    """:func:`paired` with both commands run in ``cwd`` (a repository of the benchmark's)."""
    subj: list[Run] = []
    base: list[Run] = []
    for _ in range(reps):
        base.append(run(baseline, cwd))
        if prep:
            run(prep, cwd)
        subj.append(run(subject, cwd))
    med = lambda rs: Run(statistics.median(r.seconds for r in rs), max(r.peak_mb for r in rs), rs[-1].code)  # noqa: E731
    return med(subj), med(base)


def yaml_files(folder: Path) -> list[str]:
    return [str(p) for p in sorted(folder.glob("*.yaml"))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes, one repetition (for CI)")
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--max-items", type=int, default=100_000)
    parser.add_argument("--big-items", type=int, default=20_000, help="items in the large legal plan")
    parser.add_argument(
        "--before",
        metavar="REV",
        help="the revision to compare this tree with (default: the parent of the issue-17 restructure)",
    )
    args = parser.parse_args()
    reps = 1 if args.quick else args.reps
    sizes = [200, 2_000] if args.quick else [1_000, 10_000, args.max_items]
    mid = sizes[1]
    # An installed planctl has its bytecode compiled at install time (pip does it); this
    # editable checkout may not, when PYTHONDONTWRITEBYTECODE is set, and every timed run
    # would then compile planctl's source again. Compile it once, as an install would.
    subprocess.run([PY, "-m", "compileall", "-q", str(ROOT / "src" / "planctl")], check=True)
    work = Path(tempfile.mkdtemp(prefix="planctl-bench-"))
    rows: list[tuple[str, str, str, str, str]] = []
    stage_table = ""
    failures: list[str] = []

    def row(what: str, s: Run, b: Run, base_name: str, target: str, ok: bool) -> None:
        ratio = s.seconds / b.seconds if b.seconds else float("inf")
        rows.append(
            (
                what,
                f"{s.seconds:.3f} s",
                f"{base_name}: {b.seconds:.3f} s",
                f"{ratio:.2f}×",
                target + (" ✓" if ok else " ✗"),
            )
        )
        if s.code not in (0, 1):
            failures.append(f"{what}: exit {s.code}")

    try:
        # Start-up on the shipped plans: as people run it (rows cached by an earlier run,
        # so this first run fills the cache), then reading every file afresh.
        due_shipped = [*PLANCTL, "due", "--before", "2026-04", "--as-of", AS_OF]
        core_libs = [PY, "-c", "import typer, pydantic, ruamel.yaml, rich, jinja2, dateutil.parser"]
        run(due_shipped)
        for what, cmd in (
            ("due --before 2026-04 (shipped plans, cached)", due_shipped),
            ("due --before 2026-04 --no-cache (shipped plans)", [*due_shipped, "--no-cache"]),
        ):
            s, b = paired(cmd, core_libs, reps)
            row(what, s, b, "import core libs", "≤ 1.5×", s.seconds <= 1.5 * b.seconds)
        for flag in ("--version", "--help"):
            s, b = paired([*PLANCTL, flag], [PY, "-c", "import typer"], reps)
            row(f"planctl {flag}", s, b, "import typer", "≤ 1.2×", s.seconds <= 1.2 * b.seconds)

        corpora = {}
        for n in sizes:
            corpora[n] = work / f"c{n}"
            generate(n, corpora[n])
        mb = sum(Path(f).stat().st_size for f in yaml_files(corpora[mid])) / 1e6

        # Throughput at the middle size.
        files = yaml_files(corpora[mid])
        compose = [PY, "-c", COMPOSE, *files]
        lint_cold = [*PLANCTL, "lint", "--no-cache", "--as-of", AS_OF, str(corpora[mid])]
        s, b = paired(lint_cold, compose, reps)
        row(
            f"lint, {mid:,} items ({mb:.1f} MB)",
            s,
            b,
            "libyaml compose",
            "≤ 1.5×",
            s.seconds <= 1.5 * b.seconds,
        )
        lint_run = s
        due_10k = [
            *PLANCTL,
            "due",
            "--before",
            "2026-04",
            "--as-of",
            AS_OF,
            "--format",
            "json",
            str(corpora[mid]),
        ]
        s, b = paired([*due_10k, "--no-cache"], compose, reps)
        row(f"due, {mid:,} items", s, b, "libyaml compose", "≤ 1.5×", s.seconds <= 1.5 * b.seconds)
        due_cold = s
        # The same question again on the unchanged corpus, rows cached (no target: shown
        # so the cache's effect on queries is measured, not claimed).
        run(due_10k)
        due_warm = statistics.median(run(due_10k).seconds for _ in range(reps))
        rows.append(
            (
                f"due cached, {mid:,} items unchanged",
                f"{due_warm:.3f} s",
                f"--no-cache: {due_cold.seconds:.3f} s",
                f"{due_warm / due_cold.seconds:.2f}×",
                "(none)",
            )
        )
        yamllint = BIN / "yamllint"
        if yamllint.exists():
            yl = run([str(yamllint), "-d", "relaxed", str(corpora[mid])])
            ratio = yl.seconds / lint_run.seconds
            rows.append(
                (
                    f"yamllint -d relaxed, {mid:,} items",
                    f"{yl.seconds:.3f} s",
                    f"planctl lint: {lint_run.seconds:.3f} s",
                    f"{ratio:.1f}× slower",
                    "≥ 5× ✓" if ratio >= 5 else "≥ 5× ✗",
                )
            )

        # Warm cache: a cold run fills it, then an unchanged corpus is re-linted.
        cache_cmd = [*PLANCTL, "lint", "--as-of", AS_OF, str(corpora[mid])]
        clear = [
            PY,
            "-c",
            "import shutil,sys; shutil.rmtree(sys.argv[1], ignore_errors=True)",
            str(ROOT / ".planctl_cache"),
        ]
        cold = paired(cache_cmd, clear, reps, prep=clear)[0]
        run(cache_cmd)
        warm_runs = [run(cache_cmd) for _ in range(reps)]
        warm = statistics.median(r.seconds for r in warm_runs)
        warm_peak = max(r.peak_mb for r in warm_runs)
        rows.append(
            (
                f"lint warm, {mid:,} items unchanged",
                f"{warm:.3f} s",
                f"cold: {cold.seconds:.3f} s",
                f"{warm / cold.seconds:.2f}×",
                "≤ 0.2×" + (" ✓" if warm <= 0.2 * cold.seconds else " ✗"),
            )
        )
        rows.append(
            (
                f"lint warm peak memory, {mid:,} items",
                f"{warm_peak:.1f} MB",
                f"cold: {cold.peak_mb:.1f} MB",
                f"{warm_peak / cold.peak_mb:.2f}×",
                "≤ 1.0×" + (" ✓" if warm_peak <= cold.peak_mb else " ✗"),
            )
        )

        # Taskwarrior's export of the same items with the same due filter, against a
        # warm due (bench/sidebyside.py); then this tree against the one before the
        # issue-17 restructure, the same commands alternated.
        for section_rows, section_failures in (
            taskwarrior(corpora[mid], f"{mid:,} items", reps, work / "taskwarrior"),
            before_after(mid, f"{mid:,} items", reps, args.before, 1 if args.quick else None),
        ):
            rows.extend(section_rows)
            failures.extend(section_failures)

        # Scaling per tenfold, and peak memory at the largest size.
        timed = {}
        for n in sizes:
            runs = [
                run([*PLANCTL, "lint", "--no-cache", "--as-of", AS_OF, str(corpora[n])]) for _ in range(reps)
            ]
            timed[n] = Run(min(r.seconds for r in runs), max(r.peak_mb for r in runs), runs[-1].code)
        for small, big in itertools.pairwise(sizes):
            growth = timed[big].seconds / timed[small].seconds
            target = 10.5 * (big / small) / 10
            rows.append(
                (
                    f"lint scaling {small:,} → {big:,} items",
                    f"{timed[big].seconds:.3f} s",
                    f"{small:,}: {timed[small].seconds:.3f} s",
                    f"{growth:.2f}×",
                    f"≤ {target:.1f}×" + (" ✓" if growth <= target else " ✗"),
                )
            )
        top = sizes[-1]
        rows.append(
            (
                f"lint peak memory, {top:,} items",
                f"{timed[top].peak_mb:.0f} MB",
                "",
                "",
                "≤ 1024 MB" + (" ✓" if timed[top].peak_mb <= 1024 else " ✗"),
            )
        )

        # The website (planctl site): the shipped plans and the middle corpus against a
        # cold lint of the same files, and its growth per tenfold step to the largest.
        def site_cmd(src: list[str], name: str) -> list[str]:
            return [*PLANCTL, "site", *src, "--out", str(work / name), "--as-of", AS_OF]

        shipped_lint = [*PLANCTL, "lint", "--no-cache", "--as-of", AS_OF, str(ROOT / "plans")]
        s, b = paired(site_cmd([str(ROOT / "plans")], "site-shipped"), shipped_lint, reps)
        row("site, shipped plans", s, b, "cold lint", "≤ 3×", s.seconds <= 3 * b.seconds)
        s, b = paired(site_cmd([str(corpora[mid])], f"site-{mid}"), lint_cold, reps)
        row(f"site, {mid:,} items", s, b, "cold lint", "≤ 3×", s.seconds <= 3 * b.seconds)
        lo, hi = (sizes[0], mid) if args.quick else (mid, top)
        site_timed = {mid: s}
        for n in (lo, hi):
            if n not in site_timed:
                site_timed[n] = min(
                    (run(site_cmd([str(corpora[n])], f"site-{n}")) for _ in range(1 if args.quick else 2)),
                    key=lambda r: r.seconds,
                )
        growth = site_timed[hi].seconds / site_timed[lo].seconds
        target = 10.5 * (hi / lo) / 10
        rows.append(
            (
                f"site scaling {lo:,} → {hi:,} items",
                f"{site_timed[hi].seconds:.3f} s",
                f"{lo:,}: {site_timed[lo].seconds:.3f} s",
                f"{growth:.2f}×",
                f"≤ {target:.1f}×" + (" ✓" if growth <= target else " ✗"),
            )
        )
        for n, r in site_timed.items():
            if r.code != 0:
                failures.append(f"site, {n:,} items: exit {r.code}")
            shutil.rmtree(work / f"site-{n}", ignore_errors=True)

        # Linear in the size of one file: validation with one error per item, update and
        # add of one item, import of rows into a new plan; each tenfold step ≤ 11×.
        scale_reps = 1 if args.quick else min(reps, 2)
        flat = work / "flat"

        def edit_run(n: int, cmd: list[str]) -> Run:
            best: Run | None = None
            for _ in range(scale_reps):
                plan = flat_plan(n, flat / f"e{n}" / "plan.yaml")
                got = run([*cmd, str(plan)])
                best = got if best is None or got.seconds < best.seconds else best
            assert best is not None
            return best

        def import_run(n: int) -> Run:
            table = rows_csv(n, flat / f"rows{n}.csv")
            best: Run | None = None
            for _ in range(scale_reps):
                shutil.rmtree(flat / f"i{n}", ignore_errors=True)
                (flat / f"i{n}").mkdir()
                cmd = [
                    *PLANCTL,
                    "import",
                    str(table),
                    "--plan",
                    "imported",
                    "--plans-dir",
                    str(flat / f"i{n}"),
                ]
                got = run(cmd)
                best = got if best is None or got.seconds < best.seconds else best
            assert best is not None
            return best

        def errors_run(n: int) -> Run:
            plan = flat_plan(n, flat / f"bad{n}" / "plan.yaml", bad_key=True)
            runs = [run([*PLANCTL, "validate", str(plan)]) for _ in range(scale_reps)]
            return min(runs, key=lambda r: r.seconds)

        update = [*PLANCTL, "update", "A2", "--note", "checked", "--date", AS_OF]
        add = [*PLANCTL, "add", "s1", "--title", "One more action"]
        for name, unit, measure in (
            ("validate", "errors", errors_run),
            ("update", "items", lambda n: edit_run(n, update)),
            ("add", "items", lambda n: edit_run(n, add)),
            ("import", "rows", import_run),
        ):
            got = {n: measure(n) for n in sizes}
            for n, r in got.items():
                if r.code not in (0, 1):
                    failures.append(f"{name}, {n:,} {unit}: exit {r.code}")
            for small, big in itertools.pairwise(sizes):
                growth = got[big].seconds / got[small].seconds
                target = 11 * (big / small) / 10
                rows.append(
                    (
                        f"{name} scaling {small:,} → {big:,} {unit}",
                        f"{got[big].seconds:.3f} s",
                        f"{small:,}: {got[small].seconds:.3f} s",
                        f"{growth:.2f}×",
                        f"≤ {target:.1f}×" + (" ✓" if growth <= target else " ✗"),
                    )
                )

        # A large legal plan in one file: time and peak memory per MB of YAML, the
        # budget README states ("What planctl promises").
        big_n = 2_000 if args.quick else args.big_items
        [big_file] = generate(big_n, work / "big", items_per_file=big_n)
        big_mb = big_file.stat().st_size / 1e6
        big = min(
            (run([*PLANCTL, "validate", str(big_file)]) for _ in range(scale_reps)), key=lambda r: r.seconds
        )
        if big.code != 0:
            failures.append(f"validate large plan: exit {big.code}")
        per_s, per_mb = big.seconds / big_mb, big.peak_mb / big_mb
        rows.append(
            (
                f"validate one large plan, {big_n:,} items ({big_mb:.1f} MB)",
                f"{per_s:.2f} s/MB, {per_mb:.0f} MiB/MB",
                f"{big.seconds:.2f} s, {big.peak_mb:.0f} MiB",
                "",
                "≤ 1.5 s/MB, ≤ 64 MiB/MB" + (" ✓" if per_s <= 1.5 and per_mb <= 64 else " ✗"),
            )
        )

        # History at git speed: slippage over a long history against git's own log of
        # the same paths, cold (cache cleared) and warm (every blob's summary cached).
        commits = 200 if args.quick else 2_000
        repo = history_repo(work / "history", commits)
        slip = [*PLANCTL, "slippage", "plans/"]
        log_p = ["git", "log", "-p", "--no-merges", "--", "plans/"]
        clear_history = [*clear[:3], str(repo / ".planctl_cache")]
        s = paired_in(slip, log_p, reps, repo, prep=clear_history)
        b = s[1]
        row(
            f"slippage, {commits:,} commits, cold",
            s[0],
            b,
            "git log -p",
            "≤ 5×",
            s[0].seconds <= 5 * b.seconds,
        )
        run(slip, repo)
        warm_history = statistics.median(run(slip, repo).seconds for _ in range(reps))
        rows.append(
            (
                f"slippage, {commits:,} commits, warm",
                f"{warm_history:.3f} s",
                f"cold: {s[0].seconds:.3f} s",
                f"{warm_history / s[0].seconds:.2f}×",
                "< 1 s" + (" ✓" if warm_history < 1 else " ✗"),
            )
        )

        # One item's history through its plan's commits (no target: shown, not claimed).
        one = "plans/bench-plan-00001.yaml"
        hist = [*PLANCTL, "history", "P1.1", one]
        h_cold, h_base = paired_in(
            hist, ["git", "log", "-p", "--no-merges", "--", one], reps, repo, prep=clear_history
        )
        rows.append(
            (
                f"history ID, {commits:,} commits, cold",
                f"{h_cold.seconds:.3f} s",
                f"git log -p of its file: {h_base.seconds:.3f} s",
                f"{h_cold.seconds / h_base.seconds:.2f}×",
                "(none)",
            )
        )

        # Where the cold time goes, stage by stage, on the middle corpus.
        stages = subprocess.run(
            [PY, str(ROOT / "bench" / "stages.py"), str(corpora[mid]), "--reps", str(min(reps, 3))],
            capture_output=True,
            text=True,
            check=False,
        )
        stage_table = stages.stdout
        if stages.returncode != 0:
            failures.append(f"stages: {stages.stderr.strip()}")
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"median of {reps} alternating run(s) each\n"
    )
    print("| measure | planctl | baseline | ratio | target |")
    print("|---|---:|---:|---:|---|")
    for r in rows:
        print("| " + " | ".join(r) + " |")
    if stage_table:
        print(f"\nWhere cold time goes, {mid:,} items: {stage_table}")
    for f in failures:
        print(f"error: {f}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Benchmark planctl against baselines run side by side; prints a Markdown table.

Every figure is a ratio against a baseline measured in the same run, alternating the two
commands, because the machine is shared and absolute seconds drift. Each command runs as
a real process (start-up included); peak memory is the process's maximum RSS.

    python bench/run.py                        # full: 1k, 10k and 100k items
    python bench/run.py --quick                # CI: tiny corpus, one repetition, proves it runs
    python bench/run.py --only taskwarrior,site    # some sections (names: --help)

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
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import flat_plan, generate, rows_csv
from history import history_repo
from sidebyside import Run, TableRow, before_after, median_run, run, taskwarrior

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
CLEAR = [PY, "-c", "import shutil,sys; shutil.rmtree(sys.argv[1], ignore_errors=True)"]


def paired(
    subject: list[str] | Callable[[int], list[str]],
    baseline: list[str],
    reps: int,
    prep: list[str] | None = None,
    cwd: Path = ROOT,
) -> tuple[Run, Run]:
    """Median of ``reps`` alternating runs of each, in ``cwd``; ``prep`` runs untimed before
    each subject run. A subject given as a function of the repetition's number is made
    afresh each time (a new folder per run)."""
    subj: list[Run] = []
    base: list[Run] = []
    for rep in range(reps):
        base.append(run(baseline, cwd))
        if prep:
            run(prep, cwd)
        subj.append(run(subject(rep) if callable(subject) else subject, cwd))
    return median_run(subj), median_run(base)


def yaml_files(folder: Path) -> list[str]:
    return [str(p) for p in sorted(folder.glob("*.yaml"))]


@dataclass
class Bench:
    """One benchmark run: its sizes and scratch folder, and the rows and failures so far."""

    reps: int
    quick: bool
    sizes: list[int]
    work: Path
    before: str | None
    big_items: int
    rows: list[TableRow] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    stage_table: str = ""
    corpora: dict[int, Path] = field(default_factory=dict)

    @property
    def mid(self) -> int:
        return self.sizes[1]

    def corpus(self, n: int) -> Path:
        """The generated corpus of ``n`` items, made on first use (the 100,000 takes a while)."""
        if n not in self.corpora:
            self.corpora[n] = self.work / f"c{n}"
            generate(n, self.corpora[n])
        return self.corpora[n]

    def lint_cold(self, n: int) -> list[str]:
        return [*PLANCTL, "lint", "--no-cache", "--as-of", AS_OF, str(self.corpus(n))]

    def row(self, what: str, s: Run, b: Run, base_name: str, target: str, ok: bool) -> None:
        ratio = s.seconds / b.seconds if b.seconds else float("inf")
        self.rows.append(
            (
                what,
                f"{s.seconds:.3f} s",
                f"{base_name}: {b.seconds:.3f} s",
                f"{ratio:.2f}×",
                target + (" ✓" if ok else " ✗"),
            )
        )
        if s.code not in (0, 1):
            self.failures.append(f"{what}: exit {s.code}")

    def growth(self, what: str, unit: str, got: dict[int, Run], per_tenfold: float) -> None:
        """A row per step between sizes: the growth against ``per_tenfold`` per tenfold step."""
        for small, big in itertools.pairwise(sorted(got)):
            ratio = got[big].seconds / got[small].seconds
            target = per_tenfold * (big / small) / 10
            self.rows.append(
                (
                    f"{what} {small:,} → {big:,} {unit}",
                    f"{got[big].seconds:.3f} s",
                    f"{small:,}: {got[small].seconds:.3f} s",
                    f"{ratio:.2f}×",
                    f"≤ {target:.1f}×" + (" ✓" if ratio <= target else " ✗"),
                )
            )


# --- the sections, in the order they run ---


def startup(b: Bench) -> None:
    """Start-up on the shipped plans: as people run it (rows cached by an earlier run, so
    this first run fills the cache), then reading every file afresh; --version and --help."""
    due_shipped = [*PLANCTL, "due", "--before", "2026-04", "--as-of", AS_OF]
    core_libs = [PY, "-c", "import typer, pydantic, ruamel.yaml, rich, jinja2, dateutil.parser"]
    run(due_shipped)
    for what, cmd in (
        ("due --before 2026-04 (shipped plans, cached)", due_shipped),
        ("due --before 2026-04 --no-cache (shipped plans)", [*due_shipped, "--no-cache"]),
    ):
        s, base = paired(cmd, core_libs, b.reps)
        b.row(what, s, base, "import core libs", "≤ 1.5×", s.seconds <= 1.5 * base.seconds)
    for flag in ("--version", "--help"):
        s, base = paired([*PLANCTL, flag], [PY, "-c", "import typer"], b.reps)
        b.row(f"planctl {flag}", s, base, "import typer", "≤ 1.2×", s.seconds <= 1.2 * base.seconds)


def throughput(b: Bench) -> None:
    """Cold lint and due at the middle size against a bare libyaml compose; the same due
    cached (no target: shown so the cache's effect is measured, not claimed); yamllint."""
    mid, corpus = b.mid, b.corpus(b.mid)
    files = yaml_files(corpus)
    mb = sum(Path(f).stat().st_size for f in files) / 1e6
    compose = [PY, "-c", COMPOSE, *files]
    lint_run, base = paired(b.lint_cold(mid), compose, b.reps)
    b.row(
        f"lint, {mid:,} items ({mb:.1f} MB)",
        lint_run,
        base,
        "libyaml compose",
        "≤ 1.5×",
        lint_run.seconds <= 1.5 * base.seconds,
    )
    due = [*PLANCTL, "due", "--before", "2026-04", "--as-of", AS_OF, "--format", "json", str(corpus)]
    due_cold, base = paired([*due, "--no-cache"], compose, b.reps)
    b.row(
        f"due, {mid:,} items",
        due_cold,
        base,
        "libyaml compose",
        "≤ 1.5×",
        due_cold.seconds <= 1.5 * base.seconds,
    )
    run(due)
    due_warm = statistics.median(run(due).seconds for _ in range(b.reps))
    b.rows.append(
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
        yl = run([str(yamllint), "-d", "relaxed", str(corpus)])
        ratio = yl.seconds / lint_run.seconds
        b.rows.append(
            (
                f"yamllint -d relaxed, {mid:,} items",
                f"{yl.seconds:.3f} s",
                f"planctl lint: {lint_run.seconds:.3f} s",
                f"{ratio:.1f}× slower",
                "≥ 5× ✓" if ratio >= 5 else "≥ 5× ✗",
            )
        )


def warm(b: Bench) -> None:
    """Warm cache: a cold run fills it, then the unchanged corpus is linted again; its time
    and peak memory against the cold run's."""
    mid = b.mid
    cache_cmd = [*PLANCTL, "lint", "--as-of", AS_OF, str(b.corpus(mid))]
    clear = [*CLEAR, str(ROOT / ".planctl_cache")]
    cold = paired(cache_cmd, clear, b.reps, prep=clear)[0]
    run(cache_cmd)
    warm_runs = [run(cache_cmd) for _ in range(b.reps)]
    seconds = statistics.median(r.seconds for r in warm_runs)
    peak = max(r.peak_mb for r in warm_runs)
    b.rows.append(
        (
            f"lint warm, {mid:,} items unchanged",
            f"{seconds:.3f} s",
            f"cold: {cold.seconds:.3f} s",
            f"{seconds / cold.seconds:.2f}×",
            "≤ 0.2×" + (" ✓" if seconds <= 0.2 * cold.seconds else " ✗"),
        )
    )
    b.rows.append(
        (
            f"lint warm peak memory, {mid:,} items",
            f"{peak:.1f} MB",
            f"cold: {cold.peak_mb:.1f} MB",
            f"{peak / cold.peak_mb:.2f}×",
            "≤ 1.0×" + (" ✓" if peak <= cold.peak_mb else " ✗"),
        )
    )


def taskwarrior_section(b: Bench) -> None:
    """Taskwarrior's export of the same items with the same due filter, against a warm due
    (bench/sidebyside.py)."""
    rows, failures = taskwarrior(b.corpus(b.mid), f"{b.mid:,} items", b.reps, b.work / "taskwarrior")
    b.rows.extend(rows)
    b.failures.extend(failures)


def before_after_section(b: Bench) -> None:
    """This tree against the one before the issue-17 restructure, the same commands alternated."""
    rows, failures = before_after(b.mid, f"{b.mid:,} items", b.reps, b.before, 1 if b.quick else None)
    b.rows.extend(rows)
    b.failures.extend(failures)


def scaling(b: Bench) -> None:
    """Cold lint per tenfold step, and peak memory at the largest size."""
    timed = {}
    for n in b.sizes:
        runs = [run(b.lint_cold(n)) for _ in range(b.reps)]
        timed[n] = Run(min(r.seconds for r in runs), max(r.peak_mb for r in runs), runs[-1].code)
    b.growth("lint scaling", "items", timed, 10.5)
    top = b.sizes[-1]
    b.rows.append(
        (
            f"lint peak memory, {top:,} items",
            f"{timed[top].peak_mb:.0f} MB",
            "",
            "",
            "≤ 1024 MB" + (" ✓" if timed[top].peak_mb <= 1024 else " ✗"),
        )
    )


def site(b: Bench) -> None:
    """The website: the shipped plans and the middle corpus against a cold lint of the same
    files, and its growth per tenfold step to the largest."""

    def site_cmd(src: Path, name: str) -> list[str]:
        return [*PLANCTL, "site", str(src), "--out", str(b.work / name), "--as-of", AS_OF]

    mid = b.mid
    shipped_lint = [*PLANCTL, "lint", "--no-cache", "--as-of", AS_OF, str(ROOT / "plans")]
    s, base = paired(site_cmd(ROOT / "plans", "site-shipped"), shipped_lint, b.reps)
    b.row("site, shipped plans", s, base, "cold lint", "≤ 3×", s.seconds <= 3 * base.seconds)
    # CI builds into a new folder, creating every file: each run gets a folder that never
    # existed (not one just removed: see the end of this section).
    first, base = paired(lambda rep: site_cmd(b.corpus(mid), f"site-new-{rep}"), b.lint_cold(mid), b.reps)
    b.row(
        f"site, {mid:,} items, into a new folder",
        first,
        base,
        "cold lint",
        "≤ 3×",
        first.seconds <= 3 * base.seconds,
    )
    # A rebuild, as a preview (--serve) or a second build makes: into the folder of the run before.
    s, base = paired(site_cmd(b.corpus(mid), "site-new-0"), b.lint_cold(mid), b.reps)
    b.row(f"site, {mid:,} items", s, base, "cold lint", "≤ 3×", s.seconds <= 3 * base.seconds)
    lo, hi = (b.sizes[0], mid) if b.quick else (mid, b.sizes[-1])
    timed = {mid: s}
    for n in (lo, hi):
        if n not in timed:
            timed[n] = min(
                (run(site_cmd(b.corpus(n), f"site-{n}")) for _ in range(1 if b.quick else 2)),
                key=lambda r: r.seconds,
            )
    b.growth("site scaling", "items", {lo: timed[lo], hi: timed[hi]}, 10.5)
    for n, r in timed.items():
        if r.code != 0:
            b.failures.append(f"site, {n:,} items: exit {r.code}")
    # Removed last: on ext4 without a journal (this bench's virtual disk) the kernel passes
    # over every inode freed in the last minutes when it makes a new one, so files made just
    # after a removal of thousands cost seconds more system time (docs/performance.md).
    for n in timed:
        shutil.rmtree(b.work / f"site-{n}", ignore_errors=True)
    for rep in range(b.reps):
        shutil.rmtree(b.work / f"site-new-{rep}", ignore_errors=True)


def one_file(b: Bench) -> None:
    """Linear in the size of one file: validation with one error per item, update and add
    of one item, import of rows into a new plan; each tenfold step ≤ 11×."""
    reps = 1 if b.quick else min(b.reps, 2)
    flat = b.work / "flat"

    def edit_run(n: int, cmd: list[str]) -> Run:
        runs = [run([*cmd, str(flat_plan(n, flat / f"e{n}" / "plan.yaml"))]) for _ in range(reps)]
        return min(runs, key=lambda r: r.seconds)

    def import_run(n: int) -> Run:
        table = rows_csv(n, flat / f"rows{n}.csv")
        runs = []
        for _ in range(reps):
            shutil.rmtree(flat / f"i{n}", ignore_errors=True)
            (flat / f"i{n}").mkdir()
            cmd = [*PLANCTL, "import", str(table), "--plan", "imported", "--plans-dir", str(flat / f"i{n}")]
            runs.append(run(cmd))
        return min(runs, key=lambda r: r.seconds)

    def errors_run(n: int) -> Run:
        plan = flat_plan(n, flat / f"bad{n}" / "plan.yaml", bad_key=True)
        return min((run([*PLANCTL, "validate", str(plan)]) for _ in range(reps)), key=lambda r: r.seconds)

    update = [*PLANCTL, "update", "A2", "--note", "checked", "--date", AS_OF]
    add = [*PLANCTL, "add", "s1", "--title", "One more action"]
    measures: tuple[tuple[str, str, Callable[[int], Run]], ...] = (
        ("validate", "errors", errors_run),
        ("update", "items", lambda n: edit_run(n, update)),
        ("add", "items", lambda n: edit_run(n, add)),
        ("import", "rows", import_run),
    )
    for name, unit, measure in measures:
        got = {n: measure(n) for n in b.sizes}
        for n, r in got.items():
            if r.code not in (0, 1):
                b.failures.append(f"{name}, {n:,} {unit}: exit {r.code}")
        b.growth(f"{name} scaling", unit, got, 11)


def large_plan(b: Bench) -> None:
    """A large legal plan in one file: time and peak memory per MB of YAML, the budget the
    README states ("What planctl promises")."""
    n = 2_000 if b.quick else b.big_items
    [big_file] = generate(n, b.work / "big", items_per_file=n)
    mb = big_file.stat().st_size / 1e6
    reps = 1 if b.quick else min(b.reps, 2)
    big = min((run([*PLANCTL, "validate", str(big_file)]) for _ in range(reps)), key=lambda r: r.seconds)
    if big.code != 0:
        b.failures.append(f"validate large plan: exit {big.code}")
    per_s, per_mb = big.seconds / mb, big.peak_mb / mb
    b.rows.append(
        (
            f"validate one large plan, {n:,} items ({mb:.1f} MB)",
            f"{per_s:.2f} s/MB, {per_mb:.0f} MiB/MB",
            f"{big.seconds:.2f} s, {big.peak_mb:.0f} MiB",
            "",
            "≤ 1.5 s/MB, ≤ 64 MiB/MB" + (" ✓" if per_s <= 1.5 and per_mb <= 64 else " ✗"),
        )
    )


def history(b: Bench) -> None:
    """History at git speed: slippage over a long history against git's own log of the same
    paths, cold (cache cleared) and warm (every blob's summary cached); one item's history
    (no target: shown, not claimed)."""
    commits = 200 if b.quick else 2_000
    repo = history_repo(b.work / "history", commits)
    slip = [*PLANCTL, "slippage", "plans/"]
    log_p = ["git", "log", "-p", "--no-merges", "--", "plans/"]
    clear_history = [*CLEAR, str(repo / ".planctl_cache")]
    cold, base = paired(slip, log_p, b.reps, prep=clear_history, cwd=repo)
    b.row(
        f"slippage, {commits:,} commits, cold",
        cold,
        base,
        "git log -p",
        "≤ 5×",
        cold.seconds <= 5 * base.seconds,
    )
    run(slip, repo)
    warm_history = statistics.median(run(slip, repo).seconds for _ in range(b.reps))
    b.rows.append(
        (
            f"slippage, {commits:,} commits, warm",
            f"{warm_history:.3f} s",
            f"cold: {cold.seconds:.3f} s",
            f"{warm_history / cold.seconds:.2f}×",
            "< 1 s" + (" ✓" if warm_history < 1 else " ✗"),
        )
    )
    one = "plans/bench-plan-00001.yaml"
    hist = [*PLANCTL, "history", "P1.1", one]
    h_cold, h_base = paired(
        hist, ["git", "log", "-p", "--no-merges", "--", one], b.reps, prep=clear_history, cwd=repo
    )
    b.rows.append(
        (
            f"history ID, {commits:,} commits, cold",
            f"{h_cold.seconds:.3f} s",
            f"git log -p of its file: {h_base.seconds:.3f} s",
            f"{h_cold.seconds / h_base.seconds:.2f}×",
            "(none)",
        )
    )


def stages(b: Bench) -> None:
    """Where the cold time goes, stage by stage, on the middle corpus (bench/stages.py)."""
    got = subprocess.run(
        [PY, str(ROOT / "bench" / "stages.py"), str(b.corpus(b.mid)), "--reps", str(min(b.reps, 3))],
        capture_output=True,
        text=True,
        check=False,
    )
    b.stage_table = got.stdout
    if got.returncode != 0:
        b.failures.append(f"stages: {got.stderr.strip()}")


SECTIONS: dict[str, Callable[[Bench], None]] = {
    "startup": startup,
    "throughput": throughput,
    "warm": warm,
    "taskwarrior": taskwarrior_section,
    "before-after": before_after_section,
    "scaling": scaling,
    "site": site,
    "one-file": one_file,
    "large-plan": large_plan,
    "history": history,
    "stages": stages,
}


def _sections(text: str) -> list[str]:
    names = [n.strip() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in SECTIONS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"sections are {', '.join(SECTIONS)}; got {text!r}")
    return names


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
    parser.add_argument(
        "--only",
        type=_sections,
        metavar="SECTION,...",
        help=f"run only these sections, in the usual order: {', '.join(SECTIONS)}",
    )
    args = parser.parse_args()
    reps = 1 if args.quick else args.reps
    sizes = [200, 2_000] if args.quick else [1_000, 10_000, args.max_items]
    # An installed planctl has its bytecode compiled at install time (pip does it); this
    # editable checkout may not, when PYTHONDONTWRITEBYTECODE is set, and every timed run
    # would then compile planctl's source again. Compile it once, as an install would.
    subprocess.run([PY, "-m", "compileall", "-q", str(ROOT / "src" / "planctl")], check=True)
    bench = Bench(
        reps, args.quick, sizes, Path(tempfile.mkdtemp(prefix="planctl-bench-")), args.before, args.big_items
    )
    try:
        for name, section in SECTIONS.items():
            if args.only is None or name in args.only:
                section(bench)
    finally:
        shutil.rmtree(bench.work, ignore_errors=True)

    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"median of {reps} alternating run(s) each\n"
    )
    print("| measure | planctl | baseline | ratio | target |")
    print("|---|---:|---:|---:|---|")
    for r in bench.rows:
        print("| " + " | ".join(r) + " |")
    if bench.stage_table:
        print(f"\nWhere cold time goes, {bench.mid:,} items: {bench.stage_table}")
    for f in bench.failures:
        print(f"error: {f}", file=sys.stderr)
    return 1 if bench.failures else 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Side-by-side sections of the benchmark: planctl before and after a revision, and
planctl against Taskwarrior on the same items.

Both are ratios of runs alternated in one benchmark run, as every figure in run.py is,
because the machine is shared and absolute seconds drift. Each returns Markdown table
rows ``(measure, planctl, baseline, ratio, target)`` and a list of failures.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
AS_OF = "2026-11-24"
#: The issue-17 restructure (subpackages); "before" is its parent unless --before says.
RESTRUCTURE = "1b91078"
#: An item of the shipped plans that ``show`` finds in every tree (one plan has it).
SHOW = "PAP1:1"

TableRow = tuple[str, str, str, str, str]


@dataclass
class Run:
    seconds: float
    peak_mb: float
    code: int


def run(cmd: list[str], cwd: Path = ROOT, env: dict[str, str] | None = None, out: int | None = None) -> Run:
    """One process, timed from start to exit; its peak memory is its maximum RSS."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd,
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL if out is None else out,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    return Run(elapsed, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status))


def median_run(runs: list[Run]) -> Run:
    """The median time of ``runs``, their highest peak memory and the last exit status."""
    return Run(statistics.median(r.seconds for r in runs), max(r.peak_mb for r in runs), runs[-1].code)


def _git(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True, check=False)


# --- before and after a revision ---


@dataclass
class Tree:
    """A source tree of planctl run as ``python -m planctl`` with its ``src`` on PYTHONPATH,
    from its own root (so each tree keeps its own cache folder); ``extra``: a folder of
    the libraries it needs that this venv lacks."""

    name: str
    root: Path
    extra: Path | None = None

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        paths = [self.root / "src", *([self.extra] if self.extra else [])]
        env["PYTHONPATH"] = os.pathsep.join(map(str, paths))
        return env

    def probe(self, args: list[str]) -> str | None:
        """Why the command fails in this tree (its last line of errors), or None when it runs."""
        got = subprocess.run(
            self.cmd(args), cwd=self.root, env=self.env(), capture_output=True, text=True, check=False
        )
        if got.returncode in (0, 1) and "Traceback" not in got.stderr:
            return None
        lines = got.stderr.strip().splitlines()
        return f"exit {got.returncode}" + (f": {lines[-1]}" if lines else "")

    def cmd(self, args: list[str]) -> list[str]:
        return [PY, "-m", "planctl", *args]

    def clear(self) -> None:
        shutil.rmtree(self.root / ".planctl_cache", ignore_errors=True)

    def has(self, command: str) -> bool:
        return run(self.cmd([command, "--help"]), self.root, self.env()).code == 0

    def time(self, args: list[str], *, cold: bool) -> Run:
        if cold:
            self.clear()
        else:
            run(self.cmd(args), self.root, self.env())  # fills the cache (untimed)
        return run(self.cmd(args), self.root, self.env())


def _missing_requirements(root: Path) -> list[str]:
    """The dependencies in ``root``'s pyproject.toml that this venv does not satisfy (the
    tree before may need a library since dropped)."""
    import tomllib
    from importlib import metadata

    from packaging.requirements import Requirement

    wanted = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    missing = []
    for text in wanted:
        req = Requirement(text)
        if req.marker is not None and not req.marker.evaluate():
            continue
        try:
            version = metadata.version(req.name)
        except metadata.PackageNotFoundError:
            missing.append(text)
            continue
        if not req.specifier.contains(version, prereleases=True):
            missing.append(text)
    return missing


def before_after(
    items: int, label: str, reps: int, before: str | None, limit: int | None = None
) -> tuple[list[TableRow], list[str]]:
    """The same commands with the tree at ``before`` (default: the parent of the issue-17
    restructure) and with this tree, alternating; ratio after/before, target ≤ 1.05.

    The corpus of ``items`` items is made by the old tree's own bench/generate.py from
    its own plans: a corpus made from today's plans uses fields the old code refuses, so
    the old tree would skip most files and look fast. ``limit``: only the first so many
    commands (--quick proves the section runs)."""
    title = "before/after"
    if _git("rev-parse", "--git-dir").returncode != 0:
        return [(f"{title}: no git history here (a tarball?); section skipped", "", "", "", "")], []
    rev = before or f"{RESTRUCTURE}^"
    resolved = _git("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    if resolved.returncode != 0:
        return [(f"{title}: revision {rev} not in this history; section skipped", "", "", "", "")], []
    commit = resolved.stdout.strip()
    holder = Path(tempfile.mkdtemp(prefix="planctl-before-"))
    old_root = holder / "tree"
    added = _git("worktree", "add", "--detach", "--quiet", str(old_root), commit)
    if added.returncode != 0:
        shutil.rmtree(holder, ignore_errors=True)
        return [], [f"{title}: git worktree add {commit[:9]}: {added.stderr.strip()}"]
    rows: list[TableRow] = []
    failures: list[str] = []
    try:
        extra = None
        missing = _missing_requirements(old_root)
        if missing:  # installed beside the tree, not into the shared venv
            extra = holder / "site"
            pip = [PY, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps"]
            subprocess.run([*pip, "--target", str(extra), *missing], capture_output=True, check=False)
        old, new = Tree(f"before ({commit[:9]})", old_root, extra), Tree("after", ROOT)
        corpus = holder / "corpus"
        made = subprocess.run(
            [PY, str(old_root / "bench" / "generate.py"), "--items", str(items), "--out", str(corpus)],
            cwd=old_root,
            env=old.env(),
            capture_output=True,
            text=True,
            check=False,
        )
        if made.returncode != 0:
            return [(f"{title}: the tree before cannot make its corpus; section skipped", "", "", "", "")], []
        for tree in (old, new):  # both must read every file, or the comparison is not fair
            if run(tree.cmd(["validate", str(corpus)]), tree.root, tree.env()).code != 0:
                failures.append(f"{title}: {tree.name} finds the corpus invalid")
        for tree in (old, new):  # bytecode compiled once, as an install would
            subprocess.run([PY, "-m", "compileall", "-q", str(tree.root / "src" / "planctl")], check=True)
        # The shipped plans as the tree before has them, read by both trees: the same
        # input, as for the corpus (today's plans hold more, e.g. easy-read words and
        # measures, and rendering them is more work, not slower code: 1.40x with each
        # tree's own plan, 0.94x with the same one).
        old_plans = str(old_root / "plans")
        shipped = str(old_root / "plans" / "oxfordshire-send-pap-2024.yaml")
        commands: list[tuple[str, list[str]]] = [
            (f"due --before 2026-04, {label}", ["due", "--before", "2026-04", "--as-of", AS_OF, str(corpus)]),
            (f"lint, {label}", ["lint", "--as-of", AS_OF, str(corpus)]),
            ("show, shipped plans", ["show", SHOW, old_plans]),
            (
                "render plan.md, a shipped plan",
                ["render", shipped, "--template", "plan.md", "--as-of", AS_OF],
            ),
            (f"stats, {label}", ["stats", "--as-of", AS_OF, str(corpus)]),
        ][:limit]
        for what, args in commands:
            if not old.has(args[0]):
                rows.append((f"{title}: {what}", "", f"{old.name}: no such command", "", "skipped"))
                continue
            broken = old.probe(args)
            if broken is not None:
                rows.append((f"{title}: {what}", "", f"{old.name}: fails ({broken})", "", "skipped"))
                continue
            for cold in (True, False):
                after: list[Run] = []
                base: list[Run] = []
                for _ in range(reps):
                    base.append(old.time(args, cold=cold))
                    after.append(new.time(args, cold=cold))
                a, b = median_run(after), median_run(base)
                if a.code not in (0, 1) or b.code not in (0, 1):
                    failures.append(f"{title} {what}: exit {a.code} after, {b.code} before")
                ratio = a.seconds / b.seconds if b.seconds else float("inf")
                rows.append(
                    (
                        f"{title}: {what}, {'cold' if cold else 'warm'}",
                        f"{a.seconds:.3f} s",
                        f"{old.name}: {b.seconds:.3f} s",
                        f"{ratio:.2f}×",
                        "≤ 1.05×" + (" ✓" if ratio <= 1.05 else " ✗"),
                    )
                )
    finally:
        _git("worktree", "remove", "--force", str(old_root))
        shutil.rmtree(holder, ignore_errors=True)
        _git("worktree", "prune")
    return rows, failures


# --- Taskwarrior ---


def ensure_taskwarrior() -> str | None:
    """The ``task`` program, installed with apt-get when missing and running as root (as
    the Makefile installs Debian tools); None when it is not there."""
    found = shutil.which("task")
    if found or os.geteuid() != 0 or shutil.which("apt-get") is None:
        return found

    def apt(*args: str) -> int:
        return subprocess.run(["apt-get", *args], capture_output=True, check=False).returncode

    if apt("install", "-y", "taskwarrior") != 0:
        apt("update")
        apt("install", "-y", "taskwarrior")
    return shutil.which("task")


def _tasks(corpus: Path) -> list[dict[str, str]]:
    """The corpus's items as Taskwarrior tasks, each due at the last day of its deadline.

    planctl's ``--before D`` keeps deadlines that end before the first day of D, which
    is Taskwarrior's ``due.before:D`` on that last day. Done items are completed tasks,
    items of closed plans or sections deleted ones: both are left out of a ``due`` by
    default, as Taskwarrior's ``status:pending`` leaves them out. Made from planctl's
    own rows, so both tools hold the same items.
    """
    from datetime import date

    from planctl.api.pipeline import query_rows
    from planctl.store.files import discover

    rows, problems = query_rows(discover([corpus]), jobs=1)
    if problems:
        raise SystemExit(f"the corpus should be valid: {problems[0].message}")
    day = date.fromisoformat(AS_OF)
    tasks = []
    for n, row in enumerate(rows):
        row = row.as_of(day)
        task = {
            "uuid": f"00000000-0000-4000-8000-{n:012d}",
            "description": row.title,
            "entry": "20260101T000000Z",
            "project": row.plan.id,
            "status": "deleted" if row.closed else "completed" if row.done else "pending",
        }
        if task["status"] != "pending":
            task["end"] = "20260101T000000Z"
        deadline = row.deadline
        if deadline is not None and deadline.end is not None:
            task["due"] = deadline.end.strftime("%Y%m%dT000000Z")
        tasks.append(task)
    return tasks


def taskwarrior(corpus: Path, label: str, reps: int, work: Path) -> tuple[list[TableRow], list[str]]:
    """``task export`` of the corpus's items due before April 2026 against a warm
    ``planctl due --before 2026-04 --format json`` of the same items; target ≤ 1.0."""
    what = f"due --before 2026-04 warm vs Taskwarrior export, {label}"
    task = ensure_taskwarrior()
    if task is None:
        return [(what, "", "Taskwarrior: not installed", "", "(skipped)")], []
    data = work / "taskdata"
    data.mkdir(parents=True, exist_ok=True)
    rc = work / "taskrc"
    rc.write_text(f"data.location={data}\nconfirmation=off\nverbose=nothing\njson.array=on\nhooks=off\n")
    env = dict(os.environ, TASKDATA=str(data), TASKRC=str(rc), TZ="UTC")
    with tempfile.TemporaryFile("w+") as fh:
        json.dump(_tasks(corpus), fh)
        fh.seek(0)
        subprocess.run(
            [task, "rc.confirmation=off", "import"], stdin=fh, env=env, capture_output=True, check=True
        )
    export = [task, "rc.gc=off", "status:pending", "due.before:2026-04-01", "export"]
    planctl = [
        str(Path(PY).parent / "planctl"),
        *("due", "--before", "2026-04", "--as-of", AS_OF, "--format", "json", str(corpus)),
    ]
    penv = dict(os.environ)

    def count(cmd: list[str], env: dict[str, str]) -> int:
        out = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
        return len(json.loads(out.stdout or "[]"))

    theirs, ours = count(export, env), count(planctl, penv)
    failures = [] if theirs == ours else [f"{what}: Taskwarrior matched {theirs:,} items, planctl {ours:,}"]
    run(planctl, ROOT, penv)  # the cache is warm from here on
    mine: list[Run] = []
    base: list[Run] = []
    for _ in range(reps):
        base.append(run(export, ROOT, env))
        mine.append(run(planctl, ROOT, penv))
    a, b = median_run(mine), median_run(base)
    ratio = a.seconds / b.seconds if b.seconds else float("inf")
    rows = [
        (
            f"{what} ({ours:,} / {theirs:,} matches)",
            f"{a.seconds:.3f} s",
            f"task export: {b.seconds:.3f} s",
            f"{ratio:.2f}×",
            "≤ 1.0×" + (" ✓" if ratio <= 1.0 else " ✗"),
        )
    ]
    return rows, failures

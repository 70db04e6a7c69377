"""Where a cold run's time goes: each stage of reading, checking and answering, timed
in one process over a corpus, in CPU seconds and as a multiple of a bare libyaml compose.

The end-to-end table in run.py says how far from a target a command is; this one says
which work it spends the time on, so "no avoidable work" is measured, not argued. The
stages are the ones a worker runs (:mod:`planctl.api.pipeline`), called in the same order
on every file with the collector off, as the CLI runs. Each figure is the fastest of
``--reps`` passes (the machine is shared; the fastest pass is the least disturbed).

    python bench/stages.py FOLDER [--reps N]
"""

from __future__ import annotations

import argparse
import gc
import pickle
import sys
import time
from datetime import date
from pathlib import Path

AS_OF = date(2026, 11, 24)
COMPOSE = "libyaml compose (the baseline's work)"
READ = "decode and read (compose, then nodes to data)"
VALIDATE = "validate (pydantic models)"
CROSS = "cross-record checks"
ROWS = "deadlines and query rows"
PICKLE = "rows to the parent process (pickle both ways)"
RULES = "lint rules (finding deadlines too) and locating findings"


def _imports() -> list[tuple[str, float]]:
    """CPU seconds of the imports a worker makes on first use (each worker pays them).

    Not pydantic itself: Typer imports it in the parent, before the workers fork.
    """
    import pydantic  # noqa: F401

    out = []
    t = time.process_time()
    import planctl.core.rows
    import planctl.core.validate

    out.append(("imports for queries (models, reader, dates)", time.process_time() - t))
    t = time.process_time()
    import planctl.lint.registry
    from planctl.core.readability import _pyphen

    _ = planctl.lint.registry.RULES
    _pyphen()
    out.append(("imports for lint (rules, word lists)", time.process_time() - t))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args()
    gc.disable()  # as planctl.cli.main does
    imports = _imports()

    import yaml

    from planctl.core.models import Plan
    from planctl.core.readability import _syllables
    from planctl.core.rows import rows_of
    from planctl.core.validate import LoadResult, check_plan, load_text
    from planctl.core.yamlread import decode, read
    from planctl.lint import LintConfig, lint_file

    files = sorted(args.folder.glob("*.yaml"))
    raws = [f.read_bytes() for f in files]
    config = LintConfig()
    totals: dict[str, float] = {}

    def one_pass() -> dict[str, float]:
        spent = dict.fromkeys((COMPOSE, READ, VALIDATE, CROSS, ROWS, PICKLE, RULES), 0.0)

        def lap(stage: str, since: float) -> float:
            """Add the time since ``since`` to ``stage``; the clock now, for the next lap."""
            now = time.process_time()
            spent[stage] += now - since
            return now

        # A worker starts with the syllable cache empty; so does each pass.
        _syllables.cache_clear()
        for i, (path, raw) in enumerate(zip(files, raws, strict=True)):
            name = str(path)
            t = time.process_time()
            yaml.compose(raw, Loader=yaml.CSafeLoader)
            t = lap(COMPOSE, t)
            text = decode(raw)
            doc = read(text)
            t = lap(READ, t)
            plan = Plan.model_validate(doc.data)
            t = lap(VALIDATE, t)
            problems = list(check_plan(plan, doc, name))
            t = lap(CROSS, t)
            if problems:
                raise SystemExit(f"{name}: the corpus should be valid: {problems[0].message}")
            rows = rows_of(LoadResult(name, plan, [], doc), i)
            t = lap(ROWS, t)
            pickle.loads(pickle.dumps(rows))
            lap(PICKLE, t)
            # Lint reads the file afresh (not timed again): its rules find the deadlines
            # themselves, as a lint worker does, instead of reusing the rows' work.
            fresh = load_text(text, name)
            t = time.process_time()
            lint_file(fresh, config, AS_OF, text)
            lap(RULES, t)
        return spent

    for _ in range(args.reps):
        for stage, seconds in one_pass().items():
            totals[stage] = min(totals.get(stage, seconds), seconds)

    compose = totals[COMPOSE]
    due = sum(totals[s] for s in (READ, VALIDATE, CROSS, ROWS, PICKLE))
    lint = sum(totals[s] for s in (READ, VALIDATE, CROSS, RULES))
    lines = [
        *totals.items(),
        *imports,
        ("all of due's work per file", due),
        ("all of lint's work per file", lint),
    ]
    print(f"{len(files)} files; CPU seconds, fastest of {args.reps} pass(es); one process, collector off\n")
    print("| stage | CPU | × compose |")
    print("|---|---:|---:|")
    for stage, seconds in lines:
        print(f"| {stage} | {seconds:.3f} s | {seconds / compose:.2f}× |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

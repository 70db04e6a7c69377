"""``planctl diff``, ``planctl history`` and ``planctl slippage``: plan changes through git."""

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from planctl.cli import app, complete
from planctl.cli.common import (
    discover_or_exit,
    fail_usage,
    find_or_exit,
    paths_or_default,
    report_problems,
    say,
    say_text,
    searched,
)
from planctl.cli.options import DiffFormat, HistoryFormat, SlippageFormat
from planctl.output.emit import Format

if TYPE_CHECKING:
    from collections.abc import Sequence

    from planctl.core.diagnostics import Diagnostic
    from planctl.core.kpi import Measure
    from planctl.core.plandiff import Revision
    from planctl.core.revision import Commit
    from planctl.core.rows import Row
    from planctl.core.validate import LoadResult
    from planctl.store.cache import Cache


FAIL_ON = {"slip": "slipped", "slipped": "slipped", "worsened": "worsened", "worsen": "worsened"}


def _parse_fail_on(text: str | None) -> set[str]:
    if not text:
        return set()
    wanted: set[str] = set()
    for part in text.split(","):
        name = part.strip().lower()
        if not name:
            continue
        if name not in FAIL_ON:
            fail_usage(
                f"--fail-on: unknown condition {part.strip()!r}; use slip, worsened or both: slip,worsened"
            )
        wanted.add(FAIL_ON[name])
    return wanted


def load_at(rev: str, label: str, path: str) -> "LoadResult":
    """A plan file as it was at ``rev``; display name ``label:path`` for located problems."""
    from planctl.core.diagnostics import Diagnostic
    from planctl.core.validate import LoadResult, load_bytes
    from planctl.store.gitrev import BlobTooLargeError, show

    display = f"{label}:{path}"
    try:
        raw = show(rev, path)
    except BlobTooLargeError as exc:
        message = f"file is {exc.size // 1_048_576} MiB at {label}; plan files are limited to {exc.limit // 1_048_576} MiB"
        return LoadResult(display, None, [Diagnostic(display, 1, 1, message)])
    return load_bytes(raw, display)


def _load_worktree(paths: list[Path]) -> "list[tuple[str, LoadResult]]":
    """Plan files on disk under ``paths``, keyed by their path from the repository top."""
    from planctl.store.files import load
    from planctl.store.gitrev import to_repo_path

    return [(to_repo_path(f.path), load(f)) for f in discover_or_exit(paths)]


@app.command()
def diff(
    base: str | None = typer.Argument(
        None,
        metavar="BASE",
        help="Revision to compare from (default: merge-base with origin/HEAD, else main, else master); "
        "'REV...' means the merge-base of REV and HEAD; or an old plan file.",
        show_default=False,
    ),
    head: str | None = typer.Argument(
        None,
        metavar="HEAD",
        help="Revision to compare to (default: the working tree); or a new plan file.",
        show_default=False,
    ),
    paths: list[Path] = typer.Option(
        [],
        "--path",
        "-p",
        metavar="PATH",
        help="Plan files or folders to compare (default: plans/). Repeatable.",
    ),
    fmt: DiffFormat = Format.text,
    fail_on: str | None = typer.Option(
        None,
        "--fail-on",
        metavar="CONDITIONS",
        help="Exit 1 when any deadline slipped (slip) or rating worsened (worsened); comma-separated.",
    ),
) -> None:
    """What changed in meaning between two versions of the plans.

    Plans pair up by plan id and items by item id, so renamed files and moved items are
    followed. Lists items added, removed or moved; ratings worsened or improved;
    deadlines slipped or brought forward (in months); leads, titles, text, outcomes,
    due dates and ratings set or cleared; decisions and responses; progress notes
    added, reworded or removed; most serious first.

    Exit 0 normally; 1 when a plan is invalid at either side or a --fail-on condition
    is met; 2 on usage errors (not a git repository, a plan file that does not exist, a
    revision missing from the clone).
    """
    from planctl.core.plandiff import (
        ChangeKind,
        DiffReport,
        diff_plan_sets,
        render_json,
        render_markdown,
        render_text,
    )
    from planctl.store.files import UsageError
    from planctl.store.gitrev import GitError, NotARepositoryError

    wanted = _parse_fail_on(fail_on)
    for role, arg in (("BASE", base), ("HEAD", head)):
        if arg is not None:
            _check_path_like(role, arg)
    try:
        if (base and Path(base).is_file()) or (head and Path(head).is_file()):
            base_label, head_label, sides = _two_files(base, head)
        else:
            base_label, head_label, sides = _two_revisions(base, head, paths_or_default(paths))
    except NotARepositoryError as exc:
        fail_usage(f"{exc}, or compare two files: planctl diff OLD.yaml NEW.yaml")
    except (GitError, UsageError) as exc:
        fail_usage(str(exc))
    problems = [d for side in sides for _, r in side for d in r.problems]
    problems += [d for side in sides for d in _duplicate_ids(side)]
    report_problems(problems)
    unreadable = sorted({d.file for d in problems})
    base_plans, head_plans = ([(f, r.plan) for f, r in side if r.plan is not None and r.ok] for side in sides)
    report = DiffReport(base_label, head_label, diff_plan_sets(base_plans, head_plans), unreadable)
    render = {
        Format.text: render_text,
        Format.markdown: render_markdown,
        Format.json: render_json,
    }
    text = render[fmt](report)
    if fmt is Format.json:
        typer.echo(text, nl=False)
    else:
        say_text(text, nl=False)
    failed = any(report.count(ChangeKind(kind)) for kind in wanted)
    raise typer.Exit(1 if problems or failed else 0)


def _looks_like_path(arg: str) -> bool:
    """A plan file's name, a folder, or a path whose folder exists.

    Not every name with a '/' in it: ``origin/main`` missing from a shallow clone must
    still get the advice to fetch it.
    """
    if arg.endswith((".yaml", ".yml")) or arg.startswith(("/", "./", "../", "~")):
        return True
    path = Path(arg)
    return path.is_dir() or (("/" in arg or "\\" in arg) and path.parent.is_dir())


def _check_path_like(role: str, arg: str) -> None:
    """A BASE or HEAD that looks like a file but is neither a file nor a revision: say so.

    Otherwise ``planctl diff typo.yaml`` would be told to fetch a revision named typo.yaml.
    ``origin/main`` looks like a path too, so a revision that exists is left alone.
    """
    from planctl.store.gitrev import GitError, exists

    if not _looks_like_path(arg) or Path(arg).is_file():
        return
    try:
        if exists(arg.removesuffix("...")):
            return
    except GitError:
        pass  # no git: it cannot be a revision either
    if Path(arg).is_dir():
        fail_usage(
            f"{role} {arg!r} is a folder, not a plan file or a revision; "
            f"choose folders with --path: planctl diff --path {arg}"
        )
    fail_usage(
        f"{role} file {arg!r} does not exist (and it is not a revision in this clone); "
        "to compare two plan files give two existing files: planctl diff OLD.yaml NEW.yaml"
    )


def _duplicate_ids(side: "list[tuple[str, LoadResult]]") -> "list[Diagnostic]":
    """Plans pair up by id, so two files with one id at the same side cannot be compared."""
    from planctl.core.diagnostics import Diagnostic

    first: dict[str, str] = {}
    found = []
    for _, result in side:
        if result.plan is None:
            continue
        plan_id = result.plan.id
        if plan_id in first:
            line, column = result.locate(("id",))
            message = f"plan id {plan_id!r} is also the id of {first[plan_id]}; plan ids must be unique"
            found.append(
                Diagnostic(result.file, line, column, message, hint="give one of the plans a new id")
            )
        else:
            first[plan_id] = result.file
    return found


def _two_files(
    base: str | None, head: str | None
) -> "tuple[str, str, tuple[list[tuple[str, LoadResult]], list[tuple[str, LoadResult]]]]":
    from planctl.store.files import Found, UsageError, display_name, load

    if not (base and head and Path(base).is_file() and Path(head).is_file()):
        raise UsageError("to compare plan files give two existing files: planctl diff OLD.yaml NEW.yaml")
    old, new = Path(base), Path(head)
    old_r, new_r = load(Found(old, display_name(old))), load(Found(new, display_name(new)))
    return old_r.file, new_r.file, ([(old_r.file, old_r)], [(new_r.file, new_r)])


def _two_revisions(
    base: str | None, head: str | None, paths: list[Path]
) -> "tuple[str, str, tuple[list[tuple[str, LoadResult]], list[tuple[str, LoadResult]]]]":
    from planctl.store.gitrev import default_branch, merge_base, plan_files, repo_root, resolve, short

    repo_root()
    head_sha = resolve(head, role="head") if head else None
    head_ref = head_sha or "HEAD"
    if base is None or base.endswith("..."):
        name = base[:-3] if base else default_branch()
        resolve(name)
        base_sha = merge_base(name, head_ref)
        how = "" if base else ", the default branch"
        base_label = f"{name} (merge-base {short(base_sha)}{how})"
    else:
        base_sha = resolve(base)
        base_label = _rev_label(base, short(base_sha))
    names = [p.as_posix() for p in paths]
    base_short = short(base_sha)
    base_side = [(f, load_at(base_sha, base_short, f)) for f in plan_files(base_sha, names)]
    if head is None or head_sha is None:
        return base_label, "the working tree", (base_side, _load_worktree(paths))
    head_short = short(head_sha)
    head_side = [(f, load_at(head_sha, head_short, f)) for f in plan_files(head_sha, names)]
    return base_label, _rev_label(head, head_short), (base_side, head_side)


def _rev_label(rev: str, short_sha: str) -> str:
    """``main (1a2b3c4)``; a commit id names itself."""
    return rev if short_sha.startswith(rev) or rev.startswith(short_sha) else f"{rev} ({short_sha})"


def _revisions(path: str) -> "tuple[list[Commit], list[Revision]]":
    """Every committed version of one plan file, oldest first, following renames."""
    from planctl.store.gitrev import file_log

    commits = file_log(path)
    return commits, [_revision(c) for c in commits]


def _revision(c: "Commit") -> "Revision":
    """The plan file as committed in ``c``, or why it could not be read there."""
    from planctl.core.plandiff import Revision

    result = load_at(c.sha, c.short, c.path)
    first = result.problems[0] if result.problems else None
    problem = f"{first.location}: {first.message}" if first else None
    return Revision(c, result.plan if result.ok else None, problem)


@app.command()
def history(
    item_id: str = typer.Argument(
        ...,
        metavar="ID",
        show_default=False,
        help="Item id or KPI id (a measure of success), or PLAN-ID:ID when ids repeat.",
        autocompletion=complete.item_refs,
    ),
    path: Path | None = typer.Argument(
        None, metavar="PATH", help="Plan file or folder (default: plans/).", show_default=False
    ),
    fmt: HistoryFormat = Format.text,
    no_cache: bool = typer.Option(
        False,
        "--no-cache",
        help="Read every revision afresh; do not read or write .planctl_cache/ "
        "(a measure's history always reads every revision).",
    ),
) -> None:
    """An item's or a measure's changes through the git log (following renames).

    For an item: rating, deadline, lead, notes and decision; for a measure of success
    (a KPI id): figures recorded, changed or removed per period and area, target
    changed, measure added or removed. One line per commit that changed it: date,
    commit, author, what changed; then its state as of the last such commit.
    Exit 0 normally; 2 when the id is not found (close item and measure ids are
    suggested), is in several plans, names both an item and a measure, or outside a
    git repository; 1 when a plan file is invalid now.
    """
    import json

    from planctl.core.plandiff import item_history
    from planctl.core.query import collect_rows
    from planctl.store.files import UsageError
    from planctl.store.gitrev import GitError, file_log, is_shallow, repo_root
    from planctl.store.historyscan import revisions_for_item

    try:
        repo_root()
        loaded = _load_worktree(paths_or_default([path] if path else None))
        results = [r for _, r in loaded]
        problems = [d for r in results for d in r.problems]
        report_problems(problems, searched="the search")
        where = searched([path] if path else None)
        rows = collect_rows(results)
        measure = _measure_named(rows, results, item_id, where)
        if measure is not None:
            file = next(f for f, r in loaded if r.plan is measure.plan)
            commits = file_log(file, repo_root())
            revisions = [_revision(c) for c in commits]
            shallow = is_shallow()
        else:
            row = find_or_exit(rows, item_id, results, where=where)
            file = next(f for f, r in loaded if r.file == row.file)
            wanted, found_plan = row.id, row.plan.id
            commits, revisions = revisions_for_item(
                wanted, file, _revision, None if no_cache else history_cache(), repo_root()
            )
            shallow = is_shallow()
    except (GitError, UsageError) as exc:
        fail_usage(str(exc))
    if measure is not None:
        _kpi_history(measure, file, commits, revisions, shallow, fmt)
        raise typer.Exit(1 if problems else 0)
    entries = item_history(wanted, revisions)
    if fmt is Format.json:
        data = {
            "item": wanted,
            "plan": found_plan,
            "file": file,
            "shallow": shallow,
            "commits": len(commits),
            "history": [e.to_json() for e in entries],
        }
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
        raise typer.Exit(1 if problems else 0)
    title = next((c.title for e in reversed(entries) for c in e.changes), "")
    say("{}", f"{wanted}  {title}".rstrip())
    listed = len(entries)  # the commits below, not every commit to the file
    say("{} ({}), {} commit" + ("s" if listed != 1 else ""), file, found_plan, listed)
    if shallow:
        typer.echo("note: this is a shallow clone; history starts at the oldest commit fetched")
    if not entries:
        typer.echo("not in any commit yet (only in the working tree)")
    for e in entries:
        say("{}  {}  {}  {}", e.commit.day, e.commit.short, e.commit.author, e.what())
    last = next((e for e in reversed(entries) if not e.note), None)
    if last and last.changes and last.changes[0].kind.value != "removed":
        rating = last.rating or "none"
        deadline = last.deadline.words() if last.deadline else "none"
        leads = "; ".join(last.leads) or "none"
        say("as of {}: rating {}; deadline {}; lead {}", last.commit.short, rating, deadline, leads)
    raise typer.Exit(1 if problems else 0)


def _measure_named(
    rows: "Sequence[Row]", results: "Sequence[LoadResult]", ident: str, where: str
) -> "Measure | None":
    """The measure ``ident`` names, or None when it names an item (left to find_or_exit).

    An id that is an item's and a measure's is a usage error rather than a guess: the
    two histories say different things. An id that is neither gets close item AND
    measure ids suggested, since ``history`` takes both.
    """
    from planctl.cli.common import invalid_note
    from planctl.cli.kpi_cmd import find_measure
    from planctl.core.kpi import measures
    from planctl.core.query import find
    from planctl.core.text import did_you_mean

    wanted = ident.strip()
    found = [m for r in results if r.plan is not None for m in measures(r.plan)]
    kpis = [m for m in found if m.kpi.id and wanted in (m.kpi.id, m.ref)]
    items = find(rows, wanted)
    if items and kpis:
        named = [f"{r.ref} (item)" for r in items] + [f"{m.ref} (measure)" for m in kpis]
        message = f"{ident!r} names both an item and a measure of success: {', '.join(named)}"
        shared = sorted({r.ref for r in items} & {m.ref for m in kpis})
        if len(shared) < len(items) + len(kpis) - len(shared):
            message += "; name one as PLAN-ID:ID"
        if shared:
            message += (
                f"; in {', '.join(shared)} an item and a measure share one id, which PLAN-ID:ID "
                "cannot tell apart: give one of them a new id"
            )
        fail_usage(message)
    if kpis:
        return find_measure(found, wanted, where)
    if not items:
        pool = {r.id for r in rows} | {r.ref for r in rows}
        pool |= {m.kpi.id for m in found if m.kpi.id} | {m.ref for m in found if m.kpi.id}
        hint = did_you_mean(wanted, pool) or (
            "; no measure of success has that id either; try 'planctl search WORDS' or 'planctl kpis'"
        )
        place = f" in {where}" if where else ""
        fail_usage(f"no item {ident!r}{place}{invalid_note(results)}{hint}")
    return None


def _kpi_history(
    measure: "Measure",
    file: str,
    commits: "Sequence[Commit]",
    revisions: "Sequence[Revision]",
    shallow: bool,
    fmt: Format,
) -> None:
    """``history KPI-ID``: one line per commit that changed the measure, then its latest state."""
    import json

    from planctl.core.kpi_diff import kpi_history

    kpi_id = measure.kpi.id or measure.kpi.name
    entries = kpi_history(kpi_id, revisions)
    if fmt is Format.json:
        data = {
            "kpi": kpi_id,
            "name": measure.kpi.name,
            "plan": measure.plan.id,
            "file": file,
            "shallow": shallow,
            "commits": len(commits),
            "history": [e.to_json() for e in entries],
        }
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    name = next((c.title for e in reversed(entries) for c in e.changes), measure.kpi.name)
    say("{}", f"{kpi_id}  {name}".rstrip())
    listed = len(entries)
    say(
        "{} ({}), measure of success, {} commit" + ("s" if listed != 1 else ""), file, measure.plan.id, listed
    )
    if shallow:
        typer.echo("note: this is a shallow clone; history starts at the oldest commit fetched")
    if not entries:
        typer.echo("not in any commit yet (only in the working tree)")
    for e in entries:
        say("{}  {}  {}  {}", e.commit.day, e.commit.short, e.commit.author, e.what())
    last = next((e for e in reversed(entries) if not e.note), None)
    if last is not None and last.present:
        say("as of {}: latest {}; target {}", last.commit.short, last.latest_words(), last.target)


def history_cache() -> "Cache":
    """What each blob of a plan yields, by blob id, in the project's .planctl_cache/."""
    from planctl.store.cache import Cache, context_digest, project_root
    from planctl.store.layout import CACHE_DIR

    return Cache(project_root(Path.cwd()) / CACHE_DIR, "history", context_digest())


@app.command()
def slippage(
    paths: list[Path] | None = typer.Argument(
        None, metavar="PATH", help="Plan files or folders (default: plans/).", show_default=False
    ),
    fmt: SlippageFormat = Format.table,
    no_cache: bool = typer.Option(
        False, "--no-cache", help="Read every revision afresh; do not read or write .planctl_cache/."
    ),
) -> None:
    """How often and how far deadlines moved later, per plan and per lead, over the git history.

    Compares each committed version of each plan file with the one before (following
    renames); a slip is an item whose deadline's end moved later. A slip counts against
    the item's lead before the commit that moved it. Exit 0 normally, 2 outside a git
    repository.
    """
    import json

    from planctl.core.plandiff import render_slippage_table
    from planctl.store.files import UsageError
    from planctl.store.gitrev import GitError, is_shallow, repo_root, to_repo_path
    from planctl.store.historyscan import plan_slippage_fast, scan_many

    rows = []
    try:
        repo_root()
        if is_shallow():
            typer.echo(
                "planctl: note: this is a shallow clone; history starts at the oldest commit fetched, "
                "so earlier slips are not counted (`git fetch --unshallow` fetches the rest)",
                err=True,
            )
        cache = None if no_cache else history_cache()
        top = repo_root()
        files = [to_repo_path(found.path) for found in discover_or_exit(paths)]
        steps = scan_many(files, cache, top)
        for file in files:
            row = plan_slippage_fast(file, file, cache, top, steps[file])
            if row is None:
                say("planctl: note: {} has no readable committed version; not counted", file, err=True)
            else:
                rows.append(row)
    except (GitError, UsageError) as exc:
        fail_usage(str(exc))
    if fmt is Format.json:
        typer.echo(json.dumps([r.to_json() for r in rows], indent=2, ensure_ascii=False))
    else:
        say_text(render_slippage_table(rows), nl=False)

"""``planctl board``: the board pack for one or several plans, as Markdown, HTML or PDF."""

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from planctl.cli import app, complete
from planctl.cli.common import (
    check_out,
    fail,
    fail_usage,
    report_problems,
    resolve_day,
    say,
    today_from_clock,
)
from planctl.cli.options import PackFormat
from planctl.output.emit import Format

if TYPE_CHECKING:
    from planctl.core.models import Plan


TEMPLATES = {Format.markdown: "board-pack/pack.md", Format.html: "board-pack/pack.html"}


def _plans(names: list[str]) -> "list[tuple[str, Plan]]":
    """Plan files or ids (default: every plan under plans/); an invalid one exits 1."""
    from planctl.cli.common import plan_or_exit
    from planctl.store.files import UsageError, discover, load
    from planctl.store.root import default_plans

    if names:
        out = []
        for name in names:
            plan, display = plan_or_exit(name)
            out.append((display, plan))
        return out
    try:
        found = discover([default_plans()])
    except UsageError as exc:
        fail_usage(str(exc))
    results = [load(f) for f in found]
    problems = [d for r in results for d in r.problems]
    if problems:
        report_problems(problems)
        raise typer.Exit(1)
    return [(r.file, r.plan) for r in results if r.plan is not None]


def _since(since: str) -> tuple[str, str]:
    """``--since`` as a commit: a revision, else a day (the last commit on or before it)."""
    from planctl.store.gitrev import GitError, exists, last_commit_by, repo_root, resolve, short

    try:
        repo_root()
        if exists(since):
            sha = resolve(since)
            return sha, f"{since} ({short(sha)})" if not sha.startswith(since) else short(sha)
    except GitError as exc:
        fail_usage(f"--since needs the plans' git history: {exc}")
    day = resolve_day(since, "--since", today_from_clock())
    try:
        found = last_commit_by(day.isoformat())
    except GitError as exc:
        fail_usage(f"--since: {exc}")
    if found is None:
        fail_usage(
            f"--since {since}: no commit on or before {day.isoformat()}; give a later day or a revision"
        )
    return found, f"{day.isoformat()} (the plans as committed then: {short(found)})"


def _in_repo(file: str) -> str | None:
    """``file``'s path from the top of the repository; None outside git or outside it."""
    from planctl.store.gitrev import GitError, to_repo_path

    try:
        return to_repo_path(Path(file))
    except (GitError, ValueError):
        return None


def _bases(sha: str, files: list[str]) -> "dict[str, Plan]":
    """The plans at ``sha`` in the folders of ``files``, by plan id (renamed files pair up)."""
    from planctl.cli.diff_cmd import load_at
    from planctl.store.gitrev import plan_files, repo_root, short

    folders = sorted({Path(p).parent.as_posix() for f in files if (p := _in_repo(f)) is not None})
    if not folders:
        return {}
    label = short(sha)
    out: dict[str, Plan] = {}
    for name in plan_files(sha, folders, cwd=repo_root()):  # folders are from the top
        result = load_at(sha, label, name)
        if result.plan is not None and result.ok:
            out.setdefault(result.plan.id, result.plan)
    return out


def _slips(chosen: "list[tuple[str, Plan]]") -> dict[str, dict[str, int]]:
    """Per plan id, how many times each item's deadline moved later over the git history
    (read at git speed, :mod:`planctl.store.historyscan`) and in the working tree since the
    last commit."""
    from collections import Counter

    from planctl.cli.diff_cmd import history_cache
    from planctl.core.models import walk_items
    from planctl.store.gitrev import GitError, repo_root
    from planctl.store.historyscan import scan, slips

    out: dict[str, Counter[str]] = {}
    cache = history_cache()
    for file, plan in chosen:
        where = _in_repo(file)
        if where is None:
            continue  # no history to count slips in
        try:
            steps = list(scan(where, cache, repo_root()))
        except GitError as exc:
            fail_usage(str(exc))
        for before, ident, _ in slips(steps):
            out.setdefault(before.plan_id or "", Counter())[ident] += 1
        last = next((s.summary for s in reversed(steps) if s.summary.plan_id is not None), None)
        if last is None or last.plan_id != plan.id:
            continue
        for loc in walk_items(plan):  # the working tree against the last commit
            was = last.items.get(loc.item.id)
            d = loc.item.deadline
            end = d.end.isoformat() if d is not None and d.end is not None else None
            if was is not None and was[0] is not None and end is not None and end > was[0]:
                out.setdefault(plan.id, Counter())[loc.item.id] += 1
    return {k: dict(v) for k, v in out.items()}


@app.command()
def board(
    plans: list[str] | None = typer.Argument(
        None,
        metavar="PLAN...",
        help="Plan files or plan ids (default: every plan under plans/).",
        show_default=False,
        autocompletion=complete.plan_ids,
    ),
    as_of: str = typer.Option(
        "today", "--as-of", metavar="DAY", help="The day of the meeting (default: today)."
    ),
    since: str | None = typer.Option(
        None,
        "--since",
        metavar="REV|DATE",
        help="The last meeting: a git revision, or a day (the plans as last committed on or before it).",
        show_default=False,
    ),
    fmt: PackFormat = Format.markdown,
    pdf: bool = typer.Option(
        False, "--pdf", help="Write an A4 PDF with page numbers and contents (needs --out)."
    ),
    out: Path | None = typer.Option(
        None, "--out", "-o", metavar="FILE", help="Write here instead of stdout."
    ),
    stale_months: int = typer.Option(
        3, "--stale-months", metavar="N", help="Flag open actions with no update for N months or more."
    ),
    include_closed: bool = typer.Option(
        False, "--include-closed", help="Report plans and sections closed by --as-of too."
    ),
    templates: Path | None = typer.Option(
        None,
        "--templates",
        metavar="FOLDER",
        help="A folder whose board-pack/pack.md or pack.html overrides the bundled one.",
        file_okay=False,
    ),
) -> None:
    """The board pack: ratings by section, what changed since the last meeting, exceptions,
    latest notes, decisions awaiting a response and upcoming deadlines, for one plan or several.

    Changes since --since come from the plans' git history (as 'planctl diff' sees them);
    slips are counted over the whole history. Exit 0 done, 1 an invalid plan or a failing
    template, 2 usage errors.
    """
    from planctl.render.boardpack import build_pack
    from planctl.render.engine import RenderError, html_to_pdf, render_template, template_dirs, write_atomic

    when = resolve_day(as_of, "--as-of", today_from_clock())
    if stale_months < 1:
        fail_usage("--stale-months must be 1 or more")
    if pdf and out is None:
        fail_usage("--pdf needs --out FILE")
    if templates is not None and not templates.is_dir():
        fail_usage(f"--templates {templates}: no such folder")
    if out is not None:
        check_out(out)
    chosen = _plans(plans or [])
    if not chosen:
        fail_usage("no plans to report on")
    files = [f for f, _ in chosen]
    bases: dict[str, Plan] = {}
    label = None
    if since is not None:
        sha, label = _since(since)
        bases = _bases(sha, files)
    pack = build_pack(
        chosen,
        when,
        bases=bases,
        since_label=label,
        slips=_slips(chosen),
        stale_months=stale_months,
        include_closed=include_closed,
    )
    if not pack.plans:
        fail_usage("every plan named is closed by --as-of; --include-closed reports them")
    name = TEMPLATES[Format.html if pdf else fmt]
    try:
        text = render_template(name, pack, template_dirs(templates))
        if pdf:
            assert out is not None
            data, pages = html_to_pdf(text)
            write_atomic(out, data)
            say("wrote {} ({} pages)", out, pages, err=True)
        elif out is not None:
            write_atomic(out, text)
            say("wrote {}", out, err=True)
        else:
            sys.stdout.write(text)
    except RenderError as exc:
        fail(str(exc))

"""``planctl update``, ``add``, ``new`` and ``fmt``: change plan files without losing a comment."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TypeVar

import typer

from planctl.cli import app
from planctl.cli.common import PathsArg, fail_usage, paths_or_default

if TYPE_CHECKING:
    from planctl.validate import LoadResult

T = TypeVar("T")

DryRunOpt = typer.Option(False, "--dry-run", "-n", help="Print the change as a unified diff; write nothing.")


def _refuse(message: str, hint: str | None = None) -> NoReturn:
    typer.echo(f"planctl: {message}", err=True)
    if hint:
        typer.echo(f"  hint: {hint}", err=True)
    raise typer.Exit(1)


def _day(text: str | None, option: str) -> dt.date:
    from planctl.dates import parse_query_date

    today = dt.date.today()
    if text is None:
        return today
    try:
        fd = parse_query_date(text, today)
    except ValueError as exc:
        fail_usage(f"{option}: {exc}")
    if fd.start is None or fd.start != fd.end:
        fail_usage(f"{option}: {text!r} is not a single day; give e.g. 2025-11-03 or today")
    return fd.start


def _load(paths: list[Path] | None) -> list[tuple[Path, LoadResult]]:
    from planctl.files import UsageError, discover, load

    try:
        found = discover(paths_or_default(paths))
    except UsageError as exc:
        fail_usage(str(exc))
    return [(f.path, load(f)) for f in found]


def _find(ident: str, results: list[tuple[Path, LoadResult]], what: str) -> tuple[Path, LoadResult, str]:
    """The plan holding ``ident`` (an id, or ``plan-id:id`` when ambiguous) and the bare id."""
    from planctl.models import walk_items, walk_sections

    def ids(result: LoadResult) -> set[str]:
        plan = result.plan
        if plan is None:
            return set()
        if what == "item":
            return {loc.item.id for loc in walk_items(plan)}
        return {s.id for s, _, _ in walk_sections(plan.sections)}

    matches: list[tuple[Path, LoadResult, str]] = []
    for path, r in results:
        if r.plan is None:
            continue
        present = ids(r)
        if ident in present:
            matches.append((path, r, ident))
        prefix = f"{r.plan.id}:"
        if ident.startswith(prefix) and ident[len(prefix) :] in present:
            matches.append((path, r, ident[len(prefix) :]))
    if len(matches) == 1:
        return matches[0]
    if matches:
        names = ", ".join(f"{r.plan.id}:{i}" for _, r, i in matches if r.plan)
        fail_usage(f"{what} {ident!r} is in more than one plan; name one of: {names}")
    invalid = [r.file for _, r in results if r.plan is None]
    extra = f" (not searched, invalid: {', '.join(invalid)})" if invalid else ""
    return fail_usage(f"no {what} {ident!r} in the plans searched{extra}")


def _apply(path: Path, display: str, change: Callable[[str], tuple[str, T]], dry_run: bool) -> T:
    """Run ``change(text) -> (new_text, extra)`` safely on ``path``; print the diff on dry runs."""
    from planctl.edit import EditError, unified_diff
    from planctl.safewrite import WriteError, modify

    def on_bytes(raw: bytes) -> tuple[bytes, T]:
        new, extra = change(raw.decode("utf-8"))
        return new.encode("utf-8"), extra

    try:
        old, new, extra = modify(path, on_bytes, dry_run=dry_run)
    except EditError as exc:
        _refuse(exc.message, exc.hint)
    except WriteError as exc:
        _refuse(str(exc))
    if dry_run:
        typer.echo(unified_diff(old.decode("utf-8"), new.decode("utf-8"), display), nl=False)
    return extra


@app.command()
def update(
    item_id: str = typer.Argument(..., metavar="ID", help="Item id, or PLAN-ID:ITEM-ID when ambiguous."),
    paths: list[Path] | None = PathsArg,
    status: str | None = typer.Option(
        None, "--status", "-s", help="Rating: a key or label of the plan's scale."
    ),
    note: str | None = typer.Option(None, "--note", "-m", help="Progress note, added as a dated update."),
    date: str | None = typer.Option(None, "--date", help="Date of the update (default: today)."),
    due: str | None = typer.Option(None, "--due", help="New deadline as text, e.g. 'Q4 2025/26'."),
    lead: str | None = typer.Option(None, "--lead", help="New lead (replaces the item's leads)."),
    dry_run: bool = DryRunOpt,
) -> None:
    """Rate an item, add a dated progress note, or change its deadline or lead.

    Only the lines that change are rewritten: comments, quoting and layout stay as they are.
    Exit 1 if the value is refused (nothing is written), 2 on usage errors.
    """
    from planctl.edit import UpdateRequest, update_item

    req = UpdateRequest(date=_day(date, "--date"), status=status, note=note, due=due, lead=lead)
    if req.empty:
        fail_usage("nothing to update; give --status, --note, --due or --lead")
    path, result, bare = _find(item_id, _load(paths), "item")
    _apply(path, result.file, lambda text: (update_item(text, result.file, bare, req), None), dry_run)
    if not dry_run:
        typer.echo(f"updated {bare} in {result.file}")


@app.command()
def add(
    section_id: str = typer.Argument(..., metavar="SECTION-ID", help="Section id, or PLAN-ID:SECTION-ID."),
    paths: list[Path] | None = PathsArg,
    title: str = typer.Option(..., "--title", "-t", help="What needs to happen."),
    kind: str = typer.Option("action", "--kind", help="action, objective, recommendation, ..."),
    due: str | None = typer.Option(None, "--due", help="Deadline as text, e.g. 'March 2026'."),
    lead: str | None = typer.Option(None, "--lead", help="Who leads it."),
    item_id: str | None = typer.Option(None, "--id", help="Item id (default: the next after its siblings)."),
    dry_run: bool = DryRunOpt,
) -> None:
    """Add an item at the end of a section, with the next free id (1.2.3 → 1.2.4)."""
    from planctl.edit import add_item

    path, result, bare = _find(section_id, _load(paths), "section")

    def change(text: str) -> tuple[str, str]:
        return add_item(text, result.file, bare, title, kind=kind, due=due, lead=lead, item_id=item_id)

    new_id = _apply(path, result.file, change, dry_run)
    if not dry_run:
        typer.echo(f"added {new_id} to {bare} in {result.file}")


@app.command()
def new(
    file: Path = typer.Argument(..., help="The plan file to create, e.g. plans/my-plan.yaml."),
    plan_id: str = typer.Option(..., "--id", help="Plan id: letters, digits, . _ : / -"),
    title: str = typer.Option(..., "--title", "-t", help="The plan's title as its source gives it."),
) -> None:
    """Start a plan file: schema header, a RAG scale and an example section. Never overwrites."""
    from planctl.edit import EditError, new_plan_text
    from planctl.safewrite import WriteError, create

    if file.exists():
        _refuse(f"{file} already exists; not overwritten")
    if not file.parent.is_dir():
        fail_usage(f"{file.parent}: no such folder")
    try:
        text = new_plan_text(plan_id, title)
        create(file, text.encode("utf-8"))
    except EditError as exc:
        _refuse(exc.message, exc.hint)
    except WriteError as exc:
        _refuse(str(exc))
    typer.echo(f"created {file}")


@app.command()
def fmt(
    paths: list[Path] | None = PathsArg,
    check: bool = typer.Option(
        False, "--check", help="Write nothing; show the diff and exit 1 if any file would change."
    ),
) -> None:
    """Rewrite plan files in one canonical layout, keeping every comment.

    Keys in schema order, 2-space indentation, '  - ' sequences, ISO dates. Idempotent.
    Exit 1 with --check when a file is not formatted, or when a file is invalid.
    """
    from planctl.edit import unified_diff
    from planctl.files import UsageError, discover
    from planctl.fmt import FormatError, format_text
    from planctl.safewrite import WriteError, modify

    try:
        found = discover(paths_or_default(paths))
    except UsageError as exc:
        fail_usage(str(exc))
    failed = changed = 0
    for f in found:

        def change(raw: bytes, display: str = f.display) -> tuple[bytes, None]:
            return format_text(raw.decode("utf-8"), display).encode("utf-8"), None

        try:
            old, new, _ = modify(f.path, change, dry_run=check)
        except (FormatError, WriteError, UnicodeDecodeError) as exc:
            typer.echo(f"planctl: {exc}", err=True)
            failed += 1
            continue
        if old != new:
            changed += 1
            if check:
                typer.echo(unified_diff(old.decode("utf-8"), new.decode("utf-8"), f.display), nl=False)
            else:
                typer.echo(f"formatted {f.display}")
    verb = "would be reformatted" if check else "reformatted"
    typer.echo(
        f"{len(found)} files checked, {changed} {verb}" + (f", {failed} not formatted" if failed else ""),
        err=True,
    )
    raise typer.Exit(1 if failed or (check and changed) else 0)

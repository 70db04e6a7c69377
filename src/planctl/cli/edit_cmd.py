"""``planctl update``, ``add``, ``new`` and ``fmt``: change plan files without losing a comment."""

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import typer

from planctl.cli import app, complete
from planctl.cli.common import (
    discover_or_exit,
    error,
    fail,
    fail_usage,
    find_or_exit,
    find_section_or_exit,
    format_message,
    resolve_day,
    say,
    searched,
    today_from_clock,
)
from planctl.cli.options import Paths

if TYPE_CHECKING:
    from planctl.core.validate import LoadResult
    from planctl.edit.operations import Known

T = TypeVar("T")

DryRunOpt = typer.Option(False, "--dry-run", "-n", help="Print the change as a unified diff; write nothing.")


def _load(paths: list[Path] | None) -> "tuple[list[LoadResult], dict[str, Path], dict[str, Known]]":
    """The plan files under ``paths``, each one's path by its display name, and each
    file's text with its result, so the edit under the lock need not read and validate
    an unchanged plan again (a 100,000-item plan: seconds)."""
    from planctl.core.textform import decode
    from planctl.core.validate import load_bytes
    from planctl.core.yamlread import YamlReadError
    from planctl.core.yamlread import decode as read_text
    from planctl.store.files import read

    results: list[LoadResult] = []
    known: dict[str, Known] = {}
    found = discover_or_exit(paths)
    for f in found:
        raw = read(f)
        if not isinstance(raw, bytes):
            results.append(raw)
            continue
        result = load_bytes(raw, f.display)
        results.append(result)
        try:  # kept only when it is exactly the text the edit will be given
            text = decode(raw)[0]
            if text == read_text(raw):
                known[f.display] = (text, result)
        except YamlReadError:
            pass  # load_bytes reported it
    return results, {f.display: f.path for f in found}, known


def _check_due(due: str | None) -> None:
    """A deadline planctl cannot read is a bad option value: a usage error, like a bad --date.

    ``today`` and ``+3m`` are refused: a deadline is written into the plan as given, and
    "+3m" in a plan file means nothing. The message names the day it would have meant.
    """
    from planctl.core.dates import DEADLINE_FORMS, parse_date, parse_query_date

    if due is None or (due.strip() and parse_date(due.strip()).resolved):
        return
    try:
        meant = parse_query_date(due, today_from_clock()) if due.strip() else None
    except ValueError:
        meant = None
    if meant is not None and meant.start is not None:
        fail_usage(
            f"--due: {due.strip()!r} means another day each day the plan is read, and a deadline "
            f"is written into the plan as given; write the day itself, e.g. --due {meant.start.isoformat()}"
        )
    fail_usage(f"--due: cannot read {due!r} as a deadline; accepted forms: {DEADLINE_FORMS}")


def _apply(path: Path, display: str, change: Callable[[str], tuple[str, T]], dry_run: bool) -> T:
    """Run ``change(text) -> (new_text, extra)`` safely on ``path``; print the diff on dry runs.

    The file is written back in its own encoding, BOM and line ending (:mod:`planctl.core.textform`).
    """
    from planctl.core.textform import decode, encode
    from planctl.core.yamlread import YamlReadError
    from planctl.edit.operations import EditError, unified_diff
    from planctl.store.safewrite import WriteError, modify

    texts: list[str] = []

    def on_bytes(raw: bytes) -> tuple[bytes, T]:
        text, form = decode(raw)
        new, extra = change(text)
        texts[:] = [text, new]
        return (raw if new == text else encode(new, form)), extra

    try:
        _, _, extra = modify(path, on_bytes, dry_run=dry_run)
        old_text, new_text = texts
    except EditError as exc:
        fail(exc.message, exc.hint)
    except YamlReadError as exc:
        p = exc.problem
        fail(f"{display}:{p.line}:{p.column}: {p.message}; not edited", p.hint)
    except WriteError as exc:
        fail(str(exc))
    if dry_run:
        typer.echo(unified_diff(old_text, new_text, display), nl=False)
    return extra


@app.command()
def update(
    item_id: str | None = typer.Argument(
        None,
        metavar="ID",
        help="Item id, or PLAN-ID:ITEM-ID when ambiguous.",
        autocompletion=complete.item_refs,
    ),
    paths: Paths = None,
    status: str | None = typer.Option(
        None,
        "--status",
        "-s",
        metavar="STATUS",
        help="Rating: a key or label of the plan's scale.",
        autocompletion=complete.ratings,
    ),
    note: str | None = typer.Option(
        None, "--note", "-m", metavar="TEXT", help="Progress note, added as a dated update."
    ),
    date: str | None = typer.Option(
        None, "--date", metavar="DAY", help="Date of the update (default: today)."
    ),
    due: str | None = typer.Option(
        None, "--due", metavar="DATE", help="New deadline as text, e.g. 'Q4 2025/26'."
    ),
    lead: str | None = typer.Option(
        None,
        "--lead",
        metavar="TEXT",
        help="New lead (replaces the item's leads).",
        autocompletion=complete.lead_names,
    ),
    kpi: str | None = typer.Option(
        None, "--kpi", metavar="KPI-ID", help="Record a figure for this measure (KPI id, or PLAN-ID:KPI-ID)."
    ),
    period: str | None = typer.Option(
        None,
        "--period",
        metavar="PERIOD",
        help="With --kpi: the period, e.g. 'Q3 2025/26', '2025/26', 'July 25'.",
    ),
    value: float | None = typer.Option(
        None, "--value", metavar="NUMBER", help="With --kpi: the figure as a number."
    ),
    area: str | None = typer.Option(None, "--area", metavar="AREA", help="With --kpi: the area, e.g. WCC."),
    figure: str | None = typer.Option(
        None,
        "--figure",
        metavar="TEXT",
        help="With --kpi: the figure as printed, e.g. '58.5%' (default: the value).",
    ),
    dry_run: bool = DryRunOpt,
) -> None:
    """Rate an item, add a dated progress note, or change its deadline or lead; or record a KPI figure.

    Only the lines that change are rewritten: comments, quoting and layout stay as they are.
    Exit 1 if the edit is refused (a status not on the scale: the allowed values are
    listed; nothing is written), 2 on usage errors (an unknown id, an unreadable date).

    With --kpi ID --period P --value V [--area A] [--figure TEXT] [PATH...] it records a
    measure's figure for a period instead (a figure for a period it has replaces that one).
    """
    from planctl.core.query import collect_rows
    from planctl.edit.operations import UpdateRequest, apply_update

    if kpi is not None or period is not None or value is not None or area is not None or figure is not None:
        _update_kpi(item_id, paths, kpi, period, value, area, figure, dry_run)
        return
    if item_id is None:
        fail_usage("give the ID of the item to update (or --kpi ID to record a measure's figure)")
    today = today_from_clock()
    day = resolve_day(date, "--date", today) if date is not None else today
    req = UpdateRequest(date=day, status=status, note=note, due=due, lead=lead)
    if req.empty:
        fail_usage("nothing to update; give --status, --note, --due or --lead")
    _check_due(due)
    results, paths_by_file, known = _load(paths)
    row = find_or_exit(collect_rows(results), item_id, results, where=searched(paths))
    file, bare = row.file, row.id
    seen = known.get(file)
    notice = _apply(
        paths_by_file[file], file, lambda text: apply_update(text, file, bare, req, known=seen), dry_run
    )
    if not dry_run:
        say("updated {} in {}", bare, file)
    if notice:
        say("planctl: note: {}", notice, err=True)


def _update_kpi(
    item_id: str | None,
    paths: list[Path] | None,
    kpi: str | None,
    period: str | None,
    value: float | None,
    area: str | None,
    figure: str | None,
    dry_run: bool,
) -> None:
    """``update --kpi``: a measure's figure, written by the same safe writer as every edit."""
    import math

    from planctl.cli.kpi_cmd import find_measure
    from planctl.core.kpi import measures
    from planctl.core.periods import PERIOD_FORMS, period_or_none
    from planctl.edit.kpi import ObservationRequest, record_observation

    if kpi is None:
        fail_usage("--period, --value, --area and --figure record a measure's figure: give --kpi ID too")
    if period is None or value is None:
        fail_usage("--kpi needs --period and --value, e.g. --period 'Q3 2025/26' --value 61.2")
    if not math.isfinite(value):
        fail_usage(f"--value: {value} is not a figure; give a number such as 61.2")
    if period_or_none(period) is None:
        fail_usage(f"--period: cannot read {period!r} as a period; write e.g. {PERIOD_FORMS}")
    if item_id is not None:  # with --kpi there is no item: the first PATH was read as one
        paths = [Path(item_id), *(paths or [])]
    results, paths_by_file, _ = _load(paths)
    found = [(r, m) for r in results if r.plan is not None for m in measures(r.plan)]
    measure = find_measure([m for _, m in found], kpi, searched(paths))
    file = next(r.file for r, m in found if m is measure)
    bare = measure.kpi.id or ""
    req = ObservationRequest(period=period, value=value, area=area, figure=figure)
    notice = _apply(
        paths_by_file[file], file, lambda text: record_observation(text, file, bare, req), dry_run
    )
    if not dry_run:
        if area:
            say("recorded {} {} ({}) in {}", bare, period.strip(), area.strip(), file)
        else:
            say("recorded {} {} in {}", bare, period.strip(), file)
    if notice:
        say("planctl: note: {}", notice, err=True)


@app.command()
def add(
    section_id: str = typer.Argument(..., metavar="SECTION-ID", help="Section id, or PLAN-ID:SECTION-ID."),
    paths: Paths = None,
    title: str = typer.Option(..., "--title", "-t", metavar="TEXT", help="What needs to happen."),
    kind: str = typer.Option(
        "action", "--kind", metavar="KIND", help="action, objective, recommendation, ..."
    ),
    due: str | None = typer.Option(
        None, "--due", metavar="DATE", help="Deadline as text, e.g. 'March 2026'."
    ),
    lead: str | None = typer.Option(None, "--lead", metavar="TEXT", help="Who leads it."),
    item_id: str | None = typer.Option(
        None, "--id", metavar="ID", help="Item id (default: the next after its siblings)."
    ),
    dry_run: bool = DryRunOpt,
) -> None:
    """Add an item at the end of a section, with the next free id (1.2.3 → 1.2.4).

    Exit 1 if the edit is refused (an id already taken; nothing is written), 2 on usage
    errors (an unknown section, an unreadable --due).
    """
    from planctl.edit.operations import add_item

    _check_due(due)
    results, paths_by_file, known = _load(paths)
    result, section = find_section_or_exit(results, section_id)
    file, bare = result.file, section.id
    seen = known.get(file)

    def change(text: str) -> tuple[str, str]:
        return add_item(text, file, bare, title, kind=kind, due=due, lead=lead, item_id=item_id, known=seen)

    new_id = _apply(paths_by_file[file], file, change, dry_run)
    if not dry_run:
        say("added {} to {} in {}", new_id, bare, file)


@app.command()
def new(
    file: Path = typer.Argument(
        ..., metavar="FILE", help="The plan file to create, e.g. plans/my-plan.yaml."
    ),
    plan_id: str = typer.Option(..., "--id", metavar="PLAN-ID", help="Plan id: letters, digits, . _ : / -"),
    title: str = typer.Option(
        ..., "--title", "-t", metavar="TEXT", help="The plan's title as its source gives it."
    ),
) -> None:
    """Start a plan file: schema header, a RAG scale and an example section. Never overwrites.

    The header names the project's schema/plan.schema.json relative to the file's folder,
    at any depth; if the project has no schema there yet, it is written too.
    """
    import os

    from planctl.api.scaffold import ScaffoldError, create_new, schema_path, schema_ref
    from planctl.edit.operations import EditError, new_plan_text
    from planctl.store.safewrite import WriteError, create

    if file.exists():
        fail(f"{file} already exists; not overwritten")
    if not file.parent.is_dir():
        fail_usage(f"{file.parent}: no such folder")
    schema = schema_path(file.parent)
    try:
        text = new_plan_text(plan_id, title, schema_ref=schema_ref(file, schema))
        create(file, text.encode("utf-8"))
    except EditError as exc:
        fail(exc.message, exc.hint)
    except WriteError as exc:
        fail(str(exc))
    say("created {}", file)
    if not os.path.lexists(schema):
        from planctl.core.schema import schema_json

        try:
            schema.parent.mkdir(exist_ok=True)
            create_new(schema, schema_json().encode("utf-8"))
        except (OSError, ScaffoldError) as exc:
            fail(f"the plan's header names {schema_ref(file, schema)}, which cannot be written: {exc}")
        say("created {} (the schema the plan's header names)", os.path.relpath(schema))


@app.command()
def fmt(
    paths: Paths = None,
    check: bool = typer.Option(
        False, "--check", help="Write nothing; show the diff and exit 1 if any file would change."
    ),
) -> None:
    """Rewrite plan files in one canonical layout, keeping every comment.

    Keys in schema order, 2-space indentation, '  - ' sequences, ISO dates. Idempotent.
    Exit 1 with --check when a file is not formatted, or when a file is invalid.
    """
    from planctl.core.textform import decode, encode
    from planctl.core.yamlread import YamlReadError
    from planctl.edit.fmt import FormatError, format_text
    from planctl.edit.operations import unified_diff
    from planctl.store.safewrite import WriteError, modify

    found = discover_or_exit(paths)
    failed = changed = 0
    for f in found:
        texts: list[str] = []

        def change(raw: bytes, display: str = f.display, texts: list[str] = texts) -> tuple[bytes, None]:
            text, form = decode(raw)  # written back in its own encoding and line ending
            new = format_text(text, display)
            texts[:] = [text, new]
            return (raw if new == text else encode(new, form)), None

        try:
            old, new, _ = modify(f.path, change, dry_run=check)
        except YamlReadError as exc:
            p = exc.problem
            error(format_message("{}:{}:{}: {} (not formatted)", f.display, p.line, p.column, p.message))
            failed += 1
            continue
        except (FormatError, WriteError) as exc:
            error(str(exc))
            failed += 1
            continue
        if old != new:
            changed += 1
            if check:
                typer.echo(unified_diff(texts[0], texts[1], f.display), nl=False)
            else:
                say("formatted {}", f.display)
    verb = "would be reformatted" if check else "reformatted"
    typer.echo(
        f"{len(found)} file{'s' if len(found) != 1 else ''} checked, {changed} {verb}"
        + (f", {failed} not formatted" if failed else ""),
        err=True,
    )
    raise typer.Exit(1 if failed or (check and changed) else 0)


@app.command()
def respond(
    item_id: str = typer.Argument(
        ...,
        metavar="ID",
        help="Recommendation id, or PLAN-ID:ITEM-ID when ambiguous.",
        autocompletion=complete.item_refs,
    ),
    paths: Paths = None,
    decision: str | None = typer.Option(
        None, "--decision", metavar="DECISION", help="A key or label of the plan's decision scale."
    ),
    response: str | None = typer.Option(None, "--response", "-m", metavar="TEXT", help="The response text."),
    action: str | None = typer.Option(None, "--action", metavar="TEXT", help="The proposed action."),
    timescale: str | None = typer.Option(
        None, "--timescale", metavar="TEXT", help="Indicative timescale as written, e.g. 'March 2026'."
    ),
    by: str | None = typer.Option(None, "--by", metavar="NAME", help="Who responded, e.g. Cabinet."),
    date: str | None = typer.Option(None, "--date", metavar="DAY", help="The day of the response."),
    dry_run: bool = DryRunOpt,
) -> None:
    """Record a recommendation's response: decision, response text, proposed action, timescale.

    Only the response's lines change; fields not given are left as they are. Exit 1 if
    the edit is refused (a decision not on the scale: the allowed values are listed;
    nothing is written), 2 on usage errors (an unknown id, an unreadable date).
    """
    from planctl.core.query import collect_rows
    from planctl.edit.respond import ResponseRequest
    from planctl.edit.respond import respond as record

    day = resolve_day(date, "--date", today_from_clock()) if date is not None else None
    req = ResponseRequest(
        decision=decision, text=response, action=action, timescale=timescale, by=by, date=day
    )
    if req.empty:
        fail_usage("nothing to record; give --decision, --response, --action, --timescale or --by")
    results, paths_by_file, _ = _load(paths)
    row = find_or_exit(collect_rows(results), item_id, results, where=searched(paths))
    file, bare = row.file, row.id
    _apply(paths_by_file[file], file, lambda text: (record(text, file, bare, req), None), dry_run)
    if not dry_run:
        say("recorded the response to {} in {}", bare, file)

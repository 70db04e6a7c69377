"""``planctl import`` and ``planctl export``: spreadsheets and calendars in and out."""

import io
from pathlib import Path

import typer

from planctl.cli import app
from planctl.cli.common import (
    check_out,
    fail,
    fail_usage,
    load_or_exit,
    report_problems,
    resolve_day,
    say,
    today_from_clock,
    write_out,
)
from planctl.cli.options import ExportFormat, FollowSymlinks, Paths
from planctl.output.emit import Format


@app.command("export")
def export(
    paths: Paths = None,
    fmt: ExportFormat = Format.csv,
    out: Path | None = typer.Option(
        None, "--out", "-o", metavar="FILE", help="Write here (required for xlsx) instead of stdout."
    ),
    as_of: str = typer.Option(
        "today", "--as-of", metavar="DAY", help="Give each item's rating as of this day (default: today)."
    ),
    lead: str | None = typer.Option(
        None,
        "--lead",
        "-l",
        metavar="NAME",
        help="Only items this lead leads (own or inherited; any part of the name, any case).",
    ),
    follow_symlinks: FollowSymlinks = False,
    kpis: bool = typer.Option(
        False, "--kpis", help="Export the measures' figures (one row per figure) instead of the items."
    ),
) -> None:
    """One row per item (plan, section, id, title, deadline and its interval, leads, rating
    as of --as-of), or an iCalendar feed with an all-day event on the last day of each deadline.
    With --kpis, one row per figure of each measure of success instead (csv or json); the
    xlsx workbook has these figures on a second sheet, KPIs.

    An invalid plan file is reported on stderr and left out; the valid plans are still
    exported, and the exit status is 1. Exit 2 on usage errors.
    """
    import datetime as dt

    from planctl.interchange import exporter
    from planctl.output.formats import write_csv

    if fmt is Format.xlsx and out is None:
        fail_usage("--format xlsx needs --out FILE.xlsx")
    if out is not None:
        check_out(out)
    day = resolve_day(as_of, "--as-of", today_from_clock())
    results = load_or_exit(paths, follow_symlinks)
    problems = [d for r in results for d in r.problems]
    report_problems(problems, searched="the export")
    plans = [r.plan for r in results if r.plan is not None]
    if kpis and fmt in (Format.ics, Format.xlsx):
        fail_usage(f"--kpis writes csv or json; the xlsx export has a KPIs sheet already, and {fmt} has none")
    from planctl.core.kpi import OBSERVATION_FIELDS, observation_rows

    if kpis:
        from planctl.output.formats import json_text

        figures = observation_rows(plans, day)
        if fmt is Format.json:
            data = (json_text(figures) + "\n").encode("utf-8")
        else:
            buf = io.StringIO()
            write_csv(figures, OBSERVATION_FIELDS, buf)
            data = buf.getvalue().encode("utf-8")
    elif fmt is Format.ics:
        data = exporter.to_ics(plans, dt.datetime.now(dt.UTC).replace(microsecond=0), day, lead)
    elif fmt is Format.xlsx:
        data = exporter.to_xlsx(
            exporter.rows(plans, day, lead), observation_rows(plans, day), OBSERVATION_FIELDS
        )
    elif fmt is Format.json:
        data = exporter.to_json(exporter.rows(plans, day, lead)).encode("utf-8")
    else:
        data = exporter.to_csv(exporter.rows(plans, day, lead)).encode("utf-8")
    if out is None:
        typer.echo(data.decode("utf-8"), nl=False)
    else:
        write_out(out, data)
        say("wrote {}", out, err=True)
    raise typer.Exit(1 if problems else 0)


def _plan_file(plans_dir: Path, plan_id: str) -> Path:
    """``plans_dir/<id>.yaml``, or a usage error when the id is not a plain file name
    (``x/../..`` would leave the folder) or the file leads outside ``plans_dir``."""
    from planctl.store.safefiles import file_name, inside

    name = file_name(plan_id)
    if name != plan_id:
        fail_usage(
            f"--plan {plan_id!r}: the plan file is named from the id, so use only letters, digits,"
            f" '.', '_' and '-' (e.g. {name!r})"
        )
    target = plans_dir / f"{name}.yaml"
    if not inside(plans_dir, target):
        fail_usage(f"{target} leads outside {plans_dir} (a symlink); import writes only inside --plans-dir")
    return target


@app.command("import")
def import_(
    table: Path = typer.Argument(
        ..., metavar="FILE", help="A .csv or .xlsx file; the first row holds headers."
    ),
    plan_id: str | None = typer.Option(
        None, "--plan", metavar="PLAN-ID", help="Plan id: adds to plans/<id>.yaml, or creates it."
    ),
    section: str | None = typer.Option(
        None, "--section", metavar="SECTION-ID", help="Section id the items go in."
    ),
    mapping: str | None = typer.Option(
        None,
        "--map",
        metavar="MAPPING",
        help='Columns to fields: "What needs to happen=title,By when=due,Who will lead this=leads". '
        "Fields: id, kind, number, title, text, due, leads, status, section, section_title, section_path. "
        "Default: columns named like fields, as 'planctl export' writes them.",
    ),
    title: str | None = typer.Option(
        None, "--title", metavar="TEXT", help="Title of a new plan (default: its id)."
    ),
    plans_dir: Path | None = typer.Option(
        None,
        "--plans-dir",
        metavar="FOLDER",
        help="Folder of the plan files (default: the project's plans/, found from any folder inside it).",
    ),
    updates: bool = typer.Option(
        False,
        "--updates",
        help="FILE holds updates (a filled 'planctl forms' workbook, or id, rating, date, note columns): "
        "add each row with a rating or note as a dated update of its item.",
    ),
    as_of: str = typer.Option(
        "today",
        "--as-of",
        metavar="DAY",
        help="With --updates: today, for updates without a date and to refuse dates after it.",
    ),
    dry_run: bool = typer.Option(False, "--dry-run", "-n", help="Print the change as a diff; write nothing."),
) -> None:
    """Add a spreadsheet's rows to a plan as items (a new plan file if there is none), or
    with --updates, a filled return form's ratings and notes as dated updates.

    Every row is checked first; problems are listed by row (and column) and nothing is
    written unless the whole import is valid (exit 1).
    """
    from planctl.core.textform import TextForm, decode, encode
    from planctl.core.yamlread import YamlReadError
    from planctl.edit.operations import EditError, unified_diff
    from planctl.interchange.importer import TableError, build, parse_map, read_table
    from planctl.store.safewrite import WriteError, create, modify

    if not table.is_file():
        fail_usage(f"{table}: no such file")
    if plans_dir is None:
        from planctl.store.root import default_plans

        plans_dir = default_plans()
    if not plans_dir.is_dir():
        fail_usage(f"{plans_dir}: no such folder")
    if updates:
        from planctl.cli.updates_cmd import import_updates

        if plan_id is not None or section is not None or mapping is not None or title is not None:
            fail_usage(
                "--updates takes the plans from --plans-dir; --plan, --section, --map and --title add items"
            )
        import_updates(table, plans_dir, resolve_day(as_of, "--as-of", today_from_clock()), dry_run)
        return
    if plan_id is None:
        fail_usage("give --plan PLAN-ID: the plan the rows are added to (or --updates for a return form)")
    try:
        headers, body = read_table(table)
        columns = parse_map(mapping, headers)
    except TableError as exc:
        fail_usage(str(exc))
    except (OSError, ValueError, KeyError) as exc:  # openpyxl: not a workbook
        fail_usage(f"{table}: cannot read: {exc}")
    target = _plan_file(plans_dir, plan_id)
    display = str(target)
    exists = target.exists()
    added: list[str] = []
    texts: list[str] = []

    def change(raw: bytes | None) -> bytes:
        form = TextForm()
        existing = None
        if raw is not None:
            try:
                existing, form = decode(raw)  # written back in its own encoding and line ending
            except YamlReadError as exc:
                bad = exc.problem
                fail(f"{display}:{bad.line}:{bad.column}: {bad.message}; nothing imported")
        try:
            outcome = build(
                body,
                columns,
                plan_id=plan_id,
                section_id=section,
                existing=existing,
                file=display,
                title=title,
            )
        except EditError as exc:
            fail_usage(exc.message)
        if outcome.problems or outcome.text is None:
            for p in outcome.problems:
                if p.row:
                    say("{}:row {}: {}", table, p.row, p.message, err=True)
                else:
                    say("{}: {}", table, p.message, err=True)
            fail(f"nothing imported: {len(outcome.problems)} problem(s)")
        added.extend(outcome.added)
        texts[:] = [existing or "", outcome.text]
        return encode(outcome.text, form)

    try:
        if exists:
            modify(target, lambda raw: (change(raw), None), dry_run=dry_run)
            if dry_run:
                typer.echo(unified_diff(texts[0], texts[1], display), nl=False)
        else:
            data = change(None)
            if dry_run:
                typer.echo(unified_diff("", data.decode("utf-8"), display), nl=False)
            else:
                create(target, data)
    except WriteError as exc:
        fail(str(exc))
    if not dry_run:
        verb = "added to" if exists else "created"
        say("{} item(s) imported; {} {}", len(added), verb, display)

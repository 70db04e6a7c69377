"""``planctl forms``: a return form per lead, to fill in Excel or LibreOffice.

A command of its own rather than ``export --form``: export writes one file of every item
for any reader; a form is per lead (one workbook each, into a folder), holds only their
open items, and is meant to come back (``planctl import --updates``). Its options (a
folder, which leads) mean nothing to the other export formats.
"""

from pathlib import Path

import typer

from planctl.cli import app, complete
from planctl.cli.common import (
    check_out,
    fail_usage,
    load_or_exit,
    report_problems,
    resolve_day,
    say,
    today_from_clock,
    write_out,
)
from planctl.cli.options import FollowSymlinks, Paths
from planctl.core.text import did_you_mean


@app.command("forms")
def forms(
    paths: Paths = None,
    leads: list[str] = typer.Option(
        [],
        "--lead",
        "-l",
        metavar="NAME",
        help="Only this lead's form (the name as 'planctl leads' lists it, any case); repeat for more.",
        autocompletion=complete.lead_names,
    ),
    out: Path | None = typer.Option(
        None, "--out", "-o", metavar="FILE.xlsx", help="Write the one lead's form (with one --lead) here."
    ),
    out_dir: Path | None = typer.Option(
        None, "--out-dir", metavar="FOLDER", help="Write one workbook per lead here (NAME.xlsx)."
    ),
    as_of: str = typer.Option(
        "today",
        "--as-of",
        metavar="DAY",
        help="Open items and current ratings as of this day (default: today).",
    ),
    follow_symlinks: FollowSymlinks = False,
) -> None:
    """Write a return form (.xlsx) per lead: their open items, a rating drop-down of each
    item's own scale, a date and a note to fill in, for 'planctl import --updates'.

    An invalid plan file is reported on stderr and left out (exit 1); exit 2 on usage
    errors (an unknown lead: the leads are listed).
    """
    from planctl.interchange import forms as form_mod

    if (out is None) == (out_dir is None):
        fail_usage("give --out FILE.xlsx (one --lead) or --out-dir FOLDER (a workbook per lead)")
    if out is not None:
        if len(leads) != 1:
            fail_usage("--out writes one lead's form: give exactly one --lead (or use --out-dir)")
        check_out(out)
        if out.suffix.lower() != ".xlsx":
            fail_usage(f"--out {out}: a form is an Excel workbook; name it .xlsx")
    if out_dir is not None and not out_dir.is_dir():
        fail_usage(f"--out-dir {out_dir}: no such folder; create it first")
    day = resolve_day(as_of, "--as-of", today_from_clock())
    results = load_or_exit(paths, follow_symlinks)
    problems = [d for r in results for d in r.problems]
    report_problems(problems, searched="the forms")
    plans = [r.plan for r in results if r.plan is not None]
    by_lead = form_mod.forms_by_lead(plans, day)
    chosen = list(by_lead.values())
    if leads:
        chosen = []
        for name in leads:
            form = by_lead.get(name.strip().casefold())
            if form is None:
                names = [f.lead for f in by_lead.values()]
                known = "; ".join(sorted(names, key=str.casefold)) or "none"
                fail_usage(
                    f"--lead {name!r} leads no open item{did_you_mean(name, names)} Leads with open items: {known}"
                )
            chosen.append(form)
    if not chosen:
        typer.echo("no lead has open items; no form written", err=True)
        raise typer.Exit(1 if problems else 0)
    stems: dict[str, int] = {}
    for form in chosen:
        data = form_mod.to_xlsx(form, day)
        if out is not None:
            target = out
        else:
            assert out_dir is not None
            stem = form_mod.file_stem(form.lead)
            stems[stem] = stems.get(stem, 0) + 1
            target = out_dir / (f"{stem}.xlsx" if stems[stem] == 1 else f"{stem}-{stems[stem]}.xlsx")
        write_out(target, data)
        say("wrote {}: {} open item(s) for {}", target, len(form.rows), form.lead)
    raise typer.Exit(1 if problems else 0)

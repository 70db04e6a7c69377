"""``planctl kpis`` and ``planctl kpi``: the measures of success, their trend and target.

Glue only: load plans, call :mod:`planctl.core.kpi`, format with :mod:`planctl.output.formats`.
"""

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import typer

from planctl.cli import app, complete
from planctl.cli.common import (
    fail_usage,
    load_or_exit,
    report_problems,
    resolve_day,
    say,
    searched,
    today_from_clock,
    use_colour,
)
from planctl.cli.options import AsOf, FollowSymlinks, Paths, PlanFilter, RowFormat
from planctl.core.text import did_you_mean
from planctl.output.emit import Format

if TYPE_CHECKING:
    from planctl.core.diagnostics import Diagnostic
    from planctl.core.kpi import Measure
    from planctl.core.validate import LoadResult
    from planctl.output.formats import Block


def _load(
    paths: list[Path] | None, follow: bool
) -> "tuple[list[Measure], list[LoadResult], list[Diagnostic]]":
    from planctl.core.kpi import measures

    results = load_or_exit(paths, follow)
    found = [m for r in results if r.plan is not None for m in measures(r.plan)]
    problems = [d for r in results if r.plan is None for d in r.problems]
    return found, results, problems


def _finish(problems: "Sequence[Diagnostic]") -> NoReturn:
    report_problems(problems, searched="the answer above")
    raise typer.Exit(1 if problems else 0)


def _print(blocks: "Sequence[Block]", fmt: Format) -> None:
    from planctl.output.emit import emit_blocks

    emit_blocks(blocks, fmt, colour=use_colour())


def _check_names(
    found: "Sequence[Measure]", plans: list[str] | None, sections: list[str] | None, areas: list[str] | None
) -> None:
    """A typo in a filter would answer "no measures", which reads as good news: refuse it."""
    from planctl.core.models import walk_sections

    plan_ids = {m.plan.id for m in found} | {p for m in found for p in [m.plan.id]}
    for wanted in plans or ():
        if wanted not in plan_ids:
            fail_usage(f"--plan: no plan {wanted!r} with measures{did_you_mean(wanted, plan_ids)}")
    section_ids: set[str] = set()
    titles: list[str] = []
    for plan in {id(m.plan): m.plan for m in found}.values():
        for s, _, _ in walk_sections(plan.sections):
            section_ids.add(s.id)
            titles.append(s.title.casefold())
    for wanted in sections or ():
        w = wanted.casefold()
        if w not in {i.casefold() for i in section_ids} and not any(w in t for t in titles):
            fail_usage(
                f"--section: no section with id {wanted!r} or a title containing it{did_you_mean(wanted, section_ids)}"
            )
    known_areas = {o.area for m in found for o in m.kpi.observations if o.area}
    for wanted in areas or ():
        if wanted.casefold() not in {a.casefold() for a in known_areas}:
            among = ", ".join(sorted(known_areas)) or "none"
            fail_usage(f"--area: no figures for area {wanted!r}; areas: {among}")


def _in_section(m: "Measure", sections: list[str]) -> bool:
    for wanted in sections:
        w = wanted.casefold()
        if any(s.id.casefold() == w or w in s.title.casefold() for s in m.sections):
            return True
    return False


@app.command()
def kpis(
    paths: Paths = None,
    plan: PlanFilter = None,
    section: list[str] | None = typer.Option(
        None,
        "--section",
        metavar="SECTION",
        help="Only measures under a section with this id or a title containing this text (repeatable).",
        show_default=False,
        autocompletion=complete.section_ids,
    ),
    area: list[str] | None = typer.Option(
        None,
        "--area",
        metavar="AREA",
        help="Only figures for this area, e.g. WCC (repeatable).",
        show_default=False,
    ),
    off_target: bool = typer.Option(
        False,
        "--off-target",
        help="Only measures getting worse, off track or past their target date unmet, or rated outside the best band.",
    ),
    as_of: AsOf = "today",
    fmt: RowFormat = Format.table,
    fail_if_any: bool = typer.Option(
        False, "--fail-if-any", help="Exit 1 when any measure is listed (for CI)."
    ),
    follow_symlinks: FollowSymlinks = False,
) -> None:
    """Measures of success: latest and previous figure, change, better or worse, target, status.

    One row per measure and area. Figures are shown as the source prints them. "Better"
    and "worse" need a direction: the measure's polarity (set only where the source
    states it) or one its target implies; otherwise a change is "up" or "down". Status
    is the target's: met, on track (not met, improving, date not passed), off track,
    missed (date passed, not met); with a tolerance, the rating on the plan's scale.
    Figures for periods that begin after --as-of are left out.
    """
    from planctl.core.kpi import assess

    day = resolve_day(as_of, "--as-of", today_from_clock())
    found, _, problems = _load(paths, follow_symlinks)
    _check_names(found, plan, section, area)
    selected = [
        m for m in found if (not plan or m.plan.id in plan) and (not section or _in_section(m, section))
    ]
    wanted_areas = {a.casefold() for a in area or ()}
    rows = [
        a
        for m in selected
        for a in assess(m, day)
        if (not wanted_areas or (a.area or "").casefold() in wanted_areas)
        and (not off_target or a.off_target)
    ]
    if rows or fmt in (Format.json, Format.csv):
        from planctl.output.emit import emit
        from planctl.output.views import MeasureRows

        emit(MeasureRows(rows), fmt, colour=use_colour())
    what = "off target" if off_target else "with measures"
    when = f"(as of {day.isoformat()})"
    if not rows:
        typer.echo(f"no measures {what} {when}" if off_target else f"no measures {when}", err=True)
    elif fmt is Format.table:
        typer.echo(
            f"\n{len(rows)} measure{'s' if len(rows) != 1 else ''}{' off target' if off_target else ''} {when}"
        )
    report_problems(problems, searched="the answer above")
    raise typer.Exit(1 if problems or (fail_if_any and rows) else 0)


def find_measure(found: "Sequence[Measure]", ident: str, where: str) -> "Measure":
    """The one measure ``ident`` names: a KPI id, or ``plan-id:kpi-id`` where ids repeat."""
    wanted = ident.strip()
    matches = [m for m in found if m.kpi.id and wanted in (m.kpi.id, m.ref)]
    if len(matches) > 1:
        fail_usage(
            f"{ident!r} is a measure of more than one plan; name one: {', '.join(m.ref for m in matches)}"
        )
    if not matches:
        pool = {m.kpi.id for m in found if m.kpi.id} | {m.ref for m in found if m.kpi.id}
        hint = did_you_mean(wanted, pool) or "; list them with 'planctl kpis'"
        fail_usage(f"no measure {ident!r} in {where}{hint}")
    return matches[0]


@app.command()
def kpi(
    kpi_id: str = typer.Argument(..., metavar="ID", help="KPI id, or PLAN-ID:KPI-ID when ambiguous."),
    paths: Paths = None,
    as_of: AsOf = "today",
    fmt: RowFormat = Format.table,
    follow_symlinks: FollowSymlinks = False,
) -> None:
    """One measure: its definition, target and every figure per area, with a sparkline."""
    from planctl.core.kpi import assess, direction, format_number, sparkline
    from planctl.output.formats import Block, Cell, Column, write_csv, write_json
    from planctl.output.views import change_words, target_words

    day = resolve_day(as_of, "--as-of", today_from_clock())
    found, _, problems = _load(paths, follow_symlinks)
    m = find_measure(found, kpi_id, searched(paths))
    assessed = assess(m, day)
    k = m.kpi
    if fmt is Format.json:
        data = {
            "plan": m.plan.id,
            "id": k.id,
            "name": k.name,
            "as_of": day.isoformat(),
            "benchmarks": [b.model_dump(mode="json", exclude_none=True) for b in k.benchmarks],
            "source": k.provenance.words() if k.provenance else None,
            "areas": [a.to_json() for a in assessed],
        }
        write_json(data, sys.stdout)
        _finish(problems)
    if fmt is Format.csv:
        fields = ("plan", "id", "area", "period", "start", "end", "value", "text", "source")
        write_csv(
            (
                {"plan": m.plan.id, "id": k.id or ""}
                | {f: ("" if v is None else v) for f, v in p.to_json().items()}
                | {"value": format_number(p.value) if p.value is not None else ""}
                for a in assessed
                for p in a.points
            ),
            fields,
            sys.stdout,
        )
        _finish(problems)
    better, why = direction(k)
    # Each line: its template and the measure's values, made safe one line each on a terminal.
    lines: list[tuple[str, tuple[object, ...]]] = [
        ("{}", (f"{k.id or ''}  {k.name}".strip(),)),
        ("plan: {}", (m.plan.title,)),
    ]
    if k.unit:
        lines.append(("unit: {}", (k.unit,)))
    if better:
        because = k.polarity_source.words() if why == "stated" and k.polarity_source else why
        lines.append(("better: {} ({})", (better, because)))
    else:
        lines.append(("better: not stated (changes are shown as up or down)", ()))
    if k.target is not None:
        lines.append(("target: {}", (target_words(assessed[0]),)))
    if k.baseline is not None:
        lines.append(("baseline: {} ({})", (k.baseline.text or k.baseline.value, k.baseline.period)))
    for b in k.benchmarks:
        shown = b.text or (format_number(b.value) if b.value is not None else "")
        period = (" ({})", (b.period,)) if b.period else ("", ())
        lines.append(("benchmark: {} {}" + period[0], (b.area, shown, *period[1])))
    if k.provenance:
        lines.append(("source: {}", (k.provenance.words(),)))
    if fmt is Format.table:
        say("\n".join(t for t, _ in lines) + "\n", *(v for _, values in lines for v in values))
    else:
        from planctl.core.text import md_text

        sys.stdout.write("\n".join(f"- {md_text(t.format(*values))}" for t, values in lines) + "\n\n")
    columns = [
        Column("Period", 30),
        Column("Figure as printed", 40),
        Column("Value", 12),
        Column("Source", flex=True),
    ]
    blocks = []
    for a in assessed:
        spark = sparkline(p.value for p in a.points)
        heading = a.area or "All figures"
        summary = [heading]
        if spark:
            summary.append(spark)
        if a.trend:
            summary.append(f"{a.trend} ({change_words(a)})")
        if a.target_state:
            summary.append(a.target_state)
        if a.rating:
            summary.append(a.rating.label)
        block = Block((f"{k.id or k.name} as of {day.isoformat()}", "  ".join(summary)), columns)
        for p in a.points:
            block.rows.append(
                [
                    Cell(p.period),
                    Cell(p.text or ""),
                    Cell(format_number(p.value) if p.value is not None else ""),
                    Cell(p.provenance.words() if p.provenance else ""),
                ]
            )
        if not a.points:
            block.rows.append([Cell("no figures"), Cell(""), Cell(""), Cell("")])
        blocks.append(block)
    _print(blocks, fmt)
    _finish(problems)

"""``planctl due``, ``overdue``, ``upcoming``, ``list``, ``show``, ``search``, ``leads``, ``stats``.

Glue only: parse options, load plans, call :mod:`planctl.core.query`, format with
:mod:`planctl.output.formats`.  Heavy modules are imported inside the command bodies.
"""

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import typer

from planctl.cli import app, complete
from planctl.cli.common import (
    FollowOpt,
    Format,
    PathsArg,
    discover_or_exit,
    fail_usage,
    find_or_exit,
    report_problems,
    resolve_day,
    searched,
    today_from_clock,
    use_colour,
)

if TYPE_CHECKING:
    from planctl.core.dates import FuzzyDate
    from planctl.core.diagnostics import Diagnostic
    from planctl.core.models import Located, Plan
    from planctl.core.query import Filters
    from planctl.core.rows import Row
    from planctl.output.formats import Block, Cell
    from planctl.store.files import Found

PlanOpt = typer.Option(
    None,
    "--plan",
    metavar="PLAN-ID",
    help="Only this plan id (repeatable).",
    show_default=False,
    autocompletion=complete.plan_ids,
)
SectionOpt = typer.Option(
    None,
    "--section",
    metavar="SECTION",
    help="Only items under a section with this id or a title containing this text (repeatable).",
    show_default=False,
    autocompletion=complete.section_ids,
)
LeadOpt = typer.Option(
    None,
    "--lead",
    metavar="TEXT",
    help="Lead contains this text, ignoring case (own or inherited); 'none' for items with no lead.",
    show_default=False,
    autocompletion=complete.lead_names,
)
StatusOpt = typer.Option(
    None,
    "--status",
    metavar="STATUS",
    help="Status key or label, e.g. amber; 'none' for unrated.",
    show_default=False,
    autocompletion=complete.ratings,
)
TagOpt = typer.Option(
    None,
    "--tag",
    metavar="TAG",
    help="Item or section tag (repeatable).",
    show_default=False,
    autocompletion=complete.tags,
)
AsOfOpt = typer.Option(
    "today", "--as-of", metavar="DAY", help="Take this day as today: 2026-11-24, today, +3m (default: today)."
)
FormatOpt = typer.Option(Format.table, "--format", "-f", help="table, json, csv or markdown.")
RawOpt = typer.Option(False, "--raw-dates", help="Show each deadline's phrase as written, too.")
FailOpt = typer.Option(False, "--fail-if-any", help="Exit 1 when any item matches (for CI).")
AllOpt = typer.Option(False, "--all", help="Include items whose status means done.")
UndatedOpt = typer.Option(False, "--include-undated", help="Include items with no deadline.")
ClosedOpt = typer.Option(
    False,
    "--include-closed",
    help="Include items of plans and sections closed by --as-of (left out by default).",
)
NoCacheOpt = typer.Option(
    False, "--no-cache", help="Read every file afresh; do not read or write .planctl_cache/."
)


@dataclass(frozen=True, slots=True)
class _Loaded:
    rows: "list[Row]"
    problems: "list[Diagnostic]"
    as_of: date
    found: "list[Found]"


def _query_date(option: str, text: str, as_of: date) -> "FuzzyDate":
    """A date argument; relative forms ("+3m", "today") count from --as-of."""
    from planctl.core.dates import parse_query_date

    try:
        return parse_query_date(text, as_of)
    except ValueError as exc:
        fail_usage(f"{option}: {exc}")


def _load(paths: list[Path] | None, follow: bool, as_of_text: str, no_cache: bool) -> _Loaded:
    """Every item as a row: an unchanged file's rows from the cache, the rest read anew
    (many files in worker processes, :mod:`planctl.api.pipeline`)."""
    from planctl.api.pipeline import default_jobs, query_rows
    from planctl.store.cache import Cache, context_digest, project_root
    from planctl.store.layout import CACHE_DIR

    as_of = resolve_day(as_of_text, "--as-of", today_from_clock())
    found = discover_or_exit(paths, follow)
    # Rows do not depend on the as-of date or settings: only the file and planctl. Each
    # keeps its rating history; the rating on the as-of day is picked here, after the cache.
    cache = None if no_cache else Cache(project_root(Path.cwd()) / CACHE_DIR, "rows", context_digest())
    rows, problems = query_rows(found, jobs=default_jobs(), cache=cache)
    return _Loaded([row.as_of(as_of) for row in rows], problems, as_of, found)


def _filters(
    loaded: _Loaded,
    plans: list[str] | None,
    sections: list[str] | None,
    leads: list[str] | None,
    statuses: list[str] | None,
    tags: list[str] | None,
) -> "Filters":
    """The filters, checked against the plans (:func:`planctl.core.query.check_filters`)."""
    from planctl.core.query import FilterError, check_filters

    try:
        return check_filters(
            loaded.rows, plans or (), sections or (), leads or (), statuses or (), tags or ()
        )
    except FilterError as exc:
        fail_usage(f"--{exc.field}: {exc}")


def _finish(loaded: _Loaded, failed: bool = False) -> NoReturn:
    """Report invalid files on stderr (their items were not searched) and exit."""
    report_problems(loaded.problems, searched="the answer above")
    raise typer.Exit(1 if loaded.problems or failed else 0)


# --- formatting rows ---


def _due_cell(row: "Row", raw: bool, as_of: date) -> "Cell":
    from planctl.core.overdue import is_overdue
    from planctl.output.formats import Cell

    d = row.due
    if d is None:
        rec = row.repeats
        return Cell(f"repeats: {rec.words()}" if rec else "")
    if not d.resolved:
        return Cell(f"{d.text} (no date)")
    text = d.words()
    if raw and d.text != text:
        text += f' ["{d.text}"]'
    late = is_overdue(d, done=row.done, as_of=as_of)
    return Cell(text, "red" if late else None)


def _row_blocks(rows: "Sequence[Row]", raw: bool, as_of: date) -> "list[Block]":
    """Rows grouped by plan, then section (document order); rows keep their order."""
    from planctl.core.query import section_label
    from planctl.output.formats import Block, Cell, Column

    rated = any(r.status is not None for r in rows)
    columns = [Column("ID", 24), Column("Item", flex=True), Column("Due", 30), Column("Lead", 28)]
    if rated:  # no empty Status column when no plan in the answer rates its items
        columns.append(Column("Status", 16))
    blocks: dict[tuple[str, ...], Block] = {}
    first: dict[tuple[str, ...], tuple[int, int]] = {}
    for row in rows:
        sections = " › ".join(section_label(s.kind, s.number, s.title) for s in row.sections)
        key = (f"{row.plan.title} ({row.file})", sections)
        block = blocks.setdefault(key, Block(key, columns))
        first[key] = min(first.get(key, row.order), row.order)
        rating = row.rating
        status = rating.label if rating else (row.status or "")
        cells = [
            Cell(row.id),
            Cell(row.title),
            _due_cell(row, raw, as_of),
            Cell("; ".join(row.leads) or "—"),
        ]
        if rated:
            cells.append(Cell(status, rating.colour if rating else None))
        block.rows.append(cells)
    # Plans and sections in document order, as a reader checks them against the source.
    return sorted(blocks.values(), key=lambda b: first[b.headings])


def _width() -> int:
    import shutil

    return max(80, shutil.get_terminal_size((120, 24)).columns)


def _print_blocks(blocks: "Sequence[Block]", fmt: Format) -> None:
    from planctl.output.formats import write_markdown, write_table

    if fmt is Format.markdown:
        write_markdown(blocks, sys.stdout)
    else:
        write_table(blocks, sys.stdout, colour=use_colour(), width=_width())


def _emit_rows(rows: "Sequence[Row]", fmt: Format, raw: bool, as_of: date, what: str) -> None:
    """Print rows; the "no items" line and the count go to stderr, keeping stdout clean."""
    from planctl.core.rows import FLAT_FIELDS
    from planctl.output.formats import write_csv, write_json

    if fmt is Format.json:
        write_json([r.to_json() for r in rows], sys.stdout)
    elif fmt is Format.csv:
        write_csv((r.to_flat() for r in rows), FLAT_FIELDS, sys.stdout)
    elif rows:
        _print_blocks(_row_blocks(rows, raw, as_of), fmt)
    when = f"(as of {as_of.isoformat()})"
    if not rows:
        typer.echo(f"no items {what} {when}", err=True)
    elif fmt is Format.table:
        typer.echo(f"\n{len(rows)} item{'s' if len(rows) != 1 else ''} {what} {when}")


def _run_rows(
    loaded: _Loaded,
    select: "Callable[[list[Row], bool], list[Row]]",
    fmt: Format,
    raw: bool,
    fail_if_any: bool,
    what: str,
    include_closed: bool = False,
) -> NoReturn:
    """``select(rows, include_closed)``; the answer, and a note of closed items left out."""
    rows = select(loaded.rows, include_closed)
    _emit_rows(rows, fmt, raw, loaded.as_of, what)
    if not include_closed:
        _note_closed(len(select(loaded.rows, True)) - len(rows))
    _finish(loaded, failed=fail_if_any and bool(rows))


def _note_closed(left_out: int) -> None:
    """Say on stderr how many items closed work kept out, so an answer never hides them silently."""
    if left_out:
        typer.echo(
            f"planctl: note: {left_out} item{'s' if left_out != 1 else ''} of closed plans or sections "
            "left out; --include-closed includes them",
            err=True,
        )


# --- commands ---


@app.command()
def due(
    paths: list[Path] | None = PathsArg,
    before: str | None = typer.Option(
        None,
        "--before",
        metavar="DATE",
        help="Deadline ends before the first day of this date.",
        show_default=False,
    ),
    after: str | None = typer.Option(
        None,
        "--after",
        metavar="DATE",
        help="Deadline starts after the last day of this date.",
        show_default=False,
    ),
    between: tuple[str, str] | None = typer.Option(
        None,
        "--between",
        metavar="A B",
        help="Two dates A B: deadline overlaps [first day of A, last day of B].",
        show_default=False,
    ),
    plan: list[str] | None = PlanOpt,
    section: list[str] | None = SectionOpt,
    lead: list[str] | None = LeadOpt,
    status: list[str] | None = StatusOpt,
    tag: list[str] | None = TagOpt,
    include_closed: bool = ClosedOpt,
    include_undated: bool = UndatedOpt,
    include_done: bool = AllOpt,
    as_of: str = AsOfOpt,
    fmt: Format = FormatOpt,
    raw_dates: bool = RawOpt,
    fail_if_any: bool = FailOpt,
    follow_symlinks: bool = FollowOpt,
    no_cache: bool = NoCacheOpt,
) -> None:
    """List items by deadline: what is due before, after or between dates.

    A deadline is an interval: "April 2026" is 1-30 April, "Q3 2025/26" is October to
    December 2025.  --before D keeps deadlines that END before the first day of D (so
    "by April 2026" is not due before 2026-04, but is due before 2026-05).  --after D
    keeps deadlines that START after the last day of D.  --between A B keeps deadlines
    that OVERLAP the span from the first day of A to the last day of B.  Options
    combine (AND).  An item with no deadline of its own counts by the earliest date in
    its outcome measures.  Undated items (and recurrences such as "monthly", which are
    not deadlines) are left out unless --include-undated; items whose status means done
    are left out unless --all.

    Dates: 2026-04, 2026-04-15, April 2026, Q1 2026/27, 2026/27, today, +3m, +6w
    (relative forms count from --as-of).  Exit 0 (also when nothing matches), 1 when a
    plan file is invalid or --fail-if-any matched, 2 on usage errors.
    """
    from planctl.core import query

    loaded = _load(paths, follow_symlinks, as_of, no_cache)
    tests: list[query.DatePredicate] = []
    words: list[str] = []
    if before is not None:
        d = _query_date("--before", before, loaded.as_of)
        tests.append(query.before(d))
        words.append(f"before {d.words()}")
    if after is not None:
        d = _query_date("--after", after, loaded.as_of)
        tests.append(query.after(d))
        words.append(f"after {d.words()}")
    if between is not None:
        a = _query_date("--between", between[0], loaded.as_of)
        b = _query_date("--between", between[1], loaded.as_of)
        if a.start is not None and b.end is not None and a.start > b.end:
            fail_usage(f"--between: {between[0]!r} comes after {between[1]!r}")
        tests.append(query.between(a, b))
        words.append(f"between {a.words()} and {b.words()}")
    filters = _filters(loaded, plan, section, lead, status, tag)
    _run_rows(
        loaded,
        lambda rows, closed: query.select(
            rows,
            filters,
            lambda d: all(t(d) for t in tests),
            include_undated=include_undated,
            include_done=include_done,
            include_closed=closed,
        ),
        fmt,
        raw_dates,
        fail_if_any,
        "due " + " and ".join(words) if words else "with a deadline",
        include_closed,
    )


@app.command()
def overdue(
    paths: list[Path] | None = PathsArg,
    plan: list[str] | None = PlanOpt,
    section: list[str] | None = SectionOpt,
    lead: list[str] | None = LeadOpt,
    status: list[str] | None = StatusOpt,
    tag: list[str] | None = TagOpt,
    include_closed: bool = ClosedOpt,
    as_of: str = AsOfOpt,
    fmt: Format = FormatOpt,
    raw_dates: bool = RawOpt,
    fail_if_any: bool = FailOpt,
    follow_symlinks: bool = FollowOpt,
    no_cache: bool = NoCacheOpt,
) -> None:
    """Items whose deadline ended before --as-of and whose status does not mean done.

    "By March 2026" is overdue from 1 April 2026.  Exit 0 (1 with --fail-if-any when
    anything is overdue, or when a plan file is invalid; 2 on usage errors).
    """
    from planctl.core import query

    loaded = _load(paths, follow_symlinks, as_of, no_cache)
    filters = _filters(loaded, plan, section, lead, status, tag)
    _run_rows(
        loaded,
        lambda rows, closed: query.select(rows, filters, query.overdue(loaded.as_of), include_closed=closed),
        fmt,
        raw_dates,
        fail_if_any,
        "overdue",
        include_closed,
    )


@app.command()
def upcoming(
    paths: list[Path] | None = PathsArg,
    within: str = typer.Option(
        "90d", "--within", metavar="SPAN", help="Window after --as-of: 90d, 6w, 3m, 1y."
    ),
    plan: list[str] | None = PlanOpt,
    section: list[str] | None = SectionOpt,
    lead: list[str] | None = LeadOpt,
    status: list[str] | None = StatusOpt,
    tag: list[str] | None = TagOpt,
    include_closed: bool = ClosedOpt,
    as_of: str = AsOfOpt,
    fmt: Format = FormatOpt,
    raw_dates: bool = RawOpt,
    fail_if_any: bool = FailOpt,
    follow_symlinks: bool = FollowOpt,
    no_cache: bool = NoCacheOpt,
) -> None:
    """Open items whose deadline ends between --as-of and --as-of plus --within.

    With --as-of 2026-01-15 --within 90d, "March 2026" (ends 31 March) is upcoming and
    "April 2026" (ends 30 April) is not.
    """
    from planctl.core import query
    from planctl.core.dates import add_clamped, parse_duration

    loaded = _load(paths, follow_symlinks, as_of, no_cache)
    try:
        until = add_clamped(loaded.as_of, parse_duration(within))
    except ValueError as exc:
        fail_usage(f"--within: {exc}")
    filters = _filters(loaded, plan, section, lead, status, tag)
    _run_rows(
        loaded,
        lambda rows, closed: query.select(
            rows, filters, query.upcoming(loaded.as_of, until), include_closed=closed
        ),
        fmt,
        raw_dates,
        fail_if_any,
        f"due by {until.isoformat()}",
        include_closed,
    )


@app.command("list")
def list_(
    paths: list[Path] | None = PathsArg,
    plan: list[str] | None = PlanOpt,
    section: list[str] | None = SectionOpt,
    lead: list[str] | None = LeadOpt,
    status: list[str] | None = StatusOpt,
    tag: list[str] | None = TagOpt,
    include_closed: bool = ClosedOpt,
    as_of: str = AsOfOpt,
    fmt: Format = FormatOpt,
    raw_dates: bool = RawOpt,
    fail_if_any: bool = FailOpt,
    follow_symlinks: bool = FollowOpt,
    no_cache: bool = NoCacheOpt,
) -> None:
    """Every item that passes the filters, done or not, dated or not (by deadline)."""
    from planctl.core import query

    loaded = _load(paths, follow_symlinks, as_of, no_cache)
    filters = _filters(loaded, plan, section, lead, status, tag)
    _run_rows(
        loaded,
        lambda rows, closed: query.select(rows, filters, include_done=True, include_closed=closed),
        fmt,
        raw_dates,
        fail_if_any,
        "listed",
        include_closed,
    )


@app.command()
def search(
    text: str = typer.Argument(..., metavar="TEXT", help="Words to find (any case)."),
    paths: list[Path] | None = PathsArg,
    plan: list[str] | None = PlanOpt,
    section: list[str] | None = SectionOpt,
    lead: list[str] | None = LeadOpt,
    status: list[str] | None = StatusOpt,
    tag: list[str] | None = TagOpt,
    include_closed: bool = ClosedOpt,
    as_of: str = AsOfOpt,
    fmt: Format = FormatOpt,
    raw_dates: bool = RawOpt,
    fail_if_any: bool = FailOpt,
    follow_symlinks: bool = FollowOpt,
    no_cache: bool = NoCacheOpt,
) -> None:
    """Items whose title, text, outcome measures or easy-read words contain TEXT."""
    from planctl.core import query

    if not text.strip():
        fail_usage("give some words to search for")
    loaded = _load(paths, follow_symlinks, as_of, no_cache)
    filters = _filters(loaded, plan, section, lead, status, tag)
    _run_rows(
        loaded,
        lambda rows, closed: query.select(
            query.search(rows, text), filters, include_done=True, include_closed=closed
        ),
        fmt,
        raw_dates,
        fail_if_any,
        f"matching {text!r}",
        include_closed,
    )


def _full_item(loaded: _Loaded, row: "Row") -> "tuple[Located, Plan]":
    """The row's item and plan as validated: ``show`` prints what a row does not hold."""
    from planctl.core.models import walk_items
    from planctl.store.files import load

    plan = load(loaded.found[row.order[0]]).plan
    located = next((loc for loc in walk_items(plan) if loc.item.id == row.id), None) if plan else None
    if plan is None or located is None or located.item.title != row.title:
        fail_usage(f"{row.file} changed while it was read; run the command again")
    return located, plan


@app.command()
def show(
    ref: str = typer.Argument(
        ...,
        metavar="ID",
        help="Item id, or PLAN-ID:ITEM-ID when ids repeat.",
        autocompletion=complete.item_refs,
    ),
    paths: list[Path] | None = PathsArg,
    as_of: str = AsOfOpt,
    fmt: Format = typer.Option(
        Format.table, "--format", "-f", help="table, json, csv (field,value) or markdown."
    ),
    follow_symlinks: bool = FollowOpt,
    no_cache: bool = NoCacheOpt,
) -> None:
    """Everything about one item: where it is, outcomes, deadline, leads, history, evidence.

    Exit 2 when no item has that id (close ids are suggested, in any case) or when the
    id is in several plans (give PLAN-ID:ITEM-ID); 1 when a plan file is invalid.
    """
    from planctl.core.query import item_details, item_fields
    from planctl.output.formats import Block, Cell, Column, write_csv, write_json

    loaded = _load(paths, follow_symlinks, as_of, no_cache)
    report_problems(loaded.problems, searched="the search")
    row = find_or_exit(loaded.rows, ref, where=searched(paths))
    located, plan = _full_item(loaded, row)
    if fmt is Format.json:
        write_json(item_details(row, located, plan, loaded.as_of), sys.stdout)
    else:
        fields = item_fields(row, located, plan, loaded.rows, loaded.as_of)
        if fmt is Format.csv:
            write_csv(({"field": f.label, "value": f.text} for f in fields), ("field", "value"), sys.stdout)
        else:
            block = Block(
                (f"{row.id}: {row.title}",),
                [Column("Field", 12), Column("Value", flex=True)],
                [[Cell(f.label), Cell(f.text, f.colour)] for f in fields],
            )
            _print_blocks([block], fmt)
    raise typer.Exit(1 if loaded.problems else 0)


@app.command()
def leads(
    paths: list[Path] | None = PathsArg,
    plan: list[str] | None = PlanOpt,
    section: list[str] | None = SectionOpt,
    lead: list[str] | None = LeadOpt,
    status: list[str] | None = StatusOpt,
    tag: list[str] | None = TagOpt,
    include_closed: bool = ClosedOpt,
    as_of: str = AsOfOpt,
    fmt: Format = FormatOpt,
    follow_symlinks: bool = FollowOpt,
    no_cache: bool = NoCacheOpt,
) -> None:
    """Per lead: open items, overdue items and the next deadline; then items with no lead.

    Leads are matched ignoring case; an item with two leads counts for both; a "TBC"
    lead counts as no lead.  Items whose status means done are not counted.
    """
    from planctl.core import query
    from planctl.core.models import NO_LEAD_LABEL
    from planctl.output.formats import Block, Cell, Column, write_csv, write_json

    loaded = _load(paths, follow_symlinks, as_of, no_cache)
    filters = _filters(loaded, plan, section, lead, status, tag)
    rows = query.select(loaded.rows, filters, include_closed=include_closed)
    if not include_closed:
        _note_closed(len(query.select(loaded.rows, filters, include_closed=True)) - len(rows))
    summary = query.lead_summary(rows, loaded.as_of)
    if fmt is Format.json:
        write_json([s.to_json() for s in summary], sys.stdout)
    elif fmt is Format.csv:
        fields = ("lead", "open", "overdue", "next_due_text", "next_due_end", "next_item")
        write_csv(
            (
                {
                    "lead": s.lead,
                    "open": s.open,
                    "overdue": s.overdue,
                    "next_due_text": s.next_due.text if s.next_due else "",
                    "next_due_end": s.next_due.end.isoformat() if s.next_due and s.next_due.end else "",
                    "next_item": s.next_item or "",
                }
                for s in summary
            ),
            fields,
            sys.stdout,
        )
    elif summary:
        columns = [
            Column("Lead", 40),
            Column("Open", 6),
            Column("Overdue", 8),
            Column("Next deadline", 50),
        ]
        block = Block((f"Leads (as of {loaded.as_of.isoformat()})",), columns)
        for s in summary:
            nxt = f"{s.next_due.words()} ({s.next_item})" if s.next_due else "—"
            block.rows.append(
                [
                    Cell(s.lead or NO_LEAD_LABEL),
                    Cell(str(s.open)),
                    Cell(str(s.overdue), "red" if s.overdue else None),
                    Cell(nxt),
                ]
            )
        _print_blocks([block], fmt)
    if not summary:
        typer.echo(f"no open items (as of {loaded.as_of.isoformat()})", err=True)
    _finish(loaded)


@app.command()
def stats(
    paths: list[Path] | None = PathsArg,
    plan: list[str] | None = PlanOpt,
    section: list[str] | None = SectionOpt,
    lead: list[str] | None = LeadOpt,
    status: list[str] | None = StatusOpt,
    tag: list[str] | None = TagOpt,
    include_closed: bool = ClosedOpt,
    as_of: str = AsOfOpt,
    fmt: Format = FormatOpt,
    follow_symlinks: bool = FollowOpt,
    no_cache: bool = NoCacheOpt,
) -> None:
    """Counts: items by plan, top-level section and rating; dated, undated, overdue, led."""
    from planctl.core import query
    from planctl.output.formats import Block, Cell, Column, write_csv, write_json

    loaded = _load(paths, follow_symlinks, as_of, no_cache)
    filters = _filters(loaded, plan, section, lead, status, tag)
    rows = query.select(loaded.rows, filters, include_done=True, include_closed=include_closed)
    if not include_closed:
        _note_closed(
            len(query.select(loaded.rows, filters, include_done=True, include_closed=True)) - len(rows)
        )
    s = query.stats(rows, loaded.as_of)
    data = s.to_json()
    if fmt is Format.json:
        write_json(data, sys.stdout)
        _finish(loaded)
    groups: list[tuple[str, dict[str, int]]] = [
        (
            "totals",
            {k: v for k, v in data.items() if isinstance(v, int)},
        ),
        ("by plan", s.by_plan),
        ("by section", s.by_section),
        ("by rating", s.by_rating),
    ]
    if fmt is Format.csv:
        write_csv(
            ({"group": g, "key": k, "count": n} for g, counts in groups for k, n in counts.items()),
            ("group", "key", "count"),
            sys.stdout,
        )
    else:
        columns = [Column("Measure", 70), Column("Items", 8)]
        blocks = [
            Block(
                (f"Statistics (as of {loaded.as_of.isoformat()})", g.capitalize()),
                columns,
                [[Cell(k.replace("_", " ")), Cell(str(n))] for k, n in counts.items()],
            )
            for g, counts in groups
        ]
        _print_blocks(blocks, fmt)
    _finish(loaded)

"""``planctl due``, ``overdue``, ``upcoming``, ``list``, ``show``, ``search``, ``leads``, ``stats``.

Glue only: parse options, load plans, call :mod:`planctl.core.query`, format with
:mod:`planctl.output.formats`.  Heavy modules are imported inside the command bodies.
"""

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from planctl.cli import app, complete
from planctl.cli.common import (
    discover_or_exit,
    fail_usage,
    find_or_exit,
    report_problems,
    resolve_day,
    searched,
    today_from_clock,
    use_colour,
)
from planctl.cli.options import (
    AsOf,
    FailIfAny,
    FollowSymlinks,
    IncludeClosed,
    IncludeDone,
    IncludeUndated,
    ItemFormat,
    LeadFilter,
    NoCache,
    Paths,
    PlanFilter,
    QueryOptions,
    RawDates,
    RowFormat,
    SectionFilter,
    StatusFilter,
    TagFilter,
)
from planctl.output.emit import Format

if TYPE_CHECKING:
    from planctl.core.dates import FuzzyDate
    from planctl.core.diagnostics import Diagnostic
    from planctl.core.models import Located, Plan
    from planctl.core.query import Filters
    from planctl.core.rows import Row
    from planctl.output.formats import Block
    from planctl.store.files import Found


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


def _load(opts: QueryOptions) -> _Loaded:
    """Every item as a row: an unchanged file's rows from the cache, the rest read anew
    (many files in worker processes, :mod:`planctl.api.pipeline`)."""
    from planctl.api.pipeline import default_jobs, query_rows
    from planctl.store.cache import Cache, context_digest, project_root
    from planctl.store.layout import CACHE_DIR

    as_of = resolve_day(opts.as_of, "--as-of", today_from_clock())
    found = discover_or_exit(opts.paths, opts.follow_symlinks)
    # Rows do not depend on the as-of date or settings: only the file and planctl. Each
    # keeps its rating history; the rating on the as-of day is picked here, after the cache.
    cache = None if opts.no_cache else Cache(project_root(Path.cwd()) / CACHE_DIR, "rows", context_digest())
    rows, problems = query_rows(found, jobs=default_jobs(), cache=cache)
    return _Loaded([row.as_of(as_of) for row in rows], problems, as_of, found)


def _filters(loaded: _Loaded, opts: QueryOptions) -> "Filters":
    """The filters, checked against the plans (:func:`planctl.core.query.check_filters`)."""
    from planctl.core.query import FilterError, check_filters

    try:
        return check_filters(
            loaded.rows,
            opts.plan or (),
            opts.section or (),
            opts.lead or (),
            opts.status or (),
            opts.tag or (),
        )
    except FilterError as exc:
        fail_usage(f"--{exc.field}: {exc}")


def _finish(loaded: _Loaded, failed: bool = False) -> NoReturn:
    """Report invalid files on stderr (their items were not searched) and exit."""
    report_problems(loaded.problems, searched="the answer above")
    raise typer.Exit(1 if loaded.problems or failed else 0)


# --- formatting rows ---


def _print_blocks(blocks: "Sequence[Block]", fmt: Format) -> None:
    from planctl.output.emit import emit_blocks

    emit_blocks(blocks, fmt, colour=use_colour())


def _emit_rows(rows: "Sequence[Row]", fmt: Format, raw: bool, as_of: date, what: str) -> None:
    """Print rows; the "no items" line and the count go to stderr, keeping stdout clean."""
    from planctl.output.emit import emit
    from planctl.output.views import ItemRows

    if rows or fmt in (Format.json, Format.csv):
        emit(ItemRows(rows, raw, as_of), fmt, colour=use_colour())
    when = f"(as of {as_of.isoformat()})"
    if not rows:
        typer.echo(f"no items {what} {when}", err=True)
    elif fmt is Format.table:
        typer.echo(f"\n{len(rows)} item{'s' if len(rows) != 1 else ''} {what} {when}")


def _run_rows(
    loaded: _Loaded, opts: QueryOptions, select: "Callable[[list[Row], Filters], list[Row]]", what: str
) -> NoReturn:
    """The filters checked, ``select(rows, filters)`` (closed work included) printed as
    asked without closed work unless --include-closed, and a note of what that left out:
    the one run of every command that answers with items. Selecting once and dropping
    closed rows after keeps the order and costs one pass, not two."""
    filters = _filters(loaded, opts)
    rows = select(loaded.rows, filters)
    left_out = 0
    if not opts.include_closed:
        kept = [row for row in rows if not row.closed]
        left_out, rows = len(rows) - len(kept), kept
    _emit_rows(rows, opts.fmt, opts.raw_dates, loaded.as_of, what)
    _note_closed(left_out)
    _finish(loaded, failed=opts.fail_if_any and bool(rows))


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
    paths: Paths = None,
    before: Annotated[
        str | None,
        typer.Option(
            "--before",
            metavar="DATE",
            help="Deadline ends before the first day of this date.",
            show_default=False,
        ),
    ] = None,
    after: Annotated[
        str | None,
        typer.Option(
            "--after",
            metavar="DATE",
            help="Deadline starts after the last day of this date.",
            show_default=False,
        ),
    ] = None,
    between: Annotated[
        tuple[str, str] | None,
        typer.Option(
            "--between",
            metavar="A B",
            help="Two dates A B: deadline overlaps [first day of A, last day of B].",
            show_default=False,
        ),
    ] = None,
    plan: PlanFilter = None,
    section: SectionFilter = None,
    lead: LeadFilter = None,
    status: StatusFilter = None,
    tag: TagFilter = None,
    include_closed: IncludeClosed = False,
    include_undated: IncludeUndated = False,
    include_done: IncludeDone = False,
    as_of: AsOf = "today",
    fmt: RowFormat = Format.table,
    raw_dates: RawDates = False,
    fail_if_any: FailIfAny = False,
    follow_symlinks: FollowSymlinks = False,
    no_cache: NoCache = False,
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
    opts = QueryOptions.of(locals())
    from planctl.core import query

    loaded = _load(opts)
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
    _run_rows(
        loaded,
        opts,
        lambda rows, filters: query.select(
            rows,
            filters,
            lambda d: all(t(d) for t in tests),
            include_undated=include_undated,
            include_done=include_done,
            include_closed=True,
        ),
        "due " + " and ".join(words) if words else "with a deadline",
    )


@app.command()
def overdue(
    paths: Paths = None,
    plan: PlanFilter = None,
    section: SectionFilter = None,
    lead: LeadFilter = None,
    status: StatusFilter = None,
    tag: TagFilter = None,
    include_closed: IncludeClosed = False,
    as_of: AsOf = "today",
    fmt: RowFormat = Format.table,
    raw_dates: RawDates = False,
    fail_if_any: FailIfAny = False,
    follow_symlinks: FollowSymlinks = False,
    no_cache: NoCache = False,
) -> None:
    """Items whose deadline ended before --as-of and whose status does not mean done.

    "By March 2026" is overdue from 1 April 2026.  Exit 0 (1 with --fail-if-any when
    anything is overdue, or when a plan file is invalid; 2 on usage errors).
    """
    opts = QueryOptions.of(locals())
    from planctl.core import query

    loaded = _load(opts)
    _run_rows(
        loaded,
        opts,
        lambda rows, filters: query.select(rows, filters, query.overdue(loaded.as_of), include_closed=True),
        "overdue",
    )


@app.command()
def upcoming(
    paths: Paths = None,
    within: Annotated[
        str, typer.Option("--within", metavar="SPAN", help="Window after --as-of: 90d, 6w, 3m, 1y.")
    ] = "90d",
    plan: PlanFilter = None,
    section: SectionFilter = None,
    lead: LeadFilter = None,
    status: StatusFilter = None,
    tag: TagFilter = None,
    include_closed: IncludeClosed = False,
    as_of: AsOf = "today",
    fmt: RowFormat = Format.table,
    raw_dates: RawDates = False,
    fail_if_any: FailIfAny = False,
    follow_symlinks: FollowSymlinks = False,
    no_cache: NoCache = False,
) -> None:
    """Open items whose deadline ends between --as-of and --as-of plus --within.

    With --as-of 2026-01-15 --within 90d, "March 2026" (ends 31 March) is upcoming and
    "April 2026" (ends 30 April) is not.
    """
    opts = QueryOptions.of(locals())
    from planctl.core import query
    from planctl.core.dates import add_clamped, parse_duration

    loaded = _load(opts)
    try:
        until = add_clamped(loaded.as_of, parse_duration(within))
    except ValueError as exc:
        fail_usage(f"--within: {exc}")
    _run_rows(
        loaded,
        opts,
        lambda rows, filters: query.select(
            rows, filters, query.upcoming(loaded.as_of, until), include_closed=True
        ),
        f"due by {until.isoformat()}",
    )


@app.command("list")
def list_(
    paths: Paths = None,
    plan: PlanFilter = None,
    section: SectionFilter = None,
    lead: LeadFilter = None,
    status: StatusFilter = None,
    tag: TagFilter = None,
    include_closed: IncludeClosed = False,
    as_of: AsOf = "today",
    fmt: RowFormat = Format.table,
    raw_dates: RawDates = False,
    fail_if_any: FailIfAny = False,
    follow_symlinks: FollowSymlinks = False,
    no_cache: NoCache = False,
) -> None:
    """Every item that passes the filters, done or not, dated or not (by deadline)."""
    opts = QueryOptions.of(locals())
    from planctl.core import query

    loaded = _load(opts)
    _run_rows(
        loaded,
        opts,
        lambda rows, filters: query.select(rows, filters, include_done=True, include_closed=True),
        "listed",
    )


@app.command()
def search(
    text: Annotated[str, typer.Argument(metavar="TEXT", help="Words to find (any case).")],
    paths: Paths = None,
    plan: PlanFilter = None,
    section: SectionFilter = None,
    lead: LeadFilter = None,
    status: StatusFilter = None,
    tag: TagFilter = None,
    include_closed: IncludeClosed = False,
    as_of: AsOf = "today",
    fmt: RowFormat = Format.table,
    raw_dates: RawDates = False,
    fail_if_any: FailIfAny = False,
    follow_symlinks: FollowSymlinks = False,
    no_cache: NoCache = False,
) -> None:
    """Items whose title, text, outcome measures or easy-read words contain TEXT."""
    opts = QueryOptions.of(locals())
    from planctl.core import query

    if not text.strip():
        fail_usage("give some words to search for")
    loaded = _load(opts)
    _run_rows(
        loaded,
        opts,
        lambda rows, filters: query.select(
            query.search(rows, text), filters, include_done=True, include_closed=True
        ),
        f"matching {text!r}",
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
    ref: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            help="Item id, or PLAN-ID:ITEM-ID when ids repeat.",
            autocompletion=complete.item_refs,
        ),
    ],
    paths: Paths = None,
    as_of: AsOf = "today",
    fmt: ItemFormat = Format.table,
    follow_symlinks: FollowSymlinks = False,
    no_cache: NoCache = False,
) -> None:
    """Everything about one item: where it is, outcomes, deadline, leads, history, evidence.

    Exit 2 when no item has that id (close ids are suggested, in any case) or when the
    id is in several plans (give PLAN-ID:ITEM-ID); 1 when a plan file is invalid.
    """
    opts = QueryOptions.of(locals())
    from planctl.core.query import item_details, item_fields
    from planctl.output.formats import Block, Cell, Column, write_csv, write_json

    loaded = _load(opts)
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
    paths: Paths = None,
    plan: PlanFilter = None,
    section: SectionFilter = None,
    lead: LeadFilter = None,
    status: StatusFilter = None,
    tag: TagFilter = None,
    include_closed: IncludeClosed = False,
    as_of: AsOf = "today",
    fmt: RowFormat = Format.table,
    follow_symlinks: FollowSymlinks = False,
    no_cache: NoCache = False,
) -> None:
    """Per lead: open items, overdue items and the next deadline; then items with no lead.

    Leads are matched ignoring case; an item with two leads counts for both; a "TBC"
    lead counts as no lead.  Items whose status means done are not counted.
    """
    opts = QueryOptions.of(locals())
    from planctl.core import query
    from planctl.output.emit import emit
    from planctl.output.views import LeadRows

    loaded = _load(opts)
    filters = _filters(loaded, opts)
    rows = query.select(loaded.rows, filters, include_closed=include_closed)
    if not include_closed:
        _note_closed(len(query.select(loaded.rows, filters, include_closed=True)) - len(rows))
    summary = query.lead_summary(rows, loaded.as_of)
    if summary or fmt in (Format.json, Format.csv):
        emit(LeadRows(summary, loaded.as_of), fmt, colour=use_colour())
    if not summary:
        typer.echo(f"no open items (as of {loaded.as_of.isoformat()})", err=True)
    _finish(loaded)


@app.command()
def stats(
    paths: Paths = None,
    plan: PlanFilter = None,
    section: SectionFilter = None,
    lead: LeadFilter = None,
    status: StatusFilter = None,
    tag: TagFilter = None,
    include_closed: IncludeClosed = False,
    as_of: AsOf = "today",
    fmt: RowFormat = Format.table,
    follow_symlinks: FollowSymlinks = False,
    no_cache: NoCache = False,
) -> None:
    """Counts: items by plan, top-level section and rating; dated, undated, overdue, led."""
    opts = QueryOptions.of(locals())
    from planctl.core import query
    from planctl.output.emit import emit
    from planctl.output.views import StatsView

    loaded = _load(opts)
    filters = _filters(loaded, opts)
    rows = query.select(loaded.rows, filters, include_done=True, include_closed=include_closed)
    if not include_closed:
        _note_closed(
            len(query.select(loaded.rows, filters, include_done=True, include_closed=True)) - len(rows)
        )
    emit(StatsView(query.stats(rows, loaded.as_of), loaded.as_of), fmt, colour=use_colour())
    _finish(loaded)

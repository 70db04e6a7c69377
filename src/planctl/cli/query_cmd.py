"""``planctl due``, ``overdue``, ``upcoming``, ``list``, ``show``, ``search``, ``leads``, ``stats``.

Glue only: parse options, load plans, call :mod:`planctl.query`, format with
:mod:`planctl.output`.  Heavy modules are imported inside the command bodies.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import typer

from planctl.cli import app
from planctl.cli.common import FollowOpt, PathsArg, fail_usage, stdout_is_terminal
from planctl.output import Format

if TYPE_CHECKING:
    from planctl.dates import FuzzyDate
    from planctl.diagnostics import Diagnostic
    from planctl.output import Block, Cell
    from planctl.query import Filters, Row

PlanOpt = typer.Option(None, "--plan", help="Only this plan id (repeatable).", show_default=False)
SectionOpt = typer.Option(
    None,
    "--section",
    help="Only items under a section with this id or a title containing this text (repeatable).",
    show_default=False,
)
LeadOpt = typer.Option(
    None,
    "--lead",
    help="Lead contains this text, ignoring case (own or inherited); 'none' for items with no lead.",
    show_default=False,
)
StatusOpt = typer.Option(
    None, "--status", help="Status key or label, e.g. amber; 'none' for unrated.", show_default=False
)
TagOpt = typer.Option(None, "--tag", help="Item or section tag (repeatable).", show_default=False)
AsOfOpt = typer.Option("today", "--as-of", help="Take this day as today (e.g. 2026-11-24).")
FormatOpt = typer.Option(Format.table, "--format", "-f", help="table, json, csv or markdown.")
RawOpt = typer.Option(False, "--raw-dates", help="Show each deadline's phrase as written, too.")
FailOpt = typer.Option(False, "--fail-if-any", help="Exit 1 when any item matches (for CI).")
AllOpt = typer.Option(False, "--all", help="Include items whose status means done.")
UndatedOpt = typer.Option(False, "--include-undated", help="Include items with no deadline.")


@dataclass(frozen=True, slots=True)
class _Loaded:
    rows: list[Row]
    problems: list[Diagnostic]
    as_of: date


def _today(text: str) -> date:
    from planctl.dates import parse_query_date

    try:
        fd = parse_query_date(text, date.today())
    except ValueError as exc:
        fail_usage(f"--as-of: {exc}")
    if fd.start is None or fd.start != fd.end:
        fail_usage(f"--as-of needs a single day such as 2026-11-24, not {text!r}")
    return fd.start


def _query_date(option: str, text: str, as_of: date) -> FuzzyDate:
    """A date argument; relative forms ("+3m", "today") count from --as-of."""
    from planctl.dates import parse_query_date

    try:
        return parse_query_date(text, as_of)
    except ValueError as exc:
        fail_usage(f"{option}: {exc}")


def _load(paths: list[Path] | None, follow: bool, as_of_text: str) -> _Loaded:
    """Every item as a row; many files are read in worker processes (planctl.pipeline)."""
    from planctl.files import UsageError, discover
    from planctl.pipeline import default_jobs, query_rows

    as_of = _today(as_of_text)
    try:
        found = discover(paths or [Path("plans")], follow_symlinks=follow)
    except UsageError as exc:
        fail_usage(str(exc))
    rows, problems = query_rows(found, jobs=default_jobs())
    return _Loaded(rows, problems, as_of)


def _filters(
    plans: list[str] | None,
    sections: list[str] | None,
    leads: list[str] | None,
    statuses: list[str] | None,
    tags: list[str] | None,
) -> Filters:
    from planctl.query import Filters

    return Filters(
        tuple(plans or ()),
        tuple(sections or ()),
        tuple(leads or ()),
        tuple(statuses or ()),
        tuple(tags or ()),
    )


def _finish(loaded: _Loaded, failed: bool = False) -> NoReturn:
    """Report invalid files on stderr (their items were not searched) and exit."""
    from planctl.report import text_line

    for d in loaded.problems:
        typer.echo(text_line(d), err=True)
    if loaded.problems:
        files = len({d.file for d in loaded.problems})
        typer.echo(
            f"planctl: {files} plan file{'s' if files != 1 else ''} could not be read, so "
            "the answer above leaves their items out; fix the problems above "
            "(planctl validate) and ask again",
            err=True,
        )
    raise typer.Exit(1 if loaded.problems or failed else 0)


# --- formatting rows ---


def _section_label(kind: str, number: str | None, title: str) -> str:
    if number:
        return f"{kind.capitalize()} {number}: {title}"
    return title


def _due_cell(row: Row, raw: bool, as_of: date) -> Cell:
    from planctl.output import Cell

    item = row.item
    d = item.deadline
    if d is None:
        rec = item.repeats
        return Cell(f"repeats: {rec.words()}" if rec else "")
    if not d.resolved:
        return Cell(f"{d.text} (no date)")
    text = d.words()
    if raw and d.text != text:
        text += f' ["{d.text}"]'
    late = d.end is not None and d.end < as_of and not row.done
    return Cell(text, "red" if late else None)


def _row_blocks(rows: Sequence[Row], raw: bool, as_of: date) -> list[Block]:
    """Rows grouped by plan, then section (document order); rows keep their order."""
    from planctl.output import Block, Cell, Column

    rated = any(r.item.status is not None for r in rows)
    columns = [Column("ID", 24), Column("Item", flex=True), Column("Due", 30), Column("Lead", 28)]
    if rated:  # no empty Status column when no plan in the answer rates its items
        columns.append(Column("Status", 16))
    blocks: dict[tuple[str, ...], Block] = {}
    first: dict[tuple[str, ...], tuple[int, int]] = {}
    for row in rows:
        sections = " › ".join(_section_label(s.kind, s.number, s.title) for s in row.located.sections)
        key = (f"{row.plan.title} ({row.file})", sections)
        block = blocks.setdefault(key, Block(key, columns))
        first[key] = min(first.get(key, row.order), row.order)
        rating = row.rating
        status = rating.label if rating else (row.item.status or "")
        cells = [
            Cell(row.id),
            Cell(row.item.title),
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


def _print_blocks(blocks: Sequence[Block], fmt: Format) -> None:
    from planctl.output import write_markdown, write_table

    if fmt is Format.markdown:
        write_markdown(blocks, sys.stdout)
    else:
        write_table(blocks, sys.stdout, colour=stdout_is_terminal(), width=_width())


def _emit_rows(rows: Sequence[Row], fmt: Format, raw: bool, as_of: date, what: str) -> None:
    """Print rows; the "no items" line and the count go to stderr, keeping stdout clean."""
    from planctl.output import write_csv, write_json
    from planctl.query import FLAT_FIELDS

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
    select: Callable[[list[Row]], list[Row]],
    fmt: Format,
    raw: bool,
    fail_if_any: bool,
    what: str,
) -> NoReturn:
    rows = select(loaded.rows)
    _emit_rows(rows, fmt, raw, loaded.as_of, what)
    _finish(loaded, failed=fail_if_any and bool(rows))


# --- commands ---


@app.command()
def due(
    paths: list[Path] | None = PathsArg,
    before: str | None = typer.Option(
        None, "--before", help="Deadline ends before the first day of this date.", show_default=False
    ),
    after: str | None = typer.Option(
        None, "--after", help="Deadline starts after the last day of this date.", show_default=False
    ),
    between: tuple[str, str] | None = typer.Option(
        None,
        "--between",
        help="Two dates A B: deadline overlaps [first day of A, last day of B].",
        show_default=False,
    ),
    plan: list[str] | None = PlanOpt,
    section: list[str] | None = SectionOpt,
    lead: list[str] | None = LeadOpt,
    status: list[str] | None = StatusOpt,
    tag: list[str] | None = TagOpt,
    include_undated: bool = UndatedOpt,
    include_done: bool = AllOpt,
    as_of: str = AsOfOpt,
    fmt: Format = FormatOpt,
    raw_dates: bool = RawOpt,
    fail_if_any: bool = FailOpt,
    follow_symlinks: bool = FollowOpt,
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
    from planctl import query

    loaded = _load(paths, follow_symlinks, as_of)
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
    filters = _filters(plan, section, lead, status, tag)
    _run_rows(
        loaded,
        lambda rows: query.select(
            rows,
            filters,
            lambda d: all(t(d) for t in tests),
            include_undated=include_undated,
            include_done=include_done,
        ),
        fmt,
        raw_dates,
        fail_if_any,
        "due " + " and ".join(words) if words else "with a deadline",
    )


@app.command()
def overdue(
    paths: list[Path] | None = PathsArg,
    plan: list[str] | None = PlanOpt,
    section: list[str] | None = SectionOpt,
    lead: list[str] | None = LeadOpt,
    status: list[str] | None = StatusOpt,
    tag: list[str] | None = TagOpt,
    as_of: str = AsOfOpt,
    fmt: Format = FormatOpt,
    raw_dates: bool = RawOpt,
    fail_if_any: bool = FailOpt,
    follow_symlinks: bool = FollowOpt,
) -> None:
    """Items whose deadline ended before --as-of and whose status does not mean done.

    "By March 2026" is overdue from 1 April 2026.  Exit 0 (1 with --fail-if-any when
    anything is overdue, or when a plan file is invalid; 2 on usage errors).
    """
    from planctl import query

    loaded = _load(paths, follow_symlinks, as_of)
    filters = _filters(plan, section, lead, status, tag)
    _run_rows(
        loaded,
        lambda rows: query.select(rows, filters, query.overdue(loaded.as_of)),
        fmt,
        raw_dates,
        fail_if_any,
        "overdue",
    )


@app.command()
def upcoming(
    paths: list[Path] | None = PathsArg,
    within: str = typer.Option("90d", "--within", help="Window after --as-of: 90d, 6w, 3m, 1y."),
    plan: list[str] | None = PlanOpt,
    section: list[str] | None = SectionOpt,
    lead: list[str] | None = LeadOpt,
    status: list[str] | None = StatusOpt,
    tag: list[str] | None = TagOpt,
    as_of: str = AsOfOpt,
    fmt: Format = FormatOpt,
    raw_dates: bool = RawOpt,
    fail_if_any: bool = FailOpt,
    follow_symlinks: bool = FollowOpt,
) -> None:
    """Open items whose deadline ends between --as-of and --as-of plus --within.

    With --as-of 2026-01-15 --within 90d, "March 2026" (ends 31 March) is upcoming and
    "April 2026" (ends 30 April) is not.
    """
    from planctl import query
    from planctl.dates import parse_duration

    loaded = _load(paths, follow_symlinks, as_of)
    try:
        until = loaded.as_of + parse_duration(within)
    except ValueError as exc:
        fail_usage(f"--within: {exc}")
    filters = _filters(plan, section, lead, status, tag)
    _run_rows(
        loaded,
        lambda rows: query.select(rows, filters, query.upcoming(loaded.as_of, until)),
        fmt,
        raw_dates,
        fail_if_any,
        f"due by {until.isoformat()}",
    )


@app.command("list")
def list_(
    paths: list[Path] | None = PathsArg,
    plan: list[str] | None = PlanOpt,
    section: list[str] | None = SectionOpt,
    lead: list[str] | None = LeadOpt,
    status: list[str] | None = StatusOpt,
    tag: list[str] | None = TagOpt,
    as_of: str = AsOfOpt,
    fmt: Format = FormatOpt,
    raw_dates: bool = RawOpt,
    fail_if_any: bool = FailOpt,
    follow_symlinks: bool = FollowOpt,
) -> None:
    """Every item that passes the filters, done or not, dated or not (by deadline)."""
    from planctl import query

    loaded = _load(paths, follow_symlinks, as_of)
    filters = _filters(plan, section, lead, status, tag)
    _run_rows(
        loaded,
        lambda rows: query.select(rows, filters, include_done=True),
        fmt,
        raw_dates,
        fail_if_any,
        "listed",
    )


@app.command()
def search(
    text: str = typer.Argument(..., help="Words to find (any case)."),
    paths: list[Path] | None = PathsArg,
    plan: list[str] | None = PlanOpt,
    section: list[str] | None = SectionOpt,
    lead: list[str] | None = LeadOpt,
    status: list[str] | None = StatusOpt,
    tag: list[str] | None = TagOpt,
    as_of: str = AsOfOpt,
    fmt: Format = FormatOpt,
    raw_dates: bool = RawOpt,
    fail_if_any: bool = FailOpt,
    follow_symlinks: bool = FollowOpt,
) -> None:
    """Items whose title, text, outcome measures or easy-read words contain TEXT."""
    from planctl import query

    if not text.strip():
        fail_usage("give some words to search for")
    loaded = _load(paths, follow_symlinks, as_of)
    filters = _filters(plan, section, lead, status, tag)
    _run_rows(
        loaded,
        lambda rows: query.select(query.search(rows, text), filters, include_done=True),
        fmt,
        raw_dates,
        fail_if_any,
        f"matching {text!r}",
    )


@app.command()
def show(
    ref: str = typer.Argument(..., metavar="ID", help="Item id, or plan-id:item-id when ids clash."),
    paths: list[Path] | None = PathsArg,
    as_of: str = AsOfOpt,
    fmt: Format = FormatOpt,
    follow_symlinks: bool = FollowOpt,
) -> None:
    """Everything about one item: where it is, outcomes, deadline, leads, history, evidence.

    Exit 1 when no item has that id (close ids are suggested), 2 when the id is in
    several plans (give plan-id:item-id).
    """
    from planctl import query
    from planctl.output import write_csv, write_json

    loaded = _load(paths, follow_symlinks, as_of)
    found = query.find(loaded.rows, ref)
    if not found:
        close = query.close_matches(loaded.rows, ref)
        hint = f"; did you mean {', '.join(close)}?" if close else "; try 'planctl search WORDS'"
        typer.echo(f"planctl: no item {ref!r}{hint}", err=True)
        _finish(loaded, failed=True)
    if len(found) > 1:
        fail_usage(f"{ref!r} is in several plans: {', '.join(r.ref for r in found)}; give one of those")
    row = found[0]
    details = _details(row, loaded.as_of)
    if fmt is Format.json:
        write_json(details, sys.stdout)
    elif fmt is Format.csv:
        write_csv(
            ({"field": k, "value": v.text} for k, v in _fields(row, loaded.rows, loaded.as_of)),
            ("field", "value"),
            sys.stdout,
        )
    else:
        from planctl.output import Block, Column

        block = Block(
            (f"{row.id}: {row.item.title}",),
            [Column("Field", 12), Column("Value", flex=True)],
            [[_plain(k), v] for k, v in _fields(row, loaded.rows, loaded.as_of)],
        )
        _print_blocks([block], fmt)
    _finish(loaded)


def _plain(text: str) -> Cell:
    from planctl.output import Cell

    return Cell(text)


def _link_target(row: Row, rows: Sequence[Row], link: str) -> Row | None:
    """A link is 'item-id' in the same plan or 'plan-id:item-id'."""
    ref = link if ":" in link else f"{row.plan.id}:{link}"
    return next((r for r in rows if r.ref == ref), None)


def _fields(row: Row, rows: Sequence[Row], as_of: date) -> list[tuple[str, Cell]]:
    """The lines of ``show``: label and value, only those the item has."""
    from planctl.output import Cell

    item, plan = row.item, row.plan
    out: list[tuple[str, Cell]] = [
        ("plan", Cell(f"{plan.title} ({plan.id})")),
        ("file", Cell(f"{row.file}:{row.line}")),
        (
            "section",
            Cell(" › ".join(_section_label(s.kind, s.number, s.title) for s in row.located.sections)),
        ),
        ("kind", Cell(item.kind + (f" {item.number}" if item.number else ""))),
        ("title", Cell(item.title)),
    ]
    if item.text:
        out.append(("text", Cell(item.text)))
    for o in item.outcomes:
        extra = f" [deadline: {o.deadline.words()}]" if o.deadline and o.deadline.resolved else ""
        out.append(("outcome", Cell(o.text + extra)))
    d = item.deadline
    if d is not None:
        source = "" if item.due is not None else ", from an outcome measure"
        out.append(
            ("due", Cell(f'{d.words()} (written "{d.text}"{source})', _due_cell(row, False, as_of).colour))
        )
    if item.repeats is not None:
        out.append(("repeats", Cell(item.repeats.words())))
    leads = "; ".join(row.leads)
    if leads:
        inherited = "" if item.leads else " (from its section)"
        out.append(("leads", Cell(leads + inherited)))
    else:
        out.append(("leads", Cell("none")))
    if item.partners:
        out.append(("partners", Cell("; ".join(item.partners))))
    if item.status is not None:
        rating = row.rating
        label = rating.label if rating else item.status
        when = f" on {item.status_date.isoformat()}" if item.status_date else ""
        out.append(
            (
                "status",
                Cell(label + when + (" (done)" if row.done else ""), rating.colour if rating else None),
            )
        )
    for u in item.updates:
        parts = [u.date.isoformat(), u.status or "", u.note or "", f"by {u.by}" if u.by else ""]
        out.append(("update", Cell(" ".join(p for p in parts if p))))
    catalogue = {e.code: e for e in plan.evidence}
    for code in item.evidence:
        entry = catalogue.get(code)
        out.append(
            (
                "evidence",
                Cell(
                    f"{code}: {entry.title or entry.text or ''}"
                    if entry
                    else f"{code} (not in the catalogue)"
                ),
            )
        )
    for link in item.links:
        target = _link_target(row, rows, link)
        out.append(("link", Cell(f"{link}: {target.item.title}" if target else f"{link} (not found)")))
    if item.response is not None:
        r = item.response
        parts = [r.decision or "", r.action or "", f"timescale {r.timescale}" if r.timescale else ""]
        out.append(("response", Cell(" — ".join(p for p in parts if p))))
    if item.tags:
        out.append(("tags", Cell(", ".join(item.tags))))
    if item.easy_read:
        out.append(("easy read", Cell(item.easy_read)))
    if item.provenance is not None:
        out.append(("source", Cell(item.provenance.words())))
    return out


def _details(row: Row, as_of: date) -> dict[str, Any]:
    """``show --format json``: the row contract plus the item's full record."""
    item = row.item
    data = row.to_json()
    catalogue = {e.code: e for e in row.plan.evidence}
    data.update(
        {
            "ref": row.ref,
            "sections": [s.id for s in row.located.sections],
            "number": item.number,
            "text": item.text,
            "outcomes": [
                {
                    "text": o.text,
                    "due": o.deadline.to_json() if o.deadline else None,
                    "recurrence": o.repeats.text if o.repeats else None,
                }
                for o in item.outcomes
            ],
            "overdue": bool(row.deadline and row.deadline.end and row.deadline.end < as_of and not row.done),
            "updates": [u.model_dump(mode="json") for u in item.updates],
            "evidence": [
                {"code": c, "title": catalogue[c].title if c in catalogue else None} for c in item.evidence
            ],
            "links": item.links,
            "tags": item.tags,
            "easy_read": item.easy_read,
            "response": item.response.model_dump(mode="json", exclude_none=True) if item.response else None,
            "provenance": item.provenance.model_dump(mode="json", exclude_none=True)
            if item.provenance
            else None,
        }
    )
    return data


@app.command()
def leads(
    paths: list[Path] | None = PathsArg,
    plan: list[str] | None = PlanOpt,
    section: list[str] | None = SectionOpt,
    lead: list[str] | None = LeadOpt,
    status: list[str] | None = StatusOpt,
    tag: list[str] | None = TagOpt,
    as_of: str = AsOfOpt,
    fmt: Format = FormatOpt,
    follow_symlinks: bool = FollowOpt,
) -> None:
    """Per lead: open items, overdue items and the next deadline; then items with no lead.

    Leads are matched ignoring case; an item with two leads counts for both; a "TBC"
    lead counts as no lead.  Items whose status means done are not counted.
    """
    from planctl import query
    from planctl.output import Block, Cell, Column, write_csv, write_json

    loaded = _load(paths, follow_symlinks, as_of)
    rows = query.select(loaded.rows, _filters(plan, section, lead, status, tag))
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
                    Cell(s.lead or "(no lead)"),
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
    as_of: str = AsOfOpt,
    fmt: Format = FormatOpt,
    follow_symlinks: bool = FollowOpt,
) -> None:
    """Counts: items by plan, top-level section and rating; dated, undated, overdue, led."""
    from planctl import query
    from planctl.output import Block, Cell, Column, write_csv, write_json

    loaded = _load(paths, follow_symlinks, as_of)
    rows = query.select(loaded.rows, _filters(plan, section, lead, status, tag), include_done=True)
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

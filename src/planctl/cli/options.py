"""The options commands share, written once, and the one object the query commands fill.

Each option is an ``Annotated`` type (Typer's own style): a command lists
``plan: PlanFilter = None`` and gets the same flag, help text and shell completion as
every other command that lists it, so ``--help`` cannot drift between commands. The
values then travel together as one :class:`QueryOptions`, built by
:meth:`QueryOptions.of`, instead of being threaded one by one through the helpers.
"""

from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Annotated, Any, Literal

import typer

from planctl.cli import complete
from planctl.cli.common import FOLLOW_HELP, PATHS_HELP
from planctl.output.emit import Format

Paths = Annotated[list[Path] | None, typer.Argument(metavar="PATH", help=PATHS_HELP, show_default=False)]
FollowSymlinks = Annotated[bool, typer.Option("--follow-symlinks", help=FOLLOW_HELP)]
PlanFilter = Annotated[
    list[str] | None,
    typer.Option(
        "--plan",
        metavar="PLAN-ID",
        help="Only this plan id (repeatable).",
        show_default=False,
        autocompletion=complete.plan_ids,
    ),
]
SectionFilter = Annotated[
    list[str] | None,
    typer.Option(
        "--section",
        metavar="SECTION",
        help="Only items under a section with this id or a title containing this text (repeatable).",
        show_default=False,
        autocompletion=complete.section_ids,
    ),
]
LeadFilter = Annotated[
    list[str] | None,
    typer.Option(
        "--lead",
        metavar="TEXT",
        help="Lead contains this text, ignoring case (own or inherited); 'none' for items with no lead.",
        show_default=False,
        autocompletion=complete.lead_names,
    ),
]
StatusFilter = Annotated[
    list[str] | None,
    typer.Option(
        "--status",
        metavar="STATUS",
        help="Status key or label, e.g. amber; 'none' for unrated.",
        show_default=False,
        autocompletion=complete.ratings,
    ),
]
TagFilter = Annotated[
    list[str] | None,
    typer.Option(
        "--tag",
        metavar="TAG",
        help="Item or section tag (repeatable).",
        show_default=False,
        autocompletion=complete.tags,
    ),
]
AsOf = Annotated[
    str,
    typer.Option(
        "--as-of", metavar="DAY", help="Take this day as today: 2026-11-24, today, +3m (default: today)."
    ),
]
# Each command's formats: one Format enum, and the subset a command offers as a Literal of
# its members (Typer shows and checks a Literal as choices, and passes the member itself).
RowFormat = Annotated[
    Literal[Format.table, Format.json, Format.csv, Format.markdown],
    typer.Option("--format", "-f", help="table, json, csv or markdown."),
]
ItemFormat = Annotated[
    Literal[Format.table, Format.json, Format.csv, Format.markdown],
    typer.Option("--format", "-f", help="table, json, csv (field,value) or markdown."),
]
DiagnosticFormat = Annotated[
    Literal[Format.text, Format.json, Format.github],
    typer.Option("--format", "-f", help="text, json or github (Actions annotations)."),
]
LintFormat = Annotated[
    Literal[Format.text, Format.json, Format.github, Format.sarif],
    typer.Option("--format", "-f", help="text, json, github (Actions annotations) or sarif (code scanning)."),
]
ExportFormat = Annotated[
    Literal[Format.csv, Format.xlsx, Format.json, Format.ics],
    typer.Option("--format", "-f", help="csv, xlsx, json or ics."),
]
PackFormat = Annotated[
    Literal[Format.markdown, Format.html], typer.Option("--format", "-f", help="markdown or html.")
]
DiffFormat = Annotated[
    Literal[Format.text, Format.markdown, Format.json],
    typer.Option("--format", "-f", help="text, markdown (a pull-request comment) or json."),
]
HistoryFormat = Annotated[
    Literal[Format.text, Format.json], typer.Option("--format", "-f", help="text or json.")
]
SlippageFormat = Annotated[
    Literal[Format.table, Format.json], typer.Option("--format", "-f", help="table or json.")
]
RawDates = Annotated[bool, typer.Option("--raw-dates", help="Show each deadline's phrase as written, too.")]
FailIfAny = Annotated[bool, typer.Option("--fail-if-any", help="Exit 1 when any item matches (for CI).")]
IncludeDone = Annotated[bool, typer.Option("--all", help="Include items whose status means done.")]
IncludeUndated = Annotated[bool, typer.Option("--include-undated", help="Include items with no deadline.")]
IncludeClosed = Annotated[
    bool,
    typer.Option(
        "--include-closed",
        help="Include items of plans and sections closed by --as-of (left out by default).",
    ),
]
NoCache = Annotated[
    bool, typer.Option("--no-cache", help="Read every file afresh; do not read or write .planctl_cache/.")
]


@dataclass(frozen=True, slots=True)
class QueryOptions:
    """What a query command was asked, whichever command: where to read, as of when,
    which items, and how to print them. Options a command does not offer keep the
    defaults here (``show`` has no filters; ``leads`` and ``stats`` no --raw-dates)."""

    paths: list[Path] | None = None
    as_of: str = "today"
    follow_symlinks: bool = False
    no_cache: bool = False
    plan: list[str] | None = None
    section: list[str] | None = None
    lead: list[str] | None = None
    status: list[str] | None = None
    tag: list[str] | None = None
    include_closed: bool = False
    fmt: Format = Format.table
    raw_dates: bool = False
    fail_if_any: bool = False

    @classmethod
    def of(cls, params: Mapping[str, Any]) -> "QueryOptions":
        """The shared options among a command's parameters (pass ``locals()`` first thing).

        Typer reads each command's signature, so the parameters stay spelled out there
        (their order is the order of ``--help``); their names are the field names here,
        and this one helper gathers them, ignoring the command's own (``--before``...).
        """
        return cls(**{f.name: params[f.name] for f in fields(cls) if f.name in params})

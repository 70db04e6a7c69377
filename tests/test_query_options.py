"""The query commands' shared options: one definition each, one object to carry them.

``QueryOptions.of(locals())`` gathers a command's options by parameter name, so a
parameter renamed in one command would silently keep its default there; and the point
of one definition is that a flag reads the same in every command's --help.
"""

import inspect
from collections.abc import Callable
from dataclasses import fields
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from planctl.cli import app, options, query_cmd
from planctl.cli.options import QueryOptions

COMMANDS: dict[str, Callable[..., Any]] = {
    "due": query_cmd.due,
    "overdue": query_cmd.overdue,
    "upcoming": query_cmd.upcoming,
    "list": query_cmd.list_,
    "search": query_cmd.search,
    "show": query_cmd.show,
    "leads": query_cmd.leads,
    "stats": query_cmd.stats,
}
FIELD_OF = {
    options.Paths: "paths",
    options.AsOf: "as_of",
    options.FollowSymlinks: "follow_symlinks",
    options.NoCache: "no_cache",
    options.PlanFilter: "plan",
    options.SectionFilter: "section",
    options.LeadFilter: "lead",
    options.StatusFilter: "status",
    options.TagFilter: "tag",
    options.IncludeClosed: "include_closed",
    options.RowFormat: "fmt",
    options.RawDates: "raw_dates",
    options.FailIfAny: "fail_if_any",
}
FIELDS = {f.name for f in fields(QueryOptions)}


@pytest.mark.parametrize("name", COMMANDS)
def test_each_shared_option_has_the_name_query_options_reads(name: str) -> None:
    params = inspect.signature(COMMANDS[name], eval_str=True).parameters.values()
    shared = {p.name: FIELD_OF[p.annotation] for p in params if p.annotation in FIELD_OF}
    assert shared, f"{name} lists none of the shared options"
    assert all(param == field for param, field in shared.items()), shared
    # and a parameter with a field's name is that option (show's --format words its help apart)
    others = {p.name for p in params if p.name in FIELDS and p.annotation not in FIELD_OF}
    assert others <= ({"fmt"} if name == "show" else set()), others


def test_a_shared_flag_reads_the_same_in_every_query_command() -> None:
    group: Any = typer.main.get_command(app)  # Typer's bundled click: read by attribute
    seen: dict[str, set[tuple[object, ...]]] = {}
    for name in COMMANDS:
        command = group.commands[name]
        for param in command.params:
            if param.name in FIELDS and not (name == "show" and param.name == "fmt"):
                help_text = getattr(param, "help", None)
                seen.setdefault(param.name, set()).add(
                    (tuple(param.opts), help_text, param.metavar, param.default, param.multiple)
                )
    assert set(seen) == FIELDS
    assert {k: v for k, v in seen.items() if len(v) != 1} == {}


def test_the_options_reach_the_run_of_each_command() -> None:
    """--fail-if-any, --format and a filter, given to the one object, act in every command
    that answers with items."""
    runner = CliRunner()
    for name, extra in (
        ("due", ["--before", "2026-04"]),
        ("overdue", []),
        ("list", []),
        ("search", ["plan"]),
    ):
        args = [name, *extra, "--as-of", "2026-11-24", "--plan", "oxfordshire-ld-plan-2025-2035"]
        plain = runner.invoke(app, [*args, "-f", "csv"])
        assert plain.exit_code == 0, plain.output
        rows = plain.stdout.splitlines()[1:]
        assert rows
        assert all(row.startswith("oxfordshire-ld-plan-2025-2035,") for row in rows), (name, rows[:3])
        failing = runner.invoke(app, [*args, "-f", "json", "--fail-if-any"])
        assert failing.exit_code == 1
        assert failing.stdout.lstrip().startswith("[")

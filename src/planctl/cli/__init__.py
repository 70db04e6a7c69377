"""The ``planctl`` command line: glue only.

Each command module parses options, calls the domain modules and formats output.
Command modules import heavy libraries inside the command body, so ``planctl --help``
and ``--version`` start fast.
"""

from __future__ import annotations

import gc

import typer

from planctl import __version__

app = typer.Typer(
    name="planctl",
    help="Keep public-sector plans as YAML in git: validate them, ask what is due, find gaps, render reports.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"planctl {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Keep public-sector plans as YAML in git: validate them, ask what is due, find gaps, render reports."""


# Importing the command modules registers their commands on ``app``.
from planctl.cli import (  # noqa: E402
    diff_cmd,
    edit_cmd,
    io_cmd,
    lint_cmd,
    query_cmd,
    render_cmd,
    validate_cmd,
)

__all__ = [
    "app",
    "diff_cmd",
    "edit_cmd",
    "io_cmd",
    "lint_cmd",
    "main",
    "query_cmd",
    "render_cmd",
    "validate_cmd",
]


def main() -> None:
    # planctl runs as a short-lived batch process over plans whose data is acyclic, so
    # reference counting frees everything; the cyclic collector would only re-scan the
    # growing set of loaded plans again and again (half the time of a 10,000-item lint).
    gc.disable()
    app()

"""The ``planctl`` command line: glue only.

Each command module parses options, calls the domain modules and formats output.
Command modules import heavy libraries inside the command body, so ``planctl --help``
and ``--version`` start fast.
"""

import errno
import gc
import os
import sys
from typing import NoReturn

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
    from planctl.output.formats import safe_messages

    safe_messages()  # every message, however built, reaches the terminal made safe


# Importing the command modules registers their commands on ``app``, in this order in
# ``planctl --help``: checking first, then the weekly questions, reports, edits, review.
# isort: off
from planctl.cli import validate_cmd  # noqa: E402
from planctl.cli import query_cmd  # noqa: E402
from planctl.cli import kpi_cmd  # noqa: E402
from planctl.cli import lint_cmd  # noqa: E402
from planctl.cli import render_cmd  # noqa: E402
from planctl.cli import site_cmd  # noqa: E402
from planctl.cli import pictures_cmd  # noqa: E402
from planctl.cli import board_cmd  # noqa: E402
from planctl.cli import edit_cmd  # noqa: E402
from planctl.cli import io_cmd  # noqa: E402
from planctl.cli import forms_cmd  # noqa: E402
from planctl.cli import diff_cmd  # noqa: E402
from planctl.cli import completion_cmd  # noqa: E402
from planctl.cli import init_cmd  # noqa: E402

# isort: on

__all__ = [
    "app",
    "board_cmd",
    "completion_cmd",
    "diff_cmd",
    "edit_cmd",
    "forms_cmd",
    "init_cmd",
    "io_cmd",
    "kpi_cmd",
    "lint_cmd",
    "main",
    "pictures_cmd",
    "query_cmd",
    "render_cmd",
    "site_cmd",
    "validate_cmd",
]


def main() -> None:
    # planctl runs as a short-lived batch process over plans whose data is acyclic, so
    # reference counting frees everything; the cyclic collector would only re-scan the
    # growing set of loaded plans again and again (half the time of a 10,000-item lint).
    gc.disable()
    stdout = sys.stdout
    try:
        try:
            app()
        finally:
            sys.stdout.flush()  # a closed pipe shows here when the output was small
    except BrokenPipeError:
        _reader_left()
    except OSError as exc:
        if exc.errno not in (errno.ENOSPC, errno.EIO, errno.EDQUOT, errno.EFBIG):
            raise
        _output_failed(exc)
    except SystemExit:
        # On a closed stdout (EPIPE) Typer swaps in a stream wrapper that swallows the
        # error and exits 1; reading less than everything (| head) is not a failure.
        if sys.stdout is not stdout:
            _reader_left()
        raise


def _output_failed(exc: OSError) -> NoReturn:
    """``planctl due > /dev/full``: the output could not be written; say so, exit 1."""
    _discard_stdout()
    sys.stderr.write(f"planctl: error: cannot write the output: {exc.strerror}\n")
    raise SystemExit(1)


def _discard_stdout() -> None:
    """Send later writes and the final flush of stdout nowhere, so none fails again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.__stdout__.fileno() if sys.__stdout__ else 1)


def _reader_left() -> NoReturn:
    """``planctl due | head -1``: the reader closed the pipe; stop quietly, exit 0."""
    _discard_stdout()
    raise SystemExit(0)

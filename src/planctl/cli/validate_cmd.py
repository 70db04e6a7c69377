"""``planctl validate`` and ``planctl schema``."""

from pathlib import Path

import typer

from planctl.cli import app
from planctl.cli.common import check_out, load_or_exit, write_out
from planctl.cli.options import DiagnosticFormat, FollowSymlinks, Paths
from planctl.output.emit import Format


@app.command()
def validate(
    paths: Paths = None,
    fmt: DiagnosticFormat = Format.text,
    follow_symlinks: FollowSymlinks = False,
) -> None:
    """Check plan files against the schema; every problem as file:line:column.

    Exit 0 when every file is valid, 1 when any is not, 2 on usage errors (a path that
    does not exist, a folder with no plan files).
    """
    from planctl.output.report import print_diagnostics

    results = load_or_exit(paths, follow_symlinks)
    problems = [d for r in results for d in r.problems]
    print_diagnostics(problems, fmt.value, checked=len(results))
    raise typer.Exit(1 if problems else 0)


@app.command()
def schema(
    out: Path | None = typer.Option(
        None, "--out", "-o", metavar="FILE", help="Write to this file instead of stdout."
    ),
) -> None:
    """Print the JSON Schema of a plan file (editors use it to complete and check keys)."""
    from planctl.core.schema import schema_json

    text = schema_json()
    if out is None:
        typer.echo(text, nl=False)
    else:
        check_out(out)
        write_out(out, text.encode("utf-8"))

"""``planctl validate`` and ``planctl schema``."""

from __future__ import annotations

from pathlib import Path

import typer

from planctl.cli import app
from planctl.cli.common import DiagFormat, FollowOpt, PathsArg, fail_usage, paths_or_default


@app.command()
def validate(
    paths: list[Path] | None = PathsArg,
    fmt: DiagFormat = typer.Option(
        DiagFormat.text, "--format", "-f", help="text, json or github (Actions annotations)."
    ),
    follow_symlinks: bool = FollowOpt,
) -> None:
    """Check plan files against the schema; every problem as file:line:column.

    Exit 0 when every file is valid, 1 when any is not, 2 on usage errors.
    """
    from planctl.files import UsageError, load_all
    from planctl.report import print_diagnostics

    try:
        results = load_all(paths_or_default(paths), follow_symlinks=follow_symlinks)
    except UsageError as exc:
        fail_usage(str(exc))
    problems = [d for r in results for d in r.problems]
    print_diagnostics(problems, fmt.value, checked=len(results))
    raise typer.Exit(1 if problems else 0)


@app.command()
def schema(
    out: Path | None = typer.Option(None, "--out", "-o", help="Write to this file instead of stdout."),
) -> None:
    """Print the JSON Schema of a plan file (editors use it to complete and check keys)."""
    from planctl.schema import schema_json

    text = schema_json()
    if out is None:
        typer.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")

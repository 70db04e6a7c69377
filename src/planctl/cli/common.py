"""Options and output helpers shared by every command."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import NoReturn

import typer

PathsArg = typer.Argument(None, help="Plan files or folders (default: plans/).", show_default=False)
FollowOpt = typer.Option(
    False, "--follow-symlinks", help="Follow symlinks that lead outside the given folders."
)


class DiagFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"


def fail_usage(message: str) -> NoReturn:
    """A usage problem: message on stderr and exit 2, the convention of every command."""
    typer.echo(f"planctl: error: {message}", err=True)
    raise typer.Exit(2)


def paths_or_default(paths: list[Path] | None) -> list[Path]:
    return list(paths) if paths else [Path("plans")]


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()

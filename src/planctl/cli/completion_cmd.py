"""``planctl completion SHELL``: the completion script for bash, zsh or fish.

The script is Typer's, so Click's completion protocol does the work; the values offered
for ids, sections, leads, ratings and tags are :mod:`planctl.cli.complete`'s.
"""

from __future__ import annotations

import os

import typer

from planctl.cli import app
from planctl.cli.complete import COMPLETE_VAR

if COMPLETE_VAR in os.environ:  # the shell is asking: Typer's shell classes must answer
    # typer.completion is where Typer's own --show-completion gets these; it does not
    # list them in __all__, hence the ignores.
    from typer.completion import completion_init  # type: ignore[attr-defined]

    completion_init()

SHELLS = ("bash", "zsh", "fish")


@app.command("completion")
def completion(
    shell: str = typer.Argument(..., metavar="SHELL", help="bash, zsh or fish."),
) -> None:
    """Print the shell completion script: completes commands, options, plan, item and
    section ids, lead names, ratings and tags.

    bash: planctl completion bash > ~/.local/share/bash-completion/completions/planctl;
    zsh: planctl completion zsh > ~/.zfunc/_planctl (with fpath+=~/.zfunc before compinit);
    fish: planctl completion fish > ~/.config/fish/completions/planctl.fish
    """
    from planctl.cli.common import fail_usage

    if shell not in SHELLS:
        fail_usage(f"no completion for {shell!r}; choose one of: {', '.join(SHELLS)}")
    from typer.completion import completion_init, get_completion_script  # type: ignore[attr-defined]

    completion_init()
    typer.echo(get_completion_script(prog_name="planctl", complete_var=COMPLETE_VAR, shell=shell))

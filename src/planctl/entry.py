"""The console entry point: answers ``--version`` before importing the CLI framework.

Everything else goes to :func:`planctl.cli.main`; importing only what a command needs
keeps planctl quick in pre-commit hooks and CI.
"""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from planctl import __version__

        sys.stdout.write(f"planctl {__version__}\n")
        return
    from planctl.cli import main as cli_main

    cli_main()

"""Where the plan repository is, found from any folder inside it as git finds its own.

The project root is the nearest folder, walking up from where the user stands, that has
a ``planctl.toml``, a ``pyproject.toml`` with ``[tool.planctl]``, or a ``plans/`` folder.
Commands given no paths read that root's ``plans/``, named relative to where the user
stands (``../plans/x.yaml``), so ``planctl due`` works from ``plans/`` or ``docs/`` alike.
"""

from __future__ import annotations

import os
from pathlib import Path

from planctl.store.layout import CONFIG_FILE, PLANS_DIR
from planctl.store.safefiles import FileRefusedError, read_regular

_MAX_PYPROJECT = 1 << 20


def _has_planctl_table(pyproject: Path) -> bool:
    """A pyproject.toml that configures planctl (a broken one that mentions planctl still
    marks the root: loading the configuration reports it)."""
    try:
        text = read_regular(pyproject, _MAX_PYPROJECT).decode("utf-8", "replace")
    except (OSError, FileRefusedError):
        return False
    if "planctl" not in text:
        return False
    from planctl.lint.config import ConfigError, has_planctl_table

    try:
        return has_planctl_table(text, str(pyproject))
    except ConfigError:
        return True


def find_root(start: Path) -> Path | None:
    """The nearest folder at or above ``start`` that is a plan repository, or None."""
    here = Path(os.path.abspath(start))
    for folder in (here, *here.parents):
        config = folder / CONFIG_FILE
        if config.exists() or config.is_symlink():
            return folder
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and _has_planctl_table(pyproject):
            return folder
        if (folder / PLANS_DIR).is_dir():
            return folder
    return None


def default_plans(cwd: Path | None = None) -> Path:
    """The folder commands read when given no paths: the project's ``plans/``, relative to
    ``cwd`` (``plans``, ``.`` inside it, ``../plans`` from a sibling); ``plans`` when
    there is no project, so the message names what was looked for."""
    here = Path(os.path.abspath(cwd if cwd is not None else Path.cwd()))
    root = find_root(here)
    if root is None:
        return Path(PLANS_DIR)
    return Path(os.path.relpath(root / PLANS_DIR, here))


def no_plans_message(cwd: Path | None = None) -> str:
    """What to say when a command given no paths finds no plans/ folder to read."""
    here = Path(os.path.abspath(cwd if cwd is not None else Path.cwd()))
    root = find_root(here)
    if root is None:
        return (
            f"no {PLANS_DIR}/ folder here or in any folder above; name the plan files or folders "
            f"to read (a project is the nearest folder with {CONFIG_FILE}, [tool.planctl] in "
            f"pyproject.toml, or {PLANS_DIR}/)"
        )
    where = os.path.relpath(root, here)
    return (
        f"the project at {where}/ (it has {CONFIG_FILE} or [tool.planctl]) has no {PLANS_DIR}/ "
        f"folder; create it, or name the plan files or folders to read"
    )

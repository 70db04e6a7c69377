"""Finding and reading plan files: the filesystem edge of the read path.

Light to import (no models, no validation), so a fully cached lint starts fast.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from planctl.core.diagnostics import Diagnostic
from planctl.core.limits import MAX_BYTES
from planctl.store.root import default_plans
from planctl.store.safefiles import FileRefusedError, read_regular

if TYPE_CHECKING:
    from planctl.core.validate import LoadResult

PLAN_SUFFIXES = (".yaml", ".yml")


class UsageError(Exception):
    """A path the user named does not exist or cannot be used: exit 2, not 1."""


@dataclass(frozen=True, slots=True)
class Found:
    path: Path
    display: str


def display_name(path: Path) -> str:
    """Relative to the working folder when inside it: what editors and CI annotate.

    Symlinks are not resolved: a message names the file the user has, not its target.
    """
    try:
        return str(Path(os.path.abspath(path)).relative_to(os.getcwd()))
    except ValueError:
        return str(path)


def discover(
    paths: Iterable[Path], *, follow_symlinks: bool = False, skipped: list[Path] | None = None
) -> list[Found]:
    """Plan files under ``paths`` (files as given; folders searched for .yaml/.yml).

    Symlinks inside a folder that lead outside every given folder are skipped unless
    ``follow_symlinks``: a shared drive may link anywhere. Each one skipped is added to
    ``skipped``, so the caller can say so: data is never left out silently.
    """
    roots = list(paths) or [default_plans()]
    found: list[Found] = []
    seen: set[Path] = set()
    for root in roots:
        if not root.exists():
            raise UsageError(f"{root}: no such file or folder")
        if root.is_file():
            _add(found, seen, root)
            continue
        for path in _walk(root):
            if path.is_symlink() and not follow_symlinks:
                target = path.resolve()
                if not any(target.is_relative_to(r.resolve()) for r in roots):
                    if skipped is not None:
                        skipped.append(path)
                    continue
            _add(found, seen, path)
    return found


def _add(found: list[Found], seen: set[Path], path: Path) -> None:
    key = path.resolve()
    if key not in seen:
        seen.add(key)
        found.append(Found(path, display_name(path)))


def _walk(root: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.endswith(PLAN_SUFFIXES) and not name.startswith("."):
                yield Path(dirpath) / name


def read(found: Found) -> bytes | LoadResult:
    """The file's bytes, or a result carrying the located reason it cannot be read.

    Only a regular file is read (a FIFO named ``x.yaml`` would hang the run, a link to
    ``/dev/zero`` would never end), and never more than the size limit.
    """
    try:
        return read_regular(found.path, MAX_BYTES)
    except OSError as exc:
        from planctl.core.validate import LoadResult

        if isinstance(exc, FileRefusedError) and exc.size is not None:
            message = (
                f"file is {exc.size // 1_048_576} MiB; plan files are limited to {MAX_BYTES // 1_048_576} MiB"
            )
            return LoadResult(found.display, None, [Diagnostic(found.display, 1, 1, message)])
        if isinstance(exc, FileRefusedError):
            reason = f"{exc.reason}; only plan files are read"
        else:
            reason = exc.strerror or str(exc)
            if found.path.is_symlink() and not found.path.exists():
                reason = f"it is a symlink to {os.readlink(found.path)}, which does not exist"
        return LoadResult(found.display, None, [Diagnostic(found.display, 1, 1, f"cannot read: {reason}")])


def load(found: Found) -> LoadResult:
    """Read and validate one file; an unreadable file is a located problem, not a crash."""
    from planctl.core.validate import load_bytes

    raw = read(found)
    return raw if not isinstance(raw, bytes) else load_bytes(raw, found.display)

"""Reading and naming files in a repository that may be hostile: the one place that decides.

Plan repositories are cloned from strangers and run in CI with tokens in the
environment, so a path planctl opens is never trusted to be what its name says:

- :func:`read_regular` reads only a regular file, never blocks on a FIFO, never reads a
  device, and never reads past a byte limit, however the file grows;
- :func:`file_name` turns an id or name from a plan or a command line into one safe
  file-name component, and :func:`inside` proves a path stays in its folder;
- :func:`real_dir` and :func:`write_new` let the cache refuse a folder or file that is a
  symlink, instead of writing through it.

An attacker here is a committed repository (static symlinks, FIFOs, odd names), not a
process racing planctl, so checks by ``lstat`` at the moment of use are enough.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path


class FileRefusedError(OSError):
    """A file that is not a regular file, or larger than allowed; ``reason`` says which."""

    def __init__(self, path: Path, reason: str, *, size: int | None = None) -> None:
        super().__init__(errno.EINVAL, reason, str(path))
        self.reason = reason
        self.size = size  # set when the file is over the limit: its size in bytes


_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISLNK, "a symlink"),
)


def kind_of(mode: int) -> str:
    """What a non-regular file is, in words a user recognises."""
    for test, words in _KINDS:
        if test(mode):
            return words
    return "not a regular file"


def read_regular(path: Path, limit: int, *, follow_symlinks: bool = True) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``limit`` bytes.

    Opened without blocking (a FIFO named ``x.yaml`` cannot hang the run) and checked
    with ``fstat`` on the open file, so what is read is what was checked. At most
    ``limit + 1`` bytes are read even if the file grows meanwhile. Raises
    :class:`FileRefusedError` for anything else, or ``OSError`` when it cannot be opened.
    """
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    if not follow_symlinks:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP and not follow_symlinks:
            raise FileRefusedError(path, "it is a symlink, which is not followed here") from None
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise FileRefusedError(path, f"it is {kind_of(info.st_mode)}, not a regular file")
        if info.st_size > limit:
            raise FileRefusedError(
                path, f"it is {_size(info.st_size)}; the limit is {_size(limit)}", size=info.st_size
            )
        os.set_blocking(fd, True)
        chunks: list[bytes] = []
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        data = b"".join(chunks)
        if len(data) > limit:
            raise FileRefusedError(
                path, f"it grew past the limit of {_size(limit)} while being read", size=len(data)
            )
        return data
    finally:
        os.close(fd)


def _size(n: int) -> str:
    if n >= 1 << 20:
        return f"{n / (1 << 20):.0f} MiB"
    if n >= 1 << 10:
        return f"{n / (1 << 10):.0f} KiB"
    return f"{n} bytes"


_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def file_name(name: str) -> str:
    """One safe file-name component made from an id or a name (``x/../../README`` ->
    ``x-README``): letters, digits, ``_ . -`` only, no leading dot, never ``.`` or ``..``.

    Different names can give the same component; callers that write several files check
    for that (:func:`inside` catches any escape that remains).
    """
    parts = [p for p in _UNSAFE.split(name) if p and p not in (".", "..")]
    joined = "-".join(parts).lstrip(".-")
    joined = re.sub(r"\.{2,}", ".", joined)
    return joined or "unnamed"


def inside(folder: Path, path: Path) -> bool:
    """True when ``path`` (resolved, links followed) lies in ``folder`` (resolved)."""
    try:
        return Path(os.path.realpath(path)).is_relative_to(os.path.realpath(folder))
    except (OSError, ValueError):
        return False


def real_dir(path: Path) -> bool:
    """True when ``path`` is a folder and not a symlink to one."""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def write_new(path: Path, data: bytes) -> None:
    """Create or replace a small file in place (not atomically: for files a later run
    writes again), refusing to write through a symlink at ``path`` (``O_NOFOLLOW``) or
    into anything that is not a regular file."""
    flags = (
        os.O_WRONLY | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    )
    fd = os.open(path, flags, 0o644)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise FileRefusedError(path, f"it is {kind_of(info.st_mode)}, not a regular file")
        # Written over, then cut after the new bytes where the old file was longer: never
        # cut to nothing first. On ext4 a file cut to nothing is flushed to the disk on
        # close (auto_da_alloc), and each of the 11,000 files of a 10,000-item site then
        # waited for its disk write: 0.9-1.1 s of a build, against 0.07 s overwritten.
        # A write stopped half way leaves the file half new, as cutting first would leave
        # it half written; the site and the cache markers are made again by the next run.
        rest = memoryview(data)
        while rest:  # a write may take less than all of it
            rest = rest[os.write(fd, rest) :]
        if info.st_size > len(data):
            os.ftruncate(fd, len(data))
    finally:
        os.close(fd)

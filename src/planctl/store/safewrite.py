"""Safe writes: the filesystem edge of every command that changes a file.

A write goes to a hidden temporary file in the same folder, is flushed to disk and then
renamed over the target, so a killed process leaves the old file or the new one, never
a torn one (at worst plus a hidden ``.NAME.tmp-*`` file, which the next write under the
lock removes). Edits of an existing file run read-modify-write under a lock, so two
``planctl update`` runs at once never lose one another's change. The lock file is kept
where git does not look: in the git folder of the repository holding the file
(``.git/planctl-locks/``), or, outside any repository, hidden beside it
(``.NAME.lock``), so ``git add -A`` never commits one; and if the file changed on disk since it was read (an editor saving
without the lock), the write is refused rather than overwriting that change, however
late the editor's save comes (see :func:`atomic_write`).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import hashlib
import os
import re
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from filelock import FileLock, Timeout

T = TypeVar("T")

LOCK_TIMEOUT = 30.0


class WriteError(Exception):
    """A file could not be written safely; nothing was changed."""


class ChangedOnDiskError(WriteError):
    """The file changed between reading and writing it."""


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _target(path: Path) -> Path:
    """Write through a symlink to the file it names, not over the link."""
    return Path(os.path.realpath(path))


LOCKS_DIR = "planctl-locks"
"""The folder inside a repository's git folder that holds planctl's lock files."""


def lock_path(path: Path) -> Path:
    """The lock file of ``path``: named after the file it names (not the link), so every
    writer of the same file, from any folder or through any link, takes the same lock."""
    target = _target(path)
    git_dir = _git_dir(target.parent)
    if git_dir is None:
        return target.with_name(f".{target.name}.lock")
    key = hashlib.sha256(os.fsencode(target)).hexdigest()[:32]
    return git_dir / LOCKS_DIR / f"{key}-{target.name[:80]}.lock"


def _git_dir(folder: Path) -> Path | None:
    """The git folder of the repository ``folder`` is in, found as git finds it: the
    nearest ``.git`` walking up, a folder, or a file saying ``gitdir: PATH`` (a linked
    worktree or a submodule). None outside a repository. Environment variables such as
    GIT_DIR are not read: every writer of a file must find the same lock."""
    for here in (folder, *folder.parents):
        dot = here / ".git"
        try:
            if dot.is_dir():
                return dot
            if not dot.is_file():
                continue
            with open(dot, "rb") as fh:
                line = fh.read(4096).decode("utf-8", "replace").splitlines()[:1]
        except OSError:
            continue
        if line and line[0].startswith("gitdir:"):
            named = Path(here, line[0][len("gitdir:") :].strip())
            if named.is_dir():
                return Path(os.path.normpath(named))
        return None  # a .git that git would refuse too: the lock goes beside the file
    return None


def _temp_prefix(target: Path) -> str:
    return f".{target.name}.tmp-"


def remove_stale_temps(path: Path) -> list[Path]:
    """Delete temporary files a killed writer of ``path`` left behind; call under its lock.

    Every writer holds the lock while its temporary file exists, so under the lock any
    such file is an orphan. Only names :func:`tempfile.mkstemp` makes from this target's
    prefix are matched, never another file's.
    """
    target = _target(path)
    pattern = re.compile(re.escape(_temp_prefix(target)) + r"[a-z0-9_]{8}")
    removed: list[Path] = []
    with contextlib.suppress(OSError):
        for entry in os.scandir(target.parent):
            if pattern.fullmatch(entry.name) and entry.is_file(follow_symlinks=False):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
                    removed.append(Path(entry.path))
    return removed


@contextlib.contextmanager
def locked(path: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold the lock of ``path`` (see :func:`lock_path`); clear orphaned temporaries."""
    where = lock_path(path)
    lock = FileLock(str(where), timeout=timeout)
    shown = where.name if where.parent == _target(path).parent else str(where)
    try:
        if where.is_symlink() or (where.exists() and not where.is_file()):  # a folder, FIFO or link
            raise WriteError(f"{path}: its lock file {shown} is not a regular file; remove it and run again")
        if where.parent.name == LOCKS_DIR:
            where.parent.mkdir(exist_ok=True)
        lock.acquire()
    except Timeout as exc:
        raise WriteError(f"{path}: another planctl has held the lock for {timeout:.0f} s; try again") from exc
    except OSError as exc:  # a read-only folder, an unwritable lock file, a name too long
        raise WriteError(
            f"{path}: cannot take its lock file {shown}: {exc.strerror}; nothing written"
        ) from exc
    try:
        remove_stale_temps(path)
        yield
    finally:
        lock.release()


def _default_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


RENAME_EXCHANGE = 2  # linux/fs.h
_AT_FDCWD = -100


def _exchange(a: str, b: str) -> bool:
    """Swap two paths in one step (Linux ``renameat2(RENAME_EXCHANGE)``); False where unsupported.

    Why: a check-then-rename always leaves a moment in which another writer's save is
    overwritten unseen. Swapping instead keeps the displaced file, so it can be checked
    after the fact and swapped back.
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
        return False  # old kernel or a file system without it (some network drives)
    raise OSError(err, os.strerror(err), b)


def _changed(path: Path) -> ChangedOnDiskError:
    return ChangedOnDiskError(f"{path} changed on disk while it was being edited; nothing written, run again")


def atomic_write(path: Path, data: bytes, *, expect: str | None = None) -> None:
    """Replace ``path`` with ``data`` all at once, keeping the file's permissions (and, run
    as root, its owner and group: root's new file would otherwise belong to root).

    With ``expect`` (the digest of the bytes the new data was computed from), the write
    is refused with :class:`ChangedOnDiskError` if the file on disk no longer has those
    bytes. The new file is written and flushed to disk first (the slow part), and only
    then checked and swapped in: on Linux atomically, checking the displaced file after
    the swap and swapping back if another writer got there first, so no change is ever
    lost; elsewhere the check is made immediately before the rename.
    """
    target = _target(path)
    folder = target.parent
    owner: tuple[int, int] | None = None
    try:
        old = target.stat()
        mode = stat.S_IMODE(old.st_mode)
        if os.geteuid() == 0 and (old.st_uid, old.st_gid) != (0, 0):
            owner = (old.st_uid, old.st_gid)  # root's new file would otherwise be root's
    except FileNotFoundError:
        mode = _default_mode()
    except OSError as exc:
        raise WriteError(f"{path}: cannot read its permissions: {exc.strerror}") from exc
    try:
        fd, tmp = tempfile.mkstemp(prefix=_temp_prefix(target), dir=folder)
    except OSError as exc:
        raise WriteError(f"{path}: cannot write in {folder}: {exc.strerror}") from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if owner is not None:
            os.chown(tmp, *owner)
        os.chmod(tmp, mode)  # after chown, which may clear set-id bits
        if expect is None:
            os.replace(tmp, target)
        elif _exchange(tmp, str(target)):
            # ``tmp`` now names the file that was displaced: was it still what we read?
            if digest(Path(tmp).read_bytes()) != expect:
                _exchange(tmp, str(target))
                raise _changed(path)
            os.unlink(tmp)
        else:
            if digest(_read(path)) != expect:
                raise _changed(path)
            os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise WriteError(f"{path}: cannot write: {exc.strerror}") from exc
        raise
    with contextlib.suppress(OSError):  # make the rename itself durable
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def modify(
    path: Path, change: Callable[[bytes], tuple[bytes, T]], *, dry_run: bool = False
) -> tuple[bytes, bytes, T]:
    """Read ``path``, compute its new bytes with ``change`` and write them, all under the lock.

    ``change`` gets the current bytes and returns the new bytes and any extra result.
    Returns (old, new, extra). With ``dry_run`` nothing is locked or written. Raises
    :class:`ChangedOnDiskError` if the file's bytes changed before the new ones replaced
    them (see :func:`atomic_write`).
    """
    if dry_run:
        old = _read(path)
        new, extra = change(old)
        return old, new, extra
    with locked(path):
        old = _read(path)
        new, extra = change(old)
        if new != old:
            atomic_write(path, new, expect=digest(old))
    return old, new, extra


def create(path: Path, data: bytes) -> None:
    """Write a new file; refuse if it exists (checked under the lock)."""
    with locked(path):
        if path.exists():
            raise WriteError(f"{path} already exists; not overwritten")
        atomic_write(path, data)


def write(path: Path, data: bytes) -> None:
    """Write or replace an output file (``export``/``render --out``) all at once.

    No lock: an output is replaced whole, never read-modify-written, so two writers at
    once simply leave the last one's complete file, and a lock file would be a stray
    file in the user's output folder. A symlink is written through, like ``>`` in a shell.

    A character device or a FIFO (``/dev/null``, ``/dev/stdout`` on a pipe, a named pipe)
    is written into, never replaced by a regular file: renaming over ``/dev/null`` as
    root would break the machine. Anything else that is not a regular file is refused.
    """
    try:
        info = os.stat(path)  # follows links: /dev/stdout -> /proc/self/fd/1 -> the pipe
    except OSError:
        info = None
    if info is not None and not stat.S_ISREG(info.st_mode):
        if stat.S_ISCHR(info.st_mode) or stat.S_ISFIFO(info.st_mode):
            _write_into(path, data)
            return
        from planctl.store.safefiles import kind_of

        raise WriteError(
            f"{path}: cannot write: it is {kind_of(info.st_mode)}, not a file, pipe or character device"
        )
    atomic_write(path, data)


def _write_into(path: Path, data: bytes) -> None:
    """Write all of ``data`` into an existing pipe or character device, as ``>`` does
    (opening a FIFO waits for its reader, like a shell)."""
    try:
        fd = os.open(path, os.O_WRONLY | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise WriteError(f"{path}: cannot write: {exc.strerror}") from exc
    try:
        info = os.fstat(fd)
        if not (stat.S_ISCHR(info.st_mode) or stat.S_ISFIFO(info.st_mode)):
            from planctl.store.safefiles import kind_of

            raise WriteError(f"{path}: cannot write: it is {kind_of(info.st_mode)} now")
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    except OSError as exc:
        raise WriteError(f"{path}: cannot write: {exc.strerror}") from exc
    finally:
        os.close(fd)


def _read(path: Path) -> bytes:
    """A plan's bytes, read as every command reads plans: a regular file within the size
    limit (``fmt`` on a 60 MiB file, or on a FIFO, is refused like ``validate``)."""
    from planctl.core.limits import MAX_BYTES
    from planctl.store.safefiles import FileRefusedError, read_regular

    try:
        return read_regular(path, MAX_BYTES)
    except FileRefusedError as exc:
        raise WriteError(f"{path}: cannot edit: {exc.reason}") from exc
    except OSError as exc:
        raise WriteError(f"{path}: cannot read: {exc.strerror}") from exc

"""A content-addressed cache of per-file results (lint findings, query rows), so an
unchanged plan is not read again.

An entry's key is a hash of everything its result depends on: the file's bytes and
display name, and a *context* digest of the planctl code and versions, the lint
configuration and the as-of date (:func:`context_digest`). Any change to one of those
gives a different key, so an entry is never stale, only unused. Entries are JSON (a
cache file must never be able to run code), written atomically; an entry that cannot be
read or parsed is ignored and recomputed. The folder is safe to delete at any time.

A cloned repository may commit the cache folder itself, with symlinks or special files
in it: the cache never follows a link (a folder or file on an entry's path that is a
symlink makes the cache unused), never reads more than an entry's size (a link to
``/dev/zero`` is not read), and treats anything odd as a miss.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

import orjson

from planctl.store.safefiles import FileRefusedError, read_regular, real_dir, write_new

FORMAT = 5  # bump when the entry layout changes (5: a cached rating keeps its meaning)
MAX_ENTRY_BYTES = 256 * 1024 * 1024  # an entry is at most a few times its plan (50 MiB at most)

#: Libraries whose behaviour shows in cached results (reading ease, YAML, validation, dates).
_LIBRARIES = ("pyphen", "pydantic", "pydantic-core", "PyYAML", "python-dateutil")

_GITIGNORE = "# planctl's cache: safe to delete\n*\n"
_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# planctl's cache (lint results, query rows); see https://bford.info/cachedir/\n"
)


def project_root(start: Path) -> Path:
    """Where the cache lives: the project root (:func:`planctl.store.root.find_root`), else
    ``start`` itself."""
    from planctl.store.root import find_root

    return find_root(start) or start.resolve()


def code_digest(package: Path | None = None) -> str:
    """A digest of planctl's own source (``package``: its folder) and the versions it runs on.

    Any edit to planctl (a rule, the models, the date reader), an upgrade of it or of a
    library that shapes results, or another Python gives new keys.
    """
    import planctl

    h = hashlib.sha256()
    h.update(f"{planctl.__version__}\0{sys.version}\0{FORMAT}\0".encode())
    versions = library_versions()
    for name in _LIBRARIES:
        h.update(f"{name}={versions[name]}\0".encode())
    package = package or Path(planctl.__file__).parent
    for path in sorted(package.rglob("*.py")):
        h.update(path.relative_to(package).as_posix().encode() + b"\0")
        h.update(path.read_bytes())
    return h.hexdigest()


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def library_versions(libraries: tuple[str, ...] = _LIBRARIES) -> dict[str, str]:
    """Each library's installed version ("-" when absent), as ``importlib.metadata`` finds it.

    Read from the names of the ``NAME-VERSION.dist-info`` folders on ``sys.path`` (the
    first wins, as for imports): one folder listing instead of a metadata lookup per
    library, which was 5 ms of every cached run. A library installed another way is
    looked up with ``importlib.metadata``.
    """
    wanted = {_canonical(n): n for n in libraries}
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for folder in names:
            if folder.endswith(".dist-info"):
                dist, _, version = folder[: -len(".dist-info")].partition("-")
                key = _canonical(dist)
                if key in wanted and key not in found and version:
                    found[key] = version
    out: dict[str, str] = {}
    for key, name in wanted.items():
        if key in found:
            out[name] = found[key]
            continue
        from importlib import metadata  # only for what the listing did not find (~12 ms to import)

        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "-"
    return out


def context_digest(*parts: str) -> str:
    """The code digest combined with the caller's parts (configuration, as-of date)."""
    h = hashlib.sha256(code_digest().encode())
    for part in parts:
        h.update(b"\0" + part.encode())
    return h.hexdigest()


def _dumps(data: Any) -> bytes:
    """Compact JSON; orjson is several times faster than the standard library here.

    Text orjson refuses (a file name that is not UTF-8 holds lone surrogates) is written
    by the standard library, as ``\\udcxx`` escapes.
    """
    try:
        return orjson.dumps(data)
    except TypeError:
        return json.dumps(data, separators=(",", ":")).encode()


def _loads(raw: bytes) -> Any:
    """What :func:`_dumps` wrote; raises ValueError (or RecursionError) on anything else."""
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        return json.loads(raw)  # the standard library's escapes for lone surrogates


class Cache:
    """Entries under ``folder/<kind>/<2 hex>/<key>.json``, for one context digest."""

    def __init__(self, folder: Path, kind: str, context: str) -> None:
        self.folder = folder
        self.kind = kind
        self.context = context
        self._ready: bool | None = None  # whether the folder checked out, once per run

    def key(self, raw: bytes, name: str) -> str:
        h = hashlib.sha256(self.context.encode())
        h.update(b"\0" + name.encode("utf-8", "surrogateescape") + b"\0")  # any file name
        h.update(raw)
        return h.hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / self.kind / key[:2] / f"{key}.json"

    def _folders(self, key: str) -> tuple[Path, ...]:
        return (self.folder, self.folder / self.kind, self.folder / self.kind / key[:2])

    def get(self, key: str) -> Any | None:
        """The stored value, or None when absent, unreadable, odd or not this key's entry."""
        if not all(real_dir(f) for f in self._folders(key)):
            return None
        try:
            raw = read_regular(self._path(key), MAX_ENTRY_BYTES, follow_symlinks=False)
            data = _loads(raw)
        except (OSError, ValueError, RecursionError):  # RecursionError: absurdly nested JSON
            return None
        if not isinstance(data, dict) or data.get("key") != key or data.get("format") != FORMAT:
            return None
        return data.get("value")

    def put(self, key: str, value: Any) -> None:
        """Store ``value`` atomically; a cache that cannot be written is simply not used.

        Each folder on the way is created here or must be a real folder (never a
        symlink), so an entry can only ever land inside the cache folder.
        """
        path = self._path(key)
        with contextlib.suppress(OSError):
            if self._ready is None:
                self._ready = self._prepare()
            if not self._ready:
                return
            for folder in self._folders(key)[1:]:
                with contextlib.suppress(FileExistsError):
                    os.mkdir(folder)
                if not real_dir(folder):
                    return
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(_dumps({"format": FORMAT, "key": key, "value": value}))
                os.replace(tmp, path)  # replaces a symlink at ``path`` itself, never its target
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise

    def _prepare(self) -> bool:
        """Mark the folder as a cache: ignored by git and by backup tools that honour
        CACHEDIR.TAG. False when the folder or a marker is not what it should be."""
        with contextlib.suppress(FileExistsError):
            os.mkdir(self.folder)
        if not real_dir(self.folder):
            return False
        try:
            for name, body in ((".gitignore", _GITIGNORE), ("CACHEDIR.TAG", _TAG)):
                marker = self.folder / name
                try:
                    if read_regular(marker, 4096, follow_symlinks=False) == body.encode():
                        continue
                except FileNotFoundError:
                    pass
                write_new(marker, body.encode())
        except (OSError, FileRefusedError):
            return False
        return True

"""The git edge: read plan files as they were at a revision.

Everything goes through the ``git`` program with argument lists (never a shell), so
what planctl sees is exactly what ``git show REV:path`` shows, in a full clone or in a
shallow CI checkout. Problems the user can fix (not a repository, a revision missing
from a shallow clone, no default branch) raise :class:`GitError` with a message that
says what to do; the CLI turns it into exit 2.
"""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path

from planctl.core.limits import MAX_BYTES
from planctl.core.revision import Commit

PLAN_SUFFIXES = (".yaml", ".yml")
# Where to look for the branch a pull request will merge into, in order.
DEFAULT_BRANCHES = ("origin/HEAD", "main", "master", "origin/main", "origin/master")


class GitError(Exception):
    """git cannot answer in a way the user can fix: the message says how."""


class NotARepositoryError(GitError):
    pass


class MissingRevisionError(GitError):
    pass


class BlobTooLargeError(GitError):
    """A file at a revision is over the size limit: it is refused without being read."""

    def __init__(self, rev: str, path: str, size: int, limit: int) -> None:
        super().__init__(
            f"{path} at {rev} is {size // 1_048_576} MiB; plan files are limited to {limit // 1_048_576} MiB"
        )
        self.size = size
        self.limit = limit


def _run(args: Sequence[str], cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError:
        raise GitError("git is not installed or not on PATH") from None


def _git(args: Sequence[str], cwd: Path | None = None) -> str:
    done = _run(args, cwd)
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {args[0]} failed: {message[-1] if message else 'exit ' + str(done.returncode)}")
    return done.stdout.decode("utf-8", "replace")


def repo_root(cwd: Path | None = None) -> Path:
    """The top of the working tree; :class:`NotARepositoryError` outside one."""
    done = _run(["rev-parse", "--show-toplevel"], cwd)
    if done.returncode != 0:
        where = cwd or Path.cwd()
        raise NotARepositoryError(
            f"{where} is not inside a git repository; diff, history and slippage read the "
            "plans' git history, so run them from a clone of the plans repository"
        )
    return Path(done.stdout.decode().strip())


def is_shallow(cwd: Path | None = None) -> bool:
    return _git(["rev-parse", "--is-shallow-repository"], cwd).strip() == "true"


def exists(rev: str, cwd: Path | None = None) -> bool:
    return (
        _run(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"], cwd).returncode
        == 0
    )


def resolve(rev: str, cwd: Path | None = None, *, role: str = "base") -> str:
    """The full commit id of ``rev``; :class:`MissingRevisionError` with the fix if absent."""
    if rev.startswith("-"):
        raise MissingRevisionError(f"{role} revision {rev!r} looks like an option, not a revision")
    done = _run(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"], cwd)
    if done.returncode != 0:
        branch = rev.removeprefix("origin/")
        shallow = " (this is a shallow clone)" if is_shallow(cwd) else ""
        raise MissingRevisionError(
            f"{role} revision '{rev}' is not in this clone{shallow}; fetch it "
            f"(e.g. `git fetch --depth=50 origin {branch}`) or pass a revision that exists"
        )
    return done.stdout.decode().strip()


def last_commit_by(day: str, cwd: Path | None = None) -> str | None:
    """The newest commit of HEAD made on or before ``day`` (YYYY-MM-DD, to its last second),
    or None when the history starts later: "the plans as they were at the last meeting"."""
    out = _git(["rev-list", "-1", f"--before={day}T23:59:59", "HEAD"], cwd).strip()
    return out or None


def short(sha: str, cwd: Path | None = None) -> str:
    return _git(["rev-parse", "--short", sha], cwd).strip()


def default_branch(cwd: Path | None = None) -> str:
    """The first of origin/HEAD, main, master (then origin/main, origin/master) that exists."""
    for name in DEFAULT_BRANCHES:
        if exists(name, cwd):
            if name == "origin/HEAD":
                ref = _run(["symbolic-ref", "--short", "refs/remotes/origin/HEAD"], cwd)
                if ref.returncode == 0 and ref.stdout.strip():
                    return ref.stdout.decode().strip()
            return name
    raise MissingRevisionError(
        "no default branch found (tried " + ", ".join(DEFAULT_BRANCHES) + "); "
        "pass the base revision, e.g. `planctl diff origin/main`, after `git fetch origin main`"
    )


def merge_base(base: str, head: str, cwd: Path | None = None) -> str:
    """Where ``head`` branched from ``base``; a clear error when history is cut off."""
    done = _run(["merge-base", base, head], cwd)
    if done.returncode != 0:
        hint = (
            "this is a shallow clone, so their common history is missing; fetch more "
            "(e.g. `git fetch --deepen=50` or `git fetch --unshallow`)"
            if is_shallow(cwd)
            else "they share no history"
        )
        raise MissingRevisionError(
            f"no merge-base of '{base}' and '{head}': {hint}; or pass a revision to compare with"
        )
    return done.stdout.decode().strip()


def show(rev: str, path: str, cwd: Path | None = None, *, limit: int = MAX_BYTES) -> bytes:
    """A file's bytes at ``rev``; ``path`` is relative to the top of the repository.

    The blob's size is asked first (``git cat-file -s``), so a huge file committed once
    is refused with :class:`BlobTooLargeError` before a byte of it is read: the same cap
    as files on disk, since history is as untrusted as the working tree.
    """
    sized = _run(["cat-file", "-s", f"{rev}:{path}"], cwd)
    if sized.returncode == 0 and int(sized.stdout.strip() or 0) > limit:
        raise BlobTooLargeError(rev, path, int(sized.stdout.strip()), limit)
    done = _run(["show", f"{rev}:{path}"], cwd)
    if done.returncode != 0:
        raise GitError(f"cannot read {path} at {rev}: {done.stderr.decode('utf-8', 'replace').strip()}")
    return done.stdout


def plan_files(rev: str, paths: Sequence[str], cwd: Path | None = None) -> list[str]:
    """Plan files (.yaml/.yml) at ``rev`` under ``paths`` (relative to ``cwd``), repo-relative."""
    out = _git(["ls-tree", "-r", "-z", "--full-name", "--name-only", rev, "--", *paths], cwd)
    names = [n for n in out.split("\0") if n]
    return sorted(
        n for n in names if n.endswith(PLAN_SUFFIXES) and not any(p.startswith(".") for p in n.split("/"))
    )


def to_repo_path(path: Path, cwd: Path | None = None) -> str:
    """``path`` (relative to ``cwd``) as a path from the top of the repository."""
    root = repo_root(cwd).resolve()
    full = ((cwd or Path.cwd()) / path).resolve()
    return full.relative_to(root).as_posix()


def file_log(path: str, cwd: Path | None = None) -> list[Commit]:
    """Commits that changed ``path``, oldest first, following renames (``git log --follow``)."""
    sep = "\x1f"
    out = _git(
        [
            "log",
            "--follow",
            "--no-merges",
            "-z",
            f"--format=%x1e%H{sep}%h{sep}%aI{sep}%an{sep}%s",
            "--name-only",
            "--",
            path,
        ],
        cwd,
    )
    commits: list[Commit] = []
    for record in out.split("\x1e"):
        # "<fields>\0\n<path>\0": the header, then the file's name in that commit.
        header, _, names = record.partition("\0")
        fields = header.split(sep)
        files = [n.strip("\n") for n in names.split("\0") if n.strip("\n")]
        if len(fields) < 5 or not files:
            continue
        commits.append(Commit(fields[0], fields[1], fields[2], fields[3], fields[4], files[-1]))
    commits.reverse()
    return commits

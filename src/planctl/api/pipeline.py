"""The edge that reads many plan files: in worker processes when it pays, with a cache.

Per-file work (read, validate, file-local lint rules; or a query's rows) runs in a small
process pool; each worker handles one file at a time and returns a small result, so the
parent never holds YAML nodes and memory stays flat however many files there are. Lint
results are cached by content (:mod:`planctl.store.cache`); the checks that need every file
(:func:`planctl.lint.combine`) run in the parent over the small results.

Sequential and parallel runs give identical output: results come back in file order.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from planctl.store.files import Found, read

if TYPE_CHECKING:
    from planctl.core.diagnostics import Diagnostic
    from planctl.core.rows import Row
    from planctl.lint.config import LintConfig
    from planctl.lint.results import FileLint
    from planctl.store.cache import Cache

#: A pool only pays for its start-up with this many files and bytes to read.
MIN_FILES = 8
MIN_BYTES = 1_000_000

T = TypeVar("T")
R = TypeVar("R")


def default_jobs() -> int:
    """The CPUs this process may use (a container or taskset may allow fewer than exist)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def worth_parallel(found: Sequence[Found], jobs: int) -> bool:
    """True when ``jobs`` > 1, the platform can fork, and there is enough to read."""
    from planctl.store.parallel import worth_forking

    return worth_forking(found, jobs, min_files=MIN_FILES, min_bytes=MIN_BYTES)


# --- the job a worker runs; its inputs are set before the pool forks ---

_STATE: dict[str, Any] = {}


def _init(state: dict[str, Any]) -> None:
    _STATE.clear()
    _STATE.update(state)


def _run(
    func: Callable[[T], R], jobs_in: Sequence[T], found: Sequence[Found], jobs: int, state: dict[str, Any]
) -> Iterator[R]:
    """``func`` over ``jobs_in`` in order: in a fork pool when worth it, else here."""
    if not worth_parallel(found, jobs):
        _init(state)
        yield from map(func, jobs_in)
        return
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    processes = min(jobs, len(jobs_in))
    chunk = max(1, min(4, len(jobs_in) // (processes * 8)))
    with ctx.Pool(processes, initializer=_init, initargs=(state,)) as pool:
        yield from pool.imap(func, jobs_in, chunksize=chunk)


# --- lint ---


@dataclass(frozen=True, slots=True)
class LintRun:
    diagnostics: list[Diagnostic]
    checked: int
    cached: int  # files whose result came from the cache


def _lint_job(found: Found) -> FileLint:
    from planctl.core.validate import LoadResult, load_bytes
    from planctl.lint import lint_file

    raw = read(found)
    if isinstance(raw, LoadResult):
        return lint_file(raw, _STATE["config"], _STATE["as_of"])
    result = load_bytes(raw, found.display)
    # suppression comments come from the same bytes that were validated
    text = raw.decode("utf-8-sig", errors="replace") if result.plan is not None else None
    out = lint_file(result, _STATE["config"], _STATE["as_of"], text)
    cache: Cache | None = _STATE["cache"]
    if cache is not None:
        cache.put(cache.key(raw, found.display), out.to_json())
    return out


def lint_found(
    found: Sequence[Found],
    prepare: Callable[[], tuple[LintConfig, date]],
    *,
    jobs: int,
    cache: Cache | None,
) -> LintRun:
    """Lint ``found``: cached results where the content is unchanged, the rest read anew.

    ``prepare`` (giving the configuration and as-of date) is called only if some file
    must be linted afresh, so a run answered from the cache does not load the rules.
    """
    from planctl.lint.results import combine

    results, misses = _from_cache(found, cache, _lint_entry)
    if misses or not found:  # with no files, still check the settings
        todo = [found[n] for n in misses]
        config, as_of = prepare()
        state = {"config": config, "as_of": as_of, "cache": cache}
        for n, result in zip(misses, _run(_lint_job, todo, todo, jobs, state), strict=True):
            results[n] = result
    done = [r for r in results if r is not None]
    return LintRun(combine(done), len(found), len(found) - len(misses))


def _lint_entry(value: dict[str, Any], found: Found, index: int) -> FileLint | None:
    from planctl.lint.results import FileLint

    result = FileLint.from_json(value)
    return result if result.file == found.display else None


# --- queries ---


def _rows_job(job: tuple[int, Found]) -> tuple[list[Row], list[Diagnostic]]:
    from planctl.core.rows import file_rows_to_json, rows_of
    from planctl.core.validate import LoadResult, load_bytes

    index, found = job
    raw = read(found)
    if isinstance(raw, LoadResult):
        return [], list(raw.problems)
    result = load_bytes(raw, found.display)
    rows = rows_of(result, index)
    cache: Cache | None = _STATE["cache"]
    if cache is not None and result.ok:
        cache.put(cache.key(raw, found.display), file_rows_to_json(rows))
    return rows, list(result.problems)


def query_rows(
    found: Sequence[Found], *, jobs: int, cache: Cache | None = None
) -> tuple[list[Row], list[Diagnostic]]:
    """Every item of every valid plan in ``found`` as query rows, in document order,
    and the problems of the files that could not be read.

    A file whose rows are in ``cache`` (same bytes, same planctl) is not read as YAML;
    the rest are read, in worker processes when that pays, and their rows cached.
    """
    per_file, misses = _from_cache(found, cache, _rows_entry)
    problems: list[Diagnostic] = []
    todo = [found[n] for n in misses]
    state = {"cache": cache}
    for n, (file_rows, file_problems) in zip(
        misses, _run(_rows_job, [(n, found[n]) for n in misses], todo, jobs, state), strict=True
    ):
        per_file[n] = file_rows
        problems.extend(file_problems)
    return [row for file_rows in per_file for row in file_rows or ()], problems


def _rows_entry(value: dict[str, Any], found: Found, index: int) -> list[Row]:
    from planctl.core.rows import file_rows_from_json

    return file_rows_from_json(value, found.display, index)


# --- the cache, for both ---


def _from_cache(
    found: Sequence[Found], cache: Cache | None, decode: Callable[[dict[str, Any], Found, int], R | None]
) -> tuple[list[R | None], list[int]]:
    """Each file's result read back from ``cache`` (None where there is none), and the
    indexes of the files to read afresh.

    An entry that ``decode`` refuses (any of :data:`planctl.core.entry.BAD_ENTRY`) counts as
    no entry: the file is read again.
    """
    results: list[R | None] = [None] * len(found)
    if cache is None:
        return results, list(range(len(found)))
    misses: list[int] = []
    for n, f in enumerate(found):
        hit = _lookup(cache, f, n, decode)
        if hit is None:
            misses.append(n)
        else:
            results[n] = hit
    return results, misses


def _lookup(
    cache: Cache, found: Found, index: int, decode: Callable[[dict[str, Any], Found, int], R | None]
) -> R | None:
    from planctl.core.entry import BAD_ENTRY

    raw = read(found)
    if not isinstance(raw, bytes):
        return None
    value = cache.get(cache.key(raw, found.display))
    if not isinstance(value, dict):
        return None
    try:
        return decode(value, found, index)
    except BAD_ENTRY:
        return None

"""Whether reading files in forked workers pays: one rule for lint, queries and the site."""

from __future__ import annotations

from collections.abc import Sequence

from planctl.store.files import Found


def worth_forking(found: Sequence[Found], jobs: int, *, min_files: int, min_bytes: int) -> bool:
    """True when ``jobs`` > 1, there are ``min_files`` files holding ``min_bytes`` or more,
    and the platform can fork (workers inherit what the parent set up, unpickled never)."""
    if jobs <= 1 or len(found) < min_files:
        return False
    import multiprocessing  # only here: a handful of files never needs it (~3 ms to import)

    if "fork" not in multiprocessing.get_all_start_methods():
        return False
    total = 0
    for f in found:
        try:
            total += f.path.stat().st_size
        except OSError:
            continue
        if total >= min_bytes:
            return True
    return False

"""Checked reading of cached data: each value is the type the reader expects, or an error.

The cache (``planctl.store.cache``) stores rows and lint results as plain JSON; the
modules that decode them (``core.rows``, ``lint.results``) read every field through
these, so an entry edited by hand makes planctl read the file afresh instead of crashing
or answering wrongly.
"""

from __future__ import annotations

from typing import Any

# An entry edited by hand (or by another program) must make planctl read the file
# afresh, not crash later or answer wrongly: readers check each value with these, and
# treat any of BAD_ENTRY as "no entry".

BAD_ENTRY = (KeyError, TypeError, ValueError, IndexError)


def text(value: Any) -> str:
    if type(value) is not str:
        raise TypeError(f"expected text, got {type(value).__name__}")
    return value


def opt_text(value: Any) -> str | None:
    return None if value is None else text(value)


def whole(value: Any) -> int:
    if type(value) is not int:  # not bool either
        raise TypeError(f"expected a whole number, got {type(value).__name__}")
    return value

"""The values shell completion offers: plan, item and section ids, leads, ratings, tags.

Read from the project's plans through the rows cache, so a warm completion costs one
cached query. A completion never prints an error: a shell line is no place for one.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planctl.core.rows import Row

_HELP_WIDTH = 60
_SHELL_SPECIAL = re.compile(r"[^\w@%+=:,./-]")
COMPLETE_VAR = "_PLANCTL_COMPLETE"
"""The environment variable through which the shell asks for completions (Click's protocol)."""


def _rows() -> list[Row]:
    """Every item of the project's plans (from the rows cache when warm); none on any
    problem, since a broken plan must not break the user's shell line."""
    try:
        from planctl.api.pipeline import query_rows
        from planctl.store.cache import Cache, context_digest, project_root
        from planctl.store.files import discover
        from planctl.store.layout import CACHE_DIR
        from planctl.store.root import default_plans

        found = discover([default_plans()])
        cache = Cache(project_root(Path.cwd()) / CACHE_DIR, "rows", context_digest())
        rows, _ = query_rows(found, jobs=1, cache=cache)
    except Exception:
        return []
    return rows


def _short(text: str) -> str:
    from planctl.cli.common import Lines, format_message

    # Shown by the shell beside a value: made safe, then its whitespace collapsed to one line.
    one_line = " ".join(format_message("{}", Lines(text)).split())
    return one_line if len(one_line) <= _HELP_WIDTH else one_line[: _HELP_WIDTH - 1] + "…"


def _offer(incomplete: str, values: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """Values starting with what was typed (ignoring case), each once (``Complete`` is not
    offered again after ``complete``), in order. bash inserts a value as it is given, so
    for bash a space or other shell character in one ("Head of SEND") comes with a
    backslash before it (quoting would hide the typed prefix); zsh and fish quote for
    themselves."""
    bash = os.environ.get(COMPLETE_VAR) == "complete_bash"
    seen: set[str] = set()
    out = []
    for value, help_text in values:
        if value.lower() not in seen and value.lower().startswith(incomplete.lower()):
            seen.add(value.lower())
            out.append((_SHELL_SPECIAL.sub(r"\\\g<0>", value) if bash else value, _short(help_text)))
    return out


def plan_ids(incomplete: str) -> list[tuple[str, str]]:
    return _offer(incomplete, ((r.plan.id, r.plan.title) for r in _rows()))


def item_refs(incomplete: str) -> list[tuple[str, str]]:
    """Item ids; an id used by several plans is offered as PLAN-ID:ITEM-ID, as ``show`` wants."""
    rows = _rows()
    plans_of: dict[str, set[str]] = {}
    for r in rows:
        plans_of.setdefault(r.id, set()).add(r.plan.id)
    refs = ((r.id if len(plans_of[r.id]) == 1 else f"{r.plan.id}:{r.id}", r.title) for r in rows)
    qualified = ((f"{r.plan.id}:{r.id}", r.title) for r in rows)
    offered = _offer(incomplete, refs)
    return offered or _offer(incomplete, qualified)


def section_ids(incomplete: str) -> list[tuple[str, str]]:
    return _offer(incomplete, ((s.id, s.title) for r in _rows() for s in r.sections))


def lead_names(incomplete: str) -> list[tuple[str, str]]:
    return _offer(incomplete, ((lead, "lead") for r in _rows() for lead in r.named_leads))


def ratings(incomplete: str) -> list[tuple[str, str]]:
    return _offer(incomplete, ((s, "rating") for r in _rows() for s in r.plan.statuses))


def tags(incomplete: str) -> list[tuple[str, str]]:
    return _offer(incomplete, ((t, "tag") for r in _rows() for t in sorted(r.tags)))

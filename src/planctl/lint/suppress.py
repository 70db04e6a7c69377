"""``# planctl: ignore[rule, ...]`` comments, read from a file's text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planctl.lint.registry import Rule

_COMMENT = re.compile(r"#\s*planctl:\s*ignore\[([^\]]*)\]")


@dataclass(slots=True)
class Suppression:
    line: int  # 1-based
    column: int
    rules: list[str]  # names or codes as written
    used: set[str] = field(default_factory=set)  # rule names it suppressed

    def covers(self, rule: Rule) -> bool:
        return any(rule.matches(s) for s in self.rules)


def scan_suppressions(text: str) -> list[Suppression]:
    """Every suppression comment in ``text``; one pass, cheap on lines without '#'."""
    out: list[Suppression] = []
    for n, line in enumerate(text.splitlines(), 1):
        if "planctl:" not in line:
            continue
        for m in _COMMENT.finditer(line):
            names = [p.strip() for p in m.group(1).split(",") if p.strip()]
            out.append(Suppression(n, m.start() + 1, names))
    return out

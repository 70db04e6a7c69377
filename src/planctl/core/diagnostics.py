"""Located problems: the one shape every check reports in, whatever found it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Any


class Severity(IntEnum):
    """Ordered so that ``max()`` gives the worst; names are what users type."""

    INFO = 0
    WARNING = 1
    ERROR = 2

    def __str__(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown severity {text!r}; use info, warning or error") from None


LOAD_RULE = "invalid"
LOAD_CODE = "PL001"
"""The rule name and code of a problem found while reading a plan (the loader's problems);
lint explains them as its rule ``invalid`` (planctl.lint.rules.invalid)."""


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem at ``file:line:column`` (both 1-based), with the YAML path when known."""

    file: str
    line: int
    column: int
    message: str
    severity: Severity = Severity.ERROR
    rule: str = LOAD_RULE
    code: str = LOAD_CODE
    yaml_path: str | None = None
    item: str | None = None
    hint: str | None = None

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "code": self.code,
            "severity": str(self.severity),
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "item": self.item,
            "path": self.yaml_path,
            "message": self.message,
            "hint": self.hint,
        }


def format_path(path: tuple[str | int, ...]) -> str:
    """``("sections", 0, "items", 2, "due")`` -> ``sections[0].items[2].due``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(root)"

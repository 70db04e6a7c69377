"""What a rule sees and what it yields; shared by every rule module."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from planctl.core.models import Located, Plan, Section
from planctl.core.validate import LoadResult

YamlPath = tuple[str | int, ...]
SectionEntry = tuple[Section, tuple[Section, ...], YamlPath]


@dataclass(frozen=True, slots=True)
class Finding:
    """One gap at a YAML path; the engine locates it and names the rule."""

    path: YamlPath
    message: str
    item: str | None = None
    hint: str | None = None
    at_key: bool = False  # underline the key rather than its value


@dataclass(frozen=True, slots=True)
class RuleContext:
    """Everything a rule may look at; items and sections are walked once per plan."""

    plan: Plan
    result: LoadResult
    plans: Mapping[str, Plan]  # every valid plan loaded, by id (for cross-plan links)
    options: Any  # the rule's own options dataclass
    as_of: date
    items: list[Located]
    sections: list[SectionEntry]

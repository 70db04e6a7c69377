"""What a rule sees and what it yields; shared by every rule module.

A rule module declares its ``SCOPE`` (default :attr:`Scope.FILE`), as yamllint's rules
declare their ``TYPE``; the engine runs each rule by that declaration and never by name.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from planctl.core.models import Located, Plan, Section
from planctl.core.validate import LoadResult
from planctl.lint.results import Outcome

if TYPE_CHECKING:
    from planctl.lint.suppress import Suppression

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


class Scope(StrEnum):
    """What a rule needs to judge, so when the engine runs it and what it may yield."""

    FILE = "file"  # one plan alone: yields Finding
    PROJECT = "project"  # also every other plan checked: may yield ProjectFinding, judged by combine
    SUPPRESSIONS = "suppressions"  # the file's `# planctl: ignore[...]` comments once every other rule ran
    LOAD = "load"  # reading the file: the engine reports the loader's problems; not run, not selectable


@dataclass(frozen=True, slots=True)
class ProjectFinding:
    """A finding only every plan together can judge: which message (if any) depends on
    what plan ``plan_id`` (and its item ``item_id``) turns out to be among those checked."""

    finding: Finding  # where, which item, the hint; its message is unused
    plan_id: str
    item_id: str | None
    messages: Mapping[Outcome, str]  # an outcome not named here reports nothing


@dataclass(frozen=True, slots=True)
class CommentFinding:
    """A finding about the file's suppression comment number ``comment`` (scope SUPPRESSIONS)."""

    comment: int
    message: str
    hint: str | None = None
    waits_for: str | None = None  # a project rule whose pending findings may still use the comment


@dataclass(frozen=True, slots=True)
class RuleContext:
    """Everything a rule may look at; items and sections are walked once per plan."""

    plan: Plan
    result: LoadResult
    options: Any  # the rule's own options dataclass
    as_of: date
    items: list[Located]
    sections: list[SectionEntry]
    # For SUPPRESSIONS rules only, once every other rule has run:
    suppressions: Sequence[Suppression] = ()  # with the rule names each one was used by
    enabled: Collection[str] = ()  # the names of the rules that ran on this file
    pending: Mapping[int, Collection[str]] = field(default_factory=dict)  # comment -> project rules it covers

"""Helpers for the easy-read rules: which text goes into a handout, and who opted in."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from planctl.lint.base import RuleContext, YamlPath

OPT_IN_TAG = "easy-read"


@dataclass(frozen=True, slots=True)
class EasyText:
    path: YamlPath  # of the easy_read key
    text: str
    item: str | None


def opted_in(ctx: RuleContext) -> bool:
    """A plan takes part once it has any easy-read words, or is tagged ``easy-read``."""
    plan = ctx.plan
    if OPT_IN_TAG in plan.tags or plan.easy_read:
        return True
    if any(s.easy_read or OPT_IN_TAG in s.tags for s, _, _ in ctx.sections):
        return True
    return any(loc.item.easy_read for loc in ctx.items) or any(g.easy_read for g in plan.glossary)


def easy_texts(ctx: RuleContext) -> Iterator[EasyText]:
    """Every ``easy_read:`` text of the plan, its sections, items and glossary."""
    if ctx.plan.easy_read:
        yield EasyText(("easy_read",), ctx.plan.easy_read, None)
    for i, g in enumerate(ctx.plan.glossary):
        if g.easy_read:
            yield EasyText(("glossary", i, "easy_read"), g.easy_read, None)
    for section, _, path in ctx.sections:
        if section.easy_read:
            yield EasyText((*path, "easy_read"), section.easy_read, None)
    for loc in ctx.items:
        if loc.item.easy_read:
            yield EasyText((*loc.path, "easy_read"), loc.item.easy_read, loc.item.id)


def glossary_terms(ctx: RuleContext) -> list[str]:
    return [g.term for g in ctx.plan.glossary]

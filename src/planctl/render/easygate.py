"""The easy-read gate: what stops a handout being printed as checked.

A warning scrolls past; a self-advocacy group is handed the file. So rendering an
easy-read template fails (exit 1, each problem at its ``file:line``) when a sentence it
prints is over :data:`MAX_WORDS` words, a hard word is not explained, or an actionable
item has no ``easy_read:`` words; ``render --draft`` prints the handout anyway, marked
"Draft: not yet checked" on every page.

A hard word is one a reader cannot be expected to know: an acronym, a word of the
officers' trade (:data:`JARGON`, e.g. "procurement", "multi-agency"), or a glossary
term. It is explained when the glossary has it with ``easy_read`` words (the handout
then prints it in bold with its meaning on the same page). The Dale-Chall list that
lint's ``easy-read-hard-word`` uses is only a hint here: it counts "local" and "doing".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from planctl.core import readability
from planctl.render.context import RenderContext
from planctl.render.handout import YamlPath

MAX_WORDS = 20  # easy-read guidance aims at 15; over 20 is never printed as checked

# Words of the officers' trade that easy-read guidance says to replace or explain.
JARGON = frozenset(
    [
        "procurement",
        "procure",
        "commissioning",
        "commissioner",
        "commissioners",
        "commissioned",
        "multi-agency",
        "stakeholder",
        "stakeholders",
        "strategic",
        "governance",
        "cohort",
        "pathway",
        "pathways",
        "provision",
        "statutory",
        "co-production",
        "coproduction",
        "co-produce",
        "co-produced",
        "co-design",
        "collaborative",
        "integrated",
        "interface",
        "mobilise",
        "leverage",
        "holistic",
        "bespoke",
        "benchmark",
        "benchmarking",
        "metrics",
        "outcomes-based",
        "safeguarding",
        "Marmot",
        "thresholds",
        "threshold",
        "tendering",
        "tender",
        "re-commission",
        "recommission",
        "transformation",
    ]
)


@dataclass(frozen=True, slots=True)
class GateProblem:
    path: YamlPath
    message: str


def _jargon_pattern() -> re.Pattern[str]:
    words = "|".join(re.escape(w) for w in sorted(JARGON, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])({words})(?![\w-])", re.IGNORECASE)


_JARGON = _jargon_pattern()


def check(ctx: RenderContext) -> list[GateProblem]:
    """Every reason this handout may not be printed as checked, in the handout's order."""
    handout = ctx.handout
    assert handout is not None
    explained = {g.term.casefold() for g in ctx.plan.glossary if (g.easy_read or "").strip()}
    listed = {g.term.casefold() for g in ctx.plan.glossary}
    glossary_words = {w.casefold() for g in ctx.plan.glossary for w in readability.words(g.term)}
    problems: list[GateProblem] = []
    for item in handout.missing_easy_read:
        problems.append(
            GateProblem(
                (*item.path, "title"), f"item {item.id}: an action with no easy_read: words; write them"
            )
        )
    for line in handout.lines():
        text = line.text
        n = len(readability.words(text))
        if n > MAX_WORDS:
            problems.append(
                GateProblem(
                    line.path, f"{line.origin}: a sentence of {n} words ({MAX_WORDS} at most): {text!r}"
                )
            )
        for acronym in readability.acronyms(text):
            if acronym.casefold() not in explained:
                hint = (
                    "give its glossary entry easy_read words"
                    if acronym.casefold() in listed
                    else "add it to glossary: with easy_read words, or write it out"
                )
                problems.append(
                    GateProblem(line.path, f"{line.origin}: hard word {acronym!r} is not explained; {hint}")
                )
        for m in _JARGON.finditer(text):
            word = m[1].casefold()
            if not _explained(word, explained) and word not in glossary_words:
                problems.append(
                    GateProblem(
                        line.path,
                        f"{line.origin}: hard word {m[1]!r} is not explained; use an everyday word, or add it to glossary: with easy_read words",
                    )
                )
        for part in line.parts:
            if part.term and not _explained(part.text, explained):
                problems.append(
                    GateProblem(
                        line.path,
                        f"{line.origin}: glossary term {part.text!r} has no easy_read meaning; add one",
                    )
                )
    return _unique(problems)


def _explained(word: str, explained: set[str]) -> bool:
    w = " ".join(word.split()).casefold()
    forms = {w, re.sub(r"(?:'s|’s|es|s)$", "", w), re.sub(r"(?:'s|’s|s)$", "", w)}
    spaced = {f.replace("-", " ") for f in forms}
    return any(f in explained or f in {e.replace("-", " ") for e in explained} for f in forms | spaced)


def _unique(problems: list[GateProblem]) -> list[GateProblem]:
    seen: set[tuple[YamlPath, str]] = set()
    out: list[GateProblem] = []
    for p in problems:
        if (p.path, p.message) not in seen:
            seen.add((p.path, p.message))
            out.append(p)
    return out

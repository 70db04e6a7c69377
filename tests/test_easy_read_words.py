"""Easy-read words of the Oxfordshire Learning Disability Plan 2025-2035 work plans.

The checks follow the Department of Health guidance "Making written information easier
to understand for people with learning disabilities": short sentences (15 words or
fewer here), one full stop each, no acronyms unless the glossary explains them, months
in words, and the same deadlines as the plan.
"""

from __future__ import annotations

import re

import pytest

from planctl.core.models import Item, Plan, Section, walk_items, walk_sections
from planctl.core.readability import reading_ease

PLAN_ID = "oxfordshire-ld-plan-2025-2035"
MAX_WORDS = 15
ACTIONS = 74
SECTIONS = 24  # 4 themes and 20 priorities

# Terms the reader meets in titles and outcomes; each must be in the glossary.
REQUIRED_TERMS = {
    "GP",
    "Dynamic Support Register",
    "Care and Treatment Reviews",
    "Care Education and Treatment Reviews",
    "Building the Right Support",
    "annual health check",
    "co-produce",
    "Mental Health Act",
    "health and care passport",
    "reasonable adjustments",
    "supported living",
}

_SENTENCE = re.compile(r"[.!?]")
_CAPS = re.compile(r"\b[A-Z]{2,}\b")
_NUMERIC_DATE = re.compile(r"\b\d{1,2}/\d{1,2}\b")
_QUARTER = re.compile(r"\bQ[1-4]\b")
_MONTH_YEAR = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November|December)"
    r" \d{4}\b"
)
_ABBREVIATIONS = re.compile(r"\b(?:e\.g|i\.e|etc)\b", re.IGNORECASE)


@pytest.fixture(scope="module")
def plan(shipped: dict[str, Plan]) -> Plan:
    return shipped[PLAN_ID]


@pytest.fixture(scope="module")
def actions(plan: Plan) -> list[Item]:
    return [located.item for located in walk_items(plan) if located.item.kind == "action"]


@pytest.fixture(scope="module")
def sections(plan: Plan) -> list[Section]:
    return [section for section, _, _ in walk_sections(plan.sections)]


@pytest.fixture(scope="module")
def easy_texts(plan: Plan, actions: list[Item], sections: list[Section]) -> dict[str, str]:
    """Every easy_read text of the plan, by where it is."""
    texts = {"plan": plan.easy_read or ""}
    texts |= {f"section {s.id}": s.easy_read or "" for s in sections}
    texts |= {f"item {i.id}": i.easy_read or "" for i in actions}
    texts |= {f"glossary {g.term}": g.easy_read or "" for g in plan.glossary}
    return texts


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text) if s.strip()]


def as_prose(text: str) -> str:
    """One line ending in a full stop, so titles without one count as sentences."""
    text = " ".join(text.split()).rstrip(":")
    return text if text.endswith((".", "!", "?")) else text + "."


def test_every_action_has_easy_read(actions: list[Item]) -> None:
    assert len(actions) == ACTIONS
    assert [i.id for i in actions if not (i.easy_read or "").strip()] == []


def test_every_section_and_the_plan_have_easy_read(plan: Plan, sections: list[Section]) -> None:
    assert len(sections) == SECTIONS
    assert [s.id for s in sections if not (s.easy_read or "").strip()] == []
    assert (plan.easy_read or "").strip()


def test_actions_have_two_to_four_sentences(actions: list[Item]) -> None:
    counts = {i.id: len(sentences(i.easy_read or "")) for i in actions}
    assert {k: n for k, n in counts.items() if not 2 <= n <= 4} == {}


def test_sentences_are_short(easy_texts: dict[str, str]) -> None:
    long = [
        (where, sentence, len(sentence.split()))
        for where, text in easy_texts.items()
        for sentence in sentences(text)
        if len(sentence.split()) > MAX_WORDS
    ]
    assert long == []


def test_every_sentence_ends_with_a_full_stop(easy_texts: dict[str, str]) -> None:
    assert [where for where, text in easy_texts.items() if not text.rstrip().endswith(".")] == []


def test_no_numeric_dates_quarters_or_abbreviations(easy_texts: dict[str, str]) -> None:
    bad = {
        where: text
        for where, text in easy_texts.items()
        if _NUMERIC_DATE.search(text) or _QUARTER.search(text) or _ABBREVIATIONS.search(text)
    }
    assert bad == {}


def test_capitals_are_glossary_terms(plan: Plan, easy_texts: dict[str, str]) -> None:
    terms = {g.term for g in plan.glossary}
    unexplained = {
        (where, word)
        for where, text in easy_texts.items()
        for word in _CAPS.findall(text)
        if word not in terms
    }
    assert unexplained == set()


def test_glossary_explains_the_terms_readers_meet(plan: Plan) -> None:
    terms = {g.term for g in plan.glossary}
    assert REQUIRED_TERMS - terms == set()
    assert len(terms) == len(plan.glossary)  # no term twice
    assert [g.term for g in plan.glossary if not (g.meaning.strip() and (g.easy_read or "").strip())] == []


def test_months_named_in_easy_words_match_the_plan(actions: list[Item]) -> None:
    """A month named in the easy words must be one the plan gives for that action."""
    for item in actions:
        due = item.due.text if item.due is not None else ""
        source = " ".join([item.title, item.text or "", due, *(o.text for o in item.outcomes)])
        for month in _MONTH_YEAR.findall(item.easy_read or ""):
            assert month in source, (item.id, month)


def test_easy_read_is_easier_than_the_titles(
    plan: Plan, actions: list[Item], sections: list[Section]
) -> None:
    easy = (
        [plan.easy_read or ""] + [s.easy_read or "" for s in sections] + [i.easy_read or "" for i in actions]
    )
    titles = [s.title for s in sections] + [i.title for i in actions]
    easy_ease = reading_ease(" ".join(as_prose(t) for t in easy))
    titles_ease = reading_ease(" ".join(as_prose(t) for t in titles))
    assert easy_ease > titles_ease

"""Plain checks on easy-read text: long sentences, hard words, acronyms, passive voice.

Easy-read guidance asks for short sentences (15 words or fewer), common words, no
unexplained acronyms and active verbs. These pure functions find where text falls
short; lint rules and the handout renderer both use them. Hard words are those of two or
more syllables outside the Dale-Chall easy-word list (:mod:`planctl.core.dale_chall`);
syllables are counted with pyphen's public API (its hyphenation points plus one), and
the Flesch reading ease is computed here with textstat 0.7.4's exact counting and
rounding, so scores are the ones textstat gave (textstat itself is not used: every
release needs ``pkg_resources`` or NLTK downloads at run time).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from planctl.core.dale_chall import EASY_WORDS

MAX_SENTENCE_WORDS = 15

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]?\s+(?=[\"'(\[]?[A-Z0-9])")
_BULLET = re.compile(r"\s*(?:\n\s*[-•*]\s+|\n{2,}|\s+•\s+)")
_WORD = re.compile(r"[A-Za-z0-9]+(?:['’-][A-Za-z0-9]+)*")
_ACRONYM = re.compile(r"(?<![\w-])([A-Z][A-Z0-9&]*[A-Z])(?:s|'s|’s)?(?![\w-])")
_PASSIVE = re.compile(
    r"\b(?:am|is|are|was|were|be|been|being|get|gets|got)\s+(?:\w+ly\s+)?"
    r"(\w+ed|known|done|made|given|seen|taken|built|written|held|kept|paid|told|sent|shown|"
    r"found|brought|run|set|put|met|led|chosen|spoken|understood|undertaken)\b",
    re.IGNORECASE,
)
# Words that easy-read handouts about care and support use all the time, and explain
# by use; the Dale-Chall list (from 1948 schoolchildren) does not have them.
EVERYDAY_WORDS = frozenset(
    [
        "learning",
        "disability",
        "disabilities",
        "autism",
        "autistic",
        "doctor",
        "doctors",
        "hospital",
        "hospitals",
        "nurse",
        "nurses",
        "family",
        "families",
        "carer",
        "carers",
        "support",
        "supported",
        "supporting",
        "council",
        "councils",
        "service",
        "services",
        "money",
        "information",
        "computer",
        "computers",
        "health",
        "healthy",
        "community",
        "communities",
        "advocate",
        "advocates",
        "advocacy",
        "people",
        "person",
        "easy",
        "website",
        "websites",
        "online",
        "email",
        "phone",
        "appointment",
        "appointments",
        "medicine",
        "medicines",
        "activity",
        "activities",
        "everyone",
        "everything",
        "someone",
        "something",
        "anyone",
        "anything",
    ]
)
_ENDINGS = ("iest", "ier", "est", "er", "ies", "es", "s", "ed", "ing", "ly")
# Capitals that are words, not acronyms.
_NOT_ACRONYMS = frozenset({"OK", "TV", "AM", "PM", "II", "III", "IV", "UK"})


def sentences(text: str) -> list[str]:
    """Split text into sentences (and list items), one per line of a handout."""
    out: list[str] = []
    for chunk in _BULLET.split(text.strip()):
        chunk = " ".join(chunk.split())
        if not chunk:
            continue
        out.extend(s.strip() for s in _SENTENCE_END.split(chunk) if s.strip())
    return out


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def long_sentences(text: str, limit: int = MAX_SENTENCE_WORDS) -> list[tuple[str, int]]:
    """Sentences over ``limit`` words, with their word counts."""
    return [(s, n) for s in sentences(text) if (n := len(words(s))) > limit]


def acronyms(text: str) -> list[str]:
    """Acronyms in order of first use ("GPs" counts as "GP")."""
    seen: dict[str, None] = {}
    for m in _ACRONYM.finditer(text):
        if m[1] not in _NOT_ACRONYMS:
            seen.setdefault(m[1], None)
    return list(seen)


def unexplained_acronyms(text: str, glossary_terms: Iterable[str]) -> list[str]:
    known = {t.strip().casefold() for t in glossary_terms}
    return [a for a in acronyms(text) if a.casefold() not in known]


def hard_words(text: str, allowed: Iterable[str] = ()) -> list[str]:
    """Words of two or more syllables outside the common-word list, in order, once each.

    Glossary terms (``allowed``) and acronyms are not counted: the glossary explains
    them, and acronyms have their own check.
    """
    ok = EVERYDAY_WORDS | _allowed_words(tuple(allowed))
    found: dict[str, None] = {}
    difficult = {w for w in _LOWER_WORD.findall(text.lower()) if not _is_easy(w)}
    for w in (w for w in words(text) if w in difficult):  # in text order
        low = w.casefold()
        if low in ok or w.isupper() or any(ch.isdigit() for ch in w) or _easy_stem(low, ok):
            continue
        found.setdefault(w, None)
    return list(found)


@lru_cache(maxsize=64)
def _allowed_words(allowed: tuple[str, ...]) -> frozenset[str]:
    """The glossary's words, split once per glossary rather than once per text."""
    return frozenset(w.casefold() for phrase in allowed for w in words(phrase))


def _easy_stem(word: str, ok: frozenset[str]) -> bool:
    """'harder', 'checked', 'homes': an easy word with a plain ending is easy too."""
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            stem = word[: -len(ending)]
            for candidate in (stem, stem + "e", stem + "y", stem[:-1] if stem[-1:] == stem[-2:-1] else stem):
                if candidate in ok or _is_easy(candidate):
                    return True
    return False


def passive_hints(text: str) -> list[str]:
    """Phrases that look passive ("will be reviewed"); a hint, not a verdict."""
    return [m[0] for m in _PASSIVE.finditer(text)]


def reading_ease(text: str) -> float:
    """Flesch reading ease: 60-70 is plain English; easy read aims for 80 and above.

    206.835 - 1.015 x words per sentence - 84.6 x syllables per word, each ratio rounded
    to one decimal and the score to two, as textstat 0.7.4 does (the scores in use).
    """
    words = len(_unpunctuated(text).split())
    if not words:
        return _round(206.835, 2)
    per_sentence = _round(words / _sentence_count(text), 1)
    per_word = _round(_syllable_count(text) / words, 1)
    return _round(206.835 - 1.015 * per_sentence - 84.6 * per_word, 2)


# What textstat 0.7.4 counts as a word, a sentence and a syllable (its defaults: English,
# apostrophes removed, outputs rounded half away from zero).
_LOWER_WORD = re.compile(r"[\w\='‘’]+")
_PUNCTUATION = re.compile(r"[^\w\s]")
_SENTENCE = re.compile(r"\b[^.!?]+[.!?]*")


def _unpunctuated(text: str) -> str:
    return _PUNCTUATION.sub("", text)


def _sentence_count(text: str) -> int:
    """Sentences, not counting those of two words or fewer; at least one."""
    found = _SENTENCE.findall(text)
    return max(1, sum(1 for s in found if len(_unpunctuated(s).split()) > 2))


def _syllable_count(text: str) -> int:
    return sum(_syllables(w) for w in _unpunctuated(text.lower()).split())


@lru_cache(maxsize=65_536)
def _syllables(word: str) -> int:
    """A word's syllables: its hyphenation points plus one. A plan's vocabulary is small
    and repeats, so each word is hyphenated once."""
    return len(_pyphen().positions(word)) + 1


@lru_cache(maxsize=1)
def _pyphen() -> Any:
    """pyphen's English (US) dictionary, loaded on first use (lint and handouts only)."""
    import pyphen

    return pyphen.Pyphen(lang="en_US")


def _is_easy(word: str) -> bool:
    """On the Dale-Chall list, or of one syllable (textstat's ``is_easy_word``)."""
    return word in EASY_WORDS or _syllable_count(word) < 2


def _round(number: float, points: int) -> float:
    p: float = 10**points
    return float(math.floor(number * p + math.copysign(0.5, number))) / p

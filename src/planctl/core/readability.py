"""Plain checks on easy-read text: long sentences, hard words, acronyms, passive voice.

Easy-read guidance asks for short sentences (15 words or fewer), common words, no
unexplained acronyms and active verbs. These pure functions find where text falls
short; lint rules and the handout renderer both use them. Hard words come from
textstat's Dale-Chall easy-word list (textstat is imported lazily: it is slow to load).
"""

from __future__ import annotations

import io
import re
import types
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

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
    textstat = _textstat()
    ok = EVERYDAY_WORDS | _allowed_words(tuple(allowed))
    found: dict[str, None] = {}
    difficult = set(textstat.difficult_words_list(text))
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
    textstat = _textstat()

    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            stem = word[: -len(ending)]
            for candidate in (stem, stem + "e", stem + "y", stem[:-1] if stem[-1:] == stem[-2:-1] else stem):
                if candidate in ok or textstat.is_easy_word(candidate):
                    return True
    return False


def passive_hints(text: str) -> list[str]:
    """Phrases that look passive ("will be reviewed"); a hint, not a verdict."""
    return [m[0] for m in _PASSIVE.finditer(text)]


def reading_ease(text: str) -> float:
    """Flesch reading ease: 60-70 is plain English; easy read aims for 80 and above."""
    return float(_textstat().flesch_reading_ease(text))


@lru_cache(maxsize=1)
def _textstat() -> Any:
    """textstat, loaded without ``pkg_resources``, with pyphen's syllable positions
    remembered per word.

    textstat 0.7.4 (later releases download NLTK data at run time) imports
    ``pkg_resources`` only to open its easy-word list. setuptools 81 removed that
    module, and a new virtual environment on Python 3.12 or later installs the newest
    setuptools, so there the import failed and lint stopped; where the module exists,
    importing it scans every installed package (60-120 ms in each lint worker). While
    textstat loads, a stand-in that reads the list with :mod:`importlib.resources`
    answers the import instead; other code still gets the real module.

    textstat hyphenates every word of every text afresh; a plan's vocabulary is small
    and repeats, so remembering each word's positions makes reading-ease figures
    several times faster with identical results.
    """
    import sys

    stand_in = types.ModuleType("pkg_resources", "planctl's stand-in while textstat loads")
    stand_in.resource_stream = _resource_stream  # type: ignore[attr-defined]
    before = sys.modules.get("pkg_resources", _ABSENT)
    sys.modules["pkg_resources"] = stand_in
    try:
        import textstat
    finally:
        if before is _ABSENT:
            del sys.modules["pkg_resources"]
        else:
            sys.modules["pkg_resources"] = before  # type: ignore[assignment]

    engine = textstat.textstat
    engine.pyphen.positions = lru_cache(maxsize=65_536)(engine.pyphen.positions)
    return textstat


_ABSENT = object()


def _resource_stream(package: str, name: str) -> io.BytesIO:
    """``pkg_resources.resource_stream``, the one call textstat makes: a package file's bytes."""
    from importlib import resources

    return io.BytesIO(resources.files(package).joinpath(name).read_bytes())

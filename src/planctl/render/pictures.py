"""Pictures for easy-read handouts: a named set of SVGs and the words that choose them.

Easy-read guidance puts a picture beside every idea. A :class:`PictureSet` is plain
data (name → SVG text, keyword → name); :meth:`PictureSet.pick` is pure. Reading the YAML map
and the SVG files is done once, by :func:`load_picture_set`, at the edge.

The bundled set (``templates/pictures/``) is from OpenMoji, CC BY-SA 4.0.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from planctl.store.safefiles import FileRefusedError, inside, read_regular

MAX_PICTURE_BYTES = 1 << 20  # one SVG or picture map (the bundled SVGs are under 10 KiB each)


class PictureError(Exception):
    """A pictures.yaml that cannot be used; the message names the file and the key."""


@dataclass(frozen=True, slots=True)
class Picture:
    name: str
    svg: str
    alt: str

    def data_uri(self) -> str:
        """Inline as a data: URI: self-contained, and an <img> never runs SVG scripts."""
        encoded = base64.b64encode(self.svg.encode("utf-8")).decode("ascii")
        return f"data:image/svg+xml;base64,{encoded}"


@dataclass(frozen=True, slots=True)
class Keyword:
    phrase: str
    picture: str | None  # None: the phrase only hides shorter keywords inside it
    pattern: re.Pattern[str]
    general: bool = False  # a general word ("people", "help"): chooses only when no other keyword does
    needle: str | None = None  # see keyword_needle: text without it cannot match the pattern


@dataclass(frozen=True)
class PictureSet:
    pictures: dict[str, Picture]
    keywords: list[Keyword]
    default: str
    credits: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # pictures not used, each with why
    # (text, general) -> the concept found first in it, as _first_concept gives it. The same
    # texts recur (each item of a section without a keyword of its own falls back to the
    # section's titles; a large plan repeats titles and tags): searched once each.
    _found: dict[tuple[str, bool], tuple[Keyword, str] | None] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def get(self, name: str | None) -> Picture | None:
        return self.pictures.get(name.strip().lower()) if name else None

    def pick(self, explicit: str | None, texts: Sequence[str]) -> Choice:
        """The picture for an idea, and the word that chose it.

        Explicit name first; then the texts in the order given (callers pass the most
        specific first: tags, easy-read words, title, section titles). In a text the
        concept that comes first wins (the longer phrase on a tie, then the map's
        order), so "a bus company for learning" is a bus, not books. A keyword that a
        negation governs ("stay out of hospital", "not in hospital", "stop people going
        back into hospital") never chooses: the picture would show the opposite. A
        keyword mapped to nothing (``learning disabilit*: ~``) only hides the shorter
        keywords inside it.
        """
        warning = None
        if explicit:
            found = self.get(explicit)
            if found is not None:
                return Choice(found, f"picture: {explicit}", None, None)
            warning = f"picture {explicit!r} is not in the picture map; using a keyword or the default"
        for general in (False, True):
            for text in texts:
                if not text:
                    continue
                key = (text, general)
                if key in self._found:
                    best = self._found[key]
                else:
                    best = self._found[key] = _first_concept(self.keywords, text, general)
                if best is not None:
                    kw, word = best
                    assert kw.picture is not None
                    return Choice(self.pictures[kw.picture], kw.phrase, word, warning)
        return Choice(self.pictures[self.default], "default", None, warning)


@dataclass(frozen=True, slots=True)
class Choice:
    """A picture and why: ``picture: NAME``, the keyword and the word it matched, or default."""

    picture: Picture
    keyword: str
    word: str | None
    warning: str | None


# Words that make what follows them the thing an idea is NOT about.
_NEGATION = re.compile(
    r"(?<![\w-])(?:not|no|never|without|out\s+of|instead\s+of|rather\s+than|avoid\w*|prevent\w*|"
    r"stop|stops|stopping|fewer|less|reduc\w*)(?![\w-])",
    re.IGNORECASE,
)
_CLAUSE_END = re.compile(r"[,.;:!?()]|(?<![\w-])(?:and|but|so|then|because)(?![\w-])", re.IGNORECASE)
NEGATION_WINDOW = 4  # words between a negation and the keyword it governs


def negated(text: str, start: int) -> bool:
    """True when a negation word governs the word at ``start`` (same clause, a few words before)."""
    before = _CLAUSE_END.split(text[:start])[-1]
    for m in _NEGATION.finditer(before):
        between = before[m.end() :].split()
        if len(between) <= NEGATION_WINDOW:
            return True
    return False


# The only characters that match an ASCII letter under re.IGNORECASE without lower-casing
# to one (dotted and dotless i, long s, the Kelvin sign): text holding one is searched
# with every pattern, as no needle test can rule a keyword out.
_FOLDS_TO_ASCII = frozenset("\u0130\u0131\u017f\u212a")


def lowered(text: str) -> str | None:
    """``text`` lower-cased, for a quick test that an ASCII word is absent before running a
    case-insensitive pattern for it; None when that test could be wrong (see above)."""
    return None if _FOLDS_TO_ASCII.intersection(text) else text.lower()


def _first_concept(keywords: Sequence[Keyword], text: str, general: bool) -> tuple[Keyword, str] | None:
    # A few hundred keywords' patterns per text took most of a large site's build: a
    # keyword whose needle is not in the lower-cased text cannot match, so its pattern
    # is not run (the result is the same; see keyword_needle).
    low = lowered(text)
    if low is not None:
        keywords = [kw for kw in keywords if kw.needle is None or kw.needle in low]
    hidden: list[tuple[int, int]] = []
    for kw in keywords:
        if kw.picture is None:
            hidden.extend(m.span() for m in kw.pattern.finditer(text))
    best: tuple[int, int, int] | None = None
    chosen: tuple[Keyword, str] | None = None
    for order, kw in enumerate(keywords):
        if kw.picture is None or kw.general != general:
            continue
        for m in kw.pattern.finditer(text):
            start, end = m.span()
            if any(a <= start and end <= b and (a, b) != (start, end) for a, b in hidden):
                continue
            if any(a <= start < b for a, b in hidden if b - a > end - start):
                continue
            if negated(text, start):
                continue
            rank = (start, start - end, order)
            if best is None or rank < best:
                best, chosen = rank, (kw, m[0])
            break
    return chosen


def keyword_pattern(phrase: str) -> re.Pattern[str]:
    """Whole words; an upper-case keyword (an acronym) matches case-sensitively."""
    stem = phrase.rstrip("*")
    words = r"[\W_]+".join(re.escape(w) for w in stem.split())  # "homes, not hospitals" too
    tail = r"\w*" if phrase.endswith("*") else r"(?:s|es)?"
    flags = 0 if stem.isupper() else re.IGNORECASE
    return re.compile(rf"(?<![\w-]){words}{tail}(?![\w-])", flags)


def keyword_needle(phrase: str) -> str | None:
    """The longest word of the phrase, lower-cased: every match of :func:`keyword_pattern`
    holds it (a literal, matched whole or case-insensitively), so text whose lower-cased
    form lacks it needs no search. None for a word with non-ASCII letters, whose case
    folding the lower-casing test would not follow."""
    words = phrase.rstrip("*").split()
    longest = max(words, key=len) if words else ""
    return longest.lower() if longest and longest.isascii() else None


def _read_map(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(read_regular(path, MAX_PICTURE_BYTES).decode("utf-8"))
    except FileRefusedError as exc:
        raise PictureError(f"{path}: cannot read: {exc.reason}") from None
    except OSError as exc:
        raise PictureError(f"{path}: cannot read: {exc.strerror}") from exc
    except UnicodeDecodeError:
        raise PictureError(f"{path}: not UTF-8 text") from None
    except yaml.YAMLError as exc:
        raise PictureError(f"{path}: not valid YAML: {exc}") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise PictureError(f"{path}: expected a mapping with 'pictures' and 'keywords'")
    unknown = set(data) - {"default", "credit", "pictures", "keywords", "general"}
    if unknown:
        raise PictureError(
            f"{path}: unknown key(s) {', '.join(sorted(unknown))}; use pictures, keywords, general, default, credit"
        )
    return data


def load_picture_set(maps: Iterable[Path]) -> PictureSet:
    """Merge picture maps; earlier maps win (pass the user's before the bundled one)."""
    pictures: dict[str, Picture] = {}
    keywords: list[Keyword] = []
    default: str | None = None
    credits: list[str] = []
    refused: list[str] = []
    refused_names: set[str] = set()
    for path in maps:
        data = _read_map(path)
        if default is None and data.get("default"):
            default = str(data["default"]).lower()
        if data.get("credit"):
            credits.append(str(data["credit"]))
        entries = data.get("pictures") or {}
        if not isinstance(entries, dict):
            raise PictureError(f"{path}: 'pictures' must map a name to {{file: ..., alt: ...}}")
        for name, entry in entries.items():
            key = str(name).lower()
            if key in pictures:
                continue
            if isinstance(entry, str):
                entry = {"file": entry}
            if not isinstance(entry, dict) or "file" not in entry:
                raise PictureError(f"{path}: pictures.{name}: give a file, e.g. {{file: {name}.svg}}")
            svg_path = path.parent / str(entry["file"])
            if svg_path.suffix.lower() != ".svg":
                raise PictureError(f"{path}: pictures.{name}: only SVG files are supported")
            svg = _read_picture(path, name, svg_path, refused)
            if svg is None:
                refused_names.add(key)
                continue  # a later map may still define the name
            alt = str(entry.get("alt") or name.replace("-", " "))
            pictures[key] = Picture(key, svg, alt)
        for key in ("keywords", "general"):
            words = data.get(key) or {}
            if not isinstance(words, dict):
                raise PictureError(f"{path}: '{key}' must map a word to a picture name")
            for phrase, name in words.items():
                target = None if name is None else str(name).lower()
                keywords.append(
                    Keyword(
                        str(phrase),
                        target,
                        keyword_pattern(str(phrase)),
                        key == "general",
                        keyword_needle(str(phrase)),
                    )
                )
        if entries and not data.get("credit"):
            refused.append(f"{path}: its pictures have no credit: add credit: with their source and licence")
    keywords = [kw for kw in keywords if kw.picture in pictures or kw.picture not in refused_names]
    for kw in keywords:
        if kw.picture is not None and kw.picture not in pictures:
            raise PictureError(f"keyword {kw.phrase!r} names picture {kw.picture!r}, which no map defines")
    if default is not None and default not in pictures and default in refused_names:
        raise PictureError(f"the default picture {default!r} cannot be used: {'; '.join(refused)}")
    if default is None or default not in pictures:
        raise PictureError(f"the default picture {default!r} is not defined in any picture map")
    return PictureSet(pictures, keywords, default, credits, refused)


def _read_picture(map_path: Path, name: object, svg_path: Path, refused: list[str]) -> str | None:
    """The SVG's text, or None (and why, in ``refused``) when the file is not one to embed.

    A picture map comes with a template folder that may be someone else's: a picture is
    embedded only if it is a regular file (not a symlink, FIFO or device) inside the map's
    folder and at most :data:`MAX_PICTURE_BYTES`, so a link named ``x.svg`` cannot put
    another file into a handout. A picture that is simply missing is an error, as before.
    """
    why = None
    if not inside(map_path.parent, svg_path):
        why = f"it leads outside {map_path.parent}"
    else:
        try:
            return read_regular(svg_path, MAX_PICTURE_BYTES, follow_symlinks=False).decode("utf-8")
        except FileRefusedError as exc:
            why = exc.reason
        except UnicodeDecodeError:
            why = "it is not UTF-8 text"
        except OSError as exc:
            raise PictureError(
                f"{map_path}: pictures.{name}: cannot read {svg_path}: {exc.strerror}"
            ) from exc
    refused.append(f"{map_path}: pictures.{name}: {svg_path} not used: {why}")
    return None

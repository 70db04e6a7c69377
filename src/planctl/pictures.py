"""Pictures for easy-read handouts: a named set of SVGs and the words that choose them.

Easy-read guidance puts a picture beside every idea. A :class:`PictureSet` is plain
data (name → SVG text, keyword → name); :func:`choose` is pure. Reading the YAML map
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

PICTURES_FILE = "pictures.yaml"


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
    picture: str
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class PictureSet:
    pictures: dict[str, Picture]
    keywords: list[Keyword]
    default: str
    credits: list[str] = field(default_factory=list)

    def get(self, name: str | None) -> Picture | None:
        return self.pictures.get(name.strip().lower()) if name else None

    def choose(self, explicit: str | None, texts: Sequence[str]) -> tuple[Picture, str | None]:
        """The picture for an idea and a warning when its explicit ``picture:`` is unknown.

        Explicit name first; then the texts in the order given (callers pass the most
        specific first: tags, easy-read words, title, section titles), and in each text
        the first keyword of the map that occurs.
        """
        warning = None
        if explicit:
            found = self.get(explicit)
            if found is not None:
                return found, None
            warning = f"picture {explicit!r} is not in the picture map; using a keyword or the default"
        for text in texts:
            for kw in self.keywords:
                if text and kw.pattern.search(text):
                    return self.pictures[kw.picture], warning
        return self.pictures[self.default], warning


def keyword_pattern(phrase: str) -> re.Pattern[str]:
    """Whole words; an upper-case keyword (an acronym) matches case-sensitively."""
    stem = phrase.rstrip("*")
    words = r"[\s-]+".join(re.escape(w) for w in stem.split())
    tail = r"\w*" if phrase.endswith("*") else r"(?:s|es)?"
    flags = 0 if stem.isupper() else re.IGNORECASE
    return re.compile(rf"(?<![\w-]){words}{tail}(?![\w-])", flags)


def _read_map(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise PictureError(f"{path}: cannot read: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise PictureError(f"{path}: not valid YAML: {exc}") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise PictureError(f"{path}: expected a mapping with 'pictures' and 'keywords'")
    unknown = set(data) - {"default", "credit", "pictures", "keywords"}
    if unknown:
        raise PictureError(
            f"{path}: unknown key(s) {', '.join(sorted(unknown))}; use pictures, keywords, default, credit"
        )
    return data


def load_picture_set(maps: Iterable[Path]) -> PictureSet:
    """Merge picture maps; earlier maps win (pass the user's before the bundled one)."""
    pictures: dict[str, Picture] = {}
    keywords: list[Keyword] = []
    default: str | None = None
    credits: list[str] = []
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
            try:
                svg = svg_path.read_text(encoding="utf-8")
            except OSError as exc:
                raise PictureError(
                    f"{path}: pictures.{name}: cannot read {svg_path}: {exc.strerror}"
                ) from exc
            alt = str(entry.get("alt") or name.replace("-", " "))
            pictures[key] = Picture(key, svg, alt)
        words = data.get("keywords") or {}
        if not isinstance(words, dict):
            raise PictureError(f"{path}: 'keywords' must map a word to a picture name")
        for phrase, name in words.items():
            keywords.append(Keyword(str(phrase), str(name).lower(), keyword_pattern(str(phrase))))
    for kw in keywords:
        if kw.picture not in pictures:
            raise PictureError(f"keyword {kw.phrase!r} names picture {kw.picture!r}, which no map defines")
    if default is None or default not in pictures:
        raise PictureError(f"the default picture {default!r} is not defined in any picture map")
    return PictureSet(pictures, keywords, default, credits)

"""Text from plan files made safe to show: on a terminal, in a CSV cell, in Markdown.

The one home of the escaping every output uses (the console, CSV, Markdown reports and
diffs, templates). Pure functions over strings, so the core can use them and the output
layer never re-implements them.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

# The colours a plan may give a rating: the 16 terminal colours every terminal has, or
# #rrggbb. Nothing else reaches the terminal: a style string from a plan ("link https://..",
# "conceal", "blink") would be markup, so a colour becomes a rich Color, never a parsed style.
COLOUR_NAMES = (
    "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
    "bright_black", "bright_red", "bright_green", "bright_yellow",
    "bright_blue", "bright_magenta", "bright_cyan", "bright_white",
)  # fmt: skip
COLOUR = re.compile(r"#[0-9A-Fa-f]{6}|" + "|".join(COLOUR_NAMES))


def is_colour(text: str) -> bool:
    """True for a colour name of :data:`COLOUR_NAMES` or ``#rrggbb``, exactly."""
    return COLOUR.fullmatch(text) is not None


# C0 controls but tab and newline, DEL, C1 controls (U+009B is a one-byte CSI; U+0085 is
# NEL, a line break), the line and paragraph separators U+2028/U+2029 (which editors and
# some terminals break lines at), and invisible format characters: bidi embeddings,
# overrides and isolates (U+202A-U+202E, U+2066-U+2069) reorder the text shown around
# them ("Trojan Source"); marks, zero-width spaces, word joiners, invisible operators
# and the BOM hide text. The zero-width (non-)joiners U+200C/U+200D are kept: scripts
# and emoji need them, and they move nothing. A character class, so others extend it:
# safe_line adds tab and newline, the website's printer HTML's special characters.
CONTROL_CHARACTERS = "[\x00-\x08\x0b-\x1f\x7f-\x9f\xad\u061c\u180e\u200b\u200e\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]"
_CONTROL = re.compile(CONTROL_CHARACTERS)
_LINE_CONTROL = re.compile(CONTROL_CHARACTERS[:-1] + "\t\n]")


def _picture(match: re.Match[str]) -> str:
    code = ord(match[0])
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode "control picture": ESC shows as ␛
    if code == 0x7F:
        return "\u2421"  # ␡
    if code < 0xA0:
        return "\ufffd"  # a C1 control has no picture
    return f"<U+{code:04X}>"  # an invisible character, named


def safe_text(text: str) -> str:
    """Plan text with its control characters made visible and inert.

    A plan may hold ``"\\e[31m"`` or an OSC 8 link in a double-quoted string; printed raw,
    it would recolour the terminal, hide text behind ``\\r``, plant a clickable link, or
    (U+2028, U+202E) start a forged line or show text in another order. Each control
    character but newline and tab becomes a visible stand-in without an ESC (``␛[31m``,
    ``<U+202E>``), so a reader sees that the text holds one.
    """
    return _CONTROL.sub(_picture, text) if _CONTROL.search(text) else text


def safe_line(text: str) -> str:
    """:func:`safe_text` for text that must stay on one line: a file name in a message.

    A file may be named ``"a.yaml\\nplans/b.yaml:1:1: error ..."``; printed raw, the name
    would forge a line of output. Newline and tab show as ``␊`` and ``␉`` too.
    """
    return _LINE_CONTROL.sub(_picture, text) if _LINE_CONTROL.search(text) else text


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet may run as a formula


def csv_safe(value: object) -> str:
    """Text for a CSV cell that a spreadsheet will not run as a formula.

    A cell starting with = + - @ (or tab/CR) gets a leading apostrophe (OWASP advice);
    control characters are made visible (:func:`safe_text`), as CSV is often read in a
    terminal.
    """
    text = "" if value is None else str(value)
    text = "'" + text if text.startswith(FORMULA_START) else text
    return safe_text(text)


_MD_SPECIAL = re.compile(r"([\\`*_\[\]|])")
_MD_LINE_START = re.compile(r"^([#>+-])")


def md_text(text: str, *, line_start: bool = True) -> str:
    """Plan text as one line of inert Markdown.

    No table-breaking ``|`` or newline, no raw HTML (``<`` ``>`` as entities), no link or
    emphasis syntax (``[`` ``]`` ``*`` ``_`` backticks escaped), no control characters;
    with ``line_start``, no heading, quote or list marker where it starts a line.
    """
    text = safe_text(re.sub(r"\s+", " ", text))
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = text.replace("<", "&lt;").replace(">", "&gt;")
    return _MD_LINE_START.sub(r"\\\1", text) if line_start else text


# --- names a user may have meant ---


def suggest(wanted: str, pool: Iterable[str], n: int = 5) -> list[str]:
    """Names like ``wanted``, ignoring case: "pap2a:1" suggests "PAP2A:1"."""
    by_key: dict[str, str] = {}
    for name in sorted(pool):
        by_key.setdefault(name.casefold(), name)
    key = wanted.strip().casefold()
    close = difflib.get_close_matches(key, list(by_key), n=n, cutoff=0.6)
    return [by_key[k] for k in close]


def did_you_mean(wanted: str, pool: Iterable[str]) -> str:
    """``"; did you mean A, B?"`` or nothing."""
    close = suggest(wanted, pool)
    return f"; did you mean {', '.join(close)}?" if close else ""

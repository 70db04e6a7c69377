"""A plan file's text form (encoding, byte-order mark, line ending), kept when it is edited.

``validate`` reads UTF-8 with or without a BOM and UTF-16/32 with a BOM, and files saved
on Windows end their lines with CRLF. An edit must write the file back in the form it
came in, or ``git diff`` shows every line changed (CRLF to LF) or the file changes
encoding under its owner's editor. So every command that rewrites a plan decodes it
here, edits the text with plain ``\\n`` line ends, and encodes it back the same way.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from planctl.core.yamlread import decode as _decode_text

__all__ = ["TextForm", "decode", "encode"]

# Longest first: the UTF-32-LE BOM starts with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@dataclass(frozen=True, slots=True)
class TextForm:
    codec: str = "utf-8"
    bom: bytes = b""
    newline: str = "\n"


def decode(raw: bytes) -> tuple[str, TextForm]:
    """The text (``\\n`` line ends, no BOM) and the form to write it back in.

    Raises :class:`planctl.core.yamlread.YamlReadError` (located) when the bytes are not text
    ``validate`` can read. Line ends become ``\\n`` only when every one is CRLF, so a file
    that mixes them is edited as it is rather than having its other lines changed.
    """
    text = _decode_text(raw)
    bom, codec = next(((b, c) for b, c in _BOMS if raw.startswith(b)), (b"", "utf-8"))
    text = text.removeprefix("\ufeff")
    newline = "\n"
    crlf = text.count("\r\n")
    if crlf and crlf == text.count("\n") and crlf == text.count("\r"):
        newline = "\r\n"
        text = text.replace("\r\n", "\n")
    return text, TextForm(codec, bom, newline)


def encode(text: str, form: TextForm) -> bytes:
    """``text`` in ``form``: the same encoding, BOM and line ending the file had."""
    if form.newline != "\n":
        text = text.replace("\n", form.newline)
    return form.bom + text.encode(form.codec)

"""Property tests: mutated real plans never make the loader or the linter crash.

Each example takes a shipped plan (or the example plan), applies a few random edits of
the kind people make by hand (delete, duplicate or swap lines, stray tabs, colons and
quotes, wrong indentation, a truncated save, a list where text belongs) and checks that
loading and linting return located problems instead of raising. ``make fuzz`` runs the
"fuzz" profile (10,000 examples each); ``make test`` a short one.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from planctl.core.diagnostics import Diagnostic
from planctl.core.validate import LoadResult, load_bytes, load_text
from planctl.lint import lint

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted([*(ROOT / "plans").glob("*.yaml"), ROOT / "examples" / "example-plan.yaml"])
TEXTS = {p.name: p.read_text(encoding="utf-8") for p in SOURCES}
AS_OF = date(2026, 11, 24)
_YAML_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")

NASTY = st.sampled_from(
    ["\t", ":", ": ", '"', "'", "- ", "[", "]", "{", "}", "&a ", "*a", "!!python/name:os.system ", "<<: ",
     "#", "|", ">", "%", "@", "`", "?", ",", "\\", "---\n", "...\n", "\ufeff", "\x00", "\x07", "\r",
     "\u0410", "\u00e9", "~", "null", "2026-13-01", "30 February 2026", "9" * 50, "1e999", ".nan", "\n"]
)  # fmt: skip
REPLACEMENTS = st.sampled_from(
    ["[a, b]", "{x: 1}", "", "~", "null", "yes", "0", "-1", "2026-02-30", "[[[[]]]]", "*nowhere", "&x", "|"]
)


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, str]:
    """A plan's text after one to five random hand-editing mistakes."""
    name = draw(st.sampled_from(sorted(TEXTS)))
    lines = TEXTS[name].split("\n")
    for _ in range(draw(st.integers(1, 5))):
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "insert", "indent", "truncate", "replace"]))
        if op == "delete" and len(lines) > 1:
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "insert":
            at = draw(st.integers(0, len(lines[i])))
            junk = draw(st.lists(NASTY | st.text(max_size=3), min_size=1, max_size=4))
            lines[i] = lines[i][:at] + "".join(junk) + lines[i][at:]
        elif op == "indent":
            shift = draw(st.integers(-4, 4))
            stripped = lines[i].lstrip(" ")
            lines[i] = " " * max(0, len(lines[i]) - len(stripped) + shift) + stripped
        elif op == "truncate":
            text = "\n".join(lines)
            lines = text[: draw(st.integers(0, len(text)))].split("\n")
        elif op == "replace" and ": " in lines[i]:
            key = lines[i].split(": ", 1)[0]
            lines[i] = f"{key}: {draw(REPLACEMENTS)}"
    return name, "\n".join(lines)


def _check_located(result: LoadResult, text: str, diags: list[Diagnostic] | None = None) -> None:
    """Every problem points inside the file (1-based line and column).

    YAML also breaks lines at a lone CR, NEL, LS and PS; the end of the stream may be
    reported on the line after the last.
    """
    last_line = len(_YAML_BREAK.split(text)) + 1
    for d in diags if diags is not None else result.problems:
        assert d.file == result.file
        assert 1 <= d.line <= last_line, d
        assert d.column >= 1, d
        assert d.message


@given(mutated())
def test_mutated_plans_load_without_crashing(case: tuple[str, str]) -> None:
    name, text = case
    result = load_text(text, name)
    assert (result.plan is None) == bool(result.problems)  # a plan only when nothing is wrong
    _check_located(result, text)


@given(mutated())
def test_mutated_plans_lint_without_crashing(case: tuple[str, str]) -> None:
    name, text = case
    result = load_text(text, name)
    diags = lint([result], as_of=AS_OF, texts={name: text})
    _check_located(result, text, diags)


@given(mutated(), st.integers(0, 2**32 - 1), st.binary(min_size=1, max_size=8))
def test_mutated_bytes_load_without_crashing(case: tuple[str, str], seed: int, junk: bytes) -> None:
    """Byte-level damage too: invalid UTF-8, stray NULs, a BOM in the middle."""
    name, text = case
    raw = text.encode("utf-8")
    at = seed % (len(raw) + 1)
    result = load_bytes(raw[:at] + junk + raw[at:], name)
    assert (result.plan is None) == bool(result.problems)
    for d in result.problems:
        assert d.line >= 1
        assert d.column >= 1

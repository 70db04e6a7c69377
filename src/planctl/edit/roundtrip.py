"""Round-trip YAML writing: change one node of a file, leave every other byte alone.

This is the generic machinery every writer of YAML shares (plan edits in
:mod:`planctl.edit.operations`, ``respond``, ``kpi``, ``fmt`` and the importer); it
knows nothing of plans, so paths, keys and key orders come from the caller.

The text is read with ruamel.yaml's round-trip loader, the change is made on that tree,
and the tree is dumped again. ruamel keeps comments, key order, quoting and flow style,
but not everything: it re-folds a plain scalar that the file wraps over several lines,
for instance. So the new text is not ruamel's dump but a three-way merge: the lines
ruamel changed *because of the edit* (dump of the edited tree against dump of the
untouched tree) are spliced into the original text, and ruamel's incidental changes
elsewhere are thrown away. A ``git diff`` of an update then shows only the lines it had
to change.

Comments in YAML are attached by ruamel to the node *before* them, so a comment that
introduces the next key or the next item would follow a key appended after it. The
helpers here move such a leading comment so that it stays above what it introduces.
"""

from __future__ import annotations

import datetime as dt
import difflib
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString, SingleQuotedScalarString
from ruamel.yaml.tokens import CommentToken
from yaml.nodes import MappingNode

from planctl.core.yamlread import Document

__all__ = [
    "Style",
    "append",
    "block_map",
    "detect_style",
    "dump",
    "edit_entry",
    "edit_entry_lines",
    "edit_text",
    "flow_seq",
    "follow",
    "fresh_date",
    "give_following",
    "load",
    "merge",
    "roundtrip",
    "set_key",
    "take_following",
    "yaml_for",
]


# --------------------------------------------------------------------------- style


@dataclass(frozen=True, slots=True)
class Style:
    """Indentation as ruamel.yaml counts it (sequence includes the dash's offset)."""

    mapping: int = 2
    sequence: int = 4
    offset: int = 2


_KEY_LINE = re.compile(r"^( *)[^\s#-][^:#]*:\s*(?:#.*)?$")
_DASH_LINE = re.compile(r"^( *)- ")
_CHILD_KEY = re.compile(r"^( *)[^\s#-][^:#]*:(?:\s|$)")


def detect_style(text: str) -> Style:
    """The file's own indentation, read from its first nested mapping and sequence.

    The shipped plans use 2-space mappings with ``- `` items indented two spaces under
    their key (ruamel: mapping=2, sequence=4, offset=2); that is the default.
    """
    mapping: int | None = None
    offset: int | None = None
    lines = text.splitlines()
    for i, line in enumerate(lines[:-1]):
        m = _KEY_LINE.match(line)
        if not m:
            continue
        nxt = next((n for n in lines[i + 1 :] if n.strip() and not n.lstrip().startswith("#")), "")
        base = len(m.group(1))
        if offset is None and (d := _DASH_LINE.match(nxt)):
            offset = len(d.group(1)) - base
        elif mapping is None and (c := _CHILD_KEY.match(nxt)) and len(c.group(1)) > base:
            mapping = len(c.group(1)) - base
        if mapping is not None and offset is not None:
            break
    mapping = mapping or 2
    offset = 2 if offset is None or offset < 0 else offset
    return Style(mapping=mapping, sequence=offset + 2, offset=offset)


def yaml_for(style: Style) -> YAML:
    """A round-trip reader and writer in ``style`` that keeps quotes and never re-wraps a line."""
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 100_000  # never re-wrap a long line
    yaml.indent(mapping=style.mapping, sequence=style.sequence, offset=style.offset)
    return yaml


# Characters that end a plain scalar inside ``[...]`` for YAML 1.1 parsers (PyYAML stops
# at any ``?`` or ``:`` there, where YAML 1.2 allows them mid-word); quoting such an entry
# costs nothing and every parser then reads the same string.
_FLOW_UNSAFE = re.compile(r"[,:?\[\]{}#'\"]")


def flow_seq(values: list[str]) -> CommentedSeq:
    """A one-line ``[a, b]`` list whose entries every YAML parser reads back unchanged."""
    seq = CommentedSeq(
        SingleQuotedScalarString(v) if isinstance(v, str) and _FLOW_UNSAFE.search(v) else v for v in values
    )
    seq.fa.set_flow_style()
    return seq


def load(text: str) -> Any:
    """The round-trip tree of ``text``."""
    return yaml_for(detect_style(text)).load(text)


def dump(data: Any, style: Style | None = None) -> str:
    """ruamel's text of ``data`` in ``style`` (no merge: for new text, not an edit)."""
    out = io.StringIO()
    yaml_for(style or Style()).dump(data, out)
    return out.getvalue()


# --------------------------------------------------------------------------- merge


def merge(original: str, base: str, new: str) -> str:
    """Apply the change from ``base`` to ``new`` onto ``original``.

    ``base`` is ruamel's dump of ``original`` unchanged, ``new`` its dump after the edit.
    Each changed hunk is located in ``original`` through the lines ``base`` shares with it.
    A hunk that touches a line ruamel rewrote anyway is widened to include it, so it
    takes ruamel's form there: the merge never guesses.
    """
    if base == new:
        return original
    o_lines = original.splitlines(keepends=True)
    b_lines = base.splitlines(keepends=True)
    n_lines = new.splitlines(keepends=True)
    to_original = _line_matches(b_lines, o_lines)
    hunks: list[list[int]] = []
    for tag, i1, i2, j1, j2 in _opcodes(b_lines, n_lines):
        if tag == "equal":
            continue
        # Widen until both neighbours are lines the original shares with the base.
        while i1 > 0 and (i1 - 1) not in to_original:
            i1, j1 = i1 - 1, j1 - 1
        while i2 < len(b_lines) and i2 not in to_original:
            i2, j2 = i2 + 1, j2 + 1
        if hunks and i1 <= hunks[-1][1]:
            last = hunks[-1]
            last[1], last[3] = max(last[1], i2), max(last[3], j2)
        else:
            hunks.append([i1, i2, j1, j2])
    result = list(o_lines)
    for i1, i2, j1, j2 in reversed(hunks):
        o1 = to_original[i1 - 1] + 1 if i1 > 0 else 0
        o2 = to_original[i2] if i2 < len(b_lines) else len(o_lines)
        result[o1:o2] = n_lines[j1:j2]
    return "".join(result)


# A gap between anchors is aligned by difflib only up to this many line pairs (difflib
# is quadratic in lines that repeat, as ``- date:`` lines do); a larger gap with no
# unique line in it is left unmatched, so a hunk there takes ruamel's form.
_GAP_PAIRS = 4_000_000


def _line_matches(a: list[str], b: list[str]) -> dict[int, int]:
    """Which line of ``b`` each line of ``a`` is, for lines they share: ``{i: j}``, increasing.

    A patience alignment: common first and last lines, then lines that occur once on
    each side anchor the rest (longest increasing run), and only the gaps between
    anchors go to difflib. difflib on the whole file was quadratic (a 10,000-item plan
    took minutes to edit); this is O(n log n) on plans, whose ids and titles are unique.
    """
    found: dict[int, int] = {}
    todo = [(0, len(a), 0, len(b))]
    while todo:
        a1, a2, b1, b2 = todo.pop()
        while a1 < a2 and b1 < b2 and a[a1] == b[b1]:
            found[a1] = b1
            a1, b1 = a1 + 1, b1 + 1
        while a1 < a2 and b1 < b2 and a[a2 - 1] == b[b2 - 1]:
            a2, b2 = a2 - 1, b2 - 1
            found[a2] = b2
        if a1 == a2 or b1 == b2:
            continue
        anchors = _unique_anchors(a, a1, a2, b, b1, b2)
        if not anchors:
            if (a2 - a1) * (b2 - b1) <= _GAP_PAIRS:
                matcher = difflib.SequenceMatcher(None, a[a1:a2], b[b1:b2], autojunk=False)
                for block in matcher.get_matching_blocks():
                    for k in range(block.size):
                        found[a1 + block.a + k] = b1 + block.b + k
            continue
        prev_a, prev_b = a1, b1
        for i, j in anchors:
            found[i] = j
            todo.append((prev_a, i, prev_b, j))
            prev_a, prev_b = i + 1, j + 1
        todo.append((prev_a, a2, prev_b, b2))
    return found


def _unique_anchors(a: list[str], a1: int, a2: int, b: list[str], b1: int, b2: int) -> list[tuple[int, int]]:
    """Lines once in ``a[a1:a2]`` and once in ``b[b1:b2]``: the longest run in order on both sides."""
    count_a: dict[str, int] = {}
    for i in range(a1, a2):
        count_a[a[i]] = -1 if a[i] in count_a else i
    count_b: dict[str, int] = {}
    for j in range(b1, b2):
        count_b[b[j]] = -1 if b[j] in count_b else j
    pairs = [(i, count_b[line]) for line, i in count_a.items() if i >= 0 and count_b.get(line, -1) >= 0]
    pairs.sort()
    # Longest increasing subsequence of the b positions (patience sorting).
    tails: list[int] = []  # index into pairs of the smallest tail of a run of each length
    back: list[int] = []
    for k, (_, j) in enumerate(pairs):
        n = _place(pairs, tails, j)
        back.append(tails[n - 1] if n else -1)
        if n == len(tails):
            tails.append(k)
        else:
            tails[n] = k
    run: list[tuple[int, int]] = []
    k = tails[-1] if tails else -1
    while k >= 0:
        run.append(pairs[k])
        k = back[k]
    run.reverse()
    return run


def _place(pairs: list[tuple[int, int]], tails: list[int], j: int) -> int:
    """Where ``j`` goes among the run tails (binary search on their b positions)."""
    lo, hi = 0, len(tails)
    while lo < hi:
        mid = (lo + hi) // 2
        if pairs[tails[mid]][1] < j:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _opcodes(a: list[str], b: list[str]) -> list[tuple[str, int, int, int, int]]:
    """difflib's opcodes of ``a`` to ``b``, run on what lies between their common first and
    last lines only (an edit touches one item: the rest need not go through difflib)."""
    p = 0
    while p < len(a) and p < len(b) and a[p] == b[p]:
        p += 1
    s = 0
    while s < len(a) - p and s < len(b) - p and a[-1 - s] == b[-1 - s]:
        s += 1
    codes: list[tuple[str, int, int, int, int]] = [("equal", 0, p, 0, p)] if p else []
    inner = difflib.SequenceMatcher(None, a[p : len(a) - s], b[p : len(b) - s], autojunk=False)
    codes += [(t, i1 + p, i2 + p, j1 + p, j2 + p) for t, i1, i2, j1, j2 in inner.get_opcodes()]
    if s:
        codes.append(("equal", len(a) - s, len(a), len(b) - s, len(b)))
    return codes


def edit_text(text: str, change: Callable[[Any], None]) -> str:
    """Load ``text``, let ``change`` modify the tree in place, and merge the result back."""
    style = detect_style(text)
    yaml = yaml_for(style)
    data = yaml.load(text)
    base = io.StringIO()
    yaml.dump(data, base)
    change(data)
    new = io.StringIO()
    yaml.dump(data, new)
    return merge(text, base.getvalue(), new.getvalue())


_ENTRY_HEAD = re.compile(r"( *)- +")  # the text before a block sequence entry's first key


def edit_entry(
    text: str,
    document: Document | None,
    seq_path: tuple[str | int, ...],
    index: int,
    change: Callable[[CommentedSeq, int], None],
) -> str:
    """Edit entry ``index`` of the block sequence at ``seq_path`` (an item of a section).

    ``change(seq, i)`` edits ``seq[i]`` or appends to ``seq``. Only the entry's lines are
    read and written by the round-trip parser (:func:`edit_entry_lines`), so editing one item
    costs the same in a 100-item plan and a 100,000-item one, and the plan's lock is held
    for seconds, not minutes. Where the entry's lines cannot be cut out cleanly (an
    alias to an anchor elsewhere, indentation that is not the file's style, tabs), the
    whole file is edited instead: slower, with the same result.
    """
    if document is not None:
        edited = edit_entry_lines(text, document, seq_path, index, change)
        if edited is not None:
            return edited
    return edit_text(text, lambda data: change(follow(data, seq_path), index))


def edit_entry_lines(
    text: str,
    document: Document,
    seq_path: tuple[str | int, ...],
    index: int,
    change: Callable[[CommentedSeq, int], None],
) -> str | None:
    """:func:`edit_entry` on the entry's own lines, or None where they cannot be cut out.

    The lines run from the entry's ``-`` to its last line of content (comments and blank
    lines after it stay outside, as :func:`append` keeps a following comment below what
    it adds). They are re-nested one level under a ``items:`` key, indented as the file's
    style would, so ruamel dumps them as it dumps them in place, and merged back as
    :func:`edit_text` merges a whole file.
    """
    node = document.node((*seq_path, index))
    lines = text.splitlines(keepends=True)
    if node is None or not isinstance(node, MappingNode) or node.start_mark.line >= len(lines):
        return None
    first = node.start_mark.line
    head = _ENTRY_HEAD.fullmatch(lines[first][: node.start_mark.column])
    style = detect_style(text)
    if head is None:
        return None
    dash = len(head.group(1))
    shift = dash - style.offset
    if shift < 0:
        return None
    stop = end = first + 1
    while end < len(lines):
        line = lines[end]
        body = line.strip()
        if body and not body.startswith("#"):
            if len(line) - len(line.lstrip(" ")) <= dash:
                break
            stop = end + 1
        end += 1
    chunk = lines[first:stop]
    pad = " " * shift
    for line in chunk:  # every line ends, and is empty or indented at least as the entry
        if line in ("\n", "\r\n"):
            continue
        if not line.endswith("\n") or not line.strip() or not line.startswith(pad):
            return None
    newline = "\r\n" if chunk[0].endswith("\r\n") else "\n"
    fragment = "items:" + newline + "".join(line[shift:] if line.strip() else line for line in chunk)
    yaml = yaml_for(style)
    try:
        data = yaml.load(fragment)
    except Exception:  # anything ruamel cannot read alone (an alias to an anchor elsewhere)
        return None
    seq = data.get("items") if isinstance(data, CommentedMap) else None
    if not isinstance(seq, CommentedSeq) or len(seq) != 1 or not isinstance(seq[0], CommentedMap):
        return None
    if len(seq[0]) != len(node.value):  # not the same entry: leave it to the whole-file edit
        return None
    base = io.StringIO()
    yaml.dump(data, base)
    change(seq, 0)
    new = io.StringIO()
    yaml.dump(data, new)
    merged = merge(fragment, base.getvalue(), new.getvalue())
    if not merged.startswith("items:" + newline):
        return None
    body_lines = merged[len("items:" + newline) :].splitlines(keepends=True)
    out = [pad + line if line.strip() else line for line in body_lines]
    return "".join([*lines[:first], *out, *lines[stop:]])


def roundtrip(text: str) -> str:
    """Load and write back with no change: must give ``text`` byte for byte."""
    return edit_text(text, lambda _data: None)


# --------------------------------------------------------------------------- comments


def _block(node: Any) -> bool:
    """A block-style collection: one whose text a comment line may end.

    A flow collection (``[a, b]``) is never entered: a comment attached inside it would
    be written before its closing bracket, splitting it over comment lines that strict
    YAML 1.2 parsers reject.
    """
    return isinstance(node, CommentedMap | CommentedSeq) and len(node) > 0 and not node.fa.flow_style()


def _last_slot(node: Any) -> tuple[Any, Any] | None:
    """The (collection, key-or-index) whose comment token ends ``node``'s text."""
    if not _block(node):
        return None
    if isinstance(node, CommentedMap):
        key = list(node.keys())[-1]
        inner = _last_slot(node[key])
        if inner is not None and _token(*inner) is not None:
            return inner
        return node, key
    if isinstance(node, CommentedSeq):
        idx = len(node) - 1
        inner = _last_slot(node[idx])
        if inner is not None and _token(*inner) is not None:
            return inner
        return node, idx
    return None


def _token(coll: Any, key: Any) -> CommentToken | None:
    entry = coll.ca.items.get(key)
    if not entry:
        return None
    tok = entry[0] if isinstance(coll, CommentedSeq) else entry[2]
    return tok if isinstance(tok, CommentToken) else None


def _set_token(coll: Any, key: Any, tok: CommentToken | None) -> None:
    if isinstance(coll, CommentedSeq):
        entry = coll.ca.items.setdefault(key, [None, None, None, None])
        entry[0] = tok
    else:
        entry = coll.ca.items.setdefault(key, [None, None, None, None])
        entry[2] = tok
    if all(e is None for e in entry):
        del coll.ca.items[key]


def take_following(coll: Any, key: Any) -> str | None:
    """Detach the comment lines after the value at ``coll[key]`` (not its end-of-line comment).

    Those lines introduce whatever comes next in the file, so they move with it.
    """
    slot = _last_slot(coll[key]) or (coll, key)
    if _token(*slot) is None and slot != (coll, key):
        slot = (coll, key)
    tok = _token(*slot)
    if tok is None:
        return None
    value: str = tok.value
    if isinstance(slot[0][slot[1]], LiteralScalarString | FoldedScalarString):
        # A block scalar ends with its own line break, so the token's first line is a
        # comment line of its own, not an end-of-line comment: all of it moves, with
        # the indentation ruamel left out of the token (its column).
        _set_token(*slot, None)
        return value if value.startswith("\n") else " " * tok.column + value
    eol, sep, rest = value.partition("\n")
    if not sep or not rest:
        return None
    if eol.strip():
        tok.value = eol + "\n"
    else:
        _set_token(*slot, None)
    return rest


def give_following(coll: Any, key: Any, rest: str | None) -> None:
    """Attach comment lines ``rest`` after the value at ``coll[key]``."""
    if not rest:
        return
    slot = (coll, key)
    while _block(slot[0][slot[1]]):
        inner = slot[0][slot[1]]
        slot = (inner, list(inner.keys())[-1] if isinstance(inner, CommentedMap) else len(inner) - 1)
    tok = _token(*slot)
    if tok is not None:
        tok.value = tok.value + rest if tok.value.endswith("\n") else tok.value + "\n" + rest
    else:
        _set_token(*slot, CommentToken("\n" + rest, CommentMark(0)))


def set_key(mapping: CommentedMap, key: str, value: Any, order: list[str]) -> None:
    """Set ``mapping[key]``; a new key goes where ``order`` puts it, comments kept in place."""
    if key in mapping:
        old = mapping[key]
        if isinstance(old, CommentedSeq | CommentedMap) or isinstance(value, CommentedSeq | CommentedMap):
            rest = take_following(mapping, key)
            mapping[key] = value
            give_following(mapping, key, rest)
        else:
            mapping[key] = value
        return
    rank = order.index(key) if key in order else len(order)
    keys = list(mapping.keys())
    pos = len(keys)
    for i, existing in enumerate(keys):
        if existing in order and order.index(existing) > rank:
            pos = i
            break
    rest = take_following(mapping, keys[pos - 1]) if pos > 0 else None
    mapping.insert(pos, key, value)
    give_following(mapping, key, rest)


def append(seq: CommentedSeq, value: Any) -> None:
    """Append to ``seq``, keeping the comment that follows the old last entry below the new one."""
    rest = take_following(seq, len(seq) - 1) if len(seq) else None
    seq.append(value)
    give_following(seq, len(seq) - 1, rest)


def fresh_date(day: dt.date) -> dt.date:
    """A distinct date object: ruamel writes an anchor (&id001) for one object used twice."""
    return dt.date(day.year, day.month, day.day)


def block_map(pairs: Iterable[tuple[str, Any]]) -> CommentedMap:
    """A new mapping of ``pairs`` in their order, leaving out the None values (keys not given)."""
    m = CommentedMap()
    for k, v in pairs:
        if v is not None:
            m[k] = v
    return m


def follow(data: Any, path: Iterable[str | int]) -> Any:
    """The node at ``path`` (keys and indexes, as :class:`Document` paths are written) in a tree."""
    for part in path:
        data = data[part]
    return data

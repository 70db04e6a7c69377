"""Read YAML text into plain data, keeping the node tree for ``line:column`` look-ups.

Why not ``yaml.safe_load`` or ruamel's round-trip loader: the read path must be fast
(libyaml composes in C) and every problem must carry its location. Composing gives
nodes with marks and constructs nothing, so tags such as ``!!python/object`` can only
ever be reported, never run. ruamel.yaml's round-trip loader is used only where a
file is written (:mod:`planctl.edit.roundtrip`).

Safety limits bound what one file may cost: alias expansion (billion laughs), nesting
depth and number size.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from planctl.core.limits import MAX_ALIAS_EXPANSION, MAX_DEPTH, MAX_NUMBER_DIGITS

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - libyaml is in every PyYAML wheel we install
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

_C_READER = _Loader.__name__ == "CSafeLoader"

# Plain scalars are resolved by the YAML 1.2 core schema, as editors (yaml-language-server)
# and JSON Schema tools read them: ``yes``, ``on``, ``1:30`` and ``1_000`` are text, ``010``
# is ten. Only a plain scalar starting with one of these characters, or one of the words
# below, can be anything but text, so the regular expressions need not run on the rest:
# most keys and values in a plan, and the largest single cost of composing.
_MAYBE_TYPED_START = frozenset("0123456789+-.~")
_TYPED_WORDS = frozenset(
    {"null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE"}
    | {"yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF"}
)
_T = "tag:yaml.org,2002:"
_STR_TAG = _T + "str"
# YAML 1.2.2, 10.3.2 "Tag Resolution" (the core schema), in the order the spec gives.
_CORE = (
    (_T + "null", re.compile(r"null|Null|NULL|~")),
    (_T + "bool", re.compile(r"true|True|TRUE|false|False|FALSE")),
    (_T + "int", re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")),
    (
        _T + "float",
        re.compile(
            r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
        ),
    ),
)


def resolve_core(value: str) -> str:
    """The YAML 1.2 core-schema tag of a plain scalar."""
    if not value:
        return _T + "null"
    if value == "<<":
        return _T + "merge"  # merge keys: not core YAML 1.2, but planctl reads them (README)
    if value[0] in _MAYBE_TYPED_START or value in _TYPED_WORDS:
        for tag, pattern in _CORE:
            if pattern.fullmatch(value):
                return tag
    return _STR_TAG


class _FastLoader(_Loader):
    """libyaml's loader with the YAML 1.2 core schema's resolver for plain scalars."""

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode and implicit[0]:
            return resolve_core(value)
        return str(super().resolve(kind, value, implicit))  # type: ignore[no-untyped-call]


class YamlInt(int):
    """An integer read from a plain scalar, with the scalar as written.

    ``str()`` gives the text as written, so a field that holds text gets ``010`` rather
    than ``10`` (pydantic's ``coerce_numbers_to_str`` calls ``str()``), and ``yaml11``
    says how YAML 1.1 reads the same scalar when that differs, for the typed fields
    that refuse such a number (:func:`planctl.core.models.plain_number`).
    """

    text: str
    yaml11: str | None

    def __str__(self) -> str:
        return self.text

    __repr__ = __str__


class YamlFloat(float):
    """A float read from a plain scalar, with the scalar as written (see :class:`YamlInt`)."""

    text: str
    yaml11: str | None

    def __str__(self) -> str:
        return self.text

    __repr__ = __str__


def _number(value: str, tag: str) -> YamlInt | YamlFloat:
    """A core-schema number with its source text and its YAML 1.1 reading, if different."""
    num: YamlInt | YamlFloat
    if tag == _T + "int":
        base = 8 if value.startswith("0o") else 16 if value.startswith("0x") else 10
        num = YamlInt(int(value[2:] if base != 10 else value, base))
    else:
        lowered = value.lower()
        num = YamlFloat(float("nan") if lowered == ".nan" else float(lowered.replace(".inf", "inf")))
    num.text = value
    num.yaml11 = _yaml11_differs(value, num)
    return num


_YAML11 = yaml.resolver.Resolver()


def _yaml11_differs(value: str, num: float) -> str | None:
    """How YAML 1.1 (PyYAML) reads ``value`` when that is not ``num``, else None."""
    tag = _YAML11.resolve(ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]
    node = ScalarNode(tag, value)
    if tag == _T + "int":
        other: Any = _CONSTRUCTOR.construct_yaml_int(node)
    elif tag == _T + "float":
        other = _CONSTRUCTOR.construct_yaml_float(node)
    else:
        return "text"
    if other == num or (other != other and num != num):  # nan is nan
        return None
    return repr(other)


_CONSTRUCTOR = yaml.constructor.SafeConstructor()
# libyaml composes recursively in C and crashes the process on nesting some 30,000
# levels deep. Text that might nest deeply (long runs of brackets or "- ", or huge
# indentation) is first measured with the event parser, which does not recurse.
_BRACKET = re.compile(r"[\[\]{}]")
_DEEP_BLOCK = re.compile(r"^(?: {128}|(?:[-?:](?:[ \t]+[&!][^ \t\n]*)*[ \t]+){32})", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class YamlProblem:
    line: int  # 1-based
    column: int  # 1-based
    message: str
    hint: str | None = None


class YamlReadError(Exception):
    """The text cannot be read as YAML at all; carries the first located problem."""

    def __init__(self, problem: YamlProblem) -> None:
        super().__init__(problem.message)
        self.problem = problem


@dataclass(slots=True)
class Document:
    """Plain data plus the node tree it came from, and problems found on the way."""

    data: Any
    root: Node | None
    problems: list[YamlProblem] = field(default_factory=list)
    # Per mapping node: its explicit keys, and whether it has '<<' merges. Built on first
    # use, so locating thousands of findings does not rescan the same mappings.
    _keys: dict[int, tuple[dict[str, tuple[Node, Node]], bool]] = field(default_factory=dict, repr=False)

    def locate(self, path: tuple[str | int, ...], *, key: bool = False) -> tuple[int, int]:
        """The 1-based line and column of ``path``; the nearest existing ancestor if absent.

        With ``key=True`` a mapping entry is located at its key rather than its value,
        which is where an unknown key should be underlined.
        """
        node = self.root
        if node is None:
            return 1, 1
        for i, part in enumerate(path):
            last = i == len(path) - 1
            nxt: Node | None = None
            if isinstance(node, MappingNode) and isinstance(part, str):
                entry = self._entry(node, part)
                if entry is not None:
                    nxt = entry[0] if (last and key) else entry[1]
            elif isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                nxt = node.value[part]
            if nxt is None:
                break
            node = nxt
        return node.start_mark.line + 1, node.start_mark.column + 1

    def node(self, path: tuple[str | int, ...]) -> Node | None:
        """The node at ``path`` (its marks give the lines it spans), or None if absent."""
        node = self.root
        for part in path:
            if isinstance(node, MappingNode) and isinstance(part, str):
                entry = self._entry(node, part)
                node = entry[1] if entry is not None else None
            elif isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                node = node.value[part]
            else:
                return None
        return node

    def _entry(self, node: MappingNode, name: str) -> tuple[Node, Node] | None:
        known = self._keys.get(id(node))
        if known is None:
            explicit: dict[str, tuple[Node, Node]] = {}
            merges = False
            for k, v in node.value:
                if k.tag == _T + "merge":
                    merges = True
                elif isinstance(k, ScalarNode):
                    explicit.setdefault(k.value, (k, v))
            known = self._keys[id(node)] = (explicit, merges)
        explicit, merges = known
        found = explicit.get(name)
        if found is None and merges:
            return _find_key(node, name, set())
        return found


def _find_key(node: MappingNode, name: str, seen: set[int]) -> tuple[Node, Node] | None:
    """The entry ``name`` of a mapping as the converter reads it: an explicit key wins,
    then the sources of the first ``<<`` in order.

    Each mapping is searched once (``seen``), so a merge-key bomb that would flatten to
    millions of pairs costs no more than the nodes actually in the file.
    """
    if id(node) in seen:
        return None
    seen.add(id(node))
    sources: list[Node] | None = None
    for k, v in node.value:
        if k.tag == _T + "merge":
            if sources is None:
                sources = list(v.value) if isinstance(v, SequenceNode) else [v]
        elif isinstance(k, ScalarNode) and k.value == name:
            return k, v
    for src in sources or ():
        if isinstance(src, MappingNode):
            found = _find_key(src, name, seen)
            if found is not None:
                return found
    return None


def decode(raw: bytes) -> str:
    """Bytes to text: UTF-8 (a BOM is fine) or UTF-16/32 with a BOM; else a located error."""
    head = raw[:4096]
    boms = (
        codecs.BOM_UTF16_LE,
        codecs.BOM_UTF16_BE,
        codecs.BOM_UTF32_BE,
    )  # UTF-32-LE's starts as UTF-16-LE's
    if b"\x00" in head and not raw.startswith(boms):
        if len(head) >= 4 and (head[1::2].count(0) * 4 >= len(head) or head[0::2].count(0) * 4 >= len(head)):
            raise YamlReadError(
                YamlProblem(
                    1,
                    1,
                    "this looks like UTF-16 text without a byte-order mark; it cannot be read safely",
                    "save the file as UTF-8",
                )
            )
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise YamlReadError(
            YamlProblem(line, 1, "this is a binary file, not YAML text", "pass only .yaml plan files")
        )
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if raw.startswith(bom):
            try:
                return raw.decode(codec)
            except UnicodeDecodeError as exc:
                raise YamlReadError(
                    YamlProblem(1, 1, f"the file says it is {codec.upper()} but is not: {exc.reason}")
                ) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise YamlReadError(
            YamlProblem(
                line,
                column,
                f"not UTF-8: byte 0x{raw[exc.start]:02x} cannot be read",
                "save the file as UTF-8 (e.g. it may be Latin-1 or Windows-1252)",
            )
        ) from None


def read(text: str) -> Document:
    """Compose one YAML document and convert it to plain data.

    Raises :class:`YamlReadError` when the text is not YAML; conversion problems
    (duplicate keys, forbidden tags, limits) are collected in ``problems``.
    """
    _check_depth(text)
    try:
        loader = _FastLoader(text)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark and "end of stream" in (exc.problem or ""):
            mark = exc.context_mark  # where the unclosed quote or bracket opened, not the last line
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = _syntax_message(exc, text, line)
        raise YamlReadError(YamlProblem(line, column, message, _syntax_hint(message))) from None
    except yaml.reader.ReaderError as exc:
        # libyaml counts the position in UTF-8 bytes, the pure-Python reader in characters.
        before = (
            text.encode("utf-8")[: exc.position].decode("utf-8", "replace")
            if _C_READER
            else text[: exc.position]
        )
        line = before.count("\n") + 1
        column = len(before) - (before.rfind("\n") + 1) + 1
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        raise YamlReadError(
            YamlProblem(
                line,
                column,
                f"control character U+{ord(char):04X} is not allowed in YAML text",
                "delete it (it may have been pasted from another program)",
            )
        ) from None
    except yaml.YAMLError as exc:
        raise YamlReadError(YamlProblem(1, 1, _clean(str(exc)))) from None
    except RecursionError:
        raise YamlReadError(YamlProblem(1, 1, f"nesting deeper than {MAX_DEPTH} levels")) from None
    if root is None:
        return Document(None, None)
    doc = Document(None, root)
    conv = _Converter(doc.problems)
    doc.data = conv.convert(root, 0)
    if conv.exhausted is not None:
        raise YamlReadError(conv.exhausted)  # what was built is a fragment: check nothing more
    return doc


def _flow_depth(text: str) -> int:
    """An upper guess at bracket nesting, counting brackets anywhere (even in quotes).

    A run of adjacent brackets is not enough to find: ``{a: {a: {a: ...`` nests just
    as deep. Unmatched closers do not count below zero, so they cannot hide nesting.
    """
    steps = (1 if c in "[{" else -1 for c in _BRACKET.findall(text))
    return max(accumulate(steps, lambda depth, step: max(depth + step, 0)), default=0)


def _check_depth(text: str) -> None:
    brackets = text.count("[") + text.count("{")
    if not ((brackets >= 32 and _flow_depth(text) >= 32) or _DEEP_BLOCK.search(text)):
        return
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
                    raise YamlReadError(YamlProblem(line, column, f"nesting deeper than {MAX_DEPTH} levels"))
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        # libyaml 0.2.6+ has its own nesting limit, which its scanner can hit before the
        # parser hands over the 65th collection: report it in our words.
        if "nesting depth" in (exc.problem or ""):
            mark = exc.problem_mark
            line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            raise YamlReadError(
                YamlProblem(line, column, f"nesting deeper than {MAX_DEPTH} levels")
            ) from None
        return  # the composer reports the syntax error with its location
    except yaml.YAMLError:
        return


def _short(tag: str) -> str:
    return "!!" + tag[len(_T) :] if tag.startswith(_T) else tag


def _clean(text: str) -> str:
    return " ".join(text.split())


def _syntax_message(exc: yaml.MarkedYAMLError, text: str, line: int) -> str:
    problem = exc.problem or "invalid YAML"
    if "expected a single document" in (exc.context or "") or "but found another document" in problem:
        return "several YAML documents in one file; a plan file holds exactly one"
    lines = text.splitlines()
    here = lines[line - 1] if 0 < line <= len(lines) else ""
    if "\t" in here and ("tab" in problem or "found character" in problem):
        return "a tab character is used for indentation; YAML allows only spaces"
    context = exc.context or ""
    if "end of stream" in problem and "quoted scalar" in context:
        return "YAML syntax error: a quoted text starts here and is never closed"
    msg = f"YAML syntax error: {problem}"
    if context:
        msg += f" ({context})"
    opened = exc.context_mark
    if opened and "flow" in context and opened.line + 1 != line:
        bracket = "[" if "sequence" in context else "{"
        msg += f"; is the '{bracket}' on line {opened.line + 1} closed?"
    return _clean(msg)


def _syntax_hint(message: str) -> str | None:
    if "tab" in message:
        return "replace tabs with spaces"
    if "never closed" in message:
        return "add the closing quote where the text ends"
    if "several YAML documents" in message:
        return "split the file, or remove the extra '---'"
    if "mapping values are not allowed" in message:
        return "quote text that contains ': ' (e.g. title: \"Aim: better homes\")"
    return "check indentation and quotes on this line and the one before"


class _Converter:
    """Node tree to plain Python data, with problems collected instead of raised."""

    def __init__(self, problems: list[YamlProblem]) -> None:
        self.problems = problems
        self.seen: set[int] = set()
        self.alias_depth = 0
        self.expanded = 0
        self.exhausted: YamlProblem | None = None

    def problem(self, node: Node, message: str, hint: str | None = None) -> None:
        self.problems.append(YamlProblem(node.start_mark.line + 1, node.start_mark.column + 1, message, hint))

    def convert(self, node: Node, depth: int) -> Any:
        if depth > MAX_DEPTH:
            self.problem(node, f"nesting deeper than {MAX_DEPTH} levels")
            return None
        is_alias = False
        if not isinstance(node, ScalarNode):
            key = id(node)
            if key in self.seen:
                is_alias = True
                self.alias_depth += 1
            else:
                self.seen.add(key)
        try:
            if self.alias_depth:
                self.expanded += 1
                if self.expanded > MAX_ALIAS_EXPANSION:
                    if self.exhausted is None:
                        self.exhausted = YamlProblem(
                            node.start_mark.line + 1,
                            node.start_mark.column + 1,
                            f"aliases expand to more than {MAX_ALIAS_EXPANSION} nodes",
                            "an alias bomb? use fewer anchors and aliases",
                        )
                    return None
            if isinstance(node, ScalarNode):
                return self.scalar(node)
            if isinstance(node, SequenceNode):
                self.check_tag(node, "seq")
                return [self.convert(v, depth + 1) for v in node.value]
            assert isinstance(node, MappingNode)
            self.check_tag(node, "map")
            return self.mapping(node, depth)
        finally:
            if is_alias:
                self.alias_depth -= 1

    def check_tag(self, node: Node, kind: str) -> None:
        if node.tag != _T + kind:
            self.problem(node, f"tag {_short(node.tag)!r} is not allowed in a plan", "remove the tag")

    def mapping(self, node: MappingNode, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        where: dict[str, Node] = {}
        merges = 0
        for k, v in node.value:
            if k.tag == _T + "merge":
                merges += 1
                if merges > 1:
                    self.problem(k, "duplicated merge key '<<'", "merge several maps with '<<: [*a, *b]'")
                    continue
                sources = v.value if isinstance(v, SequenceNode) else [v]
                for src in sources:
                    merged = self.convert(src, depth + 1)
                    if not isinstance(merged, dict):
                        self.problem(src, "'<<' must merge a mapping or a list of mappings")
                        continue
                    for mk, mv in merged.items():
                        out.setdefault(mk, mv)
                continue
            if not isinstance(k, ScalarNode):
                self.problem(k, "a key must be plain text, not a list or mapping")
                continue
            name = k.value
            if name in where:
                first = where[name].start_mark.line + 1
                self.problem(k, f"duplicate key {name!r} (first on line {first})", "keep one of them")
                continue
            where[name] = k
            out[name] = self.convert(v, depth + 1)
        return out

    def scalar(self, node: ScalarNode) -> Any:
        tag = node.tag
        if tag == _T + "str" or (node.style and tag in (_T + "str", "!")):
            return node.value
        if tag == _T + "null":
            return None
        if tag == _T + "bool":
            return _CONSTRUCTOR.construct_yaml_bool(node)
        if tag in (_T + "int", _T + "float"):
            digits = sum(c.isdigit() for c in node.value)
            if digits > MAX_NUMBER_DIGITS:
                self.problem(node, f"number with {digits} digits is too large", "quote it if it is text")
                return node.value
            pattern = _CORE[2][1] if tag == _T + "int" else _CORE[3][1]
            if not node.style and pattern.fullmatch(node.value):
                return _number(node.value, tag)
            try:  # an explicit tag ('!!int "12"'): the author chose the type
                if tag == _T + "int":
                    return _CONSTRUCTOR.construct_yaml_int(node)
                return _CONSTRUCTOR.construct_yaml_float(node)
            except ValueError:
                self.problem(node, f"{node.value!r} is not a {_short(tag)}", "remove the tag")
                return node.value
        if tag == _T + "timestamp":
            return node.value  # dates stay text; the models read them strictly
        self.problem(
            node, f"tag {_short(tag)!r} is not allowed in a plan", "remove the tag; plans hold plain text"
        )
        return node.value

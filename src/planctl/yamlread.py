"""Read YAML text into plain data, keeping the node tree for ``line:column`` look-ups.

Why not ``yaml.safe_load`` or ruamel's round-trip loader: the read path must be fast
(libyaml composes in C) and every problem must carry its location. Composing gives
nodes with marks and constructs nothing, so tags such as ``!!python/object`` can only
ever be reported, never run. ruamel.yaml's round-trip loader is used only where a
file is written (:mod:`planctl.edit`).

Safety limits bound what one file may cost: alias expansion (billion laughs), nesting
depth and number size.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - libyaml is in every PyYAML wheel we install
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_DEPTH = 64
MAX_ALIAS_EXPANSION = 100_000
MAX_NUMBER_DIGITS = 40
MAX_BYTES = 50 * 1024 * 1024

_T = "tag:yaml.org,2002:"
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
# libyaml composes recursively in C and crashes the process on nesting some 30,000
# levels deep. Text that might nest deeply (long runs of brackets or "- ", or huge
# indentation) is first measured with the event parser, which does not recurse.
_DEEP_FLOW = re.compile(r"(?:[\[{]\s*){32}")
_DEEP_BLOCK = re.compile(r"^(?: {128}|(?:[-?:] +){32})", re.MULTILINE)


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
                for k, v in _mapping_pairs(node):
                    if isinstance(k, ScalarNode) and k.value == part:
                        nxt = k if (last and key) else v
            elif isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                nxt = node.value[part]
            if nxt is None:
                break
            node = nxt
        return node.start_mark.line + 1, node.start_mark.column + 1


def _mapping_pairs(node: MappingNode) -> list[tuple[Node, Node]]:
    """Pairs of a mapping with ``<<`` merges flattened (explicit keys win)."""
    pairs: list[tuple[Node, Node]] = []
    merged: list[tuple[Node, Node]] = []
    for k, v in node.value:
        if k.tag == _T + "merge":
            sources = v.value if isinstance(v, SequenceNode) else [v]
            for src in sources:
                if isinstance(src, MappingNode):
                    merged.extend(_mapping_pairs(src))
        else:
            pairs.append((k, v))
    return merged + pairs


def decode(raw: bytes) -> str:
    """Bytes to text: UTF-8 (a BOM is fine) or UTF-16/32 with a BOM; else a located error."""
    if b"\x00" in raw[:4096] and not raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
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
        loader = _Loader(text)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = _syntax_message(exc, text, line)
        raise YamlReadError(YamlProblem(line, column, message, _syntax_hint(message))) from None
    except yaml.YAMLError as exc:
        raise YamlReadError(YamlProblem(1, 1, _clean(str(exc)))) from None
    except RecursionError:
        raise YamlReadError(YamlProblem(1, 1, f"nesting deeper than {MAX_DEPTH} levels")) from None
    if root is None:
        return Document(None, None)
    doc = Document(None, root)
    conv = _Converter(doc.problems)
    doc.data = conv.convert(root, 0)
    return doc


def _check_depth(text: str) -> None:
    brackets = text.count("[") + text.count("{")
    if not ((brackets >= 32 and _DEEP_FLOW.search(text)) or _DEEP_BLOCK.search(text)):
        return
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    raise YamlReadError(
                        YamlProblem(mark.line + 1, mark.column + 1, f"nesting deeper than {MAX_DEPTH} levels")
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return  # the composer reports the syntax error with its location


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
    msg = f"YAML syntax error: {problem}"
    if exc.context:
        msg += f" ({exc.context})"
    return _clean(msg)


def _syntax_hint(message: str) -> str | None:
    if "tab" in message:
        return "replace tabs with spaces"
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
        self.exhausted = False

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
                    if not self.exhausted:
                        self.exhausted = True
                        self.problem(
                            node,
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
            if tag == _T + "int":
                return _CONSTRUCTOR.construct_yaml_int(node)
            return _CONSTRUCTOR.construct_yaml_float(node)
        if tag == _T + "timestamp":
            return node.value  # dates stay text; the models read them strictly
        self.problem(
            node, f"tag {_short(tag)!r} is not allowed in a plan", "remove the tag; plans hold plain text"
        )
        return node.value

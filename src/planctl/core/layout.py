"""Positional JSON layouts made from dataclass fields: how the cache stores records.

A cached record is the list of its fields' values in declaration order, each written and
read by a codec chosen from the field's type hint (text, whole numbers, true/false, days,
enums, optional values, tuples, frozensets, nested dataclasses). The dataclass *is* the
layout, so adding a field to a record changes the writer and the checked reader at once
(bump ``store.cache.FORMAT`` so old entries are not even tried). A record of another
shape raises one of :data:`planctl.core.entry.BAD_ENTRY`, and the caller reads the file
afresh.
"""

from __future__ import annotations

import dataclasses
import enum
import itertools
import operator
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any, Generic, TypeVar

from planctl.core import entry

T = TypeVar("T")
Encode = Callable[[Any], Any]
Decode = Callable[[Any], Any]
Codec = tuple[Encode, Decode]
#: Reads one field's stored values across many records at once (a *column*).
Column = Callable[[Sequence[Any]], Sequence[Any]]


def same(value: Any) -> Any:
    return value


def _bool(value: Any) -> bool:
    if type(value) is not bool:
        raise TypeError("expected true or false")
    return value


def _date(value: Any) -> date:
    return date.fromisoformat(entry.text(value))


def _iso(value: date) -> str:
    return value.isoformat()


def list_of(value: Any) -> list[Any]:
    if type(value) is not list:
        raise TypeError(f"expected a list, got {type(value).__name__}")
    return value


_SIMPLE: dict[Any, Codec] = {
    str: (same, entry.text),
    int: (same, entry.whole),
    bool: (same, _bool),
    date: (_iso, _date),
}
_CHECKS: dict[type, Callable[[Any], None]] = {}
_RECORDS: dict[type, Codec] = {}
_RECORD_COLUMNS: dict[type, Column] = {}


def check_on_read(cls: type[T], check: Callable[[T], None]) -> None:
    """Run ``check`` on every ``cls`` read back (raising ValueError): for invariants a
    field-by-field reading cannot see, such as an interval's start after its end."""
    _CHECKS[cls] = check


def codec(hint: Any) -> Codec:
    """The writer and checked reader for a value of type ``hint``."""
    if hint in _SIMPLE:
        return _SIMPLE[hint]
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (types.UnionType, typing.Union) and len(args) == 2 and type(None) in args:
        enc, dec = codec(next(a for a in args if a is not type(None)))
        if dec is entry.text:
            return same, entry.opt_text
        return (lambda v: None if v is None else enc(v)), (lambda v: None if v is None else dec(v))
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        enc, dec = codec(args[0])
        if enc is same:
            return list, lambda v: tuple(map(dec, list_of(v)))
        return (lambda v: [enc(x) for x in v]), (lambda v: tuple(map(dec, list_of(v))))
    if origin is frozenset and len(args) == 1:
        enc, dec = codec(args[0])
        return (lambda v: sorted(enc(x) for x in v)), (lambda v: frozenset(map(dec, list_of(v))))
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        members = {m.value: m for m in hint}

        def to_member(v: Any) -> Any:
            if type(v) not in (str, int):
                raise TypeError(f"expected a {hint.__name__}")
            return members[v]  # KeyError: not one of them

        return operator.attrgetter("value"), to_member
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return record_codec(hint)
    raise TypeError(f"no cache layout for {hint!r}")


def record_codec(cls: type[Any]) -> Codec:
    """A dataclass written as the list of its fields and read back by position."""
    if cls not in _RECORDS:
        fields = Layout(cls)

        def read(value: Any) -> Any:
            made = cls(*fields.decode(value))
            check = _CHECKS.get(cls)  # looked up here: it may be registered after this codec is made
            if check is not None:
                check(made)
            return made

        _RECORDS[cls] = (fields.encode, read)
    return _RECORDS[cls]


class Layout(Generic[T]):
    """The stored fields of ``cls`` (all but ``skip``), with a codec each (``overrides`` by name)."""

    def __init__(
        self, cls: type[T], *, skip: frozenset[str] = frozenset(), overrides: Mapping[str, Codec] = {}
    ) -> None:
        hints = typing.get_type_hints(cls)
        self.names = tuple(f.name for f in dataclasses.fields(cls) if f.name not in skip)  # type: ignore[arg-type]
        codecs = [overrides[n] if n in overrides else codec(hints[n]) for n in self.names]
        self._encoders = tuple(e for e, _ in codecs)
        self._decoders = tuple(d for _, d in codecs)
        self._columns = tuple(
            _each(overrides[n][1]) if n in overrides else column_codec(hints[n]) for n in self.names
        )
        self._get = operator.attrgetter(*self.names)

    def encode(self, obj: T) -> list[Any]:
        values = self._get(obj) if len(self.names) > 1 else (self._get(obj),)
        return [enc(v) for enc, v in zip(self._encoders, values, strict=True)]

    def decode(self, data: Any) -> list[Any]:
        """The field values in order (ValueError when there are too few or too many)."""
        return [dec(v) for dec, v in zip(self._decoders, list_of(data), strict=True)]

    def decode_columns(self, data: Any) -> list[Sequence[Any]]:
        """Many stored records at once, as one sequence of values per field (in order).

        The same values and errors as :meth:`decode` on each record, but each field is
        checked and read for all records together (:func:`column_codec`): a cached run
        reads ten thousand rows in a few milliseconds instead of a quarter of a second.
        """
        return self._read_columns(list_of(data))

    def _read_columns(self, records: Sequence[Any]) -> list[Sequence[Any]]:
        _only(records, _LIST)
        width = len(self.names)
        if any(len(r) != width for r in records):
            raise ValueError(f"expected {width} values a record")
        if not records:
            return [[] for _ in self.names]
        return [read(values) for read, values in zip(self._columns, zip(*records, strict=True), strict=True)]


# --- reading many records at once ---
# A column is checked by the set of its values' types (one pass in C), and built with
# map() over the values, so the per-value cost is the constructor's, not a Python
# function per field of every record.

_LIST = frozenset({list})
_NONE = type(None)


def _only(values: Sequence[Any], allowed: frozenset[type]) -> None:
    if not set(map(type, values)) <= allowed:
        raise TypeError(f"expected only {', '.join(sorted(t.__name__ for t in allowed))}")


def _each(read: Decode) -> Column:
    """A column read value by value: for codecs with no faster reading."""
    return lambda values: list(map(read, values))


def _of_types(*allowed: type) -> Column:
    kinds = frozenset(allowed)

    def read(values: Sequence[Any]) -> Sequence[Any]:
        _only(values, kinds)
        return values

    return read


def _texts(*allowed: type) -> Column:
    """Text read once per distinct value: equal texts (a file name, a rule, a message on
    every finding) become one shared string, as unpickling a worker's result gives, so a
    cached answer holds no more memory than a fresh one."""
    kinds = frozenset(allowed)

    def read(values: Sequence[Any]) -> Sequence[Any]:
        _only(values, kinds)
        seen: dict[Any, Any] = {}
        return list(map(seen.setdefault, values, values))

    return read


_SIMPLE_COLUMNS: dict[Any, Column] = {
    str: _texts(str),
    int: _of_types(int),
    bool: _of_types(bool),
    date: _each(_date),
}


def _optional(inner: Column) -> Column:
    def read(values: Sequence[Any]) -> Sequence[Any]:
        present = [i for i, v in enumerate(values) if v is not None]
        if len(present) == len(values):
            return inner(values)
        out: list[Any] = [None] * len(values)
        for i, v in zip(present, inner([values[i] for i in present]), strict=True):
            out[i] = v
        return out

    return read


def _grouped(inner: Column, make: Callable[[Any], Any]) -> Column:
    """Lists of values, each made into a tuple or frozenset (``make``) of its read values."""

    def read(values: Sequence[Any]) -> Sequence[Any]:
        _only(values, _LIST)
        items = iter(inner(list(itertools.chain.from_iterable(values))))
        return [make(itertools.islice(items, n)) for n in map(len, values)]

    return read


def _enum_column(hint: type[enum.Enum]) -> Column:
    members = {m.value: m for m in hint}
    kinds = frozenset({str, int})

    def read(values: Sequence[Any]) -> Sequence[Any]:
        _only(values, kinds)
        return [members[v] for v in values]  # KeyError: not one of them

    return read


def _textual(hint: Any) -> bool:
    """Whether values of ``hint`` are stored as text or null only (text, days, enums of
    text): such a value never equals a stored value of another type (``1 == True``)."""
    if hint in (str, date):
        return True
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return all(type(m.value) is str for m in hint)
    args = typing.get_args(hint)
    if typing.get_origin(hint) in (types.UnionType, typing.Union) and len(args) == 2 and _NONE in args:
        return all(a is _NONE or _textual(a) for a in args)
    return False


def _record_column(cls: type[Any]) -> Column:
    if cls not in _RECORD_COLUMNS:
        fields = Layout(cls)
        hints = typing.get_type_hints(cls)
        shared = all(_textual(hints[n]) for n in fields.names)

        def make(values: Sequence[Any]) -> list[Any]:
            made = list(itertools.starmap(cls, zip(*fields._read_columns(values), strict=True)))
            check = _CHECKS.get(cls)
            if check is not None:
                for m in made:
                    check(m)
            return made

        def read(values: Sequence[Any]) -> Sequence[Any]:
            if not shared:
                return make(values)
            # Records of text (deadlines) repeat: each distinct one is read and made once
            # and shared (records are frozen), which saves time and memory. Only text:
            # with numbers, a hand-edited true would be taken for a stored 1.
            _only(values, _LIST)
            keys = list(map(tuple, values))
            distinct = list(dict.fromkeys(keys))
            return list(
                map(dict(zip(distinct, make(list(map(list, distinct))), strict=True)).__getitem__, keys)
            )

        _RECORD_COLUMNS[cls] = read
    return _RECORD_COLUMNS[cls]


def column_codec(hint: Any) -> Column:
    """The checked reader of many stored values of type ``hint`` at once: the values and
    errors of :func:`codec`'s reader on each, without a Python call per value where the
    type allows."""
    if hint in _SIMPLE_COLUMNS:
        return _SIMPLE_COLUMNS[hint]
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (types.UnionType, typing.Union) and len(args) == 2 and _NONE in args:
        inner = next(a for a in args if a is not _NONE)
        if inner is str:
            return _texts(str, _NONE)
        return _optional(column_codec(inner))
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return _grouped(column_codec(args[0]), tuple)
    if origin is frozenset and len(args) == 1:
        return _grouped(column_codec(args[0]), frozenset)
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return _enum_column(hint)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _record_column(hint)
    return _each(codec(hint)[1])

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
import operator
import types
import typing
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, Generic, TypeVar

from planctl.core import entry

T = TypeVar("T")
Encode = Callable[[Any], Any]
Decode = Callable[[Any], Any]
Codec = tuple[Encode, Decode]


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
        self._get = operator.attrgetter(*self.names)

    def encode(self, obj: T) -> list[Any]:
        values = self._get(obj) if len(self.names) > 1 else (self._get(obj),)
        return [enc(v) for enc, v in zip(self._encoders, values, strict=True)]

    def decode(self, data: Any) -> list[Any]:
        """The field values in order (ValueError when there are too few or too many)."""
        return [dec(v) for dec, v in zip(self._decoders, list_of(data), strict=True)]

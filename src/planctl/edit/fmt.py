"""One canonical layout for plan files, comments kept.

Canonical means: keys in the order the schema's models declare them (id, kind, number,
title, ... as ``planctl schema`` lists them), 2-space mappings, sequences indented
``  - `` under their key as the shipped plans write them, date fields as ISO dates, and
no plain scalar folded over several lines. Quoting and flow/block style are left as
the author chose. Formatting never changes what the plan means: the result is
re-validated and must load to the same plan, or :class:`FormatError` is raised.

Unlike an edit, the whole file is rewritten in ruamel's layout (no merge), with the
reader, writer and comment-moving helpers of :mod:`planctl.edit.roundtrip`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import types
import typing
from typing import Any

from pydantic import BaseModel
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from planctl.core.models import Plan
from planctl.core.validate import inner_model, load_text
from planctl.edit.roundtrip import Style, give_following, take_following, yaml_for

__all__ = ["FormatError", "format_text"]


class FormatError(Exception):
    """The text cannot be formatted (it is not a valid plan)."""


def format_text(text: str, file: str = "<plan>") -> str:
    """The canonical form of a valid plan's text."""
    before = load_text(text, file)
    if before.plan is None or before.problems:
        p = before.problems[0]
        raise FormatError(f"{p.file}:{p.line}:{p.column}: {p.message} (not formatted; fix it first)")
    yaml = yaml_for(Style())
    data = yaml.load(text)
    _format(data, Plan)
    out = io.StringIO()
    yaml.dump(data, out)
    result = out.getvalue()
    after = load_text(result, file)
    if after.plan is None or after.plan.model_dump() != before.plan.model_dump():
        raise FormatError(f"{file}: formatting would change the plan's meaning; not formatted")
    return result


def _is_date(annotation: Any) -> bool:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _is_date(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return any(_is_date(a) for a in typing.get_args(annotation) if a is not type(None))
    return annotation is dt.date


def _format(node: Any, model: Any) -> None:
    if isinstance(node, CommentedSeq):
        for value in node:
            _format(value, model)
        return
    if not (isinstance(node, CommentedMap) and isinstance(model, type) and issubclass(model, BaseModel)):
        return
    fields = model.model_fields
    for key in list(node.keys()):
        info = fields.get(key)
        if info is None:
            continue
        value = node[key]
        if _is_date(info.annotation) and isinstance(value, str):
            with contextlib.suppress(ValueError):  # not ISO: left for validate to report
                node[key] = dt.date.fromisoformat(value.strip())
        else:
            _format(value, inner_model(info.annotation))
    _reorder(node, list(fields))


def _reorder(node: CommentedMap, order: list[str]) -> None:
    """Sort ``node``'s keys by ``order``; each comment stays above the key it introduced."""
    keys = list(node.keys())
    rank = {k: i for i, k in enumerate(order)}
    wanted = sorted(keys, key=lambda k: (rank.get(k, len(order)), keys.index(k)))
    if wanted == keys:
        return
    leading = {keys[i]: take_following(node, keys[i - 1]) for i in range(1, len(keys))}
    trailing = take_following(node, keys[-1])
    for key in wanted:
        node.move_to_end(key)
    # A comment that led a key now first would have no key above it: keep it after that
    # key's value, above the next one, rather than lose it.
    orphan = leading.get(wanted[0])
    for i in range(1, len(wanted)):
        lead = leading.get(wanted[i])
        if i == 1 and orphan:
            lead = orphan + (lead or "")
        give_following(node, wanted[i - 1], lead)
    give_following(node, wanted[-1], trailing)

"""Validate plan text: YAML, schema and cross-record checks, each problem located.

Everything wrong with a file is reported in one pass (a YAML syntax error stops that
file only). This module is pure: it takes text and a display name; reading files is
:mod:`planctl.files`' job.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from planctl.diagnostics import Diagnostic, format_path
from planctl.models import Item, Plan, item_deadlines, walk_items, walk_sections
from planctl.yamlread import Document, YamlReadError, decode, read

Path_ = tuple[str | int, ...]

# An unresolved deadline that is shaped like a calendar date is an impossible date
# ("30 February 2026", "2026-13-01"): an error, not a vague phrase for lint to flag.
_DATE_SHAPED = re.compile(
    r"^\s*(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]{3,9}\.?\s+\d{4}|\d{1,2}/\d{1,2}/\d{4})\s*$"
)


@dataclass(slots=True)
class LoadResult:
    """A file's plan (None when invalid), its problems, and the document for locations."""

    file: str
    plan: Plan | None
    problems: list[Diagnostic] = field(default_factory=list)
    document: Document | None = None

    @property
    def ok(self) -> bool:
        return self.plan is not None and not self.problems

    def locate(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        return self.document.locate(path, key=key) if self.document else (1, 1)


def load_bytes(raw: bytes, file: str) -> LoadResult:
    """Decode, read and validate one plan file's bytes."""
    try:
        text = decode(raw)
    except YamlReadError as exc:
        p = exc.problem
        return LoadResult(file, None, [Diagnostic(file, p.line, p.column, p.message, hint=p.hint)])
    return load_text(text, file)


def load_text(text: str, file: str) -> LoadResult:
    """Read and validate one plan's YAML text."""
    try:
        doc = read(text)
    except YamlReadError as exc:
        p = exc.problem
        return LoadResult(file, None, [Diagnostic(file, p.line, p.column, p.message, hint=p.hint)])
    result = LoadResult(file, None, document=doc)
    result.problems.extend(Diagnostic(file, p.line, p.column, p.message, hint=p.hint) for p in doc.problems)
    if not isinstance(doc.data, dict):
        what = "empty (or only comments)" if doc.data is None else f"a {_kind(doc.data)}"
        result.problems.append(
            Diagnostic(
                file,
                *doc.locate(()),
                f"a plan file must be a mapping with id, title and sections; this one is {what}",
                hint="start from 'planctl new' or an example in plans/",
            )
        )
        return result
    try:
        plan = Plan.model_validate(doc.data)
    except ValidationError as exc:
        result.problems.extend(_schema_problems(exc, doc, file))
        return result
    cross = list(check_plan(plan, doc, file))
    result.problems.extend(cross)
    if not result.problems:
        result.plan = plan
    return result


def _kind(value: Any) -> str:
    return {
        dict: "mapping",
        list: "list",
        str: "text",
        int: "number",
        float: "number",
        bool: "true/false",
    }.get(type(value), type(value).__name__)


def _schema_problems(exc: ValidationError, doc: Document, file: str) -> Iterable[Diagnostic]:
    seen: set[tuple[Path_, str]] = set()
    for err in exc.errors(include_url=False):
        loc: Path_ = tuple(err["loc"])
        kind = err["type"]
        if (loc, kind) in seen:
            continue
        seen.add((loc, kind))
        path = format_path(loc)
        hint: str | None = None
        if kind == "extra_forbidden":
            name = str(loc[-1])
            allowed = _fields_at(loc[:-1])
            close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
            message = f"unknown key {name!r}"
            if close:
                message += f"; did you mean {close[0]!r}?"
                hint = f"rename {name!r} to {close[0]!r}"
            else:
                hint = "allowed keys here: " + ", ".join(sorted(allowed))
            line, column = doc.locate(loc, key=True)
        elif kind == "missing":
            message = f"missing required key {str(loc[-1])!r}"
            hint = f"add '{loc[-1]}:' to this mapping"
            line, column = doc.locate(loc[:-1])
        else:
            msg, hint = _explain(err, loc)
            value = err.get("input")
            shown = _show(value)
            message = f"{path.rsplit('.', 1)[-1]}: {msg}" + (f" (got {shown})" if shown else "")
            line, column = doc.locate(loc)
        yield Diagnostic(file, line, column, message, yaml_path=path, hint=hint)


def _explain(err: Any, loc: Path_) -> tuple[str, str | None]:
    """Pydantic's message in a plan author's words, with what to do where it helps."""
    kind = err["type"]
    value = err.get("input")
    if kind == "string_pattern_mismatch" and loc and loc[-1] in ("id", "code") and isinstance(value, str):
        allowed = "ids use only ASCII letters, digits and . _ : / - (no spaces)"
        odd = next((c for c in value if not (c.isascii() and (c.isalnum() or c in "_.:/-"))), None)
        if odd is None:
            return "must start with a letter or digit; " + allowed, None
        if odd.isspace():
            return (
                f"contains a space; {allowed}",
                f"join the words with '-', e.g. {'-'.join(value.split())!r}",
            )
        name = unicodedata.name(odd, "unnamed character")
        return (
            f"contains {odd!r} (U+{ord(odd):04X} {name}), which is not ASCII; {allowed}",
            "retype the id on an English keyboard (look-alike letters from other alphabets are refused)",
        )
    if kind == "model_type":
        fields = _fields_at(loc)
        if err.get("ctx", {}).get("class_name") == "Lead":
            return "a lead is a name, or a mapping with name, role, organisation", None
        return "expected a mapping with keys such as " + ", ".join(fields[:4]), None
    if kind in ("date_from_datetime_parsing", "date_parsing", "date_type", "date_from_datetime_inexact"):
        reason = err.get("ctx", {}).get("error")
        msg = "not a valid date" + (f": {reason}" if reason else "")
        return msg, "write a calendar date as YYYY-MM-DD, e.g. 2026-04-01"
    if kind == "string_type" and isinstance(value, bool):
        return (
            "Input should be a valid string",
            "quote the text: YAML reads yes, no, on and off as true/false",
        )
    return str(err["msg"]).removeprefix("Value error, "), None


def _show(value: Any) -> str:
    if isinstance(value, dict | list):
        return f"a {_kind(value)}"
    if value is None:
        return "nothing (null)"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _fields_at(loc: Path_) -> list[str]:
    """Field names of the model found by following ``loc`` from :class:`Plan`."""
    model: Any = Plan
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return []
        info = model.model_fields.get(part)
        if info is None:
            return []
        model = _inner_model(info.annotation)
    if isinstance(model, type) and issubclass(model, BaseModel):
        return list(model.model_fields)
    return []


def _inner_model(annotation: Any) -> Any:
    """Unwrap ``list[X]``, ``X | None`` and ``Annotated[X, ...]`` down to a model class."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated or origin in (list, tuple):
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            models = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = models[0] if len(models) == 1 else None
        else:
            return annotation


def check_plan(plan: Plan, doc: Document, file: str) -> Iterable[Diagnostic]:
    """Checks across records that the schema alone cannot express."""

    def at(path: Path_, message: str, hint: str | None = None, item: str | None = None) -> Diagnostic:
        return Diagnostic(file, *doc.locate(path), message, yaml_path=format_path(path), hint=hint, item=item)

    scale_ids = [s.id for s in plan.scales]
    for i, scale_id in enumerate(scale_ids):
        if scale_id in scale_ids[:i]:
            yield at(("scales", i, "id"), f"duplicate scale id {scale_id!r}")
    if plan.default_scale and plan.scale(plan.default_scale) is None:
        yield at(("default_scale",), f"no scale {plan.default_scale!r}", hint=_scales_hint(plan))
    if plan.period and plan.period.start and plan.period.end and plan.period.start > plan.period.end:
        yield at(("period",), "period ends before it starts")

    first_seen: dict[str, Path_] = {}

    def check_id(ident: str, path: Path_) -> Iterable[Diagnostic]:
        if ident in first_seen:
            line, _ = doc.locate(first_seen[ident])
            if doc.locate(path) == doc.locate(first_seen[ident]):
                # An alias (*name) repeats a record, id and all; the alias itself has no location.
                yield at(
                    path,
                    f"duplicate id {ident!r}: the record here is repeated elsewhere by an alias (*name)",
                    "copy it with '<<: *name' and give the copy its own 'id:'",
                )
                return
            yield at(
                path, f"duplicate id {ident!r} (first on line {line})", "ids must be unique within a plan"
            )
        else:
            first_seen[ident] = path

    for section, _parents, path in walk_sections(plan.sections):
        yield from check_id(section.id, (*path, "id"))
        if section.scale and plan.scale(section.scale) is None:
            yield at((*path, "scale"), f"no scale {section.scale!r}", _scales_hint(plan))
    for located in walk_items(plan):
        item, path = located.item, located.path
        yield from check_id(item.id, (*path, "id"))
        yield from _check_item(plan, item, located.scale_id, path, at)


def _scales_hint(plan: Plan) -> str:
    return "defined scales: " + (", ".join(s.id for s in plan.scales) or "none; add a 'scales:' list")


def _check_item(plan: Plan, item: Item, scale_id: str | None, path: Path_, at: Any) -> Iterable[Diagnostic]:
    scale = plan.scale(scale_id)
    if scale_id and scale is None:
        yield at((*path, "scale"), f"no scale {scale_id!r}", _scales_hint(plan), item.id)
    statuses: list[tuple[str, Path_]] = []
    if item.status is not None:
        statuses.append((item.status, (*path, "status")))
    statuses += [(u.status, (*path, "updates", k, "status")) for k, u in enumerate(item.updates) if u.status]
    for value, where in statuses:
        if scale is None:
            yield at(
                where,
                f"status {value!r} but the plan defines no rating scale",
                "add a 'scales:' list",
                item.id,
            )
        elif scale.find(value) is None:
            allowed = ", ".join(v.label for v in scale.values)
            yield at(
                where, f"status {value!r} is not on the {scale.name} scale", f"use one of: {allowed}", item.id
            )
    if item.response and item.response.decision:
        decision_scale = plan.scale(item.response.scale or "decision")
        where = (*path, "response", "decision")
        if decision_scale is None:
            yield at(
                where, "a decision needs a scale with id 'decision' (or name one in 'scale')", None, item.id
            )
        elif decision_scale.find(item.response.decision) is None:
            allowed = ", ".join(v.label for v in decision_scale.values)
            yield at(
                where,
                f"decision {item.response.decision!r} is not on the {decision_scale.name} scale",
                f"use one of: {allowed}",
                item.id,
            )
    for where, deadline in item_deadlines(item, path):
        if not deadline.resolved and _DATE_SHAPED.match(deadline.text):
            yield at(where, f"{deadline.text!r} is not a real date", "check the day and month", item.id)

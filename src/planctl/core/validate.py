"""Validate plan text: YAML, schema and cross-record checks, each problem located.

Everything wrong with a file is reported in one pass (a YAML syntax error stops that
file only). This module is pure: it takes text and a display name; reading files is
:mod:`planctl.store.files`' job.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from planctl.core.dates import FuzzyDate, parse_date
from planctl.core.diagnostics import Diagnostic, format_path
from planctl.core.models import Item, Plan, ReadingError, Scale, item_deadlines, walk_items, walk_sections
from planctl.core.yamlread import Document, YamlReadError, decode, read

Path_ = tuple[str | int, ...]
_At = Callable[..., Diagnostic]  # at(path, message, hint, item): a located problem

# An unresolved deadline that is shaped like a calendar date is an impossible date
# ("30 February 2026", "2026-13-01"): an error, not a vague phrase for lint to flag.
_DATE_SHAPED = re.compile(
    r"^\s*(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]{3,9}\.?\s+\d{4}|\d{1,2}/\d{1,2}/\d{4})\s*$"
)


# What `planctl validate` refuses although the exported JSON Schema cannot: checks across
# records, phrases only planctl's parsers read, and how a scalar is spelled (JSON, and so
# the schema, sees 10 where the file says 010). Everything else the two decide alike;
# tests/test_schema_agreement.py holds them to it, and reads this list to know the
# exceptions. Each entry: (what, the start of its message after the field name, if any).
BEYOND_SCHEMA: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (what, re.compile(pattern))
    for what, pattern in (
        ("two records share an id", r"duplicate (scale )?id "),
        ("a scale named that does not exist", r"no scale "),
        (
            "a rating not on its scale",
            r"(status|decision) .* is not on the |status .* but the plan defines no",
        ),
        ("a decision without a decision scale", r"a decision needs a scale"),
        ("a period that ends before it starts", r"period ends before it starts"),
        ("a deadline shaped like a date that does not exist", r".* is not a real date"),
        ("a recurrence planctl cannot read", r"\w+: cannot read .* as a recurrence"),
        ("a KPI period planctl cannot read", r"\w+: cannot read .* as a period"),
        (
            "a tolerance band's rating not on its scale",
            r"tolerance rating .* is not on the |tolerance .* no scale",
        ),
        (
            "a number written so that YAML 1.1 and 1.2 differ",
            r"\w+: .* in YAML 1\.2 \(editors, the JSON Schema\) but",
        ),
        (
            "a number used as an id, spelled with a sign or exponent",
            r"\w+: .* is a number but not an id as written",
        ),
        ("a number longer than the reading limit", r"number with \d+ digits is too large"),
        (
            "YAML the schema never sees: keys, tags, aliases, nesting",
            r"duplicate key |duplicated merge key|tag |aliases expand|nesting deeper|'<<' must merge|a key must be plain text",
        ),
    )
)


def beyond_schema(message: str) -> str | None:
    """What a problem checks, when it is a check the JSON Schema cannot express; else None."""
    return next((what for what, pattern in BEYOND_SCHEMA if pattern.match(message)), None)


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
        refused = [tuple(err["loc"]) for err in exc.errors(include_url=False)]
        result.problems.extend(check_raw(doc.data, refused, doc, file))
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
    reading = err.get("ctx", {}).get("error")
    if isinstance(reading, ReadingError):
        return str(reading), reading.hint
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)  # a number in a text field is its text as written
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
        return "Input should be a valid string", "quote the text: true and false are read as true/false"
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
        model = inner_model(info.annotation)
    if isinstance(model, type) and issubclass(model, BaseModel):
        return list(model.model_fields)
    return []


def inner_model(annotation: Any) -> Any:
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
    """Checks across records that the schema alone cannot express.

    The per-record checks (ids, scales, ratings, impossible dates) are
    :func:`_check_records`, shared with :func:`check_raw`; only the plan-wide ones,
    which need the whole valid plan, are here.
    """

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
    yield from _check_records(_plan_records(plan), doc, at)
    yield from _check_tolerances(plan, at)


@dataclass(frozen=True, slots=True)
class _Record:
    """What the cross-record checks read of one section or item, from a valid plan
    (:func:`_plan_records`) or from data the schema refused (:func:`_raw_records`).

    A builder leaves out what it cannot tell: a raw record never names a missing scale,
    and holds no status or decision whose scale is refused or unknown.
    """

    path: Path_
    id: str | None  # the id to check for duplicates; None: none, or refused
    item: str | None = None  # the item's id, for the diagnostics' item field
    missing_scale: tuple[str, str] | None = None  # (a scale named but not defined, the hint)
    scale: Scale | None = None  # the scale the statuses are read on
    statuses: Sequence[tuple[str, Path_]] = ()
    decision: tuple[str, Path_, Scale | None] | None = None  # (decision, where, its scale)
    deadlines: Sequence[tuple[FuzzyDate, Path_]] = ()


def _check_records(records: Iterable[_Record], doc: Document, at: _At) -> Iterable[Diagnostic]:
    """The per-record checks, in record order (sections depth-first, then items)."""
    check_id = _IdCheck(doc, at)
    for r in records:
        if r.id is not None:
            yield from check_id(r.id, (*r.path, "id"))
        yield from _check_record(r, at)


def _check_record(r: _Record, at: _At) -> Iterable[Diagnostic]:
    """One record's own checks: a scale that does not exist, ratings off their scale,
    impossible dates (its id is checked against the others by :func:`_check_records`)."""
    if r.missing_scale is not None:
        named, hint = r.missing_scale
        yield at((*r.path, "scale"), f"no scale {named!r}", hint, r.item)
    for value, where in r.statuses:
        if (found := _rating_problem(r.scale, "status", value, where, at, r.item)) is not None:
            yield found
    if r.decision is not None:
        value, where, decision_scale = r.decision
        if found := _rating_problem(decision_scale, "decision", value, where, at, r.item):
            yield found
    for deadline, where in r.deadlines:
        if not deadline.resolved and _DATE_SHAPED.match(deadline.text):
            yield at(where, f"{deadline.text!r} is not a real date", "check the day and month", r.item)


def _plan_records(plan: Plan) -> Iterator[_Record]:
    """The records of a valid plan: every section, then every item, in document order."""
    for section, _parents, path in walk_sections(plan.sections):
        missing = section.scale if section.scale and plan.scale(section.scale) is None else None
        yield _Record(path, section.id, missing_scale=(missing, _scales_hint(plan)) if missing else None)
    for located in walk_items(plan):
        yield _item_record(plan, located.item, located.scale_id, located.path)


def _item_record(plan: Plan, item: Item, scale_id: str | None, path: Path_) -> _Record:
    """A valid item's record, its statuses read on the scale ``scale_id`` (its own or its section's)."""
    scale = plan.scale(scale_id)
    statuses: list[tuple[str, Path_]] = []
    if item.status is not None:
        statuses.append((item.status, (*path, "status")))
    statuses += [(u.status, (*path, "updates", k, "status")) for k, u in enumerate(item.updates) if u.status]
    decision = None
    if item.response and item.response.decision:
        decision_scale = plan.scale(item.response.scale or "decision")
        decision = (item.response.decision, (*path, "response", "decision"), decision_scale)
    return _Record(
        path,
        item.id,
        item=item.id,
        missing_scale=(scale_id, _scales_hint(plan)) if scale_id and scale is None else None,
        scale=scale,
        statuses=statuses,
        decision=decision,
        deadlines=[(deadline, where) for where, deadline in item_deadlines(item, path)],
    )


def check_item(plan: Plan, item: Item, scale_id: str | None, path: Path_, at: Any) -> Iterable[Diagnostic]:
    """One valid item's own checks, as the whole plan's would make them (the history scan
    re-checks an item read alone with this)."""
    return _check_record(_item_record(plan, item, scale_id, path), at)


def _check_tolerances(plan: Plan, at: _At) -> Iterable[Diagnostic]:
    """Each tolerance band's rating is on its scale: a rating no scale knows has no colour or meaning."""
    from planctl.core.models import kpi_entries

    for kpi, path, scale_id in kpi_entries(plan):
        if kpi.tolerance is None:
            continue
        scale = plan.scale(kpi.tolerance.scale or scale_id)
        if scale is None:
            named = kpi.tolerance.scale
            where = (*path, "tolerance", "scale") if named else (*path, "tolerance")
            yield at(
                where, f"tolerance of {kpi.name!r} has no scale {named or ''!s}".rstrip(), _scales_hint(plan)
            )
            continue
        for k, band in enumerate(kpi.tolerance.bands):
            if scale.find(band.rating) is None:
                allowed = ", ".join(v.label for v in scale.values)
                yield at(
                    (*path, "tolerance", "bands", k, "rating"),
                    f"tolerance rating {band.rating!r} is not on the {scale.name} scale",
                    f"use one of: {allowed}",
                )


class _IdCheck:
    """Reports an id seen before in the plan (sections first, then items, in file order)."""

    def __init__(self, doc: Document, at: _At) -> None:
        self.doc = doc
        self.at = at
        self.first_seen: dict[str, Path_] = {}

    def __call__(self, ident: str, path: Path_) -> Iterable[Diagnostic]:
        first = self.first_seen.get(ident)
        if first is None:
            self.first_seen[ident] = path
            return
        line, _ = self.doc.locate(first)
        if self.doc.locate(path) == self.doc.locate(first):
            # An alias (*name) repeats a record, id and all; the alias itself has no location.
            yield self.at(
                path,
                f"duplicate id {ident!r}: the record here is repeated elsewhere by an alias (*name)",
                "copy it with '<<: *name' and give the copy its own 'id:'",
            )
            return
        yield self.at(
            path, f"duplicate id {ident!r} (first on line {line})", "ids must be unique within a plan"
        )


def _rating_problem(
    scale: Scale | None, what: str, value: str, where: Path_, at: _At, item: str | None
) -> Diagnostic | None:
    """A status (``what`` = "status") or decision not on its scale, else None."""
    if scale is None:
        if what == "status":
            return at(
                where, f"status {value!r} but the plan defines no rating scale", "add a 'scales:' list", item
            )
        return at(where, "a decision needs a scale with id 'decision' (or name one in 'scale')", None, item)
    if scale.find(value) is not None:
        return None
    allowed = ", ".join(v.label for v in scale.values)
    return at(where, f"{what} {value!r} is not on the {scale.name} scale", f"use one of: {allowed}", item)


def _scales_hint(plan: Plan) -> str:
    return "defined scales: " + (", ".join(s.id for s in plan.scales) or "none; add a 'scales:' list")


# --- the same checks on data the schema refused ---

_UNKNOWN = object()  # a value the schema refused: nothing can be said about what depends on it


def _raw_text(value: Any) -> Any:
    """A scalar as the models read it (numbers become text), else ``_UNKNOWN``; None stays None."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return _UNKNOWN


def _raw_list(mapping: dict[Any, Any], key: str) -> list[Any]:
    value = mapping.get(key)
    return value if isinstance(value, list) else []


def check_raw(data: dict[str, Any], refused: list[Path_], doc: Document, file: str) -> Iterable[Diagnostic]:
    """The cross-record checks of :func:`check_plan` that can run on a plan the schema refused.

    Duplicate ids, statuses and decisions not on their (valid) scale, and impossible
    deadlines, so that every problem of a file is reported at once: the same checks
    (:func:`_check_records`) on records read from the raw data (:func:`_raw_records`).
    """

    def at(path: Path_, message: str, hint: str | None = None, item: str | None = None) -> Diagnostic:
        return Diagnostic(file, *doc.locate(path), message, yaml_path=format_path(path), hint=hint, item=item)

    return _check_records(_raw_records(data, refused), doc, at)


def _raw_records(data: dict[str, Any], refused: list[Path_]) -> Iterator[_Record]:
    """The records of data the schema refused, as :func:`_plan_records` reads a valid plan.

    A value at or under a path the schema refused is left out (it is reported already),
    and so is a status whose scale is itself refused or cannot be told.
    """
    # A set of the refused paths, tested against each prefix of ``path``: a prefix test
    # against every refused path made a file with many errors quadratic to check.
    refused_set = set(refused)

    def ok(path: Path_) -> bool:
        return not any(path[:i] in refused_set for i in range(len(path) + 1))

    raw_scales = data.get("scales", [])
    default_scale = _raw_text(data.get("default_scale"))
    valid: dict[int, Scale | None] = {}

    def scale_of(scale_id: Any) -> Any:
        """As :meth:`Plan.scale`; ``_UNKNOWN`` when the scale cannot be told or is refused."""
        if scale_id is _UNKNOWN or not isinstance(raw_scales, list) or not ok(("scales",)):
            return _UNKNOWN
        wanted = scale_id or default_scale
        if wanted is _UNKNOWN:
            return _UNKNOWN
        if wanted is None:
            k = 0 if raw_scales else None
        else:
            k = next(
                (
                    i
                    for i, s in enumerate(raw_scales)
                    if isinstance(s, dict) and _raw_text(s.get("id")) == wanted
                ),
                None,
            )
            if k is None and any(
                not isinstance(s, dict) or not ok(("scales", i)) for i, s in enumerate(raw_scales)
            ):
                return _UNKNOWN  # a refused scale might be the one named
        if k is None:
            return None
        if not ok(("scales", k)):
            return _UNKNOWN
        if k not in valid:
            try:
                valid[k] = Scale.model_validate(raw_scales[k])
            except ValidationError:
                valid[k] = None
        return valid[k] if valid[k] is not None else _UNKNOWN

    def ident(record: dict[Any, Any], path: Path_) -> str | None:
        value = _raw_text(record.get("id"))
        return value if isinstance(value, str) and ok((*path, "id")) else None

    sections: list[tuple[dict[Any, Any], Any, Path_]] = []  # (section, its scale, path), depth-first

    def walk(parent: dict[Any, Any], inherited: Any, path: Path_) -> None:
        if not ok((*path, "sections")):
            return
        for i, section in enumerate(_raw_list(parent, "sections")):
            here = (*path, "sections", i)
            if not isinstance(section, dict) or not ok(here):
                continue
            own = _raw_text(section.get("scale")) if ok((*here, "scale")) else _UNKNOWN
            scale_id = own if own else inherited
            sections.append((section, scale_id, here))
            walk(section, scale_id, here)

    walk(data, None, ())
    for section, _scale_id, path in sections:
        yield _Record(path, ident(section, path))
    for section, inherited, spath in sections:
        if not ok((*spath, "items")):
            continue
        for j, item in enumerate(_raw_list(section, "items")):
            path = (*spath, "items", j)
            if not isinstance(item, dict) or not ok(path):
                continue
            yield _raw_item(item, path, ident(item, path), inherited, scale_of, ok)


def _raw_item(
    item: dict[Any, Any],
    path: Path_,
    ident: str | None,
    inherited: Any,
    scale_of: Callable[[Any], Any],
    ok: Callable[[Path_], bool],
) -> _Record:
    item_id = _raw_text(item.get("id"))
    item_id = item_id if isinstance(item_id, str) else None
    own = _raw_text(item.get("scale")) if ok((*path, "scale")) else _UNKNOWN
    scale = scale_of(own if own else inherited)
    statuses: list[tuple[Any, Path_]] = []
    if isinstance(_raw_text(item.get("status")), str):  # as _plan_records: any status, even ""
        statuses.append((_raw_text(item["status"]), (*path, "status")))
    updates = _raw_list(item, "updates") if ok((*path, "updates")) else []
    statuses += [
        (_raw_text(u.get("status")), (*path, "updates", k, "status"))
        for k, u in enumerate(updates)
        if isinstance(u, dict) and _raw_text(u.get("status"))
    ]
    rated = [
        (value, where)
        for value, where in statuses
        if isinstance(value, str) and scale is not _UNKNOWN and ok(where)
    ]
    decision = None
    response = item.get("response")
    where = (*path, "response", "decision")
    value = _raw_text(response.get("decision")) if isinstance(response, dict) else None
    if isinstance(response, dict) and isinstance(value, str) and value and ok(where):
        named = _raw_text(response.get("scale")) if ok((*path, "response", "scale")) else _UNKNOWN
        decision_scale = scale_of(named or "decision")
        if decision_scale is not _UNKNOWN:
            decision = (value, where, decision_scale)
    dues = [(item.get("due"), (*path, "due"))]
    outcomes = _raw_list(item, "outcomes") if ok((*path, "outcomes")) else []
    dues += [
        (o.get("due"), (*path, "outcomes", k, "due")) for k, o in enumerate(outcomes) if isinstance(o, dict)
    ]
    deadlines = []
    for raw, at_ in dues:
        text = _raw_text(raw)
        if isinstance(text, str) and text.strip() and ok(at_):
            deadlines.append((parse_date(text), at_))
    return _Record(
        path,
        ident,
        item=item_id,
        scale=None if scale is _UNKNOWN else scale,
        statuses=rated,
        decision=decision,
        deadlines=deadlines,
    )

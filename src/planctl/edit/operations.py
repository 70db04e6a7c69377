"""Plan edits: ``update``, ``add`` and ``new``, each a pure function from a plan's text
to its new text.

These know what a plan is: they find the item or section to change, check the request
against the plan (a status on its scale, a deadline planctl can read, a free id), make
the change through the comment-keeping writer of :mod:`planctl.edit.roundtrip`, and
re-validate the result, so an edit that would make the plan invalid raises
:class:`EditError` and nothing is written. ``respond`` and ``kpi`` use the same checks
(:func:`loaded_plan`, :func:`check_valid`).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from planctl.core.dates import DEADLINE_FORMS, parse_date
from planctl.core.models import Item, Plan, Section, walk_items, walk_sections
from planctl.core.validate import LoadResult, load_text
from planctl.edit.roundtrip import (
    append,
    block_map,
    edit_entry,
    edit_text,
    flow_seq,
    follow,
    fresh_date,
    set_key,
)

__all__ = [
    "ITEM_ORDER",
    "SECTION_ORDER",
    "EditError",
    "UpdateRequest",
    "add_item",
    "apply_update",
    "check_valid",
    "find_item",
    "loaded_plan",
    "new_plan_text",
    "next_item_id",
    "unified_diff",
    "update_item",
]

ITEM_ORDER = list(Item.model_fields)
SECTION_ORDER = list(Section.model_fields)


class EditError(Exception):
    """An edit that cannot be made; ``hint`` says what to do instead."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def unified_diff(old: str, new: str, name: str) -> str:
    """A diff as ``git diff`` shows it (``a/`` and ``b/`` before a relative name)."""
    before, after = (name, name) if name.startswith("/") else (f"a/{name}", f"b/{name}")
    return "".join(
        difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True), before, after)
    )


# --------------------------------------------------------------------------- finding

Known = tuple[str, LoadResult]  # a file's text and what reading it gave


def loaded_plan(text: str, file: str, known: Known | None = None) -> LoadResult:
    """``text`` read as a plan, or :class:`EditError`: an invalid plan is never edited.

    ``known`` is a (text, result) pair the caller read already (to find the item before
    taking the lock): when the file still holds that text, its result is used rather than
    reading and validating a large plan a second time.
    """
    if known is not None and known[0] == text and known[1].plan is not None and not known[1].problems:
        return known[1]
    result: LoadResult = load_text(text, file)
    if result.plan is None or result.problems:
        first = result.problems[0] if result.problems else None
        where = f"{first.file}:{first.line}:{first.column}: {first.message}" if first else file
        raise EditError(
            f"{file} is not a valid plan, so it is not edited ({where})",
            "run 'planctl validate' and fix it first",
        )
    return result


def find_item(plan: Plan, item_id: str) -> tuple[int | str, ...] | None:
    """The YAML path of item ``item_id`` in ``plan``."""
    for located in walk_items(plan):
        if located.item.id == item_id:
            return located.path
    return None


def check_valid(new: str, file: str) -> None:
    """Refuse (:class:`EditError`) an edit whose result is not a valid plan, so it is not written."""
    result = load_text(new, file)
    if result.problems:
        p = result.problems[0]
        raise EditError(
            f"the edit would make the plan invalid: {p.file}:{p.line}:{p.column}: {p.message}",
            p.hint,
        )


def _check_due(due: str) -> str:
    text = due.strip()
    if not text or not parse_date(text).resolved:
        raise EditError(f"cannot read {due!r} as a deadline", f"accepted forms: {DEADLINE_FORMS}")
    return text


# --------------------------------------------------------------------------- update


@dataclass(frozen=True, slots=True)
class UpdateRequest:
    """What ``planctl update`` changes; ``date`` is the clock, given by the caller."""

    date: dt.date
    status: str | None = None
    note: str | None = None
    due: str | None = None
    lead: str | None = None
    by: str | None = None  # who gave the update (a return form's lead); written with the entry

    @property
    def empty(self) -> bool:
        return self.status is None and self.note is None and self.due is None and self.lead is None


def update_item(text: str, file: str, item_id: str, req: UpdateRequest) -> str:
    """The plan text with item ``item_id`` updated as ``req`` says (see :func:`apply_update`)."""
    return apply_update(text, file, item_id, req)[0]


def apply_update(
    text: str, file: str, item_id: str, req: UpdateRequest, known: Known | None = None
) -> tuple[str, str | None]:
    """The plan text with item ``item_id`` updated as ``req`` says, and a notice for the user.

    A rating is written once: as the ``status`` of the new dated ``updates:`` entry, with
    the note if there is one. That entry *is* the rating (:attr:`Item.current_status`
    reads the latest rated update), so ``status:``/``status_date:`` are not added. An
    item that already keeps a ``status:`` has it rewritten in place, with its
    ``status_date:`` if it has one, since ``status:`` takes precedence over the updates.
    A rating dated before the item's current one (``--date`` in the past) is history:
    the entry is added, the current rating is left alone, and the notice says so.
    The status is written as the scale value's key (the canonical form: labels may be
    renamed, keys are what scales are matched on). The result is re-validated: an edit
    that would make the plan invalid raises :class:`EditError`.
    """
    if req.empty:
        raise EditError("nothing to update", "give --status, --note, --due or --lead")
    loaded = loaded_plan(text, file, known)
    plan = loaded.plan
    assert plan is not None  # loaded_plan refuses an invalid plan
    located = next((loc for loc in walk_items(plan) if loc.item.id == item_id), None)
    if located is None:
        raise EditError(f"no item {item_id!r} in {file}")
    current = located.item
    status_key: str | None = None
    notice: str | None = None
    rewrite_status = set_status_date = False
    if req.status is not None:
        scale = plan.scale(located.scale_id)
        if scale is None:
            raise EditError(f"{plan.id} defines no rating scale, so {item_id} cannot have a status")
        value = scale.find(req.status)
        if value is None:
            allowed = ", ".join(f"{v.key} ({v.label})" if v.key != v.label else v.key for v in scale.values)
            raise EditError(
                f"{req.status!r} is not on the {scale.name} scale of {plan.id}", f"allowed values: {allowed}"
            )
        status_key = value.key
        latest = all(u.date <= req.date for u in current.updates if u.status)
        since = current.current_status_date
        if current.status is not None:
            rewrite_status = since is None or since <= req.date
            set_status_date = rewrite_status and (current.status_date is not None or not latest)
        superseded = not rewrite_status if current.status is not None else not latest
        if superseded and current.current_status is not None:
            now = scale.find(current.current_status)
            label = now.label if now is not None else current.current_status
            when = f" as rated on {since.isoformat()}" if since is not None else ""
            notice = (
                f"{item_id} stays {label}{when}; the {value.label} of {req.date.isoformat()} "
                "is recorded in its updates as history"
            )
    due = _check_due(req.due) if req.due is not None else None
    lead = req.lead.strip() if req.lead is not None else None
    if lead is not None and not lead:
        raise EditError("--lead must not be empty")
    note = req.note.strip() if req.note is not None else None
    if note is not None and not note:
        raise EditError("--note must not be empty", "give the progress to record, or leave --note out")

    def change(seq: CommentedSeq, index: int) -> None:
        item = seq[index]
        if rewrite_status:
            set_key(item, "status", status_key, ITEM_ORDER)
        if set_status_date:
            set_key(item, "status_date", fresh_date(req.date), ITEM_ORDER)
        if status_key is not None or note is not None:
            by = req.by.strip() if req.by and req.by.strip() else None
            entry = block_map(
                [("date", fresh_date(req.date)), ("status", status_key), ("note", note), ("by", by)]
            )
            if "updates" in item and isinstance(item["updates"], CommentedSeq):
                append(item["updates"], entry)
            else:
                seq = CommentedSeq([entry])
                set_key(item, "updates", seq, ITEM_ORDER)
        if due is not None:
            set_key(item, "due", due, ITEM_ORDER)
        if lead is not None:
            old = item.get("leads")
            flow = not isinstance(old, CommentedSeq) or old.fa.flow_style()
            leads = flow_seq([lead]) if flow else CommentedSeq([lead])
            set_key(item, "leads", leads, ITEM_ORDER)

    *seq_path, index = located.path
    assert isinstance(index, int)
    new = edit_entry(text, loaded.document, tuple(seq_path), index, change)
    check_valid(new, file)
    return new, notice


# --------------------------------------------------------------------------- add


_TRAILING_NUMBER = re.compile(r"^(.*?)(\d+)(\D*)$")


def next_item_id(plan: Plan, section: Section) -> str:
    """The next free id after the section's items: ``1.2.3`` → ``1.2.4``, ``PAP2A:1`` → ``PAP2A:2``.

    Without a numbered sibling, ``<section-id>-N``.
    """
    taken = {loc.item.id for loc in walk_items(plan)} | {s.id for s, _, _ in walk_sections(plan.sections)}
    numbered = [m for it in section.items if (m := _TRAILING_NUMBER.match(it.id))]
    if numbered:
        last = numbered[-1]
        prefix, number, suffix = last.group(1), last.group(2), last.group(3)
        n = max(int(m.group(2)) for m in numbered if m.group(1) == prefix and m.group(3) == suffix)
        while True:
            n += 1
            candidate = f"{prefix}{str(n).zfill(len(number))}{suffix}"
            if candidate not in taken:
                return candidate
    n = len(section.items)
    while True:
        n += 1
        candidate = f"{section.id}-{n}"
        if candidate not in taken:
            return candidate


def add_item(
    text: str,
    file: str,
    section_id: str,
    title: str,
    *,
    kind: str = "action",
    due: str | None = None,
    lead: str | None = None,
    item_id: str | None = None,
    known: Known | None = None,
) -> tuple[str, str]:
    """The plan text with a new item at the end of section ``section_id``, and the item's id."""
    loaded = loaded_plan(text, file, known)
    plan = loaded.plan
    assert plan is not None  # loaded_plan refuses an invalid plan
    found = next(((s, p) for s, _, p in walk_sections(plan.sections) if s.id == section_id), None)
    if found is None:
        raise EditError(f"no section {section_id!r} in {file}")
    section, path = found
    if not title.strip():
        raise EditError("--title must not be empty")
    if lead is not None and not lead.strip():
        raise EditError("--lead must not be empty", "name who leads it, or leave --lead out")
    new_id = item_id or next_item_id(plan, section)
    due_text = _check_due(due) if due is not None else None

    def entry() -> CommentedMap:
        leads = None
        if lead:
            leads = flow_seq([lead.strip()])
        return block_map(
            [("id", new_id), ("kind", kind), ("title", title.strip()), ("due", due_text), ("leads", leads)]
        )

    def change(data: Any) -> None:
        target = follow(data, path)
        if "items" in target and isinstance(target["items"], CommentedSeq) and len(target["items"]):
            append(target["items"], entry())
        else:
            set_key(target, "items", CommentedSeq([entry()]), SECTION_ORDER)

    if section.items:  # after the last item, reading and writing only its lines
        new = edit_entry(
            text,
            loaded.document,
            (*path, "items"),
            len(section.items) - 1,
            lambda seq, _i: append(seq, entry()),
        )
    else:
        new = edit_text(text, change)
    check_valid(new, file)
    return new, new_id


# --------------------------------------------------------------------------- new


def new_plan_text(plan_id: str, title: str, *, schema_ref: str = "../schema/plan.schema.json") -> str:
    """A small valid plan to start from: schema header, a RAG scale and one example section.

    ``schema_ref`` is the schema's path from the file's folder (see :mod:`planctl.api.scaffold`).
    """
    quoted = title.replace("\\", "\\\\").replace('"', '\\"')
    header = f"# yaml-language-server: $schema={schema_ref}\n"
    text = f"""{header}# Say where this plan comes from: the source document, what was transcribed, and
# how ids are made.
schema_version: 1
id: {plan_id}
title: "{quoted}"
kind: action-plan
owners: []
scales:
  - id: rag
    name: RAG
    values:
      - {{key: red, label: Red, meaning: Delayed or at risk}}
      - {{key: amber, label: Amber, meaning: On track with risks}}
      - {{key: green, label: Green, meaning: Done, done: true}}
sections:
  - id: theme-1
    kind: theme
    number: "1"
    title: First theme
    items:
      - id: "1.1"
        kind: action
        title: Replace this example action with the plan's first action.
        due: March 2026
        leads: [TBC]
        easy_read: Say what we will do, in easy words.
"""
    check_valid(text, f"{plan_id}.yaml")
    return text

"""Record a recommendation's response: its decision, response text, proposed action and
timescale (a Cabinet response pro forma, or a board's answer), as ``planctl respond``.

The same round-trip editor as ``update`` (:mod:`planctl.edit.roundtrip`): only the ``response:``
lines change, comments stay, and the result is re-validated. The decision is a value of
the plan's decision scale (the response's own ``scale:``, else the scale with id
``decision``), matched by key or label in any case and written as the key, as ``update``
writes a rating; a decision not on it is refused with the allowed values.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ruamel.yaml.comments import CommentedMap

from planctl.core.models import Response, walk_items
from planctl.edit.operations import ITEM_ORDER, EditError, check_valid, loaded_plan
from planctl.edit.roundtrip import block_map, edit_text, follow, fresh_date, set_key

RESPONSE_ORDER = list(Response.model_fields)
DEFAULT_SCALE = "decision"


@dataclass(frozen=True, slots=True)
class ResponseRequest:
    """What ``planctl respond`` sets; None leaves a field as it is."""

    decision: str | None = None
    text: str | None = None
    action: str | None = None
    timescale: str | None = None
    by: str | None = None
    date: dt.date | None = None

    @property
    def empty(self) -> bool:
        return all(v is None for v in (self.decision, self.text, self.action, self.timescale, self.by))


def respond(text: str, file: str, item_id: str, req: ResponseRequest) -> str:
    """The plan text with item ``item_id``'s ``response:`` set as ``req`` says."""
    if req.empty:
        raise EditError("nothing to record", "give --decision, --response, --action, --timescale or --by")
    plan = loaded_plan(text, file).plan
    assert plan is not None  # loaded_plan refuses an invalid plan
    located = next((loc for loc in walk_items(plan) if loc.item.id == item_id), None)
    if located is None:
        raise EditError(f"no item {item_id!r} in {file}")
    existing = located.item.response
    values: dict[str, Any] = {}
    if req.decision is not None:
        scale_id = (existing.scale if existing is not None else None) or DEFAULT_SCALE
        scale = next((s for s in plan.scales if s.id == scale_id), None)
        if scale is None:
            raise EditError(
                f"{plan.id} has no decision scale {scale_id!r}, so a decision cannot be recorded",
                f"add a scale with id '{DEFAULT_SCALE}' (e.g. accepted, partially accepted, rejected) to the plan",
            )
        value = scale.find(req.decision)
        if value is None:
            allowed = ", ".join(f"{v.key} ({v.label})" if v.key != v.label else v.key for v in scale.values)
            raise EditError(
                f"{req.decision!r} is not on the {scale.name} scale of {plan.id}",
                f"allowed values: {allowed}",
            )
        values["decision"] = value.key
    for key, given, option in (
        ("text", req.text, "--response"),
        ("action", req.action, "--action"),
        ("timescale", req.timescale, "--timescale"),
        ("by", req.by, "--by"),
    ):
        if given is not None:
            if not given.strip():
                raise EditError(f"{option} must not be empty", f"give the {key}, or leave {option} out")
            values[key] = given.strip()
    if req.date is not None:
        values["date"] = fresh_date(req.date)

    def change(data: Any) -> None:
        item = follow(data, located.path)
        node = item.get("response")
        if not isinstance(node, CommentedMap):
            set_key(item, "response", block_map((k, values.get(k)) for k in RESPONSE_ORDER), ITEM_ORDER)
            return
        for key in RESPONSE_ORDER:
            if key in values:
                set_key(node, key, values[key], RESPONSE_ORDER)

    new = edit_text(text, change)
    check_valid(new, file)
    return new

"""The JSON Schema of a plan file, generated from the models so it never drifts.

It says what ``planctl validate`` accepts, value for value, as an editor sees the file
(YAML 1.2): every text field also takes a number written plainly (``number: 1``,
``due: 2026``), because planctl keeps such a number as the text written. What a schema
cannot express is listed once, in :data:`planctl.core.validate.BEYOND_SCHEMA`.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from planctl.core.models import Plan


class _PlanSchema(GenerateJsonSchema):
    """Text fields take numbers too: the models read ``title: 2026`` as the text "2026"."""

    def str_schema(self, schema: core_schema.StringSchema) -> JsonSchemaValue:
        out: dict[str, Any] = super().str_schema(schema)
        out["type"] = ["string", "number"]
        return out


def plan_schema() -> dict[str, object]:
    schema = Plan.model_json_schema(mode="validation", schema_generator=_PlanSchema)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "planctl plan", **schema}


def schema_json() -> str:
    return json.dumps(plan_schema(), indent=2, ensure_ascii=False) + "\n"

"""The JSON Schema of a plan file, generated from the models so it never drifts."""

from __future__ import annotations

import json

from planctl.models import Plan

SCHEMA_ID = "https://planctl.invalid/schema/plan.schema.json"


def plan_schema() -> dict[str, object]:
    schema = Plan.model_json_schema(mode="validation")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "planctl plan", **schema}


def schema_json() -> str:
    return json.dumps(plan_schema(), indent=2, ensure_ascii=False) + "\n"

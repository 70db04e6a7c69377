"""The JSON Schema of a plan file, generated from the models so it never drifts.

It says what ``planctl validate`` accepts, value for value, as an editor sees the file
(YAML 1.2): every text field also takes a number written plainly (``number: 1``,
``due: 2026``), because planctl keeps such a number as the text written. What a schema
cannot express is listed once, in :data:`planctl.core.validate.BEYOND_SCHEMA`.
"""

from __future__ import annotations

import itertools
import json
from typing import Any

from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from planctl.core.models import Plan

# Examples shown by editors on hover and offered on completion, by ``Model.field``; a
# test checks each one against its property's schema, so none can mislead.
FIELD_EXAMPLES: dict[str, list[object]] = {
    "Band.max": [49.9],
    "Band.min": [50],
    "Band.rating": ["green", "R"],
    "Benchmark.area": ["England", "South East"],
    "Benchmark.period": ["2022/23"],
    "Benchmark.text": ["19.0"],
    "Benchmark.value": [19],
    "Target.due": ["by August 2026"],
    "Target.text": ["51 schools", "300 additional places"],
    "Target.value": [51, 300],
    "Tolerance.scale": ["rag"],
    "Closure.date": ["2021-03-31"],
    "Closure.reason": ["Its period, 2018-2021, ended on 31 March 2021."],
    "Contact.about": ["Requests should be submitted to the Scrutiny Officer."],
    "Contact.easy_read": ["You can read what people told us and what we did on the council website."],
    "Contact.email": ["scrutiny@oxfordshire.gov.uk"],
    "Contact.name": ["Democratic Services"],
    "Contact.organisation": ["Oxfordshire County Council", "Leicester City Council"],
    "Contact.phone": ["01632 960000"],  # Ofcom keeps 01632 960xxx for examples
    "Contact.role": ["Scrutiny Officer"],
    "Contact.website": ["leicester.gov.uk"],
    "EasyReadVersion.based_on": [
        "Oxfordshire Learning Disability Plan 2025-2035, Dynamic Work Plans, Years 1 and 2"
    ],
    "EasyReadVersion.checked_by": ["A self-advocacy group"],
    "EasyReadVersion.checked_on": ["2026-03-12"],
    "EasyReadVersion.note": ["Not yet checked by people with a learning disability."],
    "EasyReadVersion.written_by": ["planctl maintainers"],
    "EvidenceEntry.code": ["E1", "JSNA"],
    "EvidenceEntry.text": ["Most people we asked want a paid job."],
    "EvidenceEntry.title": ["Joint Strategic Needs Assessment"],
    "GlossaryEntry.easy_read": ["Extra help some children need to learn"],
    "GlossaryEntry.meaning": ["Special educational needs and disabilities"],
    "GlossaryEntry.term": ["SEND", "EHCP"],
    "GovernanceBody.delivers": [["theme-1", "theme-2"]],
    "GovernanceBody.id": ["ld-board"],
    "GovernanceBody.members": [["Council", "NHS Integrated Care Board"]],
    "GovernanceBody.name": ["Learning Disability Partnership Board"],
    "GovernanceBody.reports_to": ["Health and Wellbeing Board"],
    "GovernanceBody.role": ["Oversees delivery"],
    "Item.due": ["March 2026", "Q4 2025/26"],
    "Item.easy_read": ["We will help young people find a job."],
    "Item.evidence": [["E1", "JSNA"]],
    "Item.id": ["1.1", "PAP2A:1"],
    "Item.impacts": [["Young people", "Carers"]],
    "Item.kind": ["action", "recommendation"],
    "Item.leads": [["Head of SEND"]],
    "Item.links": [["1.2", "send-plan:PAP2A:1"]],
    "Item.number": ["1.1", "R3"],
    "Item.partners": [["NHS", "Voluntary sector"]],
    "Item.picture": ["work"],
    "Item.recurrence": ["monthly", "every 6 to 8 weeks"],
    "Item.scale": ["rag"],
    "Item.status": ["green", "Amber"],
    "Item.status_date": ["2025-10-01"],
    "Item.tags": [["employment"]],
    "Item.text": ["Working with local employers and colleges."],
    "Item.title": ["Hold a jobs fair for young people."],
    "KPI.baseline": ["5.1%"],
    "KPI.id": ["kpi-1"],
    "KPI.name": ["People with a learning disability in paid work"],
    "KPI.polarity": ["higher-is-better"],
    "KPI.target": ["7% by 2026"],
    "KPI.unit": ["%", "people"],
    "Observation.area": ["RBKC"],
    "Observation.period": ["2024/25", "July 2024"],
    "Observation.text": ["24%"],
    "Observation.value": [24, 5.5],
    "Outcome.due": ["April 2026", "Q3 2025/26"],
    "Outcome.recurrence": ["monthly", "every 6 to 8 weeks"],
    "Outcome.text": ["More young people have a paid job by April 2026."],
    "Period.end": ["2026-03-31"],
    "Period.start": ["2024-04-01"],
    "Period.text": ["2024 to 2026"],
    "Plan.default_scale": ["rag"],
    "Plan.easy_read": ["Our plan for people with a learning disability."],
    "Plan.id": ["leicester-big-plan-2024-2026"],
    "Plan.kind": ["strategy", "action-plan"],
    "Plan.notes": [["Dates are as printed in the source."]],
    "Plan.owners": [["Leicester City Council"]],
    "Plan.partners": [["NHS Leicester, Leicestershire and Rutland"]],
    "Plan.ratings_as_of": ["2025-11-06"],
    "Plan.schema_version": [1],
    "Plan.summary": ["How we will support people with a learning disability."],
    "Plan.tags": [["easy-read"]],
    "Plan.title": ["Big Plan 2024 to 2026"],
    "Provenance.end_line": [124],
    "Provenance.file": ["Big-Plan-2024-2026.pdf"],
    "Provenance.line": [118],
    "Provenance.note": ["Date taken from the table heading."],
    "Provenance.page": ["12", "iv"],
    "Provenance.section": ["3.2", "Priority 1"],
    "Response.action": ["Publish the revised guidance."],
    "Response.by": ["Cabinet Member for Children"],
    "Response.date": ["2025-11-06"],
    "Response.decision": ["Accepted", "Partially accepted"],
    "Response.scale": ["decision"],
    "Response.text": ["The Cabinet agrees and will report back in March."],
    "Response.timescale": ["By March 2026"],
    "Scale.description": ["Progress against each action."],
    "Scale.id": ["rag", "brag"],
    "Scale.name": ["RAG", "BRAG status"],
    "ScaleValue.colour": ["green", "#d4351c"],
    "ScaleValue.done": [True],
    "ScaleValue.key": ["green", "B"],
    "ScaleValue.label": ["Green", "Complete"],
    "ScaleValue.meaning": ["On track", "Delayed or at risk"],
    "Section.date": ["2025-11-06"],
    "Section.easy_read": ["Having a job"],
    "Section.evidence": [["E1"]],
    "Section.id": ["theme-1", "priority-2"],
    "Section.impacts": [["Young people"]],
    "Section.intended_outcomes": [["More people in paid work"]],
    "Section.kind": ["theme", "meeting"],
    "Section.leads": [["Director of Adult Social Care"]],
    "Section.number": ["1", "2a"],
    "Section.partners": [["NHS"]],
    "Section.picture": ["work"],
    "Section.scale": ["rag"],
    "Section.success_measures": [["More people tell us they have a job they like"]],
    "Section.tags": [["employment"]],
    "Section.text": ["Why work matters to us."],
    "Section.title": ["Having a job"],
    "Source.date": ["March 2024", "2025-11-06"],
    "Source.file": ["Big-Plan-2024-2026.pdf"],
    "Source.note": ["Appendix A only."],
    "Source.publisher": ["Leicester City Council"],
    "Source.title": ["Big Plan 2024 to 2026"],
    "Source.url": ["https://www.example.gov.uk/big-plan.pdf"],
    "Update.by": ["Head of Commissioning"],
    "Update.date": ["2025-11-03"],
    "Update.note": ["First meeting held; terms of reference agreed."],
    "Update.status": ["amber"],
}


class _PlanSchema(GenerateJsonSchema):
    """Text fields take numbers too: the models read ``title: 2026`` as the text "2026"."""

    def str_schema(self, schema: core_schema.StringSchema) -> JsonSchemaValue:
        out: dict[str, Any] = super().str_schema(schema)
        out["type"] = ["string", "number"]
        return out


def field_docs() -> dict[str, str]:
    """The docstring written under each model field, by ``Model.field``: its description.

    Read from the models' source only when the schema is made, so that no other command
    pays for parsing it.
    """
    import ast
    import inspect

    from planctl.core import models

    docs: dict[str, str] = {}
    for node in ast.parse(inspect.getsource(models)).body:
        if not isinstance(node, ast.ClassDef):
            continue
        for field, after in itertools.pairwise(node.body):
            if (
                isinstance(field, ast.AnnAssign)
                and isinstance(field.target, ast.Name)
                and isinstance(after, ast.Expr)
                and isinstance(after.value, ast.Constant)
                and isinstance(after.value.value, str)
            ):
                docs[f"{node.name}.{field.target.id}"] = inspect.cleandoc(after.value.value)
    return docs


def plan_schema() -> dict[str, object]:
    schema = Plan.model_json_schema(mode="validation", schema_generator=_PlanSchema)
    docs = field_docs()
    for name, definition in [("Plan", schema), *schema.get("$defs", {}).items()]:
        for key, prop in definition.get("properties", {}).items():
            if "description" not in prop and f"{name}.{key}" in docs:
                prop["description"] = docs[f"{name}.{key}"]
            examples = FIELD_EXAMPLES.get(f"{name}.{key}")
            if examples is not None:
                prop["examples"] = examples
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "planctl plan", **schema}


def schema_json() -> str:
    return json.dumps(plan_schema(), indent=2, ensure_ascii=False) + "\n"

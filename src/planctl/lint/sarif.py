"""SARIF 2.1.0 for GitHub code scanning and other static-analysis viewers (pure)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from planctl import __version__
from planctl.diagnostics import Diagnostic, Severity
from planctl.lint.registry import RULES

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/planctl/planctl"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _rule_descriptors() -> list[dict[str, Any]]:
    rules: list[dict[str, Any]] = [
        {
            "id": "PL001",
            "name": "invalid",
            "shortDescription": {"text": "The file is not a valid plan (YAML or schema)."},
            "defaultConfiguration": {"level": "error"},
        }
    ]
    for r in RULES:
        rules.append(
            {
                "id": r.code,
                "name": r.name,
                "shortDescription": {"text": r.summary},
                "fullDescription": {"text": r.section("What it does")},
                "help": {"text": r.doc, "markdown": r.doc},
                "defaultConfiguration": {"level": _LEVEL[r.severity]},
            }
        )
    return rules


def to_sarif(diags: Sequence[Diagnostic]) -> dict[str, Any]:
    """One run; results point at rules by id and index, regions are 1-based."""
    rules = _rule_descriptors()
    index = {r["id"]: i for i, r in enumerate(rules)}
    results = []
    for d in diags:
        result: dict[str, Any] = {
            "ruleId": d.code,
            "level": _LEVEL[d.severity],
            "message": {"text": d.message + (f" ({d.hint})" if d.hint else "")},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": d.file.replace("\\", "/")},
                        "region": {"startLine": d.line, "startColumn": d.column},
                    }
                }
            ],
        }
        if d.code in index:
            result["ruleIndex"] = index[d.code]
        if d.item:
            result["properties"] = {"item": d.item, "rule": d.rule}
        results.append(result)
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "planctl",
                        "version": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": rules,
                    }
                },
                "results": results,
            }
        ],
    }

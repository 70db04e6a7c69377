"""SARIF 2.1.0 for GitHub code scanning and other static-analysis viewers (pure)."""

from __future__ import annotations

import hashlib
import posixpath
from collections.abc import Sequence
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

from planctl import __version__
from planctl.core.diagnostics import Diagnostic, Severity
from planctl.lint.registry import DOCUMENTED

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/planctl/planctl"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


SRCROOT = "%SRCROOT%"
"""The base every relative URI is relative to: the folder lint ran in (GitHub's checkout)."""


def _rule_descriptors() -> list[dict[str, Any]]:
    """Every rule with the three texts GitHub code scanning requires of each."""
    return [
        {
            "id": r.code,
            "name": r.name,
            "shortDescription": {"text": r.summary},
            "fullDescription": {"text": r.section("What it does")},
            "help": {"text": r.doc, "markdown": r.doc},
            "defaultConfiguration": {"level": _LEVEL[r.severity]},
        }
        for r in DOCUMENTED
    ]


def artifact_location(file: str, base: PurePosixPath) -> dict[str, str]:
    """A file as SARIF wants it: inside ``base`` a percent-encoded URI relative to
    %SRCROOT% (``plans/My%20Plan.yaml``); outside it an absolute ``file://`` URI, since
    a relative ``../x.yaml`` would point outside the repository GitHub resolves against."""
    path = PurePosixPath(posixpath.normpath(posixpath.join(base, file.replace("\\", "/"))))
    try:
        relative = path.relative_to(base)
    except ValueError:
        return {"uri": "file://" + quote(str(path), safe="/")}
    return {"uri": quote(str(relative), safe="/"), "uriBaseId": SRCROOT}


def _fingerprint(d: Diagnostic, uri: str, seen: dict[str, int]) -> str:
    """Stable across line moves (an edit above a finding does not make it a new alert):
    rule, file, item and message, plus a count for identical findings."""
    key = "\0".join((d.code, uri, d.item or "", d.message))
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    seen[digest] = seen.get(digest, 0) + 1
    return f"{digest}:{seen[digest]}"


def to_sarif(diags: Sequence[Diagnostic], base: PurePosixPath) -> dict[str, Any]:
    """One run; results point at rules by id and index, regions are 1-based, file
    names are relative to ``base`` (an absolute POSIX path: the folder lint ran in)."""
    rules = _rule_descriptors()
    index = {r["id"]: i for i, r in enumerate(rules)}
    results = []
    seen: dict[str, int] = {}
    for d in diags:
        location = artifact_location(d.file, base)
        result: dict[str, Any] = {
            "ruleId": d.code,
            "level": _LEVEL[d.severity],
            "message": {"text": d.message + (f" ({d.hint})" if d.hint else "")},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": location,
                        "region": {"startLine": d.line, "startColumn": d.column},
                    }
                }
            ],
            "partialFingerprints": {"planctlFinding/v1": _fingerprint(d, location["uri"], seen)},
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
                "originalUriBaseIds": {
                    SRCROOT: {"uri": "file://" + quote(str(base).rstrip("/") + "/", safe="/")}
                },
                "results": results,
            }
        ],
    }

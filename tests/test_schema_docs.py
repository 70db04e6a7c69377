"""Every property of ``planctl schema`` explains itself in an editor: a description (from
the models' field docstrings) on hover, and examples that are themselves valid values."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import jsonschema
from typer.testing import CliRunner

from planctl.cli import app


def schema() -> dict[str, Any]:
    result = CliRunner().invoke(app, ["schema"])
    assert result.exit_code == 0
    loaded: dict[str, Any] = json.loads(result.output)
    return loaded


def properties(node: Any, where: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every property anywhere in the schema (nested object schemas too), with its place."""
    if isinstance(node, dict):
        for key, prop in node.get("properties", {}).items():
            yield f"{where}.{key}", prop
        for key, value in node.items():
            yield from properties(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from properties(value, f"{where}[{i}]")


def test_every_property_has_a_description() -> None:
    found = list(properties(schema(), "plan"))
    assert len(found) >= 128
    missing = [where for where, prop in found if not prop.get("description")]
    assert missing == []


def test_every_scalar_property_has_examples_that_are_valid() -> None:
    full = schema()
    for where, prop in properties(full, "plan"):
        is_list_of_objects = prop.get("type") == "array" and "$ref" in prop.get("items", {})
        if "$ref" in prop or is_list_of_objects or ("anyOf" in prop and "$ref" in json.dumps(prop)):
            continue  # a record or list of records: its own properties carry examples
        if where.count("properties") or "/anyOf" in where:
            continue  # the lead object's name/role/organisation: shown under leads
        assert prop.get("examples"), where
        validator = jsonschema.Draft202012Validator({"$defs": full["$defs"], **prop})
        for example in prop["examples"]:
            assert not list(validator.iter_errors(example)), (where, example)

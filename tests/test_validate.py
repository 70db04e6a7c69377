"""Validation: every error path reports the exact line and column, and never a traceback."""

from __future__ import annotations

import textwrap

import pytest

from planctl.core.diagnostics import Diagnostic
from planctl.core.validate import load_bytes, load_text

HEADER = """\
id: p
title: A plan
scales:
  - id: rag
    name: RAG
    values:
      - {key: red, label: Red}
      - {key: green, label: Green, done: true}
sections:
  - id: s1
    title: Section one
    items:
"""


def problems(text: str) -> list[Diagnostic]:
    return load_text(textwrap.dedent(text), "plan.yaml").problems


def only(text: str) -> Diagnostic:
    found = problems(text)
    assert len(found) == 1, [d.message for d in found]
    return found[0]


def test_valid_plan_has_no_problems() -> None:
    result = load_text(HEADER + "      - {id: A1, title: Do it, status: Red}\n", "plan.yaml")
    assert result.problems == []
    assert result.plan is not None
    assert result.plan.sections[0].items[0].status == "Red"


def test_misspelt_key_is_located_with_a_suggestion() -> None:
    text = HEADER + "      - id: A1\n        titel: Do it\n"
    found = problems(text)
    unknown = next(d for d in found if "unknown key" in d.message)
    assert (unknown.line, unknown.column) == (14, 9)
    assert unknown.message == "unknown key 'titel'; did you mean 'title'?"
    assert unknown.yaml_path == "sections[0].items[0].titel"
    missing = next(d for d in found if "missing" in d.message)
    assert missing.message == "missing required key 'title'"
    assert (missing.line, missing.column) == (13, 9)


def test_misspelt_key_on_line_12() -> None:
    text = (
        "id: p\ntitle: t\nsections:\n"
        + "  - id: s\n    title: S\n" * 1
        + "    items:\n"
        + (
            "      - id: A1\n        title: x\n"
            "      - id: A2\n        title: y\n"
            "      - id: A3\n        ledas: [Sam]\n        title: z\n"
        )
    )
    d = next(d for d in problems(text) if "ledas" in d.message)
    assert d.line == 12
    assert "did you mean 'leads'" in d.message


def test_status_not_on_scale_lists_allowed_values() -> None:
    d = only(HEADER + "      - {id: A1, title: Do it, status: Purple}\n")
    assert (d.line, d.column) == (13, 40)
    assert d.message == "status 'Purple' is not on the RAG scale"
    assert d.hint == "use one of: Red, Green"


def test_duplicate_id_names_first_line() -> None:
    d = only(HEADER + "      - {id: A1, title: One}\n      - {id: A1, title: Two}\n")
    assert (d.line, d.column) == (14, 14)
    assert d.message == "duplicate id 'A1' (first on line 13)"


def test_duplicate_key() -> None:
    d = only("id: p\ntitle: t\ntitle: u\n")
    assert (d.line, d.column) == (3, 1)
    assert d.message == "duplicate key 'title' (first on line 2)"


def test_wrong_type_is_located_at_value() -> None:
    d = only(HEADER + "      - id: A1\n        title: Do it\n        leads: 3\n")
    assert (d.line, d.column) == (15, 16)
    assert "leads" in d.message


def test_bad_iso_date() -> None:
    d = only("id: p\ntitle: t\nratings_as_of: 2026-13-01\n")
    assert (d.line, d.column) == (3, 16)
    assert d.message.startswith("ratings_as_of:")


def test_yaml_syntax_error_is_located() -> None:
    d = only("id: p\ntitle: [unclosed\nsections: []\n")
    assert d.line == 3
    assert d.message.startswith("YAML syntax error")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "empty (or only comments)"),
        ("# just a comment\n", "empty (or only comments)"),
        ("- a\n- b\n", "this one is a list"),
        ("hello\n", "this one is a text"),
    ],
)
def test_root_must_be_a_mapping(text: str, expected: str) -> None:
    d = only(text)
    assert expected in d.message
    assert (d.line, d.column) == (1, 1)


def test_python_tag_is_refused_not_constructed() -> None:
    d = next(
        d for d in problems("id: p\ntitle: !!python/object/apply:os.system [echo hi]\n") if "tag" in d.message
    )
    assert d.message == "tag '!!python/object/apply:os.system' is not allowed in a plan"
    assert (d.line, d.column) == (2, 8)


def test_latin1_file_is_located() -> None:
    d = load_bytes("id: p\ntitle: Caf\xe9\n".encode("latin-1"), "plan.yaml").problems[0]
    assert (d.line, d.column) == (2, 11)
    assert "not UTF-8" in d.message


def test_utf8_bom_is_read() -> None:
    result = load_bytes(b"\xef\xbb\xbfid: p\ntitle: t\n", "plan.yaml")
    assert result.problems == []


def test_utf16_with_bom_is_read() -> None:
    result = load_bytes("id: p\ntitle: t\n".encode("utf-16"), "plan.yaml")
    assert result.problems == []


def test_refused_status_is_reported_once() -> None:
    found = sorted(d.message for d in problems(HEADER + "      - {id: A1, titel: x, status: [Purple]}\n"))
    assert found == [
        "missing required key 'title'",
        "status: Input should be a valid string (got a list)",
        "unknown key 'titel'; did you mean 'title'?",
    ]


def test_duplicate_id_beside_an_item_that_is_not_a_mapping() -> None:
    text = HEADER + "      - just text\n      - {id: A1, title: x}\n      - {id: A1, titel: y}\n"
    found = [(d.line, d.column, d.message) for d in problems(text)]
    assert (15, 14, "duplicate id 'A1' (first on line 14)") in found
    assert sum("duplicate" in m for *_, m in found) == 1


def test_status_on_a_refused_scale_is_not_judged() -> None:
    header = HEADER.replace(
        "values:\n      - {key: red, label: Red}\n      - {key: green, label: Green, done: true}\n",
        "values: 3\n",
    )
    found = [d.message for d in problems(header + "      - {id: A1, title: x, status: Purple}\n")]
    assert found == ["values: Input should be a valid list (got 3)"]

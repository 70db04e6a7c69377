"""`planctl validate` and the exported JSON Schema decide alike, and values mean what the file says.

The differential test reads each file as an editor does (YAML 1.2 core schema, through
ruamel.yaml's pure-Python parser, not planctl's libyaml reader), checks the result with a
real JSON Schema validator (``jsonschema``, the schema's draft, formats checked) and
asserts: planctl accepts => the schema accepts, and the schema accepts => planctl
accepts or refuses only for a check listed in ``planctl.core.validate.BEYOND_SCHEMA``.
The corpus: tests/data/bad/, the shipped plans, and Hypothesis edits of the shipped plans
that change a value's type (2026, 1.10, yes, "4.8", [2026], null, ...).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError
from ruamel.yaml.resolver import BaseResolver
from typer.testing import CliRunner

from planctl.cli import app
from planctl.core.validate import beyond_schema, load_bytes, load_text
from test_fuzz import TEXTS, mutated

ROOT = Path(__file__).resolve().parents[1]
BAD = sorted((ROOT / "tests" / "data" / "bad").glob("*.yaml"))
SCHEMA = json.loads((ROOT / "schema" / "plan.schema.json").read_text(encoding="utf-8"))
runner = CliRunner()


class _Core(BaseResolver):  # type: ignore[misc]
    """YAML 1.2.2 section 10.3.2, the core schema (what yaml-language-server reads), plus '<<'.

    Written here from the spec, independently of planctl's resolver. ruamel's own 1.2
    resolver is not the core schema: it reads 1_000 and 0b1 as numbers, 2026-04-01 as a date.
    Merge keys are planctl's documented extension, so they are resolved too.
    """

    processing_version = (1, 2)

    def __init__(self, version: Any = None, loader: Any = None) -> None:
        super().__init__(loadumper=loader)


_T = "tag:yaml.org,2002:"
for _tag, _regex, _first in (
    ("null", r"^(?:~|null|Null|NULL|)$", [*"~nN", ""]),
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", list("-+0123456789")),
    (
        "float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        list("-+.0123456789"),
    ),
    ("merge", r"^<<$", ["<"]),
):
    _Core.add_implicit_resolver(_T + _tag, re.compile(_regex), _first)

_EDITOR = YAML(typ="safe", pure=True)
_EDITOR.Resolver = _Core
_NOT_JSON = object()
_VALIDATOR_CLASS = jsonschema.validators.validator_for(SCHEMA)
_VALIDATOR = _VALIDATOR_CLASS(SCHEMA, format_checker=_VALIDATOR_CLASS.FORMAT_CHECKER)


def editor_view(text: str) -> Any:
    """The JSON instance an editor checks, or ``_NOT_JSON`` (not YAML, a duplicate key, a tag, ...)."""
    try:
        data = _EDITOR.load(text)
    except (YAMLError, ValueError, TypeError, RecursionError):
        return _NOT_JSON
    try:
        json.dumps(data, allow_nan=True)  # keys that are not text, dates: not JSON
    except (TypeError, ValueError, RecursionError):
        return _NOT_JSON
    return data


def check_agreement(text: str, name: str) -> str:
    """Assert the two agree on ``text``; return which way they decided."""
    instance = editor_view(text)
    result = load_text(text, name)
    if instance is _NOT_JSON:
        return "not json"
    errors = list(_VALIDATOR.iter_errors(instance))
    if result.ok:
        assert not errors, f"planctl accepts {name} but the schema refuses: {errors[0].message}\n{text}"
        return "both accept"
    if errors:
        return "both refuse"
    listed = {p.location for p in result.problems if beyond_schema(p.message) is not None}
    # A follow-on at the very place of a listed problem (a refused huge number, then its field) is its echo.
    unlisted = [p for p in result.problems if beyond_schema(p.message) is None and p.location not in listed]
    assert not unlisted, (
        f"the schema accepts {name} but planctl refuses it for a reason not in BEYOND_SCHEMA: "
        f"{unlisted[0].location}: {unlisted[0].message}\n{text}"
    )
    return "beyond schema"


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.name)
def test_bad_corpus_schema_and_validate_agree(path: Path) -> None:
    raw = path.read_bytes()
    if load_bytes(raw, path.name).document is None:
        return  # not YAML text at all (binary, Latin-1, a syntax error): no instance to compare
    check_agreement(raw.decode("utf-8-sig"), path.name)


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_shipped_plans_pass_both(name: str) -> None:
    assert check_agreement(TEXTS[name], name) == "both accept"


NEW_VALUES = [
    "2026", "1.10", "010", "017", "0o17", "0x1F", "1:30", "1_000", "1e3", "1.5e+3", "-1", "+1", ".5",
    ".inf", ".nan", "3.0", "0", "yes", "no", "on", "Off", "true", "false", "null", "~", "", '""', '"4.8"',
    '"2026"', '"yes"', "[2026]", "[yes, 1.10]", "[]", "{}", "{a: 1}", "2026-04-01", '"2026-04-01"',
    "2026-02-30", "20260401", "April 2026", "monthly", "every fortnight-ish", "A1", "A 1", "9" * 41,
]  # fmt: skip
_SCALAR_LINE = re.compile(r"^(\s*(?:- )?[A-Za-z_]+:)( .*)?$|^(\s*- )([^:#{}\[\]]*)$")


@st.composite
def retyped(draw: st.DrawFn) -> tuple[str, str]:
    """A shipped plan with one to three values replaced by a value of another type."""
    name = draw(st.sampled_from(sorted(TEXTS)))
    lines = TEXTS[name].split("\n")
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.sampled_from([i for i, line in enumerate(lines) if _SCALAR_LINE.match(line)]))
        m = _SCALAR_LINE.match(lines[i])
        assert m is not None
        head = m.group(1) or m.group(3)
        lines[i] = f"{head}{' ' if m.group(1) else ''}{draw(st.sampled_from(NEW_VALUES))}"
    return name, "\n".join(lines)


@given(retyped())
def test_retyped_plans_schema_and_validate_agree(case: tuple[str, str]) -> None:
    check_agreement(case[1], case[0])


@given(mutated())
def test_mutated_plans_schema_and_validate_agree(case: tuple[str, str]) -> None:
    check_agreement(case[1], case[0])


# --- a value means what the file says: one test per defect of the issue ---


def _plan(tmp_path: Path, **values: str) -> Path:
    """A small valid plan with some values replaced as written."""
    v = {
        "id1": "A1",
        "number": "1",
        "page": "12",
        "line": "3",
        "done": "true",
        "value": "4.8",
        "title": "Do it",
    }
    v.update(values)
    path = tmp_path / "p.yaml"
    path.write_text(
        f"""id: p
title: A plan
scales:
  - id: rag
    name: RAG
    values:
      - key: G
        label: Green
        done: {v["done"]}
kpis:
  - id: k
    name: K
    observations:
      - period: 2024/25
        value: {v["value"]}
sections:
  - id: s1
    title: One
    items:
      - id: {v["id1"]}
        number: {v["number"]}
        title: {v["title"]}
        provenance: {{file: x.pdf, page: {v["page"]}, line: {v["line"]}}}
      - id: "1.1"
        title: Other
""",
        encoding="utf-8",
    )
    return path


def _show(path: Path) -> dict[str, Any]:
    result = runner.invoke(app, ["show", "p:" + _first_id(path), str(path.parent), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    return data[0] if isinstance(data, list) else data


def _first_id(path: Path) -> str:
    return load_text(path.read_text(encoding="utf-8"), "p.yaml").plan.sections[0].items[0].id  # type: ignore[union-attr]


def _validate(path: Path) -> tuple[int, str]:
    result = runner.invoke(app, ["validate", str(path)])
    return result.exit_code, result.output


def test_id_1_10_stays_1_10_and_does_not_clash_with_1_1(tmp_path: Path) -> None:
    path = _plan(tmp_path, id1="1.10")
    code, output = _validate(path)
    assert code == 0, output
    assert _first_id(path) == "1.10"


@pytest.mark.parametrize(
    ("written", "kept"), [("010", "010"), ("017", "017"), ("0o17", "0o17"), ("1.50", "1.50")]
)
def test_number_keeps_the_text_as_written(tmp_path: Path, written: str, kept: str) -> None:
    path = _plan(tmp_path, number=written)
    assert _validate(path)[0] == 0
    plan = load_text(path.read_text(encoding="utf-8"), "p.yaml").plan
    assert plan is not None
    assert plan.sections[0].items[0].number == kept


def test_page_1_30_is_text_not_ninety(tmp_path: Path) -> None:
    path = _plan(tmp_path, page="1:30")
    assert _validate(path)[0] == 0
    plan = load_text(path.read_text(encoding="utf-8"), "p.yaml").plan
    assert plan is not None
    provenance = plan.sections[0].items[0].provenance
    assert provenance is not None
    assert provenance.page == "1:30"


@pytest.mark.parametrize("written", ["yes", "no", "on", "off"])
def test_done_yes_is_refused_with_a_hint(tmp_path: Path, written: str) -> None:
    code, output = _validate(_plan(tmp_path, done=written))
    assert code == 1
    assert "p.yaml:9:15:" in output
    assert "hint: write true or false" in output


@pytest.mark.parametrize(("written", "plain"), [("010", "10"), ("08", "8"), ("0o17", "15"), ("1e1", "10.0")])
def test_line_number_read_differently_by_yaml_1_1_is_refused(
    tmp_path: Path, written: str, plain: str
) -> None:
    code, output = _validate(_plan(tmp_path, line=written))
    assert code == 1, output
    assert f"line: {written} is {plain} in YAML 1.2" in output
    assert f"hint: write {plain}, or quote it if it is text" in output


@pytest.mark.parametrize("written", ["1_000", "1:30", '"3"', "yes"])
def test_line_number_written_as_text_is_refused(tmp_path: Path, written: str) -> None:
    code, output = _validate(_plan(tmp_path, line=written))
    assert code == 1, output
    assert "line: Input should be a valid integer" in output


def test_value_quoted_is_refused_as_the_schema_does(tmp_path: Path) -> None:
    code, output = _validate(_plan(tmp_path, value='"4.8"'))
    assert code == 1
    assert "value: Input should be a valid number" in output
    assert "hint: write the number without quotes" in output


def test_title_yes_is_the_text_yes(tmp_path: Path) -> None:
    path = _plan(tmp_path, title="yes")
    assert _validate(path)[0] == 0
    plan = load_text(path.read_text(encoding="utf-8"), "p.yaml").plan
    assert plan is not None
    assert plan.sections[0].items[0].title == "yes"


@pytest.mark.parametrize(
    "edit", [("title", "2026"), ("number", "1"), ("title", "[2026]"), ("value", '"4.8"')]
)
def test_schema_decides_as_validate_on_the_named_cases(tmp_path: Path, edit: tuple[str, str]) -> None:
    text = _plan(tmp_path, **{edit[0]: edit[1]}).read_text(encoding="utf-8")
    check_agreement(text, "p.yaml")


def test_due_2026_and_tags_2026_pass_the_schema(tmp_path: Path) -> None:
    text = (
        _plan(tmp_path)
        .read_text(encoding="utf-8")
        .replace("        title: Other\n", "        title: Other\n        due: 2026\n        tags: [2026]\n")
    )
    assert check_agreement(text, "p.yaml") == "both accept"


_AS_WRITTEN = """id: p
title: A plan
sections:
  - id: s1
    number: 010
    title: yes
    items:
      - id: 1.10
        number: 1_000
        title: Do
        due: 2026
        tags: [2026, 0o17, 1e3, 1.50, .5, 0x1F]
        provenance: {file: x, page: 1:30, line: 3}
      - id: "1.1"
        title: Other
"""


def test_fmt_and_update_write_values_back_as_written(tmp_path: Path) -> None:
    """Writing (ruamel's round trip, YAML 1.2) agrees with reading: nothing is rewritten."""
    path = tmp_path / "p.yaml"
    path.write_text(_AS_WRITTEN, encoding="utf-8")
    result = runner.invoke(app, ["fmt", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert path.read_text(encoding="utf-8") == _AS_WRITTEN
    result = runner.invoke(app, ["update", "p:1.10", str(tmp_path), "-m", "Started", "--date", "2026-11-24"])
    assert result.exit_code == 0, result.output
    after = path.read_text(encoding="utf-8")
    assert "- id: 1.10\n" in after
    assert "number: 010\n" in after
    assert "[2026, 0o17, 1e3, 1.50, .5, 0x1F]" in after
    assert "page: 1:30" in after
    plan = load_text(after, "p.yaml").plan
    assert plan is not None
    item = plan.sections[0].items[0]
    assert (item.id, item.number, item.tags) == (
        "1.10",
        "1_000",
        ["2026", "0o17", "1e3", "1.50", ".5", "0x1F"],
    )
    assert item.updates[0].note == "Started"


def test_fmt_refuses_rather_than_drop_a_plus_sign(tmp_path: Path) -> None:
    """ruamel's round trip writes '+1' back as '1'; fmt notices the text changed and leaves the file."""
    path = tmp_path / "p.yaml"
    text = _AS_WRITTEN.replace("0x1F]", "0x1F, +1]")
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["fmt", str(tmp_path)])
    assert result.exit_code != 0
    assert "formatting would change the plan's meaning" in result.output
    assert path.read_text(encoding="utf-8") == text

"""planctl fmt: one canonical layout, comments kept, meaning unchanged, idempotent."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from planctl.cli import app
from planctl.core.validate import load_text
from planctl.edit.fmt import FormatError, format_text

ROOT = Path(__file__).resolve().parents[1]
PLANS = [*sorted((ROOT / "plans").glob("*.yaml")), ROOT / "examples" / "example-plan.yaml"]
runner = CliRunner()

MESSY = """\
# yaml-language-server: $schema=../schema/plan.schema.json
# Header comment.
title: Messy plan
id: messy
ratings_as_of: "2025-10-01"
scales:
-   id: rag
    name: RAG
    values:
    -   {key: red, label: Red}
    -   {key: green, label: Green, done: true}
sections:
-   title: Theme one   # the theme
    id: t1
    items:
    -   title: Do a thing
        # who leads it
        leads: [Bob]
        id: T1.1
        status_date: '2025-09-01'
        status: red  # set by board
        # next item follows
    -   id: T1.2
        title: Another
"""

TIDY = """\
# yaml-language-server: $schema=../schema/plan.schema.json
# Header comment.
id: messy
title: Messy plan
ratings_as_of: 2025-10-01
scales:
  - id: rag
    name: RAG
    values:
      - {key: red, label: Red}
      - {key: green, label: Green, done: true}
sections:
  - id: t1
    title: Theme one   # the theme
    items:
      - id: T1.1
        title: Do a thing
        # who leads it
        leads: [Bob]
        status: red  # set by board
        status_date: 2025-09-01
        # next item follows
      - id: T1.2
        title: Another
"""


def test_format_orders_keys_indents_and_dates_keeping_comments() -> None:
    assert format_text(MESSY) == TIDY


def test_format_is_idempotent_on_the_tidy_form() -> None:
    assert format_text(TIDY) == TIDY


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.name)
def test_format_keeps_meaning_and_every_comment_and_is_idempotent(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    out = format_text(text, path.name)
    assert format_text(out, path.name) == out
    before, after = load_text(text, "a").plan, load_text(out, "b").plan
    assert before is not None
    assert after is not None
    assert after.model_dump() == before.model_dump()
    comments = [line.strip() for line in text.splitlines() if line.lstrip().startswith("#")]
    assert comments == [line.strip() for line in out.splitlines() if line.lstrip().startswith("#")]


def test_invalid_plan_is_not_formatted() -> None:
    with pytest.raises(FormatError, match="missing required key 'title'"):
        format_text("id: x\nsections: []\n")


def test_check_shows_diff_and_exits_1_then_fmt_fixes(tmp_path: Path) -> None:
    plan = tmp_path / "messy.yaml"
    plan.write_text(MESSY)
    result = runner.invoke(app, ["fmt", "--check", str(plan)])
    assert result.exit_code == 1
    assert "+id: messy" in result.output
    assert "1 would be reformatted" in result.output
    assert plan.read_text() == MESSY
    result = runner.invoke(app, ["fmt", str(plan)])
    assert result.exit_code == 0
    assert plan.read_text() == TIDY
    result = runner.invoke(app, ["fmt", "--check", str(plan)])
    assert result.exit_code == 0
    assert "0 would be reformatted" in result.output


def test_fmt_reports_invalid_file_and_exits_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\nsections: []\n")
    result = runner.invoke(app, ["fmt", str(bad)])
    assert result.exit_code == 1
    assert "not formatted" in result.output
    assert bad.read_text() == "id: x\nsections: []\n"

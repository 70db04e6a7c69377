"""``planctl respond``: a recommendation's decision, response, action and timescale."""

from __future__ import annotations

import datetime as dt
import difflib
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planctl.cli import app
from planctl.core.models import Plan, walk_items
from planctl.core.validate import load_text

ROOT = Path(__file__).resolve().parents[1]
SCRUTINY = ROOT / "plans" / "oxfordshire-people-scrutiny-2025-26.yaml"
SEND = ROOT / "plans" / "oxfordshire-send-pap-2024.yaml"
runner = CliRunner()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def item(path: Path, item_id: str) -> object:
    plan: Plan | None = load_text(path.read_text(encoding="utf-8"), path.name).plan
    assert plan is not None
    return next(loc.item for loc in walk_items(plan) if loc.item.id == item_id)


@pytest.fixture
def scrutiny(tmp_path: Path) -> Path:
    target = tmp_path / SCRUTINY.name
    shutil.copy(SCRUTINY, target)
    return target


def test_a_first_response_is_recorded_on_the_decision_scale(scrutiny: Path) -> None:
    old = scrutiny.read_text(encoding="utf-8")
    code, out = run(
        "respond", "rut-2025-07-15.1", "--decision", "Partially Accepted", "--response", "Most staff have done it",
        "--action", "Make the course part of induction", "--timescale", "April 2026", "--by", "Cabinet",
        "--date", "2025-11-18", str(scrutiny),
    )  # fmt: skip
    assert code == 0, out
    assert "recorded the response to rut-2025-07-15.1" in out
    response = item(scrutiny, "rut-2025-07-15.1").response  # type: ignore[attr-defined]
    assert (response.decision, response.text, response.action, response.timescale, response.by, response.date) == (
        "partially-accepted", "Most staff have done it", "Make the course part of induction", "April 2026",
        "Cabinet", dt.date(2025, 11, 18),
    )  # fmt: skip
    new = scrutiny.read_text(encoding="utf-8")
    changed = [
        line for line in difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]  # fmt: skip
    assert changed == [
        "+            response:",
        "+              decision: partially-accepted",
        "+              text: Most staff have done it",
        "+              action: Make the course part of induction",
        "+              timescale: April 2026",
        "+              by: Cabinet",
        "+              date: 2025-11-18",
    ]


def test_a_changed_decision_rewrites_only_its_lines_and_keeps_the_comments(scrutiny: Path) -> None:
    old = scrutiny.read_text(encoding="utf-8")
    code, out = run(
        "respond", "rt-2025-06-26.1", "--decision", "rejected", "--timescale", "n/a", str(scrutiny)
    )
    assert code == 0, out
    new = scrutiny.read_text(encoding="utf-8")
    response = item(scrutiny, "rt-2025-06-26.1").response  # type: ignore[attr-defined]
    assert response.decision == "rejected"
    assert response.action.startswith("This option has been fully explored.")  # kept
    assert [c for c in old.splitlines() if c.strip().startswith("#")] == [
        c for c in new.splitlines() if c.strip().startswith("#")
    ]
    assert len(new.splitlines()) == len(old.splitlines()) + 1  # the timescale line


def test_a_decision_not_on_the_scale_is_refused_with_the_allowed_values(scrutiny: Path) -> None:
    old = scrutiny.read_bytes()
    code, out = run("respond", "rt-2025-06-26.1", "--decision", "maybe", str(scrutiny))
    assert code == 1
    assert "'maybe' is not on the Cabinet response decision scale" in out
    assert (
        "allowed values: accepted (Accepted), partially-accepted (Partially accepted), rejected (Rejected)"
        in out
    )
    assert scrutiny.read_bytes() == old


def test_a_plan_without_a_decision_scale_is_told_how_to_add_one(tmp_path: Path) -> None:
    target = tmp_path / SEND.name
    shutil.copy(SEND, target)
    code, out = run("respond", "PAP1:1", "--decision", "accepted", str(target))
    assert code == 1
    assert "has no decision scale 'decision'" in out
    assert target.read_bytes() == SEND.read_bytes()


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        ([], 2, "nothing to record"),
        (["--response", " "], 1, "--response must not be empty"),
        (["--decision", "accepted", "--date", "someday"], 2, "--date: cannot read"),
    ],
)
def test_bad_options(scrutiny: Path, args: list[str], code: int, message: str) -> None:
    old = scrutiny.read_bytes()
    got, out = run("respond", "rt-2025-06-26.1", *args, str(scrutiny))
    assert got == code
    assert message in out
    assert scrutiny.read_bytes() == old

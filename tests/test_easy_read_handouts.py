"""Easy-read handouts of the five shipped plans, as a self-advocacy group would check them."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from planctl.cli import app
from planctl.models import Plan

ROOT = Path(__file__).resolve().parents[1]
AS_OF = "2026-11-24"
PLAN_IDS = [
    "leicester-big-plan-2024-2026",
    "oxfordshire-ld-plan-2025-2035",
    "oxfordshire-people-scrutiny-2025-26",
    "oxfordshire-send-pap-2024",
    "westminster-rbkc-big-plan-2018-2021",
]
runner = CliRunner()


def render(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["render", *args])
    return result.exit_code, result.stdout, result.stderr


def plan_file(plan_id: str) -> str:
    return str(ROOT / "plans" / f"{plan_id}.yaml")


@pytest.mark.parametrize("plan_id", PLAN_IDS)
def test_handout_says_who_wrote_the_easy_read_and_that_nobody_checked_it(
    plan_id: str, shipped: dict[str, Plan]
) -> None:
    version = shipped[plan_id].easy_read_version
    assert version is not None
    assert version.written_by.strip()
    assert version.based_on.strip()
    assert version.checked_by is None  # no self-advocacy group has checked them yet
    assert version.checked_on is None
    for template in ("easy-read.html", "easy-read.md"):
        code, out, err = render(plan_file(plan_id), "-t", template, "--as-of", AS_OF)
        assert code == 0, err
        assert f"{version.written_by} wrote the easy read words." in out
        assert "No group of people with a learning disability has checked them yet." in out


def test_a_check_by_a_group_is_shown_when_given(tmp_path: Path) -> None:
    plan = tmp_path / "p.yaml"
    plan.write_text(
        "id: p\ntitle: P\neasy_read_version:\n  written_by: The plan team\n  based_on: Our plan\n"
        "  checked_by: My Life My Choice\n  checked_on: 2026-10-01\n"
        "sections:\n  - id: s\n    title: Homes\n    easy_read: Homes.\n    items:\n"
        "      - {id: A1, title: Build homes., easy_read: We will build homes., due: May 2026}\n",
        encoding="utf-8",
    )
    code, out, err = render(str(plan), "-t", "easy-read.html", "--as-of", AS_OF)
    assert code == 0, err
    assert "My Life My Choice checked them on 1 October 2026." in out
    assert "has checked them yet" not in out

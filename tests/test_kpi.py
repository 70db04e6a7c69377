"""KPIs (issue 18): the model, the shipped figures, the commands, lint, charts and diff.

Every test goes through the commands a user runs, on the shipped plans or on scratch
copies, and checks what a reader would see.
"""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from planctl.cli import app

ROOT = Path(__file__).resolve().parents[1]
PLANS = ROOT / "plans"
SCRUTINY = "oxfordshire-people-scrutiny-2025-26"

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


MEASURE = """\
id: kpi-plan
title: A plan with measures
scales:
  - id: rag
    name: RAG
    values:
      - {key: green, label: Green}
      - {key: amber, label: Amber}
      - {key: red, label: Red}
kpis:
  - id: K1
    name: EHCPs completed within 20 weeks
    unit: percent
    target: {value: 60, text: 60%, due: by March 2026}
    tolerance:
      bands:
        - {rating: green, min: 60}
        - {rating: amber, min: 50}
        - {rating: red}
    observations:
      - {period: July 24, value: 40.0, text: 40%}
      - {period: Q1 2025/26, value: 55.5, text: 55.5%}
"""


def write_plan(tmp_path: Path, text: str = MEASURE) -> Path:
    path = tmp_path / "plans" / "kpi-plan.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --- 1. the model ---


def test_periods_as_reports_print_them_are_valid(tmp_path: Path) -> None:
    text = MEASURE + "".join(
        f"      - {{period: '{p}', value: 1}}\n"
        for p in ("2023/24", "13/14", "22-23", "Apr 22- Mar 23", "31 July 24")
    )
    code, _, err = run("validate", str(write_plan(tmp_path, text)))
    assert code == 0, err


def test_a_period_planctl_cannot_read_is_refused_where_it_is(tmp_path: Path) -> None:
    path = write_plan(tmp_path, MEASURE.replace("period: July 24", "period: ongoing"))
    code, out, err = run("validate", str(path))
    assert code == 1
    assert "kpi-plan.yaml:21:18:" in out + err
    assert "cannot read 'ongoing' as a period" in out + err
    assert "Traceback" not in out + err


def test_a_tolerance_rating_must_be_on_the_scale(tmp_path: Path) -> None:
    path = write_plan(tmp_path, MEASURE.replace("{rating: amber, min: 50}", "{rating: purple, min: 50}"))
    code, out, err = run("validate", str(path))
    assert code == 1
    assert "tolerance rating 'purple' is not on the RAG scale" in out + err
    assert "kpi-plan.yaml:18:20:" in out + err

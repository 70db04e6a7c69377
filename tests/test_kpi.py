"""KPIs (issue 18): the model, the shipped figures, the commands, lint, charts and diff.

Every test goes through the commands a user runs, on the shipped plans or on scratch
copies, and checks what a reader would see.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from typer.testing import CliRunner

from planctl.cli import app
from planctl.models import Observation, Plan, Provenance, kpi_entries

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


# --- 2. the shipped figures ---


def _lines(seeds: Path, file: str, first: int, last: int | None) -> str:
    """The lines, joined, with runs of spaces as one (the extraction splits table cells)."""
    lines = (seeds / file).read_text(encoding="utf-8").splitlines()
    return " ".join(" ".join(lines[first - 1 : (last or first)]).split())


def _figures(plans: dict[str, Plan]) -> list[tuple[str, str, Observation, Provenance]]:
    """Every observation and benchmark of the shipped plans with the provenance that places it."""
    found = []
    for plan in plans.values():
        for kpi, _, _ in kpi_entries(plan):
            for obs in [*kpi.observations, *kpi.benchmarks]:
                prov = obs.provenance or kpi.provenance
                assert prov is not None, (plan.id, kpi.id)
                assert prov.line, (plan.id, kpi.id)
                found.append((plan.id, kpi.id or kpi.name, obs, prov))
    return found


def test_every_figure_is_printed_where_its_provenance_says(shipped: dict[str, Plan], seeds: Path) -> None:
    figures = _figures(shipped)
    assert len(figures) > 150
    for plan_id, kpi_id, obs, prov in figures:
        assert obs.text, (plan_id, kpi_id, obs.period)
        assert obs.text in _lines(seeds, prov.file, prov.line or 0, prov.end_line), (
            plan_id,
            kpi_id,
            obs.text,
        )


def test_the_scrutiny_papers_kpi_tables_are_all_there(shipped: dict[str, Plan]) -> None:
    """Counted by hand in the seed: 8 panel measures, 21 ASCOF rows (20 with a 2023/24
    figure), 3 Transition into Adulthood KPIs, 9 quality statements and the overall rating."""
    kpis = {k.id: k for k, _, _ in kpi_entries(shipped[SCRUTINY])}
    assert sum(1 for i in kpis if i and i.startswith("sa-")) == 8
    ascof = [k for i, k in kpis.items() if i and i.startswith("ascof-")]
    assert len(ascof) == 21
    assert sum(1 for k in ascof if any(o.period == "2023/24" for o in k.observations)) == 20
    assert all(b.area == "England" and b.period == "2022/23" for k in ascof for b in k.benchmarks)
    assert sum(1 for i in kpis if i and i.startswith("tia-")) == 3
    cqc = [k for i, k in kpis.items() if i and i.startswith("cqc-") and i != "cqc-overall"]
    assert Counter(k.observations[0].text for k in cqc) == {"Good": 5, "Requires Improvement": 4}


def test_a_polarity_only_where_the_source_states_one(shipped: dict[str, Plan]) -> None:
    for plan in shipped.values():
        for kpi, _, _ in kpi_entries(plan):
            if kpi.polarity is not None:
                assert kpi.polarity_source is not None, (plan.id, kpi.id)
                assert kpi.polarity_source.line, (plan.id, kpi.id)
    westminster = [k for k, _, _ in kpi_entries(shipped["westminster-rbkc-big-plan-2018-2021"])]
    assert len(westminster) == 19
    assert [k.id for k in westminster if k.polarity] == ["A1-O5-1"]

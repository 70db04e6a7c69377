"""KPIs (issue 18): the model, the shipped figures, the commands, lint, charts and diff.

Every test goes through the commands a user runs, on the shipped plans or on scratch
copies, and checks what a reader would see.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from planctl.cli import app
from planctl.core.models import Observation, Plan, Provenance, kpi_entries

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


# --- 3. the commands ---

AS_OF = "2025-11-06"  # the day of the committee meeting the papers are for


def kpis_json(*args: str) -> list[dict[str, Any]]:
    code, out, err = run("kpis", *args, "--as-of", AS_OF, "--format", "json")
    assert code == 0, err
    return json.loads(out)


def test_kpis_show_the_ascof_measures_exactly_as_printed(in_repo: Path, seeds: Path) -> None:
    found = {r["id"]: r for r in kpis_json("--plan", SCRUTINY)}
    ascof = {i: r for i, r in found.items() if i.startswith("ascof-")}
    assert len(ascof) == 21
    seed = (seeds / "001_1e47c8ac389b41b7.txt").read_text(encoding="utf-8").splitlines()
    for row in ascof.values():
        line = " ".join(
            seed[row["latest"]["source"] and int(row["latest"]["source"].split("line ")[1]) - 1].split()
        )
        assert f" {row['latest']['text']} " in f" {line} ", row["id"]
    one_d = found["ascof-1D"]
    assert (one_d["latest"]["text"], one_d["latest"]["period"]) == ("68.5", "2023/24")
    assert (one_d["previous"]["text"], one_d["trend"], one_d["better_because"]) == (
        "64.7",
        "better",
        "stated",
    )
    assert found["ascof-2B-65"]["trend"] == "better"  # 357.7 -> 337.8, and fewer admissions is better
    assert found["ascof-1C"]["trend"] == "down"  # the papers do not say which way is better
    assert found["ascof-6A"]["latest"]["text"] == "38.9"  # no 2023/24 figure
    code, out, _ = run("kpis", "--plan", SCRUTINY, "--as-of", AS_OF)
    assert code == 0
    assert "68.5 (2023/24)" in out
    assert "592 (July 24)" in out  # the panel's figure, period and all, as printed
    assert "1448 (July 23)" in out


def test_kpis_off_target_answers_which_measures_are_getting_worse(in_repo: Path) -> None:
    rows = kpis_json("--off-target")
    assert {(r["id"], r["area"]) for r in rows} == {
        ("ascof-3D", None),  # 28.6 -> 28.2, and 'high use of direct payments' is the aim
        ("A1-O5-1", "RBKC"),  # 76.0% -> 59.6%: "More people will have an annual health check"
        ("A1-O5-1", "WCC"),
    }
    assert all(r["trend"] == "worse" for r in rows)
    code, out, _ = run("kpis", "--off-target", "--as-of", AS_OF, "--fail-if-any")
    assert code == 1
    assert "3 measures off target" in out


def test_kpis_filters_and_formats(in_repo: Path) -> None:
    wcc = kpis_json("--plan", "westminster-rbkc-big-plan-2018-2021", "--area", "wcc")
    assert len(wcc) == 19
    assert {r["area"] for r in wcc} == {"WCC"}
    send = kpis_json("--section", "PAP4D")
    assert [r["id"] for r in send] == [
        "send-relational-schools",
        "send-sendco-helpdesk",
        "send-hv-1-year-review",
        "send-hv-2-year-review",
    ]
    assert send[0]["target"]["due"]["end"] == "2026-08-31"
    assert send[0]["target_state"] == "no data"
    code, out, _ = run("kpis", "--section", "PAP4D", "--as-of", AS_OF, "--format", "csv")
    assert code == 0
    header, first = out.splitlines()[:2]
    assert header.startswith("plan,id,name,section,item,area,unit,polarity,latest_period")
    assert "51 schools" in first
    code, out, _ = run("kpis", "--section", "PAP4D", "--as-of", AS_OF, "--format", "markdown")
    assert code == 0
    assert "| send-sendco-helpdesk |" in out
    assert "| 232 enquires (March 2024) |" in out
    for bad, message in (
        (["--plan", "nope"], "--plan: no plan 'nope'"),
        (["--area", "Narnia"], "--area: no figures for area 'Narnia'"),
        (["--section", "nowhere"], "--section: no section"),
    ):
        code, _, err = run("kpis", *bad)
        assert code == 2
        assert message in err


def test_kpi_shows_the_series_with_a_sparkline(in_repo: Path) -> None:
    code, out, _ = run("kpi", "A1-O5-1", "--as-of", AS_OF)
    assert code == 0
    assert "better: higher (002_6f34026a3b50bfda.txt, section Appendix one, line 644)" in out
    assert "RBKC  █▁  worse (-16.4)" in out
    assert "WCC  █▁  worse (-28)" in out
    assert "76.0%" in out
    assert "59.6%" in out
    code, out, _ = run("kpi", "A1-O5-1", "--as-of", AS_OF, "--format", "csv")
    assert (
        out.splitlines()[1]
        == 'westminster-rbkc-big-plan-2018-2021,A1-O5-1,RBKC,13/14,2013-04-01,2014-03-31,76,76.0%,"002_6f34026a3b50bfda.txt, section Appendix one, line 644"'
    )
    code, _, err = run("kpi", "A1-O5-9")
    assert code == 2
    assert "no measure 'A1-O5-9'" in err
    assert "did you mean" in err


def test_a_figure_for_a_period_not_begun_on_the_day_is_left_out(in_repo: Path) -> None:
    row = next(r for r in kpis_json("--plan", SCRUTINY) if r["id"] == "tia-1")
    assert row["latest"]["text"] == "96%"
    _code, out, _ = run("kpis", "--plan", SCRUTINY, "--as-of", "2025-10-31", "--format", "json")
    row = next(r for r in json.loads(out) if r["id"] == "tia-1")
    assert row["latest"]["text"] == "58%"  # "now" is November 2025


def test_update_kpi_records_a_quarter_with_the_safe_writer(project: Path) -> None:
    path = project / "plans" / f"{SCRUTINY}.yaml"
    before = path.read_text(encoding="utf-8")
    code, out, err = run(
        "update", "--kpi", "tia-1", "--period", "Q3 2025/26", "--value", "97", "--figure", "97%"
    )
    assert code == 0, err
    assert "recorded tia-1 Q3 2025/26" in out
    after = path.read_text(encoding="utf-8")
    added = [line for line in after.splitlines() if line not in before.splitlines()]
    assert added == ["      - period: Q3 2025/26", "        value: 97", "        text: 97%"]
    assert after.count("#") == before.count("#")  # every comment kept
    code, out, _ = run("kpis", "--plan", SCRUTINY, "--as-of", "2026-01-15", "--format", "json")
    row = next(r for r in json.loads(out) if r["id"] == "tia-1")
    assert (row["latest"]["text"], row["previous"]["text"], row["trend"]) == ("97%", "96%", "better")
    # The same period again replaces the figure, and says so.
    code, _, err = run("update", "--kpi", "tia-1", "--period", "Q3 2025/26", "--value", "98")
    assert code == 0
    assert "the figure for Q3 2025/26 was 97%; it is now 98" in err


def test_update_kpi_in_a_flow_style_table_keeps_its_style(project: Path) -> None:
    path = project / "plans" / "westminster-rbkc-big-plan-2018-2021.yaml"
    before = path.read_text(encoding="utf-8").splitlines()
    code, _, err = run("update", "--kpi", "A1-O4-6", "--period", "18/19", "--area", "WCC", "--value", "7")
    assert code == 0, err
    added = [line for line in path.read_text(encoding="utf-8").splitlines() if line not in before]
    assert added == ["              - {period: 18/19, area: WCC, value: 7, text: '7'}"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--kpi", "tia-1", "--period", "sometime", "--value", "1"],
            "--period: cannot read 'sometime' as a period",
        ),
        (["--kpi", "tia-1", "--value", "1"], "--kpi needs --period and --value"),
        (["--kpi", "nope", "--period", "2025/26", "--value", "1"], "no measure 'nope'"),
        (["--period", "2025/26", "--value", "1"], "give --kpi ID too"),
        (["--kpi", "tia-1", "--period", "2025/26", "--value", "nan"], "is not a figure"),
    ],
)
def test_update_kpi_refuses_bad_input_and_writes_nothing(
    project: Path, args: list[str], message: str
) -> None:
    path = project / "plans" / f"{SCRUTINY}.yaml"
    before = path.read_bytes()
    code, out, err = run("update", *args)
    assert code == 2
    assert message in err
    assert "Traceback" not in out + err
    assert path.read_bytes() == before


def test_tolerance_bands_rate_on_the_plans_scale_and_targets_have_a_state(tmp_path: Path) -> None:
    path = write_plan(tmp_path)
    code, out, err = run("kpis", str(path), "--as-of", "2025-07-01", "--format", "json")
    assert code == 0, err
    (row,) = json.loads(out)
    # 40% -> 55.5%: the target of 60% (higher than the first figure: higher is better) is not
    # met, but the measure improves before its date; 55.5 falls in the amber band.
    assert (row["better"], row["better_because"]) == ("higher", "target")
    assert (row["trend"], row["target_state"], row["rating"]) == ("better", "on track", "Amber")
    assert row["off_target"] is True  # rated outside the best band
    code, out, _ = run("kpis", str(path), "--as-of", "2026-04-01", "--format", "json")
    assert json.loads(out)[0]["target_state"] == "missed"  # "by March 2026" has passed
    run("update", str(path), "--kpi", "K1", "--period", "Q4 2025/26", "--value", "61", "--figure", "61%")
    code, out, _ = run("kpis", str(path), "--as-of", "2026-04-01", "--format", "json")
    (row,) = json.loads(out)
    assert (row["target_state"], row["rating"], row["off_target"]) == ("met", "Green", False)
    code, out, _ = run("kpis", str(path), "--as-of", "2026-04-01", "--format", "markdown")
    assert "| 61% (Q4 2025/26) | 55.5% (Q1 2025/26) | +5.5 better | 60% (by March 2026) | Green, met |" in out


# --- 4. lint ---


def test_lint_finds_the_kpi_gaps_of_the_shipped_plans(project: Path) -> None:
    rules = "kpi-without-target,kpi-target-missed,kpi-stale,kpi-figure-mismatch"
    _, out, _ = run("lint", "--select", rules, "--as-of", AS_OF, "--format", "json")
    found = Counter((d["rule"], Path(d["file"]).name.split("-")[0]) for d in json.loads(out))
    # Every Westminster and ASCOF measure lacks a target; no shipped figure disagrees with its value.
    assert found[("kpi-without-target", "westminster")] == 19
    assert not any(rule == "kpi-figure-mismatch" for rule, _ in found)
    # ASCOF 2023/24 figures, and the 2024/25 year ended on 31 March 2025 with none.
    assert found[("kpi-stale", "oxfordshire")] >= 20
    # A slip in a figure is caught where it is.
    path = project / "plans" / f"{SCRUTINY}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("        value: 68.5\n", "        value: 86.5\n", 1), encoding="utf-8")
    code, out, _ = run("lint", str(path), "--select", "kpi-figure-mismatch", "--as-of", AS_OF, "--strict")
    assert code == 1
    assert "value 86.5 but the figure as printed is '68.5'" in out


# --- 5. charts ---


def test_a_recorded_quarter_shows_in_the_board_reports_chart_and_table(project: Path) -> None:
    import base64
    import re

    code, _, err = run(
        "update", "--kpi", "tia-1", "--period", "Q3 2025/26", "--value", "97", "--figure", "97%"
    )
    assert code == 0, err
    code, out, err = run("render", SCRUTINY, "-t", "board-report.md", "--as-of", "2026-01-15")
    assert code == 0, err
    section = out.split("### tia-1: ")[1].split("\n### ")[0]
    assert "| Q3 2025/26 |  | 97% |" in section  # the figures as a table beside the chart
    assert "latest 97% (Q3 2025/26), better." in section
    uri = re.search(r"!\[Trend chart of [^]]+\]\(data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)\)", section)
    assert uri is not None
    svg = base64.b64decode(uri[1]).decode("utf-8")
    assert 'role="img"' in svg
    assert "<dc:title>Young people who had an assessment in place by the age of 18</dc:title>" in svg
    assert ">Period<" in svg  # axis labels, as text
    assert ">percent<" in svg
    assert ">97%<" in svg
    again = run("render", SCRUTINY, "-t", "board-report.md", "--as-of", "2026-01-15")[1]
    assert again == out  # byte-identical: no date, fixed ids


# --- 6. diff ---


def test_diff_reports_a_recorded_quarter_a_changed_figure_and_a_target(project: Path) -> None:
    new = project / "plans" / f"{SCRUTINY}.yaml"
    old = project / "old.yaml"
    shutil.copy(new, old)
    assert (
        run("update", "--kpi", "tia-1", "--period", "Q3 2025/26", "--value", "97", "--figure", "97%")[0] == 0
    )
    assert (
        run("update", "--kpi", "sa-3", "--period", "July 24", "--value", "593", "--figure", "593 (July 24)")[
            0
        ]
        == 0
    )
    code, out, err = run("diff", str(old), str(new))
    assert code == 0, err
    assert "tia-1  Measure's figure recorded: 97% (Q3 2025/26)" in out
    assert "sa-3  Measure's figure changed: 592 (July 24) → 593 (July 24)" in out
    send = project / "plans" / "oxfordshire-send-pap-2024.yaml"
    shutil.copy(send, old)
    send.write_text(
        send.read_text(encoding="utf-8").replace("due: by August 2026", "due: by March 2027"), "utf-8"
    )
    code, out, _ = run("diff", str(old), str(send), "--format", "json")
    changes = [c for p in json.loads(out)["plans"] for c in p["changes"]]
    assert [(c["kind"], c["before"], c["after"]) for c in changes] == [
        ("kpi-target-changed", "51 schools (by August 2026)", "51 schools (by March 2027)")
    ]


def test_export_writes_the_figures_as_csv_and_as_a_sheet_of_the_workbook(
    in_repo: Path, tmp_path: Path
) -> None:
    import csv
    import io

    from openpyxl import load_workbook  # type: ignore[import-untyped]

    code, out, err = run("export", "--kpis", "--as-of", AS_OF)
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    one_d = [r for r in rows if r["kpi_id"] == "ascof-1D"]
    assert [(r["period"], r["figure_as_printed"]) for r in one_d] == [
        ("2022/23", "64.7"),
        ("2023/24", "68.5"),
    ]
    book = tmp_path / "plans.xlsx"
    assert run("export", "-f", "xlsx", "-o", str(book), "--as-of", AS_OF)[0] == 0
    sheet = load_workbook(book)["KPIs"]
    assert sheet.max_row == len(rows) + 1
    code, _, err = run("export", "--kpis", "-f", "ics")
    assert code == 2
    assert "--kpis writes csv or json" in err

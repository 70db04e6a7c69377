"""planctl lint on the shipped plans and on small broken files, through the CLI."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date
from pathlib import Path, PurePath
from typing import Any

import pytest
from typer.testing import CliRunner

from planctl.cli import app
from planctl.core.dates import DEADLINE_FORMS
from planctl.lint import RULES

AS_OF = "2026-11-24"
ROOT = Path(__file__).resolve().parents[1]
WESTMINSTER = "plans/westminster-rbkc-big-plan-2018-2021.yaml"
runner = CliRunner()


def run(*args: str) -> Any:
    return runner.invoke(app, list(args))


def lint_json(*args: str) -> list[dict[str, Any]]:
    """Findings as JSON; the exit code must be 1 exactly when one of them is an error."""
    result = run("lint", "--as-of", AS_OF, "--format", "json", *args)
    findings: list[dict[str, Any]] = json.loads(result.stdout)
    expected = 1 if any(f["severity"] == "error" for f in findings) else 0
    assert result.exit_code == expected, result.output
    return findings


@pytest.fixture(scope="module")
def delivery_plan_rows(seeds: Path) -> dict[int, tuple[str, str]]:
    """Row number -> (By when, Who will lead this) from the Westminster source table."""
    source = seeds / "002_6f34026a3b50bfda.txt"
    if not source.is_file():
        pytest.skip("source documents not available")
    lines = source.read_text(encoding="utf-8").splitlines()
    rows: dict[int, tuple[str, str]] = {}
    for line in lines[482:560]:
        m = re.match(r"^(\d{1,2})[\t ]", line)
        cells = line.split("\t")
        if m and len(cells) >= 3:
            rows[int(m[1])] = (cells[-2].strip(), cells[-1].strip())
    assert sorted(rows) == list(range(1, 57))
    return rows


def _rows(findings: list[dict[str, Any]], rule: str) -> list[int]:
    """Delivery-plan row numbers (from item ids DP<n>) a rule reported in Westminster."""
    return sorted(int(f["item"][2:]) for f in findings if f["rule"] == rule and f["file"] == WESTMINSTER)


@pytest.fixture(scope="module")
def findings() -> list[dict[str, Any]]:
    """The shipped plans linted once, from the repository root, as CI does."""
    import os

    here = os.getcwd()
    os.chdir(ROOT)
    try:
        return lint_json("--include-closed", "plans/")  # the closed Westminster plan too
    finally:
        os.chdir(here)


@pytest.mark.usefixtures("in_repo")
class TestShippedPlans:
    def test_every_blank_lead_row_of_the_westminster_delivery_plan_once(
        self, findings: list[dict[str, Any]], delivery_plan_rows: dict[int, tuple[str, str]]
    ) -> None:
        blank = [n for n, (_when, lead) in delivery_plan_rows.items() if not lead]
        assert len(blank) == 27
        assert _rows(findings, "missing-lead") == blank

    def test_westminster_rows_before_the_plan_period(
        self, findings: list[dict[str, Any]], delivery_plan_rows: dict[int, tuple[str, str]]
    ) -> None:
        mar_18 = [n for n, (when, _lead) in delivery_plan_rows.items() if when == "Mar 18"]
        assert mar_18 == [50, 51]
        assert _rows(findings, "due-outside-period") == mar_18
        undated = [n for n, (when, _lead) in delivery_plan_rows.items() if not when]
        assert _rows(findings, "missing-due") == undated == [31]

    def test_ld_undated_rows_that_do_not_repeat(self, findings: list[dict[str, Any]]) -> None:
        # seed 000_3c465f6424dd8a9b.txt: of the key actions naming no deadline, 2.1.1 (line
        # 85, "every year"), 4.3.2 (line 216, an annual review "starting March 2027") and
        # 4.4.1 (line 223, "every 6 to 8 weeks") repeat, so they are not missing one.
        reported = {
            f["item"] for f in findings if "oxfordshire-ld" in f["file"] and f["rule"] == "missing-due"
        }
        assert reported == {"2.3.1", "2.3.3", "2.3.4", "2.4.1", "3.2.1", "4.4.3", "4.5.1"}

    def test_feedback_rows_are_not_actions(self, findings: list[dict[str, Any]]) -> None:
        reported = {f["item"] for f in findings if f["file"] == WESTMINSTER and f["rule"] == "missing-lead"}
        assert all(i.startswith("DP") for i in reported)

    def test_undated_leicester_actions(self, shipped: dict[str, Any], findings: list[dict[str, Any]]) -> None:
        from planctl.core.models import walk_items

        plan = shipped["leicester-big-plan-2024-2026"]
        actions = {loc.item.id for loc in walk_items(plan) if loc.item.kind == "action"}
        assert len(actions) == 15  # 9 + 5 + 1 numbered actions in the source, none dated
        reported = {f["item"] for f in findings if "leicester" in f["file"] and f["rule"] == "missing-due"}
        assert reported == actions

    def test_send_objectives_that_name_no_lead(
        self, shipped: dict[str, Any], findings: list[dict[str, Any]]
    ) -> None:
        from planctl.core.models import walk_items

        plan = shipped["oxfordshire-send-pap-2024"]
        unled = {loc.item.id for loc in walk_items(plan) if loc.item.actionable and not loc.leads}
        assert len(unled) >= 30
        reported = {f["item"] for f in findings if "send-pap" in f["file"] and f["rule"] == "missing-lead"}
        assert reported == unled

    def test_scrutiny_response_gaps(self, findings: list[dict[str, Any]]) -> None:
        scrutiny = Counter(f["rule"] for f in findings if "people-scrutiny" in f["file"])
        # both Cabinet responses are "Partially accepted", give no timescale, and keep the
        # template text "Enter optional text here"; the update tracker skips number 3.
        assert scrutiny["response-without-timescale"] == 2
        assert scrutiny["placeholder-text"] == 2
        assert scrutiny["numbering-gap"] == 1
        assert scrutiny["tbc-lead"] == 1

    def test_shipped_configuration_passes_and_strict_fails(self) -> None:
        assert run("lint", "--as-of", AS_OF, "plans/").exit_code == 0
        assert run("lint", "--as-of", AS_OF, "--strict", "plans/").exit_code == 1
        assert run("lint", "--as-of", AS_OF, "--fail-on", "warning", "plans/").exit_code == 1
        assert run("lint", "plans/").exit_code == 0  # also as of today: CI must stay green

    def test_text_output_groups_by_file_and_counts(self) -> None:
        out = run("lint", "--as-of", AS_OF, "--include-closed", WESTMINSTER).stdout
        assert out.splitlines()[0] == WESTMINSTER
        line = next(
            ln
            for ln in out.splitlines()
            if "DP" not in ln and "missing-lead" in ln and ln.startswith(WESTMINSTER + ":")
        )
        assert re.match(
            rf"{re.escape(WESTMINSTER)}:\d+:\d+: warning missing-lead: action \d+ has no lead", line
        )
        assert re.search(
            r"^30 warnings(, \d+ infos?)? in 1 of 1 file \(.*27 missing-lead.*\)$", out, re.MULTILINE
        )


BROKEN = """\
id: broken
title: Broken plan
scales:
  - id: rag
    name: RAG
    values:
      - {key: red, label: Red}
      - {key: green, label: Green, done: true}
sections:
  - id: s1
    title: Work
    leads: [Team lead]
    items:
      - id: A1
        title: Do the work.
        due: April 2026
        status: purple
      - id: A2
        title: Do more work.
        deu: May 2026
"""


def test_github_annotations_point_at_the_bad_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("broken.yaml").write_text(BROKEN, encoding="utf-8")
    result = run("lint", "--as-of", AS_OF, "--format", "github", "broken.yaml")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert any(ln.startswith("::error file=broken.yaml,line=20,col=9,") and "deu" in ln for ln in lines), (
        lines
    )
    result = run("lint", "--as-of", AS_OF, "--format", "github", "broken.yaml")
    Path("broken.yaml").write_text(BROKEN.replace("deu:", "due:"), encoding="utf-8")
    result = run("lint", "--as-of", AS_OF, "--format", "github", "broken.yaml")
    assert result.exit_code == 1
    assert "::error file=broken.yaml,line=17,col=17," in result.stdout
    assert "purple" in result.stdout


SMALL = """\
id: small
title: Small plan
owners: [Example Council]
sections:
  - id: s1
    title: Work
    items:
      # planctl: ignore[missing-lead]
      - id: A1
        title: Do the work.
        due: April 2026
      - id: A2
        title: Do more work.
        due: May 2026
        leads: [Example Council]
      # planctl: ignore[missing-due, no-such-rule]
      - id: A3
        title: Keep working.
        due: June 2026
        leads: [Team lead]
"""


@pytest.fixture
def small(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "small.yaml"
    path.write_text(SMALL, encoding="utf-8")
    return path


def test_suppressions_and_unused_ones(small: Path) -> None:
    findings = lint_json("small.yaml")
    got = sorted((f["rule"], f["item"], f["line"]) for f in findings)
    assert got == [
        (
            "missing-lead",
            "A2",
            12,
        ),
        ("unused-suppression", None, 16),
        ("unused-suppression", None, 16),
    ]
    messages = [f["message"] for f in findings if f["rule"] == "unused-suppression"]
    assert any("unknown rule 'no-such-rule'" in m for m in messages)
    assert any("'missing-due' is not needed" in m for m in messages)
    assert "plan's owner" in next(f["message"] for f in findings if f["rule"] == "missing-lead")


def test_config_select_ignore_severity_and_options(small: Path) -> None:
    Path("planctl.toml").write_text(
        '[tool.planctl]\nignore = ["PL4"]\n[tool.planctl.severity]\nmissing-lead = "error"\n'
        "[tool.planctl.rules.stale-status]\nmax_age_days = 90\n",
        encoding="utf-8",
    )
    result = run("lint", "--as-of", AS_OF, "--format", "json", "small.yaml")
    assert result.exit_code == 1
    assert [(f["rule"], f["severity"]) for f in json.loads(result.stdout)] == [("missing-lead", "error")]
    Path("pyproject.toml").write_text('[tool.planctl]\nselect = ["PL2"]\n', encoding="utf-8")
    Path("planctl.toml").unlink()
    assert lint_json("small.yaml") == []
    Path("other.toml").write_text('per-path-ignores = {"small*" = ["missing-lead"]}\n', encoding="utf-8")
    assert [f["rule"] for f in lint_json("--config", "other.toml", "small.yaml")] == [
        "unused-suppression",
        "unused-suppression",
    ]


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[tool.planctl]\nignore = ["missing-leed"]\n', "unknown rule 'missing-leed'"),
        (
            "[tool.planctl.rules.stale-status]\nmax_days = 9\n",
            "unknown option 'max_days'; options: max_age_days",
        ),
        ('[tool.planctl.rules.stale-status]\nmax_age_days = "90"\n', "expected a whole number"),
        ('[tool.planctl]\nselekt = ["PL1"]\n', "unknown key 'selekt'"),
        ('[tool.planctl.severity]\nmissing-lead = "fatal"\n', "unknown severity 'fatal'"),
        ("[tool.planctl\n", "not valid TOML"),
    ],
)
def test_bad_configuration_is_a_usage_error(small: Path, toml: str, message: str) -> None:
    Path("planctl.toml").write_text(toml, encoding="utf-8")
    result = run("lint", "small.yaml")
    assert result.exit_code == 2
    assert message in result.stderr
    assert "planctl.toml" in result.stderr


def test_usage_errors(small: Path) -> None:
    assert run("lint", "--as-of", "someday", "small.yaml").exit_code == 2
    assert run("lint", "--select", "PL9", "small.yaml").exit_code == 2
    assert run("lint", "missing.yaml").exit_code == 2
    assert run("rule", "no-such-rule").exit_code == 2


def test_as_of_decides_what_is_overdue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("p.yaml").write_text(BROKEN.replace("purple", "red").replace("deu:", "due:"), encoding="utf-8")
    before = [f["rule"] for f in lint_json("--as-of", "2026-03-01", "p.yaml")]
    after = lint_json("--as-of", "2026-06-01", "p.yaml")
    assert "overdue-open" not in before
    assert [(f["rule"], f["item"]) for f in after] == [("overdue-open", "A1"), ("status-missing", "A2")]
    Path("planctl.toml").write_text('as-of = "2026-03-01"\n', encoding="utf-8")
    from_config = run("lint", "--format", "json", "p.yaml")  # no --as-of: the config's
    assert [f["rule"] for f in json.loads(from_config.stdout)] == before


def test_sarif(small: Path) -> None:
    result = run("lint", "--as-of", AS_OF, "--format", "sarif", "small.yaml")
    sarif = json.loads(result.stdout)
    assert sarif["version"] == "2.1.0"
    run_ = sarif["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    assert {r["id"] for r in rules} >= {r.code for r in RULES} | {"PL001"}
    first = run_["results"][0]
    assert first["ruleId"] == "PL101"
    assert first["level"] == "warning"
    assert rules[first["ruleIndex"]]["name"] == "missing-lead"
    region = first["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 12, "startColumn": 13}
    assert first["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "small.yaml"


def test_rules_lists_every_rule() -> None:
    out = run("rules").stdout
    for r in RULES:
        assert re.search(rf"^{r.code}\s+{r.name}\s+{r.severity}\s+\S", out, re.MULTILINE)


def test_rule_explains_missing_lead() -> None:
    by_name = run("rule", "missing-lead")
    assert by_name.exit_code == 0
    assert by_name.stdout == run("rule", "pl101").stdout
    out = by_name.stdout
    for part in (
        "PL101 missing-lead (default: warning)",
        "## What it does",
        "## Why is this bad?",
        "## Example",
        "## Use instead",
        "leads: [Head of Housing]",
        "# planctl: ignore[missing-lead]",
    ):
        assert part in out
    assert "max_age_days = 0" in run("rule", "stale-status").stdout


def test_rule_with_a_misspelt_name_suggests_the_rule() -> None:
    result = run("rule", "missing-leed")
    assert result.exit_code == 2
    assert "no rule 'missing-leed'; did you mean missing-lead" in result.stderr
    assert "'planctl rules' lists them" in run("rule", "zzz").stderr


def test_pre_commit_hooks_run_real_commands() -> None:
    import shlex

    import yaml

    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert {h["id"] for h in hooks} == {"planctl-validate", "planctl-lint"}
    for hook in hooks:
        words = shlex.split(hook["entry"])
        assert words[0] == "planctl"
        assert run(words[1], "--help").exit_code == 0


def test_config_is_parsed_from_text_without_reading_files() -> None:
    from planctl.lint import ConfigError
    from planctl.lint.config import has_planctl_table, parse_config, templates_setting

    pyproject = '[project]\nname = "x"\n\n[tool.planctl]\nignore = ["missing-due"]\nas-of = 2026-04-01\n'
    cfg = parse_config(pyproject, "repo/pyproject.toml")
    assert (cfg.ignore, cfg.as_of, cfg.source) == (
        ["missing-due"],
        date(2026, 4, 1),
        "repo/pyproject.toml [tool.planctl]",
    )
    assert has_planctl_table(pyproject)
    assert not has_planctl_table('[project]\nname = "x"\n')
    assert parse_config('select = ["PL1"]\n', "planctl.toml").select == ["PL1"]
    with pytest.raises(ConfigError, match=r"^planctl.toml: not valid TOML"):
        parse_config("select = [", "planctl.toml")
    with pytest.raises(ConfigError, match=r"^planctl.toml: unknown key 'selct'"):
        parse_config('selct = ["PL1"]\n', "planctl.toml")
    assert parse_config('templates = "mine"\n', "repo/planctl.toml").templates == PurePath("repo/mine")
    # render reads only its own key: the rest of the file is lint's to check
    assert templates_setting('templates = "mine"\nselect = ["nope"]\n', "repo/planctl.toml") == PurePath(
        "repo/mine"
    )
    assert templates_setting('select = ["PL1"]\n', "planctl.toml") is None
    with pytest.raises(ConfigError, match=r"^planctl.toml: templates must be a folder name"):
        parse_config("templates = 3\n", "planctl.toml")


def test_unresolved_due_that_reads_as_a_recurrence(tmp_path: Path) -> None:
    plan = tmp_path / "p.yaml"
    plan.write_text(
        """\
id: p
title: A plan
sections:
  - id: s
    title: Section
    leads: [Pat]
    items:
      - id: A1
        title: Visits
        due: every 6 to 8 weeks
      - id: A2
        title: Reports
        outcomes:
          - text: Reports go to the board.
            due: monthly
            recurrence: monthly
      - id: A3
        title: Funding
        due: when funding allows
""",
        encoding="utf-8",
    )
    found = {
        (f["item"], f["line"], f["column"]): f["hint"]
        for f in lint_json(str(plan), "--select", "unresolved-due")
    }
    assert found == {
        (
            "A1",
            10,
            14,
        ): "a recurrence is not a deadline: move it to 'recurrence: every 6 to 8 weeks' and remove 'due:'",
        (
            "A2",
            15,
            18,
        ): "a recurrence is not a deadline: remove 'due:' (the record already has 'recurrence: monthly')",
        ("A3", 19, 14): f"write it as one of: {DEADLINE_FORMS}",
    }

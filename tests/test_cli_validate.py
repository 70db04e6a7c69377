"""`planctl validate`, `schema` and `--version` through the runner and as a real process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from planctl import __version__
from planctl.cli import app
from planctl.core.schema import schema_json

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "example-plan.yaml"


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"planctl {__version__}\n"


def test_example_plan_is_valid() -> None:
    result = runner.invoke(app, ["validate", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    assert result.output.endswith("1 file checked, no problems\n")


def test_shipped_plans_are_valid(in_repo: Path) -> None:
    result = runner.invoke(app, ["validate"])
    assert result.exit_code == 0, result.output
    assert "no problems" in result.output


def test_syntax_error_does_not_stop_other_files(tmp_path: Path) -> None:
    (tmp_path / "a-broken.yaml").write_text("id: a\ntitle: [oops\n", encoding="utf-8")
    (tmp_path / "b-typo.yaml").write_text("id: b\ntitle: t\nsectons: []\n", encoding="utf-8")
    (tmp_path / "c-good.yaml").write_text("id: c\ntitle: t\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(tmp_path), "--format", "json"])
    assert result.exit_code == 1
    found = json.loads(result.output)
    assert [(Path(d["file"]).name, d["line"]) for d in found] == [("a-broken.yaml", 3), ("b-typo.yaml", 3)]
    assert found[1]["message"] == "unknown key 'sectons'; did you mean 'sections'?"


def test_github_format(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text("id: p\ntitle: t\nowner: x\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(tmp_path / "p.yaml"), "--format", "github"])
    assert result.exit_code == 1
    assert result.output.startswith("::error file=")
    assert ",line=3,col=1," in result.output
    assert "did you mean 'owners'? (at owner)" in result.output


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert "no such file or folder" in result.output


def test_committed_schema_is_current() -> None:
    committed = (ROOT / "schema" / "plan.schema.json").read_text(encoding="utf-8")
    assert committed == schema_json(), "run: planctl schema --out schema/plan.schema.json"


def test_plans_name_the_schema_on_their_first_line() -> None:
    for path in [*sorted((ROOT / "plans").glob("*.yaml")), EXAMPLE]:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../schema/plan.schema.json", path


def test_real_process_reports_and_exits_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: p\ntitle: t\nsections:\n  - id: s\n    titel: S\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "planctl", "validate", str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert (
        f"{bad}:5:5: error invalid: unknown key 'titel'; did you mean 'title'?\n    at: sections[0].titel\n"
        in (proc.stdout)
    )


EVERY_PROBLEM = """\
id: p
title: A plan
ratings_as_of: 2026-13-01
scales:
  - id: rag
    name: RAG
    values:
      - {key: red, label: Red}
      - {key: green, label: Green, done: true}
  - id: broken
    name: Broken
    values: []
sections:
  - id: s1
    title: Section one
    items:
      - id: A1
        titel: Do it
        status: purple
      - id: A1
        title: Do it again
        due: 30 February 2026
        updates:
          - {date: 2026-01-05, status: mauve}
      - id: A2
        title: Its scale is refused, so its status cannot be judged
        scale: broken
        status: anything
      - id: [A3]
        title: A refused id is reported once, not also as a duplicate
      - id: s1
        title: Same id as the section
"""


def test_every_problem_of_a_file_at_once(tmp_path: Path) -> None:
    # The schema's problems and the checks across records, in one run: fixing the
    # first batch must not reveal a second.
    path = tmp_path / "plan.yaml"
    path.write_text(EVERY_PROBLEM, encoding="utf-8")
    result = runner.invoke(app, ["validate", str(path), "--format", "json"])
    assert result.exit_code == 1
    found = sorted((d["line"], d["column"], d["message"]) for d in json.loads(result.output))
    assert found == [
        (
            3,
            16,
            "ratings_as_of: not a valid date: month value is outside expected range of 1-12 (got '2026-13-01')",
        ),
        (12, 13, "values: List should have at least 1 item after validation, not 0 (got a list)"),
        (17, 9, "missing required key 'title'"),
        (18, 9, "unknown key 'titel'; did you mean 'title'?"),
        (19, 17, "status 'purple' is not on the RAG scale"),
        (20, 13, "duplicate id 'A1' (first on line 17)"),
        (22, 14, "'30 February 2026' is not a real date"),
        (24, 40, "status 'mauve' is not on the RAG scale"),
        (29, 13, "id: Input should be a valid string (got a list)"),
        (31, 13, "duplicate id 's1' (first on line 14)"),
    ]
    text = runner.invoke(app, ["validate", str(path)]).output
    assert f"{path}:19:17: error invalid: status 'purple' is not on the RAG scale" in text
    assert f"{path}:20:13: error invalid: duplicate id 'A1' (first on line 17)" in text
    # once fixed, nothing new appears
    fixed = (
        EVERY_PROBLEM.replace("2026-13-01", "2026-12-01")
        .replace("titel", "title")
        .replace("purple", "red")
        .replace("id: A1\n        title: Do it again", "id: A4\n        title: Do it again")
        .replace("30 February", "28 February")
        .replace("mauve", "green")
        .replace("values: []", "values: [{key: x, label: X}]")
        .replace("status: anything", "status: x")
        .replace("[A3]", "A3")
        .replace("id: s1\n        title: Same", "id: A5\n        title: Same")
    )
    path.write_text(fixed, encoding="utf-8")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0, result.output

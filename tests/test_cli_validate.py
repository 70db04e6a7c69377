"""`planctl validate`, `schema` and `--version` through the runner and as a real process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from planctl import __version__
from planctl.cli import app
from planctl.schema import schema_json

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

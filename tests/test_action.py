"""The GitHub Action (``action.yml``): it parses, installs planctl only from its own
checkout, and its steps' scripts, run in bash as the runner would (inputs through the
environment), are real planctl command lines that annotate the right line and write SARIF.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
ACTION: dict[str, Any] = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
STEPS: list[dict[str, Any]] = ACTION["runs"]["steps"]


def step(name: str) -> dict[str, Any]:
    (found,) = [s for s in STEPS if s.get("name") == name]
    return found


def expand(text: str, inputs: dict[str, str], temp: Path) -> str:
    """GitHub's ``${{ inputs.X }}`` and ``${{ runner.temp }}``, as the runner fills them in."""
    values = {f"inputs.{k}": v for k, v in inputs.items()} | {"runner.temp": str(temp)}
    return re.sub(r"\$\{\{\s*([\w.-]+)\s*\}\}", lambda m: values[m.group(1)], text)


def run_step(name: str, repo: Path, temp: Path, **given: str) -> subprocess.CompletedProcess[str]:
    inputs = {k: str(v.get("default", "")) for k, v in ACTION["inputs"].items()} | given
    s = step(name)
    assert "${{" not in s["run"], "inputs reach the script through env only (no injection)"
    env = {k: expand(str(v), inputs, temp) for k, v in s.get("env", {}).items()}
    env = {**os.environ, **env, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "NO_COLOR": "1"}
    # GitHub runs a bash step as: bash --noprofile --norc -eo pipefail {0}
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", s["run"]],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_action_is_composite_with_the_promised_inputs() -> None:
    assert ACTION["runs"]["using"] == "composite"
    assert {"paths", "strict", "as-of", "sarif"} <= set(ACTION["inputs"])
    for s in STEPS:
        if "run" in s:
            assert s["shell"] == "bash"  # a composite step must name its shell


def test_it_installs_planctl_from_its_own_checkout_only() -> None:
    installs = [s["run"] for s in STEPS if "pip" in s.get("run", "")]
    assert len(installs) == 1
    words = shlex.split(installs[0])
    targets = [w for w in words[words.index("install") + 1 :] if not w.startswith("-")]
    assert targets == ["${{ github.action_path }}"]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository made by ``planctl init``, whose plan has a wrong key on line 8."""
    root = tmp_path / "repo"
    root.mkdir()
    done = subprocess.run([BIN / "planctl", "init"], cwd=root, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    plan = root / "plans" / "my-plan.yaml"
    lines = plan.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[7].startswith("owners:")
    lines.insert(7, "deadline: 2026\n")
    plan.write_text("".join(lines), encoding="utf-8")
    return root


def test_the_lint_step_annotates_the_wrong_key(repo: Path, tmp_path: Path) -> None:
    done = run_step("Lint plans", repo, tmp_path)
    assert done.returncode == 1, done.stderr
    assert "::error file=plans/my-plan.yaml,line=8," in done.stdout
    assert "unknown key 'deadline'" in done.stdout


def test_inputs_strict_as_of_and_paths(repo: Path, tmp_path: Path) -> None:
    (repo / "plans" / "my-plan.yaml").write_text(
        (repo / "plans" / "my-plan.yaml").read_text(encoding="utf-8").replace("deadline: 2026\n", ""),
        encoding="utf-8",
    )
    assert run_step("Lint plans", repo, tmp_path, **{"as-of": "2026-01-05"}).returncode == 0
    strict = run_step("Lint plans", repo, tmp_path, strict="true", **{"as-of": "2026-01-05"})
    assert strict.returncode == 1
    assert "::warning file=plans/my-plan.yaml" in strict.stdout
    (repo / "other").mkdir()
    (repo / "other" / "My Plan.yaml").write_text("id: [\n", encoding="utf-8")
    both = run_step("Lint plans", repo, tmp_path, paths="plans/\nother/My Plan.yaml\n")
    assert both.returncode == 1
    assert "::error file=other/My Plan.yaml" in both.stdout


def test_the_sarif_step_writes_sarif_and_leaves_failing_to_the_lint_step(repo: Path, tmp_path: Path) -> None:
    done = run_step("SARIF for code scanning", repo, tmp_path, sarif="true")
    assert done.returncode == 0, done.stderr
    upload = step("Upload SARIF")
    assert upload["uses"].startswith("github/codeql-action/upload-sarif@")
    sarif = json.loads(Path(expand(upload["with"]["sarif_file"], {}, tmp_path)).read_text(encoding="utf-8"))
    (result,) = sarif["runs"][0]["results"]
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "plans/my-plan.yaml"
    assert location["region"]["startLine"] == 8


def test_a_usage_error_fails_the_sarif_step(repo: Path, tmp_path: Path) -> None:
    done = run_step("SARIF for code scanning", repo, tmp_path, sarif="true", paths="nowhere/")
    assert done.returncode == 2

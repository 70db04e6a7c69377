"""SARIF that GitHub code scanning accepts, checked by a client that is not planctl.

The independent client is Microsoft's SARIF Multitool (``validate``, with the SARIF
schema and GitHub's ingestion rules, ``--rule-kind Gh;Sarif``), installed from
tests/node/package-lock.json by ``make test``. Its errors and warnings are what GitHub
would refuse or complain about; its notes are style advice and are not checked.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from planctl.lint import RULES

ROOT = Path(__file__).resolve().parents[1]
MULTITOOL = (
    ROOT / "tests" / "node" / "node_modules" / "@microsoft" / "sarif-multitool-linux" / "Sarif.Multitool"
)

PLAN = """\
id: my-plan
title: My plan
sections:
  - id: s
    title: Section
    items:
      - id: A1
        title: An action with no lead.
        due: April 2026
"""
BROKEN = "id: broken\ntitle: Broken\ntitel: typo\nsections: []\n"


def _lint_sarif(cwd: Path, *paths: str, exit_code: int = 1) -> dict[str, Any]:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "planctl",
            "lint",
            "--as-of",
            "2026-06-01",
            "--format",
            "sarif",
            "--no-cache",
            *paths,
        ],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == exit_code, result.stderr
    sarif: dict[str, Any] = json.loads(result.stdout)
    return sarif


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository whose plan file names need percent-encoding, plus a file outside it."""
    root = tmp_path / "repo"
    (root / "plans").mkdir(parents=True)
    (root / "plans" / "My Plan 2025.yaml").write_text(PLAN, encoding="utf-8")
    (root / "plans" / "broken #1.yaml").write_text(BROKEN, encoding="utf-8")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "other plan.yaml").write_text(
        PLAN.replace("my-plan", "other"), encoding="utf-8"
    )
    return root


def _uris(sarif: dict[str, Any]) -> set[tuple[str, str | None]]:
    return {
        (loc["uri"], loc.get("uriBaseId"))
        for r in sarif["runs"][0]["results"]
        for loc in [r["locations"][0]["physicalLocation"]["artifactLocation"]]
    }


def test_uris_are_relative_to_srcroot_and_percent_encoded(repo: Path) -> None:
    sarif = _lint_sarif(repo, "plans", "../elsewhere/other plan.yaml")
    outside = (repo.parent / "elsewhere" / "other plan.yaml").as_posix().replace(" ", "%20")
    assert _uris(sarif) == {
        ("plans/My%20Plan%202025.yaml", "%SRCROOT%"),
        ("plans/broken%20%231.yaml", "%SRCROOT%"),
        ("file://" + outside, None),
    }
    base = sarif["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert base == "file://" + repo.as_posix() + "/"


def test_every_rule_has_what_github_requires(repo: Path) -> None:
    rules = _lint_sarif(repo, "plans")["runs"][0]["tool"]["driver"]["rules"]
    assert {r["id"] for r in rules} == {r.code for r in RULES} | {"PL001"}
    for r in rules:
        assert r["shortDescription"]["text"].strip(), r["id"]
        assert r["fullDescription"]["text"].strip(), r["id"]
        assert r["help"]["text"].strip(), r["id"]
    invalid = next(r for r in rules if r["id"] == "PL001")
    assert "planctl validate" in invalid["fullDescription"]["text"]


def test_fingerprints_are_unique_and_survive_lines_moving(repo: Path) -> None:
    """An edit above a finding moves its line; code scanning must see the same alert."""
    before = _lint_sarif(repo, "plans")["runs"][0]["results"]
    prints = [r["partialFingerprints"]["planctlFinding/v1"] for r in before]
    assert len(prints) == len(set(prints)) >= 2
    plan = repo / "plans" / "My Plan 2025.yaml"
    plan.write_text("# a comment\n# and another\n" + PLAN, encoding="utf-8")
    after = _lint_sarif(repo, "plans")["runs"][0]["results"]
    lines = {
        r["partialFingerprints"]["planctlFinding/v1"]: r["locations"][0]["physicalLocation"]["region"][
            "startLine"
        ]
        for r in after
    }
    moved = [
        r for r in before if "My%20Plan" in r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    ]
    assert moved
    for r in moved:
        fp = r["partialFingerprints"]["planctlFinding/v1"]
        assert lines[fp] == r["locations"][0]["physicalLocation"]["region"]["startLine"] + 2


@pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the Multitool package installed is the Linux build"
)
def test_sarif_multitool_finds_nothing_github_would_refuse(repo: Path, tmp_path: Path) -> None:
    """The shipped plans and the awkward repository, through the SARIF schema and
    GitHub's ingestion rules: no error and no warning."""
    assert MULTITOOL.exists(), "run 'make test' (it installs tests/node) first"
    if not os.access(MULTITOOL, os.X_OK):  # npm may skip the package's chmod postinstall
        MULTITOOL.chmod(MULTITOOL.stat().st_mode | stat.S_IXUSR)
    logs = {
        "shipped": (ROOT, ["plans"], 0),  # warnings only
        "awkward": (repo, ["plans", "../elsewhere/other plan.yaml"], 1),
    }
    for name, (cwd, paths, code) in logs.items():
        log = tmp_path / f"{name}.sarif"
        log.write_text(json.dumps(_lint_sarif(cwd, *paths, exit_code=code)), encoding="utf-8")
        out = tmp_path / f"{name}.validation.sarif"
        env = os.environ | {"DOTNET_SYSTEM_GLOBALIZATION_INVARIANT": "1", "DOTNET_CLI_TELEMETRY_OPTOUT": "1"}
        done = subprocess.run(
            [str(MULTITOOL), "validate", str(log), "--rule-kind", "Gh;Sarif", "--level", "Error;Warning",
             "--output", str(out), "--log", "ForceOverwrite"],
            capture_output=True, text=True, timeout=300, env=env,
        )  # fmt: skip
        assert out.exists(), done.stdout + done.stderr
        found = json.loads(out.read_text(encoding="utf-8"))["runs"][0]["results"]
        problems = [
            (r["ruleId"], r["message"]) for r in found if r.get("level", "warning") in ("error", "warning")
        ]
        assert problems == [], (name, problems[:5])


def test_github_format_says_when_annotations_will_be_dropped() -> None:
    """The shipped plans have 164 missing-lead warnings alone: the first line says that
    GitHub shows 10 and where the rest are; a short run says nothing extra."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "planctl",
            "lint",
            "--as-of",
            "2026-11-24",
            "--format",
            "github",
            "--no-cache",
            "plans",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    lines = result.stdout.splitlines()
    warnings = sum(1 for line in lines if line.startswith("::warning "))
    assert warnings > 10
    assert lines[0].startswith("::notice title=planctl::")
    assert f"{warnings} warnings" in lines[0]
    assert "only the first 10 annotations of each kind per step" in lines[0]
    assert "--format sarif" in lines[0]


def test_github_format_adds_no_notice_under_the_limit(repo: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "planctl",
            "lint",
            "--as-of",
            "2026-06-01",
            "--format",
            "github",
            "--no-cache",
            "plans",
        ],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert not any(line.startswith("::notice title=planctl::") for line in result.stdout.splitlines())

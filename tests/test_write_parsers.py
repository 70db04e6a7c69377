"""Every file planctl writes is valid for every parser, not only for libyaml.

Comments belong to the lines they describe: an inserted key never splits a comment
paragraph, and a flow collection (``[a, b]``) never spans comment lines, which YAML 1.2
parsers such as the one yaml-language-server uses reject. The strict parser is the npm
package ``yaml`` (eemeli/yaml), installed from tests/node/package-lock.json by
``make test``; one Node process serves each test.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml as pyyaml
from ruamel.yaml import YAML
from typer.testing import CliRunner

from planctl.cli import app
from planctl.yamlread import read

ROOT = Path(__file__).resolve().parents[1]
PLANS = ROOT / "plans"
NODE_DIR = ROOT / "tests" / "node"
runner = CliRunner()


class StrictYaml:
    """One ``node parse.mjs --serve`` process: a file path in, a JSON result out."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            ["node", str(NODE_DIR / "parse.mjs"), "--serve"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )

    def parse(self, path: Path) -> dict[str, Any]:
        assert self.proc.stdin is not None
        assert self.proc.stdout is not None
        self.proc.stdin.write(f"{path}\n")
        self.proc.stdin.flush()
        result: dict[str, Any] = json.loads(self.proc.stdout.readline())
        return result

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=10)


@pytest.fixture
def strict() -> Iterator[StrictYaml]:
    """The strict YAML 1.2 parser; ``npm ci`` from the committed lock file if needed."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("Node is not installed; 'make test' installs it")
    if not (NODE_DIR / "node_modules" / "yaml").is_dir():
        done = subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund"], cwd=NODE_DIR, capture_output=True, check=False
        )
        if done.returncode:
            pytest.skip(f"npm ci failed in tests/node: {done.stderr.decode(errors='replace')[-300:]}")
    server = StrictYaml()
    yield server
    server.close()


def _plain(value: Any) -> Any:
    """ruamel/PyYAML data as JSON data: dates as ISO text (YAML 1.2 core has no timestamps,
    and planctl reads dates as text), mappings as dicts."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    for kind in (str, bool, int, float):  # ruamel's ScalarString, ScalarInt, ... as the base type
        if isinstance(value, kind):
            return kind(value)
    return value


_SAFE_12 = YAML(typ="safe", pure=True)


def _same(strict: Any, other: Any, where: str, *, yaml11: bool) -> None:
    """``other`` is the data the strict parser read; with ``yaml11`` a plain scalar may
    differ only as YAML 1.1 and 1.2 resolution documentedly differ (``yes``: bool in
    1.1, text in 1.2; ``0o17``: int in 1.2, text in 1.1)."""
    if isinstance(strict, dict):
        assert isinstance(other, dict), where
        assert list(strict) == list(other), where
        for k in strict:
            _same(strict[k], other[k], f"{where}.{k}", yaml11=yaml11)
        return
    if isinstance(strict, list):
        assert isinstance(other, list), where
        assert len(strict) == len(other), where
        for i, (a, b) in enumerate(zip(strict, other, strict=True)):
            _same(a, b, f"{where}[{i}]", yaml11=yaml11)
        return
    if type(strict) is type(other) and strict == other:
        return
    if yaml11 and isinstance(strict, str) and not isinstance(other, str):
        assert _plain(pyyaml.safe_load(strict)) == other, where  # YAML 1.1 reads the plain text so
        return
    if yaml11 and isinstance(other, str) and not isinstance(strict, str):
        assert _SAFE_12.load(other) == strict, where  # YAML 1.2 reads the plain text so
        return
    raise AssertionError(f"{where}: {strict!r} != {other!r}")


def check_everywhere(strict: StrictYaml, path: Path) -> None:
    """The strict parser accepts ``path`` with no warning, and planctl, ruamel (round-trip
    and safe) and PyYAML read the same data from it."""
    text = path.read_text(encoding="utf-8")
    got = strict.parse(path)
    assert got["errors"] == [], got["errors"][:3]
    assert got["warnings"] == [], got["warnings"][:3]
    data = got["data"]
    _same(data, read(text).data, "planctl", yaml11=True)
    _same(data, _plain(YAML(typ="rt").load(text)), "ruamel-rt", yaml11=False)
    _same(data, _plain(YAML(typ="safe").load(text)), "ruamel-safe", yaml11=False)
    _same(data, _plain(pyyaml.safe_load(text)), "pyyaml", yaml11=True)


# --------------------------------------------------------------------------- named cases


def _copy(tmp_path: Path, name: str) -> Path:
    target = tmp_path / name
    shutil.copy(PLANS / name, target)
    return target


def test_lead_before_a_comment_paragraph_is_one_line(tmp_path: Path, strict: StrictYaml) -> None:
    """The comment after ``due:`` introduces ``evidence:``; the new ``leads`` goes above it,
    whole on one line, not ``leads: [Test Lead`` + comment + ``]`` at column 0."""
    plan = _copy(tmp_path, "oxfordshire-send-pap-2024.yaml")
    old = plan.read_text(encoding="utf-8")
    res = runner.invoke(app, ["update", "PAP2A:1", str(plan), "--lead", "Test Lead", "--date", "2026-01-01"])
    assert res.exit_code == 0, res.output
    before = (
        "            due: By April 2024\n"
        '            # E3 is cited here (lines 383-384) as "MoU with OxPCF developed and agreed,\n'
        '            # awaiting sign off."; under PAP1:1 and PAP1:2 as "MoU with OxPCF in place".\n'
        "            evidence: [E12, E15, E13, E14, E3, E19]\n"
    )
    after = before.replace("2024\n", "2024\n            leads: [Test Lead]\n", 1)
    assert before in old
    assert plan.read_text(encoding="utf-8") == old.replace(before, after)
    check_everywhere(strict, plan)


def test_updates_go_above_the_comment_paragraph_after_a_folded_title(
    tmp_path: Path, strict: StrictYaml
) -> None:
    """A comment after a ``>-`` title is a paragraph of its own lines: ``updates:`` goes
    above all of it, not after its first line."""
    plan = _copy(tmp_path, "oxfordshire-people-scrutiny-2025-26.yaml")
    old = plan.read_text(encoding="utf-8")
    res = runner.invoke(
        app, ["update", "rt-2025-06-26.1", str(plan), "--note", "A note", "--date", "2026-01-01"]
    )
    assert res.exit_code == 0, res.output
    anchor = (
        "              Employment Services.\n"
        "            # source: the pro forma's third column is \"Proposed action (if different to\n"
    )
    assert old.count(anchor) == 1
    inserted = "            updates:\n              - date: 2026-01-01\n                note: A note\n"
    head, tail = anchor.split("\n", 1)
    assert plan.read_text(encoding="utf-8") == old.replace(anchor, f"{head}\n{inserted}{tail}")
    check_everywhere(strict, plan)


def test_the_shipped_plans_parse_everywhere(strict: StrictYaml) -> None:
    for path in sorted(PLANS.glob("*.yaml")):
        check_everywhere(strict, path)

"""Every file planctl writes is valid for every parser, not only for libyaml.

Comments belong to the lines they describe: an inserted key never splits a comment
paragraph, and a flow collection (``[a, b]``) never spans comment lines, which YAML 1.2
parsers such as the one yaml-language-server uses reject. The strict parser is the npm
package ``yaml`` (eemeli/yaml), installed from tests/node/package-lock.json by
``make test``; one Node process serves each test.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml as pyyaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML
from typer.testing import CliRunner

from planctl.cli import app
from planctl.core.models import walk_items, walk_sections
from planctl.core.validate import load_text
from planctl.core.yamlread import read

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
    _same(data, _plain(read(text).data), "planctl", yaml11=False)
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


# --------------------------------------------------------------------------- property


def _targets(name: str) -> tuple[str, list[tuple[str, list[str]]], list[str]]:
    """A shipped plan's id, its items with the keys of their scale, and its section ids."""
    result = load_text((PLANS / name).read_text(encoding="utf-8"), name)
    assert result.plan is not None
    plan = result.plan
    items = []
    for loc in walk_items(plan):
        scale = plan.scale(loc.scale_id)
        items.append((loc.item.id, [v.key for v in scale.values] if scale else []))
    return plan.id, items, [s.id for s, _, _ in walk_sections(plan.sections)]


TARGETS = {p.name: _targets(p.name) for p in sorted(PLANS.glob("*.yaml"))}
WORDS = st.sampled_from(
    ["yes", "no", "on", "null", "~", "a: b", "# not a comment", "- x", "[x]", "{x: 1}", "'q'", '"dq"',
     "2026-01-01", "0o17", "1_000", ".inf", "é", "50%", "&a", "*a", "!tag", "@x", "`x`", "x #y", "Test Lead"]
)  # fmt: skip
TEXT = st.lists(WORDS | st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=8),
                min_size=1, max_size=4).map(" ".join)  # fmt: skip
DUES = st.sampled_from(["March 2026", "Q4 2025/26", "2026-03-31", "By April 2024", "Spring 2026", "2027"])


@st.composite
def command(draw: st.DrawFn, name: str, plan: Path, tmp: Path) -> list[str]:
    """One real command line on ``plan``: update, add, import of CSV rows, or fmt."""
    plan_id, items, sections = TARGETS[name]
    kind = draw(st.sampled_from(["status", "note", "lead", "due", "add", "import", "fmt"]))
    item_id, scale = draw(st.sampled_from(items))
    day = draw(st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31))).isoformat()
    base = ["update", item_id, str(plan), "--date", day]
    if kind == "status" and scale:
        return [*base, "--status", draw(st.sampled_from(scale))]
    if kind in ("status", "note"):
        return [*base, "--note", draw(TEXT)]
    if kind == "lead":
        return [*base, "--lead", draw(TEXT)]
    if kind == "due":
        return [*base, "--due", draw(DUES)]
    if kind == "add":
        args = ["add", draw(st.sampled_from(sections)), str(plan), "--title", draw(TEXT)]
        if draw(st.booleans()):
            args += ["--lead", draw(TEXT)]
        return args
    if kind == "import":
        table = tmp / "rows.csv"
        with table.open("w", encoding="utf-8", newline="") as fh:
            out = csv.writer(fh)
            out.writerow(["title", "due", "leads"])
            for _ in range(draw(st.integers(1, 3))):
                out.writerow([draw(TEXT), draw(DUES), draw(TEXT)])
        section = draw(st.sampled_from(sections))
        return ["import", str(table), "--plan", plan_id, "--section", section, "--plans-dir", str(tmp)]
    return ["fmt", str(plan)]


# Each example runs real commands on a 500-2,200 line plan (0.1-0.4 s each), so the
# short profile runs few examples; `make fuzz` runs many.
EXAMPLES = 6 if settings.default.max_examples <= 100 else 300


def test_random_edits_parse_everywhere(tmp_path: Path, strict: StrictYaml) -> None:
    """Random sequences of update/add/import/fmt on the shipped plans: after every command
    that succeeds, every parser accepts the file and reads the same data as planctl."""

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
    @given(data=st.data(), name=st.sampled_from(sorted(TARGETS)))
    def run(data: st.DataObject, name: str) -> None:
        plan = tmp_path / name
        shutil.copy(PLANS / name, plan)
        for _ in range(data.draw(st.integers(1, 3))):
            args = data.draw(command(name, plan, tmp_path))
            res = runner.invoke(app, args)
            assert res.exception is None or isinstance(res.exception, SystemExit), res.output
            assert res.exit_code in (0, 1), (args, res.output)
            if res.exit_code == 0:
                check_everywhere(strict, plan)

    run()

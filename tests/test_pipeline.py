"""Parallel reading: worker processes give exactly what one process gives, on real plans,
a generated corpus and a corpus built to exercise the cross-file checks."""

from __future__ import annotations

import json
import shutil
import sys
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planctl.api import pipeline
from planctl.cli import app
from planctl.lint import LintConfig, lint
from planctl.store.files import discover, load

ROOT = Path(__file__).resolve().parents[1]
AS_OF = "2026-11-24"
runner = CliRunner()

sys.path.insert(0, str(ROOT / "bench"))
from generate import generate  # noqa: E402


@pytest.fixture
def always_parallel(monkeypatch: pytest.MonkeyPatch) -> None:
    """Use the pool even for a handful of small files (the thresholds are for speed only)."""
    monkeypatch.setattr(pipeline, "MIN_FILES", 1)
    monkeypatch.setattr(pipeline, "MIN_BYTES", 0)


def _lint(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["lint", "--no-cache", "--as-of", AS_OF, *args])
    return result.exit_code, result.stdout


LINKED = {
    "a.yaml": """\
id: alpha
title: Alpha plan
sections:
  - id: work
    title: Employment
    leads: [Employment Lead]
    items:
      - id: A1
        title: Run the job club.
        due: June 2026
        links: [beta:B1, beta:B9, gamma:G1, A2, alpha:A1]
      # planctl: ignore[dangling-link]
      - id: A2
        title: Hold the job fair.
        due: June 2026
        links: [beta:B8]
      # planctl: ignore[dangling-link, missing-lead]
      - id: A3
        title: Write the employment plan.
        due: June 2026
        links: [beta:B1]
""",
    "b.yaml": """\
id: beta
title: Beta plan
sections:
  - id: homes
    title: Housing
    leads: [Housing Lead]
    items:
      - id: B1
        title: Open the new flats.
        due: May 2026
""",
    "c.yaml": """\
id: beta
title: A second plan that took the same id
sections:
  - id: more
    title: More housing
    leads: [Housing Lead]
    items:
      - id: B8
        title: Not found by links to beta (the first beta is b.yaml).
        due: May 2026
""",
}


@pytest.fixture
def linked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name, text in LINKED.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_cross_file_findings(linked: Path, always_parallel: None) -> None:
    code, out = _lint("-f", "json", "--jobs", "2", ".")
    found = {(d["file"], d["rule"], d["line"], d["message"]) for d in json.loads(out)}
    assert ("a.yaml", "dangling-link", 11, "link 'beta:B9': plan 'beta' has no item or section 'B9'") in found
    assert (
        "a.yaml",
        "dangling-link",
        11,
        "link 'gamma:G1': no item 'gamma:G1' here and no plan 'gamma' among those checked",
    ) in found
    assert ("c.yaml", "duplicate-id", 1, "plan id 'beta' is also used by another plan file") in found
    # beta:B8 is dangling (c.yaml is not the beta links reach) but suppressed on A2: used, not stale
    assert not [f for f in found if f[2] in (12, 16)]
    # on A3 the link resolves, so its dangling-link suppression is stale; missing-lead too
    stale = sorted(f[3] for f in found if f[1] == "unused-suppression")
    assert stale == [
        "suppression of 'dangling-link' is not needed: the rule finds nothing here",
        "suppression of 'missing-lead' is not needed: the rule finds nothing here",
    ]
    assert code == 1


def test_cross_file_same_as_library(linked: Path, always_parallel: None) -> None:
    """The CLI (workers) and lint() (one process, plans in memory) agree exactly."""
    results = [load(f) for f in discover([Path(".")])]
    texts = {r.file: Path(r.file).read_text(encoding="utf-8") for r in results}
    want = lint(results, LintConfig(), date.fromisoformat(AS_OF), texts=texts)
    code, out = _lint("-f", "json", "--jobs", "2", ".")
    got = json.loads(out)
    assert got == [d.to_json() for d in want]
    assert code == 1


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_shipped_plans_parallel_equals_sequential(in_repo: Path, always_parallel: None, fmt: str) -> None:
    one = _lint("-f", fmt, "--jobs", "1", "plans", "examples")
    two = _lint("-f", fmt, "--jobs", "2", "plans", "examples")
    assert one == two
    assert "leicester-big-plan" in one[1]


def test_generated_corpus_parallel_equals_sequential(tmp_path: Path, always_parallel: None) -> None:
    corpus = tmp_path / "corpus"
    generate(600, corpus, items_per_file=50)
    shutil.copy(ROOT / "examples" / "example-plan.yaml", corpus / "zz-example.yaml")
    one = _lint("--jobs", "1", str(corpus))
    two = _lint("--jobs", "2", str(corpus))
    assert one == two
    assert "13 files" in one[1]


def test_due_parallel_equals_sequential(in_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    args = ["due", "--before", "2026-04", "--as-of", AS_OF, "--include-undated", "--format", "json"]
    monkeypatch.setattr(pipeline, "default_jobs", lambda: 1)
    one = runner.invoke(app, args)
    monkeypatch.setattr(pipeline, "default_jobs", lambda: 2)
    monkeypatch.setattr(pipeline, "MIN_FILES", 1)
    monkeypatch.setattr(pipeline, "MIN_BYTES", 0)
    two = runner.invoke(app, args)
    assert (one.exit_code, one.stdout) == (two.exit_code, two.stdout)
    assert '"plan": "leicester-big-plan-2024-2026"' in one.stdout


def test_query_rows_in_file_order(in_repo: Path, always_parallel: None) -> None:
    """Rows keep document order across files, as the sort of every query relies on."""
    found = discover([Path("plans")])
    rows, problems = pipeline.query_rows(found, jobs=2)
    assert not problems
    assert [r.order for r in rows] == sorted(r.order for r in rows)
    assert [r.file for r in rows if r.order[1] == 0] == [f.display for f in found]


def test_small_input_stays_in_process(in_repo: Path) -> None:
    found = discover([Path("plans")])
    assert not pipeline.worth_parallel(found, 2)  # five plan files: a pool would not pay
    assert not pipeline.worth_parallel(found, 1)


def test_bad_jobs_is_a_usage_error(in_repo: Path) -> None:
    result = runner.invoke(app, ["lint", "--jobs", "-1", "plans"])
    assert result.exit_code == 2
    assert "--jobs" in result.stderr

"""Issue 17: the lint engine runs each rule by the scope its module declares, never by
its name, and the loader's problems (PL001 ``invalid``) are a rule module like the others."""

from __future__ import annotations

import inspect
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

import planctl.lint.engine as engine
from planctl.cli import app
from planctl.core.diagnostics import Severity
from planctl.core.validate import load_text
from planctl.lint import RULES, LintConfig, Rule, lint
from planctl.lint.base import Finding, ProjectFinding, RuleContext, Scope
from planctl.lint.registry import EXAMPLE_AS_OF
from planctl.lint.results import Outcome
from planctl.lint.rules import invalid

ROOT = Path(__file__).resolve().parent.parent
PLAN = """id: {id}
title: Plan {id}
sections:
  - id: work
    title: Work
    items:
      - id: A1
        title: Do the work.
        kind: topic
"""


def run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code in (0, 1), result.output
    return result.stdout


def test_rule_invalid_is_explained_from_its_module() -> None:
    doc = inspect.cleandoc(invalid.__doc__ or "")
    assert run("rule", "invalid") == f"PL001 invalid (error)\n\n{doc}\n"
    assert run("rule", "pl001") == run("rule", "invalid")
    listed = run("rules").splitlines()[0].split()
    assert listed[:3] == ["PL001", "invalid", "error"]


def test_sarif_describes_invalid_with_its_module_docstring() -> None:
    sarif = json.loads(run("lint", "--as-of", "2026-11-24", "--format", "sarif", "tests/data/bad"))
    rules = sarif["runs"][0]["tool"]["driver"]["rules"]
    assert rules[0]["id"] == "PL001"
    assert rules[0]["help"]["text"] == inspect.cleandoc(invalid.__doc__ or "")


@dataclass(frozen=True, slots=True)
class _NoOptions:
    pass


def _needs_partner(ctx: RuleContext) -> Iterator[Finding | ProjectFinding]:
    """A project rule no engine knows: each plan needs a plan 'partner' with an item A1."""
    where = Finding(("id",), "", hint="add the partner plan")
    messages = {Outcome.NO_PLAN: "no partner plan", Outcome.NO_ITEM: "partner has no A1"}
    yield ProjectFinding(where, "partner", "A1", messages)


def _rule(scope: Scope) -> Rule:
    return Rule(
        "PL999", "needs-partner", Severity.ERROR, _NoOptions, _needs_partner, "Needs a partner.", scope
    )


def test_a_new_project_rule_runs_by_its_declared_scope(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "RULES", (*RULES, _rule(Scope.PROJECT)))
    config = LintConfig(select=["needs-partner"])
    alone = load_text(PLAN.format(id="mine"), "mine.yaml")
    found = lint([alone], config, EXAMPLE_AS_OF)
    assert [(d.rule, d.message, d.line) for d in found] == [("needs-partner", "no partner plan", 1)]
    partner = load_text(PLAN.format(id="partner"), "partner.yaml")
    assert lint([alone, partner], config, EXAMPLE_AS_OF) == []
    partner_without = load_text(PLAN.format(id="partner").replace("A1", "B1"), "partner.yaml")
    found = lint([alone, partner_without], config, EXAMPLE_AS_OF)
    assert [(d.file, d.message) for d in found] == [
        ("mine.yaml", "partner has no A1"),
        ("partner.yaml", "partner has no A1"),  # the partner plan names itself: judged the same
    ]


def test_a_file_rule_may_not_defer_to_the_project(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "RULES", (*RULES, _rule(Scope.FILE)))
    with pytest.raises(TypeError, match="needs-partner"):
        lint(
            [load_text(PLAN.format(id="mine"), "mine.yaml")],
            LintConfig(select=["needs-partner"]),
            EXAMPLE_AS_OF,
        )


def test_the_engine_names_no_rule() -> None:
    source = (ROOT / "src/planctl/lint/engine.py").read_text(encoding="utf-8")
    assert "planctl.lint.rules" not in source
    assert [r.name for r in RULES if f'"{r.name}"' in source or f"'{r.name}'" in source] == []

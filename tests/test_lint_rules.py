"""Every rule's documented examples: the failing one fails, the passing one passes."""

from __future__ import annotations

import pytest

from planctl.core.validate import load_text
from planctl.lint import RULES, LintConfig, Rule, lint
from planctl.lint.registry import EXAMPLE_AS_OF


def _run(rule: Rule, yaml_text: str) -> list[str]:
    result = load_text(yaml_text, "example.yaml")
    assert result.problems == [], [d.message for d in result.problems]
    # unused-suppression judges comments about the other rules, so it runs with them all.
    config = LintConfig(select=["ALL"] if rule.name == "unused-suppression" else [rule.name])
    diags = lint([result], config, EXAMPLE_AS_OF, texts={"example.yaml": yaml_text})
    if rule.name == "unused-suppression":
        return [d.rule for d in diags if d.rule == rule.name]
    return [d.rule for d in diags]


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_failing_example_is_reported(rule: Rule) -> None:
    example = rule.example("Example")
    assert example, f"{rule.name}: docstring has no '## Example' YAML block"
    assert rule.name in _run(rule, example)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_passing_example_is_clean(rule: Rule) -> None:
    example = rule.example("Use instead")
    assert example, f"{rule.name}: docstring has no '## Use instead' YAML block"
    assert rule.name not in _run(rule, example)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_docstring_has_every_part(rule: Rule) -> None:
    for heading in ("What it does", "Why is this bad?", "Options", "Example", "Use instead"):
        assert rule.section(heading), f"{rule.name}: no '## {heading}'"
    documented = rule.section("Options")
    for f in rule.option_fields():
        assert f"`{f.name}`" in documented, f"{rule.name}: option {f.name} is not documented"


def test_codes_and_names_are_unique_and_grouped() -> None:
    assert len({r.code for r in RULES}) == len(RULES)
    assert len({r.name for r in RULES}) == len(RULES)
    assert all(r.code[:3] in ("PL1", "PL2", "PL3", "PL4", "PL5", "PL6") for r in RULES)

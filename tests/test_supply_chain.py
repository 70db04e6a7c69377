"""Installing planctl never installs a stranger's code, and a failed install is never hidden.

"planctl" on the package index is an unrelated project, so the distribution is called
``plans-as-code`` (the command and the import package stay ``planctl``), and every
document installs this repository at a tag or by that name.
"""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = sorted([ROOT / "README.md", *(ROOT / "docs").rglob("*.md")])

# "pip install planctl", "pip install -U 'planctl[pdf]'", "pipx install planctl==1.0"...
BY_OLD_NAME = re.compile(
    r"\b(?:pip3?|pipx|uv (?:pip|tool)) install\b[^\n`]*?(?<![\w/@.-])['\"]?planctl\b(?![\w/-])"
)
# a command line that ends in "|| true" (or "|| :"), before any comment
HIDDEN_FAILURE = re.compile(
    r"\b(?:install|lint|validate|planctl)\b[^\n]*\|\|\s*(?:true|:)[ \t]*(?:#[^\n]*)?$", re.M
)


def test_the_distribution_is_plans_as_code_and_the_command_planctl() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["name"] == "plans-as-code"
    assert project["scripts"] == {"planctl": "planctl.entry:main"}
    installed = metadata.distribution("plans-as-code")
    assert installed.metadata["Name"] == "plans-as-code"
    assert [e.name for e in installed.entry_points if e.group == "console_scripts"] == ["planctl"]


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_document_installs_the_unrelated_planctl_or_hides_a_failure(doc: Path) -> None:
    text = doc.read_text(encoding="utf-8")
    assert BY_OLD_NAME.findall(text) == []
    assert HIDDEN_FAILURE.findall(text) == []


def test_the_ci_document_installs_this_repository_at_a_tag() -> None:
    text = (ROOT / "docs" / "github-actions.md").read_text(encoding="utf-8")
    installs = re.findall(r"pip install [^\n]*", text)
    assert installs
    assert all(re.search(r'"git\+https://github\.com/<owner>/<repo>@v\d+\.\d+\.\d+"', i) for i in installs)


def test_the_scanner_catches_what_it_is_for() -> None:
    """The patterns above match the lines this repository used to ship."""
    assert BY_OLD_NAME.search("      - run: pip install planctl   # or: ...")
    assert BY_OLD_NAME.search("(needs WeasyPrint: `pip install 'planctl[pdf]'`)")
    assert not BY_OLD_NAME.search('pip install "git+https://github.com/<owner>/<repo>@v0.1.0"')
    assert not BY_OLD_NAME.search("pip install 'plans-as-code[pdf]'")
    assert HIDDEN_FAILURE.search("- run: planctl lint --format sarif plans/ > planctl.sarif || true")
    assert HIDDEN_FAILURE.search("- run: pip install planctl || true   # keep going")
    assert not HIDDEN_FAILURE.search("no workflow hides a failed install behind `|| true`;")

"""Issue 17: the plain tables copy rich's layout, so the rich releases planctl allows are
the ones the copy was checked against (rich 14.2 and older fold long words differently)."""

from __future__ import annotations

import tomllib
from importlib.metadata import version
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]


def _rich() -> Requirement:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return next(r for r in map(Requirement, project["dependencies"]) if r.name == "rich")


def test_rich_is_pinned_to_the_releases_the_plain_tables_match() -> None:
    spec = _rich().specifier
    assert version("rich") in spec  # the one tests/test_output.py compares with
    assert "14.3.0" in spec  # the oldest checked (make rich-floor)
    assert "14.2.0" not in spec  # long words fold otherwise: pipes and terminals would differ
    assert "16.0.0" not in spec  # a release nobody has checked

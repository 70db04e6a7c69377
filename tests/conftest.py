"""Shared fixtures: the shipped plans, loaded once per test session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from planctl.core.models import Plan
from planctl.store.files import discover, load

ROOT = Path(__file__).resolve().parents[1]
PLANS = ROOT / "plans"
SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.fixture(scope="session")
def shipped() -> dict[str, Plan]:
    """Every plan in plans/ by plan id; fails loudly if any is invalid."""
    plans: dict[str, Plan] = {}
    for found in discover([PLANS]):
        result = load(found)
        assert result.plan is not None, [d.message for d in result.problems]
        plans[result.plan.id] = result.plan
    return plans


@pytest.fixture(scope="session")
def seeds() -> Path:
    """The folder of source documents the plans were transcribed from.

    It sits beside the repository, not in it: where it is absent (a fresh clone, a
    packaging build) the tests that compare plans with their sources are skipped.
    """
    if not SEEDS.is_dir():
        pytest.skip("source documents not available")
    return SEEDS


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the shipped plans in a project folder of its own, as the working folder
    (so a test's .planctl_cache/ is its own)."""
    shutil.copytree(PLANS, tmp_path / "plans")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def in_repo(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run a test from the repository root, as a user would."""
    monkeypatch.chdir(ROOT)
    return ROOT


# Hypothesis profiles: "ci" keeps `make test` short; `make fuzz` runs the "fuzz" profile.
import os  # noqa: E402

from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile(
    "ci", max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True
)
settings.register_profile(
    "fuzz", max_examples=10_000, deadline=None, suppress_health_check=list(HealthCheck), print_blob=True
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

"""The names in a plan repository that planctl looks for: one home for each (pure)."""

from __future__ import annotations

PLANS_DIR = "plans"
"""The folder of plan files that commands read when given no paths."""

CONFIG_FILE = "planctl.toml"
"""The configuration file (or ``[tool.planctl]`` in ``pyproject.toml``)."""

CACHE_DIR = ".planctl_cache"
"""The answer cache at the project root (it ignores itself with its own .gitignore)."""

"""Finding and reading the lint configuration file: the file edge of :mod:`planctl.lint.config`."""

from __future__ import annotations

from pathlib import Path

from planctl.lint.config import (
    CONFIG_FILE,
    ConfigError,
    LintConfig,
    has_planctl_table,
    parse_config,
    templates_setting,
)


def find_config_file(start: Path) -> Path | None:
    """The nearest planctl.toml, or pyproject.toml with ``[tool.planctl]``, walking up."""
    for folder in (start.resolve(), *start.resolve().parents):
        candidate = folder / CONFIG_FILE
        if candidate.is_file():
            return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            try:
                text = pyproject.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            if has_planctl_table(text):
                return pyproject
    return None


def load_config(path: Path) -> LintConfig:
    """Read ``path`` (planctl.toml: the whole file; pyproject.toml: ``[tool.planctl]``)."""
    return parse_config(_read(path), str(path))


def load_templates_setting(path: Path) -> Path | None:
    """Only the configuration's ``templates`` folder, as render needs (see templates_setting)."""
    found = templates_setting(_read(path), str(path))
    return Path(found) if found is not None else None


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None

"""Finding and reading the lint configuration file: the file edge of :mod:`planctl.lint.config`."""

from __future__ import annotations

from pathlib import Path

from planctl.lint.config import (
    MAX_CONFIG_BYTES,
    ConfigError,
    LintConfig,
    has_planctl_table,
    parse_config,
    templates_setting,
)
from planctl.store.layout import CONFIG_FILE
from planctl.store.safefiles import FileRefusedError, read_regular


def find_config_file(start: Path) -> Path | None:
    """The nearest planctl.toml, or pyproject.toml with ``[tool.planctl]``, walking up."""
    for folder in (start.resolve(), *start.resolve().parents):
        candidate = folder / CONFIG_FILE
        if candidate.exists() or candidate.is_symlink():  # a FIFO or broken link is reported on reading
            return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and has_planctl_table(_read(pyproject), str(pyproject)):
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
    """The file's text: a regular file of at most 1 MiB (a FIFO or a link to a device named
    planctl.toml must not hang or flood the run)."""
    try:
        return read_regular(path, MAX_CONFIG_BYTES).decode("utf-8")
    except FileRefusedError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.reason}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None

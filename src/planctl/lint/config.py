"""Lint configuration: ``[tool.planctl]`` in pyproject.toml or a planctl.toml.

:func:`parse_config` is pure (a dict in, a :class:`LintConfig` out, or a
:class:`ConfigError` saying what to change); :func:`find_config_file` and
:func:`load_config` are the file edge, used by the CLI.
"""

from __future__ import annotations

import dataclasses
import tomllib
import types
import typing
from dataclasses import dataclass, field
from datetime import date
from pathlib import PurePath
from typing import Any

from planctl.core.diagnostics import Severity

if typing.TYPE_CHECKING:
    from planctl.lint.registry import Rule

MAX_OPTION_NUMBER = 1_000_000  # a rule option (days, words, a score) never needs more
MAX_CONFIG_BYTES = 1 << 20  # a configuration file is a few lines
_TOP_KEYS = ("select", "ignore", "severity", "per-path-ignores", "rules", "as-of", "templates")


class ConfigError(Exception):
    """The configuration cannot be used: a usage error (exit 2)."""


@dataclass(slots=True)
class LintConfig:
    select: list[str] = field(default_factory=lambda: ["ALL"])
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, Severity] = field(default_factory=dict)  # rule name -> severity
    per_path_ignores: dict[str, list[str]] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)  # rule name -> options instance
    as_of: date | None = None
    include_closed: bool = False  # --include-closed: check closed plans and sections too
    # 'planctl render' and 'planctl templates': a folder of the user's own templates,
    # relative to the configuration file, used when --templates is not given
    templates: PurePath | None = None
    source: str | None = None  # where it was read from, for messages

    def enabled(self, rule: Rule) -> bool:
        return rule.matches_any(self.select) and not rule.matches_any(self.ignore)

    def severity_for(self, rule: Rule) -> Severity:
        return self.severity.get(rule.name, rule.severity)

    def options_for(self, rule: Rule) -> Any:
        return self.options.get(rule.name) or rule.options_type()


def parse_config(text: str, source_name: str) -> LintConfig:
    """The configuration in a file's text; ``source_name`` is its path, for messages.

    A pyproject.toml gives its ``[tool.planctl]`` table; a planctl.toml is the table
    itself (or holds ``[tool.planctl]``).
    """
    data, source = _planctl_table(text, source_name)
    cfg = config_from_table(data, source)
    if cfg.templates is not None:
        cfg.templates = PurePath(source_name).parent / cfg.templates
    return cfg


def templates_setting(text: str, source_name: str) -> PurePath | None:
    """Only the ``templates`` folder (relative to the file), for ``planctl render``.

    Render need not load every lint rule to check the rest of the file: ``planctl
    lint`` reports a configuration's other mistakes.
    """
    data, source = _planctl_table(text, source_name)
    if "templates" not in data:
        return None
    return PurePath(source_name).parent / _templates(data["templates"], source)


def _planctl_table(text: str, source_name: str) -> tuple[dict[str, Any], str]:
    """The planctl table of a file's text, and how messages name it."""
    data = _toml(text, source_name)
    if _is_pyproject(source_name):
        data = data.get("tool", {}).get("planctl", {})
        source = f"{source_name} [tool.planctl]"
    else:
        data = data.get("tool", {}).get("planctl", data) if "tool" in data else data
        source = source_name
    return _table(data, source_name), source


def _templates(value: Any, where: str) -> PurePath:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f'{where}: templates must be a folder name, like templates = "my-templates"')
    return PurePath(value)


def _toml(text: str, source_name: str) -> dict[str, Any]:
    """Parsed TOML, or a ConfigError naming the file and the line and column of the problem."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source_name}: not valid TOML: {exc}") from None
    except RecursionError:
        raise ConfigError(f"{source_name}: not valid TOML: nested too deeply") from None


def has_planctl_table(pyproject_text: str, source_name: str = "pyproject.toml") -> bool:
    """True when a pyproject.toml's text has a ``[tool.planctl]`` table.

    A file that never mentions planctl is someone else's and is passed over even if it
    is broken; one that does and is not valid TOML is reported (ConfigError), because
    its settings would otherwise be silently ignored.
    """
    if "planctl" not in pyproject_text:
        return False
    tool = _toml(pyproject_text, source_name).get("tool", {})
    return isinstance(tool, dict) and "planctl" in tool


def _is_pyproject(source_name: str) -> bool:
    return PurePath(source_name).name == "pyproject.toml"


def config_from_table(data: dict[str, Any], source: str = "configuration") -> LintConfig:
    """Check and convert a ``[tool.planctl]`` table; unknown names are errors."""
    where = source
    for key in data:
        if key not in _TOP_KEYS:
            raise ConfigError(f"{where}: unknown key {key!r}; known keys: {', '.join(_TOP_KEYS)}")
    cfg = LintConfig(source=source)
    if "select" in data:
        cfg.select = _selectors(data["select"], f"{where}: select")
    cfg.ignore = _selectors(data.get("ignore", []), f"{where}: ignore")
    for key, value in _table(data.get("severity", {}), f"{where}: severity").items():
        rule = _rule(key, f"{where}: severity")
        try:
            cfg.severity[rule.name] = Severity.parse(str(value))
        except ValueError as exc:
            raise ConfigError(f"{where}: severity.{key}: {exc}") from None
    for pattern, selectors in _table(data.get("per-path-ignores", {}), f"{where}: per-path-ignores").items():
        cfg.per_path_ignores[pattern] = _selectors(selectors, f"{where}: per-path-ignores.{pattern!r}")
    for key, value in _table(data.get("rules", {}), f"{where}: rules").items():
        rule = _rule(key, f"{where}: rules")
        cfg.options[rule.name] = _options(rule, _table(value, f"{where}: rules.{key}"), where)
    if "as-of" in data:
        value = data["as-of"]
        if isinstance(value, date) and not hasattr(value, "hour"):
            cfg.as_of = value
        else:
            try:
                cfg.as_of = date.fromisoformat(str(value))
            except ValueError:
                raise ConfigError(f"{where}: as-of must be a date like 2026-04-01, got {value!r}") from None
    if "templates" in data:
        cfg.templates = _templates(data["templates"], where)
    return cfg


def _table(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where} must be a table")
    return value


def _selectors(value: Any, where: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where} must be a list of rule names or codes")
    from planctl.lint.registry import selector_known

    for v in value:
        if not selector_known(v):
            raise ConfigError(f"{where}: unknown rule {v!r}; see 'planctl rules'")
    return list(value)


def _rule(key: str, where: str) -> Rule:
    from planctl.lint.registry import find_rule

    rule = find_rule(key)
    if rule is None:
        raise ConfigError(f"{where}: unknown rule {key!r}; see 'planctl rules'")
    return rule


def _options(rule: Rule, values: dict[str, Any], where: str) -> Any:
    fields = {f.name: f for f in rule.option_fields()}
    kwargs: dict[str, Any] = {}
    hints = typing.get_type_hints(rule.options_type)
    for key, value in values.items():
        name = key.replace("-", "_")
        if name not in fields:
            known = ", ".join(fields) or "none"
            raise ConfigError(f"{where}: rules.{rule.name}: unknown option {key!r}; options: {known}")
        if not _fits(value, hints[name]):
            raise ConfigError(
                f"{where}: rules.{rule.name}.{key}: expected {_type_words(hints[name])}, got {value!r}"
            )
        kwargs[name] = tuple(value) if isinstance(value, list) else value
    return dataclasses.replace(rule.options_type(), **kwargs)


def _fits(value: Any, hint: Any) -> bool:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return any(_fits(value, a) for a in typing.get_args(hint))
    if hint is type(None):
        return value is None
    if origin in (tuple, list):
        args = [a for a in typing.get_args(hint) if a is not Ellipsis]
        return isinstance(value, list) and all(_fits(v, args[0]) for v in value)
    if hint is int:  # bounded: a day count of 10**30 would overflow every date sum
        return isinstance(value, int) and not isinstance(value, bool) and abs(value) <= MAX_OPTION_NUMBER
    if hint is float:
        return (
            isinstance(value, int | float) and not isinstance(value, bool) and abs(value) <= MAX_OPTION_NUMBER
        )
    return isinstance(value, hint)


def _type_words(hint: Any) -> str:
    origin = typing.get_origin(hint)
    if origin in (tuple, list):
        return "a list"
    words = {
        int: f"a whole number up to {MAX_OPTION_NUMBER:,}",
        float: f"a number up to {MAX_OPTION_NUMBER:,}",
        str: "text",
        bool: "true or false",
    }
    return words.get(hint, str(hint))

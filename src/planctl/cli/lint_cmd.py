"""``planctl lint``, ``planctl rules`` and ``planctl rule``."""

from __future__ import annotations

import contextlib
import os
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from planctl.cli import app
from planctl.cli.common import FollowOpt, PathsArg, fail_usage, paths_or_default, stdout_is_terminal

if TYPE_CHECKING:
    from collections.abc import Sequence

    from planctl.diagnostics import Diagnostic


class LintFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"
    sarif = "sarif"


class FailOn(StrEnum):
    error = "error"
    warning = "warning"


@app.command()
def lint(
    paths: list[Path] | None = PathsArg,
    fmt: LintFormat = typer.Option(
        LintFormat.text,
        "--format",
        "-f",
        help="text, json, github (Actions annotations) or sarif (code scanning).",
    ),
    config_file: Path | None = typer.Option(
        None,
        "--config",
        help="A planctl.toml or pyproject.toml to use (default: the nearest one, walking up from here).",
    ),
    select: str | None = typer.Option(
        None,
        "--select",
        help="Only these rules: names, codes or prefixes, comma-separated (e.g. PL1,missing-due).",
    ),
    ignore: str | None = typer.Option(None, "--ignore", help="Also skip these rules (comma-separated)."),
    as_of: str | None = typer.Option(
        None, "--as-of", help="Judge deadlines as of this date (default: the config's as-of, else today)."
    ),
    strict: bool = typer.Option(False, "--strict", help="Fail on warnings too (same as --fail-on warning)."),
    fail_on: FailOn = typer.Option(
        FailOn.error, "--fail-on", help="The lowest severity that makes the exit status 1."
    ),
    follow_symlinks: bool = FollowOpt,
) -> None:
    """Find the gaps in plans: no lead, no deadline, stale ratings, broken links, template text.

    Reports problems as file:line:column with the rule's name; 'planctl rule NAME' explains
    one. Invalid files are reported as errors (rule 'invalid'). Exit 0 when there are no
    errors, 1 when there are (or warnings, with --strict), 2 on usage errors.
    """
    from datetime import date

    from planctl.dates import parse_query_date
    from planctl.diagnostics import Severity
    from planctl.files import UsageError, load_all
    from planctl.lint import ConfigError, LintConfig
    from planctl.lint import lint as run_lint
    from planctl.lint.config import find_config_file, load_config
    from planctl.lint.registry import selector_known

    try:
        if config_file is not None:
            if not config_file.is_file():
                fail_usage(f"--config {config_file}: no such file")
            config = load_config(config_file)
        else:
            found = find_config_file(Path.cwd())
            config = load_config(found) if found else LintConfig()
    except ConfigError as exc:
        fail_usage(str(exc))
    for option, value in (("--select", select), ("--ignore", ignore)):
        if value is None:
            continue
        wanted = [v.strip() for v in value.split(",") if v.strip()]
        unknown = [v for v in wanted if not selector_known(v)]
        if unknown:
            fail_usage(f"{option}: unknown rule {unknown[0]!r}; see 'planctl rules'")
        if option == "--select":
            config.select = wanted
        else:
            config.ignore = [*config.ignore, *wanted]
    today = date.today()
    when = config.as_of or today
    if as_of is not None:
        try:
            parsed = parse_query_date(as_of, today)
        except ValueError as exc:
            fail_usage(f"--as-of: {exc}")
        if parsed.start is None:
            fail_usage(f"--as-of: cannot read {as_of!r} as a date")
        when = parsed.start
    try:
        results = load_all(paths_or_default(paths), follow_symlinks=follow_symlinks)
    except UsageError as exc:
        fail_usage(str(exc))
    texts = {}
    for r in results:
        if r.plan is not None:
            # a file that vanished since loading just has no suppression comments
            with contextlib.suppress(OSError):
                texts[r.file] = Path(r.file).read_text(encoding="utf-8-sig", errors="replace")
    diags = run_lint(results, config, when, texts=texts)
    _print(diags, fmt, checked=len(results))
    threshold = Severity.WARNING if strict or fail_on is FailOn.warning else Severity.ERROR
    raise typer.Exit(1 if any(d.severity >= threshold for d in diags) else 0)


def _print(diags: Sequence[Diagnostic], fmt: LintFormat, *, checked: int) -> None:
    import json
    import sys

    from planctl.report import print_diagnostics

    if fmt is LintFormat.sarif:
        from planctl.lint.sarif import to_sarif

        json.dump(to_sarif(diags), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    elif fmt is not LintFormat.text:
        print_diagnostics(diags, fmt.value, checked=checked)
    else:
        _print_text(diags, checked=checked)


def _print_text(diags: Sequence[Diagnostic], *, checked: int) -> None:
    """Grouped by file, coloured on a terminal, with counts by severity and by rule."""
    from collections import Counter

    from planctl.diagnostics import Severity

    colour = stdout_is_terminal() and "NO_COLOR" not in os.environ
    styles = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}

    def style(text: str, **kw: object) -> str:
        return typer.style(text, **kw) if colour else text  # type: ignore[arg-type]

    current: str | None = None
    for d in diags:
        if d.file != current:
            if current is not None:
                typer.echo("")
            typer.echo(style(d.file, bold=True))
            current = d.file
        sev = style(str(d.severity), fg=styles[d.severity], bold=True)
        typer.echo(f"{d.location}: {sev} {style(d.rule, bold=True)} {d.message}")
        if d.hint:
            typer.echo(style(f"    hint: {d.hint}", dim=True))
    files = f"{checked} file{'s' if checked != 1 else ''}"
    if not diags:
        typer.echo(f"{files} checked, no problems")
        return
    typer.echo("")
    by_severity = Counter(d.severity for d in diags)
    parts = [
        f"{by_severity[s]} {s}{'s' if by_severity[s] != 1 else ''}" for s in sorted(by_severity, reverse=True)
    ]
    by_rule = Counter((d.code, d.rule) for d in diags)
    rules = ", ".join(f"{n} {name}" for (_code, name), n in sorted(by_rule.items()))
    typer.echo(f"{', '.join(parts)} in {len({d.file for d in diags})} of {files} ({rules})")


@app.command("rules")
def rules_cmd() -> None:
    """List every lint rule: code, name, default severity and what it finds."""
    from planctl.lint import RULES

    width = max(len(r.name) for r in RULES)
    typer.echo(f"{'PL001':6} {'invalid':{width}} {'error':7} The file is not a valid plan (YAML or schema).")
    for r in RULES:
        typer.echo(f"{r.code:6} {r.name:{width}} {r.severity!s:7} {r.summary}")


@app.command("rule")
def rule_cmd(
    name: str = typer.Argument(..., help="A rule name (missing-lead) or code (PL101)."),
) -> None:
    """Explain one lint rule, with an example that fails and one that passes."""
    from planctl.lint import find_rule

    if name.strip() in ("invalid", "PL001", "pl001"):
        typer.echo(
            "PL001 invalid (error)\n\nThe file is not valid YAML or does not match the plan schema.\n"
            "'planctl validate' reports the same problems; they are always errors."
        )
        return
    rule = find_rule(name)
    if rule is None:
        fail_usage(f"no rule {name!r}; 'planctl rules' lists them")
    typer.echo(f"{rule.code} {rule.name} (default: {rule.severity})\n")
    typer.echo(rule.doc.strip())
    fields = rule.option_fields()
    if fields:
        typer.echo(f"\nConfigure in planctl.toml or pyproject.toml:\n  [tool.planctl.rules.{rule.name}]")
        for f in fields:
            typer.echo(f"  {f.name} = {_toml(f.default)}")
    if "planctl: ignore[" not in rule.doc:
        typer.echo(
            f"\nTurn it off for one item: put '# planctl: ignore[{rule.name}]' on the line above its '- id:'."
        )


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, str):
        return '"' + value.replace('"', '\\"') + '"'
    return str(value)

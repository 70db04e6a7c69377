"""``planctl lint``, ``planctl rules`` and ``planctl rule``."""

from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from planctl.cli import app
from planctl.cli.common import (
    discover_or_exit,
    fail_usage,
    resolve_day,
    today_from_clock,
    use_colour,
)
from planctl.cli.options import FollowSymlinks, LintFormat, Paths
from planctl.core.text import did_you_mean
from planctl.output.emit import Format

if TYPE_CHECKING:
    from collections.abc import Sequence

    from planctl.core.diagnostics import Diagnostic
    from planctl.lint.config import LintConfig
    from planctl.store.cache import Cache


class FailOn(StrEnum):
    error = "error"
    warning = "warning"


@app.command()
def lint(
    paths: Paths = None,
    fmt: LintFormat = Format.text,
    config_file: Path | None = typer.Option(
        None,
        "--config",
        metavar="FILE",
        help="A planctl.toml or pyproject.toml to use (default: the nearest one, walking up from here).",
    ),
    select: str | None = typer.Option(
        None,
        "--select",
        metavar="RULES",
        help="Only these rules: names, codes or prefixes, comma-separated (e.g. PL1,missing-due).",
    ),
    ignore: str | None = typer.Option(
        None, "--ignore", metavar="RULES", help="Also skip these rules (comma-separated)."
    ),
    as_of: str | None = typer.Option(
        None,
        "--as-of",
        metavar="DAY",
        help="Judge deadlines as of this date (default: the config's as-of, else today).",
    ),
    include_closed: bool = typer.Option(
        False,
        "--include-closed",
        help="Check items of plans and sections closed by the as-of date too (left out by default).",
    ),
    strict: bool = typer.Option(False, "--strict", help="Fail on warnings too (same as --fail-on warning)."),
    fail_on: FailOn = typer.Option(
        FailOn.error, "--fail-on", help="The lowest severity that makes the exit status 1."
    ),
    follow_symlinks: FollowSymlinks = False,
    no_cache: bool = typer.Option(
        False, "--no-cache", help="Check every file afresh; do not read or write .planctl_cache/."
    ),
    jobs: int = typer.Option(
        0,
        "--jobs",
        "-j",
        metavar="N",
        help="Worker processes (default: one per CPU; 1 = no workers).",
        show_default=False,
    ),
) -> None:
    """Find the gaps in plans: no lead, no deadline, stale ratings, broken links, template text.

    Reports problems as file:line:column with the rule's name; 'planctl rule NAME' explains
    one. Invalid files are reported as errors (rule 'invalid'). Exit 0 when there are no
    errors, 1 when there are (or warnings, with --strict), 2 on usage errors.

    Results are cached per file in .planctl_cache/ (safe to delete): an unchanged file
    is not checked again until planctl, the configuration or the as-of date changes.
    """
    from planctl.api.pipeline import default_jobs, lint_found
    from planctl.core.diagnostics import Severity

    if jobs < 0:
        fail_usage("--jobs must be 1 or more (or 0 for one per CPU)")
    if as_of is not None:  # a bad day is a usage error even when every file is cached
        resolve_day(as_of, "--as-of", today_from_clock())

    def prepare() -> "tuple[LintConfig, date]":
        config, when = _prepare(config_file, select, ignore, as_of)
        config.include_closed = include_closed
        return config, when

    settings = prepare
    cache = None
    if no_cache:
        ready = prepare()  # usage errors first, before anything is read

        def settings() -> "tuple[LintConfig, date]":
            return ready
    else:
        cache = _cache(config_file, select, ignore, as_of, include_closed)
    found = discover_or_exit(paths, follow_symlinks)
    run = lint_found(found, settings, jobs=jobs or default_jobs(), cache=cache)
    diags = run.diagnostics
    _print(diags, fmt, checked=run.checked)
    threshold = Severity.WARNING if strict or fail_on is FailOn.warning else Severity.ERROR
    raise typer.Exit(1 if any(d.severity >= threshold for d in diags) else 0)


def _prepare(
    config_file: Path | None, select: str | None, ignore: str | None, as_of: str | None
) -> "tuple[LintConfig, date]":
    """The configuration and as-of date, or a usage error (exit 2)."""
    from planctl.lint import ConfigError, LintConfig
    from planctl.lint.registry import selector_known
    from planctl.store.configfile import find_config_file, load_config

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
    today = today_from_clock()
    when = resolve_day(as_of, "--as-of", today) if as_of is not None else config.as_of or today
    return config, when


def _cache(
    config_file: Path | None, select: str | None, ignore: str | None, as_of: str | None, include_closed: bool
) -> "Cache":
    """The lint cache for these settings, keyed without loading the rules.

    The key takes the settings as given (every configuration file that could apply, the
    options as typed, today's date when the as-of date is relative or unset), so a run
    answered wholly from the cache never parses them: each entry was written by a run
    that did, with exactly these inputs.
    """
    import hashlib
    import re

    from planctl.lint.config import MAX_CONFIG_BYTES
    from planctl.store.cache import Cache, context_digest, project_root
    from planctl.store.layout import CACHE_DIR
    from planctl.store.safefiles import read_regular

    h = hashlib.sha256()
    if config_file is not None:
        candidates = [config_file]
    else:
        here = Path.cwd().resolve()
        candidates = [f / name for f in (here, *here.parents) for name in ("planctl.toml", "pyproject.toml")]
    for candidate in candidates:
        try:
            data = read_regular(candidate, MAX_CONFIG_BYTES)
        except OSError:
            continue
        h.update(str(candidate).encode() + b"\0" + hashlib.sha256(data).digest())
    fixed = as_of is not None and re.fullmatch(r"\d{4}-\d{2}-\d{2}", as_of.strip()) is not None
    when = f"{as_of}" if fixed else f"{as_of}@{today_from_clock().isoformat()}"
    context = context_digest(
        h.hexdigest(),
        f"select={select!r}",
        f"ignore={ignore!r}",
        f"as-of={when}",
        f"include-closed={include_closed}",
    )
    return Cache(project_root(Path.cwd()) / CACHE_DIR, "lint", context)


def _print(diags: "Sequence[Diagnostic]", fmt: Format, *, checked: int) -> None:
    import sys

    from planctl.output.report import print_diagnostics

    if fmt is Format.sarif:
        from pathlib import PurePosixPath

        from planctl.lint.sarif import to_sarif
        from planctl.output.formats import write_json

        write_json(to_sarif(diags, PurePosixPath(Path.cwd().as_posix())), sys.stdout)
    elif fmt is not Format.text:
        print_diagnostics(diags, fmt.value, checked=checked)
    else:
        _print_text(diags, checked=checked)


def _print_text(diags: "Sequence[Diagnostic]", *, checked: int) -> None:
    """Grouped by file, coloured on a terminal, with counts by severity and by rule."""
    from collections import Counter

    from planctl.cli.common import Lines, format_message, say_text
    from planctl.core.diagnostics import Severity
    from planctl.output.report import detail_lines, problem_line

    colour = use_colour()
    lines: list[str] = []  # written at once: tens of thousands of echo calls are slow
    current: str | None = None
    if colour:
        # The colours are in the templates; the values go in made safe (format_message).
        styles = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
        shapes = {
            s: problem_line("{}", typer.style(str(s), fg=c, bold=True), typer.style("{}", bold=True), "{}")
            for s, c in styles.items()
        }
        file_shape, detail_shape = typer.style("{}", bold=True), typer.style("{}", dim=True)
        for d in diags:
            if d.file != current:
                if current is not None:
                    lines.append("")
                lines.append(format_message(file_shape, d.file))
                current = d.file
            lines.append(format_message(shapes[d.severity], d.location, d.rule, Lines(d.message)))
            lines.extend(format_message(detail_shape, Lines(line)) for line in detail_lines(d))
    else:
        # Plain text: made safe once, as a whole, below (tens of thousands of findings).
        names = {s: str(s) for s in Severity}
        name = ""  # the file name on one line: a newline in it would forge a finding
        for d in diags:
            if d.file != current:
                if current is not None:
                    lines.append("")
                name = format_message("{}", d.file)
                lines.append(name)
                current = d.file
            lines.append(problem_line(f"{name}:{d.line}:{d.column}", names[d.severity], d.rule, d.message))
            lines.extend(detail_lines(d))
    files = f"{checked} file{'s' if checked != 1 else ''}"
    if not diags:
        typer.echo(f"{files} checked, no problems")
        return
    lines.append("")
    by_severity = Counter(d.severity for d in diags)
    parts = [
        f"{by_severity[s]} {s}{'s' if by_severity[s] != 1 else ''}" for s in sorted(by_severity, reverse=True)
    ]
    by_rule = Counter((d.code, d.rule) for d in diags)
    rules = ", ".join(f"{n} {name}" for (_code, name), n in sorted(by_rule.items()))
    lines.append(f"{', '.join(parts)} in {len({d.file for d in diags})} of {files} ({rules})")
    text = "\n".join(lines)
    if colour:
        typer.echo(text)  # made safe line by line above, around the colours
    else:
        say_text(text)


@app.command("rules")
def rules_cmd() -> None:
    """List every lint rule: code, name, default severity and what it finds."""
    from planctl.lint.registry import DOCUMENTED

    width = max(len(r.name) for r in DOCUMENTED)
    for r in DOCUMENTED:
        typer.echo(f"{r.code:6} {r.name:{width}} {r.severity!s:7} {r.summary}")


@app.command("rule")
def rule_cmd(
    name: str = typer.Argument(..., metavar="NAME", help="A rule name (missing-lead) or code (PL101)."),
) -> None:
    """Explain one lint rule, with an example that fails and one that passes."""
    from planctl.lint import find_rule
    from planctl.lint.base import Scope

    rule = find_rule(name, documented=True)
    if rule is not None and rule.scope is Scope.LOAD:  # always an error: no options, no suppression
        typer.echo(f"{rule.code} {rule.name} (error)\n")
        typer.echo(rule.doc.strip())
        return
    if rule is None:
        from planctl.lint import RULES

        hint = did_you_mean(name, [r.name for r in RULES]) or "; 'planctl rules' lists them"
        fail_usage(f"no rule {name!r}{hint}")
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

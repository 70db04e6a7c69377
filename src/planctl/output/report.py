"""Printing diagnostics for people (text) and machines (json, github)."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Sequence
from typing import TextIO

from planctl.core.diagnostics import LOAD_RULE, Diagnostic, Severity
from planctl.core.text import safe_line, safe_text


def _escape_github(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_github_prop(text: str) -> str:
    return _escape_github(text).replace(":", "%3A").replace(",", "%2C")


def _schema_path(d: Diagnostic) -> str | None:
    """The YAML path of a validation problem, which says where in the tree line:column is.

    Lint findings name their item instead, so their path would only add noise.
    """
    if d.rule == LOAD_RULE and d.yaml_path and d.yaml_path != "(root)":
        return d.yaml_path
    return None


GITHUB_ANNOTATIONS_PER_KIND = 10
"""GitHub Actions shows at most 10 error, 10 warning and 10 notice annotations per step
(and 50 per job); the rest are only in the log."""

_GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def github_limit_notice(diags: Sequence[Diagnostic]) -> str | None:
    """One notice, printed before the annotations so that it is itself shown, saying how
    many findings GitHub will not show as annotations and where to see them all."""
    counts = Counter(_GITHUB_LEVEL[d.severity] for d in diags)
    over = {k: n for k, n in counts.items() if n > GITHUB_ANNOTATIONS_PER_KIND}
    if not over:
        return None
    listed = ", ".join(f"{n} {k}s" for k, n in sorted(over.items()))
    return (
        f"::notice title=planctl::{listed}: GitHub shows only the first "
        f"{GITHUB_ANNOTATIONS_PER_KIND} annotations of each kind per step. Every finding is in "
        "this step's log; upload 'planctl lint --format sarif' to code scanning to see them all "
        "on the files."
    )


def github_line(d: Diagnostic) -> str:
    level = _GITHUB_LEVEL[d.severity]
    title = f"{d.code} {d.rule}"
    path = _schema_path(d)
    body = safe_text(d.message + (f" (at {path})" if path else "") + (f" ({d.hint})" if d.hint else ""))
    return (
        f"::{level} file={_escape_github_prop(safe_line(d.file))},line={d.line},col={d.column},"
        f"title={_escape_github_prop(title)}::{_escape_github(body)}"
    )


def problem_line(place: str, severity: str, rule: str, message: str) -> str:
    """The one text shape of a problem, for ``validate``, ``lint`` and every command that
    reports an invalid file: ``file:line:column: severity rule: message``. The parts come
    ready from the caller (made safe, or coloured on a terminal)."""
    return f"{place}: {severity} {rule}: {message}"


def detail_lines(d: Diagnostic) -> list[str]:
    """The lines under a problem: where in the YAML tree (schema problems), and the hint."""
    lines = []
    path = _schema_path(d)
    if path:
        lines.append(f"    at: {path}")
    if d.hint:
        lines.append(f"    hint: {d.hint}")
    return lines


def text_line(d: Diagnostic) -> str:
    """A diagnostic for a terminal; quoted plan text cannot send it control characters."""
    return safe_text(
        "\n".join([problem_line(safe_line(d.location), str(d.severity), d.rule, d.message), *detail_lines(d)])
    )


def print_diagnostics(
    diags: Sequence[Diagnostic], fmt: str, *, checked: int, out: TextIO | None = None
) -> None:
    """Write diagnostics in ``fmt``; text ends with a summary line.

    ``out`` is stdout by default (``validate`` and ``lint``, whose answer they are);
    commands whose stdout is an export or a report pass ``sys.stderr``.
    """
    out = out or sys.stdout
    if fmt == "json":
        from planctl.output.formats import write_json

        write_json([d.to_json() for d in diags], out)
        return
    if fmt == "github":
        notice = github_limit_notice(diags)
        if notice:
            out.write(notice + "\n")
        for d in diags:
            out.write(github_line(d) + "\n")
        return
    for d in diags:
        out.write(text_line(d) + "\n")
    files = len({d.file for d in diags})
    by_severity = Counter(str(d.severity) for d in diags)
    if diags:
        counts = ", ".join(f"{n} {s}{'s' if n != 1 else ''}" for s, n in sorted(by_severity.items()))
        out.write(f"{counts} in {files} of {checked} file{'s' if checked != 1 else ''}\n")
    else:
        out.write(f"{checked} file{'s' if checked != 1 else ''} checked, no problems\n")

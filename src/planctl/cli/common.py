"""Options and helpers shared by every command, so they all behave alike.

One rule each for: a message on the terminal (:func:`say`, the one safe console),
colour on the terminal (:func:`use_colour`), a day given on the command line
(:func:`resolve_day`), finding and loading plan files (:func:`discover_or_exit`,
:func:`load_or_exit`, :func:`report_problems`), and an item or section the user names
(:func:`find_or_exit`, :func:`find_section_or_exit`).

Exit status, the same for every command (README, "Exit status"): 0 ok; 1 problems found
in the plans (or a refused edit); 2 a usage error, with ``planctl: error: ...`` on stderr.
"""

import os
import re
import sys
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import typer

from planctl.core.text import did_you_mean, safe_line, safe_text

if TYPE_CHECKING:
    from planctl.core.diagnostics import Diagnostic
    from planctl.core.models import Plan, Section
    from planctl.core.rows import Row
    from planctl.core.validate import LoadResult
    from planctl.store.files import Found

PATHS_HELP = "Plan files or folders (default: plans/)."
FOLLOW_HELP = "Follow symlinks that lead outside the given folders."

DAY_FORMS = "2026-11-24, 24/11/2026, 24 November 2026, today, +90d, +6w, +3m"


# --- the one safe console ---------------------------------------------------------
#
# A message interpolates values from everywhere: file names, plan ids, leads, titles, a
# cell of a spreadsheet. Any of them may hold an ESC sequence or a newline; printed raw,
# it would recolour the terminal or forge a line ("x.yaml:1:1: error ..."). So messages
# are printed here only, from a template and its values: each value is made inert and
# kept on one line, the template's own text (and its newlines, tabs and colours) stays.


class _OneLine:
    """A value in a message: formatted as its field asks, then shown on one line with no
    control character (:func:`planctl.core.text.safe_line`)."""

    __slots__ = ("value",)

    def __init__(self, value: object) -> None:
        self.value = value

    def __format__(self, spec: str) -> str:
        return safe_line(format(self.value, spec))

    def __str__(self) -> str:
        return safe_line(str(self.value))

    def __repr__(self) -> str:
        return safe_line(repr(self.value))


class Lines:
    """A value that may span lines (a lint finding's message, as ``validate`` prints it):
    its newlines stay, every other control character is shown (:func:`safe_text`).

    Only for text whose lines are meant; anything a reader takes for one line (a file
    name, an id, a lead) is a plain value and stays on one line. A marker only:
    :func:`format_message` and :func:`error` read its text.
    """

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


def _field(value: object) -> object:
    """A value made ready for its field: text made safe at once (the common case, and
    cheap: lint's colour output builds a message per finding), anything else on format."""
    if isinstance(value, str):
        return safe_line(value)
    if isinstance(value, Lines):
        return safe_text(value.text)
    return _OneLine(value)


def format_message(template: str, *values: object) -> str:
    """``template.format(*values)`` with each value made terminal-safe on one line.

    The template is the program's own text (fields ``{}``, ``{:>6}``, ``{!r}``; colours
    from ``typer.style`` stay); never build it from data: pass data as values.
    """
    return template.format(*map(_field, values))


def say(template: str, *values: object, err: bool = False) -> None:
    """Print a message (see :func:`format_message`) on stdout, or on stderr with ``err``.

    The one way a command prints a message with values in it: no call site makes its
    values safe by hand, so none can forget to.
    """
    typer.echo(format_message(template, *values), err=err)


def say_text(text: str, *, nl: bool = True) -> None:
    """Print text whose lines are meant (lint's plain text, a diff, a table) on
    stdout: newlines and tabs stay, every other control character is shown.

    Written at once, not through ``typer.echo``, which would search the whole text for
    colour codes to strip (lint prints tens of thousands of findings); there are none
    left to strip. Anything a reader takes for one line within it (a file name) is made
    one line first with :func:`format_message`.
    """
    sys.stdout.write(safe_text(text) + ("\n" if nl else ""))
    sys.stdout.flush()


def _one_message(message: str | Lines) -> str:
    """An error or warning as it is printed: on one line, unless its lines are meant."""
    return safe_text(message.text) if isinstance(message, Lines) else safe_line(message)


def error(message: str | Lines, hint: str | None = None) -> None:
    """Say on stderr that something failed: ``planctl: error: MESSAGE`` and a hint line.

    The one shape of every command's errors. The message is kept on one line: many are an
    exception's text with a file name or a value already in it (``fail(str(exc))``), and a
    newline in that name would forge a line of output. A message whose lines are meant
    (a list of files) comes as :class:`Lines`. Commands that go on with the next file call
    this; commands that stop call :func:`fail`.
    """
    typer.echo(f"planctl: error: {_one_message(message)}", err=True)
    if hint:
        typer.echo(f"  hint: {safe_line(hint)}", err=True)


def warn(message: str | Lines) -> None:
    """Say on stderr that something is wrong but the command goes on (one line, as :func:`error`)."""
    typer.echo(f"planctl: warning: {_one_message(message)}", err=True)


def fail(message: str | Lines, hint: str | None = None, *, code: int = 1) -> NoReturn:
    """Stop the command: the error (see :func:`error`) and exit ``code``: 1 for a problem
    in the plans, a refused edit or a file that cannot be written; 2 for a usage error."""
    error(message, hint)
    raise typer.Exit(code)


def fail_usage(message: str) -> NoReturn:
    """A usage problem: message on stderr and exit 2, the convention of every command."""
    fail(message, code=2)


def paths_or_default(paths: list[Path] | None) -> list[Path]:
    """The paths given, else the project's ``plans/`` (found from any folder inside it)."""
    from planctl.store.root import default_plans

    return list(paths) if paths else [default_plans()]


def use_colour() -> bool:
    """Colour only on a terminal, and never when ``NO_COLOR`` is set (no-color.org).

    The terminal test is the one ``typer.echo`` uses to keep or strip styles (so a
    test runner's ``color=True`` counts as a terminal), and every command colours, or
    not, in the same cases.
    """
    if os.environ.get("NO_COLOR"):
        return False
    try:
        from typer._click._compat import should_strip_ansi
    except ImportError:  # a Typer without its bundled click: the plain terminal test
        return sys.stdout.isatty()
    return not should_strip_ansi(sys.stdout)


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def today_from_clock() -> date:
    """The clock, read in this one place: the domain code takes the day as a parameter."""
    return date.today()


def resolve_day(text: str, option: str, today: date) -> date:
    """A single day from ``--as-of``/``--date``: a day, ``today`` or ``+3m``/``+6w``/``+90d``.

    A month or a longer span is refused rather than narrowed to its first or last day:
    which day a user meant by "2026-04" is a guess, and commands used to guess apart.
    """
    if _ISO_DAY.fullmatch(text.strip()):  # the usual form in scripts and CI: skip the phrase table
        try:
            return date.fromisoformat(text.strip())
        except ValueError:
            pass  # 2026-02-30: the full parser words the refusal
    from planctl.core.dates import parse_query_date

    try:
        fd = parse_query_date(text, today)
    except ValueError:
        fail_usage(f"{option}: cannot read {text.strip()!r} as a day; give a day such as {DAY_FORMS}")
    if fd.start is None or fd.start != fd.end:
        words = fd.words() if fd.start is not None else ""
        span = f" ({words})" if words and words.casefold() != text.strip().casefold() else ""
        fail_usage(
            f"{option}: {text.strip()!r}{span} is not a single day; give a day such as "
            f"{fd.end.isoformat() if fd.end else '2026-11-24'}, today or +3m"
        )
    return fd.start


def check_out(out: Path, option: str = "--out") -> None:
    """An output file whose folder exists: planctl creates no folders the user did not ask for."""
    if out.is_dir():
        fail_usage(f"{option} {out} is a folder; give a file name")
    if out.is_block_device() or out.is_socket():
        what = "a block device" if out.is_block_device() else "a socket"
        fail_usage(f"{option} {out} is {what}; give a file, a pipe or a character device such as /dev/null")
    if not out.parent.is_dir():
        fail_usage(f"{option} {out}: no such folder {out.parent}; create it first")


def write_out(out: Path, data: bytes) -> None:
    """Write an output file at once (never half-written); exit 1 if the system refuses."""
    from planctl.store.safewrite import WriteError, write

    try:
        write(out, data)
    except WriteError as exc:
        fail(str(exc))


def discover_or_exit(paths: list[Path] | None, follow_symlinks: bool = False) -> "list[Found]":
    """The plan files under ``paths`` (default ``plans/``); a usage error when there are none."""
    from planctl.store.files import UsageError, discover, display_name

    roots = paths_or_default(paths)
    if not paths and not roots[0].exists():
        from planctl.store.root import no_plans_message

        fail_usage(no_plans_message())
    skipped: list[Path] = []
    try:
        found = discover(roots, follow_symlinks=follow_symlinks, skipped=skipped)
    except UsageError as exc:
        fail_usage(str(exc))
    for path in skipped:
        say(
            "planctl: note: {} is a symlink to a file outside the folders given;"
            " not read (add --follow-symlinks to read it)",
            display_name(path),
            err=True,
        )
    if not found:
        where = ", ".join(str(p) for p in roots)
        fail_usage(f"no plan files (.yaml or .yml) found under {where}")
    return found


def load_or_exit(paths: list[Path] | None, follow_symlinks: bool = False) -> "list[LoadResult]":
    """Every plan file under ``paths``, read and validated (invalid ones carry problems)."""
    from planctl.store.files import load

    return [load(f) for f in discover_or_exit(paths, follow_symlinks)]


def report_problems(problems: "Sequence[Diagnostic]", *, searched: str = "") -> None:
    """Invalid plan files on stderr as file:line:column, so stdout keeps only the answer.

    ``searched`` names what the answer leaves out (e.g. "the answer above"), for
    commands that go on with the valid files.
    """
    from planctl.output.report import text_line

    for d in problems:
        typer.echo(text_line(d), err=True)
    if problems and searched:
        files = len({d.file for d in problems})
        typer.echo(
            f"planctl: {files} plan file{'s' if files != 1 else ''} could not be read, so "
            f"{searched} leaves their items out; fix the problems above (planctl validate)",
            err=True,
        )


def invalid_note(results: "Iterable[LoadResult]") -> str:
    invalid = [r.file for r in results if r.plan is None]
    return f" (not searched, invalid: {', '.join(invalid)})" if invalid else ""


def searched(paths: list[Path] | None) -> str:
    """The paths a command read, for messages: ``plans/``, ``a.yaml, other/``."""
    names = []
    for p in paths_or_default(paths):
        name = str(p)
        names.append(name + "/" if p.is_dir() and not name.endswith("/") else name)
    return ", ".join(names)


def find_or_exit(
    rows: "Sequence[Row]", ident: str, results: "Iterable[LoadResult]" = (), *, where: str = ""
) -> "Row":
    """The one item ``ident`` names: an item id, or ``plan-id:item-id`` when ids repeat.

    Ids may hold ':' themselves (``PAP2A:1``); :func:`planctl.core.query.find` compares whole
    ids and ``plan:item`` refs, so a plan prefix is only split off where that plan exists.
    An unknown id is a usage error naming close ids (any case); an id in several plans
    lists the ``plan-id:item-id`` forms.
    """
    from planctl.core import query

    found = query.find(rows, ident.strip())
    if len(found) > 1:
        refs = [r.ref for r in found]
        # Two files with one plan id give one ref twice: name the files too.
        names = refs if len(set(refs)) == len(refs) else [f"{r.ref} ({r.file})" for r in found]
        fail_usage(f"{ident!r} is in more than one plan; name one: {', '.join(names)}")
    if not found:
        pool = {r.id for r in rows} | {r.ref for r in rows}
        hint = did_you_mean(ident, pool) or "; try 'planctl search WORDS'"
        place = f" in {where}" if where else ""
        fail_usage(f"no item {ident!r}{place}{invalid_note(results)}{hint}")
    return found[0]


def find_section_or_exit(results: "Sequence[LoadResult]", ident: str) -> "tuple[LoadResult, Section]":
    """The one section ``ident`` names: a section id, or ``plan-id:section-id``."""
    from planctl.core.models import walk_sections

    wanted = ident.strip()
    matches: list[tuple[LoadResult, Plan, Section]] = []
    pool: set[str] = set()
    for r in results:
        plan = r.plan
        if plan is None:
            continue
        for section, _, _ in walk_sections(plan.sections):
            ref = f"{plan.id}:{section.id}"
            pool.update((section.id, ref))
            if wanted in (section.id, ref):
                matches.append((r, plan, section))
    if len(matches) > 1:
        names = ", ".join(f"{p.id}:{s.id} ({r.file})" for r, p, s in matches)
        fail_usage(f"section {ident!r} is in more than one plan; name one: {names}")
    if not matches:
        fail_usage(f"no section {ident!r}{invalid_note(results)}{did_you_mean(ident, pool)}")
    result, _, section = matches[0]
    return result, section


def templates_folder(option: Path | None) -> Path | None:
    """--templates, else the configuration's ``templates``; a usage error if it is no folder."""
    if option is not None:
        if not option.is_dir():
            fail_usage(f"--templates {option}: no such folder")
        return option
    from planctl.lint.config import ConfigError
    from planctl.store.configfile import find_config_file, load_templates_setting

    found = find_config_file(Path.cwd())
    if found is None:
        return None
    try:
        folder = load_templates_setting(found)
    except ConfigError as exc:
        fail_usage(str(exc))
    if folder is not None and not folder.is_dir():
        fail_usage(f"{found}: templates = {folder}: no such folder")
    return folder


def plan_or_exit(plan: str) -> "tuple[Plan, str]":
    """A plan file path, or the id of a plan under plans/; an invalid plan exits 1."""
    from planctl.store.files import UsageError, discover, load
    from planctl.store.root import default_plans

    path = Path(plan)
    if path.is_file():
        candidates = discover([path])
    else:
        if path.suffix in (".yaml", ".yml") or "/" in plan:
            fail_usage(f"{plan}: no such file")
        try:
            everything = discover([default_plans()])
        except UsageError:
            fail_usage(f"{plan}: no such file, and no plans/ folder here to look up a plan id")
        named = [f for f in everything if f.path.stem == plan]
        candidates = named or everything
    ids: list[str] = []
    for found in candidates:
        result = load(found)
        if result.plan is None:
            if len(candidates) == 1 or found.path.stem == plan:
                report_problems(result.problems)
                raise typer.Exit(1)
            continue
        ids.append(result.plan.id)
        if path.is_file() or result.plan.id == plan:
            return result.plan, found.display
    hint = did_you_mean(plan, ids) or "; give a file path or see 'planctl validate'"
    return fail_usage(f"no plan with id {plan!r} under plans/{hint}")

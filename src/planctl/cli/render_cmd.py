"""``planctl render`` and ``planctl templates``."""

import sys
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from planctl.cli import app, complete
from planctl.cli.common import (
    check_out,
    error,
    fail,
    fail_usage,
    format_message,
    plan_or_exit,
    resolve_day,
    say,
    templates_folder,
    today_from_clock,
    warn,
)

if TYPE_CHECKING:
    from datetime import date

    from planctl.core.models import Plan, Section
    from planctl.render.context import RenderContext
    from planctl.render.pictures import PictureSet

TemplatesOpt = typer.Option(
    None,
    "--templates",
    metavar="FOLDER",
    help="A folder of your own templates; they override bundled ones of the same name"
    " (default: 'templates' in planctl.toml, if set).",
    file_okay=False,
)


def _split_target(
    out: Path, display: str, plan_id: str, section_id: str, suffix: str, taken: dict[str, str]
) -> Path:
    """The file --split writes for one section: a safe name made from the plan and section
    ids, inside ``out``. Ids come from a plan that may be hostile (``x/../../README``), so
    the name goes through :func:`~planctl.store.safefiles.file_name`; two sections that would
    share a file name stop the render instead of one silently overwriting the other."""
    from planctl.store.safefiles import file_name, inside

    name = file_name(f"{plan_id}-{section_id}") + suffix
    if name in taken:
        fail(
            f"{display}: sections {taken[name]!r} and {section_id!r} would both be written to "
            f"{out / name}; give them ids that differ in letters or digits"
        )
    taken[name] = section_id
    target = out / name
    if not inside(out, target):
        fail(f"{display}: section {section_id!r}: {target} leads outside {out}; nothing written there")
    return target


@app.command()
def render(
    plan: str = typer.Argument(
        ...,
        metavar="PLAN",
        help="A plan file, or the id of a plan under plans/.",
        show_default=False,
        autocompletion=complete.plan_ids,
    ),
    template: str = typer.Option(
        ..., "--template", "-t", metavar="NAME", help="Template name; see 'planctl templates'."
    ),
    out: Path | None = typer.Option(
        None, "--out", "-o", metavar="PATH", help="Write here (a folder with --split) instead of stdout."
    ),
    section: str | None = typer.Option(
        None, "--section", "-s", metavar="SECTION-ID", help="Only this section (any depth), by id."
    ),
    as_of: str = typer.Option(
        "today", "--as-of", metavar="DAY", help="Date the report is as of: overdue, due soon."
    ),
    templates: Path | None = TemplatesOpt,
    pictures: Path | None = typer.Option(
        None,
        "--pictures",
        metavar="FILE",
        help="A pictures.yaml adding pictures and keywords for handouts.",
        dir_okay=False,
    ),
    pdf: bool = typer.Option(False, "--pdf", help="Write an A4 PDF (HTML templates; needs WeasyPrint)."),
    split: bool = typer.Option(
        False,
        "--split",
        help="One output per top-level section, into the --out folder (an easy-read part over 24"
        " pages is split into its own sections).",
    ),
    draft: bool = typer.Option(
        False,
        "--draft",
        help="Easy read: write the handout even if it fails the easy-read checks, marked"
        " 'Draft: not yet checked' on every page.",
    ),
    include_closed: bool = typer.Option(
        False,
        "--include-closed",
        help="Count work of plans and sections closed by --as-of in reports (left out by default).",
    ),
) -> None:
    """Render a plan through a template: Markdown reports, easy-read handouts, PDF.

    Exit 0 on success, 1 when the plan is invalid or the template fails, 2 on usage errors.
    An easy-read handout also exits 1 (each problem at file:line, nothing written) when a
    sentence is over 20 words, a hard word is unexplained, an action has no easy_read
    words or the PDF is over 24 pages, unless --draft.
    """
    from planctl.render.context import HANDOUT_MAX_PAGES, SectionNotFoundError, build_context
    from planctl.render.engine import (
        HTML_SUFFIXES,
        RenderError,
        handout_to_pdf,
        html_to_pdf,
        list_templates,
        output_suffix,
        pdf_page_count,
        picture_maps,
        render_template,
        template_dirs,
        write_atomic,
    )
    from planctl.render.pictures import PictureError, load_picture_set

    when = resolve_day(as_of, "--as-of", today_from_clock())
    templates = templates_folder(templates)
    if pictures is not None and not pictures.is_file():
        fail_usage(f"--pictures {pictures}: no such file")
    dirs = template_dirs(templates)
    names = [t.name for t in list_templates(dirs)]
    if template not in names:
        fail_usage(f"no template {template!r}; templates: {', '.join(names)}")
    if pdf and not template.lower().endswith(HTML_SUFFIXES):
        fail_usage(f"--pdf needs an HTML template, not {template!r}")
    if (pdf or split) and out is None:
        fail_usage("--pdf and --split need --out (a file, or a folder with --split)")
    if split and section is not None:
        fail_usage("--split and --section cannot be combined")
    if out is not None and not split:
        check_out(out)
    if out is not None and split:
        if out.exists() and not out.is_dir():
            fail_usage(f"--out {out} is a file; --split writes into a folder")
        if not out.parent.is_dir():
            fail_usage(f"--out {out}: no such folder {out.parent}; create it first")

    loaded, display = plan_or_exit(plan)
    try:
        picture_set = load_picture_set(picture_maps(templates, pictures))
    except PictureError as exc:
        fail(str(exc))
    for refusal in picture_set.refused:
        warn(refusal)

    handout = "easy-read" in template
    if split:
        assert out is not None
        if not loaded.sections:
            fail(f"{display}: the plan has no sections to split by")
        try:
            out.mkdir(exist_ok=True)  # the one folder --split writes into, nothing above it
        except OSError as exc:
            fail(f"cannot create {out}: {exc.strerror}")
        taken: dict[str, str] = {}  # every target is named before anything is written
        parts = _split_parts(loaded, when, picture_set) if handout else loaded.sections
        jobs: list[tuple[str | None, Path | None]] = [
            (s.id, _split_target(out, display, loaded.id, s.id, output_suffix(template, pdf), taken))
            for s in parts
        ]
    else:
        jobs = [(section, out)]

    problems_found = False
    for section_id, target in jobs:
        try:
            ctx = build_context(
                loaded, when, section=section_id, pictures=picture_set, include_closed=include_closed
            )
        except SectionNotFoundError as exc:
            fail_usage(str(exc))
        ctx.draft = draft
        label = f"{display}" + (f" section {section_id}" if section_id else "")
        if handout and _gate(ctx, display, label, draft):
            problems_found = True
            continue
        try:
            text = render_template(template, ctx, dirs)
        except RenderError as exc:
            fail(f"template {exc}")
        if handout:
            for warning in ctx.picture_warnings:
                warn(f"{display}: {warning}")
            if ctx.easy_fallbacks:
                warn(
                    f"{label}: {ctx.easy_fallbacks} item(s) have no easy_read text; the handout uses their titles"
                )
            if ctx.unexplained_acronyms:
                warn(
                    f"{label}: acronyms not in the glossary: {', '.join(ctx.unexplained_acronyms)}; "
                    "add them to glossary: with an easy_read meaning"
                )
            if ctx.easy_pages > HANDOUT_MAX_PAGES and not pdf:
                warn(
                    f"{label}: the handout is about {ctx.easy_pages} pages; easy-read guidance says "
                    f"{HANDOUT_MAX_PAGES} at most: use --split or --section"
                )
        if target is None:
            sys.stdout.write(text)
            continue
        try:
            if pdf:
                if handout and ctx.handout is not None:  # hard words explained on their real pages
                    data, _ = handout_to_pdf(ctx.handout, partial(render_template, template, ctx, dirs))
                else:
                    data, _ = html_to_pdf(text)
                pages = pdf_page_count(data)  # the real count, read back from the file
                if handout and pages > HANDOUT_MAX_PAGES:
                    message = (
                        f"{label}: the handout has {pages} pages; easy-read guidance says "
                        f"{HANDOUT_MAX_PAGES} at most: use --split (one file per part) or --section"
                    )
                    if not draft:
                        error(f"{message}; nothing written")
                        problems_found = True
                        continue
                    warn(message)
                write_atomic(target, data)
                say("wrote {} ({} pages)", target, pages, err=True)
            else:
                write_atomic(target, text)
                say("wrote {}", target, err=True)
        except RenderError as exc:
            fail(str(exc))
        except OSError as exc:
            fail(f"cannot write {target}: {exc.strerror}")
    if problems_found:
        raise typer.Exit(1)


def _gate(ctx: "RenderContext", display: str, label: str, draft: bool) -> bool:
    """Print the easy-read gate's problems at file:line; True when they stop the render."""
    from planctl.render.easygate import check
    from planctl.store.files import Found, load

    problems = check(ctx)
    if not problems:
        return False
    if draft:
        warn(
            format_message(
                "{}: {} easy-read problem(s); written as a draft, 'Draft: not yet checked'",
                label,
                len(problems),
            )
        )
        return False
    located = load(Found(Path(display), display))
    for problem in problems:
        line, column = located.locate(problem.path)
        say("{}:{}:{}: error: {}", display, line, column, problem.message, err=True)
    error(
        format_message(
            "{}: {} easy-read problem(s); nothing written. "
            "Fix them, or use --draft to print it marked 'Draft: not yet checked'",
            label,
            len(problems),
        )
    )
    return True


def _split_parts(plan: "Plan", when: "date", pictures: "PictureSet") -> "list[Section]":
    """The sections --split writes a handout for: each top-level section, and a section
    whose handout would be over the page limit (and has no items of its own) in its parts."""
    from planctl.render.context import HANDOUT_MAX_PAGES, build_context

    out: list[Section] = []
    todo = list(plan.sections)
    while todo:
        s = todo.pop(0)
        if s.sections and not s.items:
            ctx = build_context(plan, when, section=s.id, pictures=pictures)
            if ctx.easy_pages > HANDOUT_MAX_PAGES:
                todo[:0] = s.sections
                continue
        out.append(s)
    return out


@app.command("templates")
def templates_cmd(templates: Path | None = TemplatesOpt) -> None:
    """List the templates 'planctl render' can use, one line each."""
    from planctl.render.engine import list_templates, template_dirs

    found = list_templates(template_dirs(templates_folder(templates)))
    width = max((len(t.name) for t in found), default=0)
    for t in found:
        origin = "" if t.bundled else "  (yours)"
        say("{:<{}}  {}" + origin, t.name, width, t.description)

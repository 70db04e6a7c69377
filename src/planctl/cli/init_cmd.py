"""``planctl init [DIR]``: a plan repository in one command (see :mod:`planctl.api.scaffold`)."""

from __future__ import annotations

import os
from pathlib import Path

import typer

from planctl.cli import app
from planctl.cli.common import fail


@app.command()
def init(
    folder: Path = typer.Argument(
        Path("."),
        metavar="DIR",
        help="The folder to make a plan repository (default: here).",
        show_default=False,
    ),
    plan_id: str = typer.Option("my-plan", "--id", metavar="PLAN-ID", help="The first plan's id."),
    title: str = typer.Option("My plan", "--title", "-t", metavar="TEXT", help="The first plan's title."),
    planctl_repo: str | None = typer.Option(
        None,
        "--planctl-repo",
        metavar="OWNER/REPO",
        help="planctl's GitHub repository for the hooks and the Action (default: the one "
        "this planctl was installed from, else planctl/planctl).",
    ),
    planctl_rev: str | None = typer.Option(
        None,
        "--planctl-rev",
        metavar="TAG",
        help="Its release tag or commit (default: the one installed, else this version's tag).",
    ),
) -> None:
    """Make a plan repository: plans/ with a first plan, schema/, planctl.toml, .gitignore,
    .pre-commit-config.yaml and .github/workflows/plans.yml.

    Every plan's header finds schema/plan.schema.json, so editors check keys as you type;
    the workflow lints pull requests with annotations and SARIF and keeps one comment
    saying what changed. Writes only inside DIR and never overwrites: if any of these
    files is there already, nothing is written and the command exits 1.
    """
    from planctl.api.scaffold import (
        ScaffoldError,
        Source,
        create_new,
        github_repo,
        installed_from,
        repository_files,
    )
    from planctl.cli.common import Lines, fail_usage, format_message, say
    from planctl.edit.operations import EditError

    default = installed_from()
    repo = default.repo
    if planctl_repo is not None:
        found = github_repo(planctl_repo)
        if found is None:
            fail_usage(f"--planctl-repo: {planctl_repo!r} is not a GitHub repository; write OWNER/REPO")
        repo = found
    rev = planctl_rev.strip() if planctl_rev is not None else default.rev
    if not rev or any(c.isspace() for c in rev):
        fail_usage("--planctl-rev: give a tag or commit, e.g. v0.1.0")
    if os.path.lexists(folder) and not folder.is_dir():
        fail_usage(f"{folder}: not a folder")
    try:
        files = repository_files(plan_id, title, Source(repo, rev))
    except EditError as exc:  # a plan id or title the schema refuses
        fail(exc.message, exc.hint)

    # Refuse before writing anything: a file already there, or a folder on the way that is
    # a symlink (it could lead outside DIR) or not a folder.
    in_the_way: list[str] = []
    for rel in files:
        target = folder.joinpath(*rel.parts)
        for depth in range(1, len(rel.parts)):
            step = folder.joinpath(*rel.parts[:depth])
            if step.is_symlink() or (os.path.lexists(step) and not step.is_dir()):
                in_the_way.append(f"{step} ({'a symlink' if step.is_symlink() else 'not a folder'})")
        if os.path.lexists(target):
            in_the_way.append(str(target))
    if in_the_way:
        listed = sorted(set(in_the_way))
        fail(
            Lines(
                format_message(
                    "{} already has what init would write; nothing written:" + "\n  {}" * len(listed),
                    folder,
                    *listed,
                )
            ),
            "run init in an empty folder, or move these aside first",
        )

    for rel, text in files.items():
        target = folder.joinpath(*rel.parts)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            create_new(target, text.encode("utf-8"))
        except (OSError, ScaffoldError) as exc:
            fail(str(exc))
        say("created {}", target)
    typer.echo(
        f"next: git init, commit, and push to GitHub; the hooks and Action are {repo}@{rev}",
        err=True,
    )

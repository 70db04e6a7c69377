"""``planctl pictures``: each idea of a handout with its picture and the word that chose it."""

from datetime import date
from pathlib import Path

import typer

from planctl.cli import app, complete
from planctl.cli.common import resolve_day, today_from_clock


@app.command()
def pictures(
    plan: str = typer.Argument(
        ...,
        metavar="PLAN",
        help="A plan file, or the id of a plan under plans/.",
        show_default=False,
        autocompletion=complete.plan_ids,
    ),
    templates: Path | None = typer.Option(
        None,
        "--templates",
        metavar="FOLDER",
        help="A folder of your own templates and pictures.",
        file_okay=False,
    ),
    pictures_file: Path | None = typer.Option(
        None,
        "--pictures",
        metavar="FILE",
        help="A pictures.yaml adding pictures and keywords.",
        dir_okay=False,
    ),
) -> None:
    """List each idea of the easy-read handout with its picture and the word that chose it.

    So a person can check every picture, and set `picture: NAME` on an item or section
    where the keyword chose wrongly. Exit 0, or 1 when the plan or a picture map is bad.
    """
    from planctl.cli.common import fail, plan_or_exit, say, templates_folder, warn
    from planctl.render.context import build_context
    from planctl.render.engine import picture_maps
    from planctl.render.pictures import PictureError, load_picture_set

    folder = templates_folder(templates)
    loaded, display = plan_or_exit(plan)
    try:
        picture_set = load_picture_set(picture_maps(folder, pictures_file))
    except PictureError as exc:
        fail(str(exc))
    for refusal in picture_set.refused:
        warn(refusal)
    when: date = resolve_day("today", "--as-of", today_from_clock())
    ctx = build_context(loaded, when, pictures=picture_set)
    for where, choice in ctx.picture_choices:
        if choice.word:
            say('{}\t{}\t"{}" ({})', where, choice.picture.name, choice.word, choice.keyword)
        else:
            say("{}\t{}\t{}", where, choice.picture.name, choice.keyword)
    for warning in ctx.picture_warnings:
        warn(f"{display}: {warning}")

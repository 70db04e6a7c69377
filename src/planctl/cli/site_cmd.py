"""``planctl site``: build the plans' static website, and preview it with ``--serve``."""

from pathlib import Path

import typer

from planctl.cli import app
from planctl.cli.common import (
    discover_or_exit,
    fail,
    fail_usage,
    report_problems,
    resolve_day,
    say,
    today_from_clock,
)
from planctl.cli.options import FollowSymlinks, Paths


@app.command()
def site(
    paths: Paths = None,
    out: Path = typer.Option(
        ..., "--out", "-o", metavar="FOLDER", help="Write the site here (new, empty, or a site built before)."
    ),
    as_of: str = typer.Option(
        "today", "--as-of", metavar="DAY", help="The day taken as today: ratings, overdue, due soon."
    ),
    pictures: Path | None = typer.Option(
        None,
        "--pictures",
        metavar="FILE",
        help="A pictures.yaml adding pictures and keywords for the easy-read pages.",
        dir_okay=False,
    ),
    serve: bool = typer.Option(
        False, "--serve", help="After building, serve the site on this machine to preview it."
    ),
    port: int = typer.Option(8000, "--port", metavar="N", help="Port for --serve (on 127.0.0.1)."),
    follow_symlinks: FollowSymlinks = False,
) -> None:
    """Build a static website from the plans: accessible, offline, the same bytes for the same plans.

    Pages for every plan, item and lead, overdue and due-soon lists, an easy-read version
    of each plan, offline search, and CSV, JSON and calendar downloads. Open
    FOLDER/index.html from disk, or publish FOLDER on any web host. Exit 0 done, 1 when a
    plan file is invalid (the site is built from the others) or the folder cannot be
    written, 2 on usage errors.
    """
    from planctl.api.pipeline import default_jobs
    from planctl.render.engine import picture_maps
    from planctl.render.pictures import PictureError, load_picture_set
    from planctl.site.build import SiteError, build

    when = resolve_day(as_of, "--as-of", today_from_clock())
    if pictures is not None and not pictures.is_file():
        fail_usage(f"--pictures {pictures}: no such file")
    if out.exists() and not out.is_dir():
        fail_usage(f"--out {out} is not a folder")
    if not out.exists() and not out.parent.is_dir():
        fail_usage(f"--out {out}: no such folder {out.parent}; create it first")
    if not 0 < port < 65536:
        fail_usage(f"--port {port}: give a port from 1 to 65535")
    found = discover_or_exit(paths, follow_symlinks)
    try:
        picture_set = load_picture_set(picture_maps(None, pictures))
    except PictureError as exc:
        fail(str(exc))
    try:
        built, problems, count = build(found, out, when, picture_set, default_jobs())
    except SiteError as exc:
        fail(str(exc))
    report_problems(problems, searched="the site")
    items = sum(len(p.items) for p in built.plans)
    say(
        "wrote {}/index.html and {} more files: {} plans, {} items (as of {})",
        out,
        count - 1,
        len(built.plans),
        items,
        when.isoformat(),
        err=True,
    )
    if serve:
        _serve(out, port)
    raise typer.Exit(1 if problems else 0)


def _serve(folder: Path, port: int) -> None:
    """Serve ``folder`` on 127.0.0.1 until Ctrl-C: a preview, not a production server."""
    import functools
    import http.server

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as exc:
        fail(f"cannot serve on port {port}: {exc.strerror}; try --port")
    say("serving {} at http://127.0.0.1:{}/index.html (Ctrl-C stops)", folder, port, err=True)
    with server:
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            typer.echo("stopped", err=True)

"""``planctl import --updates FILE``: a filled return form's rows as dated updates.

All rows of all plan files are checked first (:mod:`planctl.interchange.updates_in`); then each plan
file is changed under its lock, by the editor ``update`` uses, only if its bytes are still
the ones checked.
"""

from datetime import date
from pathlib import Path

import typer

from planctl.cli.common import discover_or_exit, fail, fail_usage, say


def import_updates(table: Path, plans_dir: Path, day: date, dry_run: bool) -> None:
    """Check every row, then write the updates (or print the diff with ``dry_run``)."""
    from planctl.core.textform import decode, encode
    from planctl.core.validate import load_bytes
    from planctl.core.yamlread import YamlReadError
    from planctl.edit.operations import EditError, unified_diff
    from planctl.interchange import updates_in
    from planctl.interchange.importer import TableError, read_table
    from planctl.output.report import text_line
    from planctl.store.files import read
    from planctl.store.safewrite import WriteError, modify

    try:
        headers, body = read_table(table)
        columns = updates_in.find_columns(headers)
    except (TableError, updates_in.ColumnsError) as exc:
        fail_usage(f"{table}: {exc}" if isinstance(exc, updates_in.ColumnsError) else str(exc))
    except (OSError, ValueError, KeyError) as exc:
        fail_usage(f"{table}: cannot read: {exc}")

    found = discover_or_exit([plans_dir])
    raw_by_file: dict[str, bytes] = {}
    path_by_file: dict[str, Path] = {}
    plans = []
    files: dict[str, str] = {}
    invalid = 0
    for f in found:
        raw = read(f)
        result = raw if not isinstance(raw, bytes) else load_bytes(raw, f.display)
        if result.plan is None or result.problems:
            for d in result.problems:
                typer.echo(text_line(d), err=True)
            invalid += 1
            continue
        assert isinstance(raw, bytes)
        raw_by_file[f.display], path_by_file[f.display] = raw, f.path
        files[result.plan.id] = f.display
        plans.append(result.plan)
    if invalid:
        fail(
            f"{invalid} plan file(s) could not be read (above); nothing imported: fix them first (planctl validate)"
        )

    checked = updates_in.check(body, columns, plans, files, day)
    if checked.problems:
        for p in checked.problems:
            column = f":column {p.column}" if p.column else ""
            say("{}:row {}{}: {}", table, p.row, column, p.message, err=True)
        fail(f"nothing imported: {len(checked.problems)} problem(s)")

    by_file: dict[str, list[updates_in.Entry]] = {}
    for entry in checked.entries:
        by_file.setdefault(entry.file, []).append(entry)
    notices: list[str] = []
    for file, entries in by_file.items():

        def change(
            raw: bytes, file: str = file, entries: list[updates_in.Entry] = entries
        ) -> tuple[bytes, tuple[str, str]]:
            if raw != raw_by_file[file]:
                fail(f"{file} changed while the form was being checked; nothing more imported: run it again")
            text, form = decode(raw)
            new, said = updates_in.apply(text, file, entries)
            notices.extend(said)
            return encode(new, form), (text, new)

        try:
            _, _, texts = modify(path_by_file[file], change, dry_run=dry_run)
        except EditError as exc:
            fail(f"{exc.message}; nothing more imported")
        except (YamlReadError, WriteError) as exc:
            fail(f"{exc}; nothing more imported")
        if dry_run:
            typer.echo(unified_diff(texts[0], texts[1], file), nl=False)
        else:
            for e in entries:
                what = ", ".join(x for x in (e.label, "note" if e.note else None) if x)
                say("updated {}:{} ({}, {}) in {}", e.plan, e.item, what, e.date.isoformat(), file)
    for notice in notices:
        say("planctl: note: {}", notice, err=True)
    skipped = [
        (checked.already, "already imported"),
        (checked.unchanged, "unchanged"),
        (checked.empty, "empty"),
    ]
    rest = "".join(f"; {n} row(s) {words}" for n, words in skipped if n)
    verb = "would be imported" if dry_run else "imported"
    typer.echo(f"{len(checked.entries)} update(s) {verb}{rest}", err=dry_run)

"""Edits keep a plan's text form: CRLF line ends, UTF-8 BOM, UTF-16/32 with a BOM.

``validate`` reads all of these, so ``update``, ``add``, ``import`` and ``fmt`` must
write them back the same way, changing only the lines the edit changes, never with a
traceback (before: CRLF became LF on every line, UTF-16 crashed in ``update``).
"""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planctl.cli import app

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "example-plan.yaml"
runner = CliRunner()
FORMS = [
    ("utf-8-sig", "\n"),
    ("utf-16", "\n"),
    ("utf-16-be", "\n"),
    ("utf-32", "\n"),
    ("utf-32-be", "\r\n"),
    ("utf-16", "\r\n"),
]
BOMS = {"utf-16-be": b"\xfe\xff", "utf-32-be": b"\x00\x00\xfe\xff"}


def _commands(plan: Path, tmp: Path) -> list[list[str]]:
    table = tmp / "rows.csv"
    table.write_text("title,due,leads\nImported row,March 2026,Someone\n", encoding="utf-8")
    return [
        ["update", "A2", str(plan), "--note", "hi é", "--lead", "New Lead", "--date", "2026-01-01"],
        ["add", "theme-1", str(plan), "--title", "Added", "--lead", "X"],
        [
            "import",
            str(table),
            "--plan",
            "example-council-ld-plan-2025-2027",
            "--section",
            "theme-1",
            "--plans-dir",
            str(tmp),
        ],
        ["fmt", str(plan)],
    ]


def _write(path: Path, text: str, codec: str, newline: str) -> None:
    data = text.replace("\n", newline).encode(codec)
    path.write_bytes(BOMS.get(codec, b"") + data)


def _plan_id_file(tmp: Path) -> Path:
    """The example plan under the file name ``import --plan`` looks for."""
    head = EXAMPLE.read_text(encoding="utf-8")
    assert "\nid: example-council-ld-plan-2025-2027\n" in head
    return tmp / "example-council-ld-plan-2025-2027.yaml"


@pytest.mark.parametrize(("codec", "newline"), FORMS)
def test_every_edit_keeps_the_text_form(tmp_path: Path, codec: str, newline: str) -> None:
    """Each command gives the same text as on the UTF-8/LF original, in the file's own form."""
    ref_dir, dir_ = tmp_path / "ref", tmp_path / "form"
    ref_dir.mkdir()
    dir_.mkdir()
    ref, plan = _plan_id_file(ref_dir), _plan_id_file(dir_)
    shutil.copy(EXAMPLE, ref)
    _write(plan, EXAMPLE.read_text(encoding="utf-8"), codec, newline)
    bom = plan.read_bytes()[:4]
    for ref_args, args in zip(_commands(ref, ref_dir), _commands(plan, dir_), strict=True):
        expected = runner.invoke(app, ref_args)
        got = runner.invoke(app, args)
        assert expected.exit_code == 0, expected.output
        assert got.exception is None or isinstance(got.exception, SystemExit), got.output
        assert got.exit_code == 0, got.output
        raw = plan.read_bytes()
        assert raw[:4] == bom
        want = ref.read_text(encoding="utf-8").replace("\n", newline).encode(codec)
        assert raw == BOMS.get(codec, b"") + want


def test_crlf_update_rewrites_only_the_edited_lines(tmp_path: Path) -> None:
    plan = tmp_path / "example-plan.yaml"
    _write(plan, EXAMPLE.read_text(encoding="utf-8"), "utf-8", "\r\n")
    old = plan.read_bytes()
    res = runner.invoke(app, ["update", "A2", str(plan), "--note", "hi", "--date", "2026-01-01"])
    assert res.exit_code == 0, res.output
    new = plan.read_bytes()
    old_lines, new_lines = old.splitlines(keepends=True), new.splitlines(keepends=True)
    assert all(line.endswith(b"\r\n") for line in new_lines)
    ops = [op for op in difflib.SequenceMatcher(None, old_lines, new_lines).get_opcodes() if op[0] != "equal"]
    assert len(ops) == 1
    assert ops[0][0] == "insert"
    assert b"".join(new_lines[ops[0][3] : ops[0][4]]).decode().split("\r\n")[:-1] == [
        "            updates:",
        "              - date: 2026-01-01",
        "                note: hi",
    ]
    dry = runner.invoke(app, ["update", "A2", str(plan), "--note", "again", "--date", "2026-01-02", "-n"])
    assert dry.exit_code == 0
    assert "+                note: again\n" in dry.output
    assert "\r" not in dry.output


def test_unreadable_bytes_are_a_located_refusal(tmp_path: Path) -> None:
    """A plan file that stops being readable between discovery and the write."""
    plan = tmp_path / "example-plan.yaml"
    plan.write_bytes(EXAMPLE.read_bytes().replace(b"title:", b"title: caf\xe9", 1))
    res = runner.invoke(app, ["fmt", str(plan)])
    assert res.exit_code == 1
    assert res.exception is None or isinstance(res.exception, SystemExit)
    assert "example-plan.yaml:" in res.output
    assert "not UTF-8" in res.output

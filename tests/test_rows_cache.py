"""Query rows are cached by content like lint results, and the cache is never wrong:
a warm answer is the same as a fresh one, an edit or a new planctl is seen, broken
entries are ignored, an invalid file is always read and reported."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from planctl.api import pipeline
from planctl.cli import app
from planctl.core.rows import file_rows_from_json, file_rows_to_json, rows_of
from planctl.store import cache
from planctl.store.files import Found, discover, load
from planctl.store.layout import CACHE_DIR

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()
AS_OF = ["--as-of", "2026-11-24"]

QUESTIONS = [
    ["due", "--before", "2026-04", "-f", "json"],
    ["due", "--before", "2026-04"],
    ["overdue", "--lead", "none", "-f", "csv"],
    ["list", "--status", "amber", "-f", "json"],
    ["list", "--section", "housing", "--tag", "housing"],
    ["search", "review", "-f", "json"],
    ["leads", "-f", "json"],
    ["stats", "-f", "json"],
    ["show", "3.1.1", "-f", "json"],
    ["show", "PAP2A:1"],
]


@pytest.fixture
def read(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files read as YAML (not answered from the cache), in one process."""
    seen: list[str] = []
    real = pipeline._rows_job

    def spy(job: tuple[int, Found]) -> object:
        seen.append(job[1].display)
        return real(job)

    monkeypatch.setattr(pipeline, "_rows_job", spy)
    return seen


def _ask(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, [*args, *AS_OF])
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, result.stdout, result.stderr


def _entries(project: Path) -> list[Path]:
    return sorted((project / CACHE_DIR / "rows").rglob("*.json"))


def _damage_is_ignored(project: Path, read: list[str], damage: Callable[[Path], None]) -> None:
    """Answer (filling the cache), ``damage`` every entry, answer again: the same answer,
    with every file read afresh."""
    good = _ask("list", "-f", "json")
    for entry in _entries(project):
        damage(entry)
    read.clear()
    assert _ask("list", "-f", "json") == good
    assert len(read) == 5


def _edit_value(edit: Callable[[Any], None]) -> Callable[[Path], None]:
    """Damage that rewrites an entry's value as valid JSON, changed by ``edit``."""

    def damage(entry: Path) -> None:
        data = json.loads(entry.read_text(encoding="utf-8"))
        edit(data["value"])
        entry.write_text(json.dumps(data), encoding="utf-8")

    return damage


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: " ".join(q))
def test_a_warm_answer_is_the_fresh_answer(project: Path, read: list[str], question: list[str]) -> None:
    fresh = _ask(*question, "--no-cache")
    assert len(read) == 5
    assert not (project / CACHE_DIR).exists()  # --no-cache writes nothing
    cold = _ask(*question)
    assert len(read) == 10
    assert len(_entries(project)) == 5
    warm = _ask(*question)
    assert len(read) == 10  # nothing read as YAML again
    assert cold == warm == fresh


def test_entries_are_json(project: Path) -> None:
    _ask("due", "--before", "2026-04")
    for entry in _entries(project):  # a cache file can never run code
        assert set(json.loads(entry.read_text(encoding="utf-8"))) == {"format", "key", "value"}


def test_editing_a_file_gives_its_new_rows(project: Path, read: list[str]) -> None:
    _ask("list")
    plan = project / "plans" / "oxfordshire-ld-plan-2025-2035.yaml"
    text = plan.read_text(encoding="utf-8")
    assert "title: Write a 10-year housing plan." in text
    plan.write_text(
        "# a new first line: every row moves down\n"
        + text.replace("title: Write a 10-year housing plan.", "title: Write a 12-year housing plan."),
        encoding="utf-8",
    )
    read.clear()
    _code, out, _err = _ask("list", "-f", "json")
    assert read == ["plans/oxfordshire-ld-plan-2025-2035.yaml"]
    assert "Write a 12-year housing plan." in out
    assert "Write a 10-year housing plan." not in out
    assert out == _ask("list", "-f", "json", "--no-cache")[1]  # lines moved too


def test_a_change_to_planctl_invalidates(
    project: Path, read: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _ask("list")
    real = cache.code_digest()
    monkeypatch.setattr(cache, "code_digest", lambda: real + "-the date reader was edited")
    read.clear()
    _ask("list")
    assert len(read) == 5


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"{not json",
        b'{"format": 1, "key": "other", "value": {}}',
        b"[1, 2, 3]",
        b"\xff\xfe",
    ],
)
def test_broken_entries_are_ignored(project: Path, read: list[str], damage: bytes) -> None:
    _damage_is_ignored(project, read, lambda entry: entry.write_bytes(damage))


def test_an_entry_of_the_wrong_shape_is_ignored(project: Path, read: list[str]) -> None:
    _damage_is_ignored(project, read, _edit_value(lambda v: v.update(rows=[[1, 2, 3]])))


def test_an_invalid_file_is_read_and_reported_every_time(project: Path, read: list[str]) -> None:
    bad = project / "plans" / "broken.yaml"
    bad.write_text("schema_version: 1\nid: broken\ntitle: [unclosed\n", encoding="utf-8")
    first = _ask("due", "--before", "2026-04")
    assert first[0] == 1
    assert "plans/broken.yaml:4:1: error invalid: YAML syntax error" in first[2]
    read.clear()
    again = _ask("due", "--before", "2026-04")
    assert read == ["plans/broken.yaml"]  # the valid plans came from the cache
    assert again == first


def test_rows_survive_json_unchanged() -> None:
    """Every row of every shipped plan comes back from its JSON entry equal, field by field."""
    found = discover([ROOT / "plans"])
    assert len(found) == 5
    for index, f in enumerate(found):
        rows = rows_of(load(f), index)
        assert rows
        entry = json.loads(json.dumps(file_rows_to_json(rows)))
        assert file_rows_from_json(entry, f.display, index) == rows


@pytest.mark.parametrize(
    ("where", "value"),
    [
        ("title", 42),  # a number where text belongs
        ("ratings", ["amber"]),  # text where a [date, status, rating] step belongs
        ("leads", "Jo Bloggs"),  # text where a list belongs
        ("tags", [1, 2]),
        ("line", "12"),
        ("sections", [-1]),  # a negative index would pick the last section
        ("due", ["by May", "2026-05-01", "2026-05-31", "fortnight"]),  # no such precision
        ("due", ["by May", "May", None, "month"]),
        ("ratings", [[None, "G", ["G", "Green", None, "yes"]]]),
        ("actionable", "yes"),
    ],
)
def test_an_entry_with_values_of_the_wrong_type_is_ignored(
    project: Path, read: list[str], where: str, value: object
) -> None:
    """A hand-edited entry of the right shape but wrong types: the file is read afresh."""
    fields = ["line", "index", "id", "kind", "title", "sections", "due", "repeats", "leads", "named"]
    fields += ["ratings", "actionable", "tags", "texts"]

    def edit(v: Any) -> None:
        for row in v["rows"]:
            row[fields.index(where)] = value

    _damage_is_ignored(project, read, _edit_value(edit))


@pytest.mark.parametrize(
    "edit",
    [
        lambda v: v.update(rows={}),  # an object where the list of rows belongs
        lambda v: v.update(plan=None),  # rows without their plan
        lambda v: v.update(sections=["tgXY" for _ in v["sections"]]),  # text where a list belongs
        lambda v: v.update(
            rows=[[*r[:6], ["by May", "2026-05-31", "2026-05-01", "month"], *r[7:]] for r in v["rows"]]
        ),
    ],
    ids=["rows-object", "plan-null", "sections-text", "due-backwards"],
)
def test_an_entry_of_the_wrong_structure_is_ignored(project: Path, read: list[str], edit: Any) -> None:
    _damage_is_ignored(project, read, _edit_value(edit))


def test_absurdly_nested_entries_are_ignored(project: Path, read: list[str]) -> None:
    _damage_is_ignored(
        project, read, lambda entry: entry.write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    )


def test_a_file_name_that_is_not_utf8_is_answered(project: Path) -> None:
    """A plan file named in another encoding (a Latin-1 shared drive) is still read.

    Run as a process: the name reaches stdout as the bytes it has, which the test
    runner's strict UTF-8 stream would refuse.
    """
    name = os.fsdecode(b"caf\xe9.yaml")
    try:
        (project / "plans" / name).write_bytes((ROOT / "examples" / "example-plan.yaml").read_bytes())
    except (OSError, UnicodeError):
        pytest.skip("this filesystem does not take such names")

    def ask(*extra: str) -> subprocess.CompletedProcess[bytes]:
        command = [sys.executable, "-m", "planctl", "list", "-f", "csv", *AS_OF, *extra]
        return subprocess.run(command, cwd=project, capture_output=True, check=False, timeout=120)

    fresh = ask("--no-cache")
    assert fresh.returncode == 0, fresh.stderr
    assert b"plans/caf\xe9.yaml,A1," in fresh.stdout
    for _ in range(2):  # cold, filling the cache; then warm
        again = ask()
        assert (again.returncode, again.stdout, again.stderr) == (0, fresh.stdout, fresh.stderr)
    for _ in range(2):  # lint keys its cache by the file's name too
        linted = subprocess.run(
            [sys.executable, "-m", "planctl", "lint", *AS_OF],
            cwd=project,
            capture_output=True,
            check=False,
            timeout=120,
        )
        assert linted.returncode in (0, 1), linted.stderr
        assert b"Traceback" not in linted.stderr

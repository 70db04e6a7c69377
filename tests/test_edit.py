"""planctl update / add / new: edits touch only the lines they must, and writes are safe."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import shutil
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planctl.cli import app
from planctl.core.models import walk_items, walk_sections
from planctl.core.validate import load_text
from planctl.edit.operations import EditError, UpdateRequest, add_item, next_item_id, update_item
from planctl.edit.roundtrip import roundtrip
from planctl.store.safewrite import ChangedOnDiskError, modify

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "example-plan.yaml"
SEND = ROOT / "plans" / "oxfordshire-send-pap-2024.yaml"
ALL_PLANS = [*sorted((ROOT / "plans").glob("*.yaml")), EXAMPLE]

runner = CliRunner()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


@pytest.fixture
def example(tmp_path: Path) -> Path:
    target = tmp_path / "plans" / "example-plan.yaml"
    target.parent.mkdir()
    shutil.copy(EXAMPLE, target)
    return target


def changes(old: str, new: str) -> tuple[list[str], list[str]]:
    """(removed lines, added lines) of a line diff."""
    import difflib

    removed: list[str] = []
    added: list[str] = []
    for line in difflib.ndiff(old.splitlines(), new.splitlines()):
        if line.startswith("- "):
            removed.append(line[2:])
        elif line.startswith("+ "):
            added.append(line[2:])
    return removed, added


@pytest.mark.parametrize("path", ALL_PLANS, ids=lambda p: p.name)
def test_load_and_dump_is_byte_identical(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert roundtrip(text) == text


def test_update_rating_and_note_exact_diff(example: Path) -> None:
    old = example.read_text()
    code, out = run(
        "update", "A1", "--status", "Green", "--note", "Draft protocol shared", "--date", "2025-11-03",
        str(example.parent),
    )  # fmt: skip
    assert code == 0, out
    new = example.read_text()
    expected = old.replace(
        "            status: amber\n            status_date: 2025-10-01\n",
        "            status: green\n            status_date: 2025-11-03\n",
    ).replace(
        "                note: First workshop held.\n",
        "                note: First workshop held.\n"
        "              - date: 2025-11-03\n"
        "                status: green\n"
        "                note: Draft protocol shared\n",
    )
    assert new == expected


def test_update_note_due_and_lead_exact_diff(example: Path) -> None:
    old = example.read_text()
    code, out = run(
        "update", "A2", "--note", "Venue booked", "--due", "Q4 2025/26", "--lead", "Ann Smith",
        "--date", "2025-11-03", str(example),
    )  # fmt: skip
    assert code == 0, out
    removed, added = changes(old, example.read_text())
    assert removed == [
        "              - {name: Sam Jones, role: Employment Lead, organisation: Example Council}"
    ]
    assert added == [
        "            due: Q4 2025/26",
        "              - Ann Smith",
        "            updates:",
        "              - date: 2025-11-03",
        "                note: Venue booked",
    ]
    item = next(loc.item for loc in walk_items(load_text(example.read_text(), "x").plan))  # type: ignore[arg-type]
    assert item.id == "A1"  # the other items are untouched


def test_update_send_plan_item_writes_the_rating_once(tmp_path: Path) -> None:
    """The issue's acceptance test: a rating with a note is one dated entry, nothing else.

    PAP2A:1 has no ``status:`` and no ``updates:``, so the diff is the ``updates:`` key
    and the entry's three lines; the comment under the item stays right above ``evidence:``.
    """
    assert SEND.is_file(), f"{SEND.name} is missing from plans/; this test needs the shipped SEND plan"
    plan = tmp_path / SEND.name
    shutil.copy(SEND, plan)
    old = plan.read_text()
    args = ["update", "PAP2A:1", "--status", "Amber", "--note", "Draft protocol shared", "--date", "2025-11-03"]  # fmt: skip
    code, diff = run(*args, "--dry-run", str(plan))
    assert code == 0, diff
    hunk = [line for line in diff.splitlines() if line.startswith(("+", "-"))]
    assert hunk == [
        f"--- {plan}",
        f"+++ {plan}",
        "+            updates:",
        "+              - date: 2025-11-03",
        "+                status: amber",
        "+                note: Draft protocol shared",
    ]
    assert "             due: By April 2024\n+            updates:" in diff
    assert "+                note: Draft protocol shared\n             # E3 is cited here" in diff
    assert plan.read_text() == old

    code, out = run(*args, str(plan))
    assert code == 0, out
    assert out == f"updated PAP2A:1 in {plan}\n"
    anchor = "            due: By April 2024\n            # E3 is cited here"
    assert old.count(anchor) == 1
    assert plan.read_text() == old.replace(
        anchor,
        "            due: By April 2024\n"
        "            updates:\n"
        "              - date: 2025-11-03\n"
        "                status: amber\n"
        "                note: Draft protocol shared\n"
        "            # E3 is cited here",
    )
    code, out = run("fmt", "--check", str(plan))
    assert code == 0, out
    code, out = run("show", "PAP2A:1", str(plan))
    assert code == 0, out
    assert "Amber on 2025-11-03" in out


def test_rating_an_item_rated_in_its_updates_adds_one_entry(example: Path) -> None:
    """A2 has no ``status:``; after a first note and then a rating, it is rated from the entry."""
    code, out = run("update", "A2", "--note", "Venue booked", "--date", "2025-11-03", str(example))
    assert code == 0, out
    old = example.read_text()
    code, out = run("update", "A2", "--status", "red", "--date", "2025-11-04", str(example))
    assert code == 0, out
    removed, added = changes(old, example.read_text())
    assert removed == []
    assert [a.strip() for a in added] == ["- date: 2025-11-04", "status: red"]
    code, out = run("show", "A2", str(example))
    assert code == 0, out
    assert "Red on 2025-11-04" in out
    code, out = run("fmt", "--check", str(example))
    assert code == 0, out


def test_a_status_the_item_keeps_is_rewritten_in_place(example: Path) -> None:
    """An item that keeps ``status:`` without ``status_date:``: the status line changes, no date is added."""
    example.write_text(example.read_text().replace("            status_date: 2025-10-01\n", "", 1))
    old = example.read_text()
    code, out = run("update", "A1", "--status", "green", "--date", "2025-11-03", str(example))
    assert code == 0, out
    removed, added = changes(old, example.read_text())
    assert removed == ["            status: amber"]
    assert added == [
        "            status: green",
        "              - date: 2025-11-03",
        "                status: green",
    ]
    code, out = run("show", "A1", str(example))
    assert code == 0, out
    assert "Green on 2025-11-03" in out


def test_a_rating_dated_before_the_current_one_is_history(example: Path) -> None:
    old = example.read_text()
    result = runner.invoke(app, ["update", "A1", "--status", "red", "--date", "2025-09-01", str(example)])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"updated A1 in {example}\n"
    assert "A1 stays Amber as rated on 2025-10-01; the Red of 2025-09-01 is recorded" in result.stderr
    removed, added = changes(old, example.read_text())
    assert removed == []
    assert [a.strip() for a in added] == ["- date: 2025-09-01", "status: red"]
    code, out = run("show", "A1", str(example))
    assert code == 0, out
    assert "Amber on 2025-10-01" in out


@pytest.mark.parametrize("path", sorted((ROOT / "plans").glob("*.yaml")), ids=lambda p: p.name)
def test_note_on_first_and_last_item_of_each_shipped_plan_only_adds_lines(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    plan = load_text(text, path.name).plan
    assert plan is not None
    items = [loc.item for loc in walk_items(plan)]
    for item in (items[0], items[-1]):
        new = update_item(text, path.name, item.id, UpdateRequest(date=dt.date(2025, 11, 3), note="Checked"))
        removed, added = changes(text, new)
        assert removed == []
        if item.updates:
            assert [a.strip() for a in added] == ["- date: 2025-11-03", "note: Checked"]
        else:
            assert [a.strip() for a in added] == ["updates:", "- date: 2025-11-03", "note: Checked"]


def test_refused_rating_leaves_file_untouched(example: Path) -> None:
    before = example.read_bytes()
    code, out = run("update", "A1", "--status", "purple", str(example))
    assert code == 1
    assert "'purple' is not on the RAG scale" in out
    assert "red (Red), amber (Amber), green (Green)" in out
    assert example.read_bytes() == before


@pytest.mark.parametrize("value", ["", "   "])
def test_empty_note_is_refused_like_an_empty_lead(example: Path, value: str) -> None:
    before = example.read_bytes()
    code, out = run("update", "A2", "--note", value, "--date", "2025-11-03", str(example))
    assert code == 1, out
    assert "--note must not be empty" in out
    assert "updated" not in out
    assert example.read_bytes() == before
    code, out = run("update", "A2", "--lead", value, str(example))
    assert code == 1, out
    assert "--lead must not be empty" in out
    assert example.read_bytes() == before
    code, out = run("add", "theme-1", "--title", "Do a thing", "--lead", value, str(example))
    assert code == 1, out
    assert "--lead must not be empty" in out
    assert example.read_bytes() == before


def test_unresolvable_due_is_refused(example: Path) -> None:
    before = example.read_bytes()
    code, out = run("update", "A1", "--due", "when we can", str(example))
    assert code == 2
    assert "cannot read 'when we can' as a deadline" in out
    assert "Q3 2025/26" in out
    assert example.read_bytes() == before


@pytest.mark.parametrize("command", ["update A1", "add priority-1-1 --title Fair"])
def test_due_refusal_lists_only_forms_a_deadline_takes(example: Path, command: str) -> None:
    before = example.read_bytes()
    code, out = run(*command.split(), "--due", "whenever", str(example))
    assert code == 2, out
    assert "accepted forms: 2026-04-15" in out
    assert "municipal year 2025/26" in out
    for relative in ("today", "+90d", "+6w", "+3m", "+1y"):
        assert relative not in out
    assert example.read_bytes() == before


@pytest.mark.parametrize("due", ["today", "+3m", " +6w "])
def test_relative_due_is_refused_naming_the_day_it_means(example: Path, due: str) -> None:
    before = example.read_bytes()
    code, out = run("update", "A1", "--due", due, str(example))
    assert code == 2, out
    assert f"--due: {due.strip()!r} means another day each day the plan is read" in out
    assert "write the day itself, e.g. --due 20" in out
    if due == "today":
        assert f"--due {dt.date.today().isoformat()}" in out
    assert example.read_bytes() == before


def test_dry_run_prints_diff_and_writes_nothing(example: Path) -> None:
    before = example.read_bytes()
    mtime = example.stat().st_mtime_ns
    code, out = run("update", "A1", "--status", "red", "--date", "2025-11-03", "--dry-run", str(example))
    assert code == 0
    assert "-            status: amber\n-            status_date: 2025-10-01\n" in out
    assert "+            status: red\n+            status_date: 2025-11-03\n" in out
    assert example.read_bytes() == before
    assert example.stat().st_mtime_ns == mtime
    assert sorted(p.name for p in example.parent.iterdir()) == ["example-plan.yaml"]


def test_unknown_and_ambiguous_ids_are_usage_errors(example: Path) -> None:
    shutil.copy(example, example.with_name("copy.yaml"))
    code, out = run("update", "NOPE", "--note", "x", str(example))
    assert code == 2
    assert "no item 'NOPE'" in out
    code, out = run("update", "A1", "--note", "x", str(example.parent))
    assert code == 2
    assert "more than one plan" in out


def test_nothing_to_update_is_a_usage_error(example: Path) -> None:
    code, out = run("update", "A1", str(example))
    assert code == 2
    assert "nothing to update" in out


def test_permissions_kept_and_no_visible_stray_files(example: Path) -> None:
    os.chmod(example, 0o640)
    code, _ = run("update", "A1", "--note", "x", "--date", "2025-11-03", str(example))
    assert code == 0
    assert stat.S_IMODE(example.stat().st_mode) == 0o640
    visible = [p.name for p in example.parent.iterdir() if not p.name.startswith(".")]
    assert visible == ["example-plan.yaml"]


def test_write_refused_when_file_changed_on_disk(example: Path) -> None:
    def change(raw: bytes) -> tuple[bytes, None]:
        example.write_bytes(raw + b"# edited elsewhere\n")  # an editor saves meanwhile
        return raw.replace(b"status: amber", b"status: red", 1), None

    with pytest.raises(ChangedOnDiskError):
        modify(example, change)
    assert example.read_bytes().endswith(b"# edited elsewhere\n")
    assert b"status: red" not in example.read_bytes()


def _worker(path: str, worker: int) -> None:
    for n in range(5):
        result = CliRunner().invoke(
            app, ["update", "A2", "--note", f"note {worker}-{n}", "--date", "2025-11-03", path]
        )
        assert result.exit_code == 0, result.output


def test_concurrent_updates_lose_nothing(example: Path) -> None:
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_worker, args=(str(example), w)) for w in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert [p.exitcode for p in procs] == [0, 0, 0, 0]
    result = load_text(example.read_text(), "x")
    assert result.ok, result.problems
    item = next(loc.item for loc in walk_items(result.plan) if loc.item.id == "A2")  # type: ignore[arg-type]
    notes = sorted(u.note or "" for u in item.updates)
    assert notes == sorted(f"note {w}-{n}" for w in range(4) for n in range(5))


# --- add and new -------------------------------------------------------------------------


def test_next_item_id_follows_sibling_pattern(shipped: dict[str, object]) -> None:
    text = EXAMPLE.read_text()
    plan = load_text(text, "x").plan
    assert plan is not None
    section = next(s for s, _, _ in walk_sections(plan.sections) if s.id == "priority-1-1")
    assert next_item_id(plan, section) == "A4"
    ld = next(p for p in ALL_PLANS if p.name.startswith("oxfordshire-ld-plan"))
    ld_plan = load_text(ld.read_text(), "x").plan
    assert ld_plan is not None
    first = ld_plan.sections[0].sections[0]
    last = first.items[-1].id
    head, _, tail = last.rpartition(".")
    assert next_item_id(ld_plan, first) == f"{head}.{int(tail) + 1}"


def test_add_appends_item_with_next_id(example: Path) -> None:
    old = example.read_text()
    code, out = run(
        "add", "priority-1-1", "--title", "Hold a jobs fair.", "--due", "June 2026", "--lead", "Sam Jones",
        str(example),
    )  # fmt: skip
    assert code == 0, out
    assert "added A4" in out
    removed, added = changes(old, example.read_text())
    assert removed == []
    assert added == [
        "          - id: A4",
        "            kind: action",
        "            title: Hold a jobs fair.",
        "            due: June 2026",
        "            leads: [Sam Jones]",
    ]


def test_add_with_taken_id_is_not_written(example: Path) -> None:
    before = example.read_bytes()
    with pytest.raises(EditError, match="duplicate id 'A1'"):
        add_item(before.decode(), "x", "priority-1-1", "Again", item_id="A1")
    code, out = run("add", "priority-1-1", "--title", "Again", "--id", "A1", str(example))
    assert code == 1
    assert "would make the plan invalid" in out
    assert example.read_bytes() == before


def test_new_scaffolds_a_valid_plan_and_never_overwrites(tmp_path: Path) -> None:
    target = tmp_path / "my-plan.yaml"
    code, out = run("new", str(target), "--id", "my-plan", "--title", 'The "Big" Plan')
    assert code == 0, out
    text = target.read_text()
    assert text.startswith("# yaml-language-server: $schema=")
    result = load_text(text, "x")
    assert result.ok
    assert result.plan is not None
    assert result.plan.title == 'The "Big" Plan'
    code, out = run("new", str(target), "--id", "other", "--title", "x")
    assert code == 1
    assert "already exists" in out
    assert target.read_text() == text

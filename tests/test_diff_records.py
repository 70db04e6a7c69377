"""``diff`` and ``history`` see what is recorded around an item: decisions and responses,
progress notes (``updates:``) and text, on scratch copies of the shipped plans."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planctl.cli import app
from test_diff_support import Repo, make_repo

ROOT = Path(__file__).resolve().parents[1]
SCRUTINY = ROOT / "plans" / "oxfordshire-people-scrutiny-2025-26.yaml"
EX = "plans/example.yaml"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def two_copies(tmp_path: Path) -> tuple[Path, Path]:
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    shutil.copyfile(SCRUTINY, old)
    shutil.copyfile(SCRUTINY, new)
    return old, new


def test_a_cabinet_decision_flipping_to_rejected_is_a_change(two_copies: tuple[Path, Path]) -> None:
    old, new = two_copies
    replace_once(
        new,
        "              decision: partially-accepted\n              scale: decision\n"
        "              text: Enter optional text here\n              action: >-\n"
        "                This option has been fully explored.",
        "              decision: rejected\n              scale: decision\n"
        "              text: Enter optional text here\n              action: >-\n"
        "                This option has been fully explored.",
    )
    code, out, _ = run("diff", str(old), str(new))
    assert code == 0
    assert "No changes in meaning" not in out
    assert "1 decision changed in 1 of 1 plan." in out
    assert "rt-2025-06-26.1  Decision changed: Partially accepted → Rejected" in out


def test_response_action_and_timescale_and_text(two_copies: tuple[Path, Path]) -> None:
    old, new = two_copies
    replace_once(
        new,
        "                Connect to Work.\n              by:",
        "                Connect to Work.\n              timescale: March 2026\n              by:",
    )
    replace_once(new, "This option has been fully explored.", "This option has been explored.")
    code, out, _ = run("diff", str(old), str(new), "--format", "json")
    assert code == 0
    changes = [
        (c["item"], c["kind"], c["detail"][:60]) for p in json.loads(out)["plans"] for c in p["changes"]
    ]
    assert ("rt-2025-06-26.2", "response-changed", "timescale: (none) → March 2026") in changes
    assert (
        "rt-2025-06-26.1",
        "response-changed",
        "action: This option has been fully explored. There are curre",
    ) in changes


def test_a_progress_note_added_is_reported_with_its_words(two_copies: tuple[Path, Path]) -> None:
    old, new = two_copies
    replace_once(
        new,
        "              by: Cllr Tim Bearder, Cabinet Member for Adults\n"
        "              provenance: {file: 001_1e47c8ac389b41b7.txt, section: Overview & Scrutiny "
        "Recommendation Response Pro forma, line: 7929, end_line: 7984}\n",
        "              by: Cllr Tim Bearder, Cabinet Member for Adults\n"
        "              provenance: {file: 001_1e47c8ac389b41b7.txt, section: Overview & Scrutiny "
        "Recommendation Response Pro forma, line: 7929, end_line: 7984}\n"
        "            updates:\n              - date: 2026-01-15\n"
        "                note: Thrive at Work launched with 12 employers.\n                by: Karen Fuller\n",
    )
    code, out, _ = run("diff", str(old), str(new))
    assert code == 0
    assert "1 note added in 1 of 1 plan." in out
    assert (
        "rt-2025-06-26.1  Note added: 2026-01-15: Thrive at Work launched with 12 employers. (by Karen Fuller)"
        in out
    )


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    made = make_repo(tmp_path / "repo", tmp_path)
    for key, value in made.env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(made.path)
    return made


def test_history_shows_notes_and_decisions(repo: Repo) -> None:
    repo.edit(
        EX,
        "                note: First workshop held.\n",
        "                note: First workshop held.\n"
        "              - date: 2025-11-20\n                note: Second workshop moved to January.\n",
    )
    repo.edit(EX, "              decision: accepted\n", "              decision: rejected\n")
    repo.edit(
        EX,
        "            title: Run a job club.\n",
        "            title: Run a job club.\n            text: Weekly.\n",
    )
    repo.commit("November board", "2025-11-25T16:00:00+00:00")
    shas = repo.git("log", "--format=%h", "--reverse").split()
    code, out, _ = run("history", "A1")
    assert code == 0
    assert out.splitlines()[-2] == (
        f"2025-11-25  {shas[1]}  Pat Officer  Note added: 2025-11-20: Second workshop moved to January."
    )
    code, out, _ = run("history", "A3")
    assert f"2025-11-25  {shas[1]}  Pat Officer  Decision changed: Accepted → Rejected" in out
    code, out, _ = run("history", "A2")
    assert f"2025-11-25  {shas[1]}  Pat Officer  Text changed: (none) → Weekly." in out

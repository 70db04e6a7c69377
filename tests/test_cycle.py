"""The quarterly cycle end to end (issue 22, "done when"): return forms out to two leads,
filled by a library other than the one that wrote them, updates in, and the board pack
since the last commit shows exactly those changes, as Markdown and as a PDF that
pdftotext (poppler, a reader's tool) reads back."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planctl.cli import app
from test_diff_support import Repo, git_env
from test_forms import fill

ROOT = Path(__file__).resolve().parents[1]
SEND = "plans/send.yaml"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def ok(*args: str) -> str:
    code, out, err = run(*args)
    assert code == 0, (args, out, err)
    return out


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    """The SEND plan with three actions given to two leads, committed as the last meeting."""
    path = tmp_path / "repo"
    path.mkdir()
    made = Repo(path, git_env(tmp_path))
    for key, value in made.env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(path)
    made.git("init", "-q", "-b", "main")
    made.copy(ROOT / "plans" / "oxfordshire-send-pap-2024.yaml", SEND)
    ok("update", "PAP1:1", "--lead", "Sam Lee", "plans")
    ok("update", "PAP1:2", "--lead", "Sam Lee", "plans")
    ok("update", "PAP2A:1", "--lead", "Alex Kay", "plans")
    made.commit("September board: leads named", "2026-09-10T16:00:00+00:00")
    return made


def changed_refs(section: str) -> set[str]:
    """The item refs in the rows of the pack's "what changed" tables."""
    return set(re.findall(r"^\| (PAP[\w:]+) \|", section, re.M))


def test_forms_out_updates_in_and_the_board_pack_shows_exactly_them(repo: Repo) -> None:
    forms = repo.path / "forms"
    forms.mkdir()
    out = ok("forms", "plans", "--out-dir", str(forms), "--as-of", "2026-11-24")
    assert sorted(p.name for p in forms.iterdir()) == ["alex-kay.xlsx", "sam-lee.xlsx"], out
    fill(
        forms / "sam-lee.xlsx",
        {"PAP1:1": ("Amber", dt.date(2026, 11, 20), "Protocol drafted; sign-off in January")},
    )
    fill(forms / "alex-kay.xlsx", {"PAP2A:1": ("Red", dt.date(2026, 11, 21), "Recruitment delayed to March")})
    for name in ("sam-lee.xlsx", "alex-kay.xlsx"):
        out = ok("import", "--updates", str(forms / name), "--plans-dir", "plans", "--as-of", "2026-11-30")
        assert "1 update(s) imported" in out

    pack = ok("board", SEND, "--as-of", "2026-11-30", "--since", "HEAD")
    changed = pack.split("What changed since the last meeting", 1)[1].split("\n### ", 1)[0]
    assert changed_refs(changed) == {"PAP1:1", "PAP2A:1"}  # exactly the two returns, nothing else
    assert "Protocol drafted; sign-off in January" in changed
    assert "Recruitment delayed to March" in changed
    assert "Amber" in changed
    assert "Red" in changed

    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:  # make test installs poppler-utils; a bare pytest run may lack it
        pytest.skip("pdftotext (poppler-utils) is not installed: run make test")
    target = repo.path / "pack.pdf"
    ok("board", SEND, "--as-of", "2026-11-30", "--since", "HEAD", "--pdf", "--out", str(target))
    text = subprocess.run([pdftotext, str(target), "-"], capture_output=True, text=True, check=True)
    words = " ".join(text.stdout.split())  # table cells wrap
    assert "What changed since the last meeting" in words
    assert "Protocol drafted; sign-off in January" in words
    assert "Recruitment delayed to March" in words

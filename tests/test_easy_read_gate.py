"""The easy-read gate: a handout that fails the checks is not written unless --draft."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from planctl.cli import app

runner = CliRunner()
AS_OF = "2026-11-24"
LONG = " ".join(["word"] * 22) + "."


def render(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["render", *args])
    return result.exit_code, result.stdout, result.stderr


def _plan(tmp_path: Path) -> Path:
    plan = tmp_path / "p.yaml"
    plan.write_text(
        "id: p\ntitle: P\n"
        "glossary:\n  - {term: GP, meaning: General practitioner, easy_read: Your family doctor.}\n"
        "sections:\n"
        "  - id: s\n"
        "    title: Homes\n"
        "    easy_read: Homes.\n"
        "    items:\n"
        "      - id: A1\n"
        "        title: Build homes.\n"
        f"        easy_read: {LONG}\n"
        "        due: May 2027\n"
        "      - id: A2\n"
        "        title: Buy homes.\n"
        "        easy_read: We will improve procurement with the CCG and your GP.\n"
        "        due: May 2027\n"
        "      - id: A3\n"
        "        title: Review the multi-agency pathway.\n"
        "        due: May 2027\n",
        encoding="utf-8",
    )
    return plan


def test_gate_names_each_problem_at_file_line_and_writes_nothing(tmp_path: Path) -> None:
    plan = _plan(tmp_path)
    for template in ("easy-read.html", "easy-read.md"):
        target = tmp_path / f"out-{template}"
        code, _, err = render(str(plan), "-t", template, "--as-of", AS_OF, "--out", str(target))
        assert code == 1
        assert not target.exists()
        assert re.search(rf"{re.escape(str(plan))}:12:20: error: item A1: a sentence of 22 words", err)
        assert re.search(rf"{re.escape(str(plan))}:16:20: error: item A2: hard word 'procurement'", err)
        assert re.search(rf"{re.escape(str(plan))}:16:20: error: item A2: hard word 'CCG'", err)
        assert "'GP'" not in err  # the glossary explains it in easy words
        assert re.search(rf"{re.escape(str(plan))}:19:16: error: item A3: an action with no easy_read", err)
        assert "6 easy-read problem(s); nothing written" in err
        assert re.search(rf"{re.escape(str(plan))}:19:16: error: item A3: hard word 'multi-agency'", err)
        assert "--draft" in err
        assert "Traceback" not in err


def test_draft_writes_it_marked_on_every_page(tmp_path: Path) -> None:
    plan = _plan(tmp_path)
    code, html, err = render(str(plan), "-t", "easy-read.html", "--as-of", AS_OF, "--draft")
    assert code == 0, err
    assert "6 easy-read problem(s); written as a draft" in err
    page = re.search(r"@page \{.*?@top-center \{(.*?)\}", html, re.DOTALL)
    assert page is not None
    assert 'content: "Draft: not yet checked"' in page[1]  # printed at the top of every page
    assert '<p class="draft">Draft: not yet checked</p>' in html  # and on screen
    code, md, err = render(str(plan), "-t", "easy-read.md", "--as-of", AS_OF, "--draft")
    assert code == 0, err
    assert md.startswith("**Draft: not yet checked**")
    assert md.rstrip().endswith("**Draft: not yet checked**")
    code, html, err = render(str(plan), "-t", "easy-read.html", "--as-of", AS_OF, "--draft")
    checked = html.replace("Draft: not yet checked", "")
    assert "Draft" not in checked


def test_a_checked_handout_has_no_draft_mark(tmp_path: Path) -> None:
    plan = tmp_path / "p.yaml"
    plan.write_text(
        "id: p\ntitle: P\nsections:\n  - id: s\n    title: Homes\n    easy_read: Homes.\n    items:\n"
        "      - {id: A1, title: Build homes., easy_read: We will build homes., due: May 2027}\n",
        encoding="utf-8",
    )
    code, html, err = render(str(plan), "-t", "easy-read.html", "--as-of", AS_OF)
    assert code == 0, err
    assert "Draft" not in html
    assert "easy-read problem" not in err

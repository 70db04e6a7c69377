"""``planctl board``: the board pack on a scratch copy of the SEND plan with a history of
board meetings made by the test, as Markdown, HTML and a PDF read back with pypdf."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planctl.cli import app
from test_diff_support import Repo, git_env

ROOT = Path(__file__).resolve().parents[1]
SEND = "plans/send.yaml"
PAP11_DUE = "            due: By April 2024\n            evidence: [E1, E102"
PAP12_DUE = "            due: By January 2024\n            evidence: [E6,"
PAP13_DUE = "            due: By April 2024\n            # E93 is cited here"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    """January board: ratings given; March board: PAP1:1 slipped to July; since then (the
    working tree, as returns came in): PAP1:1 slipped again and is Red with a note,
    PAP1:3 is Blue (done), a new action PAP1:9."""
    path = tmp_path / "repo"
    path.mkdir()
    made = Repo(path, git_env(tmp_path))
    for key, value in made.env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(path)
    made.git("init", "-q", "-b", "main")
    made.copy(ROOT / "plans" / "oxfordshire-send-pap-2024.yaml", SEND)
    rated = "            status: amber\n            status_date: 2024-01-05\n"
    made.edit(SEND, PAP11_DUE, PAP11_DUE.replace("\n", "\n" + rated, 1))
    made.edit(SEND, PAP12_DUE, PAP12_DUE.replace("\n", "\n" + rated, 1))
    made.edit(SEND, PAP13_DUE, PAP13_DUE.replace("\n", "\n" + rated, 1))
    made.commit("January board", "2024-01-10T16:00:00+00:00")
    made.edit(
        SEND,
        "            due: By April 2024\n            status: amber\n            status_date: 2024-01-05\n"
        "            evidence: [E1,",
        "            due: By July 2024\n            status: amber\n"
        "            status_date: 2024-01-05\n            evidence: [E1,",
    )
    made.commit("March board", "2024-03-12T16:00:00+00:00")
    made.edit(
        SEND,
        "            due: By July 2024\n            status: amber\n            status_date: 2024-01-05\n",
        "            due: By October 2024\n            status: red\n            status_date: 2024-04-10\n"
        "            updates:\n              - date: 2024-04-10\n                status: red\n"
        "                note: Mapping delayed by staffing.\n                by: Head of SEND\n",
    )
    made.edit(
        SEND,
        "            due: By April 2024\n            status: amber\n            status_date: 2024-01-05\n"
        "            # E93 is cited here",
        "            due: By April 2024\n            status: blue\n            status_date: 2024-04-11\n"
        "            # E93 is cited here",
    )
    made.edit(
        SEND,
        '          - id: "PAP1:2"\n',
        '          - id: "PAP1:9"\n            kind: objective\n            title: Publish a you-said-we-did page.\n'
        '            due: June 2024\n          - id: "PAP1:2"\n',
    )
    return made


def test_markdown_pack_shows_what_changed_since_the_last_meeting(repo: Repo) -> None:
    march = repo.git("rev-parse", "--short", "HEAD").strip()
    code, out, err = run("board", SEND, "--as-of", "2024-04-15", "--since", "2024-03-31")
    assert code == 0, err
    assert f"**Changes since:** 2024-03-31 (the plans as committed then: {march})" in out
    changed = out.split("What changed since the last meeting")[1].split("### 1.3")[0]
    assert "**Ratings down (1)**" in changed
    assert "| PAP1:1 | By April 2024, we will have systems" in changed
    assert "| Rating worsened | Amber → Red |" in changed
    assert "| Deadline slipped | July 2024 → October 2024 (+3 months) |" in changed
    assert "**Completed (1)**\n" in changed
    assert "| PAP1:3 |" in changed.split("**Completed (1)**")[1].split("**")[0]
    assert "| Rating improved | Amber → Blue |" in changed
    assert "| Rating improved | Amber → Blue |" in changed
    assert "**New items (1)**" in changed
    assert "| PAP1:9 | Publish a you-said-we-did page. | Item added |" in changed
    assert "| Note added | 2024-04-10 Red: Mapping delayed by staffing. (by Head of SEND) |" in changed
    exceptions = out.split("### 1.3 Exceptions")[1].split("### 1.4")[0]
    on_track = exceptions.split("**Overdue but rated on track (1)**")[1].split("**No update")[0]
    assert "| PAP1:2 |" in on_track  # due January 2024, still Amber: "Actions on track"
    twice = exceptions.split("**Deadline slipped twice or more (1)**")[1].split("**No lead")[0]
    assert "deadline moved later 2 times; now October 2024" in twice
    notes = out.split("### 1.4 Latest notes")[1].split("### 1.5")[0]
    assert "| PAP1:1 |" in notes
    assert "| 10 April 2024 | Red | Mapping delayed by staffing. (Head of SEND) |" in notes
    assert "```mermaid\ngantt" in out


def test_changes_are_found_from_a_subfolder(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from plans/ (the plan named relative to it), the base is still found."""
    monkeypatch.chdir(repo.path / "plans")
    code, out, err = run("board", "send.yaml", "--as-of", "2024-04-15", "--since", "HEAD")
    assert code == 0, err
    assert "The plan is new since" not in out
    assert "**Ratings down (1)**" in out


def test_nothing_changed_and_no_since(repo: Repo) -> None:
    repo.commit("April returns", "2024-04-12T16:00:00+00:00")
    code, out, _ = run("board", SEND, "--as-of", "2024-04-15", "--since", "HEAD")
    assert code == 0
    assert "Nothing changed since HEAD" in out
    code, out, _ = run("board", SEND, "--as-of", "2024-04-15")
    assert "No earlier version was given: `planctl board --since REV|DATE`" in out
    code, _, err = run("board", SEND, "--since", "2020-01-01")
    assert code == 2
    assert "no commit on or before 2020-01-01" in err


def test_html_badges_are_text_with_colour_and_the_timeline_is_svg(repo: Repo) -> None:
    code, out, _ = run("board", SEND, "--as-of", "2024-04-15", "--since", "HEAD", "--format", "html")
    assert code == 0
    assert '<span class="badge"><span class="mark" style="background: #d4351c"></span>Red</span>' in out
    assert not re.search("[\U0001f7e0-\U0001f7eb\u26aa\u26ab]", out)  # no emoji circles
    assert "<svg" in out
    assert "```mermaid" not in out
    assert "Publish a you-said-we-did page." in out


def test_pdf_is_a4_with_page_numbers_and_contents(repo: Repo, tmp_path: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    target = tmp_path / "pack.pdf"
    code, _, err = run(
        "board", SEND, "--as-of", "2024-04-15", "--since", "HEAD", "--pdf", "--out", str(target)
    )
    assert code == 0, err
    reader = pypdf.PdfReader(str(target))
    pages = len(reader.pages)
    assert pages >= 2
    box = reader.pages[0].mediabox
    assert (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)) == (210, 297)
    text = [page.extract_text() for page in reader.pages]
    assert f"Page 1 of {pages}" in text[0]
    assert f"Page {pages} of {pages}" in text[-1]
    contents = text[0].split("Contents")[1]
    assert re.search(r"Exceptions \.+ ?\d", contents)
    everything = " ".join(" ".join(text).split())  # table cells wrap
    assert "Mapping delayed by staffing." in everything
    assert "Ratings down (1)" in everything
    assert "Deadline slipped twice or more (1)" in everything


HOSTILE = """\
id: hostile
title: "Plan <script>alert('x')</script> | pipe"
scales:
  - id: rag
    name: RAG
    values:
      - {key: amber, label: "<b>Amber</b>", colour: "#f47738"}
sections:
  - id: s1
    title: "Section | <b>bold</b>"
    items:
      - id: A1
        title: "Do <script>evil()</script> | now"
        due: April 2026
        status: amber
        updates:
          - {date: 2026-01-01, note: "<img src=x onerror=alert(1)> | late"}
"""


def test_plan_text_stays_text_in_every_pack_format(tmp_path: Path) -> None:
    plan = tmp_path / "hostile.yaml"
    plan.write_text(HOSTILE, encoding="utf-8")
    code, out, err = run("board", str(plan), "--as-of", "2026-06-01", "--format", "html")
    assert code == 0, err
    assert "<script>" not in out
    assert "<img" not in out
    assert "<b>" not in out
    assert "&lt;script&gt;" in out
    code, out, err = run("board", str(plan), "--as-of", "2026-06-01")
    assert code == 0, err
    assert "<script>" not in out
    assert "<img" not in out
    assert r"Do &lt;script&gt;evil()&lt;/script&gt; \| now" in out


def test_measures_of_success_and_a_new_figure_are_in_the_pack(repo: Repo) -> None:
    """Issue 22: the pack shows the measures with their trend, and a figure recorded since
    the last meeting is among what changed (issue 18: recording a quarter's value shows in
    the board report)."""
    code, _, err = run(
        "update", "--kpi", "send-relational-schools", "--period", "2024/25", "--value", "38",
        "--figure", "38 schools", SEND,
    )  # fmt: skip
    assert code == 0, err
    code, out, err = run("board", SEND, "--as-of", "2026-11-24", "--since", "HEAD")
    assert code == 0, err
    changed = out.split("What changed since the last meeting", 1)[1].split("### ", 1)[0]
    assert "send-relational-schools" in changed or "Schools in the Oxfordshire Relational" in changed
    measures = out.split("Measures of success", 1)[1]
    assert "#### send-relational-schools: Schools in the Oxfordshire Relational Schools project" in measures
    assert "| 2024/25 |  | 38 schools |" in measures
    assert "51 schools" in measures  # the target as the source prints it
    code, page, err = run("board", SEND, "--as-of", "2026-11-24", "--format", "html")
    assert code == 0, err
    assert '<a href="#plan-1-8">Measures of success</a>' in page
    assert '<img alt="Trend chart of EHCPs completed' in page

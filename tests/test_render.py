"""planctl render and planctl templates, run as a user runs them, on the shipped plans."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planctl.cli import app
from planctl.core.models import Plan
from planctl.render.context import build_context, mermaid_text
from planctl.render.engine import external_references, md_escape

ROOT = Path(__file__).resolve().parents[1]
PLAN_FILES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "plans").glob("*.yaml"))
TEMPLATES = ["plan.md", "board-report.md", "easy-read.html", "easy-read.md"]
AS_OF = "2025-11-06"
SNAPSHOTS = ROOT / "tests" / "snapshots"
runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.usefixtures("in_repo")
@pytest.mark.parametrize("plan", PLAN_FILES)
@pytest.mark.parametrize("template", TEMPLATES)
def test_every_template_renders_every_shipped_plan(plan: str, template: str) -> None:
    code, out, err = run("render", plan, "--template", template, "--as-of", AS_OF)
    assert code == 0, err
    assert "Traceback" not in err
    assert len(out) > 500


@pytest.mark.usefixtures("in_repo")
@pytest.mark.parametrize("template", ["plan.md", "board-report.md", "easy-read.md"])
def test_snapshot_of_the_example_plan(template: str) -> None:
    """Refresh after an intended change: PLANCTL_UPDATE_SNAPSHOTS=1 pytest tests/test_render.py"""
    code, out, err = run("render", "examples/example-plan.yaml", "-t", template, "--as-of", AS_OF)
    assert code == 0, err
    path = SNAPSHOTS / f"example-plan.{template}"
    if os.environ.get("PLANCTL_UPDATE_SNAPSHOTS"):
        path.write_text(out, encoding="utf-8")
    assert out == path.read_text(encoding="utf-8")


@pytest.mark.usefixtures("in_repo")
def test_board_report_lists_overdue_and_due_soon_by_plan_id() -> None:
    code, out, _ = run("render", "oxfordshire-ld-plan-2025-2035", "-t", "board-report.md", "--as-of", AS_OF)
    assert code == 0
    overdue = out.split("## 3. Overdue")[1].split("## 4.")[0]
    assert "| 3.1.1 | Write a 10-year housing plan. | Theme 3, priority 1 | September 2025 |" in overdue
    soon = out.split("## 4.")[1].split("## 5.")[0]
    assert "Due by 6 February 2026" in soon
    assert "4.2.1" in soon
    assert "3.1.1" not in soon
    assert "None of the 74 actions names a lead." in out
    gantt = out.split("```mermaid")[1].split("```")[0]
    assert gantt.strip().startswith("gantt")
    task_lines = [line for line in gantt.splitlines() if re.search(r":\S*t\d+", line)]
    assert len(task_lines) > 50
    for line in task_lines:  # one ':' separating name and data, no '#' or ';'
        name, _, data = line.partition(" :")
        assert ":" not in name
        assert "#" not in line
        assert ";" not in line
        assert re.fullmatch(r"(?:(?:crit|active|done), )?t\d+, \d{4}-\d\d-\d\d, \d{4}-\d\d-\d\d", data)


def test_board_report_counts_only_sections_that_hold_actions() -> None:
    """The SEND plan's Areas for Improvement are sections without actions: not counted."""
    code, out, _ = run("render", "oxfordshire-send-pap-2024", "-t", "board-report.md", "--as-of", AS_OF)
    assert code == 0
    assert "This report covers 33 actions in 5 sections." in out
    table = out.split("## 2. Progress by section")[1].split("## 3.")[0]
    assert len([line for line in table.splitlines() if line.startswith("| Priority")]) == 5


def test_board_report_later_date_moves_items_to_overdue(shipped: dict[str, Plan]) -> None:
    from datetime import date

    plan = shipped["oxfordshire-ld-plan-2025-2035"]
    early = build_context(plan, date(2025, 11, 6))
    late = build_context(plan, date(2026, 7, 1))
    assert len(late.overdue) > len(early.overdue)
    assert {i.id for i in early.overdue} <= {i.id for i in late.overdue}


def test_mermaid_names_cannot_break_the_chart() -> None:
    assert mermaid_text("Review: phase #2; then") == "Review phase 2 then"
    assert mermaid_text("section heading") == "Task section heading"
    assert len(mermaid_text("x" * 200)) == 60


def test_markdown_escaping_keeps_tables_and_drops_html() -> None:
    assert md_escape("a | b\nc") == r"a \| b c"
    assert md_escape("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert md_escape("# not a heading") == r"\# not a heading"


YAML_WITH_SCRIPT = """\
id: hostile
title: "Plan <script>alert('x')</script> | pipe"
glossary:
  - {term: LD, meaning: Learning disability, easy_read: Some things are harder to learn.}
scales:
  - id: rag
    name: RAG
    values:
      - {key: green, label: Green, colour: green, done: true}
sections:
  - id: s1
    title: "Section | <b>bold</b>"
    items:
      - id: A1
        title: "Do <script>evil()</script> | now\\nplease"
        due: April 2026
        status: green
        easy_read: "We will help. <img src=x onerror=alert(1)> We will do it by April. LD support."
        picture: not-a-picture
"""


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.yaml"
    path.write_text(YAML_WITH_SCRIPT, encoding="utf-8")
    return path


def test_html_autoescapes_plan_text(hostile: Path) -> None:
    code, out, err = run("render", str(hostile), "-t", "easy-read.html", "--as-of", AS_OF)
    assert code == 0, err
    assert "<script>" not in out
    assert "&lt;script&gt;" in out
    assert "<img src=x" not in out
    assert "not-a-picture" in err  # unknown picture: warned, default used


def test_markdown_escapes_plan_text(hostile: Path) -> None:
    code, out, err = run("render", str(hostile), "-t", "board-report.md", "--as-of", AS_OF)
    assert code == 0, err
    assert "<script>" not in out
    assert "<b>" not in out
    row = next(line for line in out.splitlines() if line.startswith("| Section \\|"))
    assert r"Section \| &lt;b&gt;" in row
    code, out, _ = run("render", str(hostile), "-t", "plan.md", "--as-of", AS_OF)
    assert code == 0
    assert "&lt;script&gt;evil()&lt;/script&gt; \\| now please" in out
    assert "🟢 Green" in out


def test_user_template_runs_in_the_sandbox(tmp_path: Path, hostile: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "evil.md").write_text(
        "{# description: tries to escape #}\n{{ ''.__class__.__mro__[1].__subclasses__() }}\n",
        encoding="utf-8",
    )
    code, out, err = run(
        "render", str(hostile), "-t", "evil.md", "--templates", str(folder), "--as-of", AS_OF
    )
    assert code == 1
    assert "sandbox" in err
    assert "evil.md:2" in err
    assert "Traceback" not in err
    assert out == ""


def test_user_template_overrides_by_name_and_is_listed(tmp_path: Path, hostile: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "plan.md").write_text(
        "{# description: Just the title #}\nTITLE {{ title }} {{ items | length }}\n", encoding="utf-8"
    )
    code, out, _ = run("templates", "--templates", str(folder))
    assert code == 0
    assert re.search(r"^plan\.md\s+Just the title  \(yours\)$", out, re.MULTILINE)
    assert re.search(r"^board-report\.md\s+Highlight report", out, re.MULTILINE)
    code, out, _ = run("render", str(hostile), "-t", "plan.md", "--templates", str(folder), "--as-of", AS_OF)
    assert code == 0
    assert out.startswith("TITLE Plan &lt;script&gt;")
    assert out.rstrip().endswith(" 1")


def test_config_names_the_user_template_folder(
    tmp_path: Path, hostile: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`templates = "mine"` in planctl.toml works as --templates mine, from any subfolder."""
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "plan.md").write_text("{# description: Just the title #}\nTITLE {{ title }}\n")
    (tmp_path / "planctl.toml").write_text('templates = "mine"\n', encoding="utf-8")
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    code, out, _ = run("templates")
    assert code == 0
    assert re.search(r"^plan\.md\s+Just the title  \(yours\)$", out, re.MULTILINE)
    code, out, _ = run("render", str(hostile), "-t", "plan.md", "--as-of", AS_OF)
    assert code == 0
    assert out.startswith("TITLE Plan &lt;script&gt;")
    (tmp_path / "planctl.toml").write_text('templates = "gone"\n', encoding="utf-8")
    code, _, err = run("templates")
    assert code == 2
    assert "planctl.toml: templates = " in err
    assert "gone: no such folder" in err


def test_template_errors_are_clean_messages(tmp_path: Path, hostile: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "broken.md").write_text("line one\n{% for x in %}\n", encoding="utf-8")
    (folder / "typo.md").write_text("{{ plan.titel }}\n", encoding="utf-8")
    code, _, err = run("render", str(hostile), "-t", "broken.md", "--templates", str(folder))
    assert code == 1
    assert "broken.md:2" in err
    assert "Traceback" not in err
    code, _, err = run("render", str(hostile), "-t", "typo.md", "--templates", str(folder))
    assert code == 1
    assert "typo.md:1" in err
    assert "titel" in err


@pytest.mark.usefixtures("in_repo")
def test_usage_errors_exit_2(tmp_path: Path) -> None:
    plan = "examples/example-plan.yaml"
    assert run("render", plan, "-t", "nope.md")[0] == 2
    assert run("render", "no-such-plan-id", "-t", "plan.md")[0] == 2
    assert run("render", plan, "-t", "plan.md", "--as-of", "someday")[0] == 2
    assert run("render", plan, "-t", "plan.md", "--pdf", "--out", str(tmp_path / "x.pdf"))[0] == 2
    assert run("render", plan, "-t", "easy-read.html", "--pdf")[0] == 2
    code, _, err = run("render", plan, "-t", "plan.md", "--section", "nowhere")
    assert code == 2
    assert "theme-1" in err


@pytest.mark.usefixtures("in_repo")
def test_out_writes_only_the_file_asked_for(tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    code, out, _err = run(
        "render", "examples/example-plan.yaml", "-t", "plan.md", "--out", str(target), "--as-of", AS_OF
    )
    assert code == 0
    assert out == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.md"]  # no temporary file left
    assert target.read_text(encoding="utf-8").startswith("# Example Council")


@pytest.mark.usefixtures("in_repo")
def test_plan_id_and_section_select_what_is_rendered() -> None:
    code, out, _ = run(
        "render",
        "oxfordshire-ld-plan-2025-2035",
        "-t",
        "plan.md",
        "--section",
        "priority-3-1",
        "--as-of",
        AS_OF,
    )
    assert code == 0
    assert "3.1.1" in out
    assert "1.1.1" not in out
    assert "| This extract |" in out


def test_external_reference_finder_catches_urls() -> None:
    html = '<img src="http://x/y.png"><link href="https://f"><style>@import "a.css"; b{background:url(c.png)}</style>'
    assert external_references(html) == ["http://x/y.png", "https://f", "a.css", "c.png"]
    assert external_references('<img src="data:image/svg+xml;base64,AAA">') == []

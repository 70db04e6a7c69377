"""Hostile plan text comes out inert in every template and every output format.

The hostile plan is the example plan with payloads injected into its titles, text,
outcome, lead, easy-read words, glossary, update note and response: HTML and script,
Markdown links, table breakers and headings, Jinja syntax, spreadsheet formulas,
newlines that would add calendar properties, and terminal escape sequences.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from planctl.cli import app
from planctl.core.models import Plan, walk_items
from planctl.core.text import FORMULA_START, safe_text
from planctl.core.validate import load_text

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "example-plan.yaml"
AS_OF = "2026-11-24"
TEMPLATES = ["plan.md", "board-report.md", "easy-read.html", "easy-read.md"]

TERMINAL = "\x1b[31mRED\x1b[0m \x1b]8;;http://evil.example\x07click\x1b]8;;\x07 fake\rOVER \x9b2J"
BODY = (
    "<script>alert(1)</script> <img src=x onerror=alert(2)> [link](javascript:alert(3)) "
    "| table | breakers | {{ 7*191 }} {% for x in range(3) %}LOOP{% endfor %} "
    "{{ ''.__class__.__mro__ }} " + TERMINAL
)
CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def payload(start: str, tag: str) -> str:
    return f"{start}{tag} {BODY}"


# field (as a path into the YAML) -> the text injected there
INJECTED: dict[str, str] = {
    "title": payload('=HYPERLINK("http://evil")', "PLANTITLE"),
    "sections.0.title": payload("# ", "THEMETITLE"),
    "sections.0.sections.0.title": payload("-2+3", "PRIOTITLE"),
    "A1.title": payload("=cmd|' /C calc'!A0", "A1TITLE") + "\nBEGIN:VEVENT\r\nSUMMARY:injected\nEND:VEVENT",
    "A1.text": payload("> ", "A1TEXT") + "\n# heading line\n| a | b |",
    "A1.outcomes.0.text": payload("@SUM(1)", "OUTCOME") + " by April 2026.",
    "A1.easy_read": payload("", "EASY") + ". We will do it.",
    "A1.updates.0.note": payload("+1", "NOTE"),
    "A2.leads.0.name": payload("+1+1", "LEAD"),
    "A3.response.action": payload("", "RESPONSE"),
    "glossary.0.meaning": payload("", "GLOSSMEANING"),
    "glossary.0.easy_read": payload("", "GLOSSEASY"),
}

runner = CliRunner()


def _items(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {i["id"]: i for i in data["sections"][0]["sections"][0]["items"]}


def _node(data: dict[str, Any], dotted: str) -> tuple[Any, str | int]:
    parts: list[str] = dotted.split(".")
    node: Any = _items(data)[parts.pop(0)] if parts[0].startswith("A") else data
    for part in parts[:-1]:
        node = node[int(part)] if part.isdigit() else node[part]
    last = parts[-1]
    return node, int(last) if last.isdigit() else last


def hostile_text() -> str:
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    for dotted, text in INJECTED.items():
        node, key = _node(data, dotted)
        node[key] = text
    _items(data)["A1"]["due"] = "April 2026"  # so A1 is in due lists and the calendar
    # safe_dump double-quotes and escapes every string that needs it (\e, \a, \r, \x9b).
    return str(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10**6))


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    path = tmp_path / "plans" / "hostile.yaml"
    path.parent.mkdir()
    path.write_text(hostile_text(), encoding="utf-8")
    return path


@pytest.fixture
def plan(hostile: Path) -> Plan:
    result = load_text(hostile.read_text(encoding="utf-8"), "hostile.yaml")
    assert result.plan is not None, result.problems
    return result.plan


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def assert_no_controls(text: str) -> None:
    found = sorted({f"U+{ord(c):04X}" for c in CONTROLS.findall(text)})
    assert not found, f"raw control characters reach the output: {found}"


def test_the_payloads_load_exactly(plan: Plan) -> None:
    """The YAML quoting is right: every payload is in the plan as written, controls included."""
    data = json.loads(plan.model_dump_json())
    for dotted, text in INJECTED.items():
        if dotted.startswith("A"):
            item = next(loc.item for loc in walk_items(plan) if loc.item.id == dotted[:2])
            node, key = _node({"sections": [{"sections": [{"items": [item.model_dump()]}]}]}, dotted)
        else:
            node, key = _node(data, dotted)
        assert node[key] == text, dotted


# --- templates ----------------------------------------------------------------------------


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def _markdown(text: str) -> list[Any]:
    md = MarkdownIt("commonmark").enable("table")
    md.validateLink = lambda url: True  # type: ignore[method-assign]  # see every link, even javascript:
    return md.parse(text)


def _flat(tokens: list[Any]) -> list[Any]:
    out: list[Any] = []
    for t in tokens:
        out.append(t)
        out.extend(_flat(t.children or []))
    return out


def check_markdown(text: str) -> None:
    """No raw HTML, javascript: link, injected heading or broken table row from plan text."""
    tokens = _markdown(text)
    flat = _flat(tokens)
    html = [t.content for t in flat if t.type in ("html_block", "html_inline")]
    assert not [h for h in html if re.search(r"script|img|onerror", h, re.I)], html
    hrefs = [str(t.attrs.get("href", "")) for t in flat if t.type == "link_open"]
    assert not [h for h in hrefs if "javascript" in h.lower()], hrefs
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert not [h for h in headings if "heading line" in h or h.startswith("{{")], headings
    # Every table row has as many cells as its header: plan text cannot add columns.
    widths: list[int] = []
    for line in text.splitlines():
        if line.startswith("|"):
            cells = len(re.findall(r"(?<!\\)\|", line.replace("\\\\", "")))
            widths.append(cells)
            assert cells == widths[0], line
        else:
            widths = []
    rendered = md_html(text)
    assert "| table | breakers |" in rendered  # the pipes are in a cell or paragraph, as text


def md_html(text: str) -> str:
    return str(MarkdownIt("commonmark").enable("table").render(text))


def check_html(text: str) -> None:
    parser = _Elements()
    parser.feed(text)
    assert "script" not in [tag for tag, _ in parser.tags]
    for tag, attrs in parser.tags:
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name)
            assert not (value or "").strip().lower().startswith("javascript:"), (tag, name, value)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


@pytest.mark.parametrize("template", TEMPLATES)
def test_every_template_renders_the_payloads_inert(hostile: Path, template: str) -> None:
    draft = ["--draft"] if "easy-read" in template else []  # the payloads are not easy read
    code, out, err = run("render", str(hostile), "-t", template, "--as-of", AS_OF, *draft)
    assert code == 0, err
    assert_no_controls(out)
    assert_no_controls(err)
    assert "␛[31mRED" in out or "␛\\[31mRED" in out  # shown, not obeyed
    assert "PLANTITLE" in out
    assert "1337" not in out  # {{ 7*191 }} was never evaluated
    assert "LOOPLOOP" not in out
    assert "<class" not in out
    assert "&lt;class" not in out
    if template.endswith(".html"):
        check_html(out)
        assert "{{ 7*191 }}" in out
        assert "{% for x in range(3) %}LOOP{% endfor %}" in out
    else:
        check_markdown(out)
        shown = md_html(out)
        assert "{{ 7*191 }}" in shown  # as the reader sees it: literally
        assert "{% for x in range(3) %}LOOP{% endfor %}" in shown
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in shown


def test_a_section_extract_escapes_its_heading(hostile: Path) -> None:
    code, out, err = run("render", str(hostile), "-t", "board-report.md", "-s", "theme-1", "--as-of", AS_OF)
    assert code == 0, err
    assert "**Extract:** 1. # THEMETITLE &lt;script&gt;" in out
    check_markdown(out)


@pytest.mark.parametrize(
    "expression",
    [
        "''.__class__.__mro__[1].__subclasses__()",
        "plan.__class__.__init__.__globals__",
        "title.format.__globals__",
        "cycler.__init__.__globals__.os",
    ],
)
def test_user_templates_cannot_reach_python_internals(tmp_path: Path, hostile: Path, expression: str) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "probe.md").write_text("{{ " + expression + " }}\n", encoding="utf-8")
    code, out, err = run("render", str(hostile), "-t", "probe.md", "--templates", str(folder))
    assert code == 1
    assert out == ""
    assert "Traceback" not in err
    assert "probe.md" in err


# --- command output for people: the terminal --------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["due", "--before", "2027-01"],
        ["overdue"],
        ["list"],
        ["show", "A1"],
        ["show", "A2"],
        ["show", "A3"],
        ["search", "A1TITLE"],
        ["leads"],
        ["stats"],
    ],
    ids=lambda a: "-".join(a[:2]),
)
@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_query_output_never_sends_control_characters(hostile: Path, args: list[str], fmt: str) -> None:
    code, out, err = run(*args, str(hostile), "--as-of", AS_OF, "--format", fmt)
    assert code == 0, err
    assert_no_controls(out)
    assert_no_controls(err)
    assert "␛[31mRED" in out or "␛\\[31mRED" in out or args[0] == "stats"
    if fmt == "markdown":
        check_markdown(out)


@pytest.mark.parametrize("fmt", ["text", "github", "json"])
def test_lint_and_validate_output_never_send_control_characters(hostile: Path, fmt: str) -> None:
    for command in (["lint", "--as-of", AS_OF], ["validate"]):
        code, out, err = run(*command, str(hostile), "--format", fmt)
        assert code in (0, 1), err
        assert "Traceback" not in out + err
        assert_no_controls(out)
        assert_no_controls(err)
        if fmt == "json":
            json.loads(out)


def test_a_bad_value_quoted_in_a_message_is_shown_not_obeyed(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        EXAMPLE.read_text(encoding="utf-8").replace("status: amber", 'status: "\\e[31mamber\\a"'),
        encoding="utf-8",
    )
    for command in (["validate"], ["lint"], ["list"], ["export"]):
        code, out, err = run(*command, str(path))
        assert code == 1
        assert "is not on the RAG scale" in out + err
        assert_no_controls(out + err)


def test_diff_output_is_inert(hostile: Path, tmp_path: Path) -> None:
    base = tmp_path / "base.yaml"
    base.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    code, out, err = run("diff", str(base), str(hostile))
    assert code == 0, err
    assert_no_controls(out)
    assert "PLANTITLE" in out
    code, out, err = run("diff", str(base), str(hostile), "--format", "markdown")
    assert code == 0, err
    assert_no_controls(out)
    assert "PLANTITLE" in out
    check_markdown(out)
    code, out, _ = run("diff", str(base), str(hostile), "--format", "json")
    assert code == 0
    assert "A1TITLE <script>alert(1)</script>" in json.dumps(json.loads(out), ensure_ascii=False)


# --- output for machines and spreadsheets ------------------------------------------------------


def _csv_cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize(
    "args", [["due", "--before", "2027-01", "--as-of", AS_OF], ["export"]], ids=["due", "export"]
)
def test_csv_cells_never_start_a_formula(hostile: Path, args: list[str]) -> None:
    code, out, err = run(*args, str(hostile), "--format", "csv")
    assert code == 0, err
    assert_no_controls(out)
    rows = _csv_cells(out)
    cells = [c for row in rows[1:] for c in row]
    assert not [c for c in cells if c.startswith(FORMULA_START)]
    header = rows[0]
    a1 = next(row for row in rows if "A1" in row)
    title = a1[header.index("title")]
    assert title == "'" + safe_text(INJECTED["A1.title"])
    a2 = next((row for row in rows if "A2" in row), None)  # no deadline, so not in 'due'
    if args[0] == "export":
        assert a2 is not None
        assert a2[header.index("leads")].startswith("'+1+1LEAD")


def test_xlsx_cells_are_text_never_formulas(hostile: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    target = tmp_path / "out" / "items.xlsx"
    target.parent.mkdir()
    code, _, err = run("export", str(hostile), "--format", "xlsx", "--out", str(target))
    assert code == 0, err
    sheet: Any = load_workbook(target).active
    header = [c.value for c in sheet[1]]
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row if c.value is not None]
    assert {c.data_type for c in cells} == {"s", "d"}  # text and dates, no "f" (formula) cell
    assert {header[c.column - 1] for c in cells if c.data_type == "d"} == {"due_start", "due_end"}
    risky = [c for c in cells if str(c.value).startswith(FORMULA_START)]
    assert risky  # the payloads are there, as text ...
    assert all(c.quotePrefix for c in risky)  # ... and stay text when edited in Excel
    a1 = next(row for row in sheet.iter_rows(min_row=2) if row[header.index("id")].value == "A1")
    assert a1[header.index("title")].value == safe_text(INJECTED["A1.title"])


def test_ics_escapes_text_so_no_property_or_event_is_injected(hostile: Path, plan: Plan) -> None:
    from icalendar import Calendar

    code, out, err = run("export", str(hostile), "--format", "ics")
    assert code == 0, err
    assert_no_controls(out.replace("\r\n", "\n"))
    expected = {
        f"{plan.id}/{loc.item.id}@planctl": safe_text(f"{loc.item.id}: {loc.item.title}")
        for loc in walk_items(plan)
        if loc.item.deadline is not None and loc.item.deadline.resolved and loc.item.deadline.end
    }
    events = Calendar.from_ical(out).walk("VEVENT")
    assert {str(e["uid"]): str(e["summary"]) for e in events} == expected
    unfolded = out.replace("\r\n ", "").splitlines()
    assert sum(line == "BEGIN:VEVENT" for line in unfolded) == len(expected)
    assert not [line for line in unfolded if line.startswith(("SUMMARY:injected", "END:VEVENT\\"))]


def test_json_is_valid_and_parses_back_to_the_plan_text(hostile: Path) -> None:
    code, out, err = run("export", str(hostile), "--format", "json")
    assert code == 0, err
    records = {r["id"]: r for r in json.loads(out)}
    assert records["A1"]["title"] == INJECTED["A1.title"]
    assert records["A2"]["leads"].startswith(INJECTED["A2.leads.0.name"])
    code, out, err = run("show", "A1", str(hostile), "--as-of", AS_OF, "--format", "json")
    assert code == 0, err
    assert json.loads(out)["title"] == INJECTED["A1.title"]
    code, out, err = run("due", "--before", "2027-01", str(hostile), "--as-of", AS_OF, "--format", "json")
    assert code == 0, err
    assert INJECTED["A1.title"] in [r["title"] for r in json.loads(out)]


# --- where files are written and read ----------------------------------------------------------


def _listing(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


@pytest.mark.parametrize(
    "args",
    [
        ["render", "{plan}", "-t", "plan.md", "--as-of", AS_OF],
        ["render", "{plan}", "-t", "easy-read.html", "--as-of", AS_OF, "--draft"],
        ["export", "{plan}", "--format", "csv"],
        ["export", "{plan}", "--format", "xlsx"],
        ["export", "{plan}", "--format", "ics"],
    ],
    ids=lambda a: "-".join(a[2:4]),
)
def test_out_writes_only_the_file_asked_for(tmp_path: Path, hostile: Path, args: list[str]) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    (out_dir / "keep.txt").write_text("mine", encoding="utf-8")
    target = out_dir / "result.bin"
    before_out, before_plans = _listing(out_dir), _listing(hostile.parent)
    argv = [a.replace("{plan}", str(hostile)) for a in args]
    code, _, err = run(*argv, "--out", str(target))
    assert code == 0, err
    assert _listing(out_dir) == before_out | {"result.bin"}  # no temporary or lock file either
    assert _listing(hostile.parent) == before_plans
    assert target.stat().st_size > 0


@pytest.mark.skipif(os.name != "posix", reason="symlinks")
@pytest.mark.parametrize("command", ["render", "export"])
def test_out_through_a_symlink_writes_its_target_and_keeps_the_link(
    tmp_path: Path, hostile: Path, command: str
) -> None:
    real = tmp_path / "shared" / "report.md"
    real.parent.mkdir()
    real.write_text("old", encoding="utf-8")
    os.chmod(real, 0o640)
    link = tmp_path / "report.md"
    link.symlink_to(real)
    args = ["-t", "plan.md", "--as-of", AS_OF] if command == "render" else ["--format", "csv"]
    code, _, err = run(command, str(hostile), *args, "--out", str(link))
    assert code == 0, err
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8") != "old"
    assert (real.stat().st_mode & 0o777) == 0o640
    assert sorted(p.name for p in real.parent.iterdir()) == ["report.md"]


@pytest.mark.skipif(os.name != "posix", reason="symlinks")
def test_plan_symlinked_from_outside_the_folder_is_read_only_when_asked(
    tmp_path: Path, hostile: Path
) -> None:
    outside = tmp_path / "elsewhere" / "linked.yaml"
    outside.parent.mkdir()
    outside.write_text(
        EXAMPLE.read_text(encoding="utf-8").replace(
            "id: example-council-ld-plan-2025-2027", "id: linked-plan", 1
        ),
        encoding="utf-8",
    )
    (hostile.parent / "linked.yaml").symlink_to(outside)
    inside = hostile.parent / "inside.yaml"
    (hostile.parent / "alias.yaml").symlink_to(inside)
    inside.write_text(
        EXAMPLE.read_text(encoding="utf-8").replace(
            "id: example-council-ld-plan-2025-2027", "id: inside-plan", 1
        ),
        encoding="utf-8",
    )

    def plan_ids(*extra: str) -> set[str]:
        code, out, err = run("list", str(hostile.parent), "--as-of", AS_OF, "--format", "json", *extra)
        assert code == 0, err
        rows = json.loads(out)
        assert sum(r["plan"] == "inside-plan" for r in rows) == 3  # read once, not again via alias.yaml
        return {r["plan"] for r in rows}

    assert plan_ids() == {"example-council-ld-plan-2025-2027", "inside-plan"}
    _, _, err = run("list", str(hostile.parent), "--as-of", AS_OF, "--format", "json")
    assert err.count("planctl: note:") == 1  # left out, but never silently
    assert "linked.yaml is a symlink to a file outside the folders given" in err
    assert "--follow-symlinks" in err
    _, _, err = run("list", str(hostile.parent), "--as-of", AS_OF, "--format", "json", "--follow-symlinks")
    assert "planctl: note:" not in err
    assert plan_ids("--follow-symlinks") == {
        "example-council-ld-plan-2025-2027",
        "inside-plan",
        "linked-plan",
    }
    _, out, _ = run("lint", str(hostile.parent), "--as-of", AS_OF, "--format", "json")
    assert "linked.yaml" not in out
    _, out, _ = run("lint", str(hostile.parent), "--as-of", AS_OF, "--format", "json", "--follow-symlinks")
    assert "linked.yaml" in out

"""Less CPU per item on a large website (issue 20, "Fast"), with the same bytes.

Each test pins one mechanism that took CPU per item: how a template prints a value, and
work a page template did again for every item. The whole output staying byte-identical
is checked by tests/test_site.py (the same plans give the same bytes; hostile text is
escaped everywhere); here each mechanism is checked against what it replaced.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import jinja2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup, escape
from typer.testing import CliRunner

from planctl.cli import app
from planctl.core.text import safe_text
from planctl.site.build import environment

ROOT = Path(__file__).resolve().parents[1]


def _macro_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the Jinja macros called from now on, in order (one entry a call)."""
    import jinja2.runtime

    calls: list[str] = []
    invoke = jinja2.runtime.Macro._invoke

    def counted(self: Any, arguments: Any, autoescape: bool) -> Any:
        calls.append(self.name)
        return invoke(self, arguments, autoescape)

    monkeypatch.setattr(jinja2.runtime.Macro, "_invoke", counted)
    return calls


def _shipped_site(tmp_path: Path) -> Path:
    """The shipped plans' site, built by the command a user runs; its folder."""
    out = tmp_path / "site"
    result = CliRunner().invoke(
        app, ["site", str(ROOT / "plans"), "--out", str(out), "--as-of", "2026-11-24"]
    )
    assert result.exit_code == 0, result.output
    return out


def _printed(value: object) -> str:
    env = environment()
    return env.from_string("{{ v }}").render(v=value)


@settings(max_examples=300, deadline=None)
@given(st.text() | st.sampled_from(["", "../../", "a&b", "<x>", "'\"", "\x1b[31m", "\u202e", "\t\n"]))
def test_a_printed_text_is_made_safe_then_escaped(text: str) -> None:
    """Every value the site prints is what Jinja printed before the site's printer:
    ``escape(finalize(value))``, control characters made visible first."""
    assert _printed(text) == str(escape(safe_text(text)))


def test_other_values_print_as_before() -> None:
    assert _printed(None) == ""
    assert _printed(Markup("<b>x</b>")) == "<b>x</b>"
    assert _printed(3) == "3"
    assert _printed(dt.date(2026, 1, 2)) == "2026-01-02"
    env = environment()
    try:
        env.from_string("{{ missing }}").render()
    except jinja2.UndefinedError:
        pass
    else:
        raise AssertionError("an undefined name must still fail the page")


def test_the_site_templates_print_each_value_with_one_call() -> None:
    """``{{ value }}`` compiles to one call of the site's printer, not
    ``escape(environment.finalize(value))`` (two calls and a Markup per value)."""
    env = environment()
    for name in ("item.html", "base.html", "plan.html", "easy.html", "_easy-read.html"):
        source = env.loader.get_source(env, name)[0]  # type: ignore[union-attr]
        code = env.compile(source, name, raw=True)
        assert "environment.html(" in code, name
        assert "escape(environment.finalize(" not in code, name


def test_easy_read_handouts_are_built_only_where_their_pages_are_rendered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The easy-read handout (and the hard words and acronyms found in its words) was most
    of a plan's rendering context, built before any page for every plan in the process
    that then waits for the workers. Now each is built once, where its plan's easy-read
    page is rendered, and the page is the same (the handout's words are on it)."""
    import inspect

    import planctl.render.handout as handout_module

    build_handout = handout_module.build_handout
    callers: list[str] = []

    def recorded(ctx: Any) -> Any:
        callers.append(" ".join(f.function for f in inspect.stack()[1:8]))
        return build_handout(ctx)

    monkeypatch.setattr(handout_module, "build_handout", recorded)
    out = tmp_path / "site"
    result = CliRunner().invoke(
        app, ["site", str(ROOT / "plans"), "--out", str(out), "--as-of", "2026-11-24"]
    )
    assert result.exit_code == 0, result.output
    assert len(callers) == len(list((ROOT / "plans").glob("*.yaml")))
    assert all("plan_pages" in c and "gather" not in c for c in callers), callers
    page = (out / "plans" / "oxfordshire-ld-plan-2025-2035" / "easy-read.html").read_text(encoding="utf-8")
    assert "Who to contact" in page
    assert page.count('<div class="idea') > 60


def test_each_easy_read_sentence_is_printed_by_one_macro_call(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Jinja macro call costs more than the sentence it prints: the easy-read pages (and
    handouts) print a sentence and its explanations with one call, not three."""

    from planctl.render.handout import build_handout

    calls = _macro_calls(monkeypatch)
    _shipped_site(tmp_path)
    from planctl.core.validate import load_text
    from planctl.render.context import build_context

    sentences = headings = 0
    for path in sorted((ROOT / "plans").glob("*.yaml")):
        plan = load_text(path.read_text(encoding="utf-8"), path.name).plan
        assert plan is not None
        handout = build_handout(build_context(plan, dt.date(2026, 11, 24), include_closed=False))
        sentences += sum(len(idea.lines) for idea in handout.ideas() if not idea.heading)
        headings += sum(len(idea.lines) for idea in handout.ideas() if idea.heading)
    assert sentences > 500
    assert calls.count("said") >= sentences
    assert calls.count("words") <= headings  # a heading's lines print through words(); a sentence's do not


def test_templates_are_looked_up_in_memory_once_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each page extends base.html and imports macros.html: Jinja checked both files on
    disk (a stat each) and took a lock on its template cache for every page."""
    import os.path

    env = environment()
    names = ("item.html", "base.html", "macros.html")
    first = [env.get_template(name) for name in names]
    checked: list[str] = []
    getmtime = os.path.getmtime

    def counted(path: Any) -> float:
        checked.append(str(path))
        return getmtime(path)

    monkeypatch.setattr(os.path, "getmtime", counted)
    for _ in range(3):
        assert [env.get_template(name) for name in names] == first
    assert checked == []
    assert type(env.cache) is dict


def test_each_template_is_compiled_once_per_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The site's templates are compiled once, before the workers fork (each process
    compiled them again: about 0.1 s of CPU each)."""
    compiled: list[str] = []
    compile_ = jinja2.Environment.compile

    def counted(self: Any, source: Any, name: Any = None, *args: Any, **kwargs: Any) -> Any:
        compiled.append(str(name))
        return compile_(self, source, name, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counted)
    out = tmp_path / "site"
    result = CliRunner().invoke(
        app, ["site", str(ROOT / "plans"), "--out", str(out), "--as-of", "2026-11-24"]
    )
    assert result.exit_code == 0, result.output
    assert {"base.html", "item.html", "home.html", "_easy-read.html"} <= set(compiled)
    assert sorted(compiled) == sorted(set(compiled))


_WORDS = st.sampled_from(
    ["GP", "gps", "GP's", "care-plan", "Care plan", "SEND", "x", "-", "\n", " ", "ſ", "İ", "é", "s"]
)


@settings(max_examples=400, deadline=None)
@given(
    lines=st.lists(st.lists(_WORDS, max_size=12).map("".join), max_size=8), term=_WORDS | st.text(max_size=6)
)
def test_a_glossary_term_is_found_as_searching_the_whole_handout_finds_it(
    lines: list[str], term: str
) -> None:
    """The easy-read glossary keeps a term when the handout uses it: found by searching
    only the lines holding the lower-cased term (searching a large plan's whole handout
    once per term was most of the handout's cost), with the same answer as before."""
    import re

    from planctl.render.context import _uses_term
    from planctl.render.pictures import lowered

    term = term.strip()
    if not term:
        return
    text = "\n".join(lines)
    whole = re.search(rf"(?<![\w-]){re.escape(term)}(?:s|'s)?(?![\w-])", text, re.IGNORECASE) is not None
    assert _uses_term(text, lowered(text), term) == whole


def test_item_tables_print_state_and_rating_without_a_macro_call(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An item is a row in about three tables (its plan's sections, its lead, overdue or
    due soon): those rows print its state and rating inline; only its own page calls
    the state() and rating() macros, once each. The rows keep the macros' words."""

    calls = _macro_calls(monkeypatch)
    out = _shipped_site(tmp_path)
    item_pages = len(list(out.glob("plans/*/items/*.html")))
    assert item_pages == 278
    assert calls.count("state") == calls.count("rating") == item_pages
    overdue = (out / "overdue.html").read_text(encoding="utf-8")
    assert overdue.count('<strong class="tag tag-overdue">Overdue</strong>') > 20
    assert '<span class="rating unrated">Unrated</span>' in overdue
    example = tmp_path / "example"
    result = CliRunner().invoke(
        app,
        [
            "site",
            str(ROOT / "examples" / "example-plan.yaml"),
            "--out",
            str(example),
            "--as-of",
            "2026-11-24",
        ],
    )
    assert result.exit_code == 0, result.output
    rated = '<td><span class="rating"><span class="swatch" style="background:#f47738" aria-hidden="true"></span>Amber</span></td>'
    assert rated in (example / "plans" / "example-council-ld-plan-2025-2027" / "index.html").read_text(
        encoding="utf-8"
    )


def test_item_pages_do_not_scan_every_item_for_each_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An item page's fields are ``show``'s, whose links are looked up among every item
    loaded one by one (quadratic when many items link: 10,000 items with a link each
    would be 100 million comparisons); the page leaves those lines out and links through
    the site's index. Each link still resolves on its page."""
    import planctl.core.query as query_module

    lines = ["schema_version: 1\n", "id: linked\n", "title: Linked plan\n", "sections:\n"]
    lines += ["  - id: s1\n", "    title: Section one\n", "    items:\n"]
    for n in range(1, 201):
        lines += [f"      - id: A{n}\n", f"        title: Action {n}\n", "        due: Q1 2026/27\n"]
        lines += [f"        links: [A{n % 200 + 1}, 'linked:A1', 'elsewhere:B9']\n"]
    plan = tmp_path / "linked.yaml"
    plan.write_text("".join(lines), encoding="utf-8")
    scanned: list[int] = []
    link_target = query_module._link_target

    def counted(row: Any, rows: Any, link: str) -> Any:
        scanned.append(len(rows))  # the items one link is looked for among
        return link_target(row, rows, link)

    monkeypatch.setattr(query_module, "_link_target", counted)
    out = tmp_path / "site"
    result = CliRunner().invoke(app, ["site", str(plan), "--out", str(out), "--as-of", "2026-11-24"])
    assert result.exit_code == 0, result.output
    assert sum(scanned) == 0
    page = (out / "plans" / "linked" / "items" / "A7.html").read_text(encoding="utf-8")
    assert '<a href="../../../plans/linked/items/A8.html">A8: Action 8</a>' in page
    assert '<a href="../../../plans/linked/items/A1.html">A1: Action 1</a>' in page
    assert "elsewhere:B9 (not found in these plans)" in page

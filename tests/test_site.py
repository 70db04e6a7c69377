"""planctl site: the pages, their links, determinism, safe writing and escaping.

These run without a browser; tests/test_site_browser.py drives headless Chromium over
the same site (axe-core, console errors, requests, search, keyboard).
"""

from __future__ import annotations

import csv
import datetime as dt
import html.parser
import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from typer.testing import CliRunner

from planctl.cli import app
from planctl.core.models import ACTIONABLE_KINDS
from planctl.store.safefiles import file_name

ROOT = Path(__file__).resolve().parents[1]
AS_OF = "2026-11-24"
runner = CliRunner()


def site(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["site", *args])
    return result.exit_code, result.stdout, result.stderr


def planctl_json(*args: str) -> object:
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code in (0, 1), result.stderr
    return json.loads(result.stdout or "[]")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site of the shipped plans, built once as a user would (from the repository root)."""
    out = tmp_path_factory.mktemp("site") / "site"
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        code, _, err = site("--out", str(out), "--as-of", AS_OF)
    finally:
        os.chdir(cwd)
    assert code == 0, err
    assert "5 plans, 278 items" in err
    return out


def files_of(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# --- a link checker over the built site --------------------------------------------


class _Links(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.refs: list[tuple[str, str, dict[str, str | None]]] = []
        self.ids: set[str] = set()
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(str(a["id"]))
        for name in ("href", "src"):
            if a.get(name) is not None:
                self.refs.append((tag, str(a[name]), a))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.scripts.append(data)


def check_links(folder: Path) -> tuple[list[str], list[str], int]:
    """Every href and src of every page: (broken links, links leaving the site, links checked).

    A relative link must name a file in the site and, with a #fragment, an id on that page.
    """
    pages: dict[Path, _Links] = {}
    for page in sorted(folder.rglob("*.html")):
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        pages[page] = parser
    broken: list[str] = []
    leaving: list[str] = []
    checked = 0
    for page, parser in pages.items():
        where = page.relative_to(folder)
        for tag, ref, attrs in parser.refs:
            checked += 1
            parts = urlsplit(ref)
            if parts.scheme or ref.startswith("//"):
                leaving.append(f"{where}: <{tag}> {ref} rel={attrs.get('rel')}")
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if not target.is_relative_to(folder.resolve()) or not target.is_file():
                broken.append(f"{where}: {ref} (no such file)")
                continue
            if parts.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else set()
                if parts.fragment not in ids:
                    broken.append(f"{where}: {ref} (no id {parts.fragment!r} there)")
    return broken, leaving, checked


def test_every_link_in_the_site_resolves(built: Path) -> None:
    broken, leaving, checked = check_links(built)
    assert checked > 4000
    assert broken == []
    # Only links to source documents leave the site, and only when a person follows them.
    assert all("rel=external noreferrer" in x and "<a>" in x for x in leaving), leaving


def test_the_link_checker_finds_a_broken_link(built: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(built, copy)
    victim = next((copy / "plans").glob("*/items/*.html"))
    victim.unlink()
    broken, _, _ = check_links(copy)
    assert any(victim.name in b for b in broken)


# --- pages ---------------------------------------------------------------------------


def test_every_plan_item_and_lead_has_its_pages(built: Path) -> None:
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        rows = planctl_json("list", "--as-of", AS_OF)
        leads = planctl_json("leads", "--as-of", AS_OF)
    finally:
        os.chdir(cwd)
    assert isinstance(rows, list)
    assert isinstance(leads, list)
    for plan in {r["plan"] for r in rows}:
        folder = built / "plans" / plan
        for name in ("index.html", "easy-read.html", f"{plan}.csv", f"{plan}.json", f"{plan}.ics"):
            assert (folder / name).is_file(), name
    for r in rows:
        page = built / "plans" / r["plan"] / "items" / f"{file_name(r['id'])}.html"
        text = page.read_text(encoding="utf-8")
        assert f"{r['line']}" in text
        assert r["file"] in text
    index = (built / "leads" / "index.html").read_text(encoding="utf-8")
    for lead in leads:
        name = lead["lead"] or "No lead named"
        assert html_text(name) in index, name
        assert (
            f'<td class="num">{lead["open"]}</td>\n      <td class="num">{lead["overdue"]}</td>'
            in index.split(html_text(name) + "</a>", 1)[1][:120]
        )


def html_text(text: str) -> str:
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&#34;")
        .replace("'", "&#39;")
    )


def _links_from(page: Path) -> list[str]:
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return [ref for tag, ref, _ in parser.refs if tag == "a"]


def test_a_board_member_finds_every_overdue_action_and_its_lead_in_two_clicks(built: Path) -> None:
    """Home -> Overdue lists every overdue action (as `planctl overdue` finds them) with its
    lead; its id links to the item page (the second click)."""
    assert "overdue.html" in _links_from(built / "index.html")
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        overdue = planctl_json("overdue", "--as-of", AS_OF)
    finally:
        os.chdir(cwd)
    assert isinstance(overdue, list)
    actions = [r for r in overdue if r["kind"] in ACTIONABLE_KINDS]
    assert len(actions) > 50
    page = (built / "overdue.html").read_text(encoding="utf-8")
    rows = re.findall(r"<tr>\s*<td><a href=\"([^\"]+)\">(.*?)</a></td>(.*?)</tr>", page, re.DOTALL)
    found = {(href, cells) for href, _, cells in rows}
    assert len(rows) == len(actions)
    for r in actions:
        href = f"plans/{r['plan']}/items/{file_name(r['id'])}.html"
        cells = next(c for h, c in found if h == href)
        lead = "; ".join(r["leads"]) or "No lead named"
        assert html_text(lead) in cells, (r["id"], lead)
        assert "Overdue" in cells


def test_a_reader_reaches_each_easy_read_version_from_the_home_page(built: Path) -> None:
    links = _links_from(built / "index.html")
    for plan in sorted((built / "plans").iterdir()):
        easy = f"plans/{plan.name}/easy-read.html"
        assert easy in links
        text = (built / easy).read_text(encoding="utf-8")
        # the handout's words: what we will do, when and who will help (or, said once, that
        # the plan does not say who), pictures from the site
        assert "What we will do" in text
        assert "Who will help:" in text or "The plan does not say who will do each thing." in text
        assert re.search(
            r'<img class="easy-picture" src="\.\./\.\./assets/pictures/[a-z0-9-]+\.svg" alt="[^"]+"', text
        )


def test_easy_read_pages_have_the_handouts_words(built: Path) -> None:
    """Every line of the easy-read handout for a plan is on its easy-read page."""
    plan = "oxfordshire-ld-plan-2025-2035"
    result = runner.invoke(
        app, ["render", str(ROOT / "plans" / f"{plan}.yaml"), "-t", "easy-read.html", "--as-of", AS_OF]
    )
    assert result.exit_code == 0, result.stderr
    handout = re.findall(r"<p>([^<]+)</p>", result.stdout)
    page = (built / "plans" / plan / "easy-read.html").read_text(encoding="utf-8")
    missing = [line for line in handout if line not in page and "made from" not in line]
    assert len(handout) > 200
    assert missing == []


@pytest.mark.parametrize("plan", ["oxfordshire-ld-plan-2025-2035", "westminster-rbkc-big-plan-2018-2021"])
def test_easy_read_pages_explain_hard_words_as_the_handout_does(built: Path, plan: str) -> None:
    """The page and the handout share one template of building blocks (_easy-read.html):
    every idea's HTML and every hard word's explanation, under the sentence that first
    uses it, is the handout's. Before, the page explained words after each idea's last
    line, and not at all on the cover and contacts."""
    result = runner.invoke(
        app, ["render", str(ROOT / "plans" / f"{plan}.yaml"), "-t", "easy-read.html", "--as-of", AS_OF]
    )
    assert result.exit_code == 0, result.stderr
    page = (built / "plans" / plan / "easy-read.html").read_text(encoding="utf-8")
    said = re.compile(r'<p>[^<]*(?:<strong>[^<]*</strong>[^<]*)*</p><div class="explains">.*?</div>', re.S)
    in_handout = said.findall(result.stdout)
    assert len(in_handout) > 10
    assert said.findall(page) == in_handout


def test_plan_page_has_a_chart_with_its_figures_a_timeline_and_downloads(built: Path) -> None:
    page = (built / "plans" / "oxfordshire-ld-plan-2025-2035" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<svg role="img" aria-labelledby="chart-title chart-desc"', page)
    assert '<title id="chart-title">' in page
    assert "Actions by rating in each section (the figures of the chart)" in page
    assert '<h2 id="timeline">Timeline</h2>' in page
    assert "Today: 24 November 2026" in page
    assert "oxfordshire-ld-plan-2025-2035.csv" in page
    assert ".ics" in page


def test_a_closed_plan_says_so_and_its_work_is_not_counted(built: Path) -> None:
    """Westminster's plan closed on 2021-03-31: its page names the closure, and its actions
    are on no overdue, due-soon or lead list (as `planctl overdue` and `leads` leave them out)."""
    plan = "westminster-rbkc-big-plan-2018-2021"
    page = (built / "plans" / plan / "index.html").read_text(encoding="utf-8")
    assert "<dt>Closed</dt><dd>closed on 2021-03-31: " in page
    assert "Actions by rating in each section" not in page
    for listing in [
        "overdue.html",
        "due-soon.html",
        *(p.relative_to(built) for p in (built / "leads").glob("*.html")),
    ]:
        assert f"plans/{plan}/" not in (built / listing).read_text(encoding="utf-8"), listing


def test_downloads_are_the_export_commands_output(built: Path) -> None:
    plan = "oxfordshire-people-scrutiny-2025-26"
    path = str(ROOT / "plans" / f"{plan}.yaml")
    for fmt in ("csv", "json"):
        result = runner.invoke(app, ["export", path, "--format", fmt, "--as-of", AS_OF])
        assert result.exit_code == 0
        assert (built / "plans" / plan / f"{plan}.{fmt}").read_text(encoding="utf-8") == result.stdout
    ics = (built / "plans" / plan / f"{plan}.ics").read_text(encoding="utf-8")
    assert "DTSTAMP:20261124T000000Z" in ics
    assert f"UID:{plan}/" in ics
    # a lead's download holds that lead's open actions only
    lead_csv = built / "leads" / "Karen-Fuller.csv"
    records = list(csv.DictReader(io.StringIO(lead_csv.read_text(encoding="utf-8"))))
    assert records
    assert all("Karen Fuller" in r["leads"] for r in records)
    lead_ics = (built / "leads" / "Karen-Fuller.ics").read_text(encoding="utf-8")
    assert lead_ics.count("BEGIN:VEVENT") <= len(records)


def test_each_leads_calendar_is_the_feed_icalendar_writes_for_its_actions(built: Path) -> None:
    """A lead's calendar is made from its items' events as written for their plans' own
    calendars (written once, not twice): it is byte for byte the feed icalendar writes for
    those items alone, in the export's order, and it reads back to the same bytes."""
    from icalendar import Calendar

    from planctl.core.validate import load_text
    from planctl.interchange.exporter import to_ics

    shipped = [
        load_text(p.read_text(encoding="utf-8"), p.name).plan for p in sorted((ROOT / "plans").glob("*.yaml"))
    ]
    stamp = dt.datetime(2026, 11, 24, tzinfo=dt.UTC)
    events = 0
    for lead in sorted((built / "leads").glob("*.json")):
        wanted = {(r["plan"], r["id"]) for r in json.loads(lead.read_text(encoding="utf-8"))}
        plans = [p for p in shipped if p is not None and p.id in {plan for plan, _ in wanted}]
        expected = to_ics(plans, stamp, keep=lambda plan, item, w=wanted: (plan.id, item.id) in w)  # type: ignore[misc]
        got = lead.with_suffix(".ics").read_bytes()
        assert got == expected, lead.name
        assert Calendar.from_ical(got).to_ical() == got
        events += got.count(b"BEGIN:VEVENT")
    assert events > 20


def test_search_index_has_every_item(built: Path) -> None:
    text = (built / "search-index.js").read_text(encoding="utf-8")
    assert text.startswith("window.PLANCTL_SEARCH = ")
    entries = json.loads(text[len("window.PLANCTL_SEARCH = ") : -2])
    urls = {e[1] for e in entries}
    measure_pages = [u for u in urls if "/measures/" in u]
    assert len(measure_pages) == 3 + 42 + 7 + 19  # a Measures page per plan with measures, and each measure's
    assert len(entries) == 278 + 5 + len(measure_pages)
    assert "plans/oxfordshire-ld-plan-2025-2035/items/3.1.1.html" in urls
    assert all((built / u).is_file() for u in urls)


# --- measures of success ------------------------------------------------------------

SCRUTINY = "oxfordshire-people-scrutiny-2025-26"
WESTMINSTER = "westminster-rbkc-big-plan-2018-2021"


def _kpis(*args: str) -> list[dict[str, object]]:
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        found = planctl_json("kpis", *args, "--as-of", AS_OF)
    finally:
        os.chdir(cwd)
    assert isinstance(found, list)
    return found


def _plan_yaml(plan: str) -> dict[str, object]:
    import yaml

    data = yaml.safe_load((ROOT / "plans" / f"{plan}.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_each_ascof_measure_has_a_page_with_its_figures_as_printed_and_their_source(built: Path) -> None:
    """The scrutiny plan's ASCOF measures: every figure as printed, with its period and the
    source file and line, a benchmark table, and a chart with a text alternative."""
    kpis = [k for k in _plan_yaml(SCRUTINY)["kpis"] if str(k["id"]).startswith("ascof-")]  # type: ignore[attr-defined]
    assert len(kpis) > 10
    for k in kpis:
        page = built / "plans" / SCRUTINY / "measures" / f"{file_name(k['id'])}.html"
        text = page.read_text(encoding="utf-8")
        assert f"<h1>{html_text(k['name'])}</h1>" in text
        for o in k["observations"]:
            line = o["provenance"]["line"]
            row = f"<tr><td>{html_text(str(o['period']))}</td><td>{html_text(o['text'])}</td><td>001_1e47c8ac389b41b7.txt, section Annex 1: ASCOF 2023/24, line {line}"
            assert row in text, (k["id"], o["period"])
        for b in k.get("benchmarks", []):
            assert (
                f"<tr><td>{html_text(b['area'])}</td><td>{html_text(str(b['period']))}</td><td>{html_text(b['text'])}</td>"
                in text
            )
    text = (built / "plans" / SCRUTINY / "measures" / "ascof-1A.html").read_text(encoding="utf-8")
    assert (
        "<tr><td>2022/23</td><td>18.9</td><td>001_1e47c8ac389b41b7.txt, section Annex 1: ASCOF 2023/24, line 5493"
        in text
    )
    assert "<td>19.2 (2023/24)</td>\n      <td>18.9 (2022/23)</td>\n      <td>+0.3 (up)</td>" in text
    assert "<tr><td>England</td><td>2022/23</td><td>19.0</td>" in text
    # the chart: a file of the site, with alt text, a caption naming its title and axes, the table under it
    img = re.search(r'<img src="([^"]+\.svg)" alt="([^"]+)"', text)
    assert img is not None
    assert (
        img[2]
        == "Trend chart of 1A: quality of life of people who use services; the figures are in the table below."
    )
    svg = (built / "plans" / SCRUTINY / "measures" / img[1].rsplit("/", 1)[1]).read_text(encoding="utf-8")
    assert "<title>1A: quality of life of people who use services</title>" in svg
    assert "Horizontal axis: period; vertical axis: score." in text
    assert "(the figures of the chart)" in text.split(img[0], 1)[1]


def test_measures_page_lists_each_measure_as_the_kpis_command_assesses_it(built: Path) -> None:
    for plan in (SCRUTINY, "oxfordshire-send-pap-2024", WESTMINSTER):
        page = built / "plans" / plan / "measures" / "index.html"
        assert f"plans/{plan}/measures/index.html" in _links_from(built / "index.html")
        assert f"../../plans/{plan}/measures/index.html" in _links_from(built / "plans" / plan / "index.html")
        text = page.read_text(encoding="utf-8")
        rows = _kpis("--plan", plan)
        assert rows
        for r in rows:
            href = f"../../../plans/{plan}/measures/{file_name(str(r['id']))}.html"
            cells = text.split(f'<a href="{href}">', 1)[1]
            if r["area"]:
                cells = cells.split(f"<td>{r['area']}</td>", 1)[1]
            cells = cells.split("</tr>", 1)[0]
            latest, previous = r["latest"], r["previous"]
            if isinstance(latest, dict):
                assert (
                    f"<td>{html_text(str(latest['text'] or ''))}" in cells or str(latest["period"]) in cells
                ), r["id"]
                assert f"({html_text(str(latest['period']))})</td>" in cells, r["id"]
            else:
                assert "<td>No figures yet</td>" in cells, r["id"]
            if isinstance(previous, dict):
                assert f"({html_text(str(previous['period']))})</td>" in cells, r["id"]
            if r["trend"]:
                assert f"({r['trend']})</td>" in cells, r["id"]
            if r["target_state"]:
                assert f": {r['target_state']}</td>" in cells, r["id"]
            if r["rating"]:
                assert f"{html_text(str(r['rating']))}</span>" in cells, r["id"]
    # a plan with no measures has no Measures page and no link to one
    assert not (built / "plans" / "oxfordshire-ld-plan-2025-2035" / "measures").exists()


def test_off_target_measures_are_counted_on_the_home_page_except_a_closed_plans(built: Path) -> None:
    home = (built / "index.html").read_text(encoding="utf-8")
    for plan in (SCRUTINY, "oxfordshire-send-pap-2024"):
        off = {r["id"] for r in _kpis("--plan", plan, "--off-target")}
        entry = home.split(f'<a href="plans/{plan}/measures/index.html">', 1)[1].split("</dd>", 1)[0]
        assert f"</a>, {len(off)} off target" in entry, plan
    # Westminster closed in 2021: the kpis command finds measures off target, the site shows
    # them but counts none, on the home page or its own pages.
    assert _kpis("--plan", WESTMINSTER, "--off-target")
    entry = home.split(f'<a href="plans/{WESTMINSTER}/measures/index.html">', 1)[1].split("</dd>", 1)[0]
    assert "(plan closed: not counted as off target)" in entry
    assert "off target</strong>" not in entry
    for page in (built / "plans" / WESTMINSTER / "measures").glob("*.html"):
        assert "tag-overdue" not in page.read_text(encoding="utf-8"), page.name
    assert "not counted as off target" in (
        built / "plans" / WESTMINSTER / "measures" / "index.html"
    ).read_text(encoding="utf-8")


def test_an_item_links_to_its_measures_and_a_measure_to_its_item(built: Path) -> None:
    rows = [r for r in _kpis("--plan", "oxfordshire-send-pap-2024") if r["item"]]
    assert rows
    for r in rows:
        item = built / "plans" / "oxfordshire-send-pap-2024" / "items" / f"{file_name(str(r['item']))}.html"
        measure = f"../../../plans/oxfordshire-send-pap-2024/measures/{file_name(str(r['id']))}.html"
        assert measure in _links_from(item)
        assert (
            f"../../../plans/oxfordshire-send-pap-2024/items/{file_name(str(r['item']))}.html"
            in _links_from(
                built / "plans" / "oxfordshire-send-pap-2024" / "measures" / f"{file_name(str(r['id']))}.html"
            )
        )


HOSTILE_KPI = """\
schema_version: 1
id: kpi-evil
title: Evil measures
sections:
  - id: s
    title: S
    items:
      - {id: a, title: An action}
kpis:
  - id: "k/../../../../out"
    name: "<script>alert(1)</script> rate"
    unit: "<img src=x onerror=alert(2)>"
    observations:
      - {period: 2023/24, value: 3, text: "<script>alert(3)</script>", provenance: {file: "<b>f</b>", line: 4}}
      - {period: 2024/25, value: 4, text: "4"}
    benchmarks:
      - {area: "<i>England</i>", value: 2, text: "<script>alert(5)</script>"}
    target: {value: 10, text: "<script>alert(6)</script>"}
"""


def test_hostile_measure_text_is_escaped_and_its_files_stay_inside(tmp_path: Path) -> None:
    plan = tmp_path / "evil.yaml"
    plan.write_text(HOSTILE_KPI, encoding="utf-8")
    out = tmp_path / "site"
    code, _, err = site(str(plan), "--out", str(out), "--as-of", AS_OF)
    assert code == 0, err
    written = sorted(p for p in tmp_path.rglob("*") if p.is_file() and p != plan)
    assert all(p.is_relative_to(out) for p in written)
    measures = sorted(p.name for p in (out / "plans" / "kpi-evil" / "measures").iterdir())
    assert measures == ["index.html", "k-out.html", "k-out.svg"]
    for page in [*out.rglob("*.html"), *out.rglob("*.svg")]:
        text = page.read_text(encoding="utf-8")
        assert "<script>alert" not in text, page
        assert "<img src=x" not in text, page
        assert "<i>England" not in text, page
    text = (out / "plans" / "kpi-evil" / "measures" / "k-out.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(3)&lt;/script&gt;" in text
    assert check_links(out)[0] == []


def test_charts_drawn_in_forked_workers_are_the_bytes_drawn_in_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two plans with 51 charts are enough work to share out between two workers."""
    import planctl.api.pipeline as pipeline

    plans = [str(ROOT / "plans" / f"{p}.yaml") for p in (SCRUTINY, WESTMINSTER)]
    sites = []
    for jobs in (1, 2):
        monkeypatch.setattr(pipeline, "default_jobs", lambda jobs=jobs: jobs)
        out = tmp_path / f"jobs-{jobs}"
        code, _, err = site(*plans, "--out", str(out), "--as-of", AS_OF)
        assert code == 0, err
        sites.append(files_of(out))
    assert len([f for f in sites[0] if f.endswith(".svg") and "/measures/" in f]) == 51
    assert sites[0] == sites[1]


def test_plans_read_in_forked_workers_give_the_bytes_read_in_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large site reads its plan files in forked workers (issue 20): every plan, every
    file's bytes and every invalid file's message are what one process gives."""
    import planctl.api.pipeline as pipeline
    import planctl.site.build as build

    plans = tmp_path / "plans"
    shutil.copytree(ROOT / "plans", plans)
    (plans / "broken.yaml").write_text("id: broken\ntitle: [unclosed\n", encoding="utf-8")
    monkeypatch.setattr(build, "READ_IN_PARTS_FROM_BYTES", 0)
    sites, errors = [], []
    for jobs in (1, 2):
        monkeypatch.setattr(pipeline, "default_jobs", lambda jobs=jobs: jobs)
        out = tmp_path / f"jobs-{jobs}"
        code, _, err = site(str(plans), "--out", str(out), "--as-of", AS_OF)
        assert code == 1, err
        assert "broken.yaml:" in err
        sites.append(files_of(out))
        errors.append(err.replace(str(out), "OUT"))
    assert len([f for f in sites[0] if re.fullmatch(r"plans/[^/]+/index.html", f)]) == 5
    assert sites[0] == sites[1]
    assert errors[0] == errors[1]


def test_a_measure_named_with_dollar_signs_is_charted_as_written(tmp_path: Path) -> None:
    """Plan text is never TeX: matplotlib's mathtext raised on this name (a traceback from
    `planctl site` and `render -t board-report.md`) or would have typeset "from $5 to $10" as maths."""
    plan = tmp_path / "dollars.yaml"
    plan.write_text(
        HOSTILE_KPI.replace('"<script>alert(1)</script> rate"', '"Spend $\\\\frac{x}{ per head, up to $5"'),
        encoding="utf-8",
    )
    out = tmp_path / "site"
    code, _, err = site(str(plan), "--out", str(out), "--as-of", AS_OF)
    assert code == 0, err
    svg = (out / "plans" / "kpi-evil" / "measures" / "k-out.svg").read_text(encoding="utf-8")
    assert "<title>Spend $\\frac{x}{ per head, up to $5</title>" in svg
    report = runner.invoke(app, ["render", str(plan), "-t", "board-report.md", "--as-of", AS_OF])
    assert report.exit_code == 0, report.stderr


# --- trend charts: drawn directly, checked by a strict XML parser -----------------------


def _figures_table(page: str) -> list[tuple[str, str]]:
    """(period with its area, figure) of each row of a measure page's figures table."""
    import html as html_mod

    table = page.split("(the figures of the chart), oldest first</caption>", 1)[1].split("</table>", 1)[0]
    areas = '<th scope="col">Area</th>' in table
    rows = []
    for cells in re.findall(r"<tr>((?:<td>.*?</td>)+)</tr>", table):
        tds = [html_mod.unescape(c) for c in re.findall(r"<td>(.*?)</td>", cells)]
        period = f"{tds[1]}, {tds[0]}" if areas else tds[0]
        rows.append((period, tds[2] if areas else tds[1]))
    return rows


def _number(figure: str) -> float | None:
    """The number a figure as printed starts with ("152,430 between ..." is 152430)."""
    found = re.match(r"-?[\d,]*\.?\d+", figure)
    return float(found[0].replace(",", "")) if found else None


def test_every_trend_chart_parses_as_xml_and_plots_the_figures_of_its_page(built: Path) -> None:
    """Each chart SVG is well-formed XML, has one point per figure in the table on its page,
    and each point sits at its figure's height on the chart's own y axis (read back from the
    tick labels), so the highest figure is drawn highest and the lowest lowest."""
    import xml.etree.ElementTree as ET

    ns = {"s": "http://www.w3.org/2000/svg"}
    charts = sorted(built.glob("plans/*/measures/*.svg"))
    assert len(charts) == 56
    read_back = 0
    for chart in charts:
        root = ET.parse(chart).getroot()  # strict: raises on any malformed markup
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        assert root.get("role") == "img"
        page = chart.with_suffix(".html").read_text(encoding="utf-8")
        name = root.find("s:title", ns)
        assert name is not None
        assert f"<h1>{html_text(name.text or '')}</h1>" in page
        desc = root.find("s:desc", ns)
        assert desc is not None
        assert desc.text
        rows = _figures_table(page)
        points = root.findall(".//s:circle[@class='point']", ns)
        plotted = [tuple((p.find("s:title", ns).text or "").rsplit(": ", 1)) for p in points]  # type: ignore[union-attr]
        assert plotted == [r for r in rows if _number(r[1]) is not None], chart.name
        labels = [t.text for t in root.findall(".//s:text[@class='figure']", ns)]
        assert labels == [figure for _, figure in plotted]
        ticks = [
            (float((t.text or "").replace(",", "")), float(t.get("y", "")))
            for t in root.findall(".//s:text[@class='ytick']", ns)
        ]
        assert len(ticks) >= 2
        (v0, y0), (v1, y1) = ticks[0], ticks[-1]
        span = v1 - v0
        heights = []
        for point, (_, figure) in zip(points, plotted, strict=True):
            value = v0 + (float(point.get("cy", "")) - y0) * (v1 - v0) / (y1 - y0)
            number = _number(figure)
            assert number is not None
            assert abs(value - number) <= 0.01 * span, (chart.name, figure, value)
            heights.append((float(point.get("cy", "")), number))
            read_back += 1
        top, low = min(heights), max(heights)
        assert top[1] == max(n for _, n in heights)
        assert low[1] == min(n for _, n in heights)
    assert read_back > 100


def test_a_figure_or_target_that_is_not_a_finite_number_is_left_off_the_chart(tmp_path: Path) -> None:
    """YAML's .inf and .nan are numbers to the model: matplotlib skipped them, and the
    direct SVG raised (a traceback from `planctl site`). They are left off the chart,
    the table still shows the figure, and a measure with no plottable figure draws axes."""
    import xml.etree.ElementTree as ET

    plan = tmp_path / "odd.yaml"
    text = (
        HOSTILE_KPI.replace('value: 4, text: "4"', 'value: .inf, text: "4"')
        .replace("target: {value: 10,", "target: {value: .nan,")
        .replace('value: 3, text: "<script>alert(3)</script>"', 'value: 3, text: "3"')
    )
    text += """  - id: k2
    name: Nothing to place
    observations:
      - {period: 2023/24, value: -.inf, text: "minus infinity"}
"""
    plan.write_text(text, encoding="utf-8")
    out = tmp_path / "site"
    code, _, err = site(str(plan), "--out", str(out), "--as-of", AS_OF)
    assert code == 0, err
    ns = {"s": "http://www.w3.org/2000/svg"}
    measures = out / "plans" / "kpi-evil" / "measures"
    root = ET.parse(measures / "k-out.svg").getroot()
    titles = [(c.find("s:title", ns).text or "") for c in root.findall(".//s:circle[@class='point']", ns)]  # type: ignore[union-attr]
    assert titles == ["2023/24: 3"]
    assert root.find(".//s:line[@class='target']", ns) is None
    assert "<td>2024/25</td><td>4</td>" in (measures / "k-out.html").read_text(encoding="utf-8")
    empty = ET.parse(measures / "k2.svg").getroot()
    assert empty.findall(".//s:circle[@class='point']", ns) == []
    assert "<td>minus infinity</td>" in (measures / "k2.html").read_text(encoding="utf-8")


def test_the_site_draws_its_charts_without_matplotlib(tmp_path: Path) -> None:
    """matplotlib took about 77 ms a chart, most of the site's build: the site's charts are
    drawn directly, so the shipped plans' 56 charts are built where matplotlib cannot be imported."""
    code = (  # an import of matplotlib fails, in forked workers too
        "import sys\n"
        "sys.modules['matplotlib'] = None\n"
        "from planctl.cli import app\n"
        "try:\n"
        f"    app(['site', {str(ROOT / 'plans')!r}, '--out', {str(tmp_path / 'site')!r}, '--as-of', {AS_OF!r}])\n"
        "except SystemExit as e:\n"
        "    assert not e.code, e.code\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert len(list((tmp_path / "site").glob("plans/*/measures/*.svg"))) == 56


# --- determinism ---------------------------------------------------------------------


def test_the_same_plans_give_byte_identical_sites(built: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        code, _, err = site("--out", str(again), "--as-of", AS_OF)
        assert code == 0, err
        first = files_of(built)
        assert files_of(again) == first
        code, _, err = site("--out", str(again), "--as-of", AS_OF)  # rebuilt in place
        assert code == 0, err
        assert files_of(again) == first
        code, _, err = site("--out", str(again), "--as-of", "2026-01-15")  # another day differs
        assert code == 0, err
        assert files_of(again)["index.html"] != first["index.html"]
    finally:
        os.chdir(cwd)


# --- safety --------------------------------------------------------------------------

HOSTILE = """\
schema_version: 1
id: "evil/../../../escape"
title: "<script>alert('title')</script> & Co"
summary: "\\"><img src=x onerror=alert(2)>"
owners: [Council]
sources:
  - file: src.txt
    title: "<b>source</b>"
    url: "javascript:alert(3)"
scales:
  - id: rag
    name: RAG
    values:
      - {key: red, label: "<i>Red</i>", colour: red}
glossary:
  - {term: "<u>LD</u>", meaning: "<script>alert(4)</script>"}
sections:
  - id: "s/../../../outside"
    title: "Section <script>alert(5)</script>"
    easy_read: "Words <script>alert(6)</script>"
    items:
      - id: "x/../../../../pwned"
        title: "Item <script>alert(7)</script>"
        due: March 2026
        status: red
        leads: ["<img src=x onerror=alert(8)>"]
        links: ["<script>x</script>"]
        easy_read: "We will <script>alert(9)</script> do it."
        updates:
          - {date: 2025-01-01, status: red, note: "<script>alert(10)</script>", by: "</td><script>"}
        provenance: {file: src.txt, section: "<script>alert(11)</script>", line: 1}
      - id: "x:..:..:y"
        title: "onmouseover=alert(12) \\u202e reversed"
      - id: "X/../../../../PWNED"
        title: same name as pwned on a case-insensitive disk
"""


def test_hostile_plan_text_is_escaped_everywhere_and_ids_stay_inside(tmp_path: Path) -> None:
    plan = tmp_path / "plans" / "evil.yaml"
    plan.parent.mkdir()
    plan.write_text(HOSTILE, encoding="utf-8")
    out = tmp_path / "deep" / "site"
    out.parent.mkdir()
    code, _, err = site(str(plan), "--out", str(out), "--as-of", "2026-11-24")
    assert code == 0, err
    written = sorted(p for p in tmp_path.rglob("*") if p.is_file() and p != plan)
    assert written
    assert all(p.is_relative_to(out) for p in written)
    assert not (tmp_path / "pwned.html").exists()
    for page in out.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "<script>alert" not in text, page
        for raw in ("<img src=x", "<i>Red</i>", "<b>source"):
            assert raw not in text, (page, raw)
        assert "javascript:" not in text, page
        parser = _Links()
        parser.feed(text)
        assert all(src in ("search-index.js", "assets/search.js") for src in _scripts(text)), page
        assert parser.scripts == [], page  # no inline script at all
    item_pages = sorted(p.name for p in (out / "plans").glob("*/items/*.html"))
    assert len(item_pages) == 3
    assert len({n.casefold() for n in item_pages}) == 3
    assert all(re.fullmatch(r"[A-Za-z0-9_.-]+", p.name) for p in written), written
    broken, _, _ = check_links(out)
    assert broken == []
    index = (out / "search-index.js").read_text(encoding="utf-8")
    assert "<" not in index
    assert "\\u003cscript\\u003ealert" in index


def _scripts(text: str) -> list[str]:
    return [re.sub(r"^(\.\./)+", "", m) for m in re.findall(r'<script src="([^"]+)"', text)]


def test_a_folder_of_other_files_is_refused_and_left_alone(tmp_path: Path, in_repo: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    code, _, err = site("--out", str(out), "--as-of", AS_OF)
    assert code == 1
    assert "holds files planctl did not write" in err
    assert "Traceback" not in err
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]


def test_out_must_be_a_folder_whose_parent_exists(tmp_path: Path, in_repo: Path) -> None:
    afile = tmp_path / "file.html"
    afile.write_text("x", encoding="utf-8")
    code, _, err = site("--out", str(afile))
    assert code == 2
    assert "is not a folder" in err
    code, _, err = site("--out", str(tmp_path / "no" / "such"))
    assert code == 2
    assert "create it first" in err


@pytest.mark.skipif(os.name != "posix", reason="symlinks")
def test_a_symlink_where_a_page_goes_is_not_written_through(tmp_path: Path, in_repo: Path) -> None:
    out = tmp_path / "site"
    code, _, err = site("--out", str(out), "--as-of", AS_OF)
    assert code == 0, err
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    page = out / "overdue.html"
    page.unlink()
    page.symlink_to(victim)
    code, _, err = site("--out", str(out), "--as-of", AS_OF)
    assert code == 1
    assert "symlink" in err
    assert "Traceback" not in err
    assert victim.read_text(encoding="utf-8") == "precious"
    page.unlink()  # the stopped build can be run again once the link is gone
    code, _, err = site("--out", str(out), "--as-of", AS_OF)
    assert code == 0, err
    assert page.is_file()
    assert not page.is_symlink()


def test_a_rebuild_removes_pages_of_items_that_are_gone(tmp_path: Path) -> None:
    plan = tmp_path / "example.yaml"
    text = (ROOT / "examples" / "example-plan.yaml").read_text(encoding="utf-8")
    plan.write_text(text, encoding="utf-8")
    out = tmp_path / "site"
    code, _, err = site(str(plan), "--out", str(out), "--as-of", AS_OF)
    assert code == 0, err
    items = out / "plans" / "example-council-ld-plan-2025-2027" / "items"
    assert (items / "A2.html").is_file()
    start = text.index("          - id: A2\n")
    end = text.index("          - id:", start + 10)
    plan.write_text(text[:start] + text[end:], encoding="utf-8")
    code, _, err = site(str(plan), "--out", str(out), "--as-of", AS_OF)
    assert code == 0, err
    assert not (items / "A2.html").exists()
    assert (items / "A1.html").is_file()


def test_a_rebuild_over_longer_files_leaves_no_old_tail(tmp_path: Path) -> None:
    """Files of the last build are written over, then cut after the new bytes where they
    were longer (never cut to nothing first: on ext4 that made each close wait for the
    disk), so no tail of an older, longer page is left."""
    plan = tmp_path / "example.yaml"
    shutil.copy(ROOT / "examples" / "example-plan.yaml", plan)
    out = tmp_path / "site"
    code, _, err = site(str(plan), "--out", str(out), "--as-of", AS_OF)
    assert code == 0, err
    first = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    for p in first:
        p.write_bytes(first[p] + b"<!-- a longer tail from an older build -->" * 50)
    code, _, err = site(str(plan), "--out", str(out), "--as-of", AS_OF)
    assert code == 0, err
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == first


def test_an_invalid_plan_is_reported_and_the_others_are_built(tmp_path: Path) -> None:
    plans = tmp_path / "plans"
    shutil.copytree(ROOT / "plans", plans)
    (plans / "broken.yaml").write_text("schema_version: 1\nid: broken\ntitle: [\n", encoding="utf-8")
    out = tmp_path / "site"
    code, _, err = site(str(plans), "--out", str(out), "--as-of", AS_OF)
    assert code == 1
    assert re.search(r"broken\.yaml:\d+:\d+: ", err), err
    assert "Traceback" not in err
    assert len(list((out / "plans").iterdir())) == 5


def test_serve_previews_the_site_on_this_machine(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    out = tmp_path / "site"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "planctl",
            "site",
            "--out",
            str(out),
            "--as-of",
            AS_OF,
            "--serve",
            "--port",
            str(port),
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        body = b""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/index.html", timeout=5) as r:
                    body = r.read()
                break
            except OSError:
                time.sleep(0.3)
        assert b"<h1>All plans</h1>" in body
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_the_documented_pages_workflow_builds_the_site_it_publishes(tmp_path: Path) -> None:
    """examples/github-pages-site.yml, read as YAML 1.2 (as GitHub reads it): on a push to
    main its build job's planctl step, run as written in a plan repository, builds the
    site into the folder the Pages artifact uploads, and the deploy job publishes it."""
    from ruamel.yaml import YAML

    workflow = YAML(typ="safe").load(
        (ROOT / "examples" / "github-pages-site.yml").read_text(encoding="utf-8")
    )
    assert workflow["on"]["push"]["branches"] == ["main"]
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    build_steps = workflow["jobs"]["build"]["steps"]
    runs = [s["run"] for s in build_steps if "run" in s]
    # planctl from its own repository, never by name from the package index
    assert any(r.startswith("pip install ") and "git+https://" in r for r in runs), runs
    (command,) = [r for r in runs if r.startswith("planctl ")]
    (upload,) = [s for s in build_steps if s.get("uses", "").startswith("actions/upload-pages-artifact@")]
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert any(s.get("uses", "").startswith("actions/deploy-pages@") for s in deploy["steps"])

    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "plans", repo / "plans")
    argv = command.split()
    done = subprocess.run(
        [str(Path(sys.executable).parent / "planctl"), *argv[1:]],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    published = repo / upload["with"]["path"]
    assert (published / "index.html").is_file()
    assert (published / "overdue.html").is_file()

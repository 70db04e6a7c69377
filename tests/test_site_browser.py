"""The site and the easy-read handouts in a real browser: headless Chromium, axe-core.

tests/browser/check.mjs drives the system Chromium through puppeteer-core and runs
axe-core (both pinned by tests/browser/package-lock.json; `make test` installs them and
Chromium). Pages are opened from disk (file://), as a reader who downloaded the site
would, with every request outside the site blocked and reported.

`make test` checks a sample of every kind of page (about a minute at most); `make browser`
sets PLANCTL_BROWSER_SWEEP=1 and checks every page of the site.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from planctl.cli import app

ROOT = Path(__file__).resolve().parents[1]
BROWSER = ROOT / "tests" / "browser"
AS_OF = "2026-11-24"
SWEEP = os.environ.get("PLANCTL_BROWSER_SWEEP") == "1"
runner = CliRunner()


def _chromium() -> str | None:
    if os.environ.get("CHROMIUM"):
        return os.environ["CHROMIUM"]
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _need_browser() -> None:
    """Skip where the browser tools are missing, except in CI, which must run these."""
    missing = []
    if shutil.which("node") is None:
        missing.append("node")
    for package in ("puppeteer-core", "axe-core"):
        if not (BROWSER / "node_modules" / package / "package.json").is_file():
            missing.append(f"tests/browser/node_modules/{package}")
    if _chromium() is None:
        missing.append("chromium")
    if missing:
        message = f"browser tests need {', '.join(missing)}: run 'make browser-deps'"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def run_browser(job: dict[str, Any], timeout: float = 600) -> dict[str, Any]:
    _need_browser()
    done = subprocess.run(
        ["node", "check.mjs"],
        cwd=BROWSER,
        input=json.dumps(job).encode(),
        capture_output=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    report: dict[str, Any] = json.loads(done.stdout)
    return report


def _build(out: Path, *paths: str) -> None:
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        result = runner.invoke(app, ["site", *paths, "--out", str(out), "--as-of", AS_OF])
    finally:
        os.chdir(cwd)
    assert result.exit_code == 0, result.stderr


@pytest.fixture(scope="module")
def shipped_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped plans and the example plan (which has ratings over time, a response and links)."""
    out = tmp_path_factory.mktemp("browser") / "site"
    _build(out, "plans", "examples/example-plan.yaml")
    return out


def _sample(site: Path) -> list[str]:
    """One page of every kind, every plan page and easy-read page, and item pages with a
    rating history, a response and links."""
    pages = ["index.html", "overdue.html", "due-soon.html", "search.html", "leads/index.html"]
    pages.append(
        sorted(str(p.relative_to(site)) for p in (site / "leads").glob("*.html") if p.name != "index.html")[0]
    )
    for plan in sorted((site / "plans").iterdir()):
        pages += [f"plans/{plan.name}/index.html", f"plans/{plan.name}/easy-read.html"]
    for marker in ("Ratings and notes up to", "<h2>Decision and response</h2>", "<h2>Linked items</h2>"):
        page = next(
            p for p in sorted(site.glob("plans/*/items/*.html")) if marker in p.read_text(encoding="utf-8")
        )
        pages.append(str(page.relative_to(site)))
    # measures: a plan's Measures page, a measure with its trend chart and benchmarks, and
    # one with a figure per area
    pages += [
        "plans/oxfordshire-people-scrutiny-2025-26/measures/index.html",
        "plans/oxfordshire-people-scrutiny-2025-26/measures/ascof-1A.html",
        "plans/westminster-rbkc-big-plan-2018-2021/measures/A1-O1-1.html",
    ]
    return pages


def _problems(report: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for page, found in report["pages"].items():
        bad = {k: v for k, v in found.items() if v}
        if bad:
            out[page] = bad
    return out


@pytest.fixture(scope="module")
def sample_report(shipped_site: Path) -> dict[str, Any]:
    title_word = "housing"  # 3.1.1 "Write a 10-year housing plan."
    return run_browser(
        {
            "root": str(shipped_site),
            "pages": _sample(shipped_site),
            "axe": True,
            "search": [
                {
                    "page": "search.html",
                    "query": f"10-year {title_word}",
                    "expect": "plans/oxfordshire-ld-plan-2025-2035/items/3.1.1.html",
                }
            ],
            "keyboard": ["index.html", "plans/oxfordshire-ld-plan-2025-2035/index.html"],
            "nojs": ["index.html", "overdue.html", "plans/oxfordshire-ld-plan-2025-2035/easy-read.html"],
            "print": ["overdue.html", "plans/oxfordshire-ld-plan-2025-2035/index.html"],
        }
    )


def test_sample_pages_load_cleanly_and_pass_axe(sample_report: dict[str, Any]) -> None:
    """No console error, no request outside the site, no missing file, no axe violation
    (WCAG 2.0-2.2 A and AA and best practice), on a page of every kind."""
    assert len(sample_report["pages"]) >= 20
    assert _problems(sample_report) == {}
    assert "plans/oxfordshire-people-scrutiny-2025-26/measures/ascof-1A.html" in sample_report["pages"]


def test_search_finds_an_item_by_a_word_in_its_title(sample_report: dict[str, Any]) -> None:
    (search,) = sample_report["search"]
    assert search["found"], search["results"]
    assert search["landed"] == "plans/oxfordshire-ld-plan-2025-2035/items/3.1.1.html"
    assert search["console"] == []
    assert search["outside"] == []


def test_keyboard_reaches_the_skip_link_first_and_shows_focus(sample_report: dict[str, Any]) -> None:
    for page, found in sample_report["keyboard"].items():
        stops = found["stops"]
        assert stops[0]["text"] == "Skip to main content", page
        assert found["after_skip"] == "main", page  # Enter on it moves focus to the content
        assert all(s["tag"] in ("A", "INPUT", "BUTTON") for s in stops), page
        # GOV.UK's focus style: yellow background and a dark underline bar
        assert all(s["background"] == "rgb(255, 221, 0)" for s in stops), (page, stops)


def test_pages_work_without_javascript(sample_report: dict[str, Any]) -> None:
    for page, found in sample_report["nojs"].items():
        assert found["h1"], page
        assert found["nav"] >= 5, page
        assert found["links"] > 5, page
        assert found["failed"] == [], page


def test_printed_pages_leave_out_the_navigation(sample_report: dict[str, Any]) -> None:
    assert len(sample_report["print"]) == 2
    for page, found in sample_report["print"].items():
        assert found == {"header": "none", "skip": "none", "h1": "block"}, page


def test_a_hostile_plan_runs_no_script_in_the_browser(tmp_path: Path) -> None:
    from test_site import HOSTILE

    plan = tmp_path / "evil.yaml"
    plan.write_text(HOSTILE, encoding="utf-8")
    out = tmp_path / "site"
    _build(out, str(plan))
    pages = sorted(str(p.relative_to(out)) for p in out.rglob("*.html"))
    report = run_browser({"root": str(out), "pages": pages, "axe": False})
    assert all(not found["dialogs"] and not found["console"] for found in report["pages"].values()), report


def test_easy_read_handout_of_every_shipped_plan_passes_axe(tmp_path: Path) -> None:
    """`planctl render PLAN -t easy-read.html`, the self-contained handout, in Chromium."""
    names = []
    for plan in sorted((ROOT / "plans").glob("*.yaml")):
        result = runner.invoke(app, ["render", str(plan), "-t", "easy-read.html", "--as-of", AS_OF])
        assert result.exit_code == 0, result.stderr
        (tmp_path / f"{plan.stem}.html").write_text(result.stdout, encoding="utf-8")
        names.append(f"{plan.stem}.html")
    report = run_browser({"root": str(tmp_path), "pages": names, "axe": True})
    assert len(report["pages"]) == 5
    assert _problems(report) == {}


@pytest.mark.skipif(not SWEEP, reason="the sweep of every page runs in 'make browser'")
def test_every_page_of_the_site_loads_cleanly_and_passes_axe(shipped_site: Path) -> None:
    pages = sorted(str(p.relative_to(shipped_site)) for p in shipped_site.rglob("*.html"))
    report = run_browser({"root": str(shipped_site), "pages": pages, "axe": True}, timeout=3000)
    assert len(report["pages"]) == len(pages)
    assert _problems(report) == {}

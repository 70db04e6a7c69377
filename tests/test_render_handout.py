"""The easy-read handout: pictures beside words, big plain type, months in words, no network."""

from __future__ import annotations

import re
import zlib
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planctl.cli import app
from planctl.core.models import Plan, walk_items
from planctl.render.context import build_context
from planctl.render.engine import (
    external_references,
    html_to_pdf,
    picture_maps,
    render_template,
    template_dirs,
)
from planctl.render.pictures import load_picture_set

AS_OF = "2025-11-06"
LD_PLAN = "plans/oxfordshire-ld-plan-2025-2035.yaml"
runner = CliRunner()
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"


def render(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["render", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def ld_html() -> str:
    root = Path(__file__).resolve().parents[1]
    result = runner.invoke(app, ["render", str(root / LD_PLAN), "-t", "easy-read.html", "--as-of", AS_OF])
    assert result.exit_code == 0, result.stderr
    return result.stdout


def _ideas(html: str) -> list[str]:
    return re.findall(r'<div class="idea">(.*?)</div>\s*</div>', html, re.DOTALL)


def test_every_item_is_a_picture_beside_its_words(ld_html: str, shipped: dict[str, Plan]) -> None:
    items = list(walk_items(shipped["oxfordshire-ld-plan-2025-2035"]))
    # an action whose date has passed is told as what the plan said, not as a promise
    ideas = [i for i in _ideas(ld_html) if re.search("What we will do|What the plan said we would do", i)]
    assert len(ideas) == len(items)
    for idea in ideas:
        # the picture comes first (left), inline as a data: URI with alt text, then the words
        assert re.match(
            r'\s*<img class="picture" src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+" alt="[^"]+">', idea
        )
        assert '<div class="words">' in idea
        # a month in words, or no "When" line at all: the cover says once that some
        # things have no date (no "The plan does not say" on every idea)
        assert re.search(
            rf"<span class=\"label\">(?:When|It was due):</span> (?:By )?(?:\d+ )?(?:{MONTHS}) \d{{4}}", idea
        ) or ("When:" not in idea or "Every" in idea)
        assert "The plan does not say" not in idea
        assert "Who will help:" not in idea  # the LD plan names no leads: said once, on the cover
    assert ld_html.count("The plan does not say who will do each thing.") == 1


def test_type_is_big_plain_and_spaced(ld_html: str) -> None:
    css = ld_html.split("<style>")[1].split("</style>")[0]
    body = re.search(r"body \{(.*?)\}", css, re.DOTALL)
    assert body is not None
    size = re.search(r"font-size:\s*(\d+)pt", body[1])
    assert size is not None
    assert int(size[1]) >= 14
    line = re.search(r"line-height:\s*([\d.]+)", body[1])
    assert line is not None
    assert float(line[1]) >= 1.5
    assert "sans-serif" in css
    sizes = [int(s) for s in re.findall(r"font-size:\s*(\d+)pt", css)]
    assert min(sizes) >= 14
    assert "counter(page)" in css
    assert "size: A4" in css


def test_months_in_words_and_one_sentence_per_line(ld_html: str) -> None:
    assert "April 2026" in ld_html
    assert not re.search(r"When:</span> (?:Q\d|\d{4}-\d\d|\d+/\d+)", ld_html)
    lines = re.findall(r"<p>([^<]+)</p>", ld_html)
    credits = ("made from", "OpenMoji")
    assert all(". " not in line for line in lines if not any(c in line for c in credits))


def test_handout_makes_no_network_requests(ld_html: str) -> None:
    assert "http" not in ld_html.lower()
    assert external_references(ld_html) == []
    assert "<script" not in ld_html.lower()
    assert "@font-face" not in ld_html


def test_glossary_page_explains_terms_used_in_easy_words(shipped: dict[str, Plan]) -> None:
    plan = shipped["oxfordshire-ld-plan-2025-2035"]
    pictures = load_picture_set(picture_maps(None, None))
    ctx = build_context(plan, date(2025, 11, 6), pictures=pictures)
    html = render_template("easy-read.html", ctx, template_dirs())
    hard_words = html.split("<h2>Hard words</h2>")[1]
    assert ctx.easy_glossary, "the handout uses at least one glossary term"
    for g in ctx.easy_glossary:
        assert f'<p class="term">{g.term}</p>' in hard_words
        assert g.easy.split(".")[0] in hard_words


def test_credit_for_the_pictures(ld_html: str) -> None:
    assert "OpenMoji" in ld_html
    assert "CC BY-SA 4.0" in ld_html


def test_falls_back_to_title_and_warns(tmp_path: Path) -> None:
    plan = tmp_path / "p.yaml"
    plan.write_text(
        "id: p\ntitle: P\nsections:\n  - id: s\n    title: Homes\n    items:\n"
        "      - {id: A1, title: Build ten new CTR homes., due: May 2026}\n",
        encoding="utf-8",
    )
    # a draft: without easy_read words the handout may not be printed as checked
    code, out, err = render(str(plan), "-t", "easy-read.html", "--as-of", AS_OF, "--draft")
    assert code == 0
    assert "<p>Build ten new CTR homes.</p>" in out
    assert "1 item(s) have no easy_read text" in err
    assert "acronyms not in the glossary: CTR" in err
    assert "When:</span> May 2026" in out
    assert 'alt="Some houses"' in out  # keyword "homes" in the title


def test_long_handout_warns_and_split_writes_one_per_theme(tmp_path: Path, in_repo: Path) -> None:
    code, _, err = render(LD_PLAN, "-t", "easy-read.html", "--as-of", AS_OF)
    assert code == 0
    assert "easy-read guidance says 24 at most: use --split" in err
    out = tmp_path / "handouts"
    code, _, err = render(LD_PLAN, "-t", "easy-read.html", "--split", "--out", str(out), "--as-of", AS_OF)
    assert code == 0, err
    names = sorted(p.name for p in out.iterdir())
    assert names == [f"oxfordshire-ld-plan-2025-2035-theme-{n}.html" for n in (1, 2, 3, 4)]


def test_user_pictures_file_extends_the_keywords(tmp_path: Path) -> None:
    (tmp_path / "boat.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>', encoding="utf-8")
    pictures = tmp_path / "pictures.yaml"
    pictures.write_text(
        "pictures:\n  boat: {file: boat.svg, alt: A boat}\nkeywords:\n  canal*: boat\n", encoding="utf-8"
    )
    plan = tmp_path / "p.yaml"
    plan.write_text(
        "id: p\ntitle: P\nsections:\n  - id: s\n    title: Trips\n    items:\n"
        "      - {id: A1, title: Run canal trips for everyone., due: May 2026}\n"
        "      - {id: A2, title: Open a new home., due: May 2026, picture: boat}\n",
        encoding="utf-8",
    )
    code, out, err = render(
        str(plan), "-t", "easy-read.html", "--pictures", str(pictures), "--as-of", AS_OF, "--draft"
    )
    assert code == 0, err
    assert out.count('alt="A boat"') == 2


def _pdf_page_count(data: bytes) -> int:
    """Count /Type /Page objects, looking inside compressed object streams too."""
    chunks = [data]
    for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.DOTALL):
        try:
            chunks.append(zlib.decompress(m[1]))
        except zlib.error:
            continue
    return sum(len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", c)) for c in chunks)


@pytest.mark.usefixtures("in_repo")
def test_pdf_is_a4_with_the_expected_pages(tmp_path: Path) -> None:
    """One small section only: WeasyPrint takes a second or two per handout."""
    target = tmp_path / "handout.pdf"
    code, _, err = render(
        "examples/example-plan.yaml", "-t", "easy-read.html", "--pdf", "--out", str(target), "--as-of", AS_OF
    )
    assert code == 0, err
    data = target.read_bytes()
    assert data.startswith(b"%PDF")
    assert data.rstrip().endswith(b"%%EOF")
    # cover; contents; the theme (two pages of 40mm pictures); who to contact, with the credits
    assert _pdf_page_count(data) == 5
    assert "(5 pages)" in err


def test_page_estimate_matches_weasyprint(shipped: dict[str, Plan]) -> None:
    plan = shipped["oxfordshire-ld-plan-2025-2035"]
    pictures = load_picture_set(picture_maps(None, None))
    ctx = build_context(plan, date(2025, 11, 6), section="priority-2-1", pictures=pictures)
    _, pages = html_to_pdf(render_template("easy-read.html", ctx, template_dirs()))
    assert abs(ctx.easy_pages - pages) <= 2


def test_who_will_help_says_what_the_plan_says() -> None:
    """No lead in the source is not "nobody has decided"; a "TBC" lead is."""
    root = Path(__file__).resolve().parents[1]
    code, md, _ = render(
        str(root / "plans/oxfordshire-people-scrutiny-2025-26.yaml"), "-t", "easy-read.md", "--as-of", AS_OF
    )
    assert code == 0
    # the topic's easy_read words (the handout prints them instead of its title)
    row = next(line for line in md.splitlines() if "people who suffer **domestic abuse**" in line)
    assert "**Who will help:** Not decided yet" in row  # its only lead is "TBC"
    code, ld, _ = render(str(root / LD_PLAN), "-t", "easy-read.md", "--as-of", AS_OF)
    assert code == 0
    # the LD plan names no leads: the handout says so once, not on each of its 74 actions
    assert "Who will help:" not in ld
    assert ld.count("The plan does not say who will do each thing.") == 1


def test_markdown_handout_headings_are_one_sentence_each() -> None:
    """A section's easy-read words: the first sentence is the heading, the rest one a line."""
    root = Path(__file__).resolve().parents[1]
    code, md, _ = render(str(root / LD_PLAN), "-t", "easy-read.md", "--as-of", AS_OF)
    assert code == 0
    headings = [line for line in md.splitlines() if re.match(r"#{2,4} ", line)]
    assert len(headings) > 20
    for heading in headings[:-1]:  # the last is the "Hard words" page
        assert re.search(r"\.\s+\S", heading) is None, heading
    after = md.split("### People have told us what is good now.\n\n", 1)[1]
    assert after.startswith(
        "We want to make it even better.  \n"
        "Services will share what works well and what they have learnt.  \n"
        "This will help make services better.\n\n| Picture |"
    )

"""Easy-read handouts of the five shipped plans, as a self-advocacy group would check them."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from markupsafe import escape
from typer.testing import CliRunner

from planctl.cli import app
from planctl.core.models import Plan, walk_items
from planctl.render.context import build_context

ROOT = Path(__file__).resolve().parents[1]
AS_OF = "2026-11-24"
PLAN_IDS = [
    "leicester-big-plan-2024-2026",
    "oxfordshire-ld-plan-2025-2035",
    "oxfordshire-people-scrutiny-2025-26",
    "oxfordshire-send-pap-2024",
    "westminster-rbkc-big-plan-2018-2021",
]
runner = CliRunner()


def render(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["render", *args])
    return result.exit_code, result.stdout, result.stderr


def plan_file(plan_id: str) -> str:
    return str(ROOT / "plans" / f"{plan_id}.yaml")


@pytest.mark.parametrize("plan_id", PLAN_IDS)
def test_handout_says_who_wrote_the_easy_read_and_that_nobody_checked_it(
    plan_id: str, shipped: dict[str, Plan]
) -> None:
    version = shipped[plan_id].easy_read_version
    assert version is not None
    assert version.written_by.strip()
    assert version.based_on.strip()
    assert version.checked_by is None  # no self-advocacy group has checked them yet
    assert version.checked_on is None
    for template in ("easy-read.html", "easy-read.md"):
        code, out, err = render(plan_file(plan_id), "-t", template, "--as-of", AS_OF)
        assert code == 0, err
        assert f"{version.written_by} wrote the easy read words." in out
        assert "No group of people with a learning disability has checked them yet." in out


def test_a_check_by_a_group_is_shown_when_given(tmp_path: Path) -> None:
    plan = tmp_path / "p.yaml"
    plan.write_text(
        "id: p\ntitle: P\neasy_read_version:\n  written_by: The plan team\n  based_on: Our plan\n"
        "  checked_by: My Life My Choice\n  checked_on: 2026-10-01\n"
        "sections:\n  - id: s\n    title: Homes\n    easy_read: Homes.\n    items:\n"
        "      - {id: A1, title: Build homes., easy_read: We will build homes., due: May 2026}\n",
        encoding="utf-8",
    )
    code, out, err = render(str(plan), "-t", "easy-read.html", "--as-of", AS_OF)
    assert code == 0, err
    assert "My Life My Choice checked them on 1 October 2026." in out
    assert "has checked them yet" not in out


@pytest.fixture(scope="module")
def handouts() -> dict[tuple[str, str], str]:
    """Each shipped plan's HTML and Markdown handout, rendered once."""
    out: dict[tuple[str, str], str] = {}
    for plan_id in PLAN_IDS:
        for template in ("easy-read.html", "easy-read.md"):
            code, text, err = render(plan_file(plan_id), "-t", template, "--as-of", AS_OF)
            assert code == 0, err
            out[plan_id, template] = text
    return out


def _ideas(html: str) -> list[str]:
    """Each item's idea, hard words unbolded, so its sentences can be found whole."""
    found = re.findall(r'<div class="idea(?: done)?">(.*?)</div>\s*</div>', html, re.DOTALL)
    return [re.sub(r"</?strong>", "", idea) for idea in found]


def test_feedback_is_you_said_we_did_never_a_promise(
    handouts: dict[tuple[str, str], str], shipped: dict[str, Plan]
) -> None:
    """Westminster's appendix two printed 65 things people said as "What we will do"."""
    plan = shipped["westminster-rbkc-big-plan-2018-2021"]
    feedback = [loc.item for loc in walk_items(plan) if loc.item.kind == "feedback"]
    html = handouts["westminster-rbkc-big-plan-2018-2021", "easy-read.html"]
    said = [idea for idea in _ideas(html) if '<p class="label">You said</p>' in idea]
    assert len(said) == len(feedback) == 63
    for idea, item in zip(said, feedback, strict=True):
        assert "What we will do" not in idea
        assert '<p class="label">We did</p>' in idea
        first = (item.easy_read or item.title).split("\n")[0].split(". ")[0]
        assert first in idea
    assert "What we will do next</p>\n<p>Can we have more group activities" not in html


def test_findings_and_topics_are_told_as_what_the_plan_says(handouts: dict[tuple[str, str], str]) -> None:
    html = handouts["oxfordshire-people-scrutiny-2025-26", "easy-read.html"]
    topic = next(i for i in _ideas(html) if "The committee will look at what the Care Quality" in i)
    assert '<p class="label">What the plan says</p>' in topic
    assert "What we will do" not in topic


@pytest.mark.parametrize("plan_id", PLAN_IDS)
def test_the_plan_does_not_say_only_where_a_reader_needs_it(
    plan_id: str, handouts: dict[tuple[str, str], str]
) -> None:
    """349 times across the five handouts before; now at most once per thing not said."""
    for template in ("easy-read.html", "easy-read.md"):
        text = handouts[plan_id, template]
        counts = Counter(re.findall(r"The plan does not say[^.<|]*\.", text))
        assert sum(counts.values()) <= 6 + text.count("what was done about this"), counts
        assert all(n == 1 for what, n in counts.items() if "what was done" not in what), counts


def test_feedback_with_no_answer_says_so_once_each(handouts: dict[tuple[str, str], str]) -> None:
    html = handouts["westminster-rbkc-big-plan-2018-2021", "easy-read.html"]
    unanswered = [i for i in _ideas(html) if "The plan does not say what was done about this." in i]
    assert unanswered
    assert all('<p class="label">You said</p>' in i for i in unanswered)


@pytest.mark.parametrize("plan_id", PLAN_IDS)
def test_cover_contents_and_contact(
    plan_id: str, handouts: dict[tuple[str, str], str], shipped: dict[str, Plan]
) -> None:
    plan = shipped[plan_id]
    html = handouts[plan_id, "easy-read.html"]
    cover = html.split('<nav class="page contents"')[0]
    assert f"<h1>{escape(plan.title)}</h1>" in cover
    assert re.search(r"<p>The plan is for [^<]*\d{4}\.</p>", cover)
    contents = html.split('<nav class="page contents"')[1].split("</nav>")[0]
    anchors = re.findall(r'<a href="#(part-\d+)">', contents)
    assert anchors == [f"part-{n}" for n in range(1, len(plan.sections) + 1)]
    for anchor in anchors:
        assert f'<section class="page" id="{anchor}">' in html
    assert "target-counter(attr(href), page)" in html  # page numbers in print
    contact = html.split('<section class="page" id="contact">')[1].split("</section>")[0]
    if plan.contacts:
        for c in plan.contacts:
            assert (c.email or c.website or c.label()) in contact
    else:
        assert "The plan does not say who to contact." in contact


def test_scrutiny_handout_gives_the_address_to_ask_to_speak(handouts: dict[tuple[str, str], str]) -> None:
    md = handouts["oxfordshire-people-scrutiny-2025-26", "easy-read.md"]
    contact = md.split("## Who to contact")[1].replace("**", "")
    assert "Email: scrutiny@oxfordshire.gov.uk" in contact
    assert "You can ask to speak at a committee meeting." in contact


@pytest.mark.parametrize("plan_id", PLAN_IDS)
def test_hard_words_are_bold_and_explained_in_the_idea_or_earlier_on_its_page(
    plan_id: str, shipped: dict[str, Plan]
) -> None:
    """Every bold glossary term is explained in its idea, or in an idea before it on the
    same (estimated) page; the real pages are checked on the PDF in test_easy_read_measures."""
    ctx = build_context(shipped[plan_id], date.fromisoformat(AS_OF))
    assert ctx.handout is not None
    terms = {g.term.casefold() for g in ctx.handout.glossary}
    bold = 0
    for part in ctx.handout.parts:
        explained_on: dict[int, set[str]] = {}
        for idea in part.ideas:
            here = explained_on.setdefault(idea.page, set())
            here.update(g.term.casefold() for g in idea.explained)
            for line in idea.lines:
                for p in line.parts:
                    if p.term:
                        bold += 1
                        assert any(t in here for t in _forms(p.text) if t in terms), (idea.page, p.text)
    assert bold > 0


def _forms(word: str) -> set[str]:
    w = " ".join(word.split()).casefold()
    return {w, re.sub(r"(?:'s|’s|es|s)$", "", w), re.sub(r"(?:'s|’s|s)$", "", w)}


def test_done_work_comes_first_with_a_tick(tmp_path: Path) -> None:
    plan = tmp_path / "p.yaml"
    plan.write_text(
        "id: p\ntitle: P\nscales:\n  - id: rag\n    name: RAG\n    values:\n"
        "      - {key: green, label: Green, done: true}\n      - {key: amber, label: Amber}\n"
        "sections:\n  - id: s\n    title: Homes\n    easy_read: Homes.\n    items:\n"
        "      - {id: A1, title: Plan homes., easy_read: We will plan new homes., due: May 2027, status: amber}\n"
        "      - {id: A2, title: Build homes., easy_read: We built ten homes., due: May 2026, status: green}\n",
        encoding="utf-8",
    )
    code, html, err = render(str(plan), "-t", "easy-read.html", "--as-of", AS_OF)
    assert code == 0, err
    done = html.index("We built ten homes.")
    todo = html.index("We will plan new homes.")
    assert done < todo
    assert re.search(
        r'<div class="idea done">.*?✓ </span>What we have done</p>\s*<p>We built ten', html, re.DOTALL
    )
    assert re.search(r"What we will do next</p>\s*<p>We will plan new homes", html)

"""The measures of issue 19, on all five shipped plans, without --draft.

Sentences over 15 words at most 10%, over 20 none; every handout at most 24 real PDF
pages, or split; every idea has a picture; no picture's keyword is negated in its
sentence; the PDF is tagged. Each PDF is rendered once per module (WeasyPrint takes a
second or two a file).
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path
from xml.etree import ElementTree

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from planctl.cli import app
from planctl.core import readability
from planctl.core.models import Plan
from planctl.render.context import SectionView, build_context
from planctl.render.engine import picture_maps
from planctl.render.pictures import load_picture_set, negated
from test_easy_read_handouts import PLAN_IDS

ROOT = Path(__file__).resolve().parents[1]
AS_OF = "2026-11-24"
runner = CliRunner()


def render(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["render", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory, shipped: dict[str, Plan]) -> dict[str, list[bytes]]:
    """Each plan's handout as PDF: whole if it fits in 24 pages, else split (as planctl says)."""
    out: dict[str, list[bytes]] = {}
    for plan_id in PLAN_IDS:
        folder = tmp_path_factory.mktemp(plan_id)
        plan = str(ROOT / "plans" / f"{plan_id}.yaml")
        whole = folder / "whole.pdf"
        estimate = build_context(shipped[plan_id], date.fromisoformat(AS_OF)).easy_pages
        if estimate <= 30:  # one far longer is not rendered whole just to be refused
            code, _, err = render(
                plan, "-t", "easy-read.html", "--pdf", "--out", str(whole), "--as-of", AS_OF
            )
            if code == 0:
                out[plan_id] = [whole.read_bytes()]
                continue
            assert "easy-read guidance says 24 at most: use --split" in err, err
            assert not whole.exists()
        parts = folder / "parts"
        code, _, err = render(
            plan, "-t", "easy-read.html", "--pdf", "--split", "--out", str(parts), "--as-of", AS_OF
        )
        assert code == 0, err
        out[plan_id] = [p.read_bytes() for p in sorted(parts.iterdir())]
    return out


@pytest.mark.parametrize("plan_id", PLAN_IDS)
def test_sentences_are_short(plan_id: str, shipped: dict[str, Plan]) -> None:
    ctx = build_context(shipped[plan_id], date.fromisoformat(AS_OF))
    assert ctx.handout is not None
    counts = [len(readability.words(line.text)) for line in ctx.handout.lines()]
    assert counts
    assert sum(1 for n in counts if n > 15) <= 0.10 * len(counts)
    assert [n for n in counts if n > 20] == []


@pytest.mark.parametrize("plan_id", PLAN_IDS)
def test_every_idea_has_a_picture_whose_keyword_is_not_negated(
    plan_id: str, shipped: dict[str, Plan]
) -> None:
    ctx = build_context(
        shipped[plan_id], date.fromisoformat(AS_OF), pictures=load_picture_set(picture_maps(None, None))
    )
    assert ctx.handout is not None
    ideas = list(ctx.handout.ideas())
    assert ideas
    assert [i for i in ideas if i.picture is None] == []
    assert [where for where, choice in ctx.picture_choices if choice.keyword == "default"] == []
    for where, choice in ctx.picture_choices:
        if choice.word is None:
            continue
        uses = [
            (sentence, m.start())
            for sentence in readability.sentences(_texts(ctx, where))
            for m in re.finditer(rf"(?<![\w-]){re.escape(choice.word)}(?![\w-])", sentence)
        ]
        assert uses, (where, choice.word)
        # the picture's word is used at least once not negated ("leaving hospital" may
        # sit beside "stop people going back into hospital")
        assert any(not negated(sentence, at) for sentence, at in uses), (where, choice.word, uses)


def _texts(ctx: object, where: str) -> str:
    from planctl.render.context import RenderContext

    assert isinstance(ctx, RenderContext)
    kind, ident = where.split(" ", 1)
    if kind == "item":
        item = next(i for i in ctx.items if i.id == ident)
        texts = [item.source.easy_read or "", item.title, ", ".join(item.source.tags), *item.section_titles]
        return "\n\n".join(texts)
    return "\n\n".join(
        f"{s.source.easy_read or ''}\n\n{s.title}\n\n{', '.join(s.source.tags)}"
        for s in _sections(ctx.sections)
        if s.id == ident
    )


def _sections(sections: list[SectionView]) -> list[SectionView]:
    out: list[SectionView] = []
    for s in sections:
        out.append(s)
        out.extend(_sections(s.sections))
    return out


@pytest.mark.parametrize("plan_id", PLAN_IDS)
def test_every_pdf_is_at_most_24_pages(plan_id: str, pdfs: dict[str, list[bytes]]) -> None:
    pages = [len(PdfReader(io.BytesIO(data)).pages) for data in pdfs[plan_id]]
    assert pages
    assert max(pages) <= 24, pages


@pytest.mark.parametrize("plan_id", PLAN_IDS)
def test_every_pdf_is_tagged(plan_id: str, pdfs: dict[str, list[bytes]]) -> None:
    for data in pdfs[plan_id]:
        root = PdfReader(io.BytesIO(data)).trailer["/Root"]
        assert "/StructTreeRoot" in root
        assert bool(root["/MarkInfo"]["/Marked"])
        assert root["/Lang"] == "en-GB"


@pytest.mark.parametrize("plan_id", PLAN_IDS)
def test_every_bold_hard_word_is_explained_on_its_real_pdf_page(
    plan_id: str, pdfs: dict[str, list[bytes]], shipped: dict[str, Plan], tmp_path: Path
) -> None:
    """Read as a reader's tools read the PDF (poppler's pdftohtml, not planctl): on every
    page, each glossary term printed in bold has its easy meaning on that same page.

    The page estimate put some explanations on the wrong real page, and the cover, the
    contacts and a part's heading printed hard words in bold with no explanation."""
    if shutil.which("pdftohtml") is None:
        pytest.fail("pdftohtml (poppler-utils) is missing: run `make pytest`, which installs it")
    glossary = {g.term.casefold(): g.easy_read or g.meaning for g in shipped[plan_id].glossary}
    # the longest term first, as a reader would read "health action plan" as one word
    terms = sorted(glossary, key=len, reverse=True)
    words = "|".join(r"[\s-]+".join(re.escape(w) for w in t.split()) for t in terms)
    hard = re.compile(rf"(?<![\w-])({words})(?:s|es|'s|’s)?(?![\w-])", re.IGNORECASE)
    checked = 0
    for n, data in enumerate(pdfs[plan_id]):
        pdf = tmp_path / f"{n}.pdf"
        pdf.write_bytes(data)
        xml = subprocess.run(
            ["pdftohtml", "-xml", "-i", "-stdout", str(pdf)], capture_output=True, check=True
        ).stdout
        for page in ElementTree.fromstring(xml).iter("page"):
            texts = [(("".join(t.itertext())), t.find("b") is not None) for t in page.iter("text")]
            # bold runs, joined across line ends (a term may wrap)
            bold = " ".join(text if is_bold else "|" for text, is_bold in texts)
            flat = re.sub(r"\s+", "", "".join(text for text, _ in texts))
            for m in hard.finditer(" ".join(bold.split())):
                term = " ".join(m[1].split()).casefold().replace(" - ", "-")
                meaning = next(
                    (v for k, v in glossary.items() if k.replace("-", " ") == term.replace("-", " ")), None
                )
                assert meaning is not None, term
                checked += 1
                assert re.sub(r"\s+", "", meaning) in flat, (pdf.name, page.get("number"), m[0])
    assert checked > 0


def test_send_handout_is_refused_whole_on_its_real_page_count(pdfs: dict[str, list[bytes]]) -> None:
    """The SEND handout had 25 real pages and no warning (an estimate was checked); whole, it
    is now refused with --split suggested, and split, each file fits."""
    assert len(pdfs["oxfordshire-send-pap-2024"]) > 1


def test_html_has_a_main_landmark_and_long_words_wrap() -> None:
    code, html, err = render(
        str(ROOT / "plans" / "leicester-big-plan-2024-2026.yaml"), "-t", "easy-read.html", "--as-of", AS_OF
    )
    assert code == 0, err
    assert html.count("<main>") == 1
    assert html.count("</main>") == 1
    assert "overflow-wrap: anywhere" in html

"""The easy-read handout's structure: what each idea says, in what order, on which page.

Easy-read documents that self-advocacy groups sign off share a shape: a cover with the
plan's name and date, a contents page, "What we have done" (with a tick) before "What
we will do next", "You said / We did" for what people told the council, findings told
as findings (never as promises), every hard word in bold and explained on the page
where it is used, who to contact, and "The plan does not say" only where a reader
needs it (once, not on every idea). This module decides all of that from the plan and
the :class:`~planctl.context.RenderContext`, in pure code, so the HTML and Markdown
templates only lay it out.

How an item is told follows from its ``kind`` (the one mechanism, whatever the plan):
an actionable item is a promise ("What we will do next", or "What we have done" once its
rating means done); ``feedback`` is "You said" (the first paragraph of its easy words, or
its title) and "We did" (the rest, or nothing); ``response`` is "What we did or plan to
do"; anything else (a committee topic, a finding, a note) is "What the plan says".

Page numbers are estimated by packing the ideas onto A4 pages with the template's
measures (an idea never breaks across pages); the estimate decides where a hard word
is explained in the HTML and is the PDF's first guess. The PDF then reads WeasyPrint's
real pages back (:func:`explain_on_pages`) and moves explanations until every hard word
is explained on the real page it is printed on; its real page count is checked too.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from planctl.core import readability
from planctl.core.dates import day_words

if TYPE_CHECKING:
    from planctl.core.models import Plan
    from planctl.render.context import GlossaryView, ItemView, RenderContext, SectionView
    from planctl.render.pictures import Picture

YamlPath = tuple[str | int, ...]

# What an idea is, by the item's kind.
DO = "What we will do next"
DONE = "What we have done"
PAST = "What the plan said we would do"  # its date has passed, and the plan does not say it is done
YOU_SAID = "You said"
WE_DID = "We did"
RESPONSE = "What we did or plan to do"
CONTEXT = "What the plan says"
NOT_SAID = "The plan does not say"
NO_ANSWER = f"{NOT_SAID} what was done about this."

# Page measures of easy-read.html (A4, 16mm/20mm margins, 16pt text at 1.6 line height,
# pictures 40mm wide, ideas never split across pages), in points.
PAGE_HEIGHT_PT = 740.0  # 297mm less 36mm of margins
LINE_PT = 16 * 1.6
SMALL_LINE_PT = 14 * 1.5
H2_LINE_PT = 22 * 1.3
H3_LINE_PT = 18 * 1.4
PICTURE_PT = 40 / 25.4 * 72 + 4  # 40mm and its border
IDEA_GAP_PT = 2 * 0.9 * 16 + 1  # margin, padding and rule between ideas
CHARS_PER_LINE = 40  # 16pt text beside a 40mm picture
CHARS_PER_SMALL_LINE = 46
CHARS_PER_H3_LINE = 32
CHARS_PER_H2_LINE = 27


@dataclass(frozen=True, slots=True)
class Part:
    """A piece of a sentence; ``term`` marks a hard word, printed in bold."""

    text: str
    term: bool = False


@dataclass(slots=True)
class Line:
    """One sentence of the handout, cut into parts, and where its words come from.

    A line also carries the explanations printed right after it: the sentence that uses
    a hard word first on a page explains it (on screen under the sentence, in the PDF at
    the foot of that page).
    """

    parts: list[Part]
    path: YamlPath  # the YAML path of the text it was cut from
    origin: str  # "item A1", "section theme-1", "glossary GP", "contact 1"
    explained: list[GlossaryView] = field(default_factory=list)
    key: str = ""  # names the line, to find its bold words on the PDF's pages

    @property
    def text(self) -> str:
        return "".join(p.text for p in self.parts)


def _all_explained(lines: Iterable[Line | None]) -> list[GlossaryView]:
    out: dict[str, GlossaryView] = {}
    for line in lines:
        for g in line.explained if line is not None else ():
            out.setdefault(g.term.casefold(), g)
    return list(out.values())


@dataclass(frozen=True, slots=True)
class Block:
    label: str | None
    lines: list[Line]


@dataclass(slots=True)
class Idea:
    """One picture and its words: a heading (a section) or an item."""

    heading: int  # 0 for an item; 2 or 3 for a section heading
    picture: Picture | None
    blocks: list[Block]
    when_label: str = ""
    when: str | None = None
    who: str | None = None
    done: bool = False
    item: ItemView | None = None
    section: SectionView | None = None
    page: int = 1

    @property
    def lines(self) -> list[Line]:
        return [line for block in self.blocks for line in block.lines]

    @property
    def explained(self) -> list[GlossaryView]:
        """The hard words this idea explains (each after the first sentence using it)."""
        return _all_explained(self.lines)

    def explain(self, terms: Sequence[GlossaryView]) -> None:
        """Explain each term after the first sentence of the idea that uses it."""
        _explain_first_use(self.lines, terms)


@dataclass(slots=True)
class Chapter:
    """One top-level section: it starts on a new page and has a line in the contents."""

    anchor: str
    title: str
    ideas: list[Idea]


@dataclass(frozen=True, slots=True)
class ContactView:
    label: str
    lines: list[Line]
    email: str | None
    phone: str | None
    website: str | None
    label_line: Line | None = None  # the label (printed in bold as it is), to explain its hard words

    @property
    def all_lines(self) -> list[Line]:
        return [*([self.label_line] if self.label_line else []), *self.lines]

    @property
    def explained(self) -> list[GlossaryView]:
        return _all_explained(self.all_lines)


@dataclass(slots=True)
class Handout:
    plan_date: str | None
    parts: list[Chapter]
    notes: list[str]  # what the plan does not say, said once for the whole handout
    contacts: list[ContactView]
    glossary: list[GlossaryView]
    intro: list[Line]
    pages: int = 0
    missing_easy_read: list[ItemView] = field(default_factory=list)
    title_line: Line | None = None  # the cover's heading (printed in bold as it is)

    @property
    def intro_explained(self) -> list[GlossaryView]:
        """The cover's explanations: of its heading's hard words, and its words'."""
        return _all_explained([self.title_line, *self.intro])

    def ideas(self) -> Iterator[Idea]:
        for part in self.parts:
            yield from part.ideas

    def holders(self) -> list[Line]:
        """Every line that prints hard words in <strong>, in the handout's order: the
        cover's, each idea's, each contact's (the order the PDF is read back in)."""
        out = list(self.intro)
        out.extend(line for idea in self.ideas() for line in idea.lines)
        out.extend(line for c in self.contacts for line in c.lines)
        return out

    def lines(self) -> Iterator[Line]:
        """Every sentence the handout prints from the plan, with where it comes from."""
        yield from self.intro
        for idea in self.ideas():
            yield from idea.lines
        for contact in self.contacts:
            yield from contact.lines
        for i, g in enumerate(self.glossary):
            for sentence in readability.sentences(g.easy):
                yield Line([Part(sentence)], ("glossary", i, "easy_read"), f"glossary {g.term}")


# --- words ----------------------------------------------------------------------------


def term_pattern(terms: Iterable[str]) -> re.Pattern[str] | None:
    """Glossary terms as whole words (a plural or 's allowed), the longest first."""
    ordered = sorted({t.strip() for t in terms if t.strip()}, key=len, reverse=True)
    if not ordered:
        return None
    alternatives = "|".join(r"[\s-]+".join(re.escape(w) for w in t.split()) for t in ordered)
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?:s|es|'s|’s)?(?![\w-])", re.IGNORECASE)


def cut(sentence: str, pattern: re.Pattern[str] | None) -> list[Part]:
    """A sentence as parts, its glossary terms marked."""
    if pattern is None:
        return [Part(sentence)]
    parts: list[Part] = []
    at = 0
    for m in pattern.finditer(sentence):
        if m.start() > at:
            parts.append(Part(sentence[at : m.start()]))
        parts.append(Part(m[0], term=True))
        at = m.end()
    if at < len(sentence):
        parts.append(Part(sentence[at:]))
    return parts


def _lines(text: str, path: YamlPath, origin: str, pattern: re.Pattern[str] | None) -> list[Line]:
    return [Line(cut(s, pattern), path, origin) for s in readability.sentences(text)]


def _paragraphs(text: str) -> list[str]:
    """Paragraphs of easy words: YAML's folded text keeps a blank line as a line break."""
    return [p for p in re.split(r"\n\s*", text.strip()) if p.strip()]


def plan_date(plan: Plan) -> str | None:
    """The plan's own date, in words: its years, else the source's date."""
    period = plan.period
    if period is not None and period.start is not None and period.end is not None:
        return f"{period.start.year} to {period.end.year}"
    if period is not None and period.text:
        years = re.fullmatch(r"\s*(\d{4})\s*(?:-|–|—|to)\s*(\d{4})\s*", period.text)
        if years:
            return f"{years[1]} to {years[2]}"
    for source in plan.sources:
        if source.date:
            return source.date
    if plan.ratings_as_of is not None:
        return day_words(plan.ratings_as_of)
    return None


# --- ideas ----------------------------------------------------------------------------


def _item_idea(i: ItemView, pattern: re.Pattern[str] | None) -> Idea:
    item = i.source
    path: YamlPath = (*i.path, "easy_read") if item.easy_read else (*i.path, "title")
    origin = f"item {i.id}"
    words = item.easy_read or item.title
    blocks: list[Block]
    if item.actionable:
        label = DONE if i.done else PAST if i.overdue else DO
        blocks = [Block(label, _lines(words, path, origin, pattern))]
    elif item.kind == "feedback":
        paragraphs = _paragraphs(item.easy_read) if item.easy_read else [item.title]
        said = _lines(paragraphs[0], path, origin, pattern)
        did = [line for p in paragraphs[1:] for line in _lines(p, path, origin, pattern)]
        if not did and item.text and not item.easy_read:
            did = _lines(item.text, (*i.path, "text"), origin, pattern)
        blocks = [Block(YOU_SAID, said), Block(WE_DID, did or [Line([Part(NO_ANSWER)], path, "")])]
    elif item.kind == "response":
        blocks = [Block(RESPONSE, _lines(words, path, origin, pattern))]
    else:
        blocks = [Block(CONTEXT, _lines(words, path, origin, pattern))]
    dated = i.deadline is not None or i.repeats is not None
    named = bool(i.leads)
    return Idea(
        heading=0,
        picture=i.picture,
        blocks=blocks,
        when_label="It was due:" if i.overdue else "When:",
        when=i.easy_when if dated and item.kind != "feedback" else None,
        who=i.easy_who if named and item.kind != "feedback" else None,
        done=i.done,
        item=i,
    )


def _section_ideas(s: SectionView, pattern: re.Pattern[str] | None) -> Iterator[Idea]:
    source = s.source
    words = source.easy_read or source.title
    path: YamlPath = (*s.path, "easy_read" if source.easy_read else "title")
    yield Idea(
        heading=2 if s.depth == 0 else 3,
        picture=s.picture,
        blocks=[Block(None, _lines(words, path, f"section {s.id}", pattern))],
        section=s,
    )
    # What we have done comes before what we will do next; the rest keeps its order.
    for i in sorted(s.items, key=lambda i: not (i.actionable and i.done)):
        yield _item_idea(i, pattern)
    for child in s.sections:
        yield from _section_ideas(child, pattern)


# --- pages ----------------------------------------------------------------------------


def _wrapped(texts: Iterable[str], chars: int) -> int:
    return sum(max(1, math.ceil(len(t) / chars)) for t in texts)


def _explanation_pt(g: GlossaryView) -> float:
    return _wrapped([f"{g.term} means {g.easy}"], CHARS_PER_SMALL_LINE) * SMALL_LINE_PT


def idea_height(idea: Idea) -> float:
    """The idea's height on the page: its words or its picture, whichever is taller."""
    texts = [line.text for line in idea.lines]
    if idea.heading == 2:
        text_pt = _wrapped(texts, CHARS_PER_H2_LINE) * H2_LINE_PT
    elif idea.heading == 3:
        text_pt = _wrapped(texts, CHARS_PER_H3_LINE) * H3_LINE_PT
    else:
        labels = sum(1 for b in idea.blocks if b.label)
        extra = labels + (idea.when is not None) + (idea.who is not None)
        text_pt = (_wrapped(texts, CHARS_PER_LINE) + extra) * LINE_PT
    text_pt += sum(_explanation_pt(g) for g in idea.explained)
    return max(text_pt, PICTURE_PT) + IDEA_GAP_PT


def lay_out(parts: list[Chapter], glossary: Sequence[GlossaryView], tail_pt: float, front: int) -> int:
    """Give each idea its page and its explanations; return the handout's page count.

    Each part starts on a new page. A glossary term is explained in the first idea
    that uses it on each page, so a reader never has to turn to the back.
    """
    meaning = {g.term.casefold(): g for g in glossary}
    page = front
    for part in parts:
        page += 1
        used = 0.0
        explained_here: set[str] = set()
        for idea in part.ideas:
            terms = _terms_in(idea.lines, meaning)
            idea.explain([meaning[t] for t in terms if t not in explained_here])
            height = idea_height(idea)
            if used and used + height > PAGE_HEIGHT_PT:
                page, used = page + 1, 0.0
                explained_here = set()
                idea.explain([meaning[t] for t in terms])
                height = idea_height(idea)
            explained_here.update(terms)
            idea.page = page
            used += height
    # the contacts, hard words and credits follow on pages of their own
    rest = [max(_explanation_pt(g), PICTURE_PT) + IDEA_GAP_PT for g in glossary] + [tail_pt]
    used = 0.0
    page += 1
    for h in rest:
        if used and used + h > PAGE_HEIGHT_PT:
            page, used = page + 1, 0.0
        used += h
    return page


def _explain_first_use(lines: Sequence[Line], terms: Sequence[GlossaryView]) -> None:
    meaning = {g.term.casefold(): g for g in terms}
    said: set[str] = set()
    for line in lines:
        here = [t for t in _terms_in([line], meaning) if t not in said]
        line.explained[:] = [meaning[t] for t in here]
        said.update(here)


def _terms_in(lines: Iterable[Line], meaning: dict[str, GlossaryView]) -> list[str]:
    found: dict[str, None] = {}
    for line in lines:
        for part in line.parts:
            if part.term:
                key = _term_key(part.text, meaning)
                if key is not None:
                    found.setdefault(key, None)
    return list(found)


def _term_key(text: str, meaning: dict[str, GlossaryView]) -> str | None:
    """The glossary term a matched word is (``GPs`` is ``GP``; a line break is a space)."""
    word = " ".join(text.replace("-", " - ").split()).replace(" - ", "-").casefold()
    for candidate in (word, re.sub(r"(?:'s|’s|es|s)$", "", word), re.sub(r"(?:'s|’s|s)$", "", word)):
        if candidate in meaning:
            return candidate
        spaced = candidate.replace("-", " ")
        for key in meaning:
            if key.replace("-", " ") == spaced:
                return key
    return None


# --- the real pages -------------------------------------------------------------------


def explain_on_pages(
    handout: Handout, uses: Sequence[tuple[int, int, str]], explained: Iterable[tuple[int, str]]
) -> list[tuple[int, str]]:
    """Check a rendering's real pages: the (page, word) of each bold hard word not
    explained on its page. If there are any, the explanations are moved to match these
    pages (render again to check).

    ``uses`` are (page, element, text) of each bold element printed, in the order
    printed (an element split across pages once per page); they are matched in order
    with the hard words of :meth:`Handout.holders` (a bold word that is not one, such as
    the cover's "bold", is passed over). ``explained`` are (page, term) of the
    explanations printed. On each page, the first sentence that uses a term explains it,
    so a page never explains a word twice.
    """
    meaning = {g.term.casefold(): g for g in handout.glossary}
    done = {(page, term.casefold()) for page, term in explained}
    expected = [(line, part.text) for line in handout.holders() for part in line.parts if part.term]
    owner: dict[int, Line] = {}
    at = 0
    wanted: dict[str, dict[str, None]] = {}
    # the cover's heading explains its words on the first page, whatever is read back
    title = handout.title_line.explained if handout.title_line else []
    seen: set[tuple[int, str]] = {(1, g.term.casefold()) for g in title}
    missing: list[tuple[int, str]] = []
    for page, element, text in uses:
        if element not in owner:
            if at < len(expected) and " ".join(text.split()) == " ".join(expected[at][1].split()):
                owner[element] = expected[at][0]
                at += 1
            else:
                continue
        term = _term_key(text, meaning)
        if term is None:
            continue
        if (page, term) not in done:
            missing.append((page, text))
        if (page, term) not in seen:
            seen.add((page, term))
            wanted.setdefault(owner[element].key, {}).setdefault(term, None)
    if missing:
        for line in handout.holders():
            line.explained[:] = [meaning[t] for t in wanted.get(line.key, {})]
    return missing


def explain_everywhere(handout: Handout) -> None:
    """Every sentence explains every hard word it uses: right whatever the pages, at the
    cost of repeating an explanation on a page."""
    meaning = {g.term.casefold(): g for g in handout.glossary}
    for line in handout.holders():
        line.explained[:] = [meaning[t] for t in _terms_in([line], meaning)]


# --- the whole handout ----------------------------------------------------------------


def _notes(items: list[ItemView]) -> list[str]:
    """What the plan does not say, once for the whole handout, where a reader needs it."""
    actions = [i for i in items if i.actionable]
    notes: list[str] = []
    if actions and not any(i.leads for i in actions):
        notes.append(f"{NOT_SAID} who will do each thing.")
    elif any(not i.leads for i in actions):
        notes.append(f"{NOT_SAID} who will help with some things.")
    if any(i.deadline is None and i.repeats is None for i in actions):
        notes.append(f"{NOT_SAID} when some things will happen.")
    if any(i.overdue and i.rating is None for i in actions):
        notes.append("Some things were due before this date.")
        notes.append(f"{NOT_SAID} if they are done.")
    return notes


def _contacts(plan: Plan, pattern: re.Pattern[str] | None) -> list[ContactView]:
    out: list[ContactView] = []
    for n, c in enumerate(plan.contacts):
        key = "easy_read" if c.easy_read else "about"
        lines = _lines(c.easy_read or c.about or "", ("contacts", n, key), f"contact {n + 1}", pattern)
        label = Line(cut(c.label(), pattern), ("contacts", n), f"contact {n + 1}")
        out.append(ContactView(c.label(), lines, c.email, c.phone, c.website, label_line=label))
    return out


def build_handout(ctx: RenderContext) -> Handout:
    """The handout for a rendering context (the whole plan or one section)."""
    plan = ctx.plan
    pattern = term_pattern(g.term for g in ctx.glossary)
    parts: list[Chapter] = []
    for n, top in enumerate(ctx.sections, 1):
        ideas = list(_section_ideas(top, pattern))
        parts.append(Chapter(f"part-{n}", ideas[0].lines[0].text if ideas[0].lines else top.title, ideas))
    intro = []
    if plan.easy_read and ctx.section is None:
        intro = _lines(plan.easy_read, ("easy_read",), "plan", pattern)
    contacts = _contacts(plan, pattern)
    title = Line(cut(ctx.title, pattern), ("title",), "plan")
    cover = [title, *intro]
    meaning = {g.term.casefold(): g for g in ctx.glossary}
    used = {key for part in parts for idea in part.ideas for key in _terms_in(idea.lines, meaning)}
    used.update(_terms_in(cover, meaning))
    used.update(_terms_in([line for c in contacts for line in c.all_lines], meaning))
    glossary = [g for g in ctx.glossary if g.term.casefold() in used or g in ctx.easy_glossary]
    handout = Handout(
        plan_date=plan_date(plan),
        parts=parts,
        notes=_notes(ctx.items),
        contacts=contacts,
        glossary=glossary,
        intro=intro,
        missing_easy_read=[i for i in ctx.items if i.actionable and i.easy_from_title],
        title_line=title,
    )
    tail = (4 + 2 * max(1, len(handout.contacts)) + 6) * LINE_PT  # contacts, about this easy read, credits
    handout.pages = lay_out(parts, glossary, tail, front=2)  # the cover and the contents
    # the cover and the contacts have pages of their own: each explains its words once
    _explain_first_use(cover, glossary)
    _explain_first_use([line for c in contacts for line in c.all_lines], glossary)
    for n, line in enumerate(handout.holders(), 1):
        line.key = f"w{n}"
    return handout

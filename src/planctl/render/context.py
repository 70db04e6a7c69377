"""The rendering context: everything a template shows, computed from a plan and a date.

Templates only lay out; every decision (what is overdue, which words say "when", which
picture goes with an idea, which acronyms the glossary must explain) is made here, in
pure code, so it is tested once and every template, bundled or the user's, agrees.
The clock is the ``as_of`` argument.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta

from planctl.core import readability
from planctl.core.dates import FuzzyDate, Precision, add_clamped, day_words, month_words
from planctl.core.models import (
    NO_LEAD_LABEL,
    Closure,
    Item,
    Lead,
    Located,
    Plan,
    Scale,
    Section,
    closure_of,
    is_tbc,
)
from planctl.core.overdue import is_overdue_action
from planctl.core.ratings import Rating, rating_on
from planctl.render.pictures import Choice, Picture, PictureSet, lowered

if TYPE_CHECKING:
    from planctl.render.handout import Handout

DUE_SOON_MONTHS = 3
HANDOUT_MAX_PAGES = 24
# Handout wording where the plan names no date or no lead: it says what the plan says,
# not that nobody has decided (the source may simply not record it).
NOT_SAID = "The plan does not say"
TO_BE_CONFIRMED = "Not decided yet"  # the plan's lead is "TBC"

_COLOUR_HEX = {
    "red": "#d4351c",
    "amber": "#f47738",
    "orange": "#f47738",
    "yellow": "#ffdd00",
    "green": "#00703c",
    "blue": "#1d70b8",
    "purple": "#4c2c92",
    "grey": "#b1b4b6",
    "gray": "#b1b4b6",
    "black": "#0b0c0c",
    "white": "#ffffff",
    "brown": "#8b4513",
}
_CIRCLES = {
    "red": "🔴",
    "amber": "🟠",
    "orange": "🟠",
    "yellow": "🟡",
    "green": "🟢",
    "blue": "🔵",
    "purple": "🟣",
    "brown": "🟤",
    "black": "⚫",
}
_MERMAID_KEYWORD = re.compile(
    r"(?:section|title|dateformat|axisformat|tickinterval|excludes|includes|todaymarker|weekday|click|"
    r"inclusiveenddates|topaxis|accdescr|acctitle|%%)",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class RatingView:
    """A status as templates show it: the core :class:`Rating` it reads as on its scale,
    with what only a page needs (a hex colour, a badge readable without colour).

    A status on no scale still shows, as written, with a white circle: templates read
    ``key``, ``label``, ``meaning``, ``colour``, ``badge`` and ``done`` either way.
    """

    status: str  # as written
    rating: Rating | None  # None: the status is on no scale

    @property
    def key(self) -> str:
        return self.rating.key if self.rating else self.status

    @property
    def label(self) -> str:
        return self.rating.label if self.rating else self.status

    @property
    def meaning(self) -> str | None:
        return self.rating.meaning if self.rating else None

    @property
    def colour(self) -> str | None:
        """#rrggbb for HTML: the scale's colour, else its key if that names one ("green")."""
        r = self.rating
        return (colour_hex(r.colour) or colour_hex(r.key)) if r else None

    @property
    def badge(self) -> str:
        """ "🟢 Complete" for Markdown: the circle of its colour, then the label."""
        r = self.rating
        return f"{_circle(r.colour, r.key)} {r.label}" if r else f"⚪ {self.status}"

    @property
    def done(self) -> bool:
        return self.rating.done if self.rating else False


@dataclass(frozen=True, slots=True)
class OutcomeView:
    text: str
    when: str | None


@dataclass(frozen=True, slots=True)
class ItemView:
    id: str
    number: str | None
    kind: str
    title: str
    text: str | None
    actionable: bool
    outcomes: list[OutcomeView]
    deadline: FuzzyDate | None
    when: str  # report wording: "Q3 2025/26 (October to December 2025)" or "No deadline"
    easy_when: str  # handout wording: "April 2026", "By December 2025", "Every month"
    easy_who: str  # handout wording: the named leads, TO_BE_CONFIRMED or NOT_SAID
    repeats: str | None
    leads: list[str]
    lead_label: str
    lead_inherited: bool
    has_lead: bool
    status: str | None
    status_date: date | None
    rating: RatingView | None
    done: bool
    overdue: bool
    due_soon: bool
    provenance: str | None
    footnote: int | None
    easy_lines: list[str]
    easy_from_title: bool
    picture: Picture | None
    section_titles: list[str]
    section_ref: str  # short: "Theme 3, priority 1"
    path: tuple[str | int, ...]
    source: Item  # the raw item, for templates that need a field not shown here
    closed: Closure | None = None  # the plan's or a section's closure, if it had begun by as_of
    scale_id: str | None = None  # the item's rating scale (its own, else its nearest section's)


@dataclass(slots=True)
class SectionView:
    id: str
    number: str | None
    kind: str
    title: str
    text: str | None
    depth: int
    intended_outcomes: list[str]
    success_measures: list[str]
    lead_label: str | None
    provenance: str | None
    footnote: int | None
    easy_lines: list[str]
    picture: Picture | None
    source: Section
    items: list[ItemView] = field(default_factory=list)
    sections: list[SectionView] = field(default_factory=list)
    path: tuple[str | int, ...] = ()  # YAML path of the section in its file

    @property
    def heading(self) -> str:
        if not self.number:
            return self.title
        return f"{self.number} {self.title}" if "." in self.number else f"{self.number}. {self.title}"

    def all_items(self) -> list[ItemView]:
        out = list(self.items)
        for s in self.sections:
            out.extend(s.all_items())
        return out


@dataclass(frozen=True, slots=True)
class RatingColumn:
    label: str
    badge: str
    colour: str | None


@dataclass(frozen=True, slots=True)
class CountRow:
    title: str
    counts: list[int]
    unrated: int
    total: int


@dataclass(frozen=True, slots=True)
class GanttTask:
    name: str
    id: str
    tag: str  # "", "done", "crit" (overdue), "active" (due soon)
    start: str
    end: str


@dataclass(frozen=True, slots=True)
class GanttSection:
    title: str
    tasks: list[GanttTask]


@dataclass(frozen=True, slots=True)
class GlossaryView:
    term: str
    meaning: str
    easy: str  # the easy_read meaning, else the meaning


@dataclass(frozen=True, slots=True)
class Footnote:
    number: int
    text: str


@dataclass
class RenderContext:
    """The whole context; templates see its fields as top-level names too."""

    plan: Plan
    as_of: date
    as_of_words: str
    title: str
    section: SectionView | None  # the --section chosen, if any
    sections: list[SectionView]
    items: list[ItemView]
    actions: list[ItemView]
    overdue: list[ItemView]
    due_soon: list[ItemView]
    due_soon_until: str
    without_lead: list[ItemView]
    without_deadline: list[ItemView]
    rating_columns: list[RatingColumn]
    count_rows: list[CountRow]
    count_total: CountRow
    gantt: list[GanttSection]
    glossary: list[GlossaryView]
    easy_glossary: list[GlossaryView]
    unexplained_acronyms: list[str]
    footnotes: list[Footnote]
    picture_credits: list[str]
    cover_picture: Picture | None
    words_picture: Picture | None
    date_picture: Picture | None
    picture_warnings: list[str]
    easy_fallbacks: int
    easy_pages: int
    max_pages: int = HANDOUT_MAX_PAGES
    handout: Handout | None = None  # the easy-read handout's structure (planctl.handout)
    contact_picture: Picture | None = None
    picture_choices: list[tuple[str, Choice]] = field(default_factory=list)  # idea -> picture, and why
    draft: bool = False  # render --draft: the handout says "Draft: not yet checked" on every page
    # Closed work: the plan's closure (if it had begun by as_of) and how many actions of
    # closed plans or sections the work lists above leave out (0 with include_closed).
    closed: Closure | None = None
    closed_left_out: int = 0

    def as_dict(self) -> dict[str, object]:
        """Top-level template names: each field, plus ``ctx`` for the whole object."""
        out: dict[str, object] = {name: getattr(self, name) for name in self.__dataclass_fields__}
        out["ctx"] = self
        return out


class SectionNotFoundError(LookupError):
    def __init__(self, wanted: str, known: Sequence[str]) -> None:
        super().__init__(f"no section {wanted!r} in this plan; sections: {', '.join(known) or 'none'}")


# --- small pure helpers -------------------------------------------------------------


def easy_when(deadline: FuzzyDate | None, repeats: str | None) -> str:
    """When, in easy words: a month or a day in words, "By <month>" for longer periods."""
    if repeats:
        return repeats[0].upper() + repeats[1:]
    if deadline is None:
        return NOT_SAID
    if not deadline.resolved or deadline.start is None or deadline.end is None:
        return deadline.text
    if deadline.precision is Precision.DAY:
        return day_words(deadline.end)
    if deadline.precision is Precision.MONTH:
        return month_words(deadline.end)
    return f"By {month_words(deadline.end)}"


def rating_view(scale: Scale | None, status: str) -> RatingView:
    """``status`` read on ``scale``, as templates show it."""
    return RatingView(status, rating_on(scale, status))


def colour_hex(colour: str | None) -> str | None:
    if colour is None:
        return None
    c = colour.strip().lower()
    if re.fullmatch(r"#[0-9a-f]{6}|#[0-9a-f]{3}", c):
        return c
    return _COLOUR_HEX.get(c)


def _circle(colour: str | None, key: str) -> str:
    for word in (colour or "", key):
        w = word.strip().lower()
        if w in _CIRCLES:
            return _CIRCLES[w]
        if w.startswith("#") and len(w) == 7:
            r, g, b = (int(w[i : i + 2], 16) for i in (1, 3, 5))
            if g > r and g > b:
                return "🟢"
            if r > 180 and g > 100:
                return "🟠" if g < 200 else "🟡"
            if r > g and r > b:
                return "🔴"
            if b > r and b > g:
                return "🔵"
    return "⚪"


def mermaid_text(text: str, limit: int = 60) -> str:
    """Text safe inside a Mermaid gantt line: no ':', ';', '#', backticks, brackets or breaks."""
    cleaned = re.sub(r"[:;#`<>{}\[\]]", " ", text)
    cleaned = " ".join(cleaned.split())
    if _MERMAID_KEYWORD.match(cleaned):
        cleaned = f"Task {cleaned}"
    if len(cleaned) > limit:
        cleaned = cleaned[: limit - 1].rstrip() + "…"
    return cleaned or "untitled"


def short_heading(section: SectionView, limit: int = 70) -> str:
    """A table-cell heading: "Priority 3: Leaders across the partnership should…"."""
    title = section.title if len(section.title) <= limit else section.title[: limit - 1].rstrip() + "…"
    if not section.number:
        return title
    return f"{section.kind.replace('-', ' ').capitalize()} {section.number}: {title}"


def section_ref(chain: Sequence[Section]) -> str:
    """A short reference for table cells: numbers where sections have them, else short titles."""
    parts: list[str] = []
    for i, s in enumerate(chain):
        if s.number:
            kind = s.kind.replace("-", " ")
            parts.append(f"{kind.capitalize() if i == 0 else kind} {s.number}")
        else:
            parts.append(s.title if len(s.title) <= 40 else s.title[:39].rstrip() + "…")
    return ", ".join(parts)


def _lead_labels(leads: Iterable[Lead]) -> list[str]:
    return [lead.label() for lead in leads]


# --- building -----------------------------------------------------------------------


@dataclass
class _Builder:
    plan: Plan
    as_of: date
    pictures: PictureSet | None
    soon_end: date
    include_closed: bool = True
    footnotes: list[Footnote] = field(default_factory=list)
    picture_warnings: list[str] = field(default_factory=list)
    picture_choices: list[tuple[str, Choice]] = field(default_factory=list)

    def footnote(self, text: str | None) -> int | None:
        if not text:
            return None
        n = len(self.footnotes) + 1
        self.footnotes.append(Footnote(n, text))
        return n

    def picture(self, where: str, explicit: str | None, texts: Sequence[str]) -> Picture | None:
        if self.pictures is None:
            return None
        choice = self.pictures.pick(explicit, texts)
        if choice.warning:
            self.picture_warnings.append(f"{where}: {choice.warning}")
        self.picture_choices.append((where, choice))
        return choice.picture

    def rating(self, status: str | None, scale_id: str | None) -> RatingView | None:
        """``status`` (the item's rating as of the report's day) on the item's scale."""
        if status is None:
            return None
        return rating_view(self.plan.scale(scale_id), status)

    def item(self, item: Item, chain: tuple[Section, ...], path: tuple[str | int, ...]) -> ItemView:
        located = Located(item, chain, path)
        leads = located.leads
        named = [lead for lead in leads if not is_tbc(lead)]  # the handout names the Council too
        step = self.plan.rating_of(item, self.as_of)  # a rating given after as_of is not shown
        rating = self.rating(step.status if step else None, located.scale_id)
        done = rating.done if rating else False
        deadline = item.deadline
        end = deadline.end if deadline is not None and deadline.resolved else None
        actionable = item.actionable
        closed = closure_of(self.plan, chain, self.as_of)
        live = closed is None or self.include_closed  # closed work left out is not late, nor due
        overdue = live and is_overdue_action(
            deadline if end is not None else None, done=done, actionable=actionable, as_of=self.as_of
        )
        due_soon = live and actionable and not done and end is not None and self.as_of <= end <= self.soon_end
        repeats = item.repeats.words() if item.repeats else None
        when = deadline.words() if deadline else (repeats or "No deadline")
        easy_source = item.easy_read or item.title
        texts = [
            " ".join(item.tags),
            item.easy_read or "",
            item.title,
            " ".join(s.title for s in chain[::-1]),
        ]
        return ItemView(
            id=item.id,
            number=item.number,
            kind=item.kind,
            title=item.title,
            text=item.text,
            actionable=actionable,
            outcomes=[OutcomeView(o.text, o.deadline.words() if o.deadline else None) for o in item.outcomes],
            deadline=deadline,
            when=when,
            easy_when=easy_when(deadline, repeats),
            easy_who=", ".join(_lead_labels(named)) if named else TO_BE_CONFIRMED if leads else NOT_SAID,
            repeats=repeats,
            leads=_lead_labels(leads),
            lead_label="; ".join(_lead_labels(leads)) or NO_LEAD_LABEL,
            lead_inherited=bool(leads) and not item.leads,
            has_lead=any(self.plan.names_somebody(lead) for lead in leads),
            status=step.status if step else None,
            status_date=step.date if step else None,
            rating=rating,
            done=done,
            overdue=overdue,
            due_soon=due_soon,
            provenance=item.provenance.words() if item.provenance else None,
            footnote=self.footnote(item.provenance.words() if item.provenance else None),
            easy_lines=readability.sentences(easy_source),
            easy_from_title=item.easy_read is None,
            picture=self.picture(f"item {item.id}", item.picture, texts),
            section_titles=[s.title for s in chain],
            section_ref=section_ref(chain),
            path=path,
            source=item,
            closed=closed,
            scale_id=located.scale_id,
        )

    def section(
        self, section: Section, parents: tuple[Section, ...], path: tuple[str | int, ...]
    ) -> SectionView:
        chain = (*parents, section)
        view = SectionView(
            id=section.id,
            number=section.number,
            kind=section.kind,
            title=section.title,
            text=section.text,
            depth=len(parents),
            intended_outcomes=list(section.intended_outcomes),
            success_measures=list(section.success_measures),
            lead_label="; ".join(_lead_labels(section.leads)) or None,
            provenance=section.provenance.words() if section.provenance else None,
            footnote=self.footnote(section.provenance.words() if section.provenance else None),
            easy_lines=readability.sentences(section.easy_read or section.title),
            picture=self.picture(
                f"section {section.id}",
                section.picture,
                [" ".join(section.tags), section.easy_read or "", section.title],
            ),
            source=section,
            path=path,
        )
        for j, item in enumerate(section.items):
            view.items.append(self.item(item, chain, (*path, "items", j)))
        for i, child in enumerate(section.sections):
            view.sections.append(self.section(child, chain, (*path, "sections", i)))
        return view


def _find_section(
    sections: list[Section], wanted: str, parents: tuple[Section, ...] = (), path: tuple[str | int, ...] = ()
) -> tuple[Section, tuple[Section, ...], tuple[str | int, ...]] | None:
    for i, s in enumerate(sections):
        here = (*path, "sections", i)
        if s.id == wanted:
            return s, parents, here
        found = _find_section(s.sections, wanted, (*parents, s), here)
        if found:
            return found
    return None


def _section_ids(sections: list[Section]) -> list[str]:
    out: list[str] = []
    for s in sections:
        out.append(s.id)
        out.extend(_section_ids(s.sections))
    return out


def _rating_columns(plan: Plan, items: list[ItemView]) -> list[RatingColumn]:
    used = {i.rating.label for i in items if i.rating}
    columns: list[RatingColumn] = []
    seen: set[str] = set()
    for scale in plan.scales:
        for v in scale.values:
            if v.label in used and v.label not in seen:
                seen.add(v.label)
                columns.append(
                    RatingColumn(v.label, f"{_circle(v.colour, v.key)} {v.label}", colour_hex(v.colour))
                )
    for i in items:  # statuses that are on no scale still get counted
        if i.rating and i.rating.label not in seen:
            seen.add(i.rating.label)
            columns.append(RatingColumn(i.rating.label, i.rating.badge, i.rating.colour))
    return columns


def _count_row(title: str, items: list[ItemView], columns: list[RatingColumn]) -> CountRow:
    actions = [i for i in items if i.actionable]
    counts = [sum(1 for i in actions if i.rating and i.rating.label == c.label) for c in columns]
    unrated = sum(1 for i in actions if i.rating is None)
    return CountRow(title, counts, unrated, len(actions))


def _gantt(sections: list[SectionView], include_closed: bool = True) -> list[GanttSection]:
    out: list[GanttSection] = []
    n = 0
    for top in sections:
        tasks: list[GanttTask] = []
        for i in top.all_items():
            d = i.deadline
            if not i.actionable or d is None or d.start is None or d.end is None:
                continue
            if i.closed is not None and not include_closed:
                continue
            n += 1
            tag = "done" if i.done else "crit" if i.overdue else "active" if i.due_soon else ""
            label = f"{i.number or i.id} {i.title}"
            tasks.append(
                GanttTask(
                    mermaid_text(label),
                    f"t{n}",
                    tag,
                    d.start.isoformat(),
                    add_clamped(d.end, timedelta(days=1)).isoformat(),  # Mermaid's end is exclusive
                )
            )
        if tasks:
            out.append(GanttSection(mermaid_text(short_heading(top, 28), 40), tasks))
    return out


def _handout_lines(sections: list[SectionView]) -> Iterable[str]:
    for s in sections:
        yield from s.easy_lines
        for i in s.items:
            yield from i.easy_lines
            yield from i.leads
        yield from _handout_lines(s.sections)


def _named(pictures: PictureSet | None, name: str) -> Picture | None:
    if pictures is None:
        return None
    return pictures.get(name) or pictures.pictures[pictures.default]


def build_context(
    plan: Plan,
    as_of: date,
    *,
    section: str | None = None,
    pictures: PictureSet | None = None,
    include_closed: bool = True,
    handout: bool = True,
) -> RenderContext:
    """Everything the templates show, for the whole plan or one section (any depth).

    ``sections`` and ``items`` are the plan as written, always whole (a handout is the
    document); without ``include_closed`` the work lists a report counts (``actions``,
    overdue, due soon, gaps, counts by section, timeline) leave out closed work. Without
    ``handout``, the easy-read handout and what is worked out from its words are left to
    :func:`add_handout` (a website builds them where it renders the easy-read page).
    """
    soon = add_clamped(as_of, relativedelta(months=DUE_SOON_MONTHS))
    builder = _Builder(plan, as_of, pictures, soon, include_closed)
    chosen: SectionView | None = None
    if section is None:
        tops = [builder.section(s, (), ("sections", i)) for i, s in enumerate(plan.sections)]
    else:
        found = _find_section(plan.sections, section)
        if found is None:
            raise SectionNotFoundError(section, _section_ids(plan.sections))
        chosen = builder.section(*found)
        chosen.depth = 0
        tops = [chosen]
    items = [i for s in tops for i in s.all_items()]

    def work(views: list[ItemView]) -> list[ItemView]:
        return views if include_closed else [i for i in views if i.closed is None]

    actions = [i for i in work(items) if i.actionable]
    closed_left_out = sum(1 for i in items if i.actionable) - len(actions)

    def by_deadline(i: ItemView) -> tuple[date, date]:
        d = i.deadline
        assert d is not None
        assert d.start is not None
        assert d.end is not None
        return d.end, d.start

    columns = _rating_columns(plan, work(items))
    rows_from = tops[0].sections if len(tops) == 1 and tops[0].sections else tops
    rows = [_count_row(short_heading(s), work(s.all_items()), columns) for s in rows_from]
    if len(tops) == 1 and tops[0].items and tops[0].sections:
        rows.insert(0, _count_row(f"{short_heading(tops[0])} (its own items)", work(tops[0].items), columns))
    rows = [r for r in rows if r.total]  # a section of notes or feedback has no actions to count

    glossary = [GlossaryView(g.term, g.meaning, g.easy_read or g.meaning) for g in plan.glossary]
    ctx = RenderContext(
        plan=plan,
        as_of=as_of,
        as_of_words=day_words(as_of),
        title=plan.title,
        section=chosen,
        sections=tops,
        items=items,
        actions=actions,
        overdue=sorted((i for i in actions if i.overdue), key=by_deadline),
        due_soon=sorted((i for i in actions if i.due_soon), key=by_deadline),
        due_soon_until=day_words(builder.soon_end),
        without_lead=[i for i in actions if not i.has_lead],
        without_deadline=[i for i in actions if i.deadline is None and i.repeats is None],
        rating_columns=columns,
        count_rows=rows,
        count_total=_count_row("Total", work(items), columns),
        gantt=_gantt(tops, include_closed),
        glossary=glossary,
        easy_glossary=[],
        unexplained_acronyms=[],
        footnotes=builder.footnotes,
        picture_credits=list(pictures.credits) if pictures else [],
        cover_picture=_named(pictures, "information"),
        words_picture=_named(pictures, "talking"),
        date_picture=_named(pictures, "calendar"),
        contact_picture=_named(pictures, "phone"),
        picture_warnings=builder.picture_warnings,
        picture_choices=builder.picture_choices,
        easy_fallbacks=sum(1 for i in items if i.easy_from_title),
        easy_pages=0,
        closed=closure_of(plan, (), as_of),
        closed_left_out=closed_left_out,
    )
    if handout:
        add_handout(ctx)
    return ctx


def _uses_term(text: str, low: str | None, term: str) -> bool:
    """Whether ``text`` (lines; ``low`` is :func:`lowered` of it) uses the glossary term as
    a word, a plural or with 's, in any case. The pattern runs only on the lines where the
    lower-cased term is found: run over a large plan's whole handout once per term, it was
    most of this work. An ASCII term's match is always in those lines (lowered() is None
    for the only characters that match an ASCII letter without lower-casing to one)."""
    pattern = rf"(?<![\w-]){re.escape(term)}(?:s|'s)?(?![\w-])"
    if low is None or not term.isascii() or "\n" in term:
        return re.search(pattern, text, re.IGNORECASE) is not None
    needle = term.lower()
    at = low.find(needle)
    if at == -1:
        return False
    found = re.compile(pattern, re.IGNORECASE)
    while at != -1:
        start = low.rfind("\n", 0, at) + 1
        end = low.find("\n", at)
        end = len(low) if end == -1 else end
        if found.search(text, start, end) is not None:
            return True
        at = low.find(needle, end)
    return False


def add_handout(ctx: RenderContext) -> None:
    """The context's easy-read handout, the glossary terms its words use, its acronyms no
    term explains, and its estimated pages. Most of a context's cost on a large plan,
    which a website needs only for the plan's easy-read page."""
    from planctl.render.handout import build_handout

    handout_text = "\n".join(_handout_lines(ctx.sections))
    low = lowered(handout_text)
    ctx.easy_glossary = [g for g in ctx.glossary if _uses_term(handout_text, low, g.term)]
    ctx.unexplained_acronyms = readability.unexplained_acronyms(
        handout_text, (g.term for g in ctx.plan.glossary)
    )
    ctx.handout = build_handout(ctx)
    ctx.easy_pages = ctx.handout.pages  # estimated from the handout's own layout

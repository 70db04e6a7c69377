"""The board pack: what a partnership board reads before its meeting.

One or several plans as of a day, and what changed since the last meeting (a revision,
or the last commit on or before a day): ratings per section; ratings up and down,
deadlines slipped, work completed, items new and removed, new notes and decisions (the
:mod:`planctl.core.plandiff` machinery); the exceptions a board asks about; the latest note
of each item; the recommendations awaiting a response; the deadlines coming up.

Pure: plans, their earlier versions and the slips counted over their history come in
as arguments (the CLI reads git); the clock is ``as_of``. Templates only lay out:
``templates/board-pack/pack.md`` (GitHub Markdown, the timeline as a Mermaid block) and
``pack.html`` (print: A4, page numbers, a contents list, the timeline as SVG).
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from planctl.core.dates import add_clamped, day_words, month_words
from planctl.core.models import Plan, Update, closure_of
from planctl.core.plandiff import Change, ChangeKind, diff_plans
from planctl.render.charts import KPIView, kpi_views
from planctl.render.context import (
    GanttSection,
    ItemView,
    RatingView,
    RenderContext,
    build_context,
    rating_view,
)

DEFAULT_STALE_MONTHS = 3
# Words that mean "on track" on a scale that is not a RAG colour scale.
_ON_TRACK_WORDS = ("on track", "on-track", "green")


@dataclass(frozen=True, slots=True)
class NoteView:
    """A progress note (``updates:`` entry) as the pack prints it."""

    date: date
    day: str  # "15 January 2026"
    rating: RatingView | None
    text: str
    by: str | None


@dataclass(frozen=True, slots=True)
class ChangeLine:
    """One change since the last meeting, with the item's reference for the table."""

    ref: str  # the item's number, else its id
    item_id: str
    title: str
    label: str  # "Deadline slipped"
    detail: str  # "April 2026 → July 2026 (+3 months)"
    months: float | None


@dataclass(slots=True)
class ChangeGroups:
    """What changed since the last meeting, in the order a board reads it."""

    worsened: list[ChangeLine] = field(default_factory=list)
    slipped: list[ChangeLine] = field(default_factory=list)
    improved: list[ChangeLine] = field(default_factory=list)
    first_rated: list[ChangeLine] = field(default_factory=list)
    completed: list[ChangeLine] = field(default_factory=list)
    added: list[ChangeLine] = field(default_factory=list)
    removed: list[ChangeLine] = field(default_factory=list)
    notes: list[ChangeLine] = field(default_factory=list)
    decisions: list[ChangeLine] = field(default_factory=list)
    other: list[ChangeLine] = field(default_factory=list)

    def groups(self) -> list[tuple[str, list[ChangeLine]]]:
        """(heading, lines) for each kind of change, empty ones included."""
        return [
            ("Ratings down", self.worsened),
            ("Deadlines slipped", self.slipped),
            ("Ratings up", self.improved),
            ("Rated for the first time", self.first_rated),
            ("Completed", self.completed),
            ("New items", self.added),
            ("Removed items", self.removed),
            ("New notes", self.notes),
            ("Decisions and responses", self.decisions),
            ("Other changes", self.other),
        ]

    @property
    def count(self) -> int:
        return sum(len(lines) for _, lines in self.groups())


@dataclass(frozen=True, slots=True)
class Flagged:
    """An item the board should ask about, and why."""

    item: ItemView
    why: str


@dataclass(slots=True)
class Exceptions:
    overdue_on_track: list[Flagged] = field(default_factory=list)
    stale: list[Flagged] = field(default_factory=list)
    stale_note: str | None = None  # one sentence instead of a list, when nothing has ever been updated
    slipped_twice: list[Flagged] = field(default_factory=list)
    no_lead: list[Flagged] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.overdue_on_track) + len(self.stale) + len(self.slipped_twice) + len(self.no_lead)


@dataclass(frozen=True, slots=True)
class Decision:
    """A recommendation awaiting a response: the board's decision to take."""

    item: ItemView
    state: str  # "No response recorded", "Response without a decision"


@dataclass(slots=True)
class PlanPack:
    """One plan's part of the pack."""

    plan: Plan
    file: str
    anchor: str  # the HTML id of its heading, for the contents list
    ctx: RenderContext
    changes: ChangeGroups | None  # None: no --since given, or the plan is new since then
    new_since: bool  # the plan was not there at --since
    exceptions: Exceptions
    decisions: list[Decision]
    notes: list[tuple[ItemView, NoteView]]
    timeline_svgs: list[tuple[str, str]]  # (section title, SVG markup) per top-level section
    kpis: list[KPIView]  # the plan's measures of success as of the meeting, with their trends


@dataclass(slots=True)
class BoardPack:
    """Everything the pack templates show; ``as_dict`` gives them their names."""

    title: str
    as_of: date
    as_of_words: str
    since_label: str | None
    stale_months: int
    plans: list[PlanPack]
    left_out: list[str]  # closed plans not reported, in words

    def as_dict(self) -> dict[str, object]:
        return {"pack": self, "plans": self.plans, "as_of_words": self.as_of_words}


# --- building -------------------------------------------------------------------------


def _note_view(plan: Plan, item: ItemView, update: Update) -> NoteView:
    rating = None
    if update.status:
        found = rating_view(plan.scale(item.scale_id), update.status)
        rating = found if found.rating is not None else None  # a note's status on no scale is not shown
    return NoteView(
        update.date, day_words(update.date), rating, " ".join((update.note or "").split()), update.by
    )


def latest_note(item: ItemView, as_of: date) -> Update | None:
    """The latest ``updates:`` entry dated on or before ``as_of`` (the later one on a tie)."""
    latest: Update | None = None
    for update in item.source.updates_as_of(as_of):
        if latest is None or update.date >= latest.date:
            latest = update
    return latest


def _last_heard(item: ItemView, plan: Plan, as_of: date) -> date | None:
    """The last day anyone reported on the item: a note, or the day its rating was given."""
    days = [u.date for u in item.source.updates_as_of(as_of)]
    if item.status_date is not None and item.status_date <= as_of:
        days.append(item.status_date)
    elif item.status is not None and plan.ratings_as_of is not None and plan.ratings_as_of <= as_of:
        days.append(plan.ratings_as_of)
    return max(days) if days else None


def _on_track(rating: RatingView | None) -> bool:
    """Rated as going to plan and not done: a green rating, or one whose label or meaning on
    its scale says "on track" (the SEND plan's Amber is "Actions on track and expected
    impact on track"), unless it says "not on track" or "off track"."""
    if rating is None or rating.done:
        return False
    words = " ".join((rating.key, rating.label, rating.meaning or "")).casefold()
    if "not on track" in words or "off track" in words:
        return False
    return any(w in words for w in _ON_TRACK_WORDS)


def _line(change: Change, views: Mapping[str, ItemView]) -> ChangeLine:
    view = views.get(change.item_id)
    ref = (view.number or view.id) if view is not None else change.item_id
    return ChangeLine(ref, change.item_id, change.title, change.kind.label, change.detail(), change.months)


_GROUP_OF = {
    ChangeKind.WORSENED: "worsened",
    ChangeKind.STATUS_CLEARED: "worsened",
    ChangeKind.SLIPPED: "slipped",
    ChangeKind.IMPROVED: "improved",
    ChangeKind.STATUS_SET: "first_rated",
    ChangeKind.ADDED: "added",
    ChangeKind.REMOVED: "removed",
    ChangeKind.NOTE_ADDED: "notes",
    ChangeKind.NOTE_CHANGED: "notes",
    ChangeKind.DECISION_CHANGED: "decisions",
    ChangeKind.DECISION_SET: "decisions",
    ChangeKind.DECISION_CLEARED: "decisions",
    ChangeKind.RESPONSE_CHANGED: "decisions",
}


def group_changes(changes: Iterable[Change], views: Mapping[str, ItemView]) -> ChangeGroups:
    """Sort ``diff`` changes into the board's groups; a rating that became done is "Completed"."""
    out = ChangeGroups()
    for change in changes:
        name = _GROUP_OF.get(change.kind, "other")
        view = views.get(change.item_id)
        if name in ("improved", "first_rated") and view is not None and view.done:
            name = "completed"
        getattr(out, name).append(_line(change, views))
    return out


def _exceptions(
    ctx: RenderContext, plan: Plan, open_actions: list[ItemView], slips: Mapping[str, int], stale_months: int
) -> Exceptions:
    out = Exceptions()
    for item in ctx.overdue:
        if _on_track(item.rating):
            assert item.rating is not None
            out.overdue_on_track.append(Flagged(item, f"due {item.when}; rated {item.rating.label}"))
    since = add_clamped(ctx.as_of, relativedelta(months=-stale_months))
    heard = {i.id: _last_heard(i, plan, ctx.as_of) for i in open_actions}
    if not any(d is not None for d in heard.values()):
        if open_actions:
            out.stale_note = "No open action has a progress note or a dated rating on record."
    else:
        for item in open_actions:
            last = heard[item.id]
            if last is None:
                out.stale.append(Flagged(item, "no update on record"))
            elif last < since:
                out.stale.append(Flagged(item, f"last update {day_words(last)}"))
    for item in open_actions:
        n = slips.get(item.id, 0)
        if n >= 2:
            out.slipped_twice.append(Flagged(item, f"deadline moved later {n} times; now {item.when}"))
        if not item.has_lead:
            out.no_lead.append(Flagged(item, item.section_ref))
    return out


def _decisions(actions: Iterable[ItemView]) -> list[Decision]:
    out = []
    for item in actions:
        if item.kind != "recommendation" or item.done:
            continue
        response = item.source.response
        if response is None:
            out.append(Decision(item, "No response recorded"))
        elif not response.decision:
            out.append(Decision(item, "Response without a decision"))
    return out


def build_plan_pack(
    plan: Plan,
    file: str,
    as_of: date,
    *,
    base: Plan | None,
    since_given: bool,
    slips: Mapping[str, int],
    stale_months: int = DEFAULT_STALE_MONTHS,
    include_closed: bool = False,
    anchor: str = "plan-1",
) -> PlanPack:
    """One plan's pack. ``base`` is the plan at ``--since`` (None: not there then, or no
    ``--since``); ``slips`` counts each item's deadline slips over the plan's history."""
    ctx = build_context(plan, as_of, include_closed=include_closed)
    views = {i.id: i for i in ctx.items}
    open_actions = [i for i in ctx.actions if not i.done]
    changes = None
    if base is not None:
        changes = group_changes(diff_plans(base, plan), views)
    notes = []
    for item in open_actions:
        update = latest_note(item, as_of)
        if update is not None and (update.note or update.status):
            notes.append((item, _note_view(plan, item, update)))
    notes.sort(key=lambda pair: pair[1].date, reverse=True)
    return PlanPack(
        plan=plan,
        file=file,
        anchor=anchor,
        ctx=ctx,
        changes=changes,
        new_since=since_given and base is None,
        exceptions=_exceptions(ctx, plan, open_actions, slips, stale_months),
        decisions=_decisions(ctx.actions),
        notes=notes,
        timeline_svgs=[(g.title, timeline_svg(g, as_of)) for g in ctx.gantt],
        kpis=kpi_views(plan, as_of),
    )


def build_pack(
    plans: Sequence[tuple[str, Plan]],
    as_of: date,
    *,
    bases: Mapping[str, Plan],
    since_label: str | None,
    slips: Mapping[str, Mapping[str, int]],
    stale_months: int = DEFAULT_STALE_MONTHS,
    include_closed: bool = False,
) -> BoardPack:
    """The pack for ``plans`` (file, plan); ``bases`` and ``slips`` are keyed by plan id.

    A plan closed by ``as_of`` is left out (named in ``left_out``) unless ``include_closed``.
    """
    packs: list[PlanPack] = []
    left_out: list[str] = []
    for file, plan in plans:
        closed = closure_of(plan, (), as_of)
        if closed is not None and not include_closed:
            left_out.append(f"{plan.title} ({closed.words()})")
            continue
        packs.append(
            build_plan_pack(
                plan,
                file,
                as_of,
                base=bases.get(plan.id),
                since_given=since_label is not None,
                slips=slips.get(plan.id, {}),
                stale_months=stale_months,
                include_closed=include_closed,
                anchor=f"plan-{len(packs) + 1}",
            )
        )
    title = packs[0].plan.title if len(packs) == 1 else "Partnership board pack"
    return BoardPack(title, as_of, day_words(as_of), since_label, stale_months, packs, left_out)


# --- the timeline as SVG ----------------------------------------------------------------------

_BAR_FILL = {"crit": "#d4351c", "active": "#f47738", "done": "#b1b4b6", "": "#1d70b8"}
_LABEL_W, _PLOT_W, _ROW_H, _TOP = 250.0, 420.0, 16.0, 28.0


def _first_of_month(d: date) -> date:
    return d.replace(day=1)


def timeline_svg(section: GanttSection, as_of: date) -> str:
    """A Gantt chart of one section's dated actions as a self-contained SVG (no script, no
    fonts fetched): the PDF and HTML packs show it where Mermaid cannot run.

    Bars: red overdue, orange due in the next three months, grey done, blue the rest; a
    dashed line marks ``as_of``. Every piece of plan text is escaped.
    """
    tasks = section.tasks
    starts = [date.fromisoformat(t.start) for t in tasks]
    ends = [date.fromisoformat(t.end) for t in tasks]
    first = _first_of_month(min([*starts, as_of]))
    last = max([*ends, as_of + timedelta(days=1)])
    span = max((last - first).days, 1)

    def x(d: date) -> float:
        return _LABEL_W + _PLOT_W * (d - first).days / span

    height = _TOP + _ROW_H * len(tasks) + 8
    width = _LABEL_W + _PLOT_W + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" role="img" aria-label="{html.escape(section.title)} timeline" '
        'font-family="sans-serif" font-size="9">'
    ]
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    step = max(1, -(-months // 8))  # at most about eight labels
    tick = first
    while tick <= last:
        tx = x(tick)
        parts.append(
            f'<line x1="{tx:.1f}" y1="{_TOP - 6:.1f}" x2="{tx:.1f}" y2="{height - 4:.1f}" stroke="#dddddd"/>'
        )
        parts.append(
            f'<text x="{tx + 2:.1f}" y="{_TOP - 10:.1f}" fill="#505a5f">{month_words(tick)[:3]} {tick.year}</text>'
        )
        tick = add_clamped(tick, relativedelta(months=step))
    for n, (task, start, end) in enumerate(zip(tasks, starts, ends, strict=True)):
        y = _TOP + _ROW_H * n
        x0, x1 = x(start), x(end)
        label = task.name if len(task.name) <= 48 else task.name[:47] + "…"
        parts.append(f'<text x="4" y="{y + 10:.1f}" fill="#0b0c0c">{html.escape(label)}</text>')
        parts.append(
            f'<rect x="{x0:.1f}" y="{y + 2:.1f}" width="{max(x1 - x0, 2.0):.1f}" height="{_ROW_H - 5:.1f}" '
            f'fill="{_BAR_FILL.get(task.tag, _BAR_FILL[""])}"><title>{html.escape(task.name)}</title></rect>'
        )
    ax = x(as_of)
    parts.append(
        f'<line x1="{ax:.1f}" y1="{_TOP - 6:.1f}" x2="{ax:.1f}" y2="{height - 4:.1f}" stroke="#0b0c0c" '
        'stroke-dasharray="3,2"/>'
    )
    parts.append("</svg>")
    return "".join(parts)

"""What changed in meaning between two versions of a plan.

A text diff of YAML tells a board secretary that line 212 changed; this module says
that action A1's deadline slipped from April 2026 to July 2026. It compares two
:class:`~planctl.core.models.Plan` values (pure: no git, no files, no clock) and yields typed
:class:`Change` records, ordered most serious first, plus the plain renderings (text,
Markdown for a pull-request comment, JSON) that the CLI prints.

Conventions, documented in the README:

* Items are matched by ``id``; plans by plan ``id``, so renamed files still pair up.
* A deadline is the item's effective deadline (its own ``due``, else the earliest
  outcome deadline). Moves compare interval *ends*, in calendar months, one decimal;
  when both ends are the last day of a month the move is a whole number of months.
* Ratings are ordered by :func:`rating_ranks`.
"""

from __future__ import annotations

import calendar
import itertools
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any, ClassVar

from dateutil.relativedelta import relativedelta

from planctl.core.dates import FuzzyDate, find_date
from planctl.core.models import (
    NO_LEAD_LABEL,
    Closure,
    Located,
    Plan,
    Response,
    Scale,
    ScaleValue,
    Section,
    Update,
    walk_items,
    walk_sections,
)
from planctl.core.revision import Commit

__all__ = [
    "Change",
    "ChangeKind",
    "DiffReport",
    "PlanDiff",
    "diff_item",
    "diff_plan_sets",
    "diff_plans",
    "month_move",
    "months_words",
    "rating_ranks",
    "render_json",
    "render_markdown",
    "render_text",
]


class ChangeKind(StrEnum):
    """Kinds of change, declared from most to least serious: the report's sort order."""

    SLIPPED = "slipped"
    WORSENED = "worsened"
    REMOVED = "removed"
    STATUS_CLEARED = "status-cleared"
    DUE_REMOVED = "due-removed"
    DEADLINE_REMOVED = "deadline-removed"
    LEAD_REMOVED = "lead-removed"
    MOVED = "moved"
    LEAD_CHANGED = "lead-changed"
    RATING_CHANGED = "rating-changed"
    DEADLINE_CHANGED = "deadline-changed"
    STATUS_SET = "status-set"
    LEAD_ADDED = "lead-added"
    DUE_ADDED = "due-added"
    DEADLINE_ADDED = "deadline-added"
    ADDED = "added"
    IMPROVED = "improved"
    PULLED_IN = "pulled-in"
    TITLE_CHANGED = "title-changed"
    OUTCOME_CHANGED = "outcome-changed"
    DEADLINE_REWORDED = "deadline-reworded"
    # Records around the item (see _record_changes): decisions, responses, notes, text.
    DECISION_CHANGED = "decision-changed"
    DECISION_CLEARED = "decision-cleared"
    DECISION_SET = "decision-set"
    RESPONSE_CHANGED = "response-changed"
    NOTE_REMOVED = "note-removed"
    NOTE_CHANGED = "note-changed"
    NOTE_ADDED = "note-added"
    TEXT_CHANGED = "text-changed"
    # A plan or section closed or reopened (see _closure_changes).
    CLOSED = "closed"
    REOPENED = "reopened"
    # Measures of success (planctl.core.kpi_diff): their own kinds, after the items'.
    KPI_TARGET_CHANGED = "kpi-target-changed"
    KPI_FIGURE_CHANGED = "kpi-figure-changed"
    KPI_FIGURE_REMOVED = "kpi-figure-removed"
    KPI_FIGURE_ADDED = "kpi-figure-added"
    KPI_ADDED = "kpi-added"
    KPI_REMOVED = "kpi-removed"

    @property
    def rank(self) -> int:
        return _ORDER.index(self)

    @property
    def label(self) -> str:
        return _LABELS[self]


_ORDER = list(ChangeKind)
_LABELS = {
    ChangeKind.SLIPPED: "Deadline slipped",
    ChangeKind.WORSENED: "Rating worsened",
    ChangeKind.REMOVED: "Item removed",
    ChangeKind.STATUS_CLEARED: "Rating cleared",
    ChangeKind.DUE_REMOVED: "Due date removed",
    ChangeKind.DEADLINE_REMOVED: "Deadline removed",
    ChangeKind.LEAD_REMOVED: "Lead removed",
    ChangeKind.MOVED: "Moved to another section",
    ChangeKind.LEAD_CHANGED: "Lead changed",
    ChangeKind.RATING_CHANGED: "Rating changed",
    ChangeKind.DEADLINE_CHANGED: "Deadline changed",
    ChangeKind.STATUS_SET: "Rating set",
    ChangeKind.LEAD_ADDED: "Lead added",
    ChangeKind.DUE_ADDED: "Due date added",
    ChangeKind.DEADLINE_ADDED: "Deadline added",
    ChangeKind.ADDED: "Item added",
    ChangeKind.IMPROVED: "Rating improved",
    ChangeKind.PULLED_IN: "Deadline brought forward",
    ChangeKind.TITLE_CHANGED: "Title changed",
    ChangeKind.OUTCOME_CHANGED: "Outcome changed",
    ChangeKind.DEADLINE_REWORDED: "Deadline reworded",
    ChangeKind.DECISION_CHANGED: "Decision changed",
    ChangeKind.DECISION_CLEARED: "Decision cleared",
    ChangeKind.DECISION_SET: "Decision recorded",
    ChangeKind.RESPONSE_CHANGED: "Response changed",
    ChangeKind.NOTE_REMOVED: "Note removed",
    ChangeKind.NOTE_CHANGED: "Note changed",
    ChangeKind.NOTE_ADDED: "Note added",
    ChangeKind.TEXT_CHANGED: "Text changed",
    ChangeKind.CLOSED: "Closed",
    ChangeKind.REOPENED: "Reopened",
    ChangeKind.KPI_TARGET_CHANGED: "Measure's target changed",
    ChangeKind.KPI_FIGURE_CHANGED: "Measure's figure changed",
    ChangeKind.KPI_FIGURE_REMOVED: "Measure's figure removed",
    ChangeKind.KPI_FIGURE_ADDED: "Measure's figure recorded",
    ChangeKind.KPI_ADDED: "Measure added",
    ChangeKind.KPI_REMOVED: "Measure removed",
}
# How the summary line counts a kind: (singular, plural).
_NOUNS = {
    ChangeKind.SLIPPED: ("deadline slipped", "deadlines slipped"),
    ChangeKind.WORSENED: ("rating worsened", "ratings worsened"),
    ChangeKind.REMOVED: ("item removed", "items removed"),
    ChangeKind.ADDED: ("item added", "items added"),
    ChangeKind.IMPROVED: ("rating improved", "ratings improved"),
    ChangeKind.PULLED_IN: ("deadline brought forward", "deadlines brought forward"),
    ChangeKind.MOVED: ("item moved", "items moved"),
    ChangeKind.DECISION_CHANGED: ("decision changed", "decisions changed"),
    ChangeKind.DECISION_SET: ("decision recorded", "decisions recorded"),
    ChangeKind.NOTE_ADDED: ("note added", "notes added"),
    ChangeKind.CLOSED: ("plan or section closed", "plans or sections closed"),
    ChangeKind.KPI_FIGURE_ADDED: ("measure figure recorded", "measure figures recorded"),
}


@dataclass(frozen=True, slots=True)
class Change:
    """One change to one item, in words (``before``/``after``) and in data (``*_data``)."""

    kind: ChangeKind
    item_id: str
    title: str
    before: str | None = None
    after: str | None = None
    months: float | None = None
    leads: tuple[str, ...] = ()
    before_data: Any = None
    after_data: Any = None
    order: int = 0  # position of the item in the plan, for a stable sort

    def detail(self) -> str:
        """ "April 2026 → July 2026 (+3 months)", "Amber → Red", "added: Jo Smith"."""
        if self.before is not None and self.after is not None:
            text = f"{self.before} → {self.after}"
        else:
            text = self.after if self.after is not None else self.before or ""
        if self.months is not None:
            text += f" ({months_words(self.months)})"
        return text

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "label": self.kind.label,
            "item": self.item_id,
            "title": self.title,
            "before": self.before_data if self.before_data is not None else self.before,
            "after": self.after_data if self.after_data is not None else self.after,
            "months": self.months,
            "leads": list(self.leads),
            "detail": self.detail(),
        }


def months_words(months: float) -> str:
    """``+3 months``, ``-1 month``, ``+0.5 months``: whole numbers without a decimal."""
    sign = "+" if months > 0 else "-" if months < 0 else "±"
    size = abs(months)
    number = f"{size:.0f}" if size == int(size) else f"{size:.1f}"
    return f"{sign}{number} month{'' if size == 1 else 's'}"


def _is_month_end(d: date) -> bool:
    return d.day == calendar.monthrange(d.year, d.month)[1]


def month_move(old: date, new: date) -> float:
    """Months from ``old`` to ``new`` (negative when earlier), to one decimal.

    Fuzzy deadlines end on a month's last day ("April 2026" ends 30 April), so when
    both do the move is whole months: 30 April to 31 July is 3, not 3.03.
    """
    if _is_month_end(old) and _is_month_end(new):
        return float((new.year * 12 + new.month) - (old.year * 12 + old.month))
    rd = relativedelta(new, old)
    return round(rd.years * 12 + rd.months + rd.days / 30.4375, 1)


# --- rating order -----------------------------------------------------------------

_COLOUR_RANK = {"red": 0, "amber": 1, "yellow": 1, "green": 2, "blue": 3}


def _colour_word(value: ScaleValue) -> int | None:
    for word in (value.key, value.label):
        rank = _COLOUR_RANK.get(word.strip().casefold())
        if rank is not None:
            return rank
    return None


def rating_ranks(scale: Scale) -> dict[str, int]:
    """Each value's key mapped to its rank; a higher rank is a better rating.

    * Done values (``done: true``) always rank above values that are not done.
    * A scale whose every value is a RAG colour (Red, Amber/Yellow, Green, Blue) is
      ordered by colour, Red < Amber < Green < Blue, whatever order it lists them in.
    * Any other scale lists its values from worst to best, the order work progresses
      ("Due to Cabinet", "With Cabinet", "Complete"); but a list whose done values
      come first ("Complete", "In progress", "Not started") is read best to worst.
    """
    values = scale.values
    colours = [_colour_word(v) for v in values]
    if all(c is not None for c in colours):
        base = [c or 0 for c in colours]
    else:
        done_at = [i for i, v in enumerate(values) if v.done]
        open_at = [i for i, v in enumerate(values) if not v.done]
        best_first = bool(done_at and open_at) and (sum(done_at) / len(done_at) < sum(open_at) / len(open_at))
        base = [len(values) - i if best_first else i for i in range(len(values))]
    lift = len(values) + 10
    return {v.key: base[i] + (lift if v.done else 0) for i, v in enumerate(values)}


# --- comparing items ------------------------------------------------------------------


def _section_label(section: Section) -> str:
    return f"{section.number} {section.title}" if section.number else section.title


def _place_words(old: Located, new: Located) -> tuple[str, str]:
    before, after = _section_label(old.sections[-1]), _section_label(new.sections[-1])
    if before == after:
        before = " › ".join(_section_label(s) for s in old.sections)
        after = " › ".join(_section_label(s) for s in new.sections)
    return before, after


def _lead_labels(located: Located) -> tuple[str, ...]:
    return tuple(lead.label() for lead in located.leads)


def _rating_words(plan: Plan, located: Located, value: str) -> tuple[str, Scale | None, ScaleValue | None]:
    scale = plan.scale(located.scale_id)
    found = scale.find(value) if scale else None
    return (found.label if found else value), scale, found


def _deadline_json(d: FuzzyDate | None) -> dict[str, str | None] | None:
    return d.to_json() if d is not None else None


def diff_item(old_plan: Plan, old: Located, new_plan: Plan, new: Located, order: int = 0) -> list[Change]:
    """Every change in meaning to one item between two versions of its plan."""
    changes: list[Change] = []
    title = new.item.title
    leads = _lead_labels(new)

    def add(kind: ChangeKind, before: str | None = None, after: str | None = None, **kw: Any) -> None:
        changes.append(Change(kind, new.item.id, title, before, after, leads=leads, order=order, **kw))

    if tuple(s.id for s in old.sections) != tuple(s.id for s in new.sections):
        add(ChangeKind.MOVED, *_place_words(old, new))
    if old.item.title.strip() != new.item.title.strip():
        add(ChangeKind.TITLE_CHANGED, old.item.title, new.item.title)
    before_rating = len(changes)
    _rating_changes(old_plan, old, new_plan, new, add)
    rating_reported = len(changes) > before_rating
    before_deadlines = len(changes)
    _deadline_changes(old, new, add)
    deadline_reported = len(changes) > before_deadlines
    old_outcomes = [" ".join(o.text.split()) for o in old.item.outcomes]
    new_outcomes = [" ".join(o.text.split()) for o in new.item.outcomes]
    # "... by April 2026" -> "... by July 2026" is the slip already reported, not news.
    only_dates = [_without_date(t) for t in old_outcomes] == [_without_date(t) for t in new_outcomes]
    if old_outcomes != new_outcomes and not (only_dates and deadline_reported):
        add(
            ChangeKind.OUTCOME_CHANGED,
            " / ".join(old_outcomes) or "(none)",
            " / ".join(new_outcomes) or "(none)",
        )
    old_leads, new_leads = _lead_labels(old), _lead_labels(new)
    if old_leads != new_leads:
        if not old_leads:
            add(ChangeKind.LEAD_ADDED, None, "; ".join(new_leads))
        elif not new_leads:
            add(ChangeKind.LEAD_REMOVED, "; ".join(old_leads), None)
        else:
            add(ChangeKind.LEAD_CHANGED, "; ".join(old_leads), "; ".join(new_leads))
    _record_changes(old_plan, old, new_plan, new, add, rating_reported=rating_reported)
    return changes


# --- records around an item: text, decisions and responses, progress notes ---------------


def _same_text(a: str | None, b: str | None) -> bool:
    return " ".join((a or "").split()) == " ".join((b or "").split())


def _record_changes(
    old_plan: Plan, old: Located, new_plan: Plan, new: Located, add: Any, *, rating_reported: bool
) -> None:
    """Changes to what is recorded about an item besides its rating, deadline and lead.

    A board reads the text, the formal response to a recommendation and every progress
    note; a diff that reports none of these says "No changes in meaning" when Cabinet
    rejects a recommendation it had accepted.
    """
    if not _same_text(old.item.text, new.item.text):
        add(ChangeKind.TEXT_CHANGED, old.item.text or "(none)", new.item.text or "(none)")
    _response_changes(old_plan, old.item.response, new_plan, new.item.response, add)
    _note_changes(old_plan, old, new_plan, new, add, rating_reported=rating_reported)


def _decision_words(plan: Plan, response: Response) -> str:
    scale = plan.scale(response.scale or "decision")
    found = scale.find(response.decision) if scale is not None and response.decision else None
    return found.label if found is not None else (response.decision or "")


_RESPONSE_FIELDS = ("text", "action", "timescale", "by", "date")


def _response_changes(
    old_plan: Plan, old: Response | None, new_plan: Plan, new: Response | None, add: Any
) -> None:
    """A decision set, changed or cleared; then each response field whose words changed."""
    before = _decision_words(old_plan, old) if old is not None and old.decision else None
    after = _decision_words(new_plan, new) if new is not None and new.decision else None
    if before is None and after is not None:
        add(ChangeKind.DECISION_SET, None, after)
    elif before is not None and after is None:
        add(ChangeKind.DECISION_CLEARED, before, None)
    elif before is not None and after is not None and before.casefold() != after.casefold():
        add(ChangeKind.DECISION_CHANGED, before, after)
    for name in _RESPONSE_FIELDS:
        was = getattr(old, name) if old is not None else None
        now = getattr(new, name) if new is not None else None
        was_text = str(was) if was is not None else None
        now_text = str(now) if now is not None else None
        if not _same_text(was_text, now_text):
            add(ChangeKind.RESPONSE_CHANGED, f"{name}: {was_text or '(none)'}", now_text or "(none)")


def note_words(plan: Plan, located: Located, update: Update) -> str:
    """``2026-01-15 Amber: Workshop held (by Jo Smith)``: a progress note in one line."""
    bits = [update.date.isoformat()]
    if update.status:
        bits.append(_rating_words(plan, located, update.status)[0])
    head = " ".join(bits)
    text = " ".join((update.note or "").split())
    by = f" (by {update.by})" if update.by else ""
    return f"{head}: {text}{by}" if text else f"{head}{by}"


def _note_key(update: Update) -> tuple[str, str, str, str]:
    return (
        update.date.isoformat(),
        (update.status or "").strip().casefold(),
        " ".join((update.note or "").split()),
        (update.by or "").strip(),
    )


def _note_changes(
    old_plan: Plan, old: Located, new_plan: Plan, new: Located, add: Any, *, rating_reported: bool
) -> None:
    """Notes added, removed or reworded, compared as a multiset (their order is not news).

    A removed note and an added one of the same date are one note changed; one that
    differs only in its rating, when the item's rating change is already reported, is
    that change, not a second line.
    """
    before = Counter(_note_key(u) for u in old.item.updates)
    after = Counter(_note_key(u) for u in new.item.updates)
    gone = before - after
    came = after - before
    if not gone and not came:
        return
    removed, added = _pick(old.item.updates, gone), _pick(new.item.updates, came)
    for update in added:
        partner = next((r for r in removed if r.date == update.date), None)
        if partner is not None:
            removed.remove(partner)
            if rating_reported and _note_key(partner)[2:] == _note_key(update)[2:]:
                continue
            add(
                ChangeKind.NOTE_CHANGED,
                note_words(old_plan, old, partner),
                note_words(new_plan, new, update),
                after_data=update.model_dump(mode="json", exclude_none=True),
            )
        else:
            add(
                ChangeKind.NOTE_ADDED,
                None,
                note_words(new_plan, new, update),
                after_data=update.model_dump(mode="json", exclude_none=True),
            )
    for update in removed:
        add(
            ChangeKind.NOTE_REMOVED,
            note_words(old_plan, old, update),
            None,
            before_data=update.model_dump(mode="json", exclude_none=True),
        )


def _pick(updates: Sequence[Update], wanted: Counter[tuple[str, str, str, str]]) -> list[Update]:
    """The updates counted in ``wanted``, in the file's order."""
    left = Counter(wanted)
    out = []
    for update in updates:
        key = _note_key(update)
        if left[key] > 0:
            left[key] -= 1
            out.append(update)
    return out


def note_changes_of_new_item(plan: Plan, located: Located, order: int = 0) -> list[Change]:
    """An item's notes when it first appears: each is news to whoever reads its history."""
    return [
        Change(
            ChangeKind.NOTE_ADDED,
            located.item.id,
            located.item.title,
            None,
            note_words(plan, located, u),
            leads=_lead_labels(located),
            after_data=u.model_dump(mode="json", exclude_none=True),
            order=order,
        )
        for u in located.item.updates
    ]


def _without_date(text: str) -> str:
    found = find_date(text)
    return text.replace(found.text, "<date>") if found is not None else text


def _rating_changes(old_plan: Plan, old: Located, new_plan: Plan, new: Located, add: Any) -> None:
    before, after = old.item.current_status, new.item.current_status
    if before is None and after is None:
        return
    if before is None:
        add(ChangeKind.STATUS_SET, None, _rating_words(new_plan, new, after or "")[0])
        return
    if after is None:
        add(ChangeKind.STATUS_CLEARED, _rating_words(old_plan, old, before)[0], None)
        return
    b_words, b_scale, b_value = _rating_words(old_plan, old, before)
    a_words, a_scale, a_value = _rating_words(new_plan, new, after)
    same_scale = (
        b_scale is not None
        and a_scale is not None
        and b_scale.id == a_scale.id
        and [v.key for v in b_scale.values] == [v.key for v in a_scale.values]
    )
    if same_scale and b_value is not None and a_value is not None and b_scale is not None:
        if b_value.key == a_value.key:
            return
        ranks = rating_ranks(b_scale)
        worse = ranks[a_value.key] < ranks[b_value.key]
        add(ChangeKind.WORSENED if worse else ChangeKind.IMPROVED, b_words, a_words)
    elif before.strip().casefold() != after.strip().casefold():
        add(ChangeKind.RATING_CHANGED, b_words, a_words)


def _deadline_changes(old: Located, new: Located, add: Any) -> None:
    """One change for one change of the item's effective deadline.

    The effective deadline (own ``due``, else from the outcomes) is what the item is
    held to, so it is compared first: a ``due`` added or removed that moves it is the
    move alone ("Deadline slipped", with months), not a second line. "Due date added"
    or "removed" is reported only when the deadline appears or vanishes with it, or
    when only where the deadline comes from changed.
    """
    old_due, new_due = old.item.due, new.item.due
    od, nd = old.item.deadline, new.item.deadline
    if od is None:
        if new_due is not None:
            add(ChangeKind.DUE_ADDED, None, new_due.words(), after_data=_deadline_json(new_due))
        elif nd is not None:
            add(ChangeKind.DEADLINE_ADDED, None, nd.words(), after_data=_deadline_json(nd))
        return
    if nd is None:
        if old_due is not None:
            add(ChangeKind.DUE_REMOVED, old_due.words(), None, before_data=_deadline_json(old_due))
        else:
            add(ChangeKind.DEADLINE_REMOVED, od.words(), None, before_data=_deadline_json(od))
        return
    if _deadline_moved(od, nd, add):
        return
    # The same deadline, now stated as a due date or now taken from an outcome.
    if old_due is None and new_due is not None:
        add(ChangeKind.DUE_ADDED, None, new_due.words(), after_data=_deadline_json(new_due))
    elif old_due is not None and new_due is None:
        add(
            ChangeKind.DUE_REMOVED,
            old_due.words(),
            f"now from an outcome: {nd.words()}",
            before_data=_deadline_json(old_due),
        )


def _deadline_moved(od: FuzzyDate, nd: FuzzyDate, add: Any) -> bool:
    """Report a move, change or rewording of a deadline present at both sides; True if any."""
    data = {"before_data": _deadline_json(od), "after_data": _deadline_json(nd)}
    if od.end is not None and nd.end is not None:
        if od.end != nd.end:
            months = month_move(od.end, nd.end)
            kind = ChangeKind.SLIPPED if nd.end > od.end else ChangeKind.PULLED_IN
            add(kind, od.words(), nd.words(), months=months, **data)
        elif od.start != nd.start:
            add(ChangeKind.DEADLINE_CHANGED, od.words(), nd.words(), **data)
        elif od.words() != nd.words():
            add(ChangeKind.DEADLINE_REWORDED, od.words(), nd.words(), **data)
        else:
            return False
        return True
    if od.text.strip() != nd.text.strip():
        add(ChangeKind.DEADLINE_CHANGED, od.words(), nd.words(), **data)
        return True
    return False


def _sort_key(change: Change) -> tuple[int, float, int]:
    size = -abs(change.months) if change.months is not None else 0.0
    return (change.kind.rank, size, change.order)


def diff_plans(old: Plan, new: Plan) -> list[Change]:
    """Changes between two versions of one plan, most serious first."""
    old_items = {loc.item.id: loc for loc in walk_items(old)}
    new_items = {loc.item.id: loc for loc in walk_items(new)}
    changes: list[Change] = []
    for order, (item_id, loc) in enumerate(new_items.items()):
        if item_id not in old_items:
            place = "in " + " › ".join(_section_label(s) for s in loc.sections)
            if loc.item.deadline is not None:
                place += f"; deadline {loc.item.deadline.words()}"
            changes.append(
                Change(
                    ChangeKind.ADDED,
                    item_id,
                    loc.item.title,
                    None,
                    place,
                    leads=_lead_labels(loc),
                    order=order,
                )
            )
        else:
            changes.extend(diff_item(old, old_items[item_id], new, loc, order))
    for order, (item_id, loc) in enumerate(old_items.items(), start=len(new_items)):
        if item_id not in new_items:
            place = "was in " + " › ".join(_section_label(s) for s in loc.sections)
            changes.append(
                Change(
                    ChangeKind.REMOVED,
                    item_id,
                    loc.item.title,
                    place,
                    None,
                    leads=_lead_labels(loc),
                    order=order,
                )
            )
    changes.extend(_closure_changes(old, new))
    from planctl.core.kpi_diff import diff_kpis

    changes.extend(diff_kpis(old, new, start=len(new_items) + len(old_items)))
    return sorted(changes, key=_sort_key)


def _closure_changes(old: Plan, new: Plan) -> list[Change]:
    """The plan or a section closed, reopened, or its closure restated: queries and
    reports leave closed work out, so a closure is news to everyone reading them."""
    before: dict[str, Closure | None] = {old.id: old.closed}
    before.update({s.id: s.closed for s, _, _ in walk_sections(old.sections)})
    after: list[tuple[str, str, Closure | None]] = [(new.id, new.title, new.closed)]
    after += [(s.id, _section_label(s), s.closed) for s, _, _ in walk_sections(new.sections)]
    out: list[Change] = []
    for order, (ident, title, now) in enumerate(after):
        was = before.get(ident)
        was_words = was.words() if was is not None else None
        now_words = now.words() if now is not None else None
        if was_words == now_words:
            continue
        if now is None:
            out.append(Change(ChangeKind.REOPENED, ident, title, was_words, None, order=order))
        else:
            out.append(Change(ChangeKind.CLOSED, ident, title, was_words, now_words, order=order))
    return out


# --- comparing sets of plans ----------------------------------------------------------


@dataclass(slots=True)
class PlanDiff:
    """One plan's changes; ``state`` is changed, unchanged, added or removed."""

    plan_id: str
    title: str
    state: str
    base_file: str | None
    head_file: str | None
    items: int
    changes: list[Change] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.plan_id,
            "title": self.title,
            "state": self.state,
            "base_file": self.base_file,
            "head_file": self.head_file,
            "items": self.items,
            "changes": [c.to_json() for c in self.changes],
        }


@dataclass(slots=True)
class DiffReport:
    """Everything one ``planctl diff`` run found, ready to render."""

    base_label: str
    head_label: str
    plans: list[PlanDiff]
    unreadable: list[str] = field(default_factory=list)  # files invalid at a side

    @property
    def changes(self) -> list[Change]:
        return [c for p in self.plans for c in p.changes]

    def count(self, kind: ChangeKind) -> int:
        return sum(1 for c in self.changes if c.kind is kind)

    def summary(self) -> str:
        """One line: the serious counts first, then everything else as "other changes"."""
        counts = Counter(c.kind for c in self.changes)
        parts = []
        for kind, (one, many) in _NOUNS.items():
            n = counts.pop(kind, 0)
            if n:
                parts.append(f"{n} {one if n == 1 else many}")
        other = sum(counts.values())
        if other:
            parts.append(f"{other} other change{'s' if other != 1 else ''}")
        added = [p for p in self.plans if p.state == "added"]
        removed = [p for p in self.plans if p.state == "removed"]
        if added:
            parts.append(f"{len(added)} new plan{'s' if len(added) != 1 else ''}")
        if removed:
            parts.append(f"{len(removed)} plan{'s' if len(removed) != 1 else ''} removed")
        if not parts:
            return "No changes in meaning to the plans."
        changed = sum(1 for p in self.plans if p.state != "unchanged")
        return (
            f"{', '.join(parts)} in {changed} of {len(self.plans)} plan{'s' if len(self.plans) != 1 else ''}."
        )


def _item_count(plan: Plan) -> int:
    return sum(1 for _ in walk_items(plan))


def diff_plan_sets(base: Iterable[tuple[str, Plan]], head: Iterable[tuple[str, Plan]]) -> list[PlanDiff]:
    """Pair plans by id across two sides of (file, plan) and diff each pair."""
    old: dict[str, tuple[str, Plan]] = {}
    new: dict[str, tuple[str, Plan]] = {}
    for side, pairs in ((old, base), (new, head)):
        for file, plan in pairs:
            side.setdefault(plan.id, (file, plan))  # the first file wins; callers report duplicates
    out: list[PlanDiff] = []
    for plan_id, (file, plan) in new.items():
        if plan_id in old:
            old_file, old_plan = old[plan_id]
            changes = diff_plans(old_plan, plan)
            state = "changed" if changes else "unchanged"
            out.append(PlanDiff(plan_id, plan.title, state, old_file, file, _item_count(plan), changes))
        else:
            out.append(PlanDiff(plan_id, plan.title, "added", None, file, _item_count(plan)))
    for plan_id, (file, plan) in old.items():
        if plan_id not in new:
            out.append(PlanDiff(plan_id, plan.title, "removed", file, None, _item_count(plan)))
    rank = {"changed": 0, "added": 1, "removed": 2, "unchanged": 3}
    return sorted(out, key=lambda p: (rank[p.state], _worst(p), p.plan_id))


def _worst(p: PlanDiff) -> int:
    return min((c.kind.rank for c in p.changes), default=len(_ORDER))


# --- rendering --------------------------------------------------------------------------


def _clip(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _plan_state_words(p: PlanDiff) -> str:
    if p.state == "added":
        return f"New plan ({p.items} item{'s' if p.items != 1 else ''}) in {p.head_file}."
    if p.state == "removed":
        return f"Plan removed (it had {p.items} item{'s' if p.items != 1 else ''}; was {p.base_file})."
    if p.base_file != p.head_file and p.base_file and p.head_file:
        return f"File renamed: {p.base_file} → {p.head_file}."
    return ""


def _md_cell(text: str) -> str:
    """Inert Markdown: no raw HTML, links or table-breaking pipes from plan text."""
    from planctl.core.text import md_text

    return md_text(_clip(text), line_start=False)


def render_markdown(report: DiffReport) -> str:
    """A pull-request comment: summary line, then one table per changed plan."""
    lines = [
        f"### Plan changes: {report.base_label} → {report.head_label}",
        "",
        f"**{report.summary()}**",
        "",
    ]
    for name in report.unreadable:
        lines += [f"> **Could not read {name}**: it is not a valid plan there; run `planctl validate`.", ""]
    for p in report.plans:
        if p.state == "unchanged":
            continue
        lines += [f"#### {_md_cell(p.title)}", ""]
        note = _plan_state_words(p)
        if note:
            lines += [note, ""]
        if p.changes:
            lines += ["| Item | Change | Details |", "| --- | --- | --- |"]
            for c in p.changes:
                item = f"**{_md_cell(c.item_id)}** {_md_cell(c.title)}"
                lines.append(f"| {item} | {c.kind.label} | {_md_cell(c.detail())} |")
            lines.append("")
    unchanged = [p.title for p in report.plans if p.state == "unchanged"]
    if unchanged:
        lines += [f"No changes: {_md_cell(', '.join(unchanged))}.", ""]
    return "\n".join(lines).rstrip() + "\n"


def render_text(report: DiffReport) -> str:
    """For a terminal: one line per change, grouped by plan."""
    lines = [f"Comparing {report.base_label} with {report.head_label}", report.summary()]
    for name in report.unreadable:
        lines.append(f"could not read {name}: not a valid plan there (problems above)")
    for p in report.plans:
        if p.state == "unchanged":
            continue
        lines += ["", f"{p.title} ({p.plan_id})"]
        note = _plan_state_words(p)
        if note:
            lines.append(f"  {note}")
        for c in p.changes:
            lines.append(f"  {c.item_id}  {c.kind.label}: {_clip(c.detail())}")
            lines.append(f"      {_clip(c.title, 100)}")
    return "\n".join(lines) + "\n"


def render_json(report: DiffReport) -> str:
    counts = Counter(c.kind.value for c in report.changes)
    data = {
        "base": report.base_label,
        "head": report.head_label,
        "summary": report.summary(),
        "counts": dict(sorted(counts.items())),
        "unreadable": report.unreadable,
        "plans": [p.to_json() for p in report.plans],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


# --- an item through the history ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Revision:
    """A plan file as it was at one commit: the plan, or why it could not be read."""

    commit: Commit
    plan: Plan | None
    problem: str | None = None


class CommitEntry:
    """What every history entry (an item's, a measure's) shares: the commit, the changes
    it made, an optional note in their place, and how those read and serialise. A mixin
    without state, so each entry stays a slotted dataclass with its own fields."""

    __slots__ = ()
    commit: Commit
    changes: list[Change]
    note: str | None
    CLIP: ClassVar[int | None] = None  # longest change detail shown by what()

    def what(self) -> str:
        """The note, else each change as ``kind: detail``."""
        if self.note:
            return self.note
        clip = self.CLIP
        return "; ".join(
            f"{c.kind.label}: {_clip(c.detail(), clip) if clip else c.detail()}"
            if c.detail()
            else c.kind.label
            for c in self.changes
        )

    def state_json(self) -> dict[str, Any]:
        """The subject's state after the commit (rating, figures...), for :meth:`to_json`."""
        return {}

    def to_json(self) -> dict[str, Any]:
        c = self.commit
        return {
            "commit": c.sha,
            "short": c.short,
            "date": c.date,
            "author": c.author,
            "subject": c.subject,
            "file": c.path,
            **self.state_json(),
            "changes": [ch.to_json() for ch in self.changes],
            "note": self.note,
        }


@dataclass(slots=True)
class HistoryEntry(CommitEntry):
    """One commit that changed an item: its state after the commit and what changed."""

    commit: Commit
    rating: str | None
    deadline: FuzzyDate | None
    leads: tuple[str, ...]
    changes: list[Change]
    note: str | None = None
    CLIP: ClassVar[int | None] = 90

    def state_json(self) -> dict[str, Any]:
        return {"rating": self.rating, "deadline": _deadline_json(self.deadline), "leads": list(self.leads)}


def _find(plan: Plan, item_id: str) -> Located | None:
    return next((loc for loc in walk_items(plan) if loc.item.id == item_id), None)


def _rating_label(plan: Plan, located: Located) -> str | None:
    status = located.item.current_status
    return _rating_words(plan, located, status)[0] if status is not None else None


def item_history(item_id: str, revisions: Sequence[Revision]) -> list[HistoryEntry]:
    """The commits (oldest first) that added, changed or removed ``item_id``."""
    entries: list[HistoryEntry] = []
    prev: tuple[Plan, Located] | None = None
    for rev in revisions:
        if rev.plan is None:
            entries.append(
                HistoryEntry(
                    rev.commit, None, None, (), [], note=f"plan not readable here, skipped: {rev.problem}"
                )
            )
            continue
        here = _find(rev.plan, item_id)
        if here is None:
            if prev is not None:
                gone = Change(ChangeKind.REMOVED, item_id, prev[1].item.title)
                entries.append(HistoryEntry(rev.commit, None, None, (), [gone]))
            prev = None
            continue
        state = (_rating_label(rev.plan, here), here.item.deadline, _lead_labels(here))
        if prev is None:
            bits = [f"rating {state[0]}" if state[0] else "no rating"]
            bits.append(f"deadline {state[1].words()}" if state[1] else "no deadline")
            bits.append(f"lead {'; '.join(state[2])}" if state[2] else "no lead")
            added = Change(ChangeKind.ADDED, item_id, here.item.title, None, ", ".join(bits))
            notes = note_changes_of_new_item(rev.plan, here)
            entries.append(HistoryEntry(rev.commit, *state, [added, *notes]))
        else:
            changes = sorted(diff_item(prev[0], prev[1], rev.plan, here), key=_sort_key)
            if changes:
                entries.append(HistoryEntry(rev.commit, *state, changes))
        prev = (rev.plan, here)
    return entries


# --- slippage over the history -------------------------------------------------------------


@dataclass(slots=True)
class Slippage:
    """Deadline moves later for one plan or one lead."""

    name: str
    moves: int = 0
    total: float = 0.0
    largest: float = 0.0
    largest_item: str | None = None
    items: set[str] = field(default_factory=set)

    def add(self, change: Change) -> None:
        months = change.months or 0.0
        self.moves += 1
        self.total = round(self.total + months, 1)
        self.items.add(change.item_id)
        if months > self.largest:
            self.largest, self.largest_item = months, change.item_id

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "slips": self.moves,
            "items": len(self.items),
            "total_months": self.total,
            "largest_months": self.largest,
            "largest_item": self.largest_item,
        }


@dataclass(slots=True)
class PlanSlippage:
    plan_id: str
    title: str
    file: str
    commits: int
    overall: Slippage
    by_lead: list[Slippage]
    unreadable: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "plan": self.plan_id,
            "title": self.title,
            "file": self.file,
            "commits": self.commits,
            "unreadable_commits": self.unreadable,
            **{k: v for k, v in self.overall.to_json().items() if k != "name"},
            "leads": [s.to_json() for s in self.by_lead],
        }


def plan_slippage(file: str, revisions: Sequence[Revision]) -> PlanSlippage | None:
    """Every slip between consecutive readable revisions, per plan and per lead.

    A slip counts against the item's lead *before* the commit that moved the deadline:
    the lead who held the deadline that was missed. A lead named in the same commit
    takes on the new deadline, not the slip.
    """
    readable = [(r, r.plan) for r in revisions if r.plan is not None]
    if not readable:
        return None
    last = readable[-1][1]
    overall = Slippage(last.title)
    leads: dict[str, Slippage] = {}
    for (_, old), (_, new) in itertools.pairwise(readable):
        if old.id != new.id:
            continue
        leads_before = {loc.item.id: _lead_labels(loc) for loc in walk_items(old)}
        for change in diff_plans(old, new):
            if change.kind is not ChangeKind.SLIPPED:
                continue
            overall.add(change)
            for lead in leads_before.get(change.item_id) or (NO_LEAD_LABEL,):
                leads.setdefault(lead, Slippage(lead)).add(change)
    by_lead = sorted(leads.values(), key=lambda s: (-s.total, -s.moves, s.name))
    return PlanSlippage(
        last.id, last.title, file, len(revisions), overall, by_lead, len(revisions) - len(readable)
    )


def render_slippage_table(rows: Sequence[PlanSlippage]) -> str:
    """Per plan, then per lead: slips, items, total and largest slip in months."""
    head = f"{'Plan / lead':<58} {'Slips':>5} {'Items':>5} {'Total':>8} {'Largest':>8}  Item"
    lines = [head, "-" * len(head)]

    def row(name: str, s: Slippage, indent: str = "") -> str:
        largest = f"{s.largest:.1f}" if s.moves else "-"
        return (
            f"{indent + _clip(name, 58 - len(indent)):<58} {s.moves:>5} {len(s.items):>5} {s.total:>8.1f} {largest:>8}  "
            f"{s.largest_item or ''}"
        ).rstrip()

    for p in rows:
        lines.append(row(f"{p.plan_id} ({p.commits} commit{'s' if p.commits != 1 else ''})", p.overall))
        for s in p.by_lead:
            lines.append(row(s.name, s, "  "))
        if p.unreadable:
            lines.append(
                f"  ({p.unreadable} commit{'s' if p.unreadable != 1 else ''} not readable as a plan, skipped)"
            )
    lines.append("Slips: deadlines moved later between commits; Total and Largest in months.")
    return "\n".join(lines) + "\n"

"""Questions people ask of plans: what is due, overdue, upcoming; who leads what.

Pure functions over loaded plans: no clock (``as_of`` is a parameter), no printing and
no file access.  Every answer is a list of :class:`Row` (an item with the plan, file and
line it came from) so that each printed row can be checked against its source.

Date semantics.  An item's deadline (:attr:`planctl.core.models.Item.deadline`) is an
interval ``[start, end]``: "April 2026" is 1-30 April 2026, "Q3 2025/26" is
October-December 2025.  A query date is an interval too.

* ``before D``: the deadline *ends* before the first day of D.
* ``after D``: the deadline *starts* after the last day of D.
* ``between A B``: the deadline overlaps ``[first day of A, last day of B]``.
* overdue: the deadline ends before ``as_of``; upcoming: it ends within
  ``[as_of, until]``.

A deadline that cannot be placed on the calendar counts as undated, and a recurrence
("monthly") is not a deadline.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from planctl.core.dates import FuzzyDate, day_words
from planctl.core.overdue import deadline_passed, is_overdue, is_overdue_action
from planctl.core.rows import Row, rows_of
from planctl.core.text import did_you_mean

if TYPE_CHECKING:
    from planctl.core.models import Closure, Item, Located, Plan
    from planctl.core.validate import LoadResult


NO_LEAD = "none"
"""What ``--lead`` takes to select items without a lead (a "TBC" lead names nobody)."""

DatePredicate = Callable[[FuzzyDate], bool]


def collect_rows(results: Iterable[LoadResult]) -> list[Row]:
    """Every item of every valid plan, in document order, with its 1-based line."""
    return [row for f, result in enumerate(results) for row in rows_of(result, f)]


# --- filters ---


@dataclass(frozen=True, slots=True)
class Filters:
    """The filters every query shares: values within one option OR, options AND."""

    plans: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()
    leads: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()

    def matches(self, row: Row) -> bool:
        return (
            (not self.plans or row.plan.id in self.plans)
            and (not self.sections or any(_section_matches(row, s) for s in self.sections))
            and (not self.leads or any(_lead_matches(row, w) for w in self.leads))
            and (not self.statuses or any(_status_matches(row, s) for s in self.statuses))
            and (not self.tags or bool(row.tags & {t.casefold() for t in self.tags}))
        )


class FilterError(ValueError):
    """A filter names a plan, section or status no plan has; ``field`` says which option."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def check_filters(
    rows: Sequence[Row],
    plans: Sequence[str] = (),
    sections: Sequence[str] = (),
    leads: Sequence[str] = (),
    statuses: Sequence[str] = (),
    tags: Sequence[str] = (),
) -> Filters:
    """The filters, after checking that each plan, section and status named exists in ``rows``.

    A typo ("--status purple") would otherwise answer "no items", which reads as good
    news. Leads and tags are free text, so any value may match nothing. Raises
    :class:`FilterError` with a "did you mean" suggestion or the values that exist.
    """
    by_id = {r.plan.id: r.plan for r in rows}
    known_plans = set(by_id)
    for wanted in plans:
        if wanted not in known_plans:
            raise FilterError(
                "plan", f"no plan {wanted!r}{did_you_mean(wanted, known_plans) or _among(known_plans)}"
            )
    section_ids: set[str] = set()
    titles: list[str] = []
    statuses_known: dict[str, str] = {"none": "none"}  # casefold -> as written
    for plan in by_id.values():
        section_ids.update(plan.section_ids)
        titles.extend(t.casefold() for t in plan.section_titles)
        for v in plan.statuses:
            statuses_known.setdefault(v.strip().casefold(), v)
    for r in rows:
        current = r.status
        if current:
            statuses_known.setdefault(current.strip().casefold(), current)
    ids_folded = {i.casefold() for i in section_ids}
    for wanted in sections:
        w = wanted.casefold()
        if w not in ids_folded and not any(w in t for t in titles):
            raise FilterError(
                "section",
                f"no section with id {wanted!r} or a title containing it" + did_you_mean(wanted, section_ids),
            )
    for wanted in statuses:
        if wanted.strip().casefold() not in statuses_known:
            values = [v for k, v in statuses_known.items() if k != "none"]
            raise FilterError(
                "status",
                f"no status {wanted!r} on the plans' scales"
                + (did_you_mean(wanted, statuses_known.values()) or _among(values) + " or none"),
            )
    return Filters(tuple(plans), tuple(sections), tuple(leads), tuple(statuses), tuple(tags))


def _among(names: Iterable[str]) -> str:
    listed = sorted(names, key=str.casefold)
    return f"; use one of: {', '.join(listed)}" if listed else ""


def _section_matches(row: Row, wanted: str) -> bool:
    """A section id (exact) or a title substring, of any enclosing section."""
    w = wanted.casefold()
    return any(s.id.casefold() == w or w in s.title.casefold() for s in row.sections)


def _lead_matches(row: Row, wanted: str) -> bool:
    w = wanted.strip().casefold()
    if w == NO_LEAD:
        return not row.has_lead
    return any(w in label.casefold() for label in row.leads)


def _status_matches(row: Row, wanted: str) -> bool:
    w = wanted.strip().casefold()
    current = row.status
    if current is None:
        return w == "none"
    if current.casefold() == w:
        return True
    rating = row.rating
    return rating is not None and w in (rating.key.casefold(), rating.label.casefold())


# --- date predicates ---


def ends_before(day: date) -> DatePredicate:
    return lambda d: d.end is not None and d.end < day


def starts_after(day: date) -> DatePredicate:
    return lambda d: d.start is not None and d.start > day


def overlaps(first: date, last: date) -> DatePredicate:
    return lambda d: d.start is not None and d.end is not None and d.start <= last and d.end >= first


def ends_within(first: date, last: date) -> DatePredicate:
    return lambda d: d.end is not None and first <= d.end <= last


def _bounds(query: FuzzyDate) -> tuple[date, date]:
    if query.start is None or query.end is None:
        raise ValueError(f"{query.text!r} is not on the calendar")
    return query.start, query.end


def before(query: FuzzyDate) -> DatePredicate:
    """Deadlines that end before the first day of ``query``."""
    return ends_before(_bounds(query)[0])


def after(query: FuzzyDate) -> DatePredicate:
    """Deadlines that start after the last day of ``query``."""
    return starts_after(_bounds(query)[1])


def between(first: FuzzyDate, last: FuzzyDate) -> DatePredicate:
    """Deadlines that overlap [first day of ``first``, last day of ``last``]."""
    return overlaps(_bounds(first)[0], _bounds(last)[1])


def overdue(as_of: date) -> DatePredicate:
    """Deadlines that passed before ``as_of`` (:func:`select` leaves done items out)."""
    return lambda d: deadline_passed(d, as_of)


def upcoming(as_of: date, until: date) -> DatePredicate:
    return ends_within(as_of, until)


# --- selection ---


def sort_key(row: Row) -> tuple[int, date, date, tuple[int, int]]:
    """By deadline end, then start; undated last; ties in document order."""
    d = row.deadline
    if d is None or d.start is None or d.end is None:
        return (1, date.max, date.max, row.order)
    return (0, d.end, d.start, row.order)


def select(
    rows: Iterable[Row],
    filters: Filters = Filters(),
    when: DatePredicate | None = None,
    *,
    include_undated: bool = False,
    include_done: bool = False,
    include_closed: bool = False,
) -> list[Row]:
    """Rows passing the filters and, if given, the date predicate; sorted by deadline.

    With a predicate, undated rows are left out unless ``include_undated``.
    Rows whose status means done are left out unless ``include_done``, and rows of a
    closed plan or section (closed by the query's day) unless ``include_closed``.
    """
    out: list[Row] = []
    for row in rows:
        if not include_closed and row.closed:
            continue
        if not filters.matches(row):
            continue
        if not include_done and row.done:
            continue
        if when is not None:
            d = row.deadline
            if d is None:
                if not include_undated:
                    continue
            elif not when(d):
                continue
        out.append(row)
    out.sort(key=sort_key)
    return out


def search(rows: Iterable[Row], text: str) -> list[Row]:
    """Rows whose title, text, outcomes or easy-read words contain ``text`` (any case)."""
    w = text.casefold()
    return [row for row in rows if any(w in h.casefold() for h in row.texts)]


def find(rows: Sequence[Row], ref: str) -> list[Row]:
    """Rows with id ``ref`` or ``plan-id:item-id`` (ids are unique only within a plan)."""
    exact = [r for r in rows if r.ref == ref]
    return exact or [r for r in rows if r.id == ref]


# --- summaries ---


@dataclass(slots=True)
class LeadSummary:
    """One lead's open work: counts and the next deadline still ahead."""

    lead: str  # the label as first written; "" for items with no lead
    open: int = 0
    overdue: int = 0
    next_due: FuzzyDate | None = None
    next_item: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "lead": self.lead or None,
            "open": self.open,
            "overdue": self.overdue,
            "next_due": self.next_due.to_json() if self.next_due else None,
            "next_item": self.next_item,
        }


def lead_summary(rows: Iterable[Row], as_of: date) -> list[LeadSummary]:
    """Per lead (case-insensitive), open actions, overdue actions and the next deadline.

    Only actionable items count (:attr:`planctl.core.models.Item.actionable`): a feedback quote
    is no one's open work. An item with two leads counts for both.  Items with no lead
    (or only "TBC") are summed in the last entry, whose ``lead`` is "".  Done items are
    not counted.
    """
    by_key: dict[str, LeadSummary] = {}
    nobody = LeadSummary("")
    for row in sorted(rows, key=sort_key):
        if row.done or not row.actionable:
            continue
        targets = [by_key.setdefault(n.casefold(), LeadSummary(n)) for n in dict.fromkeys(row.named_leads)]
        for s in targets or [nobody]:
            s.open += 1
            d = row.deadline
            if d is not None and d.end is not None:
                if is_overdue_action(d, done=row.done, actionable=row.actionable, as_of=as_of):
                    s.overdue += 1
                elif s.next_due is None:
                    s.next_due, s.next_item = d, row.ref
    out = sorted(by_key.values(), key=lambda s: (-s.overdue, -s.open, s.lead.casefold()))
    return [*out, nobody] if nobody.open else out


@dataclass(slots=True)
class Stats:
    """Counts for ``planctl stats``: how much of each plan's work is dated, led, rated, late.

    ``items`` counts every item; every other count is of actions
    (:attr:`planctl.core.models.Item.actionable`), as lint, reports and handouts count them, and
    a lead is one that names somebody (:meth:`planctl.core.models.Plan.names_somebody`), so
    "without lead" is what ``missing-lead`` and ``tbc-lead`` find, not feedback quotes.
    """

    items: int = 0
    actions: int = 0
    dated: int = 0
    undated: int = 0
    recurring: int = 0
    overdue: int = 0
    done: int = 0
    with_lead: int = 0
    without_lead: int = 0
    by_plan: dict[str, int] = field(default_factory=dict)
    by_section: dict[str, int] = field(default_factory=dict)
    by_rating: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "items": self.items,
            "actions": self.actions,
            "dated": self.dated,
            "undated": self.undated,
            "recurring": self.recurring,
            "overdue": self.overdue,
            "done": self.done,
            "with_lead": self.with_lead,
            "without_lead": self.without_lead,
            "by_plan": self.by_plan,
            "by_section": self.by_section,
            "by_rating": self.by_rating,
        }


UNRATED = "(unrated)"


def stats(rows: Iterable[Row], as_of: date) -> Stats:
    """Counts of actions by plan, top-level section (``plan-id / title``) and rating label
    (see :class:`Stats`).

    Overdue counts open actions whose deadline ended before ``as_of``.
    """
    s = Stats()
    for row in sorted(rows, key=lambda r: r.order):
        s.items += 1
        if not row.actionable:
            continue
        s.actions += 1
        d = row.deadline
        if d is not None:
            s.dated += 1
        else:
            s.undated += 1
        if row.repeats is not None:
            s.recurring += 1
        if row.done:
            s.done += 1
        elif is_overdue(d, done=row.done, as_of=as_of):
            s.overdue += 1
        if row.has_lead:
            s.with_lead += 1
        else:
            s.without_lead += 1
        s.by_plan[row.plan.id] = s.by_plan.get(row.plan.id, 0) + 1
        top = row.sections[0].title if row.sections else "(none)"
        key = f"{row.plan.id} / {top}"
        s.by_section[key] = s.by_section.get(key, 0) + 1
        rating = row.rating
        label = rating.label if rating else (row.status or UNRATED)
        s.by_rating[label] = s.by_rating.get(label, 0) + 1
    return s


# --- one item in full (``planctl show``) ---


def section_label(kind: str, number: str | None, title: str) -> str:
    """``Theme 4: Homes not Hospitals``; a section without a number is its title."""
    if number:
        return f"{kind.capitalize()} {number}: {title}"
    return title


@dataclass(frozen=True, slots=True)
class ItemField:
    """One line of ``show``: a label, its text and an optional colour for a terminal."""

    label: str
    text: str
    colour: str | None = None


def _link_target(row: Row, rows: Sequence[Row], link: str) -> Row | None:
    """A link is 'item-id' in the same plan or 'plan-id:item-id'."""
    ref = link if ":" in link else f"{row.plan.id}:{link}"
    return next((r for r in rows if r.ref == ref), None)


def item_fields(row: Row, located: Located, plan: Plan, rows: Sequence[Row], as_of: date) -> list[ItemField]:
    """Everything about one item as labelled lines, only those the item has.

    ``located`` and ``plan`` are the row's item and plan as validated (a row holds only
    what lists need); ``rows`` are every item loaded, to name the titles of linked items.
    """
    item = located.item
    sections = " › ".join(section_label(s.kind, s.number, s.title) for s in row.sections)
    out = [
        ItemField("plan", f"{plan.title} ({plan.id})"),
        ItemField("file", f"{row.file}:{row.line}"),
        ItemField("section", sections),
        ItemField("kind", item.kind + (f" {item.number}" if item.number else "")),
        ItemField("title", item.title),
    ]
    if item.text:
        out.append(ItemField("text", item.text))
    for o in item.outcomes:
        extra = f" [deadline: {o.deadline.words()}]" if o.deadline and o.deadline.resolved else ""
        out.append(ItemField("outcome", o.text + extra))
    from planctl.core.models import closure_of

    closure = closure_of(plan, located.sections, as_of)
    if closure is not None:  # queries leave it out; show says why
        out.append(ItemField("closed", closure.words()))
    d = item.deadline
    if d is not None:
        source = "" if item.due is not None else ", from an outcome measure"
        late = "red" if is_overdue(row.deadline, done=row.done, as_of=as_of) else None
        out.append(ItemField("due", f'{d.words()} (written "{d.text}"{source})', late))
    if item.repeats is not None:
        out.append(ItemField("repeats", item.repeats.words()))
        upcoming = item.repeats.next_on_or_after(as_of)
        if upcoming is not None:
            how = "" if item.repeats.every_min == item.repeats.every_max else ", at the shortest interval"
            out.append(ItemField("next", f"{day_words(upcoming)} (counted from the start{how})"))
    leads = "; ".join(row.leads)
    inherited = "" if item.leads else " (from its section)"
    out.append(ItemField("leads", leads + inherited if leads else "none"))
    if item.partners:
        out.append(ItemField("partners", "; ".join(item.partners)))
    status = row.status  # its status, else the latest rated update's
    if status is not None:
        rating = row.rating
        label = rating.label if rating else status
        day = row.status_date  # the rating as of the day asked, like the status itself
        when = f" on {day.isoformat()}" if day else ""
        done = " (done)" if row.done else ""
        out.append(ItemField("status", label + when + done, rating.colour if rating else None))
    for u in item.updates_as_of(as_of):  # a note written after as_of was not written yet
        parts = [u.date.isoformat(), u.status or "", u.note or "", f"by {u.by}" if u.by else ""]
        out.append(ItemField("update", " ".join(p for p in parts if p)))
    catalogue = {e.code: e for e in plan.evidence}
    for code in item.evidence:
        entry = catalogue.get(code)
        text = f"{code}: {entry.title or entry.text or ''}" if entry else f"{code} (not in the catalogue)"
        out.append(ItemField("evidence", text))
    for link in item.links:
        target = _link_target(row, rows, link)
        out.append(ItemField("link", f"{link}: {target.title}" if target else f"{link} (not found)"))
    if item.response is not None:
        r = item.response
        parts = [r.decision or "", r.action or "", f"timescale {r.timescale}" if r.timescale else ""]
        out.append(ItemField("response", " — ".join(p for p in parts if p)))
    if item.tags:
        out.append(ItemField("tags", ", ".join(item.tags)))
    if item.easy_read:
        out.append(ItemField("easy read", item.easy_read))
    if item.provenance is not None:
        out.append(ItemField("source", item.provenance.words()))
    return out


def _next_occurrence(item: Item, as_of: date) -> str | None:
    """The recurrence's next day on or after ``as_of`` (ISO), as ``show`` prints it; None
    for an item that does not repeat or whose recurrence has no start to count from."""
    if item.repeats is None:
        return None
    upcoming = item.repeats.next_on_or_after(as_of)
    return upcoming.isoformat() if upcoming else None


def _closure_json(closure: Closure | None) -> dict[str, str] | None:
    return {"date": closure.date.isoformat(), "reason": closure.reason} if closure is not None else None


def item_details(row: Row, located: Located, plan: Plan, as_of: date) -> dict[str, Any]:
    """``show --format json``: the row contract (:meth:`Row.to_json`) plus the full record."""
    from planctl.core.models import closure_of

    item = located.item
    data = row.to_json()
    catalogue = {e.code: e for e in plan.evidence}
    data.update(
        {
            "ref": row.ref,
            "sections": [s.id for s in row.sections],
            "number": item.number,
            "text": item.text,
            "outcomes": [
                {
                    "text": o.text,
                    "due": o.deadline.to_json() if o.deadline else None,
                    "recurrence": o.repeats.text if o.repeats else None,
                }
                for o in item.outcomes
            ],
            "overdue": is_overdue(row.deadline, done=row.done, as_of=as_of),
            "closed": _closure_json(closure_of(plan, located.sections, as_of)),
            "next_occurrence": _next_occurrence(item, as_of),
            "updates": [u.model_dump(mode="json") for u in item.updates_as_of(as_of)],
            "evidence": [
                {"code": c, "title": catalogue[c].title if c in catalogue else None} for c in item.evidence
            ],
            "links": item.links,
            "tags": item.tags,
            "easy_read": item.easy_read,
            "response": item.response.model_dump(mode="json", exclude_none=True) if item.response else None,
            "provenance": item.provenance.model_dump(mode="json", exclude_none=True)
            if item.provenance
            else None,
        }
    )
    return data

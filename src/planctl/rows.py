"""Query rows: one item of a plan as plain data, light to build, send and cache.

A :class:`Row` holds what the list-type questions (``due``, ``overdue``, ``upcoming``,
``list``, ``search``, ``leads``, ``stats``) filter, sort and print: ids, titles,
sections, the deadline, leads and rating, already worked out from the validated plan.
It is plain data (no pydantic), so worker processes send rows cheaply, and a file's
rows can be cached as JSON by content (:mod:`planctl.cache`): an unchanged plan is
answered without reading YAML, building the models or finding dates in text. ``show``
and the editing commands go back to the validated plan for the whole item.

A row keeps the item's whole rating history (:meth:`planctl.models.Item.rating_timeline`),
not its rating on one day, so the cache does not depend on ``--as-of``: a query takes
:meth:`Row.as_of` of each row, which sets :attr:`Row.status` and :attr:`Row.rating` to
the rating on that day.

Importing this module does not import the models; :func:`rows_of` (which reads a
validated plan) imports them when it runs.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from planctl import cache as entry
from planctl.dates import FuzzyDate, Precision, Recurrence, latest_on

if TYPE_CHECKING:
    from planctl.validate import LoadResult


@dataclass(frozen=True, slots=True)
class PlanRef:
    """What a query needs of the plan itself: names, and the sections and statuses it
    has (to tell a typo in ``--section`` or ``--status`` from an empty answer)."""

    id: str
    title: str
    section_ids: tuple[str, ...]
    section_titles: tuple[str, ...]
    statuses: tuple[str, ...]  # every key and label of the plan's scales


@dataclass(frozen=True, slots=True)
class SectionRef:
    id: str
    kind: str
    number: str | None
    title: str


@dataclass(frozen=True, slots=True)
class Rating:
    """The current status found on the item's scale."""

    key: str
    label: str
    colour: str | None
    done: bool


@dataclass(frozen=True, slots=True)
class RatedStep:
    """One step of an item's rating history, with its value on the item's scale."""

    date: date | None  # None: a rating whose day nobody knows; it holds on every day
    status: str
    rating: Rating | None  # None when off-scale


@dataclass(frozen=True, slots=True)
class Row:
    """One item with everything needed to print, filter, sort and locate it."""

    plan: PlanRef
    file: str
    line: int
    order: tuple[int, int]  # (file index, item index): document order across files
    id: str
    kind: str
    actionable: bool  # ``Item.actionable``: the one definition of work to deliver
    title: str
    sections: tuple[SectionRef, ...]
    due: FuzzyDate | None  # the item's deadline as worked out, resolved or not
    repeats: Recurrence | None
    leads: tuple[str, ...]  # own leads, else the nearest section's, as labels
    named_leads: tuple[str, ...]  # the same without "TBC" or the plan's owner (``Plan.names_somebody``)
    ratings: tuple[RatedStep, ...]  # the rating history, oldest first (``Item.rating_timeline``)
    status: str | None  # the rating as of the query's day (:meth:`as_of`); as written until then
    rating: Rating | None  # that status on the item's scale; None when unrated or off-scale
    status_date: date | None  # the day that status was given, when known
    tags: frozenset[str]  # the item's and its sections' tags, lower-cased
    texts: tuple[str, ...]  # title, text, easy read and outcomes: what ``search`` reads
    # The day the plan or an enclosing section closed (:func:`planctl.models.closure_of`),
    # and whether it had closed by the query's day (:meth:`as_of`; as written until then).
    closed_on: date | None = None
    closed: bool = False

    def as_of(self, day: date) -> Row:
        """This row with the rating it had on ``day``, by the models' rule (:func:`latest_on`),
        and closed if its work had closed by then."""
        step = latest_on(self.ratings, day)
        closed = self.closed_on is not None and self.closed_on <= day
        if step is None:
            return dataclasses.replace(self, status=None, rating=None, status_date=None, closed=closed)
        return dataclasses.replace(
            self, status=step.status, rating=step.rating, status_date=step.date, closed=closed
        )

    @property
    def ref(self) -> str:
        """``plan-id:item-id``: unique across every plan."""
        return f"{self.plan.id}:{self.id}"

    @property
    def path(self) -> list[str]:
        """Section titles from the root down to the item's section."""
        return [s.title for s in self.sections]

    @property
    def deadline(self) -> FuzzyDate | None:
        """The deadline if it maps to calendar dates; a phrase that does not is undated."""
        d = self.due
        return d if d is not None and d.resolved else None

    @property
    def has_lead(self) -> bool:
        return bool(self.named_leads)

    @property
    def done(self) -> bool:
        return self.rating is not None and self.rating.done

    def to_json(self) -> dict[str, Any]:
        """The scripting contract of ``--format json`` (documented in the README)."""
        return {
            "plan": self.plan.id,
            "file": self.file,
            "id": self.id,
            "kind": self.kind,
            "title": self.title,
            "path": self.path,
            "due": self.due.to_json() if self.due is not None else None,
            "recurrence": self.repeats.text if self.repeats is not None else None,
            "leads": list(self.leads),
            "status": self.status,
            "done": self.done,
            "line": self.line,
        }

    def to_flat(self) -> dict[str, str]:
        """The same fields flattened for CSV."""
        data = self.to_json()
        due = data["due"] or {}
        return {
            "plan": data["plan"],
            "file": data["file"],
            "id": data["id"],
            "kind": data["kind"],
            "title": data["title"],
            "path": " > ".join(data["path"]),
            "due_text": due.get("text") or "",
            "due_start": due.get("start") or "",
            "due_end": due.get("end") or "",
            "precision": due.get("precision") or "",
            "recurrence": data["recurrence"] or "",
            "leads": "; ".join(data["leads"]),
            "status": data["status"] or "",
            "done": "yes" if data["done"] else "no",
            "line": str(data["line"]),
        }


FLAT_FIELDS = (
    "plan",
    "file",
    "id",
    "kind",
    "title",
    "path",
    "due_text",
    "due_start",
    "due_end",
    "precision",
    "recurrence",
    "leads",
    "status",
    "done",
    "line",
)


# --- from a validated plan ---


def rows_of(result: LoadResult, file_index: int = 0) -> list[Row]:
    """Every item of a valid plan, in document order, with its 1-based line."""
    from planctl.models import closure_of, walk_items, walk_sections

    plan = result.plan
    if plan is None:
        return []
    all_sections = [s for s, _, _ in walk_sections(plan.sections)]
    statuses = dict.fromkeys(
        v for scale in plan.scales for value in scale.values for v in (value.key, value.label)
    )
    ref = PlanRef(
        plan.id,
        plan.title,
        tuple(s.id for s in all_sections),
        tuple(s.title for s in all_sections),
        tuple(statuses),
    )
    refs = {id(s): SectionRef(s.id, s.kind, s.number, s.title) for s in all_sections}
    rows: list[Row] = []
    for i, located in enumerate(walk_items(plan)):
        item = located.item
        line, _ = result.locate(located.path)
        leads = located.leads
        scale = plan.scale(located.scale_id)
        ratings = []
        for step in item.rating_timeline(plan.ratings_as_of):
            value = scale.find(step.status) if scale else None
            rating = Rating(value.key, value.label, value.colour, value.done) if value else None
            ratings.append(RatedStep(step.date, step.status, rating))
        latest = ratings[-1] if ratings else None
        tags = {t.casefold() for t in item.tags}
        for section in located.sections:
            tags.update(t.casefold() for t in section.tags)
        closure = closure_of(plan, located.sections, None)
        rows.append(
            Row(
                plan=ref,
                file=result.file,
                line=line,
                order=(file_index, i),
                id=item.id,
                kind=item.kind,
                actionable=item.actionable,
                title=item.title,
                sections=tuple(refs[id(s)] for s in located.sections),
                due=item.deadline,
                repeats=item.repeats,
                leads=tuple(lead.label() for lead in leads),
                named_leads=tuple(lead.label() for lead in leads if plan.names_somebody(lead)),
                ratings=tuple(ratings),
                status=latest.status if latest else None,
                rating=latest.rating if latest else None,
                status_date=latest.date if latest else None,
                tags=frozenset(tags),
                texts=(
                    item.title,
                    item.text or "",
                    item.easy_read or "",
                    *(o.text for o in item.outcomes),
                ),
                closed_on=closure.date if closure else None,
                closed=closure is not None,
            )
        )
    return rows


# --- JSON, for the cache ---


def _index(value: Any) -> int:
    """A list position as written: negative numbers count from the end in Python, not here."""
    n = entry.whole(value)
    if n < 0:
        raise IndexError("negative index")
    return n


def _date(value: Any) -> date | None:
    return None if value is None else date.fromisoformat(entry.text(value))


def _fuzzy_to(d: FuzzyDate | None) -> list[Any] | None:
    if d is None:
        return None
    return [
        d.text,
        d.start.isoformat() if d.start else None,
        d.end.isoformat() if d.end else None,
        d.precision.value,
    ]


def _fuzzy_from(data: Any) -> FuzzyDate | None:
    if data is None:
        return None
    if type(data) is not list:
        raise TypeError("expected a list")
    text, start, end, precision = data
    first, last = _date(start), _date(end)
    if (first is None) != (last is None) or (first and last and first > last):
        raise ValueError("not an interval")
    return FuzzyDate(entry.text(text), first, last, Precision(entry.text(precision)))


def _recurrence_to(r: Recurrence | None) -> list[Any] | None:
    if r is None:
        return None
    return [r.text, r.every_min, r.every_max, r.unit, _fuzzy_to(r.start)]


def _recurrence_from(data: Any) -> Recurrence | None:
    if data is None:
        return None
    if type(data) is not list:
        raise TypeError("expected a list")
    text, lo, hi, unit, start = data
    return Recurrence(
        entry.text(text), entry.opt_whole(lo), entry.opt_whole(hi), entry.opt_text(unit), _fuzzy_from(start)
    )


def file_rows_to_json(rows: list[Row]) -> dict[str, Any]:
    """One file's rows as compact JSON; the plan and its sections are written once."""
    if not rows:
        return {"plan": None, "sections": [], "rows": []}
    plan = rows[0].plan
    sections: dict[SectionRef, int] = {}
    table: list[list[Any]] = []

    def section_index(s: SectionRef) -> int:
        if s not in sections:
            sections[s] = len(table)
            table.append([s.id, s.kind, s.number, s.title])
        return sections[s]

    out = []
    for r in rows:
        out.append(
            [
                r.line,
                r.order[1],
                r.id,
                r.kind,
                r.title,
                [section_index(s) for s in r.sections],
                _fuzzy_to(r.due),
                _recurrence_to(r.repeats),
                list(r.leads),
                list(r.named_leads),
                [
                    [
                        s.date.isoformat() if s.date else None,
                        s.status,
                        [s.rating.key, s.rating.label, s.rating.colour, s.rating.done] if s.rating else None,
                    ]
                    for s in r.ratings
                ],
                r.actionable,
                sorted(r.tags),
                list(r.texts),
                r.closed_on.isoformat() if r.closed_on else None,
            ]
        )
    return {
        "plan": [plan.id, plan.title, list(plan.section_ids), list(plan.section_titles), list(plan.statuses)],
        "sections": table,
        "rows": out,
    }


def file_rows_from_json(data: dict[str, Any], file: str, file_index: int) -> list[Row]:
    """The rows :func:`file_rows_to_json` wrote, for ``file`` at ``file_index``.

    Raises KeyError, TypeError, ValueError or IndexError on an entry of another shape;
    the caller then reads the file afresh.
    """
    plan_data, entries = data["plan"], data["rows"]
    if type(entries) is not list or type(data["sections"]) is not list:
        raise TypeError("expected lists")
    if plan_data is None:
        if entries:
            raise ValueError("rows without a plan")
        return []
    pid, title, ids, titles, statuses = plan_data
    plan = PlanRef(
        entry.text(pid), entry.text(title), entry.texts(ids), entry.texts(titles), entry.texts(statuses)
    )
    sections = [_section(s) for s in data["sections"]]
    return list(_rows(entries, plan, sections, file, file_index))


def _section(data: Any) -> SectionRef:
    if type(data) is not list:
        raise TypeError("expected a list")
    ident, kind, number, title = data
    return SectionRef(entry.text(ident), entry.text(kind), entry.opt_text(number), entry.text(title))


def _rows(
    entries: list[list[Any]], plan: PlanRef, sections: list[SectionRef], file: str, file_index: int
) -> Iterator[Row]:
    for (
        line,
        index,
        ident,
        kind,
        title,
        where,
        due,
        repeats,
        leads,
        named,
        ratings,
        actionable,
        tags,
        texts,
        closed_on,
    ) in entries:
        if type(actionable) is not bool or type(ratings) is not list:
            raise TypeError("expected true or false, and a list")
        steps = tuple(_step(s) for s in ratings)
        latest = steps[-1] if steps else None
        yield Row(
            plan=plan,
            file=file,
            line=entry.whole(line),
            order=(file_index, entry.whole(index)),
            id=entry.text(ident),
            kind=entry.text(kind),
            actionable=actionable,
            title=entry.text(title),
            sections=tuple(sections[_index(k)] for k in where),
            due=_fuzzy_from(due),
            repeats=_recurrence_from(repeats),
            leads=entry.texts(leads),
            named_leads=entry.texts(named),
            ratings=steps,
            status=latest.status if latest else None,
            rating=latest.rating if latest else None,
            status_date=latest.date if latest else None,
            tags=frozenset(entry.texts(tags)),
            texts=entry.texts(texts),
            closed_on=_date(closed_on),
            closed=closed_on is not None,
        )


def _step(data: Any) -> RatedStep:
    if type(data) is not list:
        raise TypeError("expected a list")
    day, status, rating = data
    value = None
    if rating is not None:
        if type(rating) is not list:
            raise TypeError("expected a list")
        key, label, colour, done = rating
        if type(done) is not bool:
            raise TypeError("expected true or false")
        value = Rating(entry.text(key), entry.text(label), entry.opt_text(colour), done)
    return RatedStep(_date(day), entry.text(status), value)

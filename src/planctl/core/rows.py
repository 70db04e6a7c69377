"""Query rows: one item of a plan as plain data, light to build, send and cache.

A :class:`Row` holds what the list-type questions (``due``, ``overdue``, ``upcoming``,
``list``, ``search``, ``leads``, ``stats``) filter, sort and print: ids, titles,
sections, the deadline, leads and rating, already worked out from the validated plan.
It is plain data (no pydantic), so worker processes send rows cheaply, and a file's
rows can be cached as JSON by content (:mod:`planctl.store.cache`): an unchanged plan is
answered without reading YAML, building the models or finding dates in text. ``show``
and the editing commands go back to the validated plan for the whole item.

A row keeps the item's whole rating history (:meth:`planctl.core.models.Item.rating_timeline`),
not its rating on one day, so the cache does not depend on ``--as-of``: a query takes
:meth:`Row.as_of` of each row, which sets :attr:`Row.status` and :attr:`Row.rating` to
the rating on that day.

Importing this module does not import the models; :func:`rows_of` (which reads a
validated plan) imports them when it runs.
"""

from __future__ import annotations

import dataclasses
import itertools
import operator
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from planctl.core import entry
from planctl.core.dates import FuzzyDate, Recurrence, latest_on
from planctl.core.layout import Layout, check_on_read, record_codec
from planctl.core.layout import list_of as _list
from planctl.core.layout import same as _same
from planctl.core.ratings import Rating, rating_on

if TYPE_CHECKING:
    from planctl.core.validate import LoadResult


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
class RatedStep:
    """One step of an item's rating history, with its value on the item's scale."""

    date: date | None  # None: a rating whose day nobody knows; it holds on every day
    status: str
    rating: Rating | None  # None when off-scale


@dataclass(frozen=True, slots=True)
class Row:
    """One item with everything needed to print, filter, sort and locate it.

    The declaration order is the cache's layout (:data:`_ROW`): a new field is cached
    by adding it here, in the place it should take in an entry.
    """

    plan: PlanRef
    file: str
    line: int
    order: tuple[int, int]  # (file index, item index): document order across files
    id: str
    kind: str
    title: str
    sections: tuple[SectionRef, ...]
    due: FuzzyDate | None  # the item's deadline as worked out, resolved or not
    repeats: Recurrence | None
    leads: tuple[str, ...]  # own leads, else the nearest section's, as labels
    named_leads: tuple[str, ...]  # the same without "TBC" or the plan's owner (``Plan.names_somebody``)
    ratings: tuple[RatedStep, ...]  # the rating history, oldest first (``Item.rating_timeline``)
    actionable: bool  # ``Item.actionable``: the one definition of work to deliver
    status: str | None  # the rating as of the query's day (:meth:`as_of`); as written until then
    rating: Rating | None  # that status on the item's scale; None when unrated or off-scale
    status_date: date | None  # the day that status was given, when known
    tags: frozenset[str]  # the item's and its sections' tags, lower-cased
    texts: tuple[str, ...]  # title, text, easy read and outcomes: what ``search`` reads
    # The day the plan or an enclosing section closed (:func:`planctl.core.models.closure_of`),
    # and whether it had closed by the query's day (:meth:`as_of`; as written until then).
    closed_on: date | None
    closed: bool

    def as_of(self, day: date) -> Row:
        """This row with the rating it had on ``day``, by the models' rule (:func:`latest_on`),
        and closed if its work had closed by then."""
        step = latest_on(self.ratings, day)
        closed = self.closed_on is not None and self.closed_on <= day
        if closed is self.closed and (
            (step.status, step.rating, step.date) if step else (None, None, None)
        ) == (self.status, self.rating, self.status_date):
            return self  # as most rows are: no copy (a copy per row was 0.1 s of a 10k-item query)
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
    from planctl.core.models import closure_of, walk_items, walk_sections

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
            ratings.append(RatedStep(step.date, step.status, rating_on(scale, step.status)))
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
# Each record is stored by its dataclass's fields (planctl.core.layout): a new field of
# Row, or of what it holds, is cached without a change here. Not stored: what the reader
# knows (the plan, written once per file; the file; its index in ``order``) and what
# follows from the stored fields (the latest rating).

_NOT_STORED = frozenset({"plan", "file", "status", "rating", "status_date"})
_ROW: Layout[Row] = Layout(
    Row,
    skip=_NOT_STORED,
    overrides={
        "order": (operator.itemgetter(1), entry.whole),  # the item's index; the file's is the reader's
        "sections": (_same, _list),  # positions in the file's section table, filled in below
    },
)
_ORDER, _SECTIONS = _ROW.names.index("order"), _ROW.names.index("sections")
_RATINGS = _ROW.names.index("ratings")
_PLAN_TO, _PLAN_FROM = record_codec(PlanRef)
_SECTION_TO, _SECTION_FROM = record_codec(SectionRef)


def _check_interval(d: FuzzyDate) -> None:
    if (d.start is None) != (d.end is None) or (d.start and d.end and d.start > d.end):
        raise ValueError("not an interval")


check_on_read(FuzzyDate, _check_interval)


def file_rows_to_json(rows: list[Row]) -> dict[str, Any]:
    """One file's rows as compact JSON; the plan and its sections are written once.

    A row is the list of Row's stored fields in order, sections as table positions.
    """
    if not rows:
        return {"plan": None, "sections": [], "rows": []}
    sections: dict[SectionRef, int] = {}
    table: list[list[Any]] = []

    def section_index(s: SectionRef) -> int:
        if s not in sections:
            sections[s] = len(table)
            table.append(_SECTION_TO(s))
        return sections[s]

    out = []
    for r in rows:
        row = _ROW.encode(r)
        row[_SECTIONS] = [section_index(s) for s in r.sections]
        out.append(row)
    return {"plan": _PLAN_TO(rows[0].plan), "sections": table, "rows": out}


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
    plan = _PLAN_FROM(plan_data)
    sections = [_SECTION_FROM(s) for s in data["sections"]]
    return list(_rows(entries, plan, sections, file, file_index))


# Rows are made by position (the reader's hot loop): Row's fields are the reader's two,
# the stored ones up to the rating history, the latest rating (three, derived), the rest.
_FIELDS = [f.name for f in dataclasses.fields(Row)]
_SPLIT = _FIELDS.index("status") - 2
_LAYOUT = ["plan", "file", *_ROW.names[:_SPLIT], "status", "rating", "status_date", *_ROW.names[_SPLIT:]]
if _FIELDS != _LAYOUT:
    raise TypeError("Row: keep plan and file first, and status, rating and status_date together")


def _rows(
    entries: list[Any], plan: PlanRef, sections: list[SectionRef], file: str, file_index: int
) -> Iterator[Row]:
    """The rows of one entry, read a field at a time across all its rows
    (:meth:`planctl.core.layout.Layout.decode_columns`), then made with one call each."""
    columns = _ROW.decode_columns(entries)
    orders = columns[_ORDER]
    columns[_ORDER] = [(file_index, i) for i in orders]
    paths = columns[_SECTIONS] = list(columns[_SECTIONS])
    flat = list(itertools.chain.from_iterable(paths))
    if not set(map(type, flat)) <= {int}:
        raise TypeError("expected section positions")
    if flat and min(flat) < 0:
        raise IndexError("negative index")  # negative numbers count from the end in Python, not here
    known: dict[tuple[int, ...], tuple[SectionRef, ...]] = {}
    table = sections.__getitem__
    for n, path in enumerate(paths):
        key = tuple(path)
        got = known.get(key)
        if got is None:
            got = known[key] = tuple(map(table, key))  # IndexError: past the table's end
        paths[n] = got
    latest = [steps[-1] if steps else None for steps in columns[_RATINGS]]
    statuses = [s.status if s else None for s in latest]
    ratings = [s.rating if s else None for s in latest]
    dates = [s.date if s else None for s in latest]
    return map(
        Row,
        itertools.repeat(plan),
        itertools.repeat(file),
        *columns[:_SPLIT],
        statuses,
        ratings,
        dates,
        *columns[_SPLIT:],
    )

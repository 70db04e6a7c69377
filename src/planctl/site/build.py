"""Build the website: what each page holds, where it goes, and writing it safely.

Deterministic: every page is a function of the plans and ``as_of`` only (document order,
no clock, no build time, no set iteration), so the same plans give byte-identical output
and the site can be reviewed in a pull request. Every link is relative and names a file
(``plans/x/index.html``, never ``plans/x/``), so the site works from ``file://`` as well
as from any web host. Ids from plans become file names only through
:func:`planctl.store.safefiles.file_name`, each name is made unique in its folder (ignoring
case, for case-insensitive disks), and each path is checked to stay inside the output
folder before anything is written.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import re
import stat
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planctl.core.dates import day_words, month_words
from planctl.core.models import NO_LEAD_LABEL
from planctl.site import measures as measures_site
from planctl.store.safefiles import FileRefusedError, file_name, inside, kind_of, write_new

if TYPE_CHECKING:
    import jinja2

    from planctl.core.diagnostics import Diagnostic
    from planctl.core.models import Item, Located, Plan, Source
    from planctl.core.query import ItemField
    from planctl.core.rows import Row
    from planctl.render.context import ItemView, RenderContext, SectionView
    from planctl.render.pictures import Picture, PictureSet
    from planctl.store.files import Found

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
# A file planctl leaves in every site it builds, listing the files it wrote: a later build
# into the same folder removes the files it no longer makes (a deleted item's page), and
# refuses a non-empty folder without it rather than mixing a site into someone's files.
MARKER = ".planctl-site"
UNRATED = "Unrated"
SITE_NAME = "Plans"


class SiteError(Exception):
    """The site cannot be built or written; the message says where and what to do."""


# --- names -------------------------------------------------------------------------


class Names:
    """Unique safe file names in one folder: ``file_name`` of each wanted name, with
    ``-2``, ``-3`` ... added when two ids give the same name (compared ignoring case)."""

    def __init__(self, reserved: Iterable[str] = ()) -> None:
        self._taken = {r.casefold() for r in reserved}

    def take(self, wanted: str, suffix: str = "") -> str:
        base = file_name(wanted)
        candidate, n = base, 1
        while (candidate + suffix).casefold() in self._taken:
            n += 1
            candidate = f"{base}-{n}"
        self._taken.add((candidate + suffix).casefold())
        return candidate + suffix


# --- what the pages show -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Count:
    label: str
    colour: str | None
    count: int


@dataclass(slots=True)
class ItemEntry:
    view: ItemView
    row: Row
    located: Located
    plan: PlanEntry
    url: str  # site-relative: plans/p/items/i.html

    @property
    def open(self) -> bool:
        return self.view.actionable and not self.view.done and self.view.closed is None


@dataclass(slots=True)
class Bar:
    """One section's bar in the ratings chart: segments left to right."""

    title: str
    total: int
    segments: list[tuple[str, str, int, float, float]]  # label, colour, count, x, width (0-100)


@dataclass(slots=True)
class Month:
    """One month of the timeline: the actions whose deadline ends in it."""

    words: str
    key: tuple[int, int]
    items: list[ItemEntry]
    past: bool


@dataclass(slots=True)
class PlanEntry:
    plan: Plan
    ctx: RenderContext
    file: str
    slug: str
    items: list[ItemEntry] = field(default_factory=list)
    by_id: dict[str, ItemEntry] = field(default_factory=dict)
    by_view: dict[int, ItemEntry] = field(default_factory=dict)  # id() of the ItemView
    measures: list[measures_site.MeasureEntry] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"plans/{self.slug}/index.html"

    @property
    def measures_url(self) -> str:
        return measures_site.measures_url(self)

    @property
    def measures_off_target(self) -> int:
        """Measures off target; 0 for a closed plan (its work is over, as its actions are
        not counted overdue), whose measures are still shown."""
        return measures_site.off_target_count(self.measures, self.ctx.closed is not None)

    @property
    def easy_url(self) -> str:
        return f"plans/{self.slug}/easy-read.html"

    def download(self, suffix: str) -> str:
        return f"plans/{self.slug}/{self.slug}{suffix}"

    @property
    def overdue(self) -> list[ItemEntry]:
        return [self.by_view[id(v)] for v in self.ctx.overdue]

    @property
    def due_soon(self) -> list[ItemEntry]:
        return [self.by_view[id(v)] for v in self.ctx.due_soon]

    def entries(self, views: Iterable[ItemView]) -> list[ItemEntry]:
        return [self.by_view[id(v)] for v in views]

    def counts(self) -> list[Count]:
        """Actions by rating (the plan's scale order), then unrated."""
        cols = self.ctx.rating_columns
        total = self.ctx.count_total
        out = [Count(c.label, c.colour, n) for c, n in zip(cols, total.counts, strict=True) if n]
        if total.unrated:
            out.append(Count(UNRATED, None, total.unrated))
        return out

    def bars(self) -> list[Bar]:
        """The ratings chart: one bar per counted section, as shares of its actions."""
        cols = self.ctx.rating_columns
        bars: list[Bar] = []
        for row in self.ctx.count_rows:
            parts = [(c.label, c.colour or "#505a5f", n) for c, n in zip(cols, row.counts, strict=True)]
            parts.append((UNRATED, "#ffffff", row.unrated))
            x = 0.0
            segments = []
            for label, colour, n in parts:
                if not n:
                    continue
                width = 100.0 * n / row.total
                segments.append((label, colour, n, round(x, 3), round(width, 3)))
                x += width
            bars.append(Bar(row.title, row.total, segments))
        return bars

    def timeline(self, as_of: date) -> list[Month]:
        """Actions with a deadline, by the month their deadline ends, earliest first."""
        months: dict[tuple[int, int], Month] = {}
        dated = [e for e in self.items if e.view.actionable and e.view.deadline and e.view.deadline.end]
        for e in sorted(dated, key=_deadline_key):
            end = e.view.deadline.end if e.view.deadline else None
            assert end is not None
            key = (end.year, end.month)
            if key not in months:
                months[key] = Month(month_words(end), key, [], key < (as_of.year, as_of.month))
            months[key].items.append(e)
        return list(months.values())


def _deadline_key(e: ItemEntry) -> tuple[date, date, tuple[int, int]]:
    d = e.view.deadline
    assert d is not None
    assert d.start is not None
    assert d.end is not None
    return d.end, d.start, e.row.order


@dataclass(slots=True)
class LeadEntry:
    name: str
    slug: str
    items: list[ItemEntry]  # open actions, by deadline (undated last)
    as_of: date

    @property
    def url(self) -> str:
        return f"leads/{self.slug}.html"

    def download(self, suffix: str) -> str:
        return f"leads/{self.slug}{suffix}"

    @property
    def overdue(self) -> list[ItemEntry]:
        return [e for e in self.items if e.view.overdue]

    @property
    def next(self) -> ItemEntry | None:
        return next(
            (e for e in self.items if not e.view.overdue and e.view.deadline and e.view.deadline.end), None
        )


@dataclass(frozen=True, slots=True)
class HistoryRow:
    day: str
    rating: str
    note: str
    by: str


@dataclass(slots=True)
class Site:
    as_of: date
    plans: list[PlanEntry]
    leads: list[LeadEntry]
    pictures: dict[str, str]  # picture name -> file name under assets/pictures

    @property
    def as_of_words(self) -> str:
        return day_words(self.as_of)

    @property
    def overdue(self) -> list[ItemEntry]:
        return [e for p in self.plans for e in p.overdue]

    @property
    def due_soon(self) -> list[ItemEntry]:
        return [e for p in self.plans for e in p.due_soon]

    def picture_url(self, picture: Picture | None) -> str | None:
        if picture is None:
            return None
        name = self.pictures.get(picture.name)
        return f"assets/pictures/{name}" if name else None


# --- gathering -----------------------------------------------------------------------


# Read in forked workers from this many bytes of plan files (about 2,000 items).
READ_IN_PARTS_FROM_BYTES = 1_500_000
Read = tuple["Plan | None", list["Diagnostic"], list["Row"]]


def _read(job: tuple[int, Found, date]) -> Read:
    """One plan file read and validated, with its rows as of the day, or its problems.
    Plain models and rows are cheap to send back from a worker (0.4 s both ways at 10,000
    items, against 2.4-3.9 s of CPU to read them); rendering contexts are not (2.5-3 s),
    so those are worked out in the parent."""
    from planctl.core.rows import rows_of
    from planctl.store.files import load

    index, f, as_of = job
    result = load(f)
    if result.plan is None:
        return None, list(result.problems), []
    return result.plan, [], [r.as_of(as_of) for r in rows_of(result, index)]


def read_all(found: Sequence[Found], as_of: date, jobs: int) -> list[Read]:
    """Every file read, in order: in up to ``jobs`` forked workers when there is enough to
    read (as lint does), else here."""
    import multiprocessing

    from planctl.store.parallel import worth_forking

    work = [(index, f, as_of) for index, f in enumerate(found)]
    parts = min(jobs, len(found))
    if not worth_forking(found, parts, min_files=2, min_bytes=READ_IN_PARTS_FROM_BYTES):
        return [_read(job) for job in work]
    with multiprocessing.get_context("fork").Pool(parts) as pool:
        return pool.map(_read, work, chunksize=max(1, len(work) // (4 * parts)))


def gather(
    found: Sequence[Found], as_of: date, pictures: PictureSet | None, jobs: int = 1
) -> tuple[Site, list[Diagnostic], list[tuple[Picture, str]]]:
    """Read every plan (in up to ``jobs`` workers) and work out every page; invalid files
    come back as problems."""
    from planctl.core.models import walk_items
    from planctl.render.context import build_context

    problems: list[Diagnostic] = []
    plans: list[PlanEntry] = []
    plan_names = Names()
    for f, (plan_or_none, invalid, rows) in zip(found, read_all(found, as_of, jobs), strict=True):
        if plan_or_none is None:
            problems.extend(invalid)
            continue
        plan = plan_or_none
        # Closed work is not late, due or anyone's open action (as in the queries): the
        # counts, lists and timeline leave it out; its item pages stay (as `show` finds it).
        # The easy-read handout is built where the plan's easy-read page is rendered (in a
        # worker on a large site): the pages about all plans do not need it.
        ctx = build_context(plan, as_of, pictures=pictures, include_closed=False, handout=False)
        entry = PlanEntry(plan, ctx, f.display, plan_names.take(plan.id))
        item_names = Names()
        for view, row, located in zip(ctx.items, rows, walk_items(plan), strict=True):
            assert view.id == row.id == located.item.id
            item = ItemEntry(view, row, located, entry, "")
            item.url = f"plans/{entry.slug}/items/{item_names.take(view.id, '.html')}"
            entry.items.append(item)
            entry.by_id.setdefault(view.id, item)
            entry.by_view[id(view)] = item
        entry.measures = measures_site.gather_measures(entry, as_of)
        plans.append(entry)
    used: list[tuple[Picture, str]] = []
    picture_names = Names()
    seen: dict[str, str] = {}
    for p in plans:
        views: list[Picture | None] = [
            p.ctx.cover_picture,
            p.ctx.words_picture,
            p.ctx.date_picture,
            p.ctx.contact_picture,
        ]
        for s in _walk_views(p.ctx.sections):
            views.append(s.picture)
        views.extend(e.view.picture for e in p.items)
        for pic in views:
            if pic is not None and pic.name not in seen:
                seen[pic.name] = picture_names.take(pic.name, ".svg")
                used.append((pic, seen[pic.name]))
    return Site(as_of, plans, _leads(plans, as_of), seen), problems, used


def _walk_views(sections: Iterable[SectionView]) -> Iterable[SectionView]:
    for s in sections:
        yield s
        yield from _walk_views(s.sections)


def _leads(plans: list[PlanEntry], as_of: date) -> list[LeadEntry]:
    """Open actions per named lead (ignoring case, as ``planctl leads``), then those with
    no lead named; most overdue first, then most open, then by name."""
    by_key: dict[str, tuple[str, list[ItemEntry]]] = {}
    nobody: list[ItemEntry] = []
    for p in plans:
        for e in p.items:
            if not e.open:
                continue
            named = list(dict.fromkeys(e.row.named_leads))
            for n in named:
                by_key.setdefault(n.casefold(), (n, []))[1].append(e)
            if not named:
                nobody.append(e)

    def order(items: list[ItemEntry]) -> list[ItemEntry]:
        dated = sorted((e for e in items if e.view.deadline and e.view.deadline.end), key=_deadline_key)
        return dated + [e for e in items if not (e.view.deadline and e.view.deadline.end)]

    names = Names(["index", "no-lead-named"])
    found = [(name, order(items)) for name, items in by_key.values()]
    found.sort(key=lambda t: (-sum(1 for e in t[1] if e.view.overdue), -len(t[1]), t[0].casefold(), t[0]))
    leads = [LeadEntry(name, names.take(name), items, as_of) for name, items in found]
    if nobody:
        leads.append(LeadEntry(NO_LEAD_LABEL, "no-lead-named", order(nobody), as_of))
    return leads


# --- item details --------------------------------------------------------------------


def item_fields(e: ItemEntry, as_of: date) -> list[ItemField]:
    """What ``planctl show`` prints for the item (links and history have sections of their
    own). Given no rows to find linked items in: ``show`` looks each link up among every
    item loaded, one by one (a whole-site scan per link, quadratic on a large site), and
    the page leaves those lines out and links through the site's own index instead."""
    from planctl.core.query import item_fields as fields

    return [f for f in fields(e.row, e.located, e.plan.plan, (), as_of) if f.label not in ("link", "update")]


def history(item: Item, plan: Plan, as_of: date) -> list[HistoryRow]:
    """Ratings and notes over time, oldest first, as known on ``as_of``: each dated update,
    and the ``status:`` written in the plan on the day it was given."""
    scale_label = _labeller(plan)
    out: list[tuple[date | None, int, HistoryRow]] = []
    for n, u in enumerate(item.updates_as_of(as_of)):
        out.append(
            (u.date, n, HistoryRow(day_words(u.date), scale_label(u.status), u.note or "", u.by or ""))
        )
    if item.status is not None:
        given = item.current_status_date or plan.ratings_as_of
        repeated = any(u.date == given and u.status == item.status for u in item.updates)
        if not repeated and (given is None or given <= as_of):
            out.append(
                (
                    given,
                    len(out),
                    HistoryRow(
                        day_words(given) if given else "Date not given",
                        scale_label(item.status),
                        "Rating as written in the plan",
                        "",
                    ),
                )
            )
    out.sort(key=lambda t: (t[0] or date.min, t[1]))
    return [h for _, _, h in out]


def _labeller(plan: Plan) -> Callable[[str | None], str]:
    def label(status: str | None) -> str:
        if not status:
            return ""
        for scale in plan.scales:
            value = scale.find(status)
            if value is not None:
                return value.label
        return status

    return label


def source_of(plan: Plan, file: str | None) -> Source | None:
    return next((s for s in plan.sources if s.file == file), None) if file else None


_WEB = re.compile(r"\Ahttps?://[^\s<>\"']+\Z", re.IGNORECASE)


def web_link(url: str | None) -> str | None:
    """A source's address as a link only when it is plainly http(s): a plan may hold
    ``javascript:`` or ``data:`` URLs, which must never become a link."""
    return url if url and _WEB.match(url.strip()) else None


# --- downloads -----------------------------------------------------------------------


def _stamp(as_of: date) -> dt.datetime:
    """Calendar DTSTAMP: the as-of day at midnight UTC, so feeds are deterministic."""
    return dt.datetime(as_of.year, as_of.month, as_of.day, tzinfo=dt.UTC)


# Each plan's calendar events (plan id, item id, VEVENT), by the plan's folder name: written
# once for the plan's feed and reused in its leads' feeds.
Events = dict[str, list[tuple[str, str, bytes]]]


def plan_downloads(site: Site, plans: Iterable[PlanEntry], events: Events) -> Iterable[tuple[str, bytes]]:
    """CSV, JSON and calendar per plan (the export command's formats); each plan's
    calendar events are kept in ``events`` for :func:`lead_downloads`."""
    from planctl.interchange import exporter

    stamp = _stamp(site.as_of)
    for p in plans:
        recs = exporter.rows([p.plan], site.as_of)
        yield p.download(".csv"), exporter.to_csv(recs).encode("utf-8")
        yield p.download(".json"), exporter.to_json(recs).encode("utf-8")
        events[p.slug] = exporter.ics_events([p.plan], stamp)
        yield p.download(".ics"), exporter.ics_feed(e for _, _, e in events[p.slug])


def lead_downloads(site: Site, leads: Iterable[LeadEntry], events: Events) -> Iterable[tuple[str, bytes]]:
    """CSV, JSON and calendar per lead: that lead's open actions. A lead's calendar is
    its items' events from their plans' calendars (``events``, every plan's), in the
    order ``export --format ics`` gives them: the feed it writes for those items alone."""
    from planctl.interchange import exporter

    records: dict[tuple[str, str], dict[str, str]] = {}
    for p in site.plans:
        for r in exporter.rows([p.plan], site.as_of):
            records.setdefault((p.plan.id, r["id"]), r)
    for lead in leads:
        wanted = {(e.plan.plan.id, e.view.id) for e in lead.items}
        recs = [records[k] for k in _ordered(lead.items) if k in records]
        yield lead.download(".csv"), exporter.to_csv(recs).encode("utf-8")
        yield lead.download(".json"), exporter.to_json(recs).encode("utf-8")
        plans = {e.plan.plan.id for e in lead.items}
        chosen = [p for p in site.plans if p.plan.id in plans]
        feed = (e for p in chosen for plan_id, item_id, e in events[p.slug] if (plan_id, item_id) in wanted)
        yield lead.download(".ics"), exporter.ics_feed(feed)


def _ordered(items: Sequence[ItemEntry]) -> list[tuple[str, str]]:
    return [(e.plan.plan.id, e.view.id) for e in sorted(items, key=lambda e: e.row.order)]


def search_index(site: Site) -> str:
    """The offline search index, as a script (``file://`` cannot fetch JSON, but can load
    a script): one entry per plan and per item with the words it is found by."""
    entries: list[list[str]] = []
    for p in site.plans:
        entries.append([p.plan.title, p.url, "Plan", p.plan.summary or ""])
        for e in p.items:
            v = e.view
            words = " ".join(
                x
                for x in (v.id, v.number or "", v.text or "", e.located.item.easy_read or "", v.lead_label)
                if x
            )
            entries.append([f"{v.id}: {v.title}", e.url, p.plan.title, words])
        entries.extend(measures_site.search_entries(p, p.measures))
    body = json.dumps(entries, ensure_ascii=True, separators=(",", ":"))
    body = body.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")  # inert if inlined
    return f"window.PLANCTL_SEARCH = {body};\n"


# --- rendering -----------------------------------------------------------------------


def environment() -> jinja2.Environment:
    """Jinja for the site's own bundled templates: autoescaped, strict about names."""
    import jinja2

    from planctl.render.engine import bundled_templates
    from planctl.site import printer

    # The handout's shared building blocks (templates/_easy-read.html) come from the
    # bundled render templates, so the easy-read page and the handout tell a plan alike.
    # Every printed value (about 80 a page) goes through printer.html: control characters
    # made visible, then escaped. The templates are read once per build: a template is
    # not looked for on disk again each time a page extends or imports it, and is found
    # in a plain dict (Jinja's default cache takes a lock and reorders a queue each time).
    env = printer.Environment(
        loader=jinja2.ChoiceLoader(
            [jinja2.FileSystemLoader(str(TEMPLATES)), jinja2.FileSystemLoader(str(bundled_templates()))]
        ),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        finalize=printer.finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        cache_size=-1,
    )
    from planctl.core import readability
    from planctl.render.charts import chart_alt

    env.filters["sentences"] = readability.sentences
    env.globals.update(
        {
            "p_entries": lambda p, views: p.entries(views),
            "site_name": SITE_NAME,
            "web_link": web_link,
            "day_words": day_words,
            "heading_level": lambda depth: min(2 + depth, 6),
            "signed": measures_site.signed,
            "change_words": measures_site.change_words,
            "point_words": measures_site.point_words,
            "source_words": measures_site.source_words,
            "chart_alt": chart_alt,
        }
    )
    return env


# Every template the site renders, pages and the templates they extend or import.
TEMPLATE_NAMES = (
    *("base.html", "macros.html", "_easy-read.html", "home.html", "list.html", "search.html"),
    *("leads.html", "lead.html", "plan.html", "easy.html", "item.html", "measures.html", "measure.html"),
)


def compiled_environment() -> jinja2.Environment:
    """:func:`environment` with every template of the site compiled: done once, before
    the workers fork, instead of once in each process (about 0.1 s of CPU each)."""
    env = environment()
    for name in TEMPLATE_NAMES:
        env.get_template(name)
    return env


def _renderer(site: Site) -> Callable[..., tuple[str, str]]:
    def render(template: jinja2.Template, path: str, **values: Any) -> tuple[str, str]:
        root = "../" * path.count("/")
        return path, template.render(site=site, root=root, path=path, **values)

    return render


def pages(site: Site, env: jinja2.Environment) -> Iterable[tuple[str, str]]:
    """(site-relative path, HTML) of the pages about all plans: home, lists, search, leads."""
    render = _renderer(site)
    home = env.get_template("home.html")
    yield render(home, "index.html")
    listing = env.get_template("list.html")
    yield render(
        listing,
        "overdue.html",
        title="Overdue actions",
        intro=f"Actions whose deadline ended before {site.as_of_words} and that are not done.",
        empty="No action is overdue.",
        entries=site.overdue,
        groups=[(p, p.overdue) for p in site.plans if p.ctx.overdue],
    )
    yield render(
        listing,
        "due-soon.html",
        title="Due in the next three months",
        intro=(
            f"Actions not yet done whose deadline ends between {site.as_of_words} and "
            f"{site.plans[0].ctx.due_soon_until if site.plans else ''}."
        ),
        empty="No action is due in the next three months.",
        entries=site.due_soon,
        groups=[(p, p.due_soon) for p in site.plans if p.ctx.due_soon],
    )
    yield render(env.get_template("search.html"), "search.html")
    yield render(env.get_template("leads.html"), "leads/index.html")
    lead_page = env.get_template("lead.html")
    for lead in site.leads:
        yield render(lead_page, lead.url, lead=lead)


def plan_pages(site: Site, env: jinja2.Environment, plans: Iterable[PlanEntry]) -> Iterable[tuple[str, str]]:
    """(site-relative path, HTML) of each plan's page, easy-read page and item pages."""
    render = _renderer(site)
    plan_page = env.get_template("plan.html")
    easy_page = env.get_template("easy.html")
    item_page = env.get_template("item.html")
    from planctl.render.context import add_handout

    for p in plans:
        yield render(plan_page, p.url, p=p)
        if p.ctx.handout is None:
            add_handout(p.ctx)
        yield render(easy_page, p.easy_url, p=p)
        for e in p.items:
            links = []
            for link in e.located.item.links:
                target = _link_target(site, p, link)
                links.append((link, target))
            yield render(
                item_page,
                e.url,
                e=e,
                p=p,
                fields=item_fields(e, site.as_of),
                history=history(e.located.item, p.plan, site.as_of),
                links=links,
                source=source_of(
                    p.plan, e.located.item.provenance.file if e.located.item.provenance else None
                ),
                measures=[m for m in p.measures if m.item is e],
            )
    yield from measures_site.measure_pages(env, render, site, plans)


def _link_target(site: Site, p: PlanEntry, link: str) -> ItemEntry | None:
    """A link is 'item-id' in the same plan or 'plan-id:item-id' (as ``show`` reads it)."""
    if link in p.by_id:
        return p.by_id[link]
    plan_id, _, item_id = link.rpartition(":")
    for other in site.plans:
        if other.plan.id == plan_id and item_id in other.by_id:
            return other.by_id[item_id]
    return None


# --- writing -------------------------------------------------------------------------


class Writer:
    """Writes files only inside ``out``: never through a symlink, never into anything but
    a folder or a regular file it made, and records what it wrote in :data:`MARKER`."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.written: list[str] = []
        self._dirs: set[str] = {""}
        self._inside: set[str] = set()  # folders found inside ``out`` (resolved once each)

    def _folder(self, rel: str) -> None:
        if rel in self._dirs:
            return
        parent, _, _ = rel.rpartition("/")
        self._folder(parent)
        path = self.out / rel
        try:
            path.mkdir()
        except FileExistsError:
            info = os.lstat(path)
            if not stat.S_ISDIR(info.st_mode):
                raise SiteError(f"{path} is {kind_of(info.st_mode)}, not a folder; remove it first") from None
        self._dirs.add(rel)

    def write(self, rel: str, data: bytes) -> None:
        target = self.out / rel
        folder, _, _ = rel.rpartition("/")
        if rel.startswith("/") or ".." in rel.split("/"):
            raise SiteError(f"{target} would be outside {self.out}; nothing written there")
        if folder not in self._inside:  # resolving the path per file cost more than writing it
            if not inside(self.out, target.parent):
                raise SiteError(f"{target} would be outside {self.out}; nothing written there")
            self._inside.add(folder)
        self._folder(folder)
        try:
            write_new(target, data)
        except FileRefusedError as exc:
            raise SiteError(f"{target}: {exc.reason}; remove it first") from None
        except OSError as exc:
            if exc.errno == errno.ELOOP:  # a symlink where a page goes
                raise SiteError(f"{target} is a symlink; planctl does not write through it") from None
            raise SiteError(f"cannot write {target}: {exc.strerror}") from None
        self.written.append(rel)


def prepare(out: Path) -> list[str]:
    """Check ``out`` may be written: new, empty, or a site planctl built (its marker
    lists the files of the last build, returned so stale ones can be removed)."""
    if out.is_symlink():
        raise SiteError(f"--out {out} is a symlink; give the folder itself")
    if not out.exists():
        if not out.parent.is_dir():
            raise SiteError(f"--out {out}: no such folder {out.parent}; create it first")
        try:
            out.mkdir()
        except OSError as exc:
            raise SiteError(f"cannot create {out}: {exc.strerror}") from None
        return []
    if not out.is_dir():
        raise SiteError(f"--out {out} is not a folder")
    marker = out / MARKER
    if not any(out.iterdir()):
        return []
    if not marker.is_file() or marker.is_symlink():
        raise SiteError(
            f"--out {out} holds files planctl did not write (no {MARKER} in it); give a new or empty folder"
        )
    from planctl.store.safefiles import read_regular

    listed = read_regular(marker, 64 << 20).decode("utf-8", errors="replace").splitlines()
    return [line for line in listed if line and not line.startswith("#")]


def remove_stale(out: Path, previous: Iterable[str], written: Iterable[str]) -> None:
    """Remove what the last build wrote and this one did not (only regular files inside ``out``)."""
    keep = set(written)
    for rel in previous:
        if rel in keep or rel.startswith("/") or ".." in rel.split("/"):
            continue
        path = out / rel
        try:
            if inside(out, path.parent) and stat.S_ISREG(os.lstat(path).st_mode):
                path.unlink()
        except OSError:
            continue


def static_files() -> list[tuple[str, bytes]]:
    return [(f"assets/{p.name}", p.read_bytes()) for p in sorted(STATIC.iterdir()) if p.is_file()]


_LISTING = "# files written by planctl site; a later build removes those it no longer makes\n"


def _mark(out: Path, written: list[str]) -> None:
    try:
        write_new(out / MARKER, (_LISTING + "".join(f"{rel}\n" for rel in sorted(written))).encode("utf-8"))
    except OSError as exc:
        raise SiteError(f"cannot write {out / MARKER}: {exc.strerror or exc}") from None


# Shared with forked workers (copy-on-write): pages are rendered where the site was gathered.
_FORKED: dict[str, Any] = {}
PARALLEL_FROM_ITEMS = 2_000  # below this, starting a worker costs more than it saves
# A trend chart (SVG drawn directly, 0.09 ms) costs less than an item page; counted as one.
CHART_COST_IN_ITEMS = 1


def _part(part: int, parts: int) -> tuple[list[str], Events]:
    """Render and write every ``parts``-th plan's pages and downloads, and as many trend
    charts (charts are shared out one by one: one plan may hold most of them); give back
    the files written and the plans' calendar events."""
    site: Site = _FORKED["site"]
    writer = Writer(_FORKED["out"])
    env: jinja2.Environment = _FORKED["env"]
    plans = site.plans[part::parts]
    for rel, html in plan_pages(site, env, plans):
        writer.write(rel, html.encode("utf-8"))
    charted = [m for p in site.plans for m in p.measures if m.view.charted]
    for rel, data in measures_site.measure_charts(charted[part::parts]):
        writer.write(rel, data)
    events: Events = {}
    for rel, data in plan_downloads(site, plans, events):
        writer.write(rel, data)
    return writer.written, events


def _in_parts(
    site: Site, out: Path, env: jinja2.Environment, cpus: int, meanwhile: Callable[[], None]
) -> tuple[list[str], Events]:
    """The plans' pages, downloads and trend charts, in up to ``cpus`` forked workers on a
    large site or one with many charts (each worker writes its own files; only the list of
    files and the plans' calendar events come back). ``meanwhile`` (the pages about all
    plans) runs in this process while the workers run, not after them: it was about a
    tenth of a 10,000-item build spent with the workers' cores idle.
    Each file's bytes do not depend on which worker wrote it."""
    import multiprocessing

    charts = sum(1 for p in site.plans for m in p.measures if m.view.charted)
    work = sum(len(p.items) for p in site.plans) + CHART_COST_IN_ITEMS * charts
    jobs = min(cpus, max(len(site.plans), charts))
    _FORKED.update(site=site, out=out, env=env)
    try:
        if jobs < 2 or work < PARALLEL_FROM_ITEMS or "fork" not in multiprocessing.get_all_start_methods():
            meanwhile()
            return _part(0, 1)
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            started = pool.starmap_async(_part, [(k, jobs) for k in range(jobs)])
            meanwhile()
            parts = started.get()
        return [rel for written, _ in parts for rel in written], {
            slug: got for _, events in parts for slug, got in events.items()
        }
    finally:
        _FORKED.clear()


def build(
    found: Sequence[Found], out: Path, as_of: date, pictures: PictureSet | None, jobs: int
) -> tuple[Site, list[Diagnostic], int]:
    """Build the site into ``out`` with up to ``jobs`` worker processes (the caller's CPU
    count: the site sits below the api layer that knows it); returns the site, the
    invalid files' problems and the number of files written."""
    site, problems, used = gather(found, as_of, pictures, jobs)
    previous = prepare(out)
    if not (out / MARKER).exists():  # claimed at once: a build stopped half way can be run again
        _mark(out, [])
    writer = Writer(out)
    for rel, data in static_files():
        writer.write(rel, data)
    for pic, name in used:
        writer.write(f"assets/pictures/{name}", pic.svg.encode("utf-8"))

    env = compiled_environment()

    def about_all_plans() -> None:
        for rel, html in pages(site, env):
            writer.write(rel, html.encode("utf-8"))
        writer.write("search-index.js", search_index(site).encode("utf-8"))

    written, events = _in_parts(site, out, env, jobs, about_all_plans)
    writer.written.extend(written)
    for rel, data in lead_downloads(site, site.leads, events):
        writer.write(rel, data)
    _mark(out, writer.written)
    remove_stale(out, previous, writer.written)
    return site, problems, len(writer.written)

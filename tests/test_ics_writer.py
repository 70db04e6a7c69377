"""Calendar feeds are written by planctl itself, byte for byte as icalendar 7 wrote them.

icalendar built an object per property and folded each line a character at a time:
about 1.2 s of CPU of a 10,000-item site's downloads. planctl now writes the VEVENTs
directly (escaping and folding in ``planctl.interchange.exporter``); icalendar stays the
independent reference here: it writes the same events the way planctl used to (the
function below is the code planctl ran before), and it reads every feed back.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar, Event
from typer.testing import CliRunner

from planctl.cli import app
from planctl.core.dates import add_clamped
from planctl.core.models import NO_LEAD_LABEL, Item, Plan, closure_of, walk_items
from planctl.core.text import safe_text
from planctl.core.validate import load_text
from planctl.interchange import exporter

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "example-plan.yaml"
STAMP = dt.datetime(2026, 11, 24, tzinfo=dt.UTC)
runner = CliRunner()


def icalendar_feed(
    plans: list[Plan],
    stamp: dt.datetime,
    as_of: dt.date | None = None,
    lead: str | None = None,
    keep: Callable[[Plan, Item], bool] | None = None,
) -> bytes:
    """The feed as planctl wrote it through icalendar before (the reference)."""
    cal = Calendar()
    cal.add("prodid", "-//planctl//plan deadlines//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Plan deadlines")
    for plan in plans:
        for repeating in (False, True):
            for loc in walk_items(plan):
                item = loc.item
                if keep is not None and not keep(plan, item):
                    continue
                if repeating:
                    r = item.repeats
                    freq = exporter._FREQ.get(r.unit or "") if r is not None else None
                    if (
                        r is None
                        or freq is None
                        or r.every_min is None
                        or r.start is None
                        or r.start.start is None
                    ):
                        continue
                    first, written, uid = r.start.start, f"Repeats as written: {r.text}", f"{item.id}/repeats"
                else:
                    d = item.deadline
                    if d is None or not d.resolved or d.end is None:
                        continue
                    first, written, uid = d.end, f"Deadline as written: {d.text}", item.id
                if not exporter.leads_match(loc, lead):
                    continue
                if as_of is not None and (
                    exporter.is_done(plan, loc, as_of) or closure_of(plan, loc.sections, as_of) is not None
                ):
                    continue
                leads = "; ".join(x.label() for x in loc.leads) or NO_LEAD_LABEL
                event = Event()
                event.add("uid", f"{plan.id}/{uid}@planctl")
                event.add("dtstamp", stamp)
                event.add("summary", safe_text(f"{item.id}: {item.title}"))
                event.add("dtstart", first)
                event.add("dtend", add_clamped(first, dt.timedelta(days=1)))
                if repeating:
                    event.add("rrule", {"freq": freq, "interval": r.every_min})
                event.add(
                    "description",
                    safe_text(
                        f"Lead: {leads}\nPlan: {plan.title} ({plan.id})\n"
                        f"Section: {' > '.join(loc.section_titles)}\n{written}"
                    ),
                )
                event.add("categories", [plan.id])
                event.add("transp", "TRANSPARENT")
                cal.add_component(event)
    data: bytes = cal.to_ical()
    return data


def shipped() -> list[Plan]:
    plans = []
    for path in sorted((ROOT / "plans").glob("*.yaml")):
        plan = load_text(path.read_text(encoding="utf-8"), path.name).plan
        assert plan is not None
        plans.append(plan)
    return plans


def test_export_of_the_shipped_plans_is_what_icalendar_wrote() -> None:
    """Every shipped plan's feed, and each lead's (``--lead``, ``--as-of``): the same bytes
    as icalendar's, and icalendar reads them back to the same bytes."""
    plans = shipped()
    for plan in plans:
        got = exporter.to_ics([plan], STAMP)
        assert got == icalendar_feed([plan], STAMP), plan.id
        assert Calendar.from_ical(got).to_ical() == got
    day = dt.date(2026, 11, 24)
    for lead in ("Karen Fuller", "head", "no such lead"):
        assert exporter.to_ics(plans, STAMP, day, lead) == icalendar_feed(plans, STAMP, day, lead), lead


def test_export_command_writes_the_feed_icalendar_wrote(tmp_path: Path) -> None:
    """``planctl export --format ics`` of every shipped plan, through the CLI."""
    out = tmp_path / "all.ics"
    result = runner.invoke(
        app, ["export", "--format", "ics", "--as-of", "2026-11-24", "--out", str(out), str(ROOT / "plans")]
    )
    assert result.exit_code == 0, result.output
    got = out.read_bytes()
    events = list(Calendar.from_ical(got).walk("VEVENT"))
    assert len(events) > 100
    stamp = events[0].decoded("dtstamp")  # the export's clock: the moment it ran
    assert got == icalendar_feed(shipped(), stamp, dt.date(2026, 11, 24))
    assert any("RRULE" in e for e in events)


# Characters that matter to escaping and folding: escapes, multi-byte UTF-8 (2, 3 and 4
# octets, so a fold lands inside one), a combining mark, line breaks and control characters.
_AWKWARD = [*"a b\\^,;:\"'\n\r\t\x1b\u2028é€😀\u0301N", "\\N", "\r\n", "^^", "\\\\"]
_TEXT = st.lists(st.sampled_from(_AWKWARD) | st.characters(exclude_categories=("Cs",)), max_size=120).map(
    "".join
)


def _plan_with(title: str, section: str, item_title: str, lead: str, plan_id_tail: str) -> Plan | None:
    data: dict[str, Any] = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["title"] = title or "t"
    data["id"] = "example-" + plan_id_tail
    data["sections"][0]["title"] = section or "s"
    data["sections"][0]["leads"] = [lead or "l"]
    data["sections"][0]["sections"][0]["items"][0]["title"] = item_title or "i"
    return load_text(yaml.safe_dump(data, allow_unicode=False), "x.yaml").plan


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    title=_TEXT,
    section=_TEXT,
    item_title=_TEXT,
    lead=_TEXT,
    plan_id_tail=st.text(alphabet="abc-19", min_size=1, max_size=60),
    padding=st.integers(min_value=0, max_value=80),
)
def test_any_text_gives_icalendars_bytes(
    title: str, section: str, item_title: str, lead: str, plan_id_tail: str, padding: int
) -> None:
    """Any plan, section, item title and lead, shifted by ``padding`` so every character
    in turn lands on a fold: the same bytes as icalendar, every physical line at most 75
    octets and whole UTF-8, and icalendar reads back the exact texts."""
    plan = _plan_with("x" * padding + title, section, "y" * padding + item_title, lead, plan_id_tail)
    if plan is None:  # a text the plan schema refuses (planctl never writes a feed of it)
        return
    got = exporter.to_ics([plan], STAMP)
    assert got == icalendar_feed([plan], STAMP)
    for line in got.split(b"\r\n"):
        assert len(line) <= 75
        line.decode("utf-8")  # a fold never splits a character
    summaries = {str(e["uid"]): str(e["summary"]) for e in Calendar.from_ical(got).walk("VEVENT")}
    a1 = next(loc.item for loc in walk_items(plan) if loc.item.id == "A1")
    assert summaries[f"{plan.id}/A1@planctl"] == safe_text(f"A1: {a1.title}").replace("\r\n", "\n").replace(
        "\r", "\n"
    ).replace("\\N", "\n")


def test_site_and_export_write_calendars_without_icalendar(tmp_path: Path) -> None:
    """The site's and the export's calendars are written without importing icalendar
    (whose objects and per-character folding were most of a large site's downloads)."""
    script = (
        "import sys\n"
        "from planctl.entry import main\n"
        "sys.argv = ['planctl', *sys.argv[1:]]\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as e:\n"
        "    assert not e.code, e.code\n"
        "assert 'icalendar' not in sys.modules, 'icalendar imported'\n"
    )
    site = tmp_path / "site"
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    for args in (
        ["site", str(ROOT / "plans"), "--out", str(site), "--as-of", "2026-11-24"],
        ["export", "--format", "ics", "--out", str(tmp_path / "x.ics"), str(ROOT / "plans")],
    ):
        done = subprocess.run(
            [sys.executable, "-c", script, *args], capture_output=True, text=True, env=env, cwd=tmp_path
        )
        assert done.returncode == 0, done.stderr
    feeds = sorted(site.rglob("*.ics"))
    assert len(feeds) > 5
    for feed in feeds:
        data = feed.read_bytes()
        assert Calendar.from_ical(data).to_ical() == data

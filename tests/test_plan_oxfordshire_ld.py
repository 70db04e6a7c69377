"""The Oxfordshire Learning Disability Plan 2025-2035 work plans, checked against the source.

Source: seeds/000_3c465f6424dd8a9b.txt. Every count below was taken from the source text,
not from the YAML: see the comment next to each constant.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from planctl.core.models import Item, Plan, walk_items, walk_sections

PLAN_ID = "oxfordshire-ld-plan-2025-2035"
SEED = "000_3c465f6424dd8a9b.txt"

# 4 "Theme ...: ..." headings (lines 12, 74, 127, 182), each with priorities numbered 1-5.
THEMES = 4
PRIORITIES = 20
# Key-action rows under each "Key Actions:<TAB>Outcome Measure of Success" header, in
# document order; the two rows broken by a page break (lines 47/49 and 233/235) count once.
ROWS_PER_PRIORITY = {
    "priority-1-1": 6,  # lines 23-28
    "priority-1-2": 3,  # lines 35-37
    "priority-1-3": 6,  # lines 44-51, 47+49 one row
    "priority-1-4": 4,  # lines 58-61
    "priority-1-5": 5,  # lines 68-72
    "priority-2-1": 3,  # lines 85-87
    "priority-2-2": 3,  # lines 94-96
    "priority-2-3": 4,  # lines 103-106
    "priority-2-4": 2,  # lines 113-114
    "priority-2-5": 4,  # lines 121-125 (blank line 123 inside the table)
    "priority-3-1": 6,  # lines 138-143
    "priority-3-2": 8,  # lines 150-157
    "priority-3-3": 2,  # lines 164-165
    "priority-3-4": 2,  # lines 172-173
    "priority-3-5": 1,  # line 180
    "priority-4-1": 2,  # lines 195-196
    "priority-4-2": 5,  # lines 203-208 (blank line 206 inside the table)
    "priority-4-3": 2,  # lines 215-216
    "priority-4-4": 3,  # lines 223-225
    "priority-4-5": 3,  # lines 232-236, 233+235 one row
}
ITEMS = 74  # the sum of the rows above; every row is a key action
# Rows where neither cell names a month and year: lines 85, 103, 105, 106, 113, 150,
# 223, 225 and 232. Line 94 names its date ("By September 2026") in the key-action cell.
# Line 216 names one, but as when an annual review starts ("starting March 2027"): a
# recurrence's start, not a deadline, so that row has no deadline either.
UNDATED_ROWS = {"2.1.1", "2.3.1", "2.3.3", "2.3.4", "2.4.1", "3.2.1", "4.3.2", "4.4.1", "4.4.3", "4.5.1"}
DATED = ITEMS - len(UNDATED_ROWS)  # 64
WITH_LEAD = 0  # the source names no lead anywhere


@pytest.fixture(scope="module")
def plan(shipped: dict[str, Plan]) -> Plan:
    return shipped[PLAN_ID]


@pytest.fixture(scope="module")
def items(plan: Plan) -> dict[str, Item]:
    return {located.item.id: located.item for located in walk_items(plan)}


def test_metadata(plan: Plan) -> None:
    assert plan.title.startswith("Oxfordshire Learning Disability Plan 2025 – 2035")
    assert plan.owners == []  # the source names no owning organisation
    assert plan.period is not None
    assert plan.period.text == "2025 – 2035"
    assert plan.period.start is None
    assert plan.period.end is None
    assert [s.file for s in plan.sources] == [SEED]
    assert [g.id for g in plan.governance] == ["brs-subgroup", "dsr-forum"]
    # GP is the only acronym in the source; the rest of the glossary explains terms for
    # the easy-read handout (tests/test_easy_read_words.py checks those).
    assert ("GP", "General practitioner, a family doctor") in [(g.term, g.meaning) for g in plan.glossary]
    assert [g.term for g in plan.glossary if g.term.isupper()] == ["GP"]


def test_section_counts(plan: Plan) -> None:
    kinds = Counter(section.kind for section, _, _ in walk_sections(plan.sections))
    assert kinds == {"theme": THEMES, "priority": PRIORITIES}
    assert [s.title for s in plan.sections] == [
        "Having a Good Life",
        "Health and Wellbeing",
        "Having a Place to Live",
        "Homes not Hospitals",
    ]
    rows = {
        section.id: len(section.items)
        for section, _, _ in walk_sections(plan.sections)
        if section.kind == "priority"
    }
    assert rows == ROWS_PER_PRIORITY
    for theme in plan.sections:
        assert [p.number for p in theme.sections] == ["1", "2", "3", "4", "5"]


def test_item_counts(plan: Plan, items: dict[str, Item]) -> None:
    assert len(items) == ITEMS == sum(ROWS_PER_PRIORITY.values())
    assert Counter(item.kind for item in items.values()) == {"action": ITEMS}
    dated = {i for i, item in items.items() if item.deadline is not None}
    assert len(dated) == DATED
    assert set(items) - dated == UNDATED_ROWS
    assert sum(1 for located in walk_items(plan) if located.leads) == WITH_LEAD
    assert all(item.status is None for item in items.values())


@pytest.mark.parametrize(
    ("item_id", "text", "start", "end"),
    [
        ("1.1.1", "by April 2026", dt.date(2026, 4, 1), dt.date(2026, 4, 30)),  # line 23
        ("1.3.4", "by April 2027", dt.date(2027, 4, 1), dt.date(2027, 4, 30)),  # line 49
        ("2.1.2", "By January 2027", dt.date(2027, 1, 1), dt.date(2027, 1, 31)),  # line 86
        # line 94: the date is in the key-action cell, given as the item's own due
        ("2.2.1", "By September 2026", dt.date(2026, 9, 1), dt.date(2026, 9, 30)),
        # line 139: explicit due, else "for 2026/27" would be read as the deadline
        ("3.1.2", "by September 2025", dt.date(2025, 9, 1), dt.date(2025, 9, 30)),
        ("3.1.3", "By February 2026", dt.date(2026, 2, 1), dt.date(2026, 2, 28)),  # line 140
        ("4.4.2", "by March 2026", dt.date(2026, 3, 1), dt.date(2026, 3, 31)),  # line 224
        ("4.5.3", "by October 2025", dt.date(2025, 10, 1), dt.date(2025, 10, 31)),  # line 236
    ],
)
def test_deadlines(items: dict[str, Item], item_id: str, text: str, start: dt.date, end: dt.date) -> None:
    deadline = items[item_id].deadline
    assert deadline is not None
    assert (deadline.text, deadline.start, deadline.end) == (text, start, end)


def test_recurrences(items: dict[str, Item]) -> None:
    # line 85: "invited every year"; line 223: visits "every 6 to 8 weeks", reports
    # "every 4 months"; line 224: "every month"; line 216: "an annual review".
    assert items["2.1.1"].outcomes[0].recurrence is not None
    assert items["2.1.1"].outcomes[0].recurrence.text == "every year"
    repeats = items["4.4.1"].repeats
    assert repeats is not None
    assert repeats.text == "every 6 to 8 weeks"
    assert (repeats.every_min, repeats.every_max, repeats.unit) == (6, 8, "week")
    report = items["4.4.1"].outcomes[0].repeats
    assert report is not None
    assert report.text == "every 4 months"
    monthly = items["4.4.2"].outcomes[0].repeats
    assert monthly is not None
    assert monthly.text == "every month"
    assert items["4.4.2"].outcomes[1].repeats is None
    # line 86: "after their yearly GP health check" times a one-off plan by January 2027
    assert items["2.1.2"].repeats is None
    assert all(o.repeats is None for o in items["2.1.2"].outcomes)
    annual = items["4.3.2"].repeats
    assert annual is not None
    assert annual.text == "annual"
    # line 216: "... starting March 2027" is when the annual review starts
    assert annual.start is not None
    assert (annual.start.text, annual.start.start, annual.start.end) == (
        "March 2027",
        dt.date(2027, 3, 1),
        dt.date(2027, 3, 31),
    )
    assert annual.words() == "every year starting March 2027"
    assert items["4.3.2"].deadline is None


def test_outcomes_split(items: dict[str, Item]) -> None:
    # line 85: four <p> outcome paragraphs; line 207: three; line 224: two sentences.
    assert len(items["2.1.1"].outcomes) == 4
    assert len(items["4.2.4"].outcomes) == 3
    assert [o.deadline is not None for o in items["4.4.2"].outcomes] == [False, True]
    # line 114: the "•" list completes one sentence, kept in one outcome
    assert items["2.4.2"].outcomes[1].text.splitlines()[1:] == [
        "- manage health conditions",
        "- stay independent",
        "- feel well",
    ]
    # line 208: the six teams of the joint working protocol
    assert items["4.2.5"].text is not None
    assert len(items["4.2.5"].text.splitlines()) == 6


def test_page_break_rows_merged(items: dict[str, Item]) -> None:
    row = items["1.3.4"]
    assert row.title.endswith("design workshops and courses to help with getting a job.")
    assert row.provenance is not None
    assert (row.provenance.line, row.provenance.end_line) == (47, 49)
    row = items["4.5.2"]
    assert row.title.endswith("includes how everybody works together to support discharge.")
    assert [o.text for o in row.outcomes] == [
        "The joint working protocol will be written by March 2026.",
        "The person will only be in hospital for as long as treatment is needed.",
    ]
    assert row.provenance is not None
    assert (row.provenance.line, row.provenance.end_line) == (233, 235)


def test_no_html_left(plan: Plan, items: dict[str, Item]) -> None:
    texts = [s.title for s, _, _ in walk_sections(plan.sections)]
    for item in items.values():
        texts += [item.title, item.text or ""] + [o.text for o in item.outcomes]
    assert not [t for t in texts if "<" in t or ">" in t or "**" in t or "•" in t]


@pytest.mark.parametrize(
    ("item_id", "line"),
    [
        ("1.1.1", 23),
        ("1.5.5", 72),
        ("2.1.1", 85),
        ("2.5.3", 124),
        ("3.1.1", 138),
        ("3.5.1", 180),
        ("4.1.1", 195),
        ("4.2.4", 207),
        ("4.4.1", 223),
        ("4.5.3", 236),
    ],
)
def test_provenance(items: dict[str, Item], item_id: str, line: int) -> None:
    provenance = items[item_id].provenance
    assert provenance is not None
    assert provenance.file == SEED
    assert provenance.line == line


def test_every_record_has_provenance(plan: Plan, items: dict[str, Item]) -> None:
    for section, _, _ in walk_sections(plan.sections):
        assert section.provenance is not None
        assert section.provenance.file == SEED
    assert all(item.provenance is not None for item in items.values())

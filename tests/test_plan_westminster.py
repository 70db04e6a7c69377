"""The Westminster and Kensington & Chelsea Big Plan 2018-2021, checked against its source.

Every count below was taken from the seed file 002_6f34026a3b50bfda.txt by reading it, not
from the YAML.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from planctl.core.models import Item, Plan, Section, walk_items, walk_sections

PLAN_ID = "westminster-rbkc-big-plan-2018-2021"
SEED = "002_6f34026a3b50bfda.txt"

# Section 3: six priorities 3.1-3.6 (lines 46-306) and the numbered sub-section 3.6.1 (line 331).
PRIORITY_SECTIONS = 7
# Appendix one (line 572) and its five outcomes (lines 578, 593, 606, 619, 636).
APPENDIX_ONE_SECTIONS = 6
# Appendix two (line 652) and its seven table headings (Planning together ... Other).
APPENDIX_TWO_SECTIONS = 8
SECTIONS = PRIORITY_SECTIONS + APPENDIX_ONE_SECTIONS + APPENDIX_TWO_SECTIONS

# Section 5: 56 numbered rows, lines 485-556.
ACTIONS = 56
# Rows per table heading: 1-5, 6-18, 19-25, 26-39, 40-49, 50-56.
ACTIONS_PER_PRIORITY = {
    "priority-3-1": 5,
    "priority-3-2": 13,
    "priority-3-3": 7,
    "priority-3-4": 14,
    "priority-3-5": 10,
    "priority-3-6": 7,
}
# Row 31 (line 525) is the only row with a blank "By when" cell.
UNDATED_ACTIONS = 1
DATED_ACTIONS = ACTIONS - UNDATED_ACTIONS
# Non-blank "Who will lead this" cells: rows 1-4, 6, 10, 13, 17, 18, 19, 21, 23, 26, 28, 30,
# 34, 35, 38, 40, 44-50, 52, 54, 55.
ACTIONS_WITH_LEAD = 29
# Appendix two, lines 657-738: 63 rows with a "You said" cell (5 + 4 + 10 + 33 + 4 + 5 + 2 per
# heading; the row split over lines 729/731 counted once) and 2 response cells with an empty
# "You said" cell (lines 722 and 727).
FEEDBACK = 63
ORPHAN_RESPONSES = 2
ITEMS = ACTIONS + FEEDBACK + ORPHAN_RESPONSES
# Appendix one tables: 4 + 2 + 2 + 6 + 5 measure rows, each with 4 figures.
KPIS = 19


@pytest.fixture(scope="module")
def plan(shipped: dict[str, Plan]) -> Plan:
    return shipped[PLAN_ID]


@pytest.fixture(scope="module")
def items(plan: Plan) -> dict[str, Item]:
    return {located.item.id: located.item for located in walk_items(plan)}


@pytest.fixture(scope="module")
def sections(plan: Plan) -> dict[str, Section]:
    return {section.id: section for section, _, _ in walk_sections(plan.sections)}


def test_counts(plan: Plan, items: dict[str, Item], sections: dict[str, Section]) -> None:
    assert len(sections) == SECTIONS
    assert len(items) == ITEMS
    kinds = Counter(item.kind for item in items.values())
    assert kinds == {"action": ACTIONS, "feedback": FEEDBACK, "response": ORPHAN_RESPONSES}
    actions = [item for item in items.values() if item.kind == "action"]
    assert sum(item.due is not None for item in actions) == DATED_ACTIONS
    assert sum(item.deadline is None for item in actions) == UNDATED_ACTIONS
    assert sum(bool(item.leads) for item in actions) == ACTIONS_WITH_LEAD
    # Nothing but the delivery plan has a date or a lead.
    assert all(item.due is None and not item.leads for item in items.values() if item.kind != "action")


def test_priorities(plan: Plan, sections: dict[str, Section]) -> None:
    top = [s for s in plan.sections if s.kind == "priority"]
    assert [s.number for s in top] == ["3.1", "3.2", "3.3", "3.4", "3.5", "3.6"]
    assert [s.title for s in top] == [
        "Planning together: co-production",
        "Getting healthy, staying healthy",
        "Making my home my own",
        "Being part of the community",
        "Support to become an independent adult",
        "Good support for parent and family carers",
    ]
    for section_id, count in ACTIONS_PER_PRIORITY.items():
        assert len(sections[section_id].items) == count, section_id
    assert sections["priority-3-6-1"].title == "Short breaks and urgent support"
    assert sections["priority-3-6-1"].items == []
    # Paragraphs split by a page break are joined.
    assert "the Royal Borough of Kensington and Chelsea is looking" in (sections["priority-3-3"].text or "")


def test_actions_in_table_order(plan: Plan) -> None:
    numbers = [located.item.number for located in walk_items(plan) if located.item.kind == "action"]
    assert numbers == [str(n) for n in range(1, ACTIONS + 1)]


def test_deadlines(items: dict[str, Item]) -> None:
    first = items["DP1"].deadline
    assert first is not None
    assert (first.text, first.start, first.end) == ("Nov 19", dt.date(2019, 11, 1), dt.date(2019, 11, 30))
    latest = items["DP27"].deadline
    assert latest is not None
    assert (latest.text, latest.end) == ("Oct 20", dt.date(2020, 10, 31))
    # Rows 50 and 51 say "Mar 18", before the plan period: kept as written.
    for item_id in ("DP50", "DP51"):
        due = items[item_id].deadline
        assert due is not None
        assert (due.text, due.start, due.end) == ("Mar 18", dt.date(2018, 3, 1), dt.date(2018, 3, 31))
    assert items["DP31"].due is None
    assert items["DP31"].leads == []


def test_leads(items: dict[str, Item]) -> None:
    def names(item_id: str) -> list[str]:
        return [lead.label() for lead in items[item_id].leads]

    assert names("DP1") == ["Commissioning and Contracts Lead, Ian Jarman"]
    assert names("DP3") == [
        "Commissioning and Contracts Lead, Derry Pitcaithly",
        "Commissioning and Contracts Lead, Ian Jarman",
    ]
    assert names("DP17") == [
        "Bi-Borough Head of Service, Laura Gordon",
        "Senior Commissioning Officer, Peter Beard",
    ]
    assert names("DP40") == ["Sheila Rodgers, Service Manager, RBKC Community LD Team"]
    assert names("DP45") == ["Steve Comber, Head of Local Offer and SEN Outreach"]
    # Blank lead cells stay blank; the lead of the row above is not copied down.
    for item_id in ("DP5", "DP7", "DP20", "DP51", "DP56"):
        assert items[item_id].leads == [], item_id


def test_page_break_row(items: dict[str, Item]) -> None:
    row = items["DP7"]
    assert row.title.endswith("embedded within transition.")
    assert row.provenance is not None
    assert (row.provenance.line, row.provenance.end_line) == (492, 495)


def test_provenance(items: dict[str, Item], sections: dict[str, Section]) -> None:
    item_files = {item.id: item.provenance and item.provenance.file for item in items.values()}
    assert set(item_files.values()) == {SEED}
    section_files = {s.id: s.provenance and s.provenance.file for s in sections.values()}
    assert set(section_files.values()) == {SEED}

    def line(record: Item | Section) -> int | None:
        return record.provenance.line if record.provenance else None

    assert line(items["DP1"]) == 485
    assert line(items["DP56"]) == 556
    assert line(items["FB1"]) == 658
    assert line(sections["priority-3-4"]) == 217


def test_kpis(sections: dict[str, Section]) -> None:
    kpis = [k for n in range(1, 6) for k in sections[f"appendix-1-outcome-{n}"].kpis]
    assert len(kpis) == KPIS
    assert all(len(k.observations) == 4 for k in kpis)
    health_check = next(k for k in kpis if k.name == "More people will have an annual health check")
    figures = {(o.period, o.area): (o.value, o.text) for o in health_check.observations}
    assert figures == {
        ("13/14", "RBKC"): (76.0, "76.0%"),
        ("13/14", "WCC"): (54.0, "54%"),
        ("17/18", "RBKC"): (59.6, "59.6%"),
        ("17/18", "WCC"): (26.0, "26.0%"),
    }
    complaints = next(k for k in kpis if k.name == "Number of formal complaints received")
    assert complaints.unit == "count"
    assert complaints.polarity is None
    assert [o.text for o in complaints.observations] == ["4", "2", "4", "9"]


def test_feedback(items: dict[str, Item], sections: dict[str, Section]) -> None:
    assert sections["appendix-2"].kind == "feedback"
    first = items["FB1"]
    assert first.kind == "feedback"
    assert (
        first.title
        == "People said they wanted to have more say about their services and how they are arranged."
    )
    assert (first.text or "").startswith("- From April to September 2018")
    # A blank response cell stays blank.
    assert items["FB2"].text is None
    assert items["FB53"].kind == "response"
    assert items["FB58"].kind == "response"


def test_metadata(plan: Plan) -> None:
    assert plan.owners == [
        "City of Westminster",
        "Royal Borough of Kensington and Chelsea",
        "Central London CCG",
        "West London CCG",
    ]
    assert plan.period is not None
    assert plan.period.text == "2018-2021"
    assert plan.sources[0].file == SEED
    assert {g.id for g in plan.governance} >= {"local-account-group", "ld-transformation-board"}
    assert {g.term for g in plan.glossary} >= {"CCG", "JSNA", "RBKC", "WCC", "LeDeR"}

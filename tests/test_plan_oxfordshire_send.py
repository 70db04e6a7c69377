"""The Oxfordshire SEND Priority Action Plan (PAP), checked against the source.

Source: seeds/004_f4a9ba39066a9273.txt. Every count below was taken from the source text,
not from the YAML: see the comment next to each constant.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import pytest

from planctl.core.models import Item, Plan, Provenance, Section, walk_items, walk_sections

PLAN_ID = "oxfordshire-send-pap-2024"
SEED = "004_f4a9ba39066a9273.txt"

# "Priority Action Area" statements numbered 1-5 (lines 37, 324, 616, 862, 1617).
PRIORITIES = 5
# "Our response: PAP ..." headings: PAP 1, 2A, 2B, 3A, 3B, 4A, 4B, 4C, 4D, 5A, 5B, 5C, 5D
# (lines 42, 329, 409, 622, 780, 866, 1002, 1202, 1431, 1622, 1678, 1781, 1889).
SUB_THEMES = 13
# Objective ids in the "Objective" column, per sub-theme (grep -n "^PAP" in the seed;
# "PAPAC:1/2" are PAP4C:1/2, "PAP 3A:2" is PAP3A:2).
OBJECTIVES_PER_SUB_THEME = {
    "PAP1": 5,  # lines 66, 132, 186, 235, 280
    "PAP2A": 2,  # lines 358, 388
    "PAP2B": 3,  # lines 432, 511, 564
    "PAP3A": 4,  # lines 645, 675, 703, 730
    "PAP3B": 3,  # lines 797, 810, 826 (the tick matrix's "3b:4" is not in the text)
    "PAP4A": 3,  # lines 889, 914, 967
    "PAP4B": 3,  # lines 1027, 1090, 1139
    "PAP4C": 3,  # lines 1235, 1280, 1322
    "PAP4D": 2,  # lines 1454, 1562
    "PAP5A": 1,  # line 1640
    "PAP5B": 2,  # lines 1701, 1738
    "PAP5C": 1,  # line 1804
    "PAP5D": 1,  # line 1913
}
OBJECTIVES = 33  # the sum above; every item is an objective
# Every objective text opens with "By <month> <year>" except PAP5D:1 (lines 1915-1923).
UNDATED = {"PAP5D:1"}
DATED = OBJECTIVES - len(UNDATED)  # 32
WITH_LEAD = 0  # no lead or owner is named for any objective
# "Area for Improvement 1:" ... "4:" (lines 1980, 1995, 2014, 2029), inside one
# "Areas for Improvement" section that keeps the introduction (lines 1962-1976).
AREAS_FOR_IMPROVEMENT = 4
SECTIONS = PRIORITIES + SUB_THEMES + 1 + AREAS_FOR_IMPROVEMENT  # 23
# Distinct evidence codes cited in the text, after OCR repairs: E1-E117 less E35, E69, E94
# (never cited) = 114; D1-D4; G1, G3; V1, V4; AfI1, AfI4, AfI5, AfI6, AfI7. "(14)" and
# "(15)" (lines 1982-1983) lost their prefix and are not codes.
EVIDENCE_CODES = 114 + 4 + 2 + 2 + 5  # 127

# Deadlines as written at the start of each objective, with the month they resolve to.
DEADLINES = {
    "PAP1:1": ("By April 2024", dt.date(2024, 4, 1), dt.date(2024, 4, 30)),  # line 68
    "PAP1:2": ("By January 2024", dt.date(2024, 1, 1), dt.date(2024, 1, 31)),  # line 134
    "PAP1:5": ("By October 2024", dt.date(2024, 10, 1), dt.date(2024, 10, 31)),  # line 282
    "PAP2B:3": ("By April 2025", dt.date(2025, 4, 1), dt.date(2025, 4, 30)),  # line 566
    "PAP3A:2": ("By September 2024", dt.date(2024, 9, 1), dt.date(2024, 9, 30)),  # line 677
    "PAP4B:3": ("By January 2025", dt.date(2025, 1, 1), dt.date(2025, 1, 31)),  # line 1141
    # "By October2024" in the source (line 1237)
    "PAP4C:1": ("By October 2024", dt.date(2024, 10, 1), dt.date(2024, 10, 31)),
    "PAP5B:1": ("By December 2023", dt.date(2023, 12, 1), dt.date(2023, 12, 31)),  # line 1703
}
# Deadlines per month, counted from the "By ..." lines of the 32 dated objectives.
DEADLINE_TEXTS = Counter(
    {
        "By April 2024": 13,  # 1:1, 1:3, 1:4, 2A:1, 2B:1, 3A:1, 3A:4, 3B:2, 4A:1, 4A:3, 4C:2, 4C:3, 5C:1
        "By July 2024": 6,  # 2A:2, 2B:2, 3B:1, 3B:3, 4A:2, 4B:2
        "By September 2024": 4,  # 3A:2, 3A:3, 4D:2, 5B:2
        "By October 2024": 4,  # 1:5, 4B:1, 4C:1, 4D:1
        "By January 2024": 2,  # 1:2, 5A:1
        "By January 2025": 1,  # 4B:3
        "By April 2025": 1,  # 2B:3
        "By December 2023": 1,  # 5B:1
    }
)

# First line (the objective's row) of a few objectives in the seed file.
PROVENANCE_LINES = {
    "PAP1:1": 66,
    "PAP3A:2": 675,
    "PAP4C:1": 1235,
    "PAP4C:2": 1280,
    "PAP5D:1": 1913,
}


def _line(prov: Provenance | None) -> int:
    assert prov is not None
    return prov.line or 0


def _file(prov: Provenance | None) -> str:
    assert prov is not None
    return prov.file


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
    kinds = Counter(s.kind for s in sections.values())
    assert len(sections) == SECTIONS
    assert kinds["priority"] == PRIORITIES
    assert kinds["sub-theme"] == SUB_THEMES
    assert kinds["area-for-improvement"] == AREAS_FOR_IMPROVEMENT
    assert len(items) == OBJECTIVES
    assert Counter(i.kind for i in items.values()) == {"objective": OBJECTIVES}
    assert sum(1 for i in items.values() if i.deadline is not None) == DATED
    assert {i.id for i in items.values() if i.deadline is None} == UNDATED
    assert sum(1 for located in walk_items(plan) if located.leads) == WITH_LEAD
    assert len(plan.evidence) == EVIDENCE_CODES


def test_structure(sections: dict[str, Section]) -> None:
    assert [s.id for s in sections["priority-1"].sections] == ["PAP1"]
    for sub_theme, count in OBJECTIVES_PER_SUB_THEME.items():
        section = sections[sub_theme]
        assert section.kind == "sub-theme"
        assert len(section.items) == count, sub_theme
        assert [i.id for i in section.items] == [f"{sub_theme}:{n}" for n in range(1, count + 1)]
        assert section.intended_outcomes, sub_theme
        assert section.success_measures, sub_theme
    assert sections["PAP2A"].number == "PAP 2A"
    assert len(sections["PAP2A"].success_measures) == 8  # lines 335-351
    assert len(sections["PAP4C"].intended_outcomes) == 4  # lines 1213-1221


def test_objective_ids_match_the_source_pattern(items: dict[str, Item]) -> None:
    for ident, item in items.items():
        assert re.fullmatch(r"PAP[1-5][A-D]?:[1-5]", ident), ident
        assert item.number == ident
        assert item.impacts, ident
        assert item.evidence, ident
        assert item.status is None  # the BRAG cells are empty in the source
        assert not item.leads


def test_deadlines(items: dict[str, Item]) -> None:
    for ident, (text, start, end) in DEADLINES.items():
        deadline = items[ident].deadline
        assert deadline is not None
        assert (deadline.text, deadline.start, deadline.end) == (text, start, end), ident
        assert items[ident].title.startswith(text), ident
    texts = Counter(i.due.text for i in items.values() if i.due is not None)
    assert texts == DEADLINE_TEXTS
    assert items["PAP5D:1"].due is None
    assert items["PAP5D:1"].title.startswith("All staff who work with children")


def test_ratings_and_scale(plan: Plan) -> None:
    assert plan.ratings_as_of == dt.date(2024, 6, 1)  # "15t June 2024", line 31
    scale = plan.scale("brag")
    assert scale is not None
    assert [(v.label, v.done) for v in scale.values] == [
        ("Red", False),
        ("Amber", False),
        ("Green", True),
        ("Blue", True),
    ]
    assert scale.values[0].meaning == "Actions delayed and impact not being delivered"
    assert all(v.colour and re.fullmatch(r"#[0-9a-f]{6}", v.colour) for v in scale.values)


def test_evidence(plan: Plan, items: dict[str, Item], sections: dict[str, Section]) -> None:
    catalogue = {e.code: e for e in plan.evidence}
    cited = {c for i in items.values() for c in i.evidence}
    cited |= {c for s in sections.values() for c in s.evidence}
    assert cited == set(catalogue)
    # OCR repairs: "E9O" (line 903), "AF14"/"Afl4" (lines 1063, 1078), "AF17" (line 2019).
    assert items["PAP4A:1"].evidence == ["E17", "E90"]
    assert "AfI4" in items["PAP4B:1"].evidence
    assert "AfI7" in sections["afi-3"].evidence
    assert not {"E9O", "AF14", "AF17", "14", "15"} & set(catalogue)
    assert items["PAP1:1"].evidence[:3] == ["E1", "E102", "E98"]  # lines 85, 88, 91
    assert catalogue["E62"].text == "LAP Priority KPIs"  # line 274
    assert catalogue["E53"].title == "SENDCO Helpdesk Analysis"  # line 542
    assert catalogue["D3"].text == "KPI Priority List and Long list development plan"  # line 1986
    assert _line(catalogue["E90"].provenance) == 447


def test_areas_for_improvement(sections: dict[str, Section]) -> None:
    areas = sections["areas-for-improvement"].sections
    assert [s.id for s in areas] == ["afi-1", "afi-2", "afi-3", "afi-4"]
    for area in areas:
        assert area.kind == "area-for-improvement"
        assert area.impacts
        assert area.evidence
        assert not area.leads  # the Task & Finish Groups are not named
        assert not area.items
    assert sections["afi-2"].title.startswith("Leaders should improve their strategic approach")
    assert sections["afi-2"].evidence == ["E62", "AfI1"]  # lines 2005-2009


def test_provenance(plan: Plan, items: dict[str, Item], sections: dict[str, Section]) -> None:
    for located in walk_items(plan):
        assert _file(located.item.provenance) == SEED
        assert _line(located.item.provenance) >= 1
    for section in sections.values():
        assert _file(section.provenance) == SEED
    for ident, line in PROVENANCE_LINES.items():
        assert _line(items[ident].provenance) == line, ident
    assert _line(sections["PAP4C"].provenance) == 1202
    assert _line(sections["afi-4"].provenance) == 2027

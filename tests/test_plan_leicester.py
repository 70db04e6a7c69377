"""Leicester's Big Plan addendum 2024 (strategy 2024 to 2026), checked against its source.

Every count below was taken from the seed file 003_1b32f29d607e0173.txt by reading it, not
from the YAML.
"""

from __future__ import annotations

import pytest

from planctl.core.models import Item, Plan, Section, walk_items, walk_sections

PLAN_ID = "leicester-big-plan-2024-2026"
SEED = "003_1b32f29d607e0173.txt"

# "Key priorities", lines 125-164: "Priority area 1", "Priority area 2", "Priority area 3".
SECTIONS = 3
# Numbered "Action" lists: 1.-9. (lines 133-144), 1.-5. (lines 152-156), 1. (line 164).
ACTIONS_PER_AREA = {"priority-area-1": 9, "priority-area-2": 5, "priority-area-3": 1}
ITEMS = 15
# The source gives no date and names no lead for any action.
DATED = 0
WITH_LEAD = 0
UNDATED = ITEMS


@pytest.fixture(scope="module")
def plan(shipped: dict[str, Plan]) -> Plan:
    return shipped[PLAN_ID]


@pytest.fixture(scope="module")
def items(plan: Plan) -> dict[str, Item]:
    return {located.item.id: located.item for located in walk_items(plan)}


@pytest.fixture(scope="module")
def sections(plan: Plan) -> dict[str, Section]:
    return {section.id: section for section, _, _ in walk_sections(plan.sections)}


def test_counts(items: dict[str, Item], sections: dict[str, Section]) -> None:
    assert len(sections) == SECTIONS
    assert {s.kind for s in sections.values()} == {"priority"}
    assert len(items) == ITEMS
    assert {item.kind for item in items.values()} == {"action"}
    assert sum(item.deadline is not None for item in items.values()) == DATED
    assert sum(item.deadline is None for item in items.values()) == UNDATED
    assert sum(bool(item.leads) for item in items.values()) == WITH_LEAD
    for section_id, count in ACTIONS_PER_AREA.items():
        assert len(sections[section_id].items) == count, section_id


def test_no_inherited_leads(plan: Plan) -> None:
    # The delivery groups are governance, not leads: no section carries leads either.
    assert all(not located.leads for located in walk_items(plan))


def test_areas(plan: Plan) -> None:
    assert [(s.number, s.title) for s in plan.sections] == [
        ("1", "Health, social care and community inequalities"),
        ("2", "Work, college and money"),
        ("3", "Support for carers."),
    ]


def test_actions(items: dict[str, Item]) -> None:
    assert [item.id for item in items.values()] == [
        *(f"1.{n}" for n in range(1, 10)),
        *(f"2.{n}" for n in range(1, 6)),
        "3.1",
    ]
    assert items["1.4"].title == "Training will be provided to all staff on:"
    assert (
        items["1.4"].text
        == "- learning disability awareness\n- reasonable adjustments\n- equality and diversity"
    )
    assert items["1.6"].title.endswith("provide information and guidance to.")
    assert items["3.1"].title == (
        "Short break needs for carers of people with complex needs and profound and multiple "
        "learning disability need to be met."
    )


def test_provenance(items: dict[str, Item], sections: dict[str, Section]) -> None:
    def where(record: Item | Section) -> tuple[str, int | None, int | None] | None:
        p = record.provenance
        return (p.file, p.line, p.end_line) if p else None

    assert where(items["1.1"]) == (SEED, 133, None)
    assert where(items["1.4"]) == (SEED, 136, 139)
    assert where(items["2.5"]) == (SEED, 156, None)
    assert where(items["3.1"]) == (SEED, 164, None)
    assert where(sections["priority-area-2"]) == (SEED, 146, 156)


def test_governance(plan: Plan) -> None:
    delivering = {g.name: (g.delivers, g.reports_to) for g in plan.governance if g.delivers}
    board = "Learning Disability Partnership Board"
    assert delivering == {
        "Leicester Leicestershire and Rutland Health Inequalities Group": (["priority-area-1"], board),
        "Supported Employment Working Group": (["priority-area-2"], board),
        "Leicester Adult Social Care Accommodation Board": (["priority-area-3"], board),
    }
    section_ids = {s.id for s in plan.sections}
    assert all(set(g.delivers) <= section_ids for g in plan.governance)


def test_metadata(plan: Plan) -> None:
    assert plan.period is not None
    assert plan.period.text == "2024 to 2026"
    assert plan.owners == ["Leicester City Council"]
    assert len(plan.partners) == 17  # "Other partners identified include", lines 107-123
    assert "Connexions" in plan.partners
    assert plan.sources[0].file == SEED
    assert any(note.startswith("Key national legislation/guidance: Care Act 2014") for note in plan.notes)

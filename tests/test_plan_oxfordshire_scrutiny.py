"""The Oxfordshire People Overview and Scrutiny Committee papers (seed 001), transcribed.

Counts are taken from the seed file by hand, independently of the YAML:
- Forward work plan (lines 7492-7748): three meeting dates (6 November 2025,
  15 January 2026, 19 March 2026) with three topics each = 9 topics.
- Recommendation Tracker (lines 7749-7797): one row (26-Jun-25) with recommendations
  1 and 2 = 2 recommendations.
- Action Tracker (lines 7798-7826): "There are no outstanding Actions." = 0 items.
- Recommendation Update Tracker (lines 7827-7886): 17-Sep-24 with one unnumbered
  recommendation, 15-July-25 with recommendations 1, 2 and 4 = 4 recommendations.
- Minutes of 18 September 2025, minute 24/25 (lines 581-595): 2 agreed actions.
- ASC Improvement Plan (lines 916-1787): 5 key focus areas; actions read from the
  paragraphs that commit to future or ongoing work: 1 + 3 + 4 + 5 + 5 = 18.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from planctl.core.models import Plan, walk_items, walk_sections

PLAN_ID = "oxfordshire-people-scrutiny-2025-26"
SEED = "001_1e47c8ac389b41b7.txt"

# work-plan + 3 meetings; 2 trackers with 1 and 2 meeting rows; the empty action tracker;
# the minutes; the improvement plan and its 5 focus areas: 4 + 2 + 3 + 1 + 1 + 6.
SECTIONS = 17
# 9 topics + 2 + 4 recommendations + 2 minute actions + 18 improvement-plan actions.
ITEMS = 35
BY_KIND = {"topic": 9, "recommendation": 6, "action": 20}
# The two Co-production recommendations that name "the 2025/26 municipal year", the young
# carers data (paragraph 31, "in 2025/26") and the autism engagement session (paragraph
# 44, "early December 2025"); and the 9 work-plan topics, due at their meetings.
DATED = 4 + 9
# Every topic names report leads (9); all 6 recommendations have a lead (own or the
# row's merged Lead cell); both minute actions name an owner; paragraphs 15, 31 and 48
# name who does the work: 9 + 6 + 2 + 3.
WITH_LEAD = 20
FOCUS_AREAS = 5


@pytest.fixture(scope="module")
def plan(shipped: dict[str, Plan]) -> Plan:
    return shipped[PLAN_ID]


@pytest.fixture(scope="module")
def items(plan: Plan) -> dict:
    return {located.item.id: located for located in walk_items(plan)}


def test_counts(plan: Plan, items: dict) -> None:
    assert len(list(walk_sections(plan.sections))) == SECTIONS
    assert len(items) == ITEMS
    assert Counter(loc.item.kind for loc in items.values()) == BY_KIND
    dated = [loc for loc in items.values() if loc.item.deadline is not None]
    assert len(dated) == DATED
    assert len(items) - len(dated) == ITEMS - DATED
    assert sum(1 for loc in items.values() if loc.leads) == WITH_LEAD
    kinds = [s.kind for s, _, _ in walk_sections(plan.sections)]
    assert kinds.count("focus-area") == FOCUS_AREAS


def test_metadata(plan: Plan) -> None:
    assert plan.owners == ["Oxfordshire County Council"]
    assert plan.governance[0].name == "People Overview and Scrutiny Committee"
    assert plan.period is not None
    assert plan.period.start is None
    assert plan.period.text
    assert {s.id for s in plan.scales} == {"tracker", "update-tracker", "decision"}
    done = {s.id: [v.key for v in s.values if v.done] for s in plan.scales}
    assert done == {"tracker": ["complete"], "update-tracker": ["updated"], "decision": []}


def test_work_plan_leads(items: dict) -> None:
    assert [lead.name for lead in items["wp-2026-01-15.2"].item.leads] == ["Karen Fuller", "Ian Bottomley"]
    assert [lead.name for lead in items["wp-2026-03-19.2"].item.leads] == [
        "Stephen Chandler",
        "Karen Fuller",
        "tbc",
    ]
    assert [lead.name for lead in items["wp-2026-03-19.3"].item.leads] == ["TBC"]
    meeting = items["wp-2026-03-19.3"].sections[-1]
    assert meeting.kind == "meeting"
    assert meeting.date == dt.date(2026, 3, 19)
    assert items["wp-2025-11-06.1"].item.provenance.line == 7512


def test_recommendation_tracker(plan: Plan, items: dict) -> None:
    rec1 = items["rt-2025-06-26.1"]
    assert rec1.item.number == "1"
    assert rec1.scale_id == "tracker"
    assert rec1.sections[-1].date == dt.date(2025, 6, 26)
    # The Lead cell spans both recommendations: it sits on the meeting row, not copied.
    assert not rec1.item.leads
    assert [lead.name for lead in rec1.leads] == ["Karen Fuller"]
    assert rec1.item.status is None
    assert not rec1.item.updates
    assert rec1.item.due is None
    assert rec1.item.provenance.line == 7779
    # The Cabinet response is attached to the tracker items themselves.
    for item_id, line in (("rt-2025-06-26.1", 7929), ("rt-2025-06-26.2", 7986)):
        response = items[item_id].item.response
        assert response is not None
        assert response.decision == "partially-accepted"
        assert response.scale == "decision"
        assert response.timescale is None
        assert response.text == "Enter optional text here"
        assert response.provenance.line == line
    assert "target of 2000 participants is retained" in items["rt-2025-06-26.2"].item.response.action
    action_tracker = next(s for s, _, _ in walk_sections(plan.sections) if s.id == "action-tracker")
    assert action_tracker.items == []
    assert action_tracker.sections == []


def test_update_tracker(items: dict) -> None:
    numbers = [items[f"rut-2025-07-15.{n}"].item.number for n in (1, 2, 4)]
    assert numbers == ["1", "2", "4"]
    assert "rut-2025-07-15.3" not in items
    rec = items["rut-2025-07-15.1"]
    assert rec.scale_id == "update-tracker"
    assert [lead.name for lead in rec.leads] == ["Karen Fuller", "Fulya Markham"]
    assert (rec.item.deadline.start, rec.item.deadline.end) == (dt.date(2025, 5, 1), dt.date(2026, 4, 30))
    # "Update expected in Summer 2026" is not the recommendations' deadline.
    assert items["rut-2025-07-15.4"].item.deadline is None
    assert "Summer 2026" in rec.sections[-1].text
    single = items["rut-2024-09-17.1"]
    assert single.item.number is None
    assert single.item.status is None
    assert [lead.name for lead in single.item.leads] == ["Karen Fuller"]


def test_minute_actions(items: dict) -> None:
    first, second = items["24/25.1"], items["24/25.2"]
    assert first.item.number == second.item.number == "24/25"
    assert [lead.name for lead in first.item.leads] == [
        "Independent Chair",
        "other Adult Social Services Officers",
    ]
    assert [lead.name for lead in second.item.leads] == ["Director of Adult Social Services"]
    assert first.item.deadline is None
    assert second.item.deadline is None
    assert (first.item.provenance.line, second.item.provenance.line) == (585, 592)
    assert first.item.provenance.file == SEED


def test_improvement_plan_dates(items: dict) -> None:
    autism = items["fa4-p44"].item
    assert (autism.deadline.start, autism.deadline.end) == (dt.date(2025, 12, 1), dt.date(2025, 12, 10))
    launch = autism.outcomes[0].deadline
    assert (launch.start, launch.end) == (dt.date(2026, 4, 2), dt.date(2026, 4, 2))
    carers = items["fa3-p31"].item
    assert (carers.deadline.start, carers.deadline.end) == (dt.date(2025, 4, 1), dt.date(2026, 3, 31))
    assert items["fa2-p15"].item.provenance.line == 1106
    assert items["fa1-p10"].sections[-1].title.startswith("Consistency and timeliness")


def test_every_record_has_provenance(plan: Plan, items: dict) -> None:
    for section, _, _ in walk_sections(plan.sections):
        assert section.provenance is not None, section.id
        assert section.provenance.line, section.id
    for loc in items.values():
        assert loc.item.provenance is not None, loc.item.id
        assert loc.item.provenance.file == SEED, loc.item.id

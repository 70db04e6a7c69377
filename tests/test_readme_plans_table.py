"""The README's table of shipped plans matches the plans."""

from __future__ import annotations

import re
from pathlib import Path

from planctl.core.models import Plan, is_tbc, walk_items, walk_sections

ROOT = Path(__file__).resolve().parents[1]


def counts(plan: Plan) -> tuple[int, int, int, int]:
    items = list(walk_items(plan))
    dated = sum(1 for x in items if x.item.deadline is not None and x.item.deadline.resolved)
    return (
        sum(1 for _ in walk_sections(plan.sections)),
        len(items),
        dated,
        sum(1 for x in items if any(not is_tbc(lead) for lead in x.leads)),  # as 'planctl stats'
    )


def test_readme_table_matches_shipped_plans(shipped: dict[str, Plan]) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = re.findall(
        r"^\| `plans/([\w.-]+)\.yaml` \| .* \| (\d+) \| (\d+) \| (\d+) \| (\d+) \|$", readme, re.M
    )
    table = {plan_id: tuple(int(n) for n in numbers) for plan_id, *numbers in rows}
    assert table == {plan_id: counts(plan) for plan_id, plan in shipped.items()}

"""Small helpers shared by rule modules."""

from __future__ import annotations

from planctl.core.models import KPI, Lead, Plan


def owner_names(plan: Plan) -> frozenset[str]:
    return frozenset(o.strip().casefold() for o in plan.owners)


def is_owner(lead: Lead, owners: frozenset[str]) -> bool:
    """The plan's owning organisation named as a lead names nobody in particular."""
    return lead.label().strip().casefold() in owners


def item_label(kind: str, number: str | None, ident: str) -> str:
    return f"{kind} {number}" if number else f"{kind} {ident}"


def measure_label(kpi: KPI, area: str | None = None) -> str:
    """How a finding names a measure: ``measure 'K1'`` (its name where it has no id),
    ``in WCC`` after it for one area's figures."""
    return f"measure {kpi.id or kpi.name!r}" + (f" in {area}" if area else "")

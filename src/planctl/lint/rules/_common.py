"""Small helpers shared by rule modules."""

from __future__ import annotations

from datetime import date

from planctl.models import Item, Lead, Plan


def owner_names(plan: Plan) -> frozenset[str]:
    return frozenset(o.strip().casefold() for o in plan.owners)


def is_owner(lead: Lead, owners: frozenset[str]) -> bool:
    """The plan's owning organisation named as a lead names nobody in particular."""
    return lead.label().strip().casefold() in owners


def item_label(kind: str, number: str | None, ident: str) -> str:
    return f"{kind} {number}" if number else f"{kind} {ident}"


def current_status(item: Item) -> tuple[str | None, date | None]:
    """The item's rating now and the date it was given (the latest dated update wins ties)."""
    rated = [u for u in item.updates if u.status]
    latest = max(rated, key=lambda u: u.date) if rated else None
    if item.status is not None:
        when = item.status_date
        if when is None and latest is not None and latest.status == item.status:
            when = latest.date
        return item.status, when
    if latest is not None:
        return latest.status, latest.date
    return None, None

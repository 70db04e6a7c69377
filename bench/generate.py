"""Deterministic benchmark corpora shaped like the shipped plans.

Items, sections and plan headers are sampled (with a fixed seed) from the real plans in
``plans/`` and given fresh ids, so a corpus exercises the same fields, text lengths and
date phrases as real data, at any size. Usage::

    python bench/generate.py --items 10000 --out /tmp/corpus-10k
"""

from __future__ import annotations

import argparse
import copy
import random
import shutil
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
HEADER = "# yaml-language-server: $schema=../schema/plan.schema.json\n"
PLAN_KEYS = (
    "title",
    "kind",
    "summary",
    "owners",
    "partners",
    "period",
    "ratings_as_of",
    "sources",
    "scales",
    "glossary",
)


def _shipped() -> list[dict[str, Any]]:
    plans = []
    for path in sorted((ROOT / "plans").glob("*.yaml")):
        plans.append(yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader))
    return plans


def _items(section: dict[str, Any]) -> list[dict[str, Any]]:
    found = list(section.get("items", []))
    for child in section.get("sections", []):
        found += _items(child)
    return found


def _samples(plans: list[dict[str, Any]]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(plan, item) pairs: each item keeps the plan whose scales and catalogue it needs."""
    out = []
    for plan in plans:
        for section in plan.get("sections", []):
            out += [(plan, item) for item in _items(section)]
    return out


def _strip(item: dict[str, Any]) -> dict[str, Any]:
    item = copy.deepcopy(item)
    item.pop("links", None)  # links point at ids that do not exist in the corpus
    item.pop("evidence", None)  # codes belong to another plan's catalogue
    return item


def generate(total_items: int, out: Path, *, items_per_file: int = 100, seed: int = 2026) -> list[Path]:
    """Write ``total_items`` items spread over plan files of ``items_per_file`` items."""
    rng = random.Random(seed)
    samples = _samples(_shipped())
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    written: list[Path] = []
    made = 0
    index = 0
    while made < total_items:
        index += 1
        count = min(items_per_file, total_items - made)
        base_plan, _ = samples[rng.randrange(len(samples))]
        plan: dict[str, Any] = {"schema_version": 1, "id": f"bench-plan-{index:05d}"}
        plan.update({k: copy.deepcopy(base_plan[k]) for k in PLAN_KEYS if k in base_plan})
        sections: list[dict[str, Any]] = []
        for s in range(0, count, 10):
            items = []
            for j in range(s, min(s + 10, count)):
                _, item = samples[rng.randrange(len(samples))]
                new = _strip(item)
                new["id"] = f"P{index}.{j + 1}"
                new["number"] = str(j + 1)
                if "status" in new and not plan.get("scales"):
                    new.pop("status")
                    new.pop("status_date", None)
                if new.get("scale") and new["scale"] not in {sc["id"] for sc in plan.get("scales", [])}:
                    new.pop("scale")
                    new.pop("status", None)
                    new.pop("response", None)
                if "response" in new and "decision" not in {sc["id"] for sc in plan.get("scales", [])}:
                    new.pop("response")
                for u in new.get("updates", []):
                    u.pop("status", None)
                items.append(new)
            sections.append(
                {
                    "id": f"s{s // 10 + 1}",
                    "kind": "priority",
                    "number": str(s // 10 + 1),
                    "title": f"Section {s // 10 + 1}",
                    "items": items,
                }
            )
        plan["sections"] = sections
        path = out / f"bench-plan-{index:05d}.yaml"
        text = HEADER + yaml.dump(
            plan, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True, width=100
        )
        path.write_text(text, encoding="utf-8")
        written.append(path)
        made += count
    return written


def flat_plan(items: int, out: Path, *, bad_key: bool = False) -> Path:
    """One plan file of ``items`` small items in 10 sections, in the layout planctl writes.

    For the scaling rows: items are small so that 100,000 of them stay far under the file
    size cap; with ``bad_key`` every item carries an unknown key, one error per item.
    """
    per = max(1, items // 10)
    lines = [HEADER, "schema_version: 1\n", "id: bench-flat\n", "title: Scaling plan\n", "sections:\n"]
    for s in range(0, items, per):
        lines += [f"  - id: s{s // per + 1}\n", f"    title: Section {s // per + 1}\n", "    items:\n"]
        for n in range(s + 1, min(s + per, items) + 1):
            lines += [f"      - id: A{n}\n", f"        title: Action number {n} for the plan\n"]
            lines.append(f"        due: Q{n % 4 + 1} 2026/27\n")
            if bad_key:
                lines.append("        colour: red\n")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("".join(lines), encoding="utf-8")
    return out


def rows_csv(rows: int, out: Path) -> Path:
    """A spreadsheet of ``rows`` actions for ``planctl import`` (no ids: each gets the next free one)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    body = "".join(
        f"Action number {n} for the plan,Q{n % 4 + 1} 2026/27,Head of Service\n" for n in range(rows)
    )
    out.write_text("title,due,leads\n" + body, encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--per-file", type=int, default=100)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    files = generate(args.items, args.out, items_per_file=args.per_file, seed=args.seed)
    size = sum(f.stat().st_size for f in files)
    print(f"{args.items} items in {len(files)} files, {size / 1e6:.1f} MB -> {args.out}")


if __name__ == "__main__":
    main()

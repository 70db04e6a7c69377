"""Take the README's screenshots of the site with the headless Chromium (`make screenshots`).

Builds the site of the shipped plans as of the README's day into a temporary folder and
writes docs/site-*.png: the pictures show what `planctl site` makes, not a mock-up.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
AS_OF = "2026-11-24"
# The shipped plans carry no ratings yet, so the chart is shown on the example plan's page.
SHOTS = (
    ("index.html", "site-home.png"),
    ("overdue.html", "site-overdue.png"),
    ("plans/example-council-ld-plan-2025-2027/index.html#ratings", "site-plan-chart.png"),
    ("plans/oxfordshire-ld-plan-2025-2035/easy-read.html", "site-easy-read.png"),
    # A measure of success with the most figures over time in the shipped plans.
    ("plans/westminster-rbkc-big-plan-2018-2021/measures/A1-O5-5.html#trend", "site-measure.png"),
)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "site"
        subprocess.run(
            [
                str(Path(sys.executable).parent / "planctl"),
                "site",
                "plans",
                "examples/example-plan.yaml",
                "--out",
                str(out),
                "--as-of",
                AS_OF,
            ],
            cwd=ROOT,
            check=True,
        )
        job = {
            "root": str(out),
            "screenshots": [
                {"page": page, "out": str(ROOT / "docs" / name), "width": 1000, "height": 760}
                for page, name in SHOTS
            ],
        }
        subprocess.run(
            ["node", "check.mjs"],
            cwd=ROOT / "tests" / "browser",
            input=json.dumps(job).encode(),
            check=True,
            stdout=subprocess.DEVNULL,
        )
    for _, name in SHOTS:
        print(f"wrote docs/{name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

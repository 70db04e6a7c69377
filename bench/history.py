"""A plan repository with a long history, for ``history`` and ``slippage`` at git speed.

Five generated 100-item plans (bench/generate.py) in ``plans/``, then one commit per
board update: each commit moves one item's deadline in one plan (mostly later, some
earlier), as a year of weekly updates across five boards would. Written with
``git fast-import``, so 2,000 commits take a second or two to make.

    python bench/history.py --commits 2000 --out /tmp/history-repo
"""

from __future__ import annotations

import argparse
import random
import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate

from planctl.core.dates.periods import MONTH_NAMES

DUE = re.compile(r"^(\s*)due: .*$", re.M)


def history_repo(out: Path, commits: int, *, seed: int = 2026) -> Path:
    """A git repository at ``out`` with ``commits`` + 1 commits; returns ``out``."""
    rng = random.Random(seed)
    files = generate(500, out / "plans", items_per_file=100, seed=seed)
    texts = {f"plans/{f.name}": f.read_text(encoding="utf-8") for f in files}
    for f in files:
        f.unlink()
    subprocess.run(["git", "init", "-q", "-b", "main", str(out)], check=True)
    stream: list[bytes] = []

    def commit(n: int, message: str, changed: dict[str, str]) -> None:
        when = 1_700_000_000 + n * 3600
        body = message.encode()
        stream.append(b"commit refs/heads/main\n")
        stream.append(f"committer Bench Officer <bench@example.org> {when} +0000\n".encode())
        stream.append(f"data {len(body)}\n".encode() + body + b"\n")
        for path, text in changed.items():
            data = text.encode()
            stream.append(f"M 100644 inline {path}\ndata {len(data)}\n".encode() + data + b"\n")

    commit(0, "Plans as agreed", dict(texts))
    paths = sorted(texts)
    for n in range(1, commits + 1):
        path = paths[n % len(paths)]
        text = texts[path]
        found = list(DUE.finditer(text))
        m = found[rng.randrange(len(found))]
        month = rng.randrange(24)
        line = f"{m.group(1)}due: {MONTH_NAMES[month % 12]} {2026 + month // 12}"
        texts[path] = text[: m.start()] + line + text[m.end() :]
        commit(n, f"Board update {n}", {path: texts[path]})
    subprocess.run(["git", "fast-import", "--quiet"], cwd=out, input=b"".join(stream), check=True)
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=out, check=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commits", type=int, default=2000)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    history_repo(args.out, args.commits)
    print(f"{args.commits + 1} commits in {args.out}")


if __name__ == "__main__":
    main()

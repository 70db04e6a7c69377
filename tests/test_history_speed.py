"""``slippage`` at git speed (planctl.store.historyscan) gives exactly the answer of comparing
every committed revision in full (planctl.core.plandiff.plan_slippage), on random histories
with slips, items added and removed, section edits, invalid revisions and a rename."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planctl.cli import app
from planctl.cli.diff_cmd import _revisions
from planctl.core.dates.periods import MONTH_NAMES
from planctl.core.plandiff import item_history, plan_slippage
from planctl.store.historyscan import scan_many
from test_diff_support import Repo, make_repo

LD = "plans/oxfordshire-ld.yaml"
EX = "plans/example.yaml"
DATE = re.compile(r"by (" + "|".join(MONTH_NAMES) + r") (20\d\d)")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def _full_answer() -> list[dict[str, object]]:
    """What comparing every revision in full gives, per plan file under plans/."""
    rows = []
    for file in sorted(p.as_posix() for p in Path("plans").glob("*.yaml")):
        _, revisions = _revisions(file)
        row = plan_slippage(file, revisions)
        if row is not None:
            rows.append(row.to_json())
    return rows


def _mutate(repo: Repo, rng: random.Random, n: int) -> None:
    """One commit's worth of change to the Oxfordshire plan (and now and then the example)."""
    path = repo.path / LD
    text = path.read_text(encoding="utf-8")
    op = rng.choice(["slip", "slip", "slip", "add", "remove", "lead", "comment", "bad", "status", "two"])
    if op in ("slip", "two"):
        for _ in range(2 if op == "two" else 1):
            found = list(DATE.finditer(text))
            m = found[rng.randrange(len(found))]
            text = (
                text[: m.start()]
                + f"by {rng.choice(MONTH_NAMES)} {rng.randrange(2025, 2029)}"
                + text[m.end() :]
            )
    elif op == "add":
        spots = [m.end() for m in re.finditer(r"\n        items:\n", text)]
        at = spots[rng.randrange(len(spots))]
        new = (
            f"          - id: new-{n}\n            title: New action {n}.\n"
            f"            due: {rng.choice(MONTH_NAMES)} 2027\n"
        )
        text = text[:at] + new + text[at:]
    elif op == "remove":
        found = list(
            re.finditer(
                r"          - id: new-\d+\n            title: New action \d+\.\n            due: \w+ 2027\n",
                text,
            )
        )
        if found:
            m = rng.choice(found)
            text = text[: m.start()] + text[m.end() :]
    elif op == "lead":
        spots = [m.end() for m in re.finditer(r"\n        items:\n", text)]
        at = spots[rng.randrange(len(spots))] - len("        items:\n")
        text = text[:at] + f"        leads: [Lead {n}]\n" + text[at:]
    elif op == "comment":
        spots = [m.start() for m in re.finditer(r"\n            outcomes:\n", text)]
        at = spots[rng.randrange(len(spots))] + 1
        text = text[:at] + f"            # checked at board {n}\n" + text[at:]
    elif op == "bad":
        text = text.replace("\nsections:\n", "\nsections: [\n", 1)  # not YAML: unreadable revision
    elif op == "status":
        spots = [m.end() for m in re.finditer(r"\n            kind: action\n", text)]
        at = spots[rng.randrange(len(spots))]
        text = text[:at] + "            status: purple\n" + text[at:]  # not on any scale: invalid
    if text == path.read_text(encoding="utf-8"):
        text += f"# board {n}: no change\n"
    path.write_text(text, encoding="utf-8")
    if n % 7 == 0:
        ex = repo.path / EX
        ex_text = ex.read_text(encoding="utf-8")
        m = DATE.search(ex_text)
        assert m is not None
        ex.write_text(
            ex_text[: m.start()] + f"by {rng.choice(MONTH_NAMES)} 2027" + ex_text[m.end() :], encoding="utf-8"
        )
    repo.commit(f"update {n}", f"2025-10-{n % 28 + 1:02d}T10:00:00+00:00")
    if op in ("bad", "status"):  # the next board puts it right
        repo.git("revert", "--no-edit", "HEAD")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_fast_slippage_is_the_full_comparison(
    seed: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo(tmp_path / "repo", tmp_path)
    for key, value in repo.env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(repo.path)
    rng = random.Random(seed)
    for n in range(1, 31):
        _mutate(repo, rng, n)
        if n == 15:
            repo.git("mv", LD, "plans/oxfordshire-ld-renamed.yaml")
            repo.commit("rename", "2025-11-01T10:00:00+00:00")
            repo.git("mv", "plans/oxfordshire-ld-renamed.yaml", LD)
            repo.commit("rename back", "2025-11-02T10:00:00+00:00")
    expected = _full_answer()
    assert any(row["slips"] for row in expected)  # the histories do slip
    # Both paths ran: commits read item by item, and structural ones read whole.
    steps = scan_many([LD], None, repo.path)[LD]
    assert any(s.touched is not None for s in steps)
    assert any(s.touched is None for s in steps[1:])
    code, out, _ = run("slippage", "--format", "json")
    assert code == 0
    assert json.loads(out) == expected
    # history ID reads only the revisions that changed the item: the same entries.
    added = re.findall(r"id: (new-\d+)", (repo.path / LD).read_text(encoding="utf-8"))[:1]
    for item, file in (("1.1.1", LD), ("1.1.2", LD), ("3.1.1", LD), ("A1", EX), *((n, LD) for n in added)):
        code, out, err = run("history", item, file, "--format", "json")
        assert code == 0, err
        full = [e.to_json() for e in item_history(item, _revisions(file)[1])]
        assert json.loads(out)["history"] == full, item
    # Warm: every blob's summary comes from the cache; the answer is the same.
    code, again, _ = run("slippage", "--format", "json")
    assert json.loads(again) == expected
    assert any((repo.path / ".planctl_cache" / "history").rglob("*.json"))


def test_a_broken_cache_entry_is_read_afresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = make_repo(tmp_path / "repo", tmp_path)
    for key, value in repo.env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(repo.path)
    rng = random.Random(9)
    for n in range(1, 6):
        _mutate(repo, rng, n)
    code, first, _ = run("slippage", "--format", "json")
    assert code == 0
    for entry in (repo.path / ".planctl_cache" / "history").rglob("*.json"):
        entry.write_text('{"format": 1, "key": "x", "value": [1, 2]}', encoding="utf-8")
    code, second, _ = run("slippage", "--format", "json")
    assert json.loads(second) == json.loads(first) == _full_answer()

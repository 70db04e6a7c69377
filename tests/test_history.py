"""``planctl history`` and ``planctl slippage`` over commits made by the test, plus the rating order."""

from __future__ import annotations

import json
import subprocess
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planctl.cli import app
from planctl.core.models import NO_LEAD_LABEL, Plan, Scale
from planctl.core.plandiff import month_move, months_words, rating_ranks
from test_diff_support import Repo, git_env, make_repo

EX = "plans/example.yaml"
LD = "plans/oxfordshire-ld.yaml"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    """Three months of board updates, with the example plan renamed in November."""
    made = make_repo(tmp_path / "repo", tmp_path)
    for key, value in made.env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(made.path)
    made.edit(EX, "agreed by April 2026.", "agreed by July 2026.")
    made.edit(
        EX,
        "            status: amber\n            status_date",
        "            status: red\n            status_date",
    )
    made.edit(LD, "community social groups by June 2026.", "community social groups by September 2026.")
    made.commit("October board", "2025-10-28T16:00:00+00:00", author="Sam Secretary")
    made.git("mv", EX, "plans/example-council.yaml")
    made.edit(
        "plans/example-council.yaml", "    leads: [Head of Adult Social Care]\n", "    leads: [Jo Director]\n"
    )
    made.commit("Rename the example plan; new theme lead", "2025-11-25T16:00:00+00:00")
    made.edit("plans/example-council.yaml", "agreed by July 2026.", "agreed by September 2026.")
    made.edit(LD, "community social groups by September 2026.", "community social groups by August 2026.")
    made.edit(LD, "checking by April 2026.", "checking by April 2027.")
    made.commit("December board", "2025-12-16T16:00:00+00:00", author="Sam Secretary")
    return made


def test_history_follows_the_item_through_renames(repo: Repo) -> None:
    shas = repo.git("log", "--format=%h", "--reverse").split()
    code, out, _ = run("history", "A1")
    assert code == 0
    assert out.splitlines() == [
        "A1  Write a supported employment plan with self-advocates.",
        "plans/example-council.yaml (example-council-ld-plan-2025-2027), 4 commits",
        f"2025-09-30  {shas[0]}  Pat Officer  Item added: rating Amber, deadline April 2026, "
        "lead Head of Adult Social Care; Note added: 2025-10-01 Amber: First workshop held.",
        f"2025-10-28  {shas[1]}  Sam Secretary  Deadline slipped: April 2026 → July 2026 (+3 months); "
        "Rating worsened: Amber → Red",
        f"2025-11-25  {shas[2]}  Pat Officer  Lead changed: Head of Adult Social Care → Jo Director",
        f"2025-12-16  {shas[3]}  Sam Secretary  Deadline slipped: July 2026 → September 2026 (+2 months)",
        f"as of {shas[3]}: rating Red; deadline September 2026; lead Jo Director",
    ]


def test_history_json(repo: Repo) -> None:
    code, out, _ = run("history", "1.1.2", "plans", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["plan"] == "oxfordshire-ld-plan-2025-2035"
    assert data["shallow"] is False
    steps = [(h["author"], [c["kind"] for c in h["changes"]], h["deadline"]["end"]) for h in data["history"]]
    assert steps == [
        ("Pat Officer", ["added"], "2026-06-30"),
        ("Sam Secretary", ["slipped"], "2026-09-30"),
        ("Sam Secretary", ["pulled-in"], "2026-08-31"),
    ]


def test_history_unknown_or_ambiguous_item(repo: Repo) -> None:
    code, _, err = run("history", "Z9")
    assert code == 2
    assert "no item 'Z9' in plans/" in err
    repo.copy(repo.path / "plans/example-council.yaml", "plans/copy.yaml")
    repo.edit("plans/copy.yaml", "id: example-council-ld-plan-2025-2027", "id: copy-plan")
    code, _, err = run("history", "A1")
    assert code == 2
    assert "name one: " in err
    assert "copy-plan:A1" in err
    code, out, _ = run("history", "copy-plan:A1")
    assert code == 0
    assert "not in any commit yet" in out


def test_slippage_per_plan_and_per_lead(repo: Repo) -> None:
    code, out, _ = run("slippage", "--format", "json")
    assert code == 0
    rows = {r["plan"]: r for r in json.loads(out)}
    ex = rows["example-council-ld-plan-2025-2027"]
    assert (ex["commits"], ex["slips"], ex["total_months"], ex["largest_months"]) == (4, 2, 5.0, 3.0)
    assert ex["file"] == "plans/example-council.yaml"
    leads = {lead["name"]: lead for lead in ex["leads"]}
    assert (
        leads["Head of Adult Social Care"]["slips"],
        leads["Head of Adult Social Care"]["total_months"],
    ) == (1, 3.0)
    assert (leads["Jo Director"]["slips"], leads["Jo Director"]["total_months"]) == (1, 2.0)
    ld = rows["oxfordshire-ld-plan-2025-2035"]
    # 1.1.2 slipped 3 months then came back 1 (not counted); 1.1.1 slipped 12.
    assert (ld["slips"], ld["items"], ld["total_months"], ld["largest_months"], ld["largest_item"]) == (
        2,
        2,
        15.0,
        12.0,
        "1.1.1",
    )
    assert [lead["name"] for lead in ld["leads"]] == [NO_LEAD_LABEL]


def test_slippage_table(repo: Repo) -> None:
    code, out, _ = run("slippage", "plans/oxfordshire-ld.yaml")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["Plan", "/", "lead", "Slips", "Items", "Total", "Largest", "Item"]
    assert lines[2].split() == [
        "oxfordshire-ld-plan-2025-2035",
        "(3",
        "commits)",
        "2",
        "2",
        "15.0",
        "12.0",
        "1.1.1",
    ]
    assert lines[3].split() == ["No", "lead", "named", "2", "2", "15.0", "12.0", "1.1.1"]
    assert lines[3].startswith(f"  {NO_LEAD_LABEL} ")


def test_slippage_in_a_shallow_clone_says_the_history_is_cut_short(
    repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clone = tmp_path / "ci"
    subprocess.run(
        ["git", "clone", "-q", "--depth=1", f"file://{repo.path}", str(clone)],
        env=git_env(tmp_path),
        check=True,
    )
    monkeypatch.chdir(clone)
    code, out, err = run("slippage", "--format", "json")
    assert code == 0
    # One commit fetched: no pairs to compare, so no slips, and the note says why.
    assert [(r["commits"], r["slips"]) for r in json.loads(out)] == [(1, 0), (1, 0)]
    assert "planctl: note: this is a shallow clone; history starts at the oldest commit fetched" in err
    code, out, err = run("slippage")
    assert code == 0
    assert "shallow clone" in err
    assert "shallow" not in out
    # A full clone has no such note.
    monkeypatch.chdir(repo.path)
    code, _, err = run("slippage")
    assert code == 0
    assert "shallow" not in err


def test_slippage_counts_against_the_lead_before_the_commit_that_moved_the_deadline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo(tmp_path / "repo", tmp_path)
    for key, value in repo.env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(repo.path)
    # A1 (inherits Head of Adult Social Care) slips and gets a new lead in one commit;
    # 1.1.2 (nobody leads it) slips and is given a lead in one commit.
    for args in (
        ("A1", "--due", "July 2026", "--lead", "Jo Director", EX),
        ("1.1.2", "--due", "March 2027", "--lead", "Daytime Opportunities Manager", LD),
    ):
        code, _, err = run("update", *args)
        assert code == 0, err
    repo.commit("October board: new dates, new leads", "2025-10-28T16:00:00+00:00")
    # Then the new lead lets A1 slip again: that one is theirs.
    code, _, err = run("update", "A1", "--due", "September 2026", EX)
    assert code == 0, err
    repo.commit("November board", "2025-11-25T16:00:00+00:00")
    code, out, _ = run("slippage", "--format", "json")
    assert code == 0
    leads = {
        (row["plan"], lead["name"]): (lead["slips"], lead["total_months"])
        for row in json.loads(out)
        for lead in row["leads"]
    }
    assert leads == {
        ("example-council-ld-plan-2025-2027", "Head of Adult Social Care"): (1, 3.0),
        ("example-council-ld-plan-2025-2027", "Jo Director"): (1, 2.0),
        ("oxfordshire-ld-plan-2025-2035", NO_LEAD_LABEL): (1, 9.0),
    }


def _scale(*values: tuple[str, bool]) -> Scale:
    return Scale.model_validate(
        {"id": "s", "name": "S", "values": [{"key": k, "label": k.title(), "done": d} for k, d in values]}
    )


def test_rating_order_rag_by_colour_whatever_the_listing() -> None:
    for listing in (["red", "amber", "green"], ["green", "amber", "red"], ["amber", "red", "green"]):
        ranks = rating_ranks(_scale(*((k, False) for k in listing)))
        assert ranks["red"] < ranks["amber"] < ranks["green"]
    brag = rating_ranks(_scale(("blue", True), ("green", False), ("amber", False), ("red", False)))
    assert brag["red"] < brag["amber"] < brag["green"] < brag["blue"]


def test_rating_order_other_scales_follow_the_listing_and_done_values() -> None:
    tracker = rating_ranks(_scale(("due-to-cabinet", False), ("with-cabinet", False), ("complete", True)))
    assert tracker["due-to-cabinet"] < tracker["with-cabinet"] < tracker["complete"]
    best_first = rating_ranks(_scale(("complete", True), ("in-progress", False), ("not-started", False)))
    assert best_first["not-started"] < best_first["in-progress"] < best_first["complete"]
    no_done = rating_ranks(_scale(("planned", False), ("started", False), ("embedded", False)))
    assert no_done["planned"] < no_done["started"] < no_done["embedded"]


def test_shipped_scales_have_a_sensible_order(shipped: dict[str, Plan]) -> None:
    mixed = 0  # scales with both done and open values: the ones where order matters
    for plan in shipped.values():
        for scale in plan.scales:
            ranks = rating_ranks(scale)
            assert sorted(ranks) == sorted(v.key for v in scale.values), scale.id
            done = [ranks[v.key] for v in scale.values if v.done]
            open_ = [ranks[v.key] for v in scale.values if not v.done]
            if done and open_:
                mixed += 1
                assert min(done) > max(open_), (plan.id, scale.id)
    assert mixed >= 3, "the scrutiny tracker's two status scales and the SEND plan's BRAG scale"


def test_month_moves() -> None:
    assert month_move(date(2026, 4, 30), date(2026, 7, 31)) == 3.0
    assert month_move(date(2026, 2, 28), date(2026, 3, 31)) == 1.0
    assert month_move(date(2026, 7, 31), date(2026, 4, 30)) == -3.0
    assert month_move(date(2026, 4, 15), date(2026, 5, 30)) == 1.5
    assert months_words(3.0) == "+3 months"
    assert months_words(-1.0) == "-1 month"
    assert months_words(1.5) == "+1.5 months"


def test_history_refuses_a_committed_file_over_the_size_cap_by_revision_and_path(repo: Repo) -> None:
    """A huge file in one commit is refused unread (as on disk), named by revision and path."""
    from planctl.core.limits import MAX_BYTES

    good = (repo.path / LD).read_text(encoding="utf-8")
    with (repo.path / LD).open("a", encoding="utf-8") as f:
        f.write(("#" + " " * 1023 + "\n") * (MAX_BYTES // 1024 + 1))  # legal YAML: comments
    huge = repo.commit("Paste a huge file", "2026-01-10T16:00:00+00:00")[:7]
    (repo.path / LD).write_text(good, encoding="utf-8")
    repo.commit("Undo the paste", "2026-01-11T16:00:00+00:00")
    code, out, _ = run("history", "1.1.2", "plans", "--format", "json")
    assert code == 0
    notes = [h.get("note") for h in json.loads(out)["history"] if h.get("note")]
    assert notes == [
        f"plan not readable here, skipped: {huge}:{LD}:1:1: file is 50 MiB at {huge}; "
        "plan files are limited to 50 MiB"
    ]

"""``planctl diff`` on real temporary git repositories holding copies of real plans."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planctl.cli import app
from planctl.core.models import Plan, walk_items
from test_diff_support import EXAMPLE, Repo, git_env, make_repo

EX = "plans/example.yaml"
LD = "plans/oxfordshire-ld.yaml"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    made = make_repo(tmp_path / "repo", tmp_path)
    for key, value in made.env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(made.path)
    return made


def month_of_updates(repo: Repo) -> str:
    """A month's board updates on a branch: slips, a worse rating, a new lead, a new item."""
    repo.git("checkout", "-q", "-b", "october-update")
    repo.edit(
        EX,
        "The plan will be written and agreed by April 2026.",
        "The plan will be written and agreed by July 2026.",
    )
    repo.edit(
        EX, "            status: amber\n            status_date: 2025-10-01\n", "            status: red\n"
    )
    repo.edit(EX, "{name: Sam Jones, role: Employment Lead", "{name: Alex Smith, role: Employment Lead")
    repo.edit(EX, "            due: Q3 2025/26\n", "            due: Q2 2025/26\n")
    repo.edit(EX, "            links: [A1]\n", "            links: [A1]\n            status: green\n")
    text = (repo.path / EX).read_text(encoding="utf-8")
    repo.write(
        EX,
        text
        + "          - id: A4\n            kind: action\n            title: Hold a jobs fair with local employers.\n"
        "            due: March 2026\n",
    )
    repo.edit(LD, "community social groups by June 2026.", "community social groups by March 2027.")
    repo.edit(
        LD,
        "Review and analyse the current market for outreach",
        "Review and analyse the market for outreach",
    )
    return repo.commit("October updates from the partnership board", "2025-10-28T16:00:00+00:00")


MARKDOWN = """\
### Plan changes: main ({base}) → the working tree

**2 deadlines slipped, 1 rating worsened, 1 item added, 1 deadline brought forward, 3 other changes in 2 of 2 plans.**

#### Example Council Learning Disability Action Plan 2025 to 2027

| Item | Change | Details |
| --- | --- | --- |
| **A1** Write a supported employment plan with self-advocates. | Deadline slipped | April 2026 → July 2026 (+3 months) |
| **A1** Write a supported employment plan with self-advocates. | Rating worsened | Amber → Red |
| **A2** Run a job club. | Lead changed | Sam Jones / Employment Lead / Example Council → Alex Smith / Employment Lead / Example Council |
| **A3** Publish employment figures each year. | Rating set | Green |
| **A4** Hold a jobs fair with local employers. | Item added | in 1 Having a good life › 1.1 More people get paid work; deadline March 2026 |
| **A3** Publish employment figures each year. | Deadline brought forward | Q3 2025/26 (October to December 2025) → Q2 2025/26 (July to September 2025) (-3 months) |

#### Oxfordshire Learning Disability Plan 2025 – 2035, Dynamic Work Plans (Years 1 and 2)

| Item | Change | Details |
| --- | --- | --- |
| **1.1.2** Explore what measures are considered and used to identify a good service for community social groups. | Deadline slipped | June 2026 → March 2027 (+9 months) |
| **1.1.5** Review and analyse the market for outreach and daytime opportunities. | Title changed | Review and analyse the current market for outreach and daytime opportunities. → Review and analyse the market for outreach and daytime opportunities. |
"""


def test_markdown_comment_for_a_month_of_updates(repo: Repo) -> None:
    base = repo.git("rev-parse", "--short", "main").strip()
    month_of_updates(repo)
    code, out, _ = run("diff", "main", "--format", "markdown")
    assert code == 0
    assert out == MARKDOWN.format(base=base)


def test_default_base_is_the_merge_base_with_main_and_says_so(repo: Repo) -> None:
    base = repo.git("rev-parse", "--short", "main").strip()
    month_of_updates(repo)
    # main moves on after the branch was cut: the merge-base, not main's tip, is the base.
    repo.git("checkout", "-q", "main")
    repo.edit(EX, "title: Run a job club.", "title: Run a weekly job club.")
    repo.commit("Unrelated change on main", "2025-10-29T09:00:00+00:00")
    repo.git("checkout", "-q", "october-update")
    code, out, _ = run("diff")
    assert code == 0
    assert out.startswith(f"Comparing main (merge-base {base}, the default branch) with the working tree\n")
    assert "Run a weekly job club" not in out
    code, out, _ = run("diff", "main...")
    assert f"main (merge-base {base})" in out
    assert "Run a weekly job club" not in out
    # The tip of main, as given, does include main's own change (shown reversed).
    code, out, _ = run("diff", "main")
    assert "Title changed: Run a weekly job club. → Run a job club." in out


def test_json_output_and_revision_to_revision(repo: Repo) -> None:
    head = month_of_updates(repo)
    code, out, _ = run("diff", "main", "october-update", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["head"] == f"october-update ({head})"
    assert data["counts"]["slipped"] == 2
    by_id = {p["id"]: p for p in data["plans"]}
    ex = by_id["example-council-ld-plan-2025-2027"]
    assert ex["state"] == "changed"
    slip = ex["changes"][0]
    assert slip["kind"] == "slipped"
    assert slip["item"] == "A1"
    assert slip["months"] == 3.0
    assert slip["before"]["end"] == "2026-04-30"
    assert slip["after"]["end"] == "2026-07-31"
    assert slip["leads"] == ["Head of Adult Social Care"]
    pulled = next(c for c in ex["changes"] if c["kind"] == "pulled-in")
    assert (pulled["item"], pulled["months"]) == ("A3", -3.0)


def test_fail_on_slip_and_worsened(repo: Repo) -> None:
    month_of_updates(repo)
    assert run("diff", "main")[0] == 0
    assert run("diff", "main", "--fail-on", "slip")[0] == 1
    assert run("diff", "main", "--fail-on", "worsened")[0] == 1
    assert run("diff", "main", "--fail-on", "slip,worsened")[0] == 1
    code, _, err = run("diff", "main", "--fail-on", "late")
    assert code == 2
    assert "unknown condition 'late'" in err


def test_fail_on_slip_passes_when_deadlines_only_come_forward(repo: Repo) -> None:
    repo.edit(EX, "            due: Q3 2025/26\n", "            due: Q2 2025/26\n")
    code, out, _ = run("diff", "main", "--fail-on", "slip,worsened")
    assert code == 0
    assert "1 deadline brought forward" in out


def test_removed_moved_and_rating_cleared(repo: Repo) -> None:
    # A2 removed; A3 moved into a new priority; A1's rating cleared (item and update).
    repo.edit(EX, r"          - id: A2\n.*?(?=          - id: A3\n)", "", regex=True)
    repo.edit(
        EX,
        "          - id: A3\n",
        '      - id: priority-1-2\n        kind: priority\n        number: "1.2"\n'
        "        title: Employers know about us\n        items:\n          - id: A3\n",
    )
    repo.edit(EX, "            status: amber\n            status_date: 2025-10-01\n", "")
    repo.edit(EX, "                status: amber\n", "")
    code, out, _ = run("diff", "main", "-f", "json")
    assert code == 0
    changes = {(c["item"], c["kind"]): c for p in json.loads(out)["plans"] for c in p["changes"]}
    assert changes["A2", "removed"]["before"] == "was in 1 Having a good life › 1.1 More people get paid work"
    assert changes["A3", "moved"]["before"] == "1.1 More people get paid work"
    assert changes["A3", "moved"]["after"] == "1.2 Employers know about us"
    assert changes["A1", "status-cleared"]["before"] == "Amber"
    kinds = [c["kind"] for p in json.loads(out)["plans"] for c in p["changes"]]
    assert kinds == ["removed", "status-cleared", "moved"]  # most serious first


def test_rating_from_latest_update_counts_when_no_status(repo: Repo) -> None:
    repo.edit(EX, "            status: amber\n            status_date: 2025-10-01\n", "")
    repo.commit("Ratings live in updates only", "2025-10-02T09:00:00+00:00")
    repo.edit(
        EX,
        "                note: First workshop held.\n",
        "                note: First workshop held.\n"
        "              - date: 2025-11-01\n                status: green\n                note: Plan agreed.\n",
    )
    code, out, _ = run("diff", "HEAD", "-f", "json")
    assert code == 0
    changes = [c for p in json.loads(out)["plans"] for c in p["changes"]]
    assert [(c["item"], c["kind"], c["before"], c["after"]) for c in changes] == [
        ("A1", "improved", "Amber", "Green"),
        # the note that gave the rating is news too
        ("A1", "note-added", None, {"date": "2025-11-01", "status": "green", "note": "Plan agreed."}),
    ]


def test_leads_due_dates_and_outcomes(repo: Repo) -> None:
    # A2: own lead removed, so it now inherits the theme's; A3: due removed; 1.1.1 gains a lead;
    # 1.1.4's outcome reworded (same date); A2 gains a due date.
    repo.edit(
        EX,
        "            leads:\n              - {name: Sam Jones, role: Employment Lead, organisation: Example Council}\n",
        "            due: 2026-03-31\n",
    )
    repo.edit(EX, "            due: Q3 2025/26\n", "")
    repo.edit(
        LD,
        "            outcomes:\n              - text: >-\n                  There is clear information on how services",
        "            leads: [Daytime Opportunities Manager]\n            outcomes:\n"
        "              - text: >-\n                  There is clear information on how services",
    )
    repo.edit(LD, "A forum / network for outreach services", "A network for outreach services")
    code, out, _ = run("diff", "main", "-f", "json")
    assert code == 0
    changes = {(c["item"], c["kind"]): c for p in json.loads(out)["plans"] for c in p["changes"]}
    assert set(changes) == {
        ("A2", "lead-changed"),
        ("A2", "due-added"),
        ("A3", "due-removed"),
        ("1.1.1", "lead-added"),
        ("1.1.4", "outcome-changed"),
    }
    assert changes["A2", "lead-changed"]["before"] == "Sam Jones / Employment Lead / Example Council"
    assert changes["A2", "lead-changed"]["after"] == "Head of Adult Social Care"
    assert changes["A2", "due-added"]["after"]["end"] == "2026-03-31"
    assert changes["A3", "due-removed"]["before"]["text"] == "Q3 2025/26"
    assert changes["1.1.1", "lead-added"]["after"] == "Daytime Opportunities Manager"


def test_due_date_that_moves_an_outcome_deadline_is_one_slip(repo: Repo) -> None:
    # A1 takes its deadline from its outcome ("... by April 2026"); the board sets a due date.
    code, _, err = run("update", "A1", "--due", "July 2026")
    assert code == 0, err
    code, out, _ = run("diff", "main")
    assert code == 0
    assert "1 deadline slipped in 1 of 2 plans." in out
    assert "A1  Deadline slipped: April 2026 → July 2026 (+3 months)" in out
    assert "Due date added" not in out
    code, out, _ = run("diff", "main", "-f", "json")
    changes = [c for p in json.loads(out)["plans"] for c in p["changes"]]
    assert [(c["item"], c["kind"], c["months"]) for c in changes] == [("A1", "slipped", 3.0)]
    assert changes[0]["after"]["text"] == "July 2026"
    repo.commit("A1 due July 2026", "2025-10-28T16:00:00+00:00")
    # The history shows the same single change.
    code, out, _ = run("history", "A1")
    assert code == 0
    assert out.splitlines()[-2].endswith("Deadline slipped: April 2026 → July 2026 (+3 months)")


def test_due_date_removed_back_to_the_outcome_deadline_is_one_move(repo: Repo) -> None:
    run("update", "A1", "--due", "July 2026")
    repo.commit("A1 due July 2026", "2025-10-28T16:00:00+00:00")
    repo.edit(EX, "            due: July 2026\n", "")
    code, out, _ = run("diff", "HEAD", "-f", "json")
    assert code == 0
    changes = [(c["item"], c["kind"], c["months"]) for p in json.loads(out)["plans"] for c in p["changes"]]
    assert changes == [("A1", "pulled-in", -3.0)]


def test_due_date_that_restates_the_outcome_deadline_is_reported_as_added(repo: Repo) -> None:
    # Same deadline, now explicit: not a move, but the due date is news.
    run("update", "A1", "--due", "April 2026")
    code, out, _ = run("diff", "main", "-f", "json")
    assert code == 0
    changes = [(c["item"], c["kind"]) for p in json.loads(out)["plans"] for c in p["changes"]]
    assert changes == [("A1", "due-added")]


def test_renamed_plan_file_still_pairs_up(repo: Repo) -> None:
    repo.git("mv", EX, "plans/example-council-ld-plan.yaml")
    repo.edit("plans/example-council-ld-plan.yaml", "by April 2026.", "by May 2026.")
    code, out, _ = run("diff", "main")
    assert code == 0
    assert "File renamed: plans/example.yaml → plans/example-council-ld-plan.yaml." in out
    assert "A1  Deadline slipped: April 2026 → May 2026 (+1 month)" in out
    assert "New plan" not in out


def test_plan_added_and_removed(repo: Repo, shipped: dict[str, Plan]) -> None:
    ld_items = sum(1 for _ in walk_items(shipped["oxfordshire-ld-plan-2025-2035"]))
    (repo.path / LD).unlink()
    repo.copy(EXAMPLE, "plans/second.yaml")
    repo.edit("plans/second.yaml", "id: example-council-ld-plan-2025-2027", "id: second-plan")
    code, out, _ = run("diff", "main")
    assert code == 0
    assert "New plan (3 items) in plans/second.yaml." in out
    assert f"Plan removed (it had {ld_items} items; was plans/oxfordshire-ld.yaml)." in out


def test_unchanged_plans(repo: Repo) -> None:
    code, out, _ = run("diff", "main", "-f", "markdown")
    assert code == 0
    assert "**No changes in meaning to the plans.**" in out
    assert "No changes: Example Council Learning Disability Action Plan 2025 to 2027" in out


def test_plan_invalid_at_base_is_reported_with_its_location(repo: Repo) -> None:
    repo.edit(
        EX,
        "            status: amber\n            status_date",
        "            status: purple\n            status_date",
    )
    bad = repo.commit("Typo in a rating", "2025-10-05T09:00:00+00:00")
    repo.edit(EX, "            status: purple\n", "            status: red\n")
    code, out, err = run("diff", "HEAD")
    assert code == 1
    assert f"{bad}:plans/example.yaml:" in err
    assert "status 'purple' is not on the RAG scale" in err
    assert f"could not read {bad}:plans/example.yaml" in out
    assert "Traceback" not in err


def test_two_files_with_one_plan_id_are_reported(repo: Repo) -> None:
    repo.copy(EXAMPLE, "plans/zz-copy.yaml")
    code, out, err = run("diff", "main")
    assert code == 1
    assert (
        "plans/zz-copy.yaml:5:5: error invalid: plan id 'example-council-ld-plan-2025-2027' is also the id of plans/example.yaml"
        in err
    )
    assert "could not read plans/zz-copy.yaml" in out
    assert "No changes in meaning" in out


def test_missing_base_revision_exits_2_with_the_fix(repo: Repo) -> None:
    code, out, err = run("diff", "release-2024")
    assert code == 2
    assert out == ""
    assert (
        "base revision 'release-2024' is not in this clone; fetch it "
        "(e.g. `git fetch --depth=50 origin release-2024`) or pass a revision that exists"
    ) in err


def test_a_missing_file_is_named_as_a_missing_file_not_a_revision_to_fetch(repo: Repo) -> None:
    for args, role, name in (
        (["typo.yaml"], "BASE", "typo.yaml"),
        (["plans/exmaple.yaml", EX], "BASE", "plans/exmaple.yaml"),
        ([EX, "new.yml"], "HEAD", "new.yml"),
        (["plans/typo"], "BASE", "plans/typo"),
    ):
        code, out, err = run("diff", *args)
        assert code == 2, args
        assert out == ""
        assert (
            f"planctl: error: {role} file '{name}' does not exist (and it is not a revision in this clone)"
            in err
        )
        assert "fetch" not in err
        assert "Traceback" not in err
    code, _, err = run("diff", "plans")
    assert code == 2
    assert "BASE 'plans' is a folder, not a plan file or a revision; choose folders with --path" in err
    # A revision that looks like a path is still a revision, and a missing one still gets the fetch advice.
    repo.git("branch", "release/2025.yaml")
    code, out, _ = run("diff", "release/2025.yaml")
    assert code == 0
    assert out.startswith("Comparing release/2025.yaml (")
    code, _, err = run("diff", "origin/main")
    assert code == 2
    assert "base revision 'origin/main' is not in this clone; fetch it" in err


def test_a_missing_file_outside_git_is_named_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run("diff", "old.yaml", str(EXAMPLE))
    assert code == 2
    assert "BASE file 'old.yaml' does not exist" in err


def test_no_default_branch(repo: Repo) -> None:
    repo.git("branch", "-m", "main", "trunk")
    code, _, err = run("diff")
    assert code == 2
    assert "no default branch found (tried origin/HEAD, main, master" in err


def test_shallow_clone(repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    month_of_updates(repo)
    clone = tmp_path / "ci"
    subprocess.run(
        [
            "git",
            "clone",
            "-q",
            "--depth",
            "1",
            "--branch",
            "october-update",
            f"file://{repo.path}",
            str(clone),
        ],
        env=git_env(tmp_path),
        check=True,
    )
    monkeypatch.chdir(clone)
    code, _, err = run("diff", "main")
    assert code == 2
    assert "base revision 'main' is not in this clone (this is a shallow clone); fetch it" in err
    assert "git fetch --depth=50 origin main" in err
    code, _, err = run("diff", "origin/main")
    assert code == 2
    assert "git fetch --depth=50 origin main" in err
    # After the fetch the message suggests, it works.
    subprocess.run(
        ["git", "fetch", "-q", "--depth=50", "origin", "main:main"], env=git_env(tmp_path), check=True
    )
    code, out, _ = run("diff", "main", "--fail-on", "slip")
    assert code == 1
    assert "2 deadlines slipped" in out


def test_outside_git_exits_2_but_two_files_work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    code, _, err = run("diff")
    assert code == 2
    assert "is not inside a git repository" in err
    new = tmp_path / "new.yaml"
    new.write_text(EXAMPLE.read_text(encoding="utf-8").replace("by April 2026", "by October 2026"))
    code, out, _ = run("diff", str(EXAMPLE), "new.yaml", "--fail-on", "slip")
    assert code == 1
    assert "A1  Deadline slipped: April 2026 → October 2026 (+6 months)" in out
    code, _, err = run("diff", "new.yaml")
    assert code == 2
    assert "give two existing files" in err


def test_history_and_slippage_outside_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    (tmp_path / "plans").mkdir()
    assert run("history", "A1")[0] == 2
    assert run("slippage")[0] == 2

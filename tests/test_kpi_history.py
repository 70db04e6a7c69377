"""``planctl history KPI-ID``: a measure of success through the git log of a scratch copy of
the SEND plan, with a figure recorded by ``planctl update --kpi`` and a target edited by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planctl.cli import app
from test_diff_support import EXAMPLE, Repo, git_env

ROOT = Path(__file__).resolve().parents[1]
SEND = "plans/send.yaml"
SEND_ID = "oxfordshire-send-pap-2024"
KPI = "send-relational-schools"
NAME = "Schools in the Oxfordshire Relational Schools project"
TARGET_51 = "target: {value: 51, text: 51 schools, due: by August 2026,"
TARGET_60 = "target: {value: 60, text: 60 schools, due: by August 2026,"


def figure(n: int) -> str:
    """The 2024/25 figure as ``planctl update --kpi`` writes it."""
    return f"- period: 2024/25\n                    value: {n}\n                    text: '{n}'\n"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    """January: the SEND plan as shipped (the measure has a target, no figure); March: a
    2024/25 figure recorded with ``planctl update --kpi``; May: the target raised by hand
    and the figure corrected, by another author."""
    path = tmp_path / "repo"
    path.mkdir()
    made = Repo(path, git_env(tmp_path))
    for key, value in made.env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(path)
    made.git("init", "-q", "-b", "main")
    made.copy(ROOT / "plans" / "oxfordshire-send-pap-2024.yaml", SEND)
    made.commit("SEND plan as agreed", "2025-01-10T16:00:00+00:00")
    code, out, err = run("update", "--kpi", KPI, "--period", "2024/25", "--value", "40", SEND)
    assert code == 0, out + err
    made.commit("Relational schools: 2024/25 figure", "2025-03-12T16:00:00+00:00")
    made.edit(SEND, TARGET_51, TARGET_60)
    made.edit(SEND, figure(40), figure(42))
    made.commit("Board raised the target", "2025-05-20T16:00:00+00:00", author="Sam Secretary")
    return made


def test_history_lists_each_commit_that_changed_the_measure(repo: Repo) -> None:
    shas = repo.git("log", "--format=%h", "--reverse").split()
    code, out, err = run("history", KPI)
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"{KPI}  {NAME}",
        f"{SEND} ({SEND_ID}), measure of success, 3 commits",
        f"2025-01-10  {shas[0]}  Pat Officer  Measure added: 0 figures, target 51 schools (by August 2026)",
        f"2025-03-12  {shas[1]}  Pat Officer  Measure's figure recorded: 40 (2024/25)",
        f"2025-05-20  {shas[2]}  Sam Secretary  Measure's figure changed: 40 (2024/25) → 42 (2024/25); "
        "Measure's target changed: 51 schools (by August 2026) → 60 schools (by August 2026)",
        f"as of {shas[2]}: latest 42 (2024/25); target 60 schools (by August 2026)",
    ]
    # PLAN-ID:KPI-ID names the same measure, and a path narrows the search.
    assert run("history", f"{SEND_ID}:{KPI}", SEND)[1] == out


def test_commits_that_leave_the_measure_alone_are_not_listed(repo: Repo) -> None:
    repo.edit(SEND, "Enquiries received by the SENDCO Helpdesk", "Enquiries to the SENDCO Helpdesk")
    repo.commit("Reword another measure", "2025-06-01T16:00:00+00:00")
    code, out, _ = run("history", KPI)
    assert code == 0
    assert "3 commits" in out
    assert "2025-06-01" not in out


def test_a_removed_measure_says_so_and_has_no_closing_state(repo: Repo) -> None:
    repo.edit(
        SEND,
        r"              - id: send-relational-schools\n.*?(?=              - id: send-sendco-helpdesk)",
        "",
        regex=True,
    )
    removed = repo.commit("Measure dropped", "2025-07-01T16:00:00+00:00")
    code, _, err = run("history", KPI)
    assert code == 2  # not in the working tree: unknown now
    assert f"no item '{KPI}' in plans/" in err
    repo.git("checkout", "HEAD~1", "--", SEND)  # back in the working tree, not committed
    code, out, _ = run("history", KPI)
    assert code == 0
    lines = out.splitlines()
    assert lines[-1] == f"2025-07-01  {removed}  Pat Officer  Measure removed: measure of success"
    back = repo.commit("Measure restored", "2025-08-01T16:00:00+00:00")
    lines = run("history", KPI)[1].splitlines()
    assert lines[-2:] == [
        f"2025-08-01  {back}  Pat Officer  Measure added: 1 figure, target 60 schools (by August 2026)",
        f"as of {back}: latest 42 (2024/25); target 60 schools (by August 2026)",
    ]


def test_history_json_has_the_item_history_shape(repo: Repo) -> None:
    shas = repo.git("log", "--format=%H", "--reverse").split()
    code, out, _ = run("history", KPI, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert {k: data[k] for k in ("kpi", "name", "plan", "file", "shallow", "commits")} == {
        "kpi": KPI,
        "name": NAME,
        "plan": SEND_ID,
        "file": SEND,
        "shallow": False,
        "commits": 3,
    }
    history = data["history"]
    assert [e["commit"] for e in history] == shas
    assert [e["author"] for e in history] == ["Pat Officer", "Pat Officer", "Sam Secretary"]
    # The keys every history entry has, item or measure; then the measure's own state.
    for e in history:
        assert {"commit", "short", "date", "author", "subject", "file", "changes", "note"} <= set(e)
    assert [[c["kind"] for c in e["changes"]] for e in history] == [
        ["kpi-added"],
        ["kpi-figure-added"],
        ["kpi-figure-changed", "kpi-target-changed"],
    ]
    assert history[1]["changes"][0]["after"] == {"period": "2024/25", "value": 40.0, "text": "40"}
    assert history[0]["latest"] == []
    assert history[2]["latest"] == [{"period": "2024/25", "area": None, "value": 42.0, "text": "42"}]
    assert [e["target"] for e in history] == [
        "51 schools (by August 2026)",
        "51 schools (by August 2026)",
        "60 schools (by August 2026)",
    ]


def test_an_unreadable_revision_is_listed_not_skipped(repo: Repo) -> None:
    repo.edit(SEND, f"id: {SEND_ID}\n", f"id: {SEND_ID}\n  : broken: [\n")
    broken = repo.commit("Broken save", "2025-06-01T16:00:00+00:00")
    repo.edit(SEND, f"id: {SEND_ID}\n  : broken: [\n", f"id: {SEND_ID}\n")
    repo.edit(SEND, figure(42), figure(44))
    fixed = repo.commit("Fixed", "2025-06-02T16:00:00+00:00")
    code, out, _ = run("history", KPI)
    assert code == 0
    lines = out.splitlines()
    assert any(
        line.startswith(f"2025-06-01  {broken}  Pat Officer  plan not readable here") for line in lines
    )
    # Compared with the last readable revision: only the figure's own change.
    assert f"2025-06-02  {fixed}  Pat Officer  Measure's figure changed: 42 (2024/25) → 44 (2024/25)" in lines
    assert lines[-1] == f"as of {fixed}: latest 44 (2024/25); target 60 schools (by August 2026)"


def test_an_id_of_an_item_and_a_measure_in_one_plan_is_ambiguous(repo: Repo) -> None:
    repo.edit(SEND, "              - id: send-sendco-helpdesk\n", '              - id: "PAP4D:1"\n')
    for ident in ("PAP4D:1", f"{SEND_ID}:PAP4D:1"):
        code, out, err = run("history", ident)
        assert (code, out) == (2, "")
        assert f"'{ident}' names both an item and a measure of success" in err
        assert f"{SEND_ID}:PAP4D:1 (item), {SEND_ID}:PAP4D:1 (measure)" in err
        assert "give one of them a new id" in err


def test_an_id_of_an_item_and_a_measure_in_two_plans_asks_for_the_plan(repo: Repo) -> None:
    repo.copy(EXAMPLE, "plans/example.yaml")
    repo.edit(SEND, "              - id: send-sendco-helpdesk\n", "              - id: A1\n")
    repo.commit("Example plan; helpdesk measure renamed", "2025-06-01T16:00:00+00:00")
    example = "example-council-ld-plan-2025-2027"
    code, out, err = run("history", "A1")
    assert (code, out) == (2, "")
    assert (
        f"'A1' names both an item and a measure of success: {example}:A1 (item), {SEND_ID}:A1 (measure)"
        in err
    )
    assert "name one as PLAN-ID:ID" in err
    assert "new id" not in err
    code, out, _ = run("history", f"{SEND_ID}:A1")
    assert code == 0
    assert out.splitlines()[0] == "A1  Enquiries received by the SENDCO Helpdesk"
    assert "measure of success" in out.splitlines()[1]
    code, out, _ = run("history", f"{example}:A1")
    assert code == 0
    assert "measure of success" not in out
    assert "Item added" in out


def test_an_unknown_id_suggests_items_and_measures(repo: Repo) -> None:
    code, out, err = run("history", "send-relational-school")
    assert (code, out) == (2, "")
    assert f"no item 'send-relational-school' in plans/; did you mean {KPI}" in err
    code, _, err = run("history", "no-such-thing")
    assert code == 2
    assert "no measure of success has that id either" in err
    code, _, err = run("history", "PAP4D:9")
    assert code == 2
    assert "did you mean" in err
    assert "PAP4D:1" in err


def test_figures_per_area_name_their_area_and_period(repo: Repo) -> None:
    for area, value in (("Cherwell", "12"), ("Oxford", "9")):
        args = ("--period", "2025/26", "--value", value, "--area", area)
        assert run("update", "--kpi", KPI, *args, SEND)[0] == 0
    sha = repo.commit("Figures per district", "2025-06-01T16:00:00+00:00")
    code, out, _ = run("history", KPI)
    assert code == 0
    assert out.splitlines()[-2:] == [
        f"2025-06-01  {sha}  Pat Officer  Measure's figure recorded: 12 (2025/26, Cherwell); "
        "Measure's figure recorded: 9 (2025/26, Oxford)",
        f"as of {sha}: latest 42 (2024/25), 12 (2025/26, Cherwell), 9 (2025/26, Oxford); "
        "target 60 schools (by August 2026)",
    ]

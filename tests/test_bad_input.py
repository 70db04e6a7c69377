"""Bad input: every broken file in tests/data/bad/ gets a located message, never a traceback.

Each case is one file; the table gives the first problem's line, column and message.
The whole folder is also run as a real process, with a good plan beside it, to prove
that one bad file never stops the others being checked and that time and memory stay
bounded.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from planctl.cli import app
from planctl.core.limits import MAX_BYTES
from planctl.core.validate import load_bytes, load_text
from planctl.store.files import Found, load

ROOT = Path(__file__).resolve().parents[1]
BAD = ROOT / "tests" / "data" / "bad"
EXAMPLE = ROOT / "examples" / "example-plan.yaml"
runner = CliRunner()

# (file, line, column, start of the first message)
CASES: list[tuple[str, int, int, str]] = [
    ("01-tab-indent.yaml", 4, 1, "a tab character is used for indentation; YAML allows only spaces"),
    ("02-unclosed-bracket.yaml", 4, 9, "YAML syntax error: did not find expected ',' or ']'"),
    ("03-unclosed-quote.yaml", 2, 8, "YAML syntax error: a quoted text starts here and is never closed"),
    ("04-colon-in-title.yaml", 2, 11, "YAML syntax error: mapping values are not allowed in this context"),
    ("05-bad-indent.yaml", 6, 4, "YAML syntax error: did not find expected '-' indicator"),
    ("06-duplicate-key-plan.yaml", 4, 1, "duplicate key 'title' (first on line 2)"),
    ("07-duplicate-key-item.yaml", 10, 9, "duplicate key 'due' (first on line 9)"),
    ("08-plan-id-list.yaml", 1, 5, "id: Input should be a valid string (got a list)"),
    ("09-section-title-mapping.yaml", 5, 12, "title: Input should be a valid string (got a mapping)"),
    ("10-sections-mapping.yaml", 4, 3, "sections: Input should be a valid list (got a mapping)"),
    ("11-item-leads-number.yaml", 9, 16, "leads: Input should be a valid list (got 3)"),
    ("12-outcome-text-list.yaml", 10, 19, "text: Input should be a valid string (got a list)"),
    ("13-lead-list.yaml", 10, 13, "leads[0]: a lead is a name, or a mapping with name, role, organisation"),
    ("14-scale-no-values.yaml", 6, 13, "values: List should have at least 1 item"),
    ("15-kpi-polarity.yaml", 6, 15, "polarity: Input should be 'higher-is-better', 'lower-is-better'"),
    ("16-observation-value-text.yaml", 8, 16, "value: Input should be a valid number"),
    (
        "17-response-date.yaml",
        16,
        17,
        "date: not a valid date: invalid character in year (got 'next Tuesday')",
    ),
    ("18-update-missing-date.yaml", 10, 13, "missing required key 'date'"),
    ("19-provenance-line-zero.yaml", 9, 46, "line: Input should be greater than or equal to 1 (got 0)"),
    ("20-unknown-key-plan.yaml", 3, 1, "unknown key 'owner'; did you mean 'owners'?"),
    ("21-unknown-key-item.yaml", 9, 9, "unknown key 'deadline'"),
    ("22-null-title.yaml", 2, 7, "title: Input should be a valid string (got nothing (null))"),
    ("23-null-item-id.yaml", 7, 13, "id: Input should be a valid string (got nothing (null))"),
    ("24-empty.yaml", 1, 1, "a plan file must be a mapping with id, title and sections; this one is empty"),
    (
        "25-only-comments.yaml",
        1,
        1,
        "a plan file must be a mapping with id, title and sections; this one is empty",
    ),
    (
        "26-scalar-root.yaml",
        1,
        1,
        "a plan file must be a mapping with id, title and sections; this one is a text",
    ),
    (
        "27-list-root.yaml",
        1,
        1,
        "a plan file must be a mapping with id, title and sections; this one is a list",
    ),
    ("28-two-documents.yaml", 3, 1, "several YAML documents in one file; a plan file holds exactly one"),
    ("29-duplicate-merge-key.yaml", 8, 9, "duplicated merge key '<<'"),
    ("30-merge-not-mapping.yaml", 7, 14, "'<<' must merge a mapping or a list of mappings"),
    ("31-alias-bomb.yaml", 4, 58, "aliases expand to more than 100000 nodes"),
    ("32-deep-nesting.yaml", 3, 71, "nesting deeper than 64 levels"),
    ("33-binary.yaml", 3, 1, "this is a binary file, not YAML text"),
    ("34-latin1.yaml", 2, 11, "not UTF-8: byte 0xe9 cannot be read"),
    ("35-impossible-iso-date.yaml", 3, 16, "ratings_as_of: not a valid date: month value is outside"),
    ("36-impossible-due.yaml", 9, 14, "'30 February 2026' is not a real date"),
    ("37-enormous-number.yaml", 9, 46, "number with 60 digits is too large"),
    ("38-id-with-space.yaml", 7, 13, "id: contains a space; ids use only ASCII letters, digits"),
    ("39-id-cyrillic.yaml", 7, 13, "id: contains 'А' (U+0410 CYRILLIC CAPITAL LETTER A), which is not ASCII"),
    ("40-python-tag.yaml", 3, 10, "tag '!!python/object/apply:os.system' is not allowed in a plan"),
    ("41-custom-tag.yaml", 3, 11, "tag '!include' is not allowed in a plan"),
    ("42-status-not-on-scale.yaml", 13, 17, "status 'Purple' is not on the RAG scale"),
    ("43-duplicate-id.yaml", 9, 13, "duplicate id 'A1' (first on line 7)"),
    ("45-schema-version.yaml", 1, 17, "schema_version: Input should be 1 (got 2)"),
    ("46-title-bool.yaml", 2, 8, "title: Input should be a valid string (got True)"),
    ("47-mapping-as-key.yaml", 3, 3, "a key must be plain text, not a list or mapping"),
    ("48-update-impossible-date.yaml", 10, 20, "date: not a valid date: day value is outside expected range"),
    ("49-control-character.yaml", 3, 15, "control character U+0007 is not allowed in YAML text"),
    ("50-utf16-no-bom.yaml", 1, 1, "this looks like UTF-16 text without a byte-order mark"),
    ("51-deep-sections.yaml", 97, 129, "nesting deeper than 64 levels"),
    ("52-period-wrong-type.yaml", 3, 9, "period: expected a mapping with keys such as start, end, text"),
    ("53-merge-bomb.yaml", 3, 16, "aliases expand to more than 100000 nodes"),
    ("54-utf16-truncated.yaml", 1, 1, "the file says it is UTF-16 but is not"),
    (
        "55-alias-repeats-item.yaml",
        8,
        13,
        "duplicate id 'A1': the record here is repeated elsewhere by an alias",
    ),
    ("56-deep-flow-mappings.yaml", 3, 260, "nesting deeper than 64 levels"),
]
# Valid to the schema, but lint finds the gap: (file, line, column, rule, message start).
LINT_ONLY = [("44-dangling-link.yaml", 9, 17, "dangling-link", "link 'other-plan:B7'")]

GOOD_WITH_ANCHORS = """\
id: anchors-ok
title: A plan that reuses text with anchors and aliases
scales:
  - id: rag
    name: RAG
    values: &rag-values
      - {key: red, label: Red}
      - {key: green, label: Green, done: true}
  - id: brag
    name: BRAG
    values: *rag-values
sections:
  - id: s1
    title: One
    leads: &leads [Head of Adult Social Care]
    items:
      - &base
        id: A1
        title: Write the plan
        due: April 2026
        status: red
      - <<: *base
        id: A2
        title: Agree the plan
  - id: s2
    title: Two
    leads: *leads
    items:
      - <<: [*base]
        id: A3
        status: green
"""


def test_corpus_is_complete() -> None:
    """Every file in the folder is in one table, and there are at least 40 cases."""
    names = sorted(p.name for p in BAD.iterdir())
    assert names == sorted([c[0] for c in CASES] + [c[0] for c in LINT_ONLY])
    assert len(CASES) >= 40


@pytest.mark.parametrize(("name", "line", "column", "message"), CASES, ids=[c[0] for c in CASES])
def test_bad_file_is_located(name: str, line: int, column: int, message: str, in_repo: Path) -> None:
    path = f"tests/data/bad/{name}"
    started = time.process_time()  # CPU time: other jobs on a busy CI runner do not count
    result = runner.invoke(app, ["validate", "--format", "json", path])
    assert time.process_time() - started < 3
    assert result.exit_code == 1, result.output
    found = json.loads(result.output)
    assert found, "no problem reported"
    first = found[0]
    assert (first["file"], first["line"], first["column"]) == (path, line, column), first
    assert first["message"].startswith(message), first["message"]
    assert all(d["file"] == path and d["severity"] == "error" for d in found)


@pytest.mark.parametrize(("name", "line", "column", "rule", "message"), LINT_ONLY)
def test_dangling_link_passes_validate_but_not_lint(
    name: str, line: int, column: int, rule: str, message: str, in_repo: Path
) -> None:
    path = f"tests/data/bad/{name}"
    assert runner.invoke(app, ["validate", path]).exit_code == 0
    result = runner.invoke(app, ["lint", path, "--as-of", "2026-11-24", "--format", "json"])
    assert result.exit_code == 1, result.output
    found = [d for d in json.loads(result.output) if d["rule"] == rule]
    assert [(d["line"], d["column"], d["severity"]) for d in found] == [(line, column, "error")]
    assert found[0]["message"].startswith(message)


def test_whole_folder_in_a_real_process(tmp_path: Path) -> None:
    """One process over every bad file plus a good plan: each bad file is reported,
    the good one is not, no traceback, bounded time and peak memory."""
    good = tmp_path / "good-with-anchors.yaml"
    good.write_text(GOOD_WITH_ANCHORS, encoding="utf-8")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run(
        [sys.executable, "-m", "planctl", "validate", "--format", "json", str(BAD), str(good)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        timeout=60,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == 1
    reported = {Path(d["file"]).name for d in json.loads(proc.stdout)}
    assert reported == {c[0] for c in CASES}
    assert cpu < 20, f"{cpu:.1f} s of CPU"
    # ru_maxrss is the largest child so far (KiB on Linux): earlier children of this test
    # run were checked by the same bound, so a rise above it can only be this process.
    assert after.ru_maxrss < 400 * 1024, f"peak RSS {after.ru_maxrss // 1024} MiB"


def test_text_output_names_every_file_without_traceback(in_repo: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "planctl", "validate", "tests/data/bad"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr + proc.stdout
    for name, line, column, message in CASES:
        assert f"tests/data/bad/{name}:{line}:{column}: error invalid: {message}" in proc.stdout


def test_normal_anchors_and_aliases_validate_cleanly() -> None:
    result = load_text(GOOD_WITH_ANCHORS, "good.yaml")
    assert result.problems == []
    assert result.plan is not None
    items = [i for s in result.plan.sections for i in s.items]
    assert [(i.id, i.title, i.status) for i in items] == [
        ("A1", "Write the plan", "red"),
        ("A2", "Agree the plan", "red"),
        ("A3", "Write the plan", "green"),
    ]
    assert result.plan.scales[1].values == result.plan.scales[0].values


def test_python_tag_payload_never_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The payload in 40-python-tag.yaml creates a file when an unsafe loader runs it;
    planctl only reports the tag."""
    monkeypatch.chdir(tmp_path)
    marker = tmp_path / "planctl-was-exploited"
    text = (BAD / "40-python-tag.yaml").read_text(encoding="utf-8")
    result = runner.invoke(app, ["validate", str(BAD / "40-python-tag.yaml")])
    assert result.exit_code == 1
    assert load_text(text, "p.yaml").plan is None
    assert not marker.exists()
    # The payload is real: an unsafe loader does run it (so the check above can fail).
    yaml.unsafe_load(text)
    assert marker.exists()


def test_file_over_the_size_limit_is_refused_without_reading(tmp_path: Path) -> None:
    big = tmp_path / "huge.yaml"
    with big.open("wb") as f:
        f.truncate(MAX_BYTES + 1)  # sparse: costs no disk, and is never read
    result = runner.invoke(app, ["validate", "--format", "json", str(big)])
    assert result.exit_code == 1
    [d] = json.loads(result.output)
    assert (d["line"], d["column"]) == (1, 1)
    assert d["message"] == "file is 50 MiB; plan files are limited to 50 MiB"


def test_big_but_legal_file_loads_in_bounded_time(tmp_path: Path) -> None:
    """A 5 MB plan (20,000 items) validates in bounded time (about 5 s of CPU today)."""
    item = (
        "      - id: A{n}\n"
        "        title: Action number {n} with a title long enough to be realistic for a plan\n"
        "        leads: [Head of Adult Social Care]\n"
        "        due: Q{q} 2026/27\n"
        "        status: red\n"
        "        outcomes:\n"
        "          - text: People with a learning disability will have better access by April 2027.\n"
    )
    head = GOOD_WITH_ANCHORS.split("sections:")[0] + "sections:\n  - id: s1\n    title: One\n    items:\n"
    body = "".join(item.format(n=n, q=n % 4 + 1) for n in range(20_000))
    path = tmp_path / "big.yaml"
    path.write_text(head + body, encoding="utf-8")
    assert path.stat().st_size > 5_000_000
    started = time.process_time()
    result = load(Found(path, "big.yaml"))
    assert time.process_time() - started < 20
    assert result.problems == []
    assert result.plan is not None
    assert len(result.plan.sections[0].items) == 20_000


def test_utf8_bom_is_read_as_usual() -> None:
    raw = b"\xef\xbb\xbf" + EXAMPLE.read_bytes()
    result = load_bytes(raw, "bom.yaml")
    assert result.problems == []
    assert result.plan is not None
    assert result.plan.id == "example-council-ld-plan-2025-2027"


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_bom_are_read(codec: str) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    raw = text.encode(codec)
    if codec == "utf-16-be":
        raw = b"\xfe\xff" + raw
    result = load_bytes(raw, "wide.yaml")
    assert result.problems == []
    assert result.plan is not None
    assert result.plan.title.startswith("Example Council")


@pytest.mark.parametrize(
    "text",
    [
        "notes: " + "{a: " * 50_000 + "}" * 50_000,
        "notes: " + "[a, " * 50_000 + "]" * 50_000,
        "# " + "]" * 50_000 + "\nnotes: " + "[" * 50_000 + "]" * 50_000,
        "notes:\n" + "- " * 50_000 + "x",
        "notes:\n" + "? " * 50_000 + "x",
    ],
    ids=["flow-mappings", "flow-lists", "closers-first", "dashes", "complex-keys"],
)
def test_nesting_that_would_crash_libyaml_is_refused(text: str) -> None:
    """libyaml composes recursively and kills the process some 30,000 levels deep."""
    started = time.process_time()
    result = load_text("id: p\ntitle: t\n" + text + "\n", "deep.yaml")
    assert time.process_time() - started < 3
    assert [d.message for d in result.problems] == ["nesting deeper than 64 levels"]


@pytest.mark.skipif(os.name != "posix", reason="symlinks")
def test_unreadable_file_is_reported_and_others_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A broken symlink (a plan moved on a shared drive) is named as the user sees it."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a-moved.yaml").symlink_to("old/plan.yaml")
    (tmp_path / "b-good.yaml").write_text("id: b\ntitle: t\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", "--format", "json", "."])
    assert result.exit_code == 1
    [d] = json.loads(result.output)
    assert (d["file"], d["line"], d["column"]) == ("a-moved.yaml", 1, 1)
    assert d["message"] == "cannot read: it is a symlink to old/plan.yaml, which does not exist"


def test_cross_record_checks_are_the_same_on_a_plan_the_schema_refuses(tmp_path: Path) -> None:
    """A duplicate id, a status off its scale and an impossible date in a shipped plan are
    reported alike (message, place, order) whether the rest of the file is valid or the
    schema refuses it: one set of checks reads the valid plan and the raw data."""
    text = (ROOT / "plans" / "oxfordshire-send-pap-2024.yaml").read_text(encoding="utf-8")
    text = text.replace('          - id: "PAP1:2"\n', '          - id: "PAP1:1"\n', 1)
    text = text.replace("            due: By April 2024\n", "            due: 30 February 2024\n", 1)
    text = text.replace(
        '          - id: "PAP1:3"\n', '          - id: "PAP1:3"\n            status: purple\n', 1
    )
    valid_otherwise = tmp_path / "send.yaml"
    valid_otherwise.write_text(text, encoding="utf-8")
    refused = tmp_path / "refused" / "send.yaml"
    refused.parent.mkdir()
    refused.write_text(text + "bogus_key: 1\n", encoding="utf-8")  # the schema refuses the whole plan

    def found(path: Path) -> list[tuple[int, int, str | None, str, str, str]]:
        result = subprocess.run(
            [sys.executable, "-m", "planctl", "lint", "--format", "json", "--as-of", "2026-11-24", str(path)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 1, result.stderr
        return [
            (d["line"], d["column"], d["item"], d["path"], d["message"], d["hint"])
            for d in json.loads(result.stdout)
            if d["rule"] == "invalid"
        ]

    plain = found(valid_otherwise)
    assert [m for *_, m, _h in plain] == [
        "'30 February 2024' is not a real date",
        "duplicate id 'PAP1:1' (first on line 1004)",
        "status 'purple' is not on the BRAG scale",
    ]
    raw = found(refused)
    assert ("bogus_key", "unknown key 'bogus_key'") in [d[3:5] for d in raw]  # the schema refused it
    assert [d for d in raw if d[3] != "bogus_key"] == plain

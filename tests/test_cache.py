"""The lint cache is never wrong: any change to a file, planctl, the configuration or the
as-of date is seen; broken entries are ignored; --no-cache leaves nothing behind."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planctl.api import pipeline
from planctl.cli import app
from planctl.store import cache
from planctl.store.files import Found
from planctl.store.layout import CACHE_DIR

runner = CliRunner()


@pytest.fixture
def linted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files linted afresh (not answered from the cache), in one process."""
    seen: list[str] = []
    real = pipeline._lint_job

    def spy(found: Found) -> object:
        seen.append(found.display)
        return real(found)

    monkeypatch.setattr(pipeline, "_lint_job", spy)
    return seen


def _lint(*args: str, as_of: str = "2026-11-24") -> tuple[int, str]:
    result = runner.invoke(app, ["lint", "--jobs", "1", "--as-of", as_of, *args])
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, result.stdout


def _entries(project: Path) -> list[Path]:
    return sorted((project / CACHE_DIR).rglob("*.json"))


def test_warm_run_is_answered_from_the_cache(project: Path, linted: list[str]) -> None:
    cold = _lint("-f", "json")
    assert len(linted) == 5
    assert len(_entries(project)) == 5
    warm = _lint("-f", "json")
    assert warm == cold
    assert len(linted) == 5  # nothing linted again
    assert _lint("-f", "json", "--no-cache") == cold
    for entry in _entries(project):  # JSON only: a cache file can never run code
        assert set(json.loads(entry.read_text(encoding="utf-8"))) == {"format", "key", "value"}
    assert (project / CACHE_DIR / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"


def test_editing_a_file_gives_its_new_findings(project: Path, linted: list[str]) -> None:
    _lint()
    plan = project / "plans" / "oxfordshire-send-pap-2024.yaml"
    text = plan.read_text(encoding="utf-8")
    before = _lint("-f", "json")
    plan.write_text("# one more line: every finding moves down\n" + text, encoding="utf-8")
    linted.clear()
    after = _lint("-f", "json")
    assert linted == ["plans/oxfordshire-send-pap-2024.yaml"]
    assert after != before
    fresh = _lint("-f", "json", "--no-cache")
    assert after == fresh


def test_a_change_to_planctl_invalidates(
    project: Path, linted: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _lint()
    real = cache.code_digest()
    monkeypatch.setattr(cache, "code_digest", lambda: real + "-a rule was edited")
    linted.clear()
    _lint()
    assert len(linted) == 5


def test_code_digest_covers_the_rules(tmp_path: Path) -> None:
    """Any edit to a rule module changes the digest (it hashes planctl's own source)."""
    import planctl

    package = tmp_path / "planctl"
    shutil.copytree(Path(planctl.__file__).parent, package, ignore=shutil.ignore_patterns("__pycache__"))
    digest = cache.code_digest(package)
    assert digest == cache.code_digest()
    rule = package / "lint" / "rules" / "missing_lead.py"
    rule.write_bytes(rule.read_bytes() + b"\n# edited\n")
    assert cache.code_digest(package) != digest


def test_a_config_change_invalidates(project: Path, linted: list[str]) -> None:
    _code, before = _lint()
    assert "missing-due" in before
    (project / "planctl.toml").write_text('ignore = ["missing-due"]\n', encoding="utf-8")
    linted.clear()
    _code, after = _lint()
    assert len(linted) == 5
    assert "missing-due" not in after
    assert after == _lint("--no-cache")[1]
    linted.clear()
    _lint("--ignore", "PL1")  # options on the command line are settings too
    assert len(linted) == 5


def test_an_as_of_change_invalidates(project: Path, linted: list[str]) -> None:
    early = _lint("-f", "json", as_of="2024-01-01")[1]
    late = _lint("-f", "json", as_of="2026-11-24")[1]
    assert len(linted) == 10
    assert early != late
    assert _lint("-f", "json", as_of="2024-01-01")[1] == early
    assert len(linted) == 10


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"{not json",
        b'{"format": 1, "key": "other", "value": {}}',
        b"[1, 2, 3]",
        b"\xff\xfe",
    ],
)
def test_broken_entries_are_ignored(project: Path, linted: list[str], damage: bytes) -> None:
    good = _lint("-f", "json")
    for entry in _entries(project):
        entry.write_bytes(damage)
    linted.clear()
    assert _lint("-f", "json") == good
    assert len(linted) == 5


def test_an_entry_of_the_wrong_shape_is_ignored(project: Path, linted: list[str]) -> None:
    good = _lint("-f", "json")
    for entry in _entries(project):
        data = json.loads(entry.read_text(encoding="utf-8"))
        data["value"]["diagnostics"] = [["plans/x.yaml", "one", 1, "m", 1, "r", "c", None, None, None]]
        entry.write_text(json.dumps(data), encoding="utf-8")
    linted.clear()
    assert _lint("-f", "json") == good
    assert len(linted) == 5


def test_no_cache_writes_nothing(project: Path) -> None:
    _lint("--no-cache")
    assert not (project / CACHE_DIR).exists()


def test_unwritable_cache_still_lints(project: Path) -> None:
    (project / CACHE_DIR).write_text("a file where the folder should be", encoding="utf-8")
    assert _lint("-f", "json") == _lint("-f", "json", "--no-cache")


def test_cache_lives_at_the_project_root(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project / "plans")
    _lint(".")
    assert _entries(project)
    assert not (project / "plans" / CACHE_DIR).exists()


def test_usage_errors_are_reported_even_when_cached(project: Path) -> None:
    _lint()
    result = runner.invoke(app, ["lint", "--as-of", "someday"])
    assert result.exit_code == 2
    assert "--as-of" in result.stderr


def test_library_versions_are_what_importlib_metadata_finds() -> None:
    """The key's library versions, read from dist-info folder names, match the metadata."""
    from importlib import metadata

    names = (*cache._LIBRARIES, "typer", "rich", "Jinja2", "ruamel.yaml", "orjson")
    found = cache.library_versions(names)
    assert found == {n: metadata.version(n) for n in names}
    assert cache.library_versions(("no-such-library",)) == {"no-such-library": "-"}

"""Shell completion, run in the real shells: bash and fish complete a command line the
way a user's Tab does; zsh loads the script and gets the values in its own syntax.

zsh and fish are installed by ``make test`` (the Makefile's shells target).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _env() -> dict[str, str]:
    return os.environ | {"PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}


def _bash(*words: str) -> list[str]:
    """What bash's completion function puts in COMPREPLY for ``words`` (last = the word
    being typed), with the script ``planctl completion bash`` prints."""
    array = " ".join(f"'{w}'" for w in words)
    script = (
        "source <(planctl completion bash)\n"
        f"COMP_WORDS=({array}); COMP_CWORD={len(words) - 1}\n"
        "_planctl_completion planctl\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    done = subprocess.run(
        ["bash", "-c", script], cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return [line for line in done.stdout.splitlines() if line]


def _fish(line: str) -> list[tuple[str, str]]:
    script = f"planctl completion fish | source; complete -C '{line}'"
    done = subprocess.run(
        ["fish", "-c", script], cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return [tuple(row.split("\t", 1)) if "\t" in row else (row, "") for row in done.stdout.splitlines()]  # type: ignore[misc]


def test_bash_completes_item_ids() -> None:
    assert _bash("planctl", "show", "4.4.") == ["4.4.1", "4.4.2", "4.4.3"]
    assert _bash("planctl", "update", "PAP2A:") == ["PAP2A:1", "PAP2A:2"]


def test_bash_completes_plans_sections_ratings_and_leads() -> None:
    assert _bash("planctl", "due", "--plan", "oxfordshire-s") == ["oxfordshire-send-pap-2024"]
    assert "theme-4" in _bash("planctl", "due", "--section", "theme-")
    ratings = _bash("planctl", "due", "--status", "")
    assert {"red", "amber", "green", "blue"} <= set(ratings)
    assert "Complete" not in ratings  # offered once, as its key 'complete'
    # A name with spaces is escaped, so bash inserts it as one word.
    assert _bash("planctl", "due", "--lead", "Karen") == [r"Karen\ Fuller"]


def test_bash_completes_commands() -> None:
    commands = _bash("planctl", "")
    for name in ("due", "lint", "show", "update", "completion"):
        assert name in commands


def test_a_broken_plan_never_breaks_the_shell_line(tmp_path: Path) -> None:
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "bad.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    env = _env() | {"COMP_WORDS": "planctl show A", "COMP_CWORD": "2", "_PLANCTL_COMPLETE": "complete_bash"}
    done = subprocess.run(["planctl"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout.strip(), done.stderr) == (0, "", "")


def test_fish_completes_item_ids_with_their_titles() -> None:
    got = _fish("planctl show 4.4.")
    assert [v for v, _ in got] == ["4.4.1", "4.4.2", "4.4.3"]
    assert got[0][1].startswith("Commissioner Oversight visits")
    assert ("Karen Fuller", "lead") in _fish("planctl due --lead Kar")


def test_zsh_loads_the_script_and_gets_values_in_its_syntax() -> None:
    loaded = subprocess.run(
        [
            "zsh",
            "-c",
            "autoload -U compinit; compinit -u; source <(planctl completion zsh) && whence -w _planctl_completion",
        ],
        cwd=ROOT,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert loaded.returncode == 0, loaded.stderr
    assert "_planctl_completion: function" in loaded.stdout
    env = _env() | {"_TYPER_COMPLETE_ARGS": "planctl show 4.4.", "_PLANCTL_COMPLETE": "complete_zsh"}
    done = subprocess.run(["planctl"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.stdout.startswith('_arguments \'*: :(("4.4.1":"Commissioner Oversight')


def test_an_unknown_shell_is_a_usage_error() -> None:
    done = subprocess.run(
        ["planctl", "completion", "tcsh"], env=_env(), capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert "choose one of: bash, zsh, fish" in done.stderr


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_every_script_names_the_planctl_command(shell: str) -> None:
    done = subprocess.run(
        ["planctl", "completion", shell], env=_env(), capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0
    assert "_PLANCTL_COMPLETE" in done.stdout

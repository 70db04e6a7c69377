"""Readability checks used by the easy-read lint rules and the handout."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from planctl.core import readability as r


def test_sentences_split_one_per_line() -> None:
    text = "We will help you. Is it good? Yes!\n- A list item\n- Another"
    assert r.sentences(text) == ["We will help you.", "Is it good?", "Yes!", "A list item", "Another"]
    assert r.sentences("See e.g. the plan. Then go.") == ["See e.g. the plan.", "Then go."]


def test_long_sentences_over_fifteen_words() -> None:
    short = "We will run a job club every month."
    long = "We will run a job club every month at the library where people can get help to find work."
    assert r.long_sentences(short) == []
    assert r.long_sentences(f"{short} {long}") == [(long, 19)]


def test_acronyms_and_glossary() -> None:
    text = "Ask your GP or the NHS. GPs help. CTR reviews happen. I am OK."
    assert r.acronyms(text) == ["GP", "NHS", "CTR"]
    assert r.unexplained_acronyms(text, ["gp", "NHS"]) == ["CTR"]


def test_hard_words_allow_glossary_and_plain_endings() -> None:
    text = "We will commission opportunities. Things are harder. A learning disability."
    assert r.hard_words(text) == ["commission", "opportunities"]
    assert r.hard_words(text, ["commission"]) == ["opportunities"]


def test_passive_hints() -> None:
    assert r.passive_hints("The contracts will be checked. We will check them.") == ["be checked"]
    assert r.passive_hints("We will write it.") == []


def test_reading_ease_orders_easy_above_hard() -> None:
    easy = r.reading_ease("We will help you find a job. You can come to the club.")
    hard = r.reading_ease("Undertake comprehensive analysis of commissioning arrangements and procurement.")
    assert easy > 80 > hard


# setuptools 81 removed pkg_resources, which textstat 0.7.4 imports at load time; a new
# virtual environment on Python 3.12+ installs the newest setuptools. Simulated here by
# making the module unimportable, as it is there.
_WITHOUT_PKG_RESOURCES = """
import sys
sys.modules["pkg_resources"] = None  # 'import pkg_resources' now fails, as with setuptools>=81
sys.argv = ["planctl", *sys.argv[1:]]
from planctl.entry import main
main()
"""


def test_lint_and_handout_work_without_pkg_resources(in_repo: Path) -> None:
    plan = "plans/oxfordshire-ld-plan-2025-2035.yaml"
    for args in (
        ["lint", "--no-cache", "--as-of", "2026-11-30", plan],
        ["render", "--template", "easy-read.md", "--as-of", "2026-11-30", plan],
    ):
        usual = subprocess.run(
            [sys.executable, "-m", "planctl", *args], capture_output=True, text=True, check=False
        )
        without = subprocess.run(
            [sys.executable, "-c", _WITHOUT_PKG_RESOURCES, *args], capture_output=True, text=True, check=False
        )
        assert without.returncode == usual.returncode, without.stderr
        assert "Traceback" not in without.stderr
        assert without.stdout == usual.stdout
        assert usual.stdout.strip()


_NO_TEXTSTAT = """
import sys
sys.modules["pkg_resources"] = None  # as with setuptools>=81
sys.modules["textstat"] = None  # and no textstat at all
from planctl.core import readability as r
print(r.reading_ease(sys.argv[1]), r.hard_words(sys.argv[1]))
assert sys.modules["pkg_resources"] is None and sys.modules["textstat"] is None
"""


def test_readability_needs_neither_textstat_nor_pkg_resources() -> None:
    """Scores come from pyphen's public API and the formula; nothing patches sys.modules."""
    text = "Undertake comprehensive analysis of commissioning arrangements. We will help you."
    done = subprocess.run(
        [sys.executable, "-c", _NO_TEXTSTAT, text], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "15.64 ['comprehensive', 'commissioning', 'arrangements']\n"


@pytest.mark.parametrize(
    ("text", "score"),
    [  # textstat 0.7.4's flesch_reading_ease of each text: the scores the rules were tuned on
        ("We will help you find a job. You can come to the club.", 115.64),
        ("Undertake comprehensive analysis of commissioning arrangements and procurement.", -38.17),
        ("", 206.84),
        ("Hello.", 36.62),
        ("Don't can't won't. A co-produce thing; really!!! 123 4.5", 83.83),
    ],
)
def test_reading_ease_is_textstats_score(text: str, score: float) -> None:
    assert r.reading_ease(text) == score

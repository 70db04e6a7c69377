"""Which picture goes with an idea: first concept, never a negated one, phrases across
punctuation; `planctl pictures` shows each choice and the word that made it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from planctl.cli import app
from test_easy_read_handouts import PLAN_IDS

ROOT = Path(__file__).resolve().parents[1]
LD_PLAN = str(ROOT / "plans" / "oxfordshire-ld-plan-2025-2035.yaml")
runner = CliRunner()


def pictures(*args: str) -> dict[str, tuple[str, str]]:
    result = runner.invoke(app, ["pictures", *args])
    assert result.exit_code == 0, result.stderr
    out: dict[str, tuple[str, str]] = {}
    for line in result.stdout.splitlines():
        where, name, why = line.split("\t")
        out[where] = (name, why)
    return out


@pytest.fixture(scope="module")
def ld() -> dict[str, tuple[str, str]]:
    return pictures(LD_PLAN)


def test_homes_not_hospitals_matches_across_the_comma(ld: dict[str, tuple[str, str]]) -> None:
    # theme 4's words: "This part of the plan is about homes, not hospitals. ... stay out of hospital."
    assert ld["section theme-4"] == ("homes", '"homes, not hospitals" (homes not hospitals)')


def test_a_negated_hospital_never_chooses_the_hospital(ld: dict[str, tuple[str, str]]) -> None:
    # 4.2.4: "We will build two Safe Spaces to help people avoid going into hospital."
    assert ld["item 4.2.4"][0] != "hospital"


def test_learning_disability_is_not_books(ld: dict[str, tuple[str, str]]) -> None:
    chosen_by_learning = [w for w, (_, why) in ld.items() if re.match(r'"learning\b', why, re.IGNORECASE)]
    assert chosen_by_learning == []


def test_every_idea_of_the_ld_plan_is_listed_with_the_word_that_chose_it(
    ld: dict[str, tuple[str, str]],
) -> None:
    assert len([w for w in ld if w.startswith("item ")]) == 74
    assert len([w for w in ld if w.startswith("section ")]) == 24
    assert all(why == "default" or why.startswith(('"', "picture: ")) for _, why in ld.values())


@pytest.mark.parametrize("plan_id", PLAN_IDS)
def test_no_idea_of_a_shipped_plan_falls_back_to_the_default_picture(plan_id: str) -> None:
    """The scrutiny action tracker ("There is nothing left to do.") had no picture of its own."""
    chosen = pictures(str(ROOT / "plans" / f"{plan_id}.yaml"))
    assert [where for where, (_, why) in chosen.items() if why == "default"] == []


def test_pictures_the_set_lacked_are_added_from_openmoji() -> None:
    """Adult social care showed a party popper (chosen by "social"), and an education,
    health and care plan a school; OpenMoji's heart hands and document now show them."""
    scrutiny = pictures(str(ROOT / "plans" / "oxfordshire-people-scrutiny-2025-26.yaml"))
    send = pictures(str(ROOT / "plans" / "oxfordshire-send-pap-2024.yaml"))
    assert scrutiny["section asc-improvement-plan"] == ("care", '"adult social care" (adult social care)')
    assert scrutiny["item 24/25.2"][0] == "care"  # the Director of Adult Social Services
    assert [w for w, (name, why) in scrutiny.items() if name == "fun" and "social" in why.casefold()] == []
    assert send["item PAP3A:1"] == (
        "document",
        '"education, health and care plan" (education, health and care plan*)',
    )
    pictures_yaml = (ROOT / "templates" / "pictures" / "pictures.yaml").read_text(encoding="utf-8")
    for name, code in (("care", "1FAF6"), ("document", "1F4D1")):
        assert f"{name}: {{file: {name}.svg," in pictures_yaml
        assert f"openmoji: {code}}}" in pictures_yaml
        svg = (ROOT / "templates" / "pictures" / f"{name}.svg").read_text(encoding="utf-8")
        assert svg.startswith("<svg")


def _plan(tmp_path: Path, *items: str) -> str:
    lines = "".join(
        f"      - {{id: A{n}, title: Something., easy_read: '{text}', due: May 2026}}\n"
        for n, text in enumerate(items, 1)
    )
    path = tmp_path / "p.yaml"
    path.write_text(f"id: p\ntitle: P\nsections:\n  - id: s\n    title: Things\n    items:\n{lines}", "utf-8")
    return str(path)


def test_first_concept_in_the_sentence_wins_and_negation_skips(tmp_path: Path) -> None:
    plan = _plan(
        tmp_path,
        "Travel training for college students.",  # the map lists college before travel
        "We will help people stay out of hospital and live at home.",
        "People are at home, not in hospital.",
        "We will work with the bus company so people can travel to learning.",
        "People with a learning disability will get jobs.",
    )
    chosen = pictures(plan)
    assert chosen["item A1"] == ("travel", '"Travel" (travel*)')
    assert chosen["item A2"][0] == "home"
    assert chosen["item A3"][0] == "home"
    assert chosen["item A4"][0] == "travel"
    assert chosen["item A5"][0] == "work"


def test_picture_override_is_listed_as_such(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(
        "id: p\ntitle: P\nsections:\n  - id: s\n    title: Things\n    items:\n"
        "      - {id: A1, title: Go to hospital., picture: homes, due: May 2026}\n",
        "utf-8",
    )
    assert pictures(str(path))["item A1"] == ("homes", "picture: homes")


def test_pictures_are_at_least_40mm_wide_in_print() -> None:
    css = (ROOT / "templates" / "easy-read.html").read_text("utf-8")
    rule = re.search(r"\.picture \{([^}]*)\}", css)
    assert rule is not None
    width = re.search(r"width:\s*(\d+)mm", rule[1])
    assert width is not None
    assert int(width[1]) >= 40


def test_a_picture_set_without_a_credit_is_warned_about(tmp_path: Path) -> None:
    (tmp_path / "boat.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>', encoding="utf-8")
    extra = tmp_path / "pictures.yaml"
    extra.write_text("pictures:\n  boat: {file: boat.svg}\nkeywords:\n  canal*: boat\n", "utf-8")
    result = runner.invoke(app, ["pictures", LD_PLAN, "--pictures", str(extra)])
    assert result.exit_code == 0
    assert "its pictures have no credit: add credit:" in result.stderr


def test_the_needle_test_never_changes_a_choice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keywords whose longest word is not in the lower-cased text are not searched (most of
    a large site's build was spent running every keyword's pattern on every text): every
    choice on the shipped plans, and on text in capitals, with the characters that match
    an ASCII letter only under re.IGNORECASE (ſ, K, ı, İ) and with non-ASCII keywords'
    neighbours, is the one made by searching with every pattern."""
    import planctl.render.pictures as pictures_module

    odd = _plan(
        tmp_path,
        "GOING TO COLLEGE BY BUS.",
        "Hoſpital stays and Kitchens.",
        "A ſhop, a bıke and İnternet café.",
        "Café jobs: not in HOSPITAL, HOMES, NOT HOSPITALS.",
    )
    plans = [*sorted(str(p) for p in (ROOT / "plans").glob("*.yaml")), odd]
    fast = [pictures(p) for p in plans]
    monkeypatch.setattr(pictures_module, "keyword_needle", lambda phrase: None)
    slow = [pictures(p) for p in plans]
    assert fast == slow
    assert sum(len(f) for f in fast) > 300


def test_a_site_searches_each_text_for_a_picture_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same texts recur (each item without a keyword of its own falls back to its
    sections' titles): a site searches each text once, and gives every idea the picture
    searching every time gives (``planctl pictures``, one fresh search per idea)."""
    import planctl.render.pictures as pictures_module

    searched: list[tuple[str, bool]] = []
    first_concept = pictures_module._first_concept

    def counted(keywords: Any, text: str, general: bool) -> Any:
        searched.append((text, general))
        return first_concept(keywords, text, general)

    monkeypatch.setattr(pictures_module, "_first_concept", counted)
    out = tmp_path / "site"
    result = runner.invoke(app, ["site", str(ROOT / "plans"), "--out", str(out), "--as-of", "2026-11-24"])
    assert result.exit_code == 0, result.output
    assert len(searched) > 300
    assert len(searched) == len(set(searched))
    page = (out / "plans" / "oxfordshire-ld-plan-2025-2035" / "easy-read.html").read_text(encoding="utf-8")
    shown = re.findall(r'<img class="easy-picture" src="\.\./\.\./assets/pictures/([\w-]+)\.svg"', page)
    monkeypatch.setattr(pictures_module, "_first_concept", first_concept)
    chosen = pictures(LD_PLAN)
    assert len(shown) >= len(chosen)
    assert {name for name, _ in chosen.values()} <= set(shown)

"""Readability checks used by the easy-read lint rules and the handout."""

from __future__ import annotations

from planctl import readability as r


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

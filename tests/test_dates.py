"""Tests for planctl.core.dates: fuzzy UK public-sector deadlines."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

from planctl.core.dates import (
    ACCEPTED_FORMS,
    FuzzyDate,
    Precision,
    Recurrence,
    day_words,
    find_date,
    find_recurrence,
    find_start,
    month_words,
    parse_date,
    parse_duration,
    parse_query_date,
    parse_recurrence,
)

P = Precision
D = date
MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip


def check(text: str, precision: Precision, start: date | None, end: date | None) -> FuzzyDate:
    fd = parse_date(text)
    assert (fd.precision, fd.start, fd.end) == (precision, start, end), text
    assert fd.text == text.strip()
    return fd


# --- days ---


@pytest.mark.parametrize(
    "text",
    [
        "2026-04-15",
        "15 April 2026",
        "15th April 2026",
        "15/04/2026",
        "15.04.2026",
        "15-04-2026",
        "15 Apr 2026",
        "the 15th of April 2026",
        "April 15, 2026",
        "Wednesday 15 April 2026",
        "no later than 15 April 2026",
        "  15 April 2026.  ",
        "15\u00a0April\u00a02026",
    ],
)
def test_day_forms(text: str) -> None:
    check(text, P.DAY, D(2026, 4, 15), D(2026, 4, 15))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1st June 2024", D(2024, 6, 1)),
        ("26-Jun-25", D(2025, 6, 26)),
        ("15-July-25", D(2025, 7, 15)),
        ("17-Sep-24", D(2024, 9, 17)),
        ("15/04/26", D(2026, 4, 15)),
        ("29 February 2028", D(2028, 2, 29)),
        ("31 March 2026", D(2026, 3, 31)),
    ],
)
def test_day_forms_other(text: str, expected: date) -> None:
    check(text, P.DAY, expected, expected)


@pytest.mark.parametrize(
    "text",
    [
        "2026-13-01",
        "30 February 2026",
        "29 February 2025",
        "31/04/2026",
        "32 January 2026",
        "Monday 15 April 2026",  # 15 April 2026 is a Wednesday: contradiction, not a guess
        "15 April 1850",
    ],
)
def test_impossible_days_unresolved(text: str) -> None:
    fd = check(text, P.UNRESOLVED, None, None)
    assert not fd.resolved
    assert fd.words() == text


def test_day_words_and_json() -> None:
    fd = parse_date("15th April 2026")
    assert fd.words() == "15 April 2026"
    assert fd.to_json() == {
        "text": "15th April 2026",
        "start": "2026-04-15",
        "end": "2026-04-15",
        "precision": "day",
    }


def test_day_and_month_words_are_english_whatever_the_locale() -> None:
    import contextlib
    import locale

    before = locale.setlocale(locale.LC_TIME)
    with contextlib.suppress(locale.Error):  # where installed, strftime('%B') would say "März"
        locale.setlocale(locale.LC_TIME, "de_DE.UTF-8")
    try:
        assert day_words(D(2026, 3, 4)) == "4 March 2026"
        assert month_words(D(2025, 12, 31)) == "December 2025"
    finally:
        locale.setlocale(locale.LC_TIME, before)


# --- months ---


@pytest.mark.parametrize(
    "text", ["April 2026", "Apr 2026", "2026-04", "april 2026", "by April 2026", "in April 2026", "04/2026"]
)
def test_month_forms(text: str) -> None:
    fd = check(text, P.MONTH, D(2026, 4, 1), D(2026, 4, 30))
    assert fd.words() == "April 2026"


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("Sep 19", D(2019, 9, 1), D(2019, 9, 30)),
        ("Nov 19", D(2019, 11, 1), D(2019, 11, 30)),
        ("Mar 18", D(2018, 3, 1), D(2018, 3, 31)),
        ("Mar 20", D(2020, 3, 1), D(2020, 3, 31)),
        ("Sept 2025", D(2025, 9, 1), D(2025, 9, 30)),
        ("February 2028", D(2028, 2, 1), D(2028, 2, 29)),
        ("February 2026", D(2026, 2, 1), D(2026, 2, 28)),
        ("December 2025", D(2025, 12, 1), D(2025, 12, 31)),
    ],
)
def test_month_forms_other(text: str, start: date, end: date) -> None:
    check(text, P.MONTH, start, end)


@pytest.mark.parametrize("text", ["March 20", "May 20", "June 26"])
def test_full_month_with_two_digits_is_ambiguous(text: str) -> None:
    # 20 March or March 2020? Only true abbreviations ("Mar 20") take a two-digit year.
    check(text, P.UNRESOLVED, None, None)


def test_iso_month_versus_financial_year_ambiguity() -> None:
    check("2011-12", P.UNRESOLVED, None, None)  # December 2011 or 2011/12?
    check("2011/12", P.FINANCIAL_YEAR, D(2011, 4, 1), D(2012, 3, 31))
    check("2026-04", P.MONTH, D(2026, 4, 1), D(2026, 4, 30))
    check("10/2011", P.MONTH, D(2011, 10, 1), D(2011, 10, 31))  # not 2010/11


# --- parts of months ---


@pytest.mark.parametrize(
    ("text", "start", "end", "words"),
    [
        ("early December 2025", D(2025, 12, 1), D(2025, 12, 10), "early December 2025"),
        ("mid December 2025", D(2025, 12, 11), D(2025, 12, 20), "mid-December 2025"),
        ("mid-December 2025", D(2025, 12, 11), D(2025, 12, 20), "mid-December 2025"),
        ("late December 2025", D(2025, 12, 21), D(2025, 12, 31), "late December 2025"),
        ("end of March 2020", D(2020, 3, 21), D(2020, 3, 31), "end of March 2020"),
        ("the end of March 2020", D(2020, 3, 21), D(2020, 3, 31), "end of March 2020"),
        ("by the end of March 2026", D(2026, 3, 21), D(2026, 3, 31), "end of March 2026"),
        ("beginning of May 2026", D(2026, 5, 1), D(2026, 5, 10), "beginning of May 2026"),
        ("start of June 2026", D(2026, 6, 1), D(2026, 6, 10), "start of June 2026"),
        ("late February 2028", D(2028, 2, 21), D(2028, 2, 29), "late February 2028"),
        ("end of February 2026", D(2026, 2, 21), D(2026, 2, 28), "end of February 2026"),
    ],
)
def test_month_parts(text: str, start: date, end: date, words: str) -> None:
    assert check(text, P.MONTH_PART, start, end).words() == words


# --- quarters and halves ---


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("Q1 2025", D(2025, 1, 1), D(2025, 3, 31)),
        ("Q3 2025", D(2025, 7, 1), D(2025, 9, 30)),
        ("Q4 2025", D(2025, 10, 1), D(2025, 12, 31)),
        ("third quarter of 2025", D(2025, 7, 1), D(2025, 9, 30)),
    ],
)
def test_calendar_quarters(text: str, start: date, end: date) -> None:
    check(text, P.QUARTER, start, end)


@pytest.mark.parametrize("text", ["Q3 2025/26", "Q3 2025-26", "Q3 2025/2026", "in Q3 2025/26", "Q3 FY25/26"])
def test_financial_quarter_forms(text: str) -> None:
    fd = check(text, P.FINANCIAL_QUARTER, D(2025, 10, 1), D(2025, 12, 31))
    assert fd.words() == "Q3 2025/26 (October to December 2025)"


def test_financial_quarter_boundaries() -> None:
    q1 = check("Q1 2025/26", P.FINANCIAL_QUARTER, D(2025, 4, 1), D(2025, 6, 30))
    assert q1.words() == "Q1 2025/26 (April to June 2025)"
    q4 = check("Q4 2025/26", P.FINANCIAL_QUARTER, D(2026, 1, 1), D(2026, 3, 31))
    assert q4.words() == "Q4 2025/26 (January to March 2026)"
    check("Q4 2027/28", P.FINANCIAL_QUARTER, D(2028, 1, 1), D(2028, 3, 31))


def test_financial_quarter_needs_a_real_financial_year() -> None:
    check("Q3 2025/27", P.UNRESOLVED, None, None)
    check("Q3 FY2026", P.UNRESOLVED, None, None)  # which financial year?
    check("Q5 2025", P.UNRESOLVED, None, None)


@pytest.mark.parametrize(
    ("text", "start", "end", "words"),
    [
        ("H1 2026", D(2026, 1, 1), D(2026, 6, 30), "first half of 2026 (January to June 2026)"),
        ("H2 2026", D(2026, 7, 1), D(2026, 12, 31), "second half of 2026 (July to December 2026)"),
        ("first half of 2026", D(2026, 1, 1), D(2026, 6, 30), "first half of 2026 (January to June 2026)"),
        ("H1 2025/26", D(2025, 4, 1), D(2025, 9, 30), "first half of 2025/26 (April to September 2025)"),
        (
            "H2 2025/26",
            D(2025, 10, 1),
            D(2026, 3, 31),
            "second half of 2025/26 (October 2025 to March 2026)",
        ),
    ],
)
def test_half_years(text: str, start: date, end: date, words: str) -> None:
    assert check(text, P.HALF_YEAR, start, end).words() == words


# --- seasons and terms ---


@pytest.mark.parametrize(
    ("text", "start", "end", "words"),
    [
        ("Spring 2026", D(2026, 3, 1), D(2026, 5, 31), "Spring 2026"),
        ("Summer 2026", D(2026, 6, 1), D(2026, 8, 31), "Summer 2026"),
        ("by Summer 2026", D(2026, 6, 1), D(2026, 8, 31), "Summer 2026"),
        ("Autumn 2026", D(2026, 9, 1), D(2026, 11, 30), "Autumn 2026"),
        ("Winter 2025", D(2025, 12, 1), D(2026, 2, 28), "Winter 2025/26"),
        ("Winter 2025/26", D(2025, 12, 1), D(2026, 2, 28), "Winter 2025/26"),
        ("Winter 2027-28", D(2027, 12, 1), D(2028, 2, 29), "Winter 2027/28"),
        ("late Summer 2026", D(2026, 6, 1), D(2026, 8, 31), "late Summer 2026"),
    ],
)
def test_seasons(text: str, start: date, end: date, words: str) -> None:
    fd = check(text, P.SEASON, start, end)
    assert fd.resolved
    assert fd.is_vague
    assert fd.words() == words


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("Autumn term 2025", D(2025, 9, 1), D(2025, 12, 31)),
        ("Spring term 2026", D(2026, 1, 1), D(2026, 4, 30)),
        ("Summer term 2026", D(2026, 4, 1), D(2026, 7, 31)),
        ("summer term 2025/26", D(2026, 4, 1), D(2026, 7, 31)),
        ("autumn term 2025/26", D(2025, 9, 1), D(2025, 12, 31)),
    ],
)
def test_school_terms_are_soft_seasons(text: str, start: date, end: date) -> None:
    assert check(text, P.SEASON, start, end).is_vague


def test_season_pair_is_only_for_winter() -> None:
    check("Spring 2025/26", P.UNRESOLVED, None, None)
    check("Winter 2025/27", P.UNRESOLVED, None, None)


# --- years ---


def test_calendar_year() -> None:
    fd = check("2026", P.YEAR, D(2026, 1, 1), D(2026, 12, 31))
    assert fd.words() == "2026"
    check("in 2026", P.YEAR, D(2026, 1, 1), D(2026, 12, 31))
    check("1900", P.YEAR, D(1900, 1, 1), D(1900, 12, 31))
    check("2199", P.YEAR, D(2199, 1, 1), D(2199, 12, 31))


@pytest.mark.parametrize("text", ["1448", "592", "1899", "2200", "58%", "17.5", "3 years", "26"])
def test_numbers_that_are_not_years(text: str) -> None:
    check(text, P.UNRESOLVED, None, None)


def test_end_and_start_of_longer_periods_are_their_last_and_first_month() -> None:
    assert check("end of 2025", P.MONTH, D(2025, 12, 1), D(2025, 12, 31)).words() == "December 2025"
    check("by the end of 2025", P.MONTH, D(2025, 12, 1), D(2025, 12, 31))
    check("start of 2026", P.MONTH, D(2026, 1, 1), D(2026, 1, 31))
    check("end of 2025/26", P.MONTH, D(2026, 3, 1), D(2026, 3, 31))
    check("end of Q3 2025/26", P.MONTH, D(2025, 12, 1), D(2025, 12, 31))


def test_early_mid_late_year_are_its_thirds() -> None:
    # was the whole year, read without a warning; now January-April, May-August, September-December
    assert (
        check("early 2026", P.YEAR, D(2026, 1, 1), D(2026, 4, 30)).words()
        == "early 2026 (January to April 2026)"
    )
    assert check("mid-2026", P.YEAR, D(2026, 5, 1), D(2026, 8, 31)).words() == "mid-2026 (May to August 2026)"
    assert (
        check("late 2026", P.YEAR, D(2026, 9, 1), D(2026, 12, 31)).words()
        == "late 2026 (September to December 2026)"
    )


@pytest.mark.parametrize(
    "text",
    [
        "2025/26",
        "2025-26",
        "2025/2026",
        "2025\u201326",
        "FY 2025/26",
        "FY25/26",
        "25/26",
        "financial year 2025/26",
        "the 2025/26 financial year",
        "financial year 2025 to 2026",
        "in 2025/26",
    ],
)
def test_financial_year_forms(text: str) -> None:
    fd = check(text, P.FINANCIAL_YEAR, D(2025, 4, 1), D(2026, 3, 31))
    assert fd.words() == "2025/26 financial year (April 2025 to March 2026)"


@pytest.mark.parametrize(
    "text", ["2025/27", "2025-2027", "2025 to 2026", "25-26", "25 / 26", "financial year 2026", "2014-17"]
)
def test_financial_year_must_be_consecutive_and_explicit(text: str) -> None:
    check(text, P.UNRESOLVED, None, None)


def test_municipal_and_academic_years() -> None:
    mun = check("municipal year 2025/26", P.MUNICIPAL_YEAR, D(2025, 5, 1), D(2026, 4, 30))
    assert mun.words() == "2025/26 municipal year (May 2025 to April 2026)"
    check("2025/26 municipal year", P.MUNICIPAL_YEAR, D(2025, 5, 1), D(2026, 4, 30))
    aca = check("academic year 2025/26", P.ACADEMIC_YEAR, D(2025, 9, 1), D(2026, 8, 31))
    assert aca.words() == "2025/26 academic year (September 2025 to August 2026)"
    check("the 2025-26 academic year", P.ACADEMIC_YEAR, D(2025, 9, 1), D(2026, 8, 31))
    check("academic year 2025", P.UNRESOLVED, None, None)


# --- relative, vague, unresolved ---


@pytest.mark.parametrize(
    "text",
    [
        "by age 17",
        "by the age of 18",
        "by the time a young person is 17.5",
        "one month prior to the 18th birthday",
        "within 6 weeks of referral",
        "within 20 weeks",
        "by their 18th birthday",
    ],
)
def test_relative(text: str) -> None:
    fd = check(text, P.RELATIVE, None, None)
    assert not fd.resolved
    assert not fd.is_vague
    assert fd.words() == text


@pytest.mark.parametrize(
    "text",
    [
        "March",
        "by March",
        "end of March",
        "15 April",
        "Summer",
        "later this year",
        "next year",
        "by the end of the year",
        "end of this financial year",
        "ongoing",
    ],
)
def test_vague(text: str) -> None:
    fd = check(text, P.VAGUE, None, None)
    assert fd.is_vague
    assert not fd.resolved
    assert fd.words() == text


@pytest.mark.parametrize("text", ["TBC", "tbc", "to be confirmed", "", "   ", "soon-ish", "April to 2026"])
def test_unresolved(text: str) -> None:
    fd = check(text, P.UNRESOLVED, None, None)
    assert fd.to_json() == {"text": text.strip(), "start": None, "end": None, "precision": "unresolved"}


def test_prefixes_keep_raw_text() -> None:
    for text in [
        "by April 2026",
        "due April 2026",
        "Due: April 2026",
        "during April 2026",
    ]:
        fd = check(text, P.MONTH, D(2026, 4, 1), D(2026, 4, 30))
        assert fd.text == text
    check("BY APRIL 2026", P.MONTH, D(2026, 4, 1), D(2026, 4, 30))
    # starts, not deadlines (these were read as the month or day itself)
    check("from April 2026 onwards", P.OPEN_START, None, None)
    check("starting March 2027", P.OPEN_START, None, None)
    check("commencing 1st June 2024", P.OPEN_START, None, None)


# --- find_date on real sentences (Oxfordshire Learning Disability Plan) ---


@pytest.mark.parametrize(
    ("sentence", "phrase", "precision", "start", "end"),
    [
        ("A plan will be written and agreed by April 2026", "by April 2026", P.MONTH, D(2026, 4, 1), D(2026, 4, 30)),
        (
            "By February 2026, the money will be agreed",
            "By February 2026",
            P.MONTH,
            D(2026, 2, 1),
            D(2026, 2, 28),
        ),
        ("We will tell you by Summer 2026.", "by Summer 2026", P.SEASON, D(2026, 6, 1), D(2026, 8, 31)),
        (
            "The review will happen in Q3 2025/26 review",
            "in Q3 2025/26",
            P.FINANCIAL_QUARTER,
            D(2025, 10, 1),
            D(2025, 12, 31),
        ),
        ("Q3 2025/26 review", "Q3 2025/26", P.FINANCIAL_QUARTER, D(2025, 10, 1), D(2025, 12, 31)),
        (
            "This will be done by the end of March 2026.",
            "by the end of March 2026",
            P.MONTH_PART,
            D(2026, 3, 21),
            D(2026, 3, 31),
        ),
        ("Money for the 2025/26 financial year", "for the 2025/26 financial year", P.FINANCIAL_YEAR,
         D(2025, 4, 1), D(2026, 3, 31)),
        ("We start in 2026.", "in 2026", P.YEAR, D(2026, 1, 1), D(2026, 12, 31)),
        ("Meeting on 15/04/2026 at the hub", "on 15/04/2026", P.DAY, D(2026, 4, 15), D(2026, 4, 15)),
    ],
)  # fmt: skip
def test_find_date_real_sentences(
    sentence: str, phrase: str, precision: Precision, start: date, end: date
) -> None:
    fd = find_date(sentence)
    assert fd is not None
    assert (fd.text, fd.precision, fd.start, fd.end) == (phrase, precision, start, end)


@pytest.mark.parametrize(
    "sentence",
    [
        "The group will meet every 6 to 8 weeks",
        "58% of people said yes",
        "1448 people and 592 carers were asked",
        "By the time they are 17.5 years old",
        "This takes 3 years for 2 people",
        "Support from age 17",
        "We may ask you again",
        "Section 2.2026 of the plan",
        "It costs £2026 a year",
        "",
    ],
)
def test_find_date_no_false_positives(sentence: str) -> None:
    fd = find_date(sentence)
    assert fd is None or not fd.resolved, fd


def test_find_date_prefers_a_real_date_over_an_act_year() -> None:
    fd = find_date("Under the Care Act 2014, a plan will be agreed by April 2026")
    assert fd is not None
    assert fd.text == "by April 2026"
    assert find_date("The Children and Families Act 2014 says so") is None


def test_find_date_a_start_is_not_a_deadline() -> None:
    fd = find_date("Young people will have a say starting March 2027")
    assert fd is not None
    assert (fd.text, fd.precision, fd.resolved) == ("starting March 2027", P.OPEN_START, False)


def test_find_date_bare_year_is_a_last_resort() -> None:
    fd = find_date("The 2021 census showed need; we will act by Summer 2026")
    assert fd is not None
    assert fd.text == "by Summer 2026"


def test_find_date_relative_and_vague_when_nothing_firmer() -> None:
    fd = find_date("Young people will have a plan by age 17")
    assert fd is not None
    assert (fd.text, fd.precision) == ("by age 17", P.RELATIVE)
    fd = find_date("Information will be sent one month prior to the 18th birthday.")
    assert fd is not None
    assert fd.precision is P.RELATIVE
    fd = find_date("We will write to you by the time a young person is 17.5")
    assert fd is not None
    assert (fd.text, fd.precision) == ("by the time a young person is 17.5", P.RELATIVE)
    fd = find_date("Decisions within 6 weeks of referral, and a review in May")
    assert fd is not None
    assert fd.precision is P.RELATIVE
    fd = find_date("We will do this by March")
    assert fd is not None
    assert (fd.text, fd.precision) == ("by March", P.VAGUE)
    fd = find_date("by age 17 and no later than April 2026")
    assert fd is not None
    assert fd.text == "no later than April 2026"


def test_find_date_does_not_hide_an_impossible_date() -> None:
    fd = find_date("The money will be agreed by 30 February 2026")
    assert fd is not None
    assert (fd.text, fd.precision) == ("by 30 February 2026", P.UNRESOLVED)


def test_find_date_spring_term_is_not_the_financial_year() -> None:
    fd = find_date("Training in the Spring term 2025/26 for staff")
    assert fd is not None
    assert (fd.start, fd.end) == (D(2026, 1, 1), D(2026, 4, 30))


def test_find_date_word_dashes_and_spaces() -> None:
    fd = find_date("Funding for 2025\u201326 is agreed")
    assert fd is not None
    assert fd.precision is P.FINANCIAL_YEAR
    assert fd.text == "for 2025\u201326"
    fd = find_date("It is\u00a0agreed by\u00a0April\u00a02026")
    assert fd is not None
    assert (fd.text, fd.start) == ("by\u00a0April\u00a02026", D(2026, 4, 1))


def test_find_date_prefers_the_deadline() -> None:
    fd = find_date("A review with priorities for 2026/27 will be written by September 2025.")
    assert fd is not None
    assert fd.text == "by September 2025"
    # a range in free text is the whole range (was its first day, "6 November 2025")
    fd = find_date("Meetings of 6 November 2025 to 19 March 2026")
    assert fd is not None
    assert (fd.text, fd.start, fd.end) == ("6 November 2025 to 19 March 2026", D(2025, 11, 6), D(2026, 3, 19))
    fd = find_date("Reports will cover April to June 2024 and more")
    assert fd is not None
    assert (fd.text, fd.start, fd.end) == ("April to June 2024", D(2024, 4, 1), D(2024, 6, 30))
    assert find_date("Our Big Plan 2018-2021") is None


@pytest.mark.parametrize(
    "sentence",
    [
        "Our Big Plan 2018-2021",
        "Headlines of progress on the Big Plan 2014-17",
        "Improvement Plan 2025 \u2013 2035",
        "the autism strategy (paragraphs 42-43)",
        "a housing plan for 18\u201364-year-olds",
        "young people aged 14 \u2013 25",
        "which aims to support 2000 local residents",
        "the current target of 2000 participants",
        "The 2021 census",
    ],
)
def test_find_date_ignores_ranges_and_counts(sentence: str) -> None:
    assert find_date(sentence) is None


def test_find_date_two_digit_financial_year_shorthand() -> None:
    fd = find_date("Period 24/25: enquiries rose")
    assert fd is not None
    assert (fd.text, fd.precision, fd.start, fd.end) == (
        "24/25",
        P.FINANCIAL_YEAR,
        D(2024, 4, 1),
        D(2025, 3, 31),
    )


# --- recurrences ---


@pytest.mark.parametrize(
    ("text", "lo", "hi", "unit", "words"),
    [
        ("every 6 to 8 weeks", 6, 8, "week", "every 6 to 8 weeks"),
        ("every 6-8 weeks", 6, 8, "week", "every 6 to 8 weeks"),
        ("every six to eight weeks", 6, 8, "week", "every 6 to 8 weeks"),
        ("every 4 months", 4, 4, "month", "every 4 months"),
        ("every month", 1, 1, "month", "every month"),
        ("every year", 1, 1, "year", "every year"),
        ("every term", 1, 1, "term", "every term"),
        ("every other week", 2, 2, "week", "every 2 weeks"),
        ("every fortnight", 2, 2, "week", "every 2 weeks"),
        ("every quarter", 3, 3, "month", "every 3 months"),
        ("once a year", 1, 1, "year", "every year"),
        ("each term", 1, 1, "term", "every term"),
        ("twice a year", 6, 6, "month", "every 6 months"),
        ("daily", 1, 1, "day", "every day"),
        ("weekly", 1, 1, "week", "every week"),
        ("fortnightly", 2, 2, "week", "every 2 weeks"),
        ("monthly", 1, 1, "month", "every month"),
        ("quarterly", 3, 3, "month", "every 3 months"),
        ("termly", 1, 1, "term", "every term"),
        ("annually", 1, 1, "year", "every year"),
        ("annual review", 1, 1, "year", "every year"),
        ("six-monthly", 6, 6, "month", "every 6 months"),
        ("Every Month", 1, 1, "month", "every month"),
    ],
)
def test_parse_recurrence(text: str, lo: int, hi: int, unit: str, words: str) -> None:
    rec = parse_recurrence(text)
    assert rec is not None
    assert (rec.text, rec.every_min, rec.every_max, rec.unit, rec.start) == (text, lo, hi, unit, None)
    assert rec.words() == words


def test_parse_recurrence_with_start() -> None:
    rec = parse_recurrence("every month starting March 2027")
    assert rec is not None
    assert (rec.every_min, rec.every_max, rec.unit) == (1, 1, "month")
    assert rec.start == FuzzyDate("March 2027", D(2027, 3, 1), D(2027, 3, 31), P.MONTH)
    assert rec.words() == "every month starting March 2027"
    assert rec.to_json() == {
        "text": "every month starting March 2027",
        "every_min": 1,
        "every_max": 1,
        "unit": "month",
        "start": {"text": "March 2027", "start": "2027-03-01", "end": "2027-03-31", "precision": "month"},
    }
    rec = parse_recurrence("quarterly from Q1 2026/27")
    assert rec is not None
    assert rec.start is not None
    assert rec.start.precision is P.FINANCIAL_QUARTER


@pytest.mark.parametrize(
    "text",
    ["April 2026", "every 0 weeks", "every 8 to 6 weeks", "semi-annual", "the group meets monthly", ""],
)
def test_parse_recurrence_rejects(text: str) -> None:
    assert parse_recurrence(text) is None


@pytest.mark.parametrize(
    ("sentence", "phrase", "lo", "hi", "unit"),
    [
        ("The group will meet every 6 to 8 weeks", "every 6 to 8 weeks", 6, 8, "week"),
        ("Reviews happen every 4 months.", "every 4 months", 4, 4, "month"),
        ("We will check every month", "every month", 1, 1, "month"),
        ("Report every year to the board", "every year", 1, 1, "year"),
        ("The board meets monthly.", "monthly", 1, 1, "month"),
        ("Plans are checked annually", "annually", 1, 1, "year"),
        ("At the annual review we look again", "annual review", 1, 1, "year"),
        ("Schools report termly", "termly", 1, 1, "term"),
        ("Figures are published quarterly", "quarterly", 3, 3, "month"),
        ("Staff meet fortnightly", "fortnightly", 2, 2, "week"),
        ("A weekly drop-in", "weekly", 1, 1, "week"),
    ],
)
def test_find_recurrence(sentence: str, phrase: str, lo: int, hi: int, unit: str) -> None:
    rec = find_recurrence(sentence)
    assert rec is not None
    assert (rec.text, rec.every_min, rec.every_max, rec.unit, rec.start) == (phrase, lo, hi, unit, None)


def test_find_recurrence_carries_start() -> None:
    rec = find_recurrence("Young people will meet every month starting March 2027 to plan")
    assert rec is not None
    assert rec.text == "every month starting March 2027"
    assert rec.start is not None
    assert (rec.start.text, rec.start.start, rec.start.end) == ("March 2027", D(2027, 3, 1), D(2027, 3, 31))
    rec = find_recurrence("Meet quarterly, from April 2026.")
    assert rec is not None
    assert rec.start is not None
    assert rec.start.start == D(2026, 4, 1)


@pytest.mark.parametrize(
    "sentence",
    [
        "A plan will be written by April 2026",
        "semi-annual report",
        "biweekly",
        "every young person",
        # timed against another event that repeats; the text itself does not repeat
        "a health action plan after their yearly GP health check",
        "passports completed following the annual health check",
        "Before the annual review, papers go out",
    ],
)
def test_find_recurrence_none(sentence: str) -> None:
    assert find_recurrence(sentence) is None


def test_recurrence_words_without_interval() -> None:
    rec = Recurrence("regularly", None, None, None, None)
    assert rec.words() == "regularly"
    assert rec.to_json()["start"] is None


# --- command-line forms ---

TODAY = D(2026, 1, 31)


@pytest.mark.parametrize(
    ("text", "precision", "start", "end"),
    [
        ("2026-04", P.MONTH, D(2026, 4, 1), D(2026, 4, 30)),
        ("2026-04-15", P.DAY, D(2026, 4, 15), D(2026, 4, 15)),
        ("April 2026", P.MONTH, D(2026, 4, 1), D(2026, 4, 30)),
        ("Q1 2026/27", P.FINANCIAL_QUARTER, D(2026, 4, 1), D(2026, 6, 30)),
        ("2026/27", P.FINANCIAL_YEAR, D(2026, 4, 1), D(2027, 3, 31)),
        ("today", P.DAY, TODAY, TODAY),
        ("Today", P.DAY, TODAY, TODAY),
        ("+3m", P.DAY, D(2026, 4, 30), D(2026, 4, 30)),
        ("+6w", P.DAY, D(2026, 3, 14), D(2026, 3, 14)),
        ("+90d", P.DAY, D(2026, 5, 1), D(2026, 5, 1)),
        ("+1y", P.DAY, D(2027, 1, 31), D(2027, 1, 31)),
        ("Summer 2026", P.SEASON, D(2026, 6, 1), D(2026, 8, 31)),
    ],
)
def test_parse_query_date(text: str, precision: Precision, start: date, end: date) -> None:
    fd = parse_query_date(text, TODAY)
    assert (fd.precision, fd.start, fd.end) == (precision, start, end)


@pytest.mark.parametrize("text", ["junk", "", "March", "by age 17", "+3x", "3m", "TBC", "2025/27", "+99999y"])
def test_parse_query_date_rejects(text: str) -> None:
    with pytest.raises(ValueError, match=r"accepted forms|out of range"):
        parse_query_date(text, TODAY)


def test_parse_query_date_message_lists_forms() -> None:
    with pytest.raises(ValueError, match="Q3 2025/26") as info:
        parse_query_date("soon", TODAY)
    assert ACCEPTED_FORMS in str(info.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("90d", relativedelta(days=90)),
        ("6w", relativedelta(weeks=6)),
        ("3m", relativedelta(months=3)),
        ("1y", relativedelta(years=1)),
        ("+3M", relativedelta(months=3)),
        ("2 weeks", relativedelta(weeks=2)),
    ],
)
def test_parse_duration(text: str, expected: relativedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "3", "m", "3 fortnights", "-3m", "3.5m", "today"])
def test_parse_duration_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="duration"):
        parse_duration(text)


# --- properties ---

_PIECES = st.sampled_from(
    [
        "by", "the", "end", "of", "early", "mid-", "Q3", "Q4", "H1", "2025", "2025/26", "2026-04",
        "April", "Apr", "Sep", "19", "15", "15th", "/", "-", "every", "6", "to", "8", "weeks",
        "monthly", "starting", "Winter", "Summer", "term", "age", "17.5", "within", "financial",
        "year", "municipal", "academic", "%", "£", ",", ".", " ", "\u2013", "\u00a0", "FY", "29",
        "February", "2028", "Monday", "birthday", "TBC",
    ]
)  # fmt: skip
_PHRASES = st.one_of(st.text(max_size=60), st.lists(_PIECES, max_size=10).map(" ".join))


@settings(max_examples=300, deadline=None)
@given(_PHRASES)
def test_parsers_never_raise_and_intervals_are_ordered(text: str) -> None:
    for fd in (parse_date(text), find_date(text)):
        if fd is None:
            continue
        assert fd.resolved == (fd.end is not None)
        if fd.start is not None and fd.end is not None:
            assert fd.start <= fd.end
        words = fd.words()
        if fd.start is None or fd.end is None:
            assert words == fd.text  # an unreadable phrase is shown as written
        else:  # the wording names the years it spans ("Winter 2025/26", "October to December 2025")
            assert str(fd.start.year) in words, (text, words)
            assert str(fd.end.year) in words or str(fd.end.year)[2:] in words, (text, words)
        assert fd.to_json()["text"] == fd.text
    rec = parse_recurrence(text)
    found = find_recurrence(text)
    for r in (rec, found):
        if r is not None:
            assert r.every_min is not None
            assert r.every_max is not None
            assert 1 <= r.every_min <= r.every_max
            assert r.words().strip(), text


@settings(max_examples=200, deadline=None)
@given(st.integers(1900, 2199), st.integers(1, 12))
def test_month_forms_round_trip(year: int, month: int) -> None:
    start = D(year, month, 1)
    end = start + relativedelta(months=1) - timedelta(days=1)
    name = MONTHS[month - 1]
    forms = [f"{name} {year}", f"{name[:3]} {year}", f"by {name} {year}", f"{month}/{year}"]
    if month != (year + 1) % 100:  # "2009-10" could be October 2009 or 2009/10: deliberately unresolved
        forms.append(f"{year}-{month:02d}")
    for text in forms:
        fd = parse_date(text)
        assert (fd.precision, fd.start, fd.end) == (P.MONTH, start, end), text
        assert fd.words() == f"{name} {year}"
        assert parse_date(fd.words()) == FuzzyDate(fd.words(), start, end, P.MONTH)


@settings(max_examples=200, deadline=None)
@given(st.dates(D(1900, 1, 1), D(2199, 12, 31)))
def test_day_forms_round_trip(day: date) -> None:
    for text in (day.isoformat(), day.strftime("%d/%m/%Y"), parse_date(day.isoformat()).words()):
        fd = parse_date(text)
        assert (fd.precision, fd.start, fd.end) == (P.DAY, day, day), text


@settings(max_examples=200, deadline=None)
@given(st.integers(1900, 2198))
def test_financial_quarters_tile_the_financial_year(year: int) -> None:
    label = f"{year}/{(year + 1) % 100:02d}"
    fy = parse_date(label)
    assert fy.precision is P.FINANCIAL_YEAR
    assert (fy.start, fy.end) == (D(year, 4, 1), D(year + 1, 3, 31))
    quarters = [parse_date(f"Q{q} {label}") for q in (1, 2, 3, 4)]
    assert all(q.precision is P.FINANCIAL_QUARTER for q in quarters)
    assert quarters[0].start == fy.start
    assert quarters[-1].end == fy.end
    for a, b in itertools.pairwise(quarters):
        assert a.end is not None
        assert b.start == a.end + timedelta(days=1)
    halves = [parse_date(f"H{h} {label}") for h in (1, 2)]
    assert halves[0].start == fy.start
    assert halves[1].end == fy.end


@settings(max_examples=100, deadline=None)
@given(st.integers(1900, 2198))
def test_winter_spans_the_year_end(year: int) -> None:
    fd = parse_date(f"Winter {year}")
    assert fd.start == D(year, 12, 1)
    assert fd.end == D(year + 1, 3, 1) - timedelta(days=1)
    assert parse_date(f"Winter {year}/{(year + 1) % 100:02d}") == FuzzyDate(
        f"Winter {year}/{(year + 1) % 100:02d}", fd.start, fd.end, P.SEASON
    )


def test_find_date_a_recurrence_start_is_not_a_deadline() -> None:
    text = "The annual review will be discussed in the subgroup starting March 2027."
    assert find_date(text, recurring=True) is None
    fd = find_date(text)  # read alone, the phrase is still a date
    assert fd is not None
    assert fd.text == "starting March 2027"
    for lead in ("from", "commencing", "beginning", "with effect from"):
        assert find_date(f"Reports every month {lead} April 2026", recurring=True) is None
    # a deadline in the same text still counts
    fd = find_date("Monthly reports from April 2026, the first by May 2026", recurring=True)
    assert fd is not None
    assert fd.text == "by May 2026"
    # "beginning of" is part of a month, not a start
    fd = find_date("Reviewed monthly by the beginning of March 2026", recurring=True)
    assert fd is not None
    assert (fd.start, fd.end) == (D(2026, 3, 1), D(2026, 3, 10))


def test_find_start() -> None:
    start = find_start("The annual review will be discussed in the subgroup starting March 2027.")
    assert start is not None
    assert (start.text, start.start, start.end) == ("March 2027", D(2027, 3, 1), D(2027, 3, 31))
    start = find_start("Quarterly reports from Q1 2026/27")
    assert start is not None
    assert (start.start, start.end) == (D(2026, 4, 1), D(2026, 6, 30))
    assert find_start("The plan will be agreed by April 2026") is None
    assert find_start("Reviewed at the beginning of March 2026") is None


# --- where free-text forms are tried (planctl.core.dates.finding._match_starts) ---

_ANCHOR_PIECES = st.sampled_from(
    [
        "by", "no later than", "the very end of the", "mid-", "late", "w/c", "due:", "towards", "in",
        "the", "early", "later", "this", "next", "calendar", "year", "financial", "fy", "FYof", "fy25/26",
        "Q3", "q 4", "quarter", "third", "1st", "H2", "h 1", "first", "half", "second", "Spring",
        "autumn", "term", "of", "Wed", "thurs", "Monday,", "Sept", "sep'19", "Mar-26", "March", "may",
        "2026", "2025/26", "2026-04-15", "15/04/2026", "4.5.2026", "15th", "15-Apr-26", "19", "to",
        "age", "aged", "within", "three", "working", "days", "before", "review", "birthday", "their",
        "time", "turns", "17", "people", "act", "2000", ",", ".", "-", "/", "(", "£", "_", "\u2013", "é",
    ]
)  # fmt: skip
_ANCHOR_TEXTS = st.lists(_ANCHOR_PIECES, max_size=12).map(" ".join) | st.lists(
    _ANCHOR_PIECES, max_size=12
).map("".join)


# One phrase for each word a free-text form can start with.
_ANCHOR_PHRASES = [
    "2026-04-15", "15/04/2026", "4.5.2026", "Wednesday 15 April 2026", "the 15th of April 2026",
    "Wed, 15-Apr-26", "15-Apr-2026", "Monday April 15, 2026", "April 2026", "Sep'19", "Sept 19",
    "2026-04", "4/2026", "financial year 2025/26", "fiscal year 2025-26", "municipal year 2025/26",
    "council year 2025/26", "civic year 2025/26", "academic year 2025/26", "school year 2025/26",
    "FY25/26", "fyof 2025/26", "the 2025/26 financial year", "24/25", "Q3 2026", "quarter 3 2026",
    "third quarter of 2026", "1st quarter 2026", "FY2026 Q3", "financial year 2025/26 Q1", "H1 2026",
    "h 2 2026", "first half of 2026", "second half of the 2025/26", "2nd half 2026", "2026 H2",
    "fy 2025/26 H1", "Spring 2026", "Summer of 2026", "Autumn term 2025/26", "Winter 2025/26",
    "the year 2026", "calendar year 2026", "year 2026", "2026", "March", "Thursday 5th March",
    "5 March", "the 5th of March", "March 5th", "the summer", "spring term", "this year",
    "next financial year", "the calendar year", "the municipal year", "the academic year",
    "later this year", "early next year", "later next year", "age 17", "the age of 17.5",
    "aged 16", "the time they turn 18", "the time the young person is 18",
    "three weeks before the review", "20 working days after the meeting", "within 6 weeks",
    "within twelve working days of the referral", "their 18th birthday", "the child's 18th birthday",
]  # fmt: skip
_ANCHOR_LEADS = [
    "", "by", "before", "no later than", "not later than", "due: the", "in", "during", "from", "starting",
    "commencing", "beginning", "w/c", "w/b", "week commencing", "week beginning", "until", "till",
    "up to", "on", "at", "for", "toward", "towards", "deadline", "target", "due date", "after",
    "the very end of the", "beginning of", "start of", "the middle of", "early", "mid-", "late", "end -",
]  # fmt: skip


def _assert_tried_wherever_they_match(text: str) -> None:
    from planctl.core.dates import finding, forms

    low = forms._fold(text)
    starts, relative = finding._match_starts(low)
    for i, core in enumerate(forms._CORES):
        if core.find is not None:
            found = {m.start() for m in core.find().finditer(low)}
            assert found <= set(starts.get(i, ())), (core.name, text)
    assert {m.start() for m in forms._relative_find().finditer(low)} <= set(relative), text
    phrase = forms._clean(text)
    tried = {core.name for core in forms._possible_forms(phrase)}
    assert {core.name for core in forms._CORES if core.full().fullmatch(phrase)} <= tried, text


def test_free_text_forms_are_tried_wherever_they_match() -> None:
    """find_date tries each form only at some positions; every match ``finditer``
    would find must start at one of them, or a deadline would be missed.  Likewise
    parse_date tries only some forms on a whole phrase."""
    for phrase, lead in itertools.product(_ANCHOR_PHRASES, _ANCHOR_LEADS):
        for text in (f"{lead} {phrase}", f"Agreed {lead} {phrase}.", f"(x) {lead} {phrase.upper()} or so"):
            _assert_tried_wherever_they_match(text)


@settings(max_examples=500, deadline=None)
@given(_ANCHOR_TEXTS)
def test_free_text_forms_are_tried_wherever_they_match_in_any_text(text: str) -> None:
    _assert_tried_wherever_they_match(text)


def test_month_and_weekday_words_are_the_patterns_words() -> None:
    import re

    from planctl.core.dates import forms

    def prefixes(names: list[str]) -> set[str]:
        return {n[:k].lower() for n in names for k in range(1, len(n) + 1)}

    weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    month_re, weekday_re = re.compile(forms._MONTH, re.I), re.compile(forms._WEEKDAY, re.I)
    assert {w for w in prefixes(MONTHS) if month_re.fullmatch(w)} == set(forms._MONTH_WORDS.split())
    assert {w for w in prefixes(weekdays) if weekday_re.fullmatch(w)} == set(forms._WEEKDAY_WORDS.split())


def test_iso_dates_read_directly_as_the_date_forms_read_them() -> None:
    """``parse_date`` reads 2026-04 and 2026-04-15 without its forms; the answer is the
    same, including what the forms leave unresolved (2011-12: December or 2011/12?)."""
    import random

    from planctl.core.dates.forms import _clean
    from planctl.core.dates.fuzzy import _interpret

    def by_forms(text: str) -> FuzzyDate:
        precision, start, end = _interpret(_clean(text))
        return FuzzyDate(text, start, end, precision)

    years = [1899, 1900, 1901, *range(2009, 2032), 2098, 2099, 2198, 2199, 2200]
    texts = [f"{y:04d}-{m:02d}" for y in years for m in range(100)]
    pick = random.Random(7)
    texts += [
        f"{pick.randint(1890, 2210):04d}-{pick.randint(0, 13):02d}-{pick.randint(0, 32):02d}"
        for _ in range(3000)
    ]
    for text in texts:
        assert parse_date(text) == by_forms(text), text

"""Dates and numbers as typed values: written forms, precision, and what is not a date."""

from __future__ import annotations

import pytest

from graphrag.extract.literals import DateValue, find_dates, literal_key, parse_date, parse_number


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("20 March 851", "0851-03-20"),
        ("March 20, 851", "0851-03-20"),
        ("Sept. 3, 1901", "1901-09-03"),
        ("31st of May 1990", "1990-05-31"),
        ("March 1961", "1961-03"),
        ("1961", "1961"),
        ("1961-03-20", "1961-03-20"),
        ("44 BC", "-0044"),
        ("29 February 2000", "2000-02-29"),
        ("November 18,1923", "1923-11-18"),  # no space after the comma
        ("10/13/1964", "1964-10-13"),  # month first: 13 cannot be a month
        ("13/10/1964", "1964-10-13"),  # day first
    ],
)
def test_dates_at_the_precision_given(text: str, iso: str) -> None:
    date = parse_date(text)
    assert date is not None and date.iso() == iso


@pytest.mark.parametrize(
    "text",
    ["12", "the 1990s", "early March", "30 February 2000", "29 February 1900", "", "Tom", "05/06/1964", "31/02/1999"],
)
def test_what_is_not_a_date(text: str) -> None:
    assert parse_date(text) is None


def test_keys_match_across_forms() -> None:
    assert literal_key("June 8, 1969") == literal_key("8 June 1969") == "date:1969-06-08"
    assert literal_key("1,777,539") == "number:1777539" and parse_number("3.5") == 3.5
    assert literal_key("Iran") is None


def test_find_dates_splits_a_range() -> None:
    found = find_dates("born Mano Kaminer; December 24, 1886 April 11, 1962")
    assert [v for _, _, v in found] == [DateValue(1886, 12, 24), DateValue(1962, 4, 11)]
    text = "2 February 1886 – 10 August 1960"
    assert [text[a:b] for a, b, _ in find_dates(text)] == ["2 February 1886", "10 August 1960"]

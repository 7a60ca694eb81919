"""How a person's full name is also written: the untitled corpus links questions to passages by these."""

from __future__ import annotations

import pytest

from graphrag.retrieve.text import name_variants


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Frank Wright Tuttle", ["Frank Tuttle", "Frank W. Tuttle"]),
        ("Étienne Bernard Marie de Crécy", ["Étienne de Crécy", "Étienne B. M. de Crécy"]),
        ("Theodore Salisbury Woolsey, Jr", ["Theodore Salisbury Woolsey", "Theodore Woolsey", "Theodore S. Woolsey"]),
        ("John Smith", []),
        ("Mary Brown née Jones", ["Mary Brown"]),
    ],
)
def test_name_variants(name: str, expected: list[str]) -> None:
    assert name_variants(name) == expected


def test_lower_case_words_are_not_a_name_to_shorten() -> None:
    assert name_variants("the house of cards") == []

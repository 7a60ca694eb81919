"""How a person's full name is also written: questions and passages name people by these."""

from __future__ import annotations

import pytest

from graphrag.retrieve.person_names import name_variants


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Frank Wright Tuttle", {"Frank Tuttle", "Frank W. Tuttle", "F. W. Tuttle"}),
        ("Étienne Bernard Marie de Crécy", {"Étienne de Crécy", "Étienne B. M. de Crécy"}),
        ("Theodore Salisbury Woolsey, Jr", {"Theodore Salisbury Woolsey", "Theodore Woolsey", "Ted Woolsey"}),
        ("Mary Brown née Jones", {"Mary Brown"}),
        ('Gian-Carla "Gia" Coppola', {"Gia Coppola", "Gian-Carla Coppola"}),
        ("Louis( Louie) Psihoyos", {"Louie Psihoyos"}),
        ("Sir Kenneth Charles Branagh", {"Kenneth Branagh", "Kenneth Charles Branagh"}),
        ("John Tyndall FRS", {"John Tyndall"}),
        ("Robert G. Springsteen", {"R. G. Springsteen", "Bob Springsteen"}),
        ("Charles Peckham Day", {"Charlie Day"}),
    ],
)
def test_name_variants_include(name: str, expected: set[str]) -> None:
    found = name_variants(name)
    assert expected <= set(found)
    assert name not in found and all(len(v.split()) >= 2 for v in found)


@pytest.mark.parametrize("name", ["the house of cards", "Madonna", "Mira Okafor"])
def test_nothing_to_vary(name: str) -> None:
    assert name_variants(name) == []


def test_every_variant_keeps_the_surname() -> None:
    for name in ("Alexander B. H. Cox", "Jonathan Richard Guy Greenwood", "Albert \"Bert\" Nelson"):
        assert all(v.split()[-1] == name.split()[-1] for v in name_variants(name))

"""Triple metrics on hand-computed cases."""

from __future__ import annotations

import pytest

from graphrag.eval.triple_metrics import (
    PRF,
    literal_value,
    match_count,
    micro_average,
    normalise_term,
    normalise_triple,
    score_sample,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Turn_Me_On_(album)", "turn me on"),
        ("followedBy", "followed by"),
        ("isPartOf", "is part of"),
        ('"City Manager"', "city manager"),
        ("17068.8 (millimetres)", "17068 8"),
        ("1,777,539", "1777539"),
        ("Swords,_Dublin", "swords dublin"),
        ('"5"^^<http://www.w3.org/2001/XMLSchema#integer>', "5"),
        ("The Mason School of Business", "mason school of business"),
        ("(album)", "album"),  # a qualifier that is all there is stays
        ("  Alan_B._Miller_Hall ", "alan b miller hall"),
    ],
)
def test_normalise_term(raw: str, expected: str) -> None:
    assert normalise_term(raw) == expected


def test_normalisation_makes_gold_and_extracted_forms_meet() -> None:
    assert normalise_term("Take_It_Off!") == normalise_term("Take it Off")
    assert normalise_term("followedBy") == normalise_term("followed by")
    assert normalise_term("ALCO_RS-3") == normalise_term("ALCO RS-3")


def test_prf_rates_and_zero_division() -> None:
    s = PRF(tp=2, n_pred=4, n_gold=5)
    assert s.precision == pytest.approx(0.5)
    assert s.recall == pytest.approx(0.4)
    assert s.f1 == pytest.approx(2 * 0.5 * 0.4 / 0.9)
    empty = PRF(0, 0, 0)
    assert (empty.precision, empty.recall, empty.f1) == (0.0, 0.0, 0.0)
    assert PRF(0, 3, 2).f1 == 0.0
    assert s.as_dict() == {"tp": 2, "n_pred": 4, "n_gold": 5, "precision": 0.5, "recall": 0.4, "f1": 0.4444}


def test_match_count_is_one_to_one() -> None:
    gold = [("a", "p", "b"), ("a", "p", "b"), ("a", "q", "c")]
    # the duplicate prediction can match both gold copies; a third copy matches nothing
    assert match_count(gold, [("a", "p", "b")] * 3, "strict") == 2
    assert match_count(gold, [("a", "p", "b")], "strict") == 1
    # entity-pair ignores the predicate, but still one prediction per gold triple
    assert match_count(gold, [("a", "x", "b"), ("a", "y", "b"), ("a", "z", "b")], "entity_pair") == 2
    assert match_count(gold, [("a", "x", "c")], "entity_pair") == 1
    assert match_count(gold, [("a", "x", "c")], "strict") == 0
    # direction matters
    assert match_count(gold, [("b", "p", "a")], "entity_pair") == 0


def test_match_count_rejects_unknown_matching() -> None:
    with pytest.raises(ValueError, match="entity_pair"):
        match_count([("a", "p", "b")], [("a", "p", "b")], "fuzzy")


def test_score_sample_normalises_both_sides() -> None:
    gold = [("Trane", "location", "Swords,_Dublin"), ("Trane", "foundedBy", "James_Hill")]
    pred = [("trane", "location", "Swords, Dublin"), ("Trane", "founded", "James Hill"), ("Trane", "x", "Y")]
    strict = score_sample(gold, pred, "strict")
    pair = score_sample(gold, pred, "entity_pair")
    assert (strict.tp, strict.n_pred, strict.n_gold) == (1, 3, 2)
    assert (pair.tp, pair.n_pred, pair.n_gold) == (2, 3, 2)
    assert pair.precision == pytest.approx(2 / 3)
    assert pair.recall == pytest.approx(1.0)


def test_micro_average_sums_counts_not_rates() -> None:
    # sample 1: P = 1/1, sample 2: P = 0/3; the micro average is 1/4, not the macro 0.5
    total = micro_average([PRF(1, 1, 2), PRF(0, 3, 1)])
    assert (total.tp, total.n_pred, total.n_gold) == (1, 4, 3)
    assert total.precision == pytest.approx(0.25)
    assert total.recall == pytest.approx(1 / 3)
    assert micro_average([]) == PRF(0, 0, 0)


@pytest.mark.parametrize(
    ("term", "value"),
    [
        ("98 minutes", "98"),
        ("98.0", "98"),
        ("17068.8 (millimetres)", "17068.8"),
        ("1,777,539", "1777539"),
        ("$3.3 million", "3300000"),
        ("12 °C", "12"),
        ("October 13, 1964", "1964-10-13"),
        ("1964-10-13", "1964-10-13"),
        ("13 October 1964", "1964-10-13"),
        # not literals: a name with a number, a decade, an address
        ("1147 Stavropolis", None),
        ("Shenzhou 10", None),
        ("1990s", None),
        ("10 Downing Street", None),
    ],
)
def test_literal_value(term: str, value: str | None) -> None:
    assert literal_value(term) == value


def test_literals_compare_by_value_unless_turned_off() -> None:
    gold = [("Aarhus_Airport", "runwayLength", "2776.0"), ("Ann_Lee", "birthDate", "1908-05-02")]
    pred = [("Aarhus Airport", "runway length", "2776 metres"), ("Ann Lee", "born", "May 2, 1908")]
    assert score_sample(gold, pred, "entity_pair").tp == 2
    assert score_sample(gold, pred, "entity_pair", literals=False).tp == 0
    # predicates are never read as values
    assert normalise_triple(("x", "98 minutes", "y")) == ("x", "98 minutes", "y")


def test_accents_are_folded() -> None:
    assert normalise_term("São_Paulo") == normalise_term("Sao Paulo") == "sao paulo"
    assert normalise_term("Ciudad Ayala", literals=False) == "ciudad ayala"

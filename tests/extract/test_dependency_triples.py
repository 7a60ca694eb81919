"""Dependency-based triple rules, one construction per test, on the real small English model."""

from __future__ import annotations

import pytest

from graphrag.extract.analysis import SpacyAnalyzer
from graphrag.extract.dependency_triples import TripleRules, extract
from graphrag.extract.triple_arguments import entity_spans


def triples(
    analyzer: SpacyAnalyzer, text: str, rules: TripleRules | None = None
) -> set[tuple[str, str, str]]:
    doc = analyzer.nlp(text)
    _, found = extract(doc, rules or TripleRules(), analyzer.lemma)
    return {(t.subject.text, t.predicate, t.object.text) for t in found}


def test_passive_with_agent_keeps_the_participle(spacy_analyzer: SpacyAnalyzer) -> None:
    assert triples(spacy_analyzer, "Jaws was directed by Steven Spielberg.") == {
        ("Jaws", "directed by", "Steven Spielberg")
    }


def test_active_verbs_are_lemmatised_and_conjoined_subjects_expand(spacy_analyzer: SpacyAnalyzer) -> None:
    assert triples(spacy_analyzer, "Apple and Microsoft compete in Europe.") == {
        ("Apple", "compete in", "Europe"),
        ("Microsoft", "compete in", "Europe"),
    }


def test_conjoined_verbs_share_subject_and_object(spacy_analyzer: SpacyAnalyzer) -> None:
    assert triples(spacy_analyzer, "Ray Griggs wrote and directed Super Capers.") == {
        ("Ray Griggs", "write", "Super Capers"),
        ("Ray Griggs", "direct", "Super Capers"),
    }


def test_copula_attribute_with_of_and_a_parenthesised_date(spacy_analyzer: SpacyAnalyzer) -> None:
    found = triples(spacy_analyzer, "Teutberga( died 11 November 875) was a queen of Lotharingia.")
    # the day and year the NER left out are joined to the month; "in/on" before a date is not part of the
    # relation
    assert found == {("Teutberga", "die", "11 November 875"), ("Teutberga", "queen of", "Lotharingia")}


def test_coordinated_relational_nouns_and_pronoun(spacy_analyzer: SpacyAnalyzer) -> None:
    text = "Teutberga died in 875. She was a daughter of Bosonid Boso the Elder and sister of Hucbert."
    found = triples(spacy_analyzer, text)
    assert ("Teutberga", "sister of", "Hucbert") in found
    assert ("Teutberga", "daughter of", "Bosonid Boso the Elder") in found
    assert ("Bosonid Boso the Elder", "sister of", "Hucbert") not in found  # not an object of "daughter of"
    without = triples(spacy_analyzer, text, TripleRules(resolve_pronouns=False))
    assert without == {("Teutberga", "die", "875")}


def test_pronouns_take_the_nearest_person_subject(spacy_analyzer: SpacyAnalyzer) -> None:
    found = triples(spacy_analyzer, "Lambert died in 930. He succeeded his brother Guy.")
    assert found == {("Lambert", "die", "930"), ("Lambert", "succeed", "Guy"), ("Lambert", "brother", "Guy")}


def test_possessive_compound(spacy_analyzer: SpacyAnalyzer) -> None:
    found = triples(spacy_analyzer, "Holmes's brother Mycroft Holmes worked for the government.")
    assert ("Holmes", "brother", "Mycroft Holmes") in found


def test_owner_of_a_subject_noun(spacy_analyzer: SpacyAnalyzer) -> None:
    assert triples(spacy_analyzer, "The birth year of Cecil Parker is 1897.") == {
        ("Cecil Parker", "birth year", "1897")
    }


def test_have_a_noun_of_reads_as_an_attribute(spacy_analyzer: SpacyAnalyzer) -> None:
    assert triples(spacy_analyzer, "Al Asad Airbase has a runway length of 3,990.") == {
        ("Al Asad Airbase", "runway length", "3,990")
    }


def test_apposition_and_relative_clause(spacy_analyzer: SpacyAnalyzer) -> None:
    found = triples(
        spacy_analyzer, "Barack Obama, the president of the United States, married Michelle Robinson in 1992."
    )
    assert ("Barack Obama", "president of", "United States") in found
    assert ("Barack Obama", "marry", "Michelle Robinson") in found
    assert triples(spacy_analyzer, "The album was produced by Tom Wilson, who was born in Waco.") == {
        ("Tom Wilson", "born in", "Waco")
    }


def test_negated_verbs_give_nothing(spacy_analyzer: SpacyAnalyzer) -> None:
    assert triples(spacy_analyzer, "John Smith did not marry Jane Doe.") == set()


def test_common_noun_ends_are_optional_and_less_trusted(spacy_analyzer: SpacyAnalyzer) -> None:
    text = "Mycroft Holmes worked for the British government in London."
    found = triples(spacy_analyzer, text)
    assert ("Mycroft Holmes", "work for", "British government") in found
    assert ("Mycroft Holmes", "work for", "British government") not in triples(
        spacy_analyzer, text, TripleRules(common_noun_ends=False)
    )
    # a bare noun ("the government") is too vague to be a node by default
    assert not any(
        o == "government" for _, _, o in triples(spacy_analyzer, "Holmes worked for the government.")
    )
    _, noun_end = extract(spacy_analyzer.nlp(text), TripleRules(), spacy_analyzer.lemma)
    _, entity_ends = extract(
        spacy_analyzer.nlp("Mycroft Holmes worked for Sherlock Holmes."), TripleRules(), spacy_analyzer.lemma
    )
    conf = {t.object.text: t.confidence for t in noun_end + entity_ends}
    assert conf["British government"] < conf["Sherlock Holmes"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Teutberga( died 11 November 875) was a queen.", ("11 November 875", "DATE")),
        ("Sherlock Holmes was born in London.", ("Sherlock Holmes", "PERSON")),
        ("Lambert died in 928 or 929.", ("928", "DATE")),
    ],
)
def test_entity_span_repairs(spacy_analyzer: SpacyAnalyzer, text: str, expected: tuple[str, str]) -> None:
    doc = spacy_analyzer.nlp(text)
    spans = {(doc[e.start : e.end].text, e.label) for e in entity_spans(doc)}
    assert expected in spans

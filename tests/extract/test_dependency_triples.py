"""Dependency-based triple rules, one construction per test, on the real small English model."""

from __future__ import annotations

import pytest

from graphrag.extract.analysis import SpacyAnalyzer
from graphrag.extract.dependency_triples import TripleRules, extract
from graphrag.extract.entity_spans import entity_spans


def triples(analyzer: SpacyAnalyzer, text: str, rules: TripleRules | None = None) -> set[tuple[str, str, str]]:
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
    # making verbs are stored from the work's side, as the passive says it (canonical_direction)
    assert triples(spacy_analyzer, "Ray Griggs wrote and directed Super Capers.") == {
        ("Super Capers", "written by", "Ray Griggs"),
        ("Super Capers", "directed by", "Ray Griggs"),
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
    assert ("United States", "president", "Barack Obama") in found  # the United States' president
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
    assert not any(o == "government" for _, _, o in triples(spacy_analyzer, "Holmes worked for the government."))
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


# -- passages and their topics (issue 10) ---------------------------------------------------------------------
def passage(analyzer: SpacyAnalyzer, text: str, title: str | None = None):
    from graphrag.extract.dependency_triples import extract_passage

    return extract_passage(analyzer.nlp(text), TripleRules(), analyzer.lemma, title=title)


def facts(analyzer: SpacyAnalyzer, text: str, title: str | None = None) -> set[tuple[str, str, str]]:
    return {(t.subject.text, t.predicate, t.object.text) for t in passage(analyzer, text, title).triples}


def test_copular_subject_class_year_nationality_and_participle(spacy_analyzer: SpacyAnalyzer) -> None:
    found = facts(spacy_analyzer, "Kestrel Lane is a 2017 American drama film directed by Mira Okafor.")
    assert {
        ("Kestrel Lane", "is a", "film"),
        ("Kestrel Lane", "year", "2017"),
        ("Kestrel Lane", "nationality", "American"),
        ("Kestrel Lane", "directed by", "Mira Okafor"),
    } <= found
    assert not any(s.endswith("film") for s, _, _ in found)  # the noun phrase is never the subject


def test_life_dates_in_parentheses(spacy_analyzer: SpacyAnalyzer) -> None:
    found = facts(spacy_analyzer, "Ottilie Brandt (2 February 1886 – 10 August 1960) was a German painter.")
    assert {("Ottilie Brandt", "born", "2 February 1886"), ("Ottilie Brandt", "die", "10 August 1960")} <= found
    born = facts(spacy_analyzer, "Ravi Castellan (born 12 January 1968) is a British film director.")
    assert ("Ravi Castellan", "born", "12 January 1968") in born
    died = facts(spacy_analyzer, "Gisela Brandt (died 11 November 875) was a queen.")
    assert ("Gisela Brandt", "die", "11 November 875") in died and not {p for _, p, _ in died} & {"born"}


def test_a_parenthesis_without_dates_or_after_a_non_name_gives_no_life_dates(spacy_analyzer: SpacyAnalyzer) -> None:
    found = facts(spacy_analyzer, "Marufabad (also Romanized as Marufabad) is a village in Isfahan Province, Iran.")
    assert not {p for _, p, _ in found} & {"born", "die"}
    found = facts(spacy_analyzer, "The treaty (signed in 1648 and ratified in 1650) ended the war.")
    assert not {p for _, p, _ in found} & {"born", "die"}


def test_the_title_is_the_topic_and_pronouns_and_the_class_noun_refer_to_it(spacy_analyzer: SpacyAnalyzer) -> None:
    text = (
        "Harbour of Glass is a 1961 Hindi movie produced by Devika Rao. It is written by Arun Mehta. "
        "The movie stars Lata Sharma."
    )
    found = passage(spacy_analyzer, text, title="Harbour of Glass (film)")
    assert found.topic is not None and found.topic.node.text == "Harbour of Glass"
    assert found.topic.source == "title" and found.topic.class_noun == "movie"
    triples = {(t.subject.text, t.predicate, t.object.text) for t in found.triples}
    assert {
        ("Harbour of Glass", "produced by", "Devika Rao"),
        ("Harbour of Glass", "written by", "Arun Mehta"),
        ("Harbour of Glass", "star", "Lata Sharma"),
    } <= triples


def test_without_a_title_the_first_subject_is_the_topic(spacy_analyzer: SpacyAnalyzer) -> None:
    found = passage(spacy_analyzer, "Ravi Castellan is a British film director. He directed Kestrel Lane.", "doc-00042")
    assert found.topic is not None and (found.topic.node.text, found.topic.source) == ("Ravi Castellan", "subject")
    assert ("Kestrel Lane", "directed by", "Ravi Castellan") in {(t.subject.text, t.predicate, t.object.text)
                                                            for t in found.triples}  # fmt: skip
    assert passage(spacy_analyzer, "It rained all day in the valley.").topic is None  # no name opens it


def test_another_name_for_the_title_is_an_alias(spacy_analyzer: SpacyAnalyzer) -> None:
    text = "Andrew James Somers (born 31 December 1942), known professionally as Andy Summers, is an English guitarist."
    found = passage(spacy_analyzer, text, title="Andy Summers")
    assert found.topic is not None and found.topic.node.text == "Andy Summers"
    assert found.topic.alias is not None and found.topic.alias.text == "Andrew James Somers"
    assert ("Andrew James Somers", "nationality", "English") in {
        (t.subject.text, t.predicate, t.object.text) for t in found.triples
    }


@pytest.mark.parametrize(
    ("text", "known"),
    [
        ("Onika Tanya Maraj (born 8 December 1982), known professionally as Nicki Minaj, is a rapper.", "Nicki Minaj"),
        ("Giuseppe Avati, better known as Pupi Avati( born 3 November 1938), is an Italian director.", "Pupi Avati"),
        ("Ramesh Kumar, alias R. K. Sharma, is an Indian actor.", "R. K. Sharma"),
        (
            "Kathleen Murry (1888 – 1923) was a writer who wrote under the pen name of Katherine Mansfield. She wrote.",
            "Katherine Mansfield",
        ),
    ],
)
def test_the_names_a_subject_is_known_by(spacy_analyzer: SpacyAnalyzer, text: str, known: str) -> None:
    found = passage(spacy_analyzer, text, "doc-7")
    assert found.topic is not None and found.topic.source == "subject"
    assert found.topic.known_as == (known,)


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        (
            "You Can No Longer Remain Silent( German: Du darfst) is a 1955 West German drama film.",
            "You Can No Longer Remain Silent",
        ),
        (
            "It's a Wonderful Afterlife is a 2010 British comedy film directed by Gurinder Chadha.",
            "It's a Wonderful Afterlife",
        ),
        ("Je fais le mort is a 2013 French comedy film written and directed by Jean-Paul Salomé.", "Je fais le mort"),
        (
            "The First Day of Freedom is a 1964 Polish drama film directed by Aleksander Ford.",
            "The First Day of Freedom",
        ),
        ("Paris, Texas is a 1984 drama film directed by Wim Wenders.", "Paris, Texas"),
        ("Ravi Castellan (born 12 January 1968) is a British film director.", "Ravi Castellan"),
    ],
)
def test_what_an_x_is_a_sentence_opens_with_is_the_topic(spacy_analyzer: SpacyAnalyzer, text: str, topic: str) -> None:
    found = passage(spacy_analyzer, text, "doc-9")
    assert found.topic is not None and (found.topic.node.text, found.topic.source) == (topic, "subject")


@pytest.mark.parametrize(
    "text",
    [
        "A menstrual disorder is an abnormal condition in a woman's menstrual cycle.",  # lower case, not a work
        "It was established in 1963.",
        "1964 was a leap year.",
    ],
)
def test_an_opening_that_is_no_name_is_no_topic(spacy_analyzer: SpacyAnalyzer, text: str) -> None:
    assert passage(spacy_analyzer, text, "doc-10").topic is None


def test_known_as_after_the_verb_or_lower_case_is_not_a_name(spacy_analyzer: SpacyAnalyzer) -> None:
    for text in (
        "Ravi Castellan is a director who worked with Mira Okafor, known as Mimi.",  # someone else's nickname
        "Ravi Castellan (born 1950), known as the king of comedy, is a director.",  # a description
    ):
        found = passage(spacy_analyzer, text, "doc-8")
        assert found.topic is not None and found.topic.known_as == ()


def test_a_place_with_its_containing_places(spacy_analyzer: SpacyAnalyzer) -> None:
    found = facts(spacy_analyzer, "Ravi Castellan was born in Burbank, California.")
    assert {("Ravi Castellan", "born in", "Burbank"), ("Ravi Castellan", "born in", "California")} <= found


def test_a_place_inside_an_administrative_unit_of_another(spacy_analyzer: SpacyAnalyzer) -> None:
    found = facts(spacy_analyzer, "Nasamkhrali is a village in the Telavi district of Georgia.")
    assert {("Nasamkhrali", "village in", "Telavi district"), ("Nasamkhrali", "village in", "Georgia")} <= found
    # a person is not a place: no place chain to Ann Lee (the path rule may say "born in house of")
    got = facts(spacy_analyzer, "Tom Brook was born in the house of Ann Lee.")
    assert ("Tom Brook", "born in", "Ann Lee") not in got


def test_born_to_a_family_in_a_place(spacy_analyzer: SpacyAnalyzer) -> None:
    found = facts(spacy_analyzer, "Karl Popper was a philosopher. He was born to a Jewish family in Vienna.")
    assert ("Karl Popper", "born in", "Vienna") in found


def test_triples_know_their_sentence(spacy_analyzer: SpacyAnalyzer) -> None:
    text = "Ravi Castellan is a director. Kestrel Lane was directed by Mira Okafor."
    found = passage(spacy_analyzer, text)
    t = next(t for t in found.triples if t.predicate == "directed by")
    assert text[t.start_char : t.end_char] == "Kestrel Lane was directed by Mira Okafor."


def test_conjoined_participles_share_their_agent(spacy_analyzer: SpacyAnalyzer) -> None:
    found = facts(spacy_analyzer, "Kestrel Lane is a 1981 fantasy film written, produced and directed by Mira Okafor.")
    assert {(p, o) for s, p, o in found if s == "Kestrel Lane"} >= {
        ("written by", "Mira Okafor"),
        ("produced by", "Mira Okafor"),
        ("directed by", "Mira Okafor"),
    }


def test_places_beside_the_life_dates(spacy_analyzer: SpacyAnalyzer) -> None:
    found = facts(
        spacy_analyzer, "Ravi Castellan (August 4, 1889, Philadelphia – June 24, 1984, Boston) was an American actor."
    )
    assert {("Ravi Castellan", "born in", "Philadelphia"), ("Ravi Castellan", "die in", "Boston")} <= found


def test_the_second_parent_of_a_son_or_daughter(spacy_analyzer: SpacyAnalyzer) -> None:
    found = triples(spacy_analyzer, "William was the son of Guy II, constable of Champagne, and Mathilde of Bourbon.")
    assert ("William", "son of", "Mathilde of Bourbon") in found
    text = "Eric XIV was the eldest son of Gustav I (1496–1560) and Catherine of Saxe-Lauenburg."
    found = triples(spacy_analyzer, text)
    assert {
        ("Eric XIV", "eldest son of", "Gustav I"),
        ("Eric XIV", "eldest son of", "Catherine of Saxe-Lauenburg"),
    } <= found
    text = "Sancha was daughter of Alfonso VII of León and his first wife Berengaria of Barcelona."
    found = triples(spacy_analyzer, text)
    assert ("Sancha", "daughter of", "Berengaria") in {(s, p, o.split(" of ")[0]) for s, p, o in found}


def test_no_second_parent_from_other_coordinations(spacy_analyzer: SpacyAnalyzer) -> None:
    # a conjoined common noun is no parent, nor is anything coordinated with a noun that names no child
    found = triples(spacy_analyzer, "She was the daughter of a farmer and a teacher in Leeds.")
    assert not any(p == "daughter of" and o in ("teacher", "Leeds") for _, p, o in found)
    found = triples(spacy_analyzer, "Anna was the daughter of Carl Berg and a member of the Storting.")
    assert ("Anna", "daughter of", "Carl Berg") in found
    assert not any(p == "daughter of" and o != "Carl Berg" for _, p, o in found)

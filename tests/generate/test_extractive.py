"""The extractive answerer: answer types from questions, option comparisons by date, yes/no on countries, typed
spans from the bridge passage, and abstention, on hand-made passages with the real spaCy model."""

from __future__ import annotations

import pytest

from graphrag.extract.literals import literal_key
from graphrag.generate.extractive import NOT_FOUND, ExtractiveReader
from graphrag.generate.question_shape import has_hop, question_shape
from graphrag.types import Citation


def sources(*passages: tuple[str, str]) -> list[Citation]:
    return [Citation(i, f"c{i}", f"d{i}", title, text) for i, (title, text) in enumerate(passages, 1)]


@pytest.fixture(scope="module")
def reader(spacy_analyzer) -> ExtractiveReader:
    return ExtractiveReader(spacy_analyzer.nlp, literal_key)


@pytest.mark.parametrize(
    ("question", "kind", "options", "direction"),
    [
        ("Which film came out first, Red Dawn or Blue Moon?", "choice", ("Red Dawn", "Blue Moon"), "early"),
        ("Who was born later, Ann Berg or Carl Holm?", "choice", ("Ann Berg", "Carl Holm"), "late"),
        ("Was Ann Berg or Carl Holm born first?", "choice", ("Ann Berg", "Carl Holm"), "early"),
        ("Are Oslo and Lyon both located in the same country?", "yesno", ("Oslo", "Lyon"), ""),
        ("What nationality is the performer of song When We Meet?", "country", (), ""),
        ("When did the director of film Red Dawn die?", "date", (), ""),
        ("Where was the father of Ann Berg born?", "place", (), ""),
        ("Who is the mother of Ann Berg?", "person", (), ""),
        ("How many films did Ann Berg make?", "number", (), ""),
    ],
)
def test_answer_types_and_options(question: str, kind: str, options: tuple[str, ...], direction: str) -> None:
    shape = question_shape(question)
    assert (shape.answer_type, shape.options) == (kind, options)
    if direction:
        assert shape.direction == direction


def test_two_options_are_compared_by_their_dates_citing_both(reader: ExtractiveReader) -> None:
    src = sources(
        ("Red Dawn", "Red Dawn is a 1984 war film directed by John Milius."),
        ("Blue Moon", "Blue Moon is a 1951 comedy film directed by Otto Preminger."),
    )
    first = reader.read("Which film came out first, Red Dawn or Blue Moon?", src)
    assert (first.text, set(first.cited)) == ("Blue Moon", {1, 2})
    assert reader.read("Which film came out later, Red Dawn or Blue Moon?", src).text == "Red Dawn"


def test_a_comparison_through_each_options_director(reader: ExtractiveReader) -> None:
    src = sources(
        ("Red Dawn", "Red Dawn is a 1984 war film directed by John Milius."),
        ("Blue Moon", "Blue Moon is a 1951 comedy film directed by Otto Preminger."),
        ("John Milius", "John Milius (born April 11, 1944) is an American screenwriter."),
        ("Otto Preminger", "Otto Preminger (5 December 1905 – 23 April 1986) was an Austrian-American director."),
    )
    found = reader.read("Which film has the director who was born later, Red Dawn or Blue Moon?", src)
    assert found.text == "Red Dawn" and {3, 4} <= set(found.cited)


def test_yes_no_on_a_shared_country(reader: ExtractiveReader) -> None:
    src = sources(
        ("Tromsø", "Tromsø is a city in northern Norway."),
        ("Bergen", "Bergen is a city on the west coast of Norway."),
        ("Lyon", "Lyon is a city in France."),
    )
    assert reader.read("Are Tromsø and Bergen both located in the same country?", src).text == "yes"
    assert reader.read("Are Tromsø and Lyon both located in the same country?", src).text == "no"


def test_a_typed_span_from_the_bridge_passage_not_the_named_one(reader: ExtractiveReader) -> None:
    src = sources(
        ("Red Dawn", "Red Dawn is a 1984 war film directed by John Milius, shot in New Mexico."),
        ("John Milius", "John Milius (born April 11, 1944) is an American screenwriter born in St. Louis."),
    )
    found = reader.read("Where was the director of film Red Dawn born?", src)
    assert (found.text, found.cited) == ("St. Louis", (2,))
    assert reader.read("When was the director of film Red Dawn born?", src).text == "April 11, 1944"


def test_a_one_hop_question_is_answered_from_the_named_passage(reader: ExtractiveReader) -> None:
    src = sources(
        ("John Milius", "John Milius (born April 11, 1944) is an American screenwriter born in St. Louis."),
        ("St. Louis", "St. Louis is a city in Missouri, on the Mississippi River."),
    )
    # "Where was X born?" asks about X itself; the passage X's leads to (St. Louis) does not answer it
    assert reader.read("Where was John Milius born?", src).text == "St. Louis"


@pytest.mark.parametrize(
    ("question", "hop"),
    [
        ("Where was the director of film Red Dawn born?", True),
        ("What is the date of death of Ann Berg's father?", True),
        ("When was the company that published The Daily News founded?", True),
        ("Where was John Milius born?", False),
        ("What is the date of death of Ann Berg?", False),
        ("What is Ann Berg's nationality?", False),
        ("Who directed Red Dawn?", False),
    ],
)
def test_questions_that_lead_to_another_thing(question: str, hop: bool) -> None:
    assert has_hop(question) is hop


def test_no_span_of_the_expected_type_abstains(reader: ExtractiveReader) -> None:
    src = sources(("Apple pie", "An apple pie is a pie with a filling of apples, baked in an oven."))
    found = reader.read("Who directed Red Dawn?", src)
    assert (found.text, found.cited) == (NOT_FOUND, ())


def test_a_question_about_a_name_no_passage_holds_is_not_answered(reader: ExtractiveReader) -> None:
    src = sources(
        ("Red Dawn", "Red Dawn is a 1984 war film directed by John Milius."),
        ("John Milius", "John Milius (born April 11, 1944) is an American screenwriter born in St. Louis."),
    )
    for question in (
        "Where was the director of film Grouxa Tramesh born?",
        "Which film came out first, Red Dawn or Zorbu?",
    ):
        found = reader.read(question, src)
        assert found.text == NOT_FOUND and "no passage names" in found.how


def test_death_dates_of_life_spans_and_qualified_titles(reader: ExtractiveReader) -> None:
    src = sources(
        ("Léopold Demers", "Léopold Demers (14 August 1912 – 21 November 1990) was a member of the House of Commons."),
        ("Charles Little", "Commander Charles Little (December 11, 1907 – January 10, 2004) was an author."),
    )
    assert reader.read("Who died first, Léopold Demers or Charles Little?", src).text == "Léopold Demers"
    assert reader.read("Who was born first, Léopold Demers or Charles Little?", src).text == "Charles Little"
    src = sources(
        ("Eight Days a Week (film)", "Eight Days a Week is a 1997 comedy film directed by Michael Davis."),
        ("Michael Davis (director)", "Michael Davis (born August 1, 1961) is an American director born in Rockville."),
    )
    found = reader.read("Where was the director of film Eight Days A Week born?", src)
    assert (found.text, found.cited) == ("Rockville", (2,))


def test_each_passage_is_parsed_once_per_question(spacy_analyzer) -> None:
    calls: list[str] = []

    def counting(text: str):
        calls.append(text)
        return spacy_analyzer.nlp(text)

    reader = ExtractiveReader(counting, literal_key)
    src = sources(
        ("Red Dawn", "Red Dawn is a 1984 war film directed by John Milius."),
        ("Blue Moon", "Blue Moon is a 1951 comedy film directed by Otto Preminger."),
        ("John Milius", "John Milius (born April 11, 1944) is an American screenwriter."),
        ("Otto Preminger", "Otto Preminger (5 December 1905 – 23 April 1986) was an Austrian-American director."),
    )
    reader.read("Which film has the director who was born later, Red Dawn or Blue Moon?", src)
    assert len(calls) == len(set(calls))
    reader.read("Which film has the director who was born later, Red Dawn or Blue Moon?", src)
    assert len(calls) == 2 * len(set(calls))  # not kept across questions unless a cache_size is given

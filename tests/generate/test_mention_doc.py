"""Passages read from the entities ingest stored: sentences, offsets across joined passages, and the reader
giving the same answer from them as from spaCy."""

from __future__ import annotations

from graphrag.generate.extractive import ExtractiveReader
from graphrag.generate.mention_doc import Span, citation_docs, mention_doc, sentence_bounds
from graphrag.generate.packing import PASSAGE_JOIN
from graphrag.types import Citation


def test_sentences_end_at_punctuation_but_not_after_initials_or_abbreviations() -> None:
    text = "Vuk's son, Vlatko (1388–d. 1392), was a commander. He lived in St. Louis! Did he? Yes."
    assert [text[a:b] for a, b in sentence_bounds(text)] == [
        "Vuk's son, Vlatko (1388–d. 1392), was a commander.",
        "He lived in St. Louis!",
        "Did he?",
        "Yes.",
    ]
    assert sentence_bounds("") == [] and sentence_bounds("no end") == [(0, 6)]


def test_a_doc_keeps_mentions_that_match_the_text_and_files_them_by_sentence() -> None:
    text = "Louis Ralph was born in Graz. He died in 1952."
    doc = mention_doc(text, [Span("Graz", "GPE", 24, 28), Span("1952", "DATE", 41, 45), Span("Wien", "GPE", 0, 4)])
    assert [(e.text, e.label_) for e in doc.ents] == [("Graz", "GPE"), ("1952", "DATE")]  # "Wien" is not at 0
    assert [s.text for s in doc.sents] == ["Louis Ralph was born in Graz.", "He died in 1952."]
    assert [e.text for e in doc.sents[1].ents] == ["1952"]


def test_offsets_move_to_each_passage_of_a_source() -> None:
    a, b = "Heat is a film.", "It was directed by Michael Mann."
    source = Citation(1, "c1", "d", "Heat", PASSAGE_JOIN.join([a, b]), ("c1", "c2"), (a, b))
    mentions = {"c1": [(0, 4, "WORK_OF_ART", "Heat")], "c2": [(19, 31, "PERSON", "Michael Mann"), (0, 2, "", "It")]}
    doc = citation_docs([source], mentions, join=PASSAGE_JOIN)[source.text]
    assert [(e.text, e.label_) for e in doc.ents] == [("Heat", "WORK_OF_ART"), ("Michael Mann", "PERSON")]
    # a source with a passage that has no stored mentions is left to spaCy
    assert citation_docs([source], {"c1": mentions["c1"]}, join=PASSAGE_JOIN) == {}


def test_the_reader_answers_from_stored_mentions_without_parsing() -> None:
    text = "Our Emden is a 1926 film. It was directed by Louis Ralph."
    other = "Louis Ralph was an Austrian actor. He was born in Graz."
    sources = [Citation(1, "c1", "d1", "Our Emden", text), Citation(2, "c2", "d2", "Louis Ralph", other)]
    mentions = {
        "c1": [(0, 9, "WORK_OF_ART", "Our Emden"), (15, 19, "DATE", "1926"), (45, 56, "PERSON", "Louis Ralph")],
        "c2": [(0, 11, "PERSON", "Louis Ralph"), (19, 28, "NORP", "Austrian"), (50, 54, "GPE", "Graz")],
    }

    def no_parsing(_: str):
        raise AssertionError("nothing should be parsed")

    reader = ExtractiveReader(no_parsing, lambda t: None)
    docs = citation_docs(sources, mentions, join=PASSAGE_JOIN)
    found = reader.read("Where was the director of film Our Emden born?", sources, docs=docs)
    assert (found.text, found.cited) == ("Graz", (2,))


def test_no_parse_is_asked_for_when_every_passage_is_stored() -> None:
    text = "Louis Ralph was an Austrian actor. He was born in Graz."
    sources = [Citation(1, "c1", "d1", "Louis Ralph", text)]
    mentions = {"c1": [(0, 11, "PERSON", "Louis Ralph"), (50, 54, "GPE", "Graz")]}

    def no_batch(texts: list[str]):
        raise AssertionError(f"nothing should be parsed (the pipeline would load for {texts!r})")

    reader = ExtractiveReader(lambda t: no_batch([t]), lambda t: None, pipe=no_batch)
    docs = citation_docs(sources, mentions, join=PASSAGE_JOIN)
    assert reader.read("Where was Louis Ralph born?", sources, docs=docs).text == "Graz"

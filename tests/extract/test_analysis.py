"""The spaCy analyzer: batching, mention offsets, the triple-end contract, pickling, model errors."""

from __future__ import annotations

import pickle

import pytest

from graphrag.config import NLPConfig
from graphrag.errors import ModelUnavailableError
from graphrag.extract.analysis import SpacyAnalyzer
from graphrag.extract.records import ChunkAnalysis

TEXTS = [
    "Sherlock Holmes was born in London on 6 January 1854.",
    "",
    "IBM was founded by Charles Ranlett Flint in New York. It is an American company.",
    "Apple and Microsoft compete in Europe.",
]


@pytest.fixture(scope="module")
def analyses(spacy_analyzer: SpacyAnalyzer) -> list[ChunkAnalysis]:
    return spacy_analyzer.analyse(TEXTS)


def test_one_analysis_per_text_in_order(analyses: list[ChunkAnalysis]) -> None:
    assert len(analyses) == len(TEXTS)
    assert analyses[1] == ChunkAnalysis(mentions=(), triples=())
    assert {m.text for m in analyses[3].mentions} >= {"Apple", "Microsoft", "Europe"}


def test_mention_offsets_point_into_the_text(analyses: list[ChunkAnalysis]) -> None:
    for text, a in zip(TEXTS, analyses, strict=True):
        starts = [m.start_char for m in a.mentions]
        assert starts == sorted(starts)
        for m in a.mentions:
            assert text[m.start_char : m.end_char] == m.text


def test_every_triple_end_is_a_mention(analyses: list[ChunkAnalysis]) -> None:
    """...but a class noun ("X is a company": not a thing the passage names) and the passage's topic when the
    passage does not spell it out (it is an ABOUT target instead)."""
    n_triples = 0
    for a in analyses:
        typed = {(m.text, m.label) for m in a.mentions}
        if a.about is not None:
            typed.add(a.about)
        for t in a.triples:
            assert (t.subject, t.subject_label) in typed
            assert (t.object, t.object_label) in typed or (t.predicate == "is a" and t.object_label == "")
            assert 0.0 < t.confidence <= 1.0
            assert (t.start_char, t.end_char) != (-1, -1)  # every triple knows its sentence
            n_triples += 1
    assert n_triples >= 5


def test_entities_are_typed_and_clean(analyses: list[ChunkAnalysis]) -> None:
    first = {(m.text, m.label) for m in analyses[0].mentions}
    # NER finds only "Holmes"; the proper-noun compound "Sherlock" is joined back to the name
    assert ("Sherlock Holmes", "PERSON") in first
    assert ("London", "GPE") in first
    assert ("6 January 1854", "DATE") in first
    triples = {(t.subject, t.predicate, t.object) for t in analyses[0].triples}
    assert ("Sherlock Holmes", "born in", "London") in triples
    assert ("Sherlock Holmes", "born", "6 January 1854") in triples  # "on" before a date is dropped


def test_passive_agent_triple_is_typed(analyses: list[ChunkAnalysis]) -> None:
    triples = {(t.subject, t.predicate, t.object): t for t in analyses[2].triples}
    assert ("IBM", "founded by", "Charles Ranlett Flint") in triples
    assert triples[("IBM", "founded by", "Charles Ranlett Flint")].subject_label == "ORG"


def test_analyzer_pickles_without_its_model(spacy_analyzer: SpacyAnalyzer) -> None:
    blob = pickle.dumps(spacy_analyzer)
    assert len(blob) < 10_000  # settings only: the loaded pipeline stays behind
    clone = pickle.loads(blob)
    assert clone.config == spacy_analyzer.config and clone.rules == spacy_analyzer.rules
    assert clone._nlp is None  # loads lazily, on first use
    fresh = SpacyAnalyzer()
    assert pickle.loads(pickle.dumps(fresh)).config == NLPConfig()


def test_batch_size_does_not_change_results(spacy_analyzer: SpacyAnalyzer, analyses: list[ChunkAnalysis]) -> None:
    other = SpacyAnalyzer(NLPConfig(batch_size=1))
    other._nlp = spacy_analyzer.nlp  # share the loaded model to keep the test fast
    other._lemmatizer = spacy_analyzer._lemmatizer
    assert other.analyse(TEXTS) == analyses


def test_missing_model_is_a_clear_error() -> None:
    analyzer = SpacyAnalyzer(NLPConfig(model="no_such_spacy_model_xyz"))
    with pytest.raises(ModelUnavailableError, match="no_such_spacy_model_xyz"):
        analyzer.analyse(["text"])


def test_a_pipeline_without_parser_is_refused() -> None:
    analyzer = SpacyAnalyzer(NLPConfig(disable=("lemmatizer", "parser")))
    with pytest.raises(ModelUnavailableError, match="parser"):
        analyzer.analyse(["text"])

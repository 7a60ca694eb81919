"""Comparison questions over literal values: the comparative picks min or max, each topic's value comes from the
relation path that matches the question, and the retriever puts the winner first with the paths to the values."""

from __future__ import annotations

import numpy as np
import pytest

from graphrag.embed import HashingEmbedder
from graphrag.gnnrag.checkpoint import RetrieverSettings
from graphrag.gnnrag.compare import ComparisonReasoner, comparative, literal_value
from graphrag.gnnrag.path_scorer import RelationPathScorer
from graphrag.gnnrag.retriever import GNNRAGRetriever
from graphrag.gnnrag.subgraph import KGIndex, SubgraphConfig, SubgraphExtractor

TRIPLES = [
    ("Ada", "born on", "10 December 1815"),
    ("Ada", "died on", "27 November 1852"),
    ("Bob", "born on", "1901"),
    ("Bob", "died on", "1990"),
    ("Cy", "born on", "March 1815"),
    ("Alpha", "directed by", "Bob"),
    ("Beta", "directed by", "Ada"),
    ("Alpha", "released in", "1950"),
    ("Beta", "released in", "1849"),
    ("Alpha", "runtime", "95"),
    ("Beta", "runtime", "120"),
]


@pytest.fixture(scope="module")
def setup():
    index = KGIndex.from_triples(TRIPLES)
    extractor = SubgraphExtractor(index, SubgraphConfig(max_hops=2))
    emb = HashingEmbedder(256)
    return index, extractor, emb, ComparisonReasoner(index, extractor, RelationPathScorer(index.predicates, emb))


def winner(setup, question: str, *names: str) -> str | None:
    index, _, _, reasoner = setup
    found = reasoner.compare(question, [index.lookup_name(n)[0] for n in names])
    return index.names[found.winner] if found is not None else None


def test_comparatives_and_values() -> None:
    assert comparative("Who was born first, it or it?") == ("date", -1)
    assert comparative("Which film came out later, it or it?") == ("date", 1)
    assert comparative("Which one is longer than the other?") == ("number", 1)
    assert comparative("Who was born first out of it and it?") == ("date", -1)
    assert comparative("Who was the first wife of it's son?") is None  # no choice offered
    assert comparative("Who directed it?") is None
    assert literal_value("10 December 1815", "date") == (1815.0, 12.0, 10.0)
    assert literal_value("1,200", "number") == (1200.0,) and literal_value("Ada", "date") is None


def test_one_hop_comparisons_follow_the_named_relation(setup) -> None:
    assert winner(setup, "Who was born first, it or it?", "Ada", "Bob") == "Ada"
    assert winner(setup, "Who was born later, it or it?", "Ada", "Bob") == "Bob"
    assert winner(setup, "Who died earlier, it or it?", "Bob", "Ada") == "Ada"
    assert winner(setup, "Which film was released first, it or it?", "Alpha", "Beta") == "Beta"
    assert winner(setup, "Which film has the longer runtime, it or it?", "Alpha", "Beta") == "Beta"


def test_two_hop_comparison_through_the_director(setup) -> None:
    assert winner(setup, "Which film has the director born later, it or it?", "Alpha", "Beta") == "Alpha"


def test_no_comparison_when_not_asked_tied_or_single(setup) -> None:
    index, _, _, reasoner = setup
    assert winner(setup, "Who directed it?", "Alpha", "Beta") is None
    assert winner(setup, "Who was born first?", "Ada") is None
    assert winner(setup, "Who was the first director of it and it", "Alpha", "Beta") is None
    # the same year at different precision: March 1815 sorts before 10 December 1815
    assert winner(setup, "Who was born first, it or it?", "Ada", "Cy") == "Cy"


def test_the_retriever_puts_the_winner_first_with_the_value_paths(setup) -> None:
    index, extractor, emb, reasoner = setup

    class Uniform:
        name, topics_can_answer = "uniform", True

        def score(self, sub, question_emb, question=""):  # noqa: ANN001, ANN202
            return np.full(sub.num_nodes, 1.0 / sub.num_nodes)

    retriever = GNNRAGRetriever(index, extractor, emb, Uniform(), RetrieverSettings(), comparer=reasoner)
    cands, paths, _ = retriever.retrieve("Who was born first, [Ada] or [Bob]?")
    assert cands[0].name == "Ada" and cands[0].score >= 0.5
    assert "Ada -> born on -> 10 December 1815" in [p.verbalise() for p in cands[0].paths]
    plain = GNNRAGRetriever(index, extractor, emb, Uniform(), RetrieverSettings())
    assert plain.retrieve("Who was born first, [Ada] or [Bob]?").candidates[0].score < 0.5

"""The zero-shot relation-path scorer on a fixture KG: it follows the relations a question names, for one and
two hops, never answers with the topic entity, and plugs into the retriever like the trained GNN."""

from __future__ import annotations

import numpy as np
import pytest

from graphrag.embed import HashingEmbedder
from graphrag.errors import UnknownBackendError
from graphrag.gnnrag.checkpoint import RetrieverSettings
from graphrag.gnnrag.path_scorer import PathScorerConfig, RelationPathScorer, question_words
from graphrag.gnnrag.retriever import GNNRAGRetriever
from graphrag.gnnrag.subgraph import KGIndex, SubgraphConfig, SubgraphExtractor
from graphrag.gnnrag.zeroshot import PPRScorer, make_zero_shot_scorer

TRIPLES = [
    ("Alien", "directed_by", "Ridley Scott"),
    ("Blade Runner", "directed_by", "Ridley Scott"),
    ("Alien", "starred_actors", "Sigourney Weaver"),
    ("Alien", "starred_actors", "Tom Skerritt"),
    ("Blade Runner", "starred_actors", "Harrison Ford"),
    ("Alien", "has_genre", "Horror"),
    ("Blade Runner", "has_genre", "Science Fiction"),
    ("Witness", "starred_actors", "Harrison Ford"),
    ("Witness", "directed_by", "Peter Weir"),
    ("Witness", "has_genre", "Thriller"),
]


@pytest.fixture(scope="module")
def kg() -> tuple[KGIndex, SubgraphExtractor, RelationPathScorer]:
    index = KGIndex.from_triples(TRIPLES)
    emb = HashingEmbedder(256)
    return index, SubgraphExtractor(index, SubgraphConfig(max_hops=2)), RelationPathScorer(index.predicates, emb)


def top(kg, question: str, topic: str) -> list[str]:
    index, extractor, scorer = kg
    sub = extractor.extract(index.lookup_name(topic))
    probs = scorer.score(sub, np.zeros(256), question)
    best = probs.max()
    return sorted(index.names[int(sub.nodes[i])] for i in np.flatnonzero(np.isclose(probs, best)))


def test_one_hop_follows_the_named_relation(kg) -> None:
    assert top(kg, "who directed it", "Alien") == ["Ridley Scott"]
    assert top(kg, "which actors starred in it", "Alien") == ["Sigourney Weaver", "Tom Skerritt"]
    assert top(kg, "what genre is it", "Witness") == ["Thriller"]


def test_two_hops_when_the_question_names_two_relations(kg) -> None:
    # Harrison Ford -> starred in -> {Blade Runner, Witness} -> directed by -> {Ridley Scott, Peter Weir}
    assert top(kg, "who directed the films it starred in as one of the actors", "Harrison Ford") == [
        "Peter Weir",
        "Ridley Scott",
    ]
    assert top(kg, "what genre are the films directed by it", "Ridley Scott") == ["Horror", "Science Fiction"]


def test_topic_entities_are_never_answers_and_scores_are_a_distribution(kg) -> None:
    index, extractor, scorer = kg
    sub = extractor.extract(index.lookup_name("Alien"))
    probs = scorer.score(sub, np.zeros(256), "who starred in the films with the actors of it")
    assert probs[sub.seeds].sum() == 0 and probs.sum() == pytest.approx(1.0)
    assert scorer.score(sub, np.zeros(256), "").sum() == 0  # no words, no paths: nothing to score
    paths = scorer.paths(sub, "who directed it")
    assert {p.text for p in paths if len(p.steps) == 1} >= {"directed by", "starred actors"}
    assert any("(inverse)" in p.text for p in paths)


def test_the_beam_bounds_the_paths_kept(kg) -> None:
    index, extractor, _ = kg
    narrow = RelationPathScorer(index.predicates, HashingEmbedder(256), PathScorerConfig(beam=1))
    sub = extractor.extract(index.lookup_name("Alien"))
    paths = narrow.paths(sub, "who directed it")
    assert len({p.steps[:1] for p in paths if len(p.steps) == 2}) == 1
    with pytest.raises(ValueError):
        PathScorerConfig(tau=0)


def test_in_the_retriever_with_paths_and_by_name(kg) -> None:
    index, extractor, scorer = kg
    retriever = GNNRAGRetriever(index, extractor, HashingEmbedder(256), scorer, RetrieverSettings())
    cands, paths, _ = retriever.retrieve("who directed [Blade Runner]")
    assert cands[0].name == "Ridley Scott"
    assert paths[0].verbalise() == "Blade Runner -> directed_by -> Ridley Scott"
    emb = HashingEmbedder(64)
    assert isinstance(make_zero_shot_scorer("paths", index.predicates, emb), RelationPathScorer)
    assert isinstance(make_zero_shot_scorer("ppr", index.predicates, emb), PPRScorer)
    with pytest.raises(UnknownBackendError):
        make_zero_shot_scorer("magic", index.predicates, emb)


def test_question_words() -> None:
    assert question_words("Who directed the film, it?") == ["directed", "film"]


def test_the_embedding_cache_keeps_the_embedders_floats_and_gives_float64() -> None:
    """A full cache (50,000 texts) held float64 copies of MiniLM's float32 vectors: twice the memory for the
    same values."""
    embedder = HashingEmbedder(16)
    scorer = RelationPathScorer(["directed by", "born in"], embedder)
    texts = ["directed", "film", "directed"]
    out = scorer.embed_texts(texts)
    assert out.dtype == np.float64 and np.array_equal(out, embedder.embed(texts).astype(np.float64))
    assert {v.dtype for v in scorer._cache.values()} == {np.dtype(np.float32)} and len(scorer._cache) == 2
    assert all(v.base is None for v in scorer._cache.values())  # own copies, not views keeping a batch alive

"""GNN-RAG retrieval: candidate selection, shortest reasoning paths and their verbalisation, topic entities,
the zero-shot scorer and the retriever end to end."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from graphrag.embed import HashingEmbedder
from graphrag.gnnrag.checkpoint import GNNCheckpoint, RetrieverSettings
from graphrag.gnnrag.model import GNNConfig, GNNReasoner
from graphrag.gnnrag.paths import PathFinder, select_candidates, unique_paths, verbalise_paths
from graphrag.gnnrag.retriever import GNNRAGRetriever
from graphrag.gnnrag.subgraph import KGIndex, Subgraph, SubgraphConfig, SubgraphExtractor
from graphrag.gnnrag.topics import KGNameLinker, resolve_topics
from graphrag.gnnrag.zeroshot import PPRScorer
from graphrag.types import Candidate

TRIPLES = [
    ("Heat", "directed_by", "Michael Mann"),
    ("Collateral", "directed_by", "Michael Mann"),
    ("Heat", "starred_actors", "Al Pacino"),
    ("Heat", "starred_actors", "Robert De Niro"),
    ("Collateral", "starred_actors", "Tom Cruise"),
    ("Heat", "release_year", "1995"),
    ("Collateral", "release_year", "2004"),
    ("Heat", "has_genre", "Crime"),
    ("Collateral", "has_genre", "Crime"),
]


# -- candidate selection ---------------------------------------------------------------------------
def test_candidates_until_cumulative_probability_reaches_threshold():
    probs = np.array([0.05, 0.5, 0.3, 0.15])
    assert select_candidates(probs, threshold=0.95).tolist() == [1, 2, 3]  # 0.5 + 0.3 + 0.15 = 0.95
    assert select_candidates(probs, threshold=0.5).tolist() == [1]
    assert select_candidates(probs, threshold=0.51).tolist() == [1, 2]
    assert select_candidates(probs, threshold=1.0).tolist() == [1, 2, 3, 0]
    assert select_candidates(probs, threshold=0.95, max_candidates=2).tolist() == [1, 2]


def test_candidates_exclude_nodes_and_skip_zero_probability():
    probs = np.array([0.6, 0.3, 0.1, 0.0])
    # Without node 0 the rest is renormalised: 0.75, 0.25.
    assert select_candidates(probs, threshold=0.7, exclude=[0]).tolist() == [1]
    assert select_candidates(probs, threshold=1.0, exclude=[0]).tolist() == [1, 2]
    assert select_candidates(np.zeros(3)).tolist() == []
    assert select_candidates(np.array([0.5, 0.5]), threshold=0.5).tolist() == [0]  # ties keep index order
    with pytest.raises(ValueError):
        select_candidates(probs, threshold=0.0)


# -- paths -----------------------------------------------------------------------------------------
@pytest.fixture()
def toy_sub():
    """0 Heat, 1 Michael Mann, 2 Collateral, 3 Tom Cruise, 4 Crime; seed Heat."""
    preds = ["directed_by", "starred_actors", "has_genre"]
    names = ["Heat", "Michael Mann", "Collateral", "Tom Cruise", "Crime"]
    edges = [(0, 1, 0), (2, 1, 0), (2, 3, 1), (0, 4, 2), (2, 4, 2)]
    arr = np.asarray(edges)
    sub = Subgraph(nodes=np.arange(5), seeds=np.array([0]), src=arr[:, 0], dst=arr[:, 1], pred=arr[:, 2],
                   ppr=np.ones(5))  # fmt: skip
    return sub, names, preds


def test_path_finder_distances_and_all_shortest_paths(toy_sub):
    sub, names, preds = toy_sub
    finder = PathFinder(sub, max_paths=5)
    assert finder.dist.tolist() == [0, 1, 2, 3, 1]
    paths = finder.paths_to(2)  # Heat -> Michael Mann <- Collateral, and Heat -> Crime <- Collateral
    assert sorted(p[0] for p in paths) == [[0, 1, 2], [0, 4, 2]]
    assert finder.paths_to(0) == [([0], [])]
    assert len(PathFinder(sub, max_paths=1).paths_to(2)) == 1


def test_verbalised_paths_name_inverse_edges_and_deduplicate(toy_sub):
    sub, names, preds = toy_sub
    per = verbalise_paths(PathFinder(sub, max_paths=2), [3, 2], lambda v: names[v], preds)
    texts = [p.verbalise() for p in per[3]]
    assert texts == [
        "Heat -> directed_by -> Michael Mann -> directed_by (inverse) -> Collateral -> starred_actors -> "
        "Tom Cruise",
        "Heat -> has_genre -> Crime -> has_genre (inverse) -> Collateral -> starred_actors -> Tom Cruise",
    ]
    assert per[2][0].nodes == ("Heat", "Michael Mann", "Collateral")
    all_paths = unique_paths(per)
    assert len(all_paths) == 4 and len({p.verbalise() for p in all_paths}) == 4


def test_unreachable_nodes_get_no_paths():
    sub = Subgraph(nodes=np.arange(3), seeds=np.array([0]), src=np.array([0]), dst=np.array([1]),
                   pred=np.array([0]), ppr=np.ones(3))  # fmt: skip
    finder = PathFinder(sub)
    assert finder.dist.tolist() == [0, 1, -1]
    assert finder.paths_to(2) == []


# -- topic entities --------------------------------------------------------------------------------
def test_resolve_topics_brackets_masking_and_case():
    index = KGIndex.from_triples(TRIPLES)
    heat = index.id_to_index["Heat"]
    assert resolve_topics(index, "who directed [Heat]") == ([heat], "who directed it")
    assert resolve_topics(index, "who directed [heat]", mask="") == ([heat], "who directed heat")
    assert resolve_topics(index, "who directed [Unknown Film]")[0] == []
    nodes, text = resolve_topics(index, "which films did Michael Mann direct?")
    assert nodes == [index.id_to_index["Michael Mann"]] and text == "which films did it direct?"


def test_name_linker_prefers_longest_exact_spans():
    index = KGIndex.from_triples(
        [*TRIPLES, ("Michael", "directed_by", "Someone"), ("Heat", "has_tags", "films")]
    )
    found = KGNameLinker(index)("films by Michael Mann and michael from 1995")
    assert [s for s, _ in found] == ["Michael Mann", "1995"]  # lower-case words never link


def test_name_linker_can_link_exact_lowercase_multiword_names():
    index = KGIndex.from_triples([*TRIPLES, ("Heat", "has_tags", "eva mendes"), ("Heat", "has_tags", "films")])
    question = "which films are described by eva mendes"
    assert KGNameLinker(index)(question) == []
    found = KGNameLinker(index, lowercase_spans=True)(question)
    assert [s for s, _ in found] == ["eva mendes"]  # one lowercase word ("films") still never links


# -- scorers and the retriever ---------------------------------------------------------------------
def test_zero_shot_weights_follow_question_similarity():
    emb = HashingEmbedder(64)
    preds = ["directed by", "release year"]
    scorer = PPRScorer(emb.embed(preds))
    w = scorer.predicate_weights(emb.embed(["who directed it"])[0])
    assert w.shape == (2,) and w.sum() == pytest.approx(1.0) and w[0] > w[1]
    with pytest.raises(ValueError):
        PPRScorer(emb.embed(preds), restart_prob=1.0)


def make_retriever(scorer_kind: str) -> GNNRAGRetriever:
    index = KGIndex.from_triples(TRIPLES)
    emb = HashingEmbedder(64)
    extractor = SubgraphExtractor(index, SubgraphConfig(max_hops=2, max_nodes=50))
    if scorer_kind == "zero-shot":
        from graphrag.gnnrag.data import relation_embeddings

        return GNNRAGRetriever(
            index, extractor, emb, PPRScorer(relation_embeddings(index.predicates, emb).numpy())
        )
    torch.manual_seed(0)
    cfg = GNNConfig(question_dim=64, relation_dim=64, hidden_channels=8, num_steps=2)
    ckpt = GNNCheckpoint(
        model=cfg,
        subgraph=SubgraphConfig(max_hops=2),
        retriever=RetrieverSettings("hashing"),
        state_dict=GNNReasoner(cfg).state_dict(),
    )
    return GNNRAGRetriever.from_checkpoint(index, ckpt, embedder=emb)


def test_zero_shot_retriever_answers_a_one_hop_question_with_paths():
    candidates, paths, timings = make_retriever("zero-shot").retrieve("who directed [Heat]")
    assert candidates[0].name == "Michael Mann"
    assert all(c.name != "Heat" for c in candidates)  # the topic entity is never a zero-shot answer
    assert candidates[0].paths[0].verbalise() == "Heat -> directed_by -> Michael Mann"
    assert sum(c.score for c in candidates) <= 1.0 + 1e-9
    assert paths and len({p.verbalise() for p in paths}) == len(paths)
    assert set(timings) == {"link", "embed", "subgraph", "gnn", "paths", "total"}
    assert timings["total"] == pytest.approx(sum(v for k, v in timings.items() if k != "total"))


def test_gnn_retriever_from_checkpoint_returns_scored_candidates():
    retriever = make_retriever("gnn")
    got = retriever.retrieve("who starred in [Collateral]")
    assert got.candidates and all(isinstance(c, Candidate) for c in got.candidates)
    probs = [c.score for c in got.candidates]
    assert probs == sorted(probs, reverse=True)
    assert all(c.paths for c in got.candidates if c.name != "Collateral")
    nothing = retriever.retrieve("who starred in [No Such Film]")
    assert nothing.candidates == () and nothing.paths == ()


def test_masked_questions_share_one_cached_embedding():
    retriever = make_retriever("zero-shot")
    calls: list[list[str]] = []
    inner = retriever.embedder

    class Counting:
        name, dim = inner.name, inner.dim

        def embed(self, texts):
            calls.append(list(texts))
            return inner.embed(texts)

    retriever.embedder = Counting()
    first = retriever.retrieve("who directed [Heat]")
    retriever.retrieve("who directed [Collateral]")
    assert calls == [["who directed it"]]  # both questions read "who directed it" once the entity is masked
    retriever.clear_cache()
    again = retriever.retrieve("who directed [Heat]")
    assert len(calls) == 2 and again.candidates == first.candidates

"""Subgraph -> PyG Data conversion, edge-type names, predicate texts."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from graphrag.embed import HashingEmbedder
from graphrag.gnnrag.data import EdgeTypeMap, predicate_text, relation_embeddings, subgraph_to_data
from graphrag.gnnrag.subgraph import Subgraph


def test_subgraph_to_data_adds_inverse_edges_and_marks_seeds_and_answers():
    sub = Subgraph(
        nodes=np.array([3, 8, 20]),
        seeds=np.array([0]),
        src=np.array([0, 1]),
        dst=np.array([1, 2]),
        pred=np.array([1, 0]),
        ppr=np.ones(3),
    )
    data = subgraph_to_data(sub, 2, np.ones(4, dtype=np.float32), answers=[20, 99])
    assert data.num_nodes == 3
    assert data.edge_index.tolist() == [[0, 1, 1, 2], [1, 2, 0, 1]]
    assert data.edge_type.tolist() == [1, 0, 3, 2]  # inverse types are offset by R = 2
    assert data.seed_mask.tolist() == [True, False, False]
    assert data.node_index.tolist() == [3, 8, 20]
    assert data.question_emb.shape == (1, 4)
    assert data.y.tolist() == [0.0, 0.0, 1.0]  # answer 99 is outside the subgraph
    assert getattr(subgraph_to_data(sub, 2, np.ones(4)), "y", None) is None
    with pytest.raises(ValueError, match="out of range"):
        subgraph_to_data(sub, 1, np.ones(4))


def test_edge_type_map_names_both_directions():
    m = EdgeTypeMap(("directed_by", "has_genre"))
    assert m.num_types == 4
    assert m.names() == ["directed_by", "has_genre", "directed_by (inverse)", "has_genre (inverse)"]
    assert m.predicate(3) == "has_genre" and m.is_inverse(3) and not m.is_inverse(1)


@pytest.mark.parametrize(
    ("predicate", "text"),
    [
        ("directed_by", "directed by"),
        ("birthPlace", "birth place"),
        ("http://dbpedia.org/ontology/birthPlace", "birth place"),
        ("ns#bornIn", "born in"),
        ("is-part-of", "is part of"),
        ("works for", "works for"),
    ],
)
def test_predicate_text(predicate, text):
    assert predicate_text(predicate) == text


def test_relation_embeddings_use_the_readable_text():
    emb = HashingEmbedder(32)
    rel = relation_embeddings(["directed_by", "has_genre"], emb)
    assert rel.shape == (2, 32) and rel.dtype == torch.float32
    assert torch.allclose(rel[0], torch.from_numpy(emb.embed(["directed by"])[0]))
    assert relation_embeddings([], emb).shape == (0, 32)

"""The GNN layer and model: output shapes, normalisation, batching, parameter resets, argument checks."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch_geometric.data import Batch

from graphrag.gnnrag.data import subgraph_to_data
from graphrag.gnnrag.layer import QuestionGatedPropagation, edge_type_norm
from graphrag.gnnrag.model import GNNConfig, GNNReasoner, answer_loss
from graphrag.gnnrag.subgraph import Subgraph

R = 3  # predicates
D = 16  # embedding size


def make_sub(n: int, edges: list[tuple[int, int, int]], seeds: list[int]) -> Subgraph:
    arr = np.asarray(edges, dtype=np.int64).reshape(-1, 3)
    return Subgraph(
        nodes=np.arange(n, dtype=np.int64) * 10,
        seeds=np.asarray(seeds, dtype=np.int64),
        src=arr[:, 0],
        dst=arr[:, 1],
        pred=arr[:, 2],
        ppr=np.ones(n),
    )


@pytest.fixture()
def graphs():
    torch.manual_seed(0)
    q1, q2 = torch.randn(D), torch.randn(D)
    a = subgraph_to_data(make_sub(5, [(0, 1, 0), (1, 2, 1), (0, 3, 2), (3, 4, 0)], [0]), R, q1, answers=[20])
    b = subgraph_to_data(make_sub(3, [(0, 1, 1), (2, 1, 0)], [0, 2]), R, q2, answers=[10])
    return a, b


def model(steps: int = 2) -> GNNReasoner:
    torch.manual_seed(0)
    return GNNReasoner(GNNConfig(question_dim=D, relation_dim=D, hidden_channels=8, num_steps=steps)).eval()


def test_single_graph_shapes_and_distribution(graphs):
    a, _ = graphs
    out = model(3)(a, torch.randn(R, D))
    assert out.logits.shape == out.probs.shape == (5,)
    assert out.step_scores.shape == (3, 5)
    assert out.gates.shape == (1, 3, 2 * R)
    assert out.hop_weights.shape == (1, 3)
    assert torch.isclose(out.probs.sum(), torch.tensor(1.0))
    assert torch.all(out.probs >= 0)
    assert torch.allclose(out.hop_weights.sum(-1), torch.ones(1))
    for t in range(3):  # propagated mass is renormalised after every step (or zero if it was blocked)
        total = float(out.step_scores[t].sum().detach())
        assert total == pytest.approx(1.0, abs=1e-5) or total == 0.0


def test_batch_matches_single_graphs(graphs):
    a, b = graphs
    m, rel = model(), torch.randn(R, D)
    batch = Batch.from_data_list([a, b])
    out = m(batch, rel)
    assert out.probs.shape == (8,)
    assert out.gates.shape == (2, 2, 2 * R)
    per_graph = torch.zeros(2).index_add_(0, batch.batch, out.probs)
    assert torch.allclose(per_graph, torch.ones(2), atol=1e-5)
    assert torch.allclose(out.probs[:5], m(a, rel).probs, atol=1e-6)
    assert torch.allclose(out.probs[5:], m(b, rel).probs, atol=1e-6)


def test_mass_only_reaches_nodes_within_the_step_count(graphs):
    a, _ = graphs
    out = model(1)(a, torch.randn(R, D))
    # After one step only the seed's neighbours (1 and 3) can hold mass.
    assert set(torch.nonzero(out.step_scores[0]).flatten().tolist()) <= {1, 3}


def test_edge_type_norm_splits_a_senders_mass_per_relation_type():
    edge_index = torch.tensor([[0, 0, 0, 1], [1, 2, 3, 2]])
    edge_type = torch.tensor([0, 0, 1, 0])
    assert edge_type_norm(edge_index, edge_type, 4, 2).tolist() == [0.5, 0.5, 1.0, 1.0]


def test_answer_loss_is_low_when_mass_sits_on_the_answers():
    batch = torch.tensor([0, 0, 0, 1, 1])
    target = torch.tensor([0.0, 1.0, 1.0, 0.0, 0.0])  # graph 1 has no answer: ignored
    good = torch.tensor([0.0, 0.5, 0.5, 0.5, 0.5])
    bad = torch.tensor([0.9, 0.05, 0.05, 0.5, 0.5])
    assert answer_loss(good, target, batch, 2) < answer_loss(bad, target, batch, 2)
    assert float(answer_loss(good, target, batch, 2)) == pytest.approx(np.log(2), rel=1e-4)
    assert float(answer_loss(good, torch.zeros(5), batch, 2)) == 0.0


def test_gradients_reach_every_parameter(graphs):
    a, b = graphs
    m = model()
    m.train()
    batch = Batch.from_data_list([a, b])
    out = m(batch, torch.randn(R, D))
    answer_loss(out.probs, batch.y, batch.batch, 2).backward()
    missing = [n for n, p in m.named_parameters() if p.grad is None]
    assert not missing


def test_reset_parameters_reinitialises_every_parameter():
    m = model()
    with torch.no_grad():
        for p in m.parameters():
            p.fill_(7.0)
    torch.manual_seed(1)
    m.reset_parameters()
    first = {k: v.clone() for k, v in m.state_dict().items()}
    assert all(not torch.all(v == 7.0) for v in first.values())
    assert m.temperature.item() == pytest.approx(0.5413)  # softplus -> temperature 1
    torch.manual_seed(1)
    m.reset_parameters()
    assert all(torch.equal(v, first[k]) for k, v in m.state_dict().items())


def test_bad_arguments_raise_value_errors(graphs):
    a, _ = graphs
    with pytest.raises(ValueError, match="hidden_channels"):
        QuestionGatedPropagation(0)
    with pytest.raises(ValueError, match="num_steps"):
        GNNConfig(num_steps=0)
    with pytest.raises(ValueError, match="dropout"):
        GNNConfig(dropout=1.0)
    with pytest.raises(ValueError, match="relation_emb"):
        model()(a, torch.randn(R, D + 1))
    assert "QuestionGatedPropagation(8)" in repr(model())

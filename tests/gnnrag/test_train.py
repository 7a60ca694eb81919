"""A tiny training run must learn a 2-hop toy task (seeded, a few seconds)."""

from __future__ import annotations

import pytest
import torch

from gnnrag.toy_kg import make_toy_kgqa
from graphrag.embed import HashingEmbedder
from graphrag.gnnrag.data import relation_embeddings
from graphrag.gnnrag.jobs import build_examples
from graphrag.gnnrag.model import GNNConfig
from graphrag.gnnrag.subgraph import KGIndex, SubgraphConfig, SubgraphExtractor
from graphrag.gnnrag.train import TrainConfig, evaluate_examples, split_examples, train_gnn


@pytest.fixture(scope="module")
def toy_examples():
    toy = make_toy_kgqa(n_movies=90, n_people=60, seed=0)
    index = KGIndex.from_triples(toy.triples)
    emb = HashingEmbedder(64)
    extractor = SubgraphExtractor(index, SubgraphConfig(max_hops=2, max_nodes=200))
    built, stats = build_examples(index, extractor, emb, toy.questions[2], mask="it", progress=False)
    assert stats["used"] == len(toy.questions[2]) and stats["answer_outside_subgraph"] == 0
    return built, relation_embeddings(index.predicates, emb)


def test_learns_a_two_hop_task_and_generalises_to_new_entities(toy_examples):
    built, rel = toy_examples
    train, test = built[:150], built[150:]  # test questions ask about people never seen in training
    assert len(test) >= 40
    tr, va = split_examples(train, 0.2, seed=0)
    cfg = GNNConfig(question_dim=64, relation_dim=64, hidden_channels=64, num_steps=2)
    lines: list[str] = []
    before = evaluate_examples(
        train_gnn(tr, va, rel, model_config=cfg, config=TrainConfig(epochs=1, lr=1e-9), progress=False).model,
        test,
        rel,
    )
    result = train_gnn(
        tr,
        va,
        rel,
        model_config=cfg,
        config=TrainConfig(epochs=25, batch_size=8, lr=1e-2, patience=25, seed=0),
        progress=False,
        log=lines.append,
    )
    after = evaluate_examples(result.model, test, rel)
    assert before["hits1"] < 0.7  # the untrained model does not already know the answers
    assert after["hits1"] >= 0.9, after
    assert after["f1"] >= 0.8, after
    assert len(lines) == len(result.history) and "val Hits@1" in lines[0]
    summary = result.summary()
    assert summary["best_epoch"] == result.best_epoch and summary["train_time_s"] > 0


def test_early_stopping_and_best_epoch_weights(toy_examples):
    built, rel = toy_examples
    tr, va = split_examples(built[:60], 0.25, seed=1)
    cfg = GNNConfig(question_dim=64, relation_dim=64, hidden_channels=16, num_steps=2)
    threads = torch.get_num_threads()
    result = train_gnn(
        tr, va, rel, model_config=cfg, config=TrainConfig(epochs=50, lr=1e-9, patience=2), progress=False
    )
    assert result.stopped == "early-stopping"
    assert torch.get_num_threads() == threads  # the one-thread training setting is undone
    assert len(result.history) == result.best_epoch + 2
    again = evaluate_examples(result.model, va, rel)
    best = next(h for h in result.history if h.epoch == result.best_epoch)
    assert again["hits1"] == pytest.approx(best.val_hits1)


def test_split_and_config_checks(toy_examples):
    built, rel = toy_examples
    tr, va = split_examples(built[:50], 0.1, seed=3)
    assert len(tr) == 45 and len(va) == 5 and not {id(x) for x in tr} & {id(x) for x in va}
    assert split_examples(built[:50], 0.1, seed=3) == (tr, va)
    with pytest.raises(ValueError):
        TrainConfig(val_fraction=1.0)
    with pytest.raises(ValueError, match="no training examples"):
        train_gnn([], [], rel)

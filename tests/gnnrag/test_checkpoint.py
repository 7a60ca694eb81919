"""Checkpoints: round trip with their settings, and clear errors for missing or foreign files."""

from __future__ import annotations

import pytest
import torch

from graphrag.errors import InputError
from graphrag.gnnrag.checkpoint import GNNCheckpoint, RetrieverSettings, load_checkpoint, save_checkpoint
from graphrag.gnnrag.model import GNNConfig, GNNReasoner
from graphrag.gnnrag.subgraph import SubgraphConfig


def test_round_trip_keeps_weights_and_settings(tmp_path):
    cfg = GNNConfig(question_dim=8, relation_dim=8, hidden_channels=4, num_steps=2)
    model = GNNReasoner(cfg)
    ckpt = GNNCheckpoint(
        model=cfg,
        subgraph=SubgraphConfig(max_hops=2, max_nodes=50),
        retriever=RetrieverSettings(embedder="hashing", question_mask=""),
        train={"epochs": 3},
        summary={"train_time_s": 1.5, "history": [{"epoch": 1, "val_hits1": 0.5}]},
        state_dict=model.state_dict(),
    )
    path = save_checkpoint(tmp_path / "sub" / "m.pt", ckpt)
    assert path.exists() and not path.with_name("m.pt.tmp").exists()
    back = load_checkpoint(path)
    assert back.model == cfg and back.subgraph.max_nodes == 50
    assert back.retriever.embedder == "hashing" and back.retriever.question_mask == ""
    assert back.summary["history"][0]["val_hits1"] == 0.5
    rebuilt = back.build_model()
    assert not rebuilt.training
    for k, v in model.state_dict().items():
        assert torch.equal(v, rebuilt.state_dict()[k])
    assert set(back.config_dict()) == {"model", "subgraph", "retriever", "train", "summary"}


def test_missing_and_foreign_files_are_input_errors(tmp_path):
    with pytest.raises(InputError, match="no such checkpoint"):
        load_checkpoint(tmp_path / "nope.pt")
    junk = tmp_path / "junk.pt"
    junk.write_text("not a checkpoint")
    with pytest.raises(InputError, match="not a readable checkpoint"):
        load_checkpoint(junk)
    other = tmp_path / "other.pt"
    torch.save({"weights": torch.zeros(2)}, other)
    with pytest.raises(InputError, match="not a graphrag-gnn checkpoint"):
        load_checkpoint(other)
    broken = tmp_path / "broken.pt"
    torch.save({"format": "graphrag-gnn", "version": 1, "model": {"nope": 1}}, broken)
    with pytest.raises(InputError, match="incomplete or invalid"):
        load_checkpoint(broken)


def test_retriever_settings_validate():
    with pytest.raises(ValueError):
        RetrieverSettings(candidate_threshold=0.0)
    with pytest.raises(ValueError):
        RetrieverSettings(max_candidates=0)

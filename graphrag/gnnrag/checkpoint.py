"""GNN checkpoints: the weights plus every setting needed to use them again.

A checkpoint records the model shape, how question subgraphs were cut, which embedder encoded questions and
predicates, how topic entities were masked in questions, the training settings and a training summary (time,
epochs, validation scores, data files). It is saved with :func:`torch.save` and loaded with
``weights_only=True``, so loading never runs code from the file.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import torch

from graphrag.errors import InputError
from graphrag.gnnrag.model import GNNConfig, GNNReasoner
from graphrag.gnnrag.subgraph import SubgraphConfig

FORMAT = "graphrag-gnn"
VERSION = 1


#: Values of :attr:`RetrieverSettings.topic_answers`.
TOPIC_ANSWERS = ("choice", "always", "never")


@dataclass(frozen=True)
class RetrieverSettings:
    """How a trained model is used at question time (stored with it so evaluation matches training).

    Args:
        embedder: registry name of the question/predicate embedder (``minilm``).
        question_mask: topic-entity mentions are replaced by this text before embedding (``""``: kept as is).
        candidate_threshold: cumulative probability the candidates must reach (GNN-RAG: 0.95).
        max_candidates: most candidates per question.
        max_paths: most reasoning paths per candidate.
        embed_cache_size: question embeddings remembered, by the (masked) text that was embedded; with
            topic entities masked, questions that differ only in their entity share one entry. 0 turns it off.
        topic_answers: when a question's own topic entities may be answer candidates of a trained model:
            ``choice`` (default) only when the question names two or more ("which came first, A or B?"), since a
            question about one entity does not answer with it; ``always``; ``never``.
        compare: answer comparison questions ("who was born first, A or B?") by the literal values relation
            paths reach from each topic (:class:`~graphrag.gnnrag.compare.ComparisonReasoner`).
        co_mentions: the KG the model reasons over also links each passage's topic entity to every entity the
            passage mentions (:data:`~graphrag.gnnrag.subgraph.CO_MENTION`), as it did in training.
    """

    embedder: str = "minilm"
    question_mask: str = "it"
    candidate_threshold: float = 0.95
    max_candidates: int = 100
    max_paths: int = 3
    embed_cache_size: int = 1024
    topic_answers: str = "choice"
    compare: bool = True
    co_mentions: bool = False

    def __post_init__(self) -> None:
        if not 0.0 < self.candidate_threshold <= 1.0:
            raise ValueError(f"candidate_threshold must be in (0, 1], got {self.candidate_threshold}")
        if self.topic_answers not in TOPIC_ANSWERS:
            raise ValueError(f"topic_answers must be one of {', '.join(TOPIC_ANSWERS)}, got {self.topic_answers!r}")
        if self.max_candidates < 1 or self.max_paths < 0 or self.embed_cache_size < 0:
            raise ValueError("max_candidates must be at least 1; max_paths and embed_cache_size non-negative")


@dataclass(frozen=True)
class GNNCheckpoint:
    """A trained reasoner's settings; ``state_dict`` holds its weights."""

    model: GNNConfig
    subgraph: SubgraphConfig
    retriever: RetrieverSettings
    train: dict[str, Any] = field(default_factory=dict)
    summary: dict[str, Any] = field(default_factory=dict)
    state_dict: dict[str, torch.Tensor] = field(default_factory=dict, repr=False)

    def build_model(self) -> GNNReasoner:
        """A :class:`GNNReasoner` with these weights, in eval mode."""
        model = GNNReasoner(self.model)
        model.load_state_dict(self.state_dict)
        model.eval()
        return model

    def config_dict(self) -> dict[str, Any]:
        """Everything but the weights, JSON-ready."""
        return {
            "model": asdict(self.model),
            "subgraph": asdict(self.subgraph),
            "retriever": asdict(self.retriever),
            "train": dict(self.train),
            "summary": dict(self.summary),
        }


def save_checkpoint(path: str | Path, ckpt: GNNCheckpoint) -> Path:
    """Write ``ckpt`` to ``path`` (parents created; via a temporary file that is then renamed)."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    payload = {"format": FORMAT, "version": VERSION, **ckpt.config_dict(), "state_dict": ckpt.state_dict}
    tmp = p.with_name(p.name + ".tmp")
    torch.save(payload, tmp)
    tmp.replace(p)
    return p


def load_checkpoint(path: str | Path) -> GNNCheckpoint:
    """Read a checkpoint written by :func:`save_checkpoint`; a missing or foreign file is an
    :class:`InputError`."""
    p = Path(path)
    if not p.is_file():
        raise InputError("no such checkpoint (train one with `graphrag train-gnn`)", path=str(p))
    try:
        payload = torch.load(p, map_location="cpu", weights_only=True)
    except Exception as exc:  # torch raises several unrelated types for a corrupt or non-torch file
        raise InputError(f"not a readable checkpoint: {exc}", path=str(p)) from None
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise InputError(f"not a {FORMAT} checkpoint", path=str(p))
    if payload.get("version") != VERSION:
        raise InputError(f"checkpoint version {payload.get('version')} is not supported (need {VERSION})", path=str(p))
    try:
        return GNNCheckpoint(
            model=GNNConfig(**payload["model"]),
            subgraph=SubgraphConfig(**payload["subgraph"]),
            retriever=RetrieverSettings(**payload["retriever"]),
            train=dict(payload.get("train") or {}),
            summary=dict(payload.get("summary") or {}),
            state_dict=payload["state_dict"],
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(f"checkpoint settings are incomplete or invalid: {exc}", path=str(p)) from None


__all__ = ["GNNCheckpoint", "RetrieverSettings", "load_checkpoint", "save_checkpoint"]

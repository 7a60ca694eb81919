"""Question subgraphs as PyTorch Geometric ``Data``, with node and edge-type maps.

Edge types: every KG predicate ``r`` (index ``0..R-1``) gives two directed edge types, ``r`` for the KG's own
direction and ``r + R`` for its inverse, so messages can flow both ways along a triple (``movie -> directed_by
-> person`` and back). :class:`EdgeTypeMap` names them; node ``i`` of a ``Data`` is KG node ``node_index[i]``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch
from torch_geometric.data import Data

from graphrag.embed.embedder import Embedder
from graphrag.gnnrag.subgraph import Subgraph
from graphrag.types import INVERSE_SUFFIX

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def predicate_text(predicate: str) -> str:
    """Readable text of a predicate for the sentence embedder: ``directed_by`` -> ``directed by``,
    ``birthPlace`` -> ``birth place``, ``http://x.org/ns#bornIn`` -> ``born in``."""
    tail = re.split(r"[/#]", predicate.rstrip("/#"))[-1] or predicate
    text = _CAMEL.sub(" ", tail).replace("_", " ").replace("-", " ")
    return " ".join(text.lower().split()) or predicate


@dataclass(frozen=True)
class EdgeTypeMap:
    """Names of the ``2R`` edge types of a KG with predicates ``predicates``."""

    predicates: tuple[str, ...]

    @property
    def num_predicates(self) -> int:
        """``R``."""
        return len(self.predicates)

    @property
    def num_types(self) -> int:
        """``2R``: forward and inverse types."""
        return 2 * len(self.predicates)

    def predicate(self, edge_type: int) -> str:
        """The KG predicate of an edge type (for either direction)."""
        return self.predicates[edge_type % len(self.predicates)]

    def is_inverse(self, edge_type: int) -> bool:
        """Whether the edge type runs against the KG's direction."""
        return edge_type >= len(self.predicates)

    def name(self, edge_type: int) -> str:
        """``directed_by`` or ``directed_by (inverse)``."""
        return self.predicate(edge_type) + (INVERSE_SUFFIX if self.is_inverse(edge_type) else "")

    def names(self) -> list[str]:
        """All type names, by type index."""
        return [self.name(t) for t in range(self.num_types)]


def relation_embeddings(predicates: Sequence[str], embedder: Embedder) -> torch.Tensor:
    """``(R, dim)`` float32: sentence embeddings of each predicate's readable text."""
    if not predicates:
        return torch.zeros(0, embedder.dim)
    return torch.from_numpy(np.ascontiguousarray(embedder.embed([predicate_text(p) for p in predicates])))


def subgraph_to_data(
    sub: Subgraph,
    num_predicates: int,
    question_emb: np.ndarray | torch.Tensor,
    answers: Sequence[int] | np.ndarray | None = None,
) -> Data:
    """Convert a :class:`~graphrag.gnnrag.subgraph.Subgraph` into a ``Data`` for :class:`GNNReasoner`.

    Args:
        sub: the question's subgraph.
        num_predicates: ``R``, the KG's predicate count (inverse types are offset by it).
        question_emb: ``(D,)`` embedding of the question.
        answers: KG node indices of the gold answers, for training (``y`` marks those inside the subgraph).

    Returns:
        ``Data`` with ``edge_index (2, 2E)``, ``edge_type (2E)``, ``seed_mask (N)``, ``node_index (N)``
        (KG node of each node), ``question_emb (1, D)`` and, with ``answers``, ``y (N)`` in {0, 1}.
    """
    if len(sub.pred) and int(sub.pred.max()) >= num_predicates:
        raise ValueError(f"predicate index {int(sub.pred.max())} out of range for {num_predicates} predicates")
    src = torch.from_numpy(sub.src.astype(np.int64))
    dst = torch.from_numpy(sub.dst.astype(np.int64))
    pred = torch.from_numpy(sub.pred.astype(np.int64))
    n = sub.num_nodes
    seed_mask = torch.zeros(n, dtype=torch.bool)
    seed_mask[torch.from_numpy(sub.seeds.astype(np.int64))] = True
    q = torch.as_tensor(question_emb, dtype=torch.float32).reshape(1, -1)
    data = Data(
        edge_index=torch.stack([torch.cat([src, dst]), torch.cat([dst, src])]),
        edge_type=torch.cat([pred, pred + num_predicates]),
        seed_mask=seed_mask,
        node_index=torch.from_numpy(sub.nodes.astype(np.int64)),
        question_emb=q,
        num_nodes=n,
    )
    if answers is not None:
        y = torch.zeros(n, dtype=torch.float32)
        local = sub.local(np.asarray(answers, dtype=np.int64))
        y[torch.from_numpy(local[local >= 0])] = 1.0
        data.y = y
    return data


__all__ = ["EdgeTypeMap", "predicate_text", "relation_embeddings", "subgraph_to_data"]

"""Node scorers: what turns a question subgraph into an answer probability per node.

A scorer is anything with :class:`NodeScorer`'s shape. :class:`GNNScorer` runs a trained
:class:`~graphrag.gnnrag.model.GNNReasoner`; :class:`~graphrag.gnnrag.path_scorer.RelationPathScorer` and
:class:`~graphrag.gnnrag.zeroshot.PPRScorer` need no training.
Both feed the same candidate selection and reasoning-path code in
:class:`~graphrag.gnnrag.retriever.GNNRAGRetriever`.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np
import torch

from graphrag.gnnrag.data import subgraph_to_data
from graphrag.gnnrag.model import GNNReasoner
from graphrag.gnnrag.subgraph import Subgraph


class NodeScorer(Protocol):
    """Scores every node of a question subgraph; the probabilities sum to 1 (or are all 0)."""

    name: str
    #: whether topic entities may be candidates (a trained model learns this; a zero-shot scorer may not)
    topics_can_answer: bool

    def score(self, sub: Subgraph, question_emb: np.ndarray, question: str = "") -> np.ndarray:
        """``(sub.num_nodes,)`` float probabilities, from the question's embedding and (for scorers that read
        words) its text with topic mentions masked."""


class GNNScorer:
    """Runs a trained :class:`~graphrag.gnnrag.model.GNNReasoner` on one subgraph.

    Args:
        model: the trained reasoner (put in eval mode here).
        relation_emb: ``(R, D)`` predicate-text embeddings of the KG, in :attr:`KGIndex.predicates` order.
    """

    name = "gnn"
    topics_can_answer = True

    def __init__(self, model: GNNReasoner, relation_emb: torch.Tensor) -> None:
        self.model = model.eval()
        self.relation_emb = relation_emb
        self.num_predicates = relation_emb.size(0)
        with torch.inference_mode():
            self.relation_h = self.model.relation_hidden(relation_emb)  # question-independent: computed once

    @torch.inference_mode()
    def score(self, sub: Subgraph, question_emb: np.ndarray, question: str = "") -> np.ndarray:
        """Answer probability of each node (``question`` is not used: the model reads the embedding)."""
        if sub.num_nodes == 0:
            return np.zeros(0)
        data = subgraph_to_data(sub, self.num_predicates, question_emb)
        return self.model(data, self.relation_emb, relation_h=self.relation_h).probs.numpy().astype(np.float64)


__all__ = ["GNNScorer", "NodeScorer"]

"""Zero-shot graph scorers for KGs without training questions, chosen by name (:func:`make_zero_shot_scorer`):
``paths`` (:class:`~graphrag.gnnrag.path_scorer.RelationPathScorer`, follows relation paths; the default) and
``ppr``, question-weighted personalised PageRank, defined here.

Each edge type gets a weight from how similar its predicate text is to the question (both embedded by the same
sentence encoder), sharpened by a softmax with temperature ``tau``; a random walk with restart at the topic
entities then follows edges in either direction with probability proportional to those weights::

    w_r  = softmax_r( cos(q, e_r) / tau )
    P_uv = sum_{edges u-v of type r} w_r / sum_{edges u-x} w_type(u-x)
    s    = alpha * e_topics + (1 - alpha) * s P        (power iteration)

The scores (topic entities left out by the retriever, since nothing tells this scorer whether a question may
answer with its own entity) are raised to ``1 / temperature_out`` and normalised into a distribution, so the
same cumulative-threshold candidate selection and shortest-path code as the trained GNN apply. What it cannot
learn is the order of relations in a multi-hop question, which is what training buys.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from graphrag.embed.embedder import Embedder
from graphrag.errors import UnknownBackendError
from graphrag.gnnrag.data import predicate_text
from graphrag.gnnrag.path_scorer import RelationPathScorer
from graphrag.gnnrag.subgraph import Subgraph


class PPRScorer:
    """Personalised PageRank over a question subgraph with question-predicate similarity as edge weights.

    Args:
        relation_emb: ``(R, D)`` unit-length predicate-text embeddings (KG predicate order).
        restart_prob: ``alpha``, the chance of jumping back to the topic entities at each step.
        iterations: power-iteration steps.
        tau: temperature of the softmax over predicate similarities (lower: follow the best predicate more).
        temperature_out: scores are raised to ``1 / temperature_out`` before normalising (lower: sharper).
    """

    name = "zero-shot-ppr"
    topics_can_answer = False

    def __init__(
        self,
        relation_emb: np.ndarray,
        *,
        restart_prob: float = 0.25,
        iterations: int = 20,
        tau: float = 0.05,
        temperature_out: float = 0.5,
    ) -> None:
        if not 0.0 < restart_prob < 1.0:
            raise ValueError(f"restart_prob must be in (0, 1), got {restart_prob}")
        if iterations < 1 or tau <= 0 or temperature_out <= 0:
            raise ValueError("iterations must be at least 1; tau and temperature_out must be positive")
        self.relation_emb = np.asarray(relation_emb, dtype=np.float64)
        self.restart_prob = restart_prob
        self.iterations = iterations
        self.tau = tau
        self.temperature_out = temperature_out

    def predicate_weights(self, question_emb: np.ndarray) -> np.ndarray:
        """``(R,)`` softmax of the question's cosine similarity to each predicate."""
        if len(self.relation_emb) == 0:
            return np.zeros(0)
        sims = self.relation_emb @ np.asarray(question_emb, dtype=np.float64)
        z = (sims - sims.max()) / self.tau
        w = np.exp(z)
        return w / w.sum()

    def score(self, sub: Subgraph, question_emb: np.ndarray, question: str = "") -> np.ndarray:
        """Answer probability of each node (topic entities included; the retriever drops them).
        ``question`` is not used."""
        n = sub.num_nodes
        if n == 0:
            return np.zeros(0)
        w_pred = self.predicate_weights(question_emb)
        src = np.concatenate([sub.src, sub.dst])
        dst = np.concatenate([sub.dst, sub.src])
        w = np.concatenate([w_pred[sub.pred], w_pred[sub.pred]]) if len(sub.pred) else np.zeros(0)
        out_w = np.bincount(src, weights=w, minlength=n)
        share = np.divide(w, out_w[src], out=np.zeros_like(w), where=out_w[src] > 0)
        restart = np.zeros(n)
        restart[sub.seeds] = 1.0 / max(len(sub.seeds), 1)
        s = restart.copy()
        for _ in range(self.iterations):
            s = self.restart_prob * restart + (1.0 - self.restart_prob) * np.bincount(
                dst, weights=s[src] * share, minlength=n
            )
        s = np.power(np.maximum(s, 0.0), 1.0 / self.temperature_out)
        total = s.sum()
        return s / total if total > 0 else s


ZERO_SHOT_SCORERS = ("paths", "ppr")


def make_zero_shot_scorer(name: str, predicates: Sequence[str], embedder: Embedder) -> PPRScorer | RelationPathScorer:
    """The zero-shot scorer called ``name`` (one of :data:`ZERO_SHOT_SCORERS`) for a KG with ``predicates``."""
    if name == "paths":
        return RelationPathScorer(predicates, embedder)
    if name == "ppr":
        return PPRScorer(
            embedder.embed([predicate_text(p) for p in predicates]) if predicates else np.zeros((0, embedder.dim))
        )
    raise UnknownBackendError("zero-shot scorer", name, list(ZERO_SHOT_SCORERS))


__all__ = ["ZERO_SHOT_SCORERS", "PPRScorer", "make_zero_shot_scorer"]

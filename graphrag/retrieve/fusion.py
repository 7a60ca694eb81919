"""Rank fusion and reranking: pure functions over ranked hit lists.

:func:`reciprocal_rank_fusion` merges several ranked lists by weighted reciprocal rank (Cormack et al., 2009):
a chunk's fused score is ``sum_r w_r / (rrf_k + rank_r)`` over the lists ``r`` that ranked it (ranks from 1),
so agreement between retrievers counts and raw score scales never need to be comparable.
:class:`DenseReranker` optionally re-orders the fused head by blending its rank with the question-chunk cosine
similarity.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Protocol

import numpy as np

from graphrag.types import Hit

if TYPE_CHECKING:
    from graphrag.retrieve.corpus import ChunkCorpus
    from graphrag.retrieve.questions import QueryEncoder


def _merge_unique(*groups: Sequence) -> tuple:
    seen: dict = {}
    for g in groups:
        for x in g:
            seen.setdefault(x, None)
    return tuple(seen)


def reciprocal_rank_fusion(
    ranked: Mapping[str, Sequence[Hit]],
    weights: Mapping[str, float] | None = None,
    *,
    rrf_k: int = 60,
    limit: int | None = None,
    name: str = "hybrid",
) -> list[Hit]:
    """Fuse ranked lists (``retriever name -> hits, best first``) into one list, best first.

    Args:
        ranked: each retriever's hits; a chunk repeated within one list counts at its best rank only.
        weights: per-retriever weight (default 1.0); a weight of 0 leaves that list out.
        rrf_k: rank offset; larger values flatten the difference between top and lower ranks.
        limit: keep only this many fused hits.
        name: the fused hits' ``retriever``, followed by the contributing retrievers (``hybrid:graph+bm25``).

    Ties are broken by the best single rank, then by chunk id, so the result is deterministic. Each fused hit
    keeps the text, title and the union of entities and relations of its contributing hits.
    """
    if rrf_k < 0:
        raise ValueError(f"rrf_k must be >= 0, got {rrf_k}")
    weights = dict(weights or {})
    unknown = sorted(set(weights) - set(ranked))
    if unknown:
        raise ValueError(f"weights given for retrievers with no hits list: {unknown}")
    score: dict[str, float] = {}
    best_rank: dict[str, int] = {}
    parts: dict[str, list[Hit]] = {}
    for retriever, hits in ranked.items():
        w = float(weights.get(retriever, 1.0))
        if w < 0:
            raise ValueError(f"weight of {retriever!r} must be >= 0, got {w}")
        if w == 0:
            continue
        seen: set[str] = set()
        for rank, hit in enumerate(hits, 1):
            if hit.chunk_id in seen:
                continue
            seen.add(hit.chunk_id)
            score[hit.chunk_id] = score.get(hit.chunk_id, 0.0) + w / (rrf_k + rank)
            best_rank[hit.chunk_id] = min(best_rank.get(hit.chunk_id, rank), rank)
            parts.setdefault(hit.chunk_id, []).append(hit)
    order = sorted(score, key=lambda cid: (-score[cid], best_rank[cid], cid))
    if limit is not None:
        order = order[: max(limit, 0)]
    fused = []
    for cid in order:
        hs = parts[cid]
        first = hs[0]
        fused.append(
            Hit(
                chunk_id=cid,
                doc_id=first.doc_id,
                score=score[cid],
                retriever=f"{name}:" + "+".join(_merge_unique([h.retriever for h in hs])),
                title=first.title,
                text=first.text,
                entities=_merge_unique(*(h.entities for h in hs)),
                relations=_merge_unique(*(h.relations for h in hs)),
            )
        )
    return fused


class Reranker(Protocol):
    """Re-orders a fused list for a question."""

    def rerank(self, question: str, hits: Sequence[Hit]) -> list[Hit]:
        """The same hits in a new order, with new scores."""


def blend_ranks(first: Sequence[str], second: Sequence[str], *, weight: float, rrf_k: int = 60) -> list[str]:
    """Ids ordered by ``(1 - weight) / (rrf_k + rank in first) + weight / (rrf_k + rank in second)``.

    Both lists must hold the same ids. Ties keep the order of ``first``.
    """
    if set(first) != set(second):
        raise ValueError("blend_ranks needs two orderings of the same ids")
    r1 = {x: i for i, x in enumerate(first, 1)}
    r2 = {x: i for i, x in enumerate(second, 1)}
    return sorted(first, key=lambda x: (-((1 - weight) / (rrf_k + r1[x]) + weight / (rrf_k + r2[x])), r1[x]))


class DenseReranker:
    """Re-ranks the head of a fused list by blending its order with question-chunk cosine similarity.

    Args:
        corpus: supplies the chunks' stored embeddings (no re-encoding).
        encoder: embeds the question.
        weight: share of the cosine order in the blend (0 keeps the fused order).
        head: only the first ``head`` hits are re-ordered; the rest keep their place.
    """

    def __init__(
        self, corpus: ChunkCorpus, encoder: QueryEncoder, *, weight: float = 0.3, head: int = 20
    ) -> None:
        if not 0.0 <= weight <= 1.0:
            raise ValueError(f"weight must be in [0, 1], got {weight}")
        self.corpus = corpus
        self.encoder = encoder
        self.weight = weight
        self.head = head

    def rerank(self, question: str, hits: Sequence[Hit]) -> list[Hit]:
        """Hits with the first ``head`` re-ordered."""
        top, rest = list(hits[: self.head]), list(hits[self.head :])
        rows = [self.corpus.row_of.get(h.chunk_id) for h in top]
        if not top or any(r is None for r in rows):
            return list(hits)
        q = self.encoder.encode(question)
        sims = self.corpus.embeddings[np.asarray(rows)] @ q
        by_sim = [top[i].chunk_id for i in np.argsort(-sims, kind="stable")]
        order = blend_ranks([h.chunk_id for h in top], by_sim, weight=self.weight)
        pos = {cid: i for i, cid in enumerate(order)}
        return sorted(top, key=lambda h: pos[h.chunk_id]) + rest

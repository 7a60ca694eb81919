"""Dense retrieval: the question's embedding against chunk embeddings.

Two interchangeable indexes answer "the k nearest chunks to this vector":

* :class:`ExactVectorIndex` -- an exact inner-product scan of the chunk matrix held in memory (one
  matrix-vector product; the default, see ``BENCHMARKS.md`` for the measured comparison);
* :class:`KuzuVectorIndex` -- Kuzu's HNSW index (``CREATE_VECTOR_INDEX`` / ``QUERY_VECTOR_INDEX``),
  approximate.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

import numpy as np

from graphrag.retrieve.corpus import ChunkCorpus, top_rows
from graphrag.types import Hit

if TYPE_CHECKING:
    from graphrag.retrieve.questions import QueryEncoder
    from graphrag.store import KuzuGraphStore


class VectorIndex(Protocol):
    """Nearest chunks to a unit query vector, as ``(row, cosine similarity)`` pairs, best first."""

    name: str

    def search(self, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        """The ``k`` nearest rows."""


class ExactVectorIndex:
    """Exact cosine search over an in-memory ``(n, dim)`` matrix of unit rows (zero rows never match).

    Args:
        matrix: chunk embeddings, row-aligned with the corpus.
    """

    name = "exact"

    def __init__(self, matrix: np.ndarray) -> None:
        self.matrix = np.ascontiguousarray(matrix, dtype=np.float32)
        self._present = np.linalg.norm(self.matrix, axis=1) > 0

    def search(self, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        """The ``k`` rows of highest cosine similarity to ``vector``."""
        if self.matrix.shape[0] == 0:
            return []
        sims = self.matrix @ np.asarray(vector, dtype=np.float32)
        sims = np.where(self._present, sims, -np.inf)
        return [(i, float(sims[i])) for i in top_rows(sims, k) if np.isfinite(sims[i])]


class KuzuVectorIndex:
    """Kuzu's HNSW index over ``Chunk.embedding`` (built by :meth:`KuzuGraphStore.ensure_chunk_vector_index`).

    Args:
        store: an open store whose chunk vector index exists.
        corpus: maps the index's chunk ids back to corpus rows.
    """

    name = "kuzu-hnsw"

    def __init__(self, store: KuzuGraphStore, corpus: ChunkCorpus) -> None:
        self.store = store
        self.corpus = corpus

    def search(self, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        """The ``k`` nearest rows by the HNSW index (cosine similarity = 1 - distance)."""
        if k <= 0 or len(self.corpus) == 0:
            return []
        out = []
        for cid, distance in self.store.query_chunk_vector_index(vector.tolist(), k):
            row = self.corpus.row_of.get(cid)
            if row is not None:
                out.append((row, 1.0 - float(distance)))
        return out


class VectorRetriever:
    """Dense retrieval: embed the question, return the nearest chunks.

    Args:
        corpus: the chunks.
        encoder: embeds the question with the model the chunks were embedded with.
        index: the nearest-neighbour index.
        name: the name hits carry as their ``retriever``.
    """

    def __init__(
        self, corpus: ChunkCorpus, encoder: QueryEncoder, index: VectorIndex, *, name: str = "vector"
    ) -> None:
        if encoder.dim != corpus.dim:
            raise ValueError(
                f"the question encoder makes {encoder.dim}-d vectors but the chunks hold {corpus.dim}-d "
                "ones; use the embedder the corpus was ingested with"
            )
        self.corpus = corpus
        self.encoder = encoder
        self.index = index
        self.name = name

    def retrieve(self, question: str, k: int) -> list[Hit]:
        """The ``k`` chunks nearest to the question's embedding."""
        vec = self.encoder.encode(question)
        if not np.any(vec):
            return []
        return [self.corpus.hit(row, sim, self.name) for row, sim in self.index.search(vec, k)]

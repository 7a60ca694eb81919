"""The chunk corpus that retrievers search: loaded from the store once, held in memory, shared by all
retrievers.

Every retriever ranks the same chunks, so they share one :class:`ChunkCorpus` (ids, titles, texts and the
embedding matrix) and turn row numbers into :class:`~graphrag.types.Hit` records through it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from graphrag.types import Hit

if TYPE_CHECKING:
    import pyarrow as pa

    from graphrag.store import KuzuGraphStore


def fixed_list_to_matrix(column: pa.ChunkedArray | pa.Array, dim: int) -> np.ndarray:
    """A column of ``FLOAT[dim]`` values (nulls allowed) as a ``(n, dim)`` float32 matrix; null rows are
    zeros."""
    import pyarrow as pa

    arr = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    n = len(arr)
    out = np.zeros((n, dim), dtype=np.float32)
    if n == 0:
        return out
    valid = ~np.asarray(arr.is_null().to_numpy(zero_copy_only=False), dtype=bool)
    if valid.any():
        present = arr.filter(pa.array(valid))
        flat = present.flatten().to_numpy(zero_copy_only=False).astype(np.float32, copy=False)
        out[valid] = flat.reshape(-1, dim)
    return out


@dataclass(frozen=True, eq=False)
class ChunkCorpus:
    """The searchable chunks, row-aligned: ``ids[i]``, ``doc_ids[i]``, ``titles[i]``, ``texts[i]``,
    ``embeddings[i]``.

    ``embeddings`` rows are unit vectors, or zeros for chunks stored without an embedding.
    """

    ids: tuple[str, ...]
    doc_ids: tuple[str, ...]
    titles: tuple[str, ...]
    texts: tuple[str, ...]
    embeddings: np.ndarray
    row_of: Mapping[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        n = len(self.ids)
        if not (len(self.doc_ids) == len(self.titles) == len(self.texts) == n):
            raise ValueError("ChunkCorpus columns must all have one entry per chunk")
        if self.embeddings.ndim != 2 or self.embeddings.shape[0] != n:
            raise ValueError(f"embeddings must have shape ({n}, dim), got {self.embeddings.shape}")
        if not self.row_of:
            object.__setattr__(self, "row_of", {cid: i for i, cid in enumerate(self.ids)})

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def dim(self) -> int:
        """Embedding size."""
        return int(self.embeddings.shape[1])

    @classmethod
    def from_records(
        cls,
        ids: Sequence[str],
        doc_ids: Sequence[str],
        titles: Sequence[str],
        texts: Sequence[str],
        embeddings: np.ndarray,
    ) -> ChunkCorpus:
        """Build from parallel sequences (used by tests and by :meth:`from_store`)."""
        return cls(
            ids=tuple(ids),
            doc_ids=tuple(doc_ids),
            titles=tuple(t or "" for t in titles),
            texts=tuple(t or "" for t in texts),
            embeddings=np.ascontiguousarray(embeddings, dtype=np.float32),
        )

    @classmethod
    def from_store(cls, store: KuzuGraphStore) -> ChunkCorpus:
        """Load every chunk of every committed document (one query)."""
        t = store.retrieval_chunks()
        return cls.from_records(
            t.column("id").to_pylist(),
            t.column("doc_id").to_pylist(),
            t.column("title").to_pylist(),
            t.column("text").to_pylist(),
            fixed_list_to_matrix(t.column("embedding"), store.embedding_dim),
        )

    def hit(
        self,
        row: int,
        score: float,
        retriever: str,
        *,
        entities: tuple[str, ...] = (),
        relations: tuple[tuple[str, str, str], ...] = (),
    ) -> Hit:
        """The :class:`Hit` for chunk ``row``."""
        return Hit(
            chunk_id=self.ids[row],
            doc_id=self.doc_ids[row],
            score=float(score),
            retriever=retriever,
            title=self.titles[row],
            text=self.texts[row],
            entities=entities,
            relations=relations,
        )


def top_rows(scores: np.ndarray, k: int, *, min_score: float | None = None) -> list[int]:
    """Indices of the ``k`` largest ``scores``, best first (ties by row number), optionally only those above
    ``min_score``."""
    n = scores.shape[0]
    if k <= 0 or n == 0:
        return []
    k = min(k, n)
    part = np.argpartition(-scores, k - 1)[:k] if k < n else np.arange(n)
    order = part[np.lexsort((part, -scores[part]))]
    rows = [int(i) for i in order]
    if min_score is not None:
        rows = [i for i in rows if scores[i] > min_score]
    return rows

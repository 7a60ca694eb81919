"""A memo in front of an embedder for short names: entity resolution and entity embeddings share one
computation.

Names repeat across documents ("United States", dates), and the resolver's similarity pass asks for a few
names per document at a time. :class:`CachedEmbedder` remembers every vector it made (up to ``max_entries``)
and embeds the misses of each call in one batch, so the pipeline can :meth:`~CachedEmbedder.prefetch` a whole
batch's names in one large, efficient call and the per-document calls that follow are answered from memory.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from graphrag.embed.embedder import Embedder


class CachedEmbedder:
    """An :class:`Embedder` that remembers vectors by text.

    Args:
        inner: the embedder doing the work.
        max_entries: the memo is cleared when it would grow past this many texts (bounded memory).
    """

    def __init__(self, inner: Embedder, *, max_entries: int = 200_000) -> None:
        self.inner = inner
        self.max_entries = max_entries
        self._memo: dict[str, np.ndarray] = {}
        self.calls = 0
        self.embedded = 0

    @property
    def name(self) -> str:  # type: ignore[override]
        """The inner embedder's name."""
        return self.inner.name

    @property
    def dim(self) -> int:  # type: ignore[override]
        """The inner embedder's dimension."""
        return self.inner.dim

    def prefetch(self, texts: Sequence[str]) -> int:
        """Embed the texts not yet remembered, in one call; returns how many were embedded."""
        todo = list(dict.fromkeys(t for t in texts if t not in self._memo))
        if not todo:
            return 0
        if len(self._memo) + len(todo) > self.max_entries:
            self._memo.clear()  # everything asked for now must stay, so embed all of it afresh
            todo = list(dict.fromkeys(texts))
        vecs = self.inner.embed(todo)
        self.calls += 1
        self.embedded += len(todo)
        for t, v in zip(todo, vecs, strict=True):
            self._memo[t] = v
        return len(todo)

    def remember(self, vectors: Mapping[str, np.ndarray]) -> None:
        """Keep vectors computed elsewhere (by the same model: a cluster's workers) as if embedded here."""
        if len(self._memo) + len(vectors) > self.max_entries:
            self._memo.clear()
        self._memo.update(vectors)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors of ``texts`` (remembered ones are not recomputed)."""
        if len(texts) == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        self.prefetch(texts)
        return np.stack([self._memo[t] for t in texts]).astype(np.float32, copy=False)


__all__ = ["CachedEmbedder"]

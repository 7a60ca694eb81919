"""The question side of retrieval: checking a question before anything heavy runs, and embedding questions
once for every retriever that needs them.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from graphrag.errors import InputError

if TYPE_CHECKING:
    from graphrag.embed import Embedder


def check_question(question: str, *, max_chars: int) -> str:
    """The question stripped of outer whitespace; an :class:`InputError` if it is empty or longer than
    ``max_chars``."""
    if not isinstance(question, str):
        raise InputError(f"a question must be text, got {type(question).__name__}")
    q = question.strip()
    if not q:
        raise InputError(
            'the question is empty; ask something, e.g. graphrag ask "Who directed Gaby: A True Story?"'
        )
    if len(q) > max_chars:
        raise InputError(
            f"the question is {len(q):,} characters long; the limit is {max_chars:,} "
            "(ask a shorter question, or raise max_question_chars in the [retrieve] config)"
        )
    return q


class QueryEncoder:
    """Embeds questions, remembering the last few so the dense retriever and the entity linker share one
    encoding.

    Args:
        embedder: the same embedder the chunks were embedded with.
        cache_size: how many recent questions to remember.
    """

    def __init__(self, embedder: Embedder, *, cache_size: int = 32) -> None:
        self.embedder = embedder
        self.cache_size = cache_size
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()

    @property
    def dim(self) -> int:
        """Embedding size."""
        return int(self.embedder.dim)

    def encode(self, text: str) -> np.ndarray:
        """The unit embedding of ``text``, shape ``(dim,)``."""
        vec = self._cache.get(text)
        if vec is None:
            vec = np.asarray(self.embedder.embed([text])[0], dtype=np.float32)
            self._cache[text] = vec
            if len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(text)
        return vec

    def encode_many(self, texts: Sequence[str]) -> np.ndarray:
        """Unit embeddings of ``texts``, shape ``(len(texts), dim)``; uncached ones are embedded in one
        batch."""
        missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        for t in texts:  # the requested texts become the newest, so evicting below never drops one of them
            if t in self._cache:
                self._cache.move_to_end(t)
        if missing:
            vecs = np.asarray(self.embedder.embed(missing), dtype=np.float32)
            for t, v in zip(missing, vecs, strict=True):
                self._cache[t] = v
            while len(self._cache) > max(self.cache_size, len(texts)):
                self._cache.popitem(last=False)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._cache[t] for t in texts])

    def missing(self, texts: Sequence[str]) -> list[str]:
        """The distinct ``texts`` not remembered, in order (what :meth:`encode_many` would embed)."""
        return [t for t in dict.fromkeys(texts) if t not in self._cache]

    def remember(self, texts: Sequence[str], vectors: np.ndarray) -> None:
        """Remember ``vectors`` (one row per text, from the same embedder) for the texts not remembered yet, as
        if :meth:`encode_many` had embedded them; a text already remembered keeps its vector."""
        if len(texts) != len(vectors):
            raise ValueError(f"{len(texts)} texts but {len(vectors)} vectors")
        for t, v in zip(texts, vectors, strict=True):
            if t not in self._cache:
                self._cache[t] = np.asarray(v, dtype=np.float32)
        while len(self._cache) > max(self.cache_size, len(texts)):
            self._cache.popitem(last=False)

    def clear(self) -> None:
        """Forget remembered questions (benchmarks clear it so each system pays for its own encoding)."""
        self._cache.clear()


__all__ = ["QueryEncoder", "check_question"]

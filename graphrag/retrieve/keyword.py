"""Keyword retrieval: BM25 over chunk titles and texts.

Two interchangeable backends:

* :class:`BM25Retriever` -- the ``bm25s`` library over an in-memory sparse index built once from the corpus
  (title + text of every chunk); the default, see ``BENCHMARKS.md`` for the measured comparison;
* :class:`KuzuFTSRetriever` -- Kuzu's full-text index (``CREATE_FTS_INDEX`` / ``QUERY_FTS_INDEX``, English
  stemmer) over chunk text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from graphrag.retrieve.corpus import ChunkCorpus, top_rows
from graphrag.retrieve.text import tokenize
from graphrag.types import Hit

if TYPE_CHECKING:
    from graphrag.store import KuzuGraphStore


class BM25Retriever:
    """BM25 (``bm25s``, Lucene variant, k1=1.2, b=0.75) over each chunk's document title and text.

    Args:
        corpus: the chunks to index (indexed once, here).
        k1: term-frequency saturation.
        b: length normalisation.
        with_titles: index the document title with each chunk's text.
        name: the name hits carry as their ``retriever``.
    """

    def __init__(
        self,
        corpus: ChunkCorpus,
        *,
        k1: float = 1.2,
        b: float = 0.75,
        with_titles: bool = True,
        name: str = "bm25",
    ) -> None:
        import bm25s

        self.corpus = corpus
        self.name = name
        fields = zip(corpus.titles, corpus.texts, strict=True)
        # An empty document gets one placeholder token: bm25s cannot index an empty token list.
        docs = [tokenize(f"{title}\n{text}" if with_titles else text) or ["\u2205"] for title, text in fields]
        self._bm25 = bm25s.BM25(k1=k1, b=b)
        if docs:
            self._bm25.index(docs, show_progress=False)

    def retrieve(self, question: str, k: int) -> list[Hit]:
        """The ``k`` chunks with the highest BM25 score for the question's words (none if no word matches)."""
        tokens = tokenize(question)
        if not tokens or len(self.corpus) == 0:
            return []
        scores = self._bm25.get_scores(tokens)
        return [self.corpus.hit(i, scores[i], self.name) for i in top_rows(scores, k, min_score=0.0)]


class KuzuFTSRetriever:
    """Kuzu's full-text index over chunk text (built by :meth:`KuzuGraphStore.ensure_chunk_fts_index`).

    Args:
        store: an open store whose chunk full-text index exists.
        corpus: maps chunk ids back to corpus rows.
        name: the name hits carry as their ``retriever``.
    """

    def __init__(self, store: KuzuGraphStore, corpus: ChunkCorpus, *, name: str = "fts-kuzu") -> None:
        self.store = store
        self.corpus = corpus
        self.name = name

    def retrieve(self, question: str, k: int) -> list[Hit]:
        """The ``k`` best chunks by Kuzu's BM25 scoring of the question's words."""
        words = " ".join(tokenize(question))
        if not words or k <= 0:
            return []
        hits = []
        for cid, score in self.store.query_chunk_fts_index(words, k):
            row = self.corpus.row_of.get(cid)
            if row is not None:
                hits.append(self.corpus.hit(row, score, self.name))
        return hits

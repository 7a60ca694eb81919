"""Question-aware steering of the graph walk by the sentence that links one passage to another.

In "Where was the director of film Our Emden born?", the passage *Our Emden* names several other passages; the
one the question needs is named in the sentence "... directed by Louis Ralph ...". For each seed passage,
:class:`LinkContextWeigher` splits it into sentences, finds the passage titles each sentence names
(:class:`~graphrag.retrieve.question_linking.TitleMatcher`), embeds those sentences, and weights every named passage by
``exp(beta * cosine(question, sentence))``. The walk then steps towards heavily weighted nodes (see
``EntityChunkGraph.personalised_pagerank(node_weights=...)``).

This mixes the dense encoder into graph retrieval, so the benchmark's "graph alone" row runs without it and
the hybrid's graph component runs with it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from graphrag.retrieve.corpus import ChunkCorpus
from graphrag.retrieve.question_linking import TitleMatcher
from graphrag.retrieve.text import WORD

if TYPE_CHECKING:
    from graphrag.retrieve.questions import QueryEncoder

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text`` (split after ``.``, ``!`` or ``?`` before a capital, digit, quote or bracket)."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


class LinkContextWeigher:
    """Weights the passages that seed passages name by how well the naming sentence matches the question.

    Args:
        corpus: the chunks.
        encoder: embeds the question and the linking sentences (cached across calls).
        matcher: finds titles in sentences (built from the corpus when not given).
        beta: sharpness; a weight is ``exp(beta * cosine)``, so ``beta = 0`` changes nothing.
        max_sentences: at most this many linking sentences (or windows) are embedded per question.
        window_words: if positive, embed only the named title and the ``window_words`` words before it
            ("... was directed by Louis Ralph") instead of the whole sentence: the relation cue usually
            precedes the name, and shorter texts embed faster.
    """

    def __init__(
        self,
        corpus: ChunkCorpus,
        encoder: QueryEncoder,
        *,
        matcher: TitleMatcher | None = None,
        beta: float = 3.0,
        max_sentences: int = 6,
        window_words: int = 0,
    ) -> None:
        if beta < 0:
            raise ValueError(f"beta must be >= 0, got {beta}")
        self.corpus = corpus
        self.encoder = encoder
        self.matcher = matcher or TitleMatcher(corpus.titles)
        self.beta = beta
        self.max_sentences = max_sentences
        self.window_words = window_words
        # a passage's linking sentences, found once: a question asks for its seeds' three times (the texts to
        # embed up front, the graph retriever's batch, the weights), and the hub passages of many questions
        # recur; at most one entry per passage of the corpus
        self._of_row: dict[int, tuple[tuple[str, frozenset[int]], ...]] = {}

    def linking_sentences(self, rows: Sequence[int]) -> list[tuple[str, set[int]]]:
        """``(sentence, rows of the other documents' chunks it names)`` for the sentences of chunks
        ``rows`` (at most ``max_sentences``, in order)."""
        out: list[tuple[str, set[int]]] = []
        for row in rows:
            found = self._of_row.get(row)
            if found is None:
                found = self._of_row[row] = tuple(self._row_sentences(row))
            out += [(text, set(named)) for text, named in found[: self.max_sentences - len(out)]]
            if len(out) >= self.max_sentences:
                break
        return out

    def _row_sentences(self, row: int) -> list[tuple[str, frozenset[int]]]:
        """Every linking sentence (or window) of chunk ``row``, in order, up to ``max_sentences``."""
        out: list[tuple[str, frozenset[int]]] = []
        doc = self.corpus.doc_ids[row]
        for sentence in split_sentences(self.corpus.texts[row]):
            if self.window_words > 0:
                words = WORD.findall(sentence)
                for i, j, rows in self.matcher.find_spans(words):
                    named = frozenset(r for r in rows if self.corpus.doc_ids[r] != doc)
                    if named:
                        out.append((" ".join(words[max(0, i - self.window_words) : j]), named))
            else:
                named = frozenset(r for r in self.matcher.find(sentence) if self.corpus.doc_ids[r] != doc)
                if named:
                    out.append((sentence, named))
            if len(out) >= self.max_sentences:
                return out[: self.max_sentences]
        return out

    def pending_texts(self, seed_rows: Sequence[int]) -> list[str]:
        """The sentences :meth:`weights` will embed for these seeds (to embed them in one batch up front)."""
        if self.beta == 0:
            return []
        return [s for s, _ in self.linking_sentences(seed_rows)]

    def weights(self, question: str, seed_rows: Sequence[int]) -> dict[int, float]:
        """``chunk row -> weight > 1`` for passages named by the seed passages (the best sentence counts)."""
        if self.beta == 0 or not seed_rows:
            return {}
        pairs = self.linking_sentences(seed_rows)
        if not pairs:
            return {}
        q = self.encoder.encode(question)
        vecs = self.encoder.encode_many([s for s, _ in pairs])
        sims = vecs @ q
        out: dict[int, float] = {}
        for sim, (_, named) in zip(sims, pairs, strict=True):
            w = float(np.exp(self.beta * max(float(sim), 0.0)))
            for r in named:
                out[r] = max(out.get(r, 1.0), w)
        return out

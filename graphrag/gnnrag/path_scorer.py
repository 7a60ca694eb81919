"""A zero-shot scorer that follows relations: relation paths from the topic entities, scored by how well their
predicates line up with the words of the question.

No training and nothing dataset-specific: the predicate names come from the KG. For a question subgraph,

1. relation paths (sequences of ``(predicate, direction)``) up to ``max_hops`` long are enumerated from the
   topic entities, each with the set of nodes it reaches; a beam keeps the ``beam`` best paths of each length
   for the next step, so a text graph with thousands of predicates stays cheap;
2. a path is scored by aligning its steps to distinct content words of the question (each predicate text and
   each word embedded by the question's sentence encoder): the mean similarity of the best one-to-one
   alignment, less ``uncovered_weight`` times how much better the subgraph's other predicates explain the words
   the path leaves unexplained (a question that names two relations wants a path through both), less
   ``length_penalty`` per hop after the first (a longer path must earn its extra hops);
3. each path spreads ``exp((score - best) / tau)`` to the nodes it ends at, and a node's answer score is the sum
   over the paths that reach it, normalised into a distribution.

The retriever then takes candidates and shortest paths exactly as for the trained GNN. Topic entities are never
candidates (nothing tells a zero-shot scorer that a question may answer with its own entity). Settings were
chosen on 300 questions per hop count of MetaQA's dev files (BENCHMARKS.md).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from graphrag.embed.embedder import Embedder
from graphrag.gnnrag.data import predicate_text
from graphrag.gnnrag.subgraph import Subgraph

_QUESTION_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "from",
        "by",
        "with",
        "and",
        "or",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "do",
        "does",
        "did",
        "has",
        "have",
        "had",
        "what",
        "which",
        "who",
        "whom",
        "whose",
        "when",
        "where",
        "why",
        "how",
        "that",
        "this",
        "these",
        "those",
        "it",
        "its",
        "their",
        "his",
        "her",
        "they",
        "them",
        "he",
        "she",
        "as",
        "about",
        "into",
        "also",
        "me",
        "my",
        "i",
        "you",
        "your",
        "there",
        "any",
        "some",
        "all",
        "can",
        "could",
        "would",
        "should",
        "will",
    ]
)


def question_words(text: str) -> list[str]:
    """The content words of a question, lowercased, in order, without repeats."""
    words = "".join(ch if ch.isalnum() else " " for ch in text.lower()).split()
    return list(dict.fromkeys(w for w in words if w not in _QUESTION_STOPWORDS and not w.isdigit()))


#: One step of a relation path: ``2 * predicate`` for the KG's direction, ``2 * predicate + 1`` against it.
Step = int


@dataclass(frozen=True)
class PathScorerConfig:
    """Settings of :class:`RelationPathScorer`.

    Args:
        max_hops: longest relation path.
        beam: paths of each length kept for extension (the best by score).
        uncovered_weight: weight of the question words a path leaves unexplained.
        length_penalty: subtracted from a path's score per hop after the first.
        tau: temperature of the path weights (lower: the best path takes more of the mass).
        cache_size: word and predicate texts whose embeddings are remembered.
    """

    max_hops: int = 3
    beam: int = 32
    uncovered_weight: float = 0.3
    length_penalty: float = 0.005
    tau: float = 0.05
    cache_size: int = 50_000

    def __post_init__(self) -> None:
        if self.max_hops < 1 or self.beam < 1:
            raise ValueError("max_hops and beam must be at least 1")
        if self.tau <= 0:
            raise ValueError(f"tau must be positive, got {self.tau}")
        if self.uncovered_weight < 0 or self.length_penalty < 0:
            raise ValueError("uncovered_weight and length_penalty must not be negative")


@dataclass(frozen=True)
class ScoredPath:
    """A relation path, its score and the subgraph nodes (local indices) it ends at."""

    steps: tuple[Step, ...]
    text: str
    score: float
    ends: np.ndarray


class RelationPathScorer:
    """Scores subgraph nodes by the best-matching relation paths that reach them (see the module docstring).

    Args:
        predicates: the KG's predicate texts, in :attr:`KGIndex.predicates` order.
        embedder: the sentence encoder that embedded the question.
        config: path length, beam, penalties and temperature.
    """

    name = "zero-shot-paths"
    topics_can_answer = False
    needs_question_text = True

    def __init__(self, predicates: Sequence[str], embedder: Embedder, config: PathScorerConfig | None = None) -> None:
        self.config = config or PathScorerConfig()
        self.embedder = embedder
        self._step_text = [predicate_text(p) for p in predicates]
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()

    def verbalise(self, steps: Sequence[Step]) -> str:
        """A path as text: its predicates in order, ``(inverse)`` after a step against the KG's direction."""
        return " / ".join(self._step_text[s // 2] + (" (inverse)" if s % 2 else "") for s in steps)

    def embed_texts(self, texts: Sequence[str]) -> np.ndarray:
        """``(len(texts), D)`` embeddings, from the cache where possible (new texts embedded in one batch)."""
        missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if missing:
            # kept as the embedder made them (MiniLM: float32, half the memory of a full cache, ~80 MB) and
            # widened on the way out, which gives the same float64 values as widening first
            for t, v in zip(missing, self.embedder.embed(missing), strict=True):
                self._cache[t] = np.array(v)
            while len(self._cache) > self.config.cache_size:
                self._cache.popitem(last=False)
        if not texts:
            return np.zeros((0, self.embedder.dim))
        for t in texts:
            self._cache.move_to_end(t)
        return np.stack([self._cache[t] for t in texts]).astype(np.float64)

    def _aligner(self, question: str, codes: np.ndarray) -> Callable[[tuple[Step, ...]], float] | None:
        """The path score of :meth:`paths` for ``question``, over the step codes present in the subgraph."""
        words = question_words(question)
        if not words:
            return None
        sim = self.embed_texts([self._step_text[int(c) // 2] for c in codes]) @ self.embed_texts(words).T
        row = {int(c): i for i, c in enumerate(codes)}
        relevance = sim.max(axis=0)  # how well the subgraph's best predicate explains each word
        cfg, nw = self.config, len(words)
        i = np.arange(nw)

        def score(steps: tuple[Step, ...]) -> float:
            m = sim[[row[s] for s in steps]]
            k = len(steps)
            if k == 1 or k > nw or k > 3:
                best = m.max(axis=1).mean()
            elif k == 2:
                t = m[0][:, None] + m[1][None, :]
                t[i, i] = -np.inf
                best = t.max() / 2
            else:
                t = m[0][:, None, None] + m[1][None, :, None] + m[2][None, None, :]
                t[i, i, :] = t[i, :, i] = t[:, i, i] = -np.inf
                best = t.max() / 3
            uncovered = np.maximum(relevance - m.max(axis=0), 0.0).sum()
            return float(best - cfg.uncovered_weight * uncovered - cfg.length_penalty * (k - 1))

        return score

    def paths(self, sub: Subgraph, question: str) -> list[ScoredPath]:
        """Every relation path the beam kept, scored, in order of enumeration."""
        n = sub.num_nodes
        if n == 0 or len(sub.seeds) == 0 or sub.num_edges == 0:
            return []
        # Both directions of every edge: entry k runs a[k] -> b[k] with step code code[k].
        a = np.concatenate([sub.src, sub.dst]).astype(np.int64)
        b = np.concatenate([sub.dst, sub.src]).astype(np.int64)
        code = np.concatenate([2 * sub.pred, 2 * sub.pred + 1]).astype(np.int64)
        order = np.argsort(a, kind="stable")
        a, b, code = a[order], b[order], code[order]
        ptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(a, minlength=n), out=ptr[1:])
        score = self._aligner(question, np.unique(code))
        if score is None:
            return []
        frontier: list[tuple[tuple[Step, ...], np.ndarray]] = [((), np.unique(sub.seeds))]
        out: list[ScoredPath] = []
        for _ in range(self.config.max_hops):
            grown: list[tuple[tuple[Step, ...], np.ndarray]] = []
            for steps, nodes in frontier:
                starts, counts = ptr[nodes], ptr[nodes + 1] - ptr[nodes]
                total = int(counts.sum())
                if total == 0:
                    continue
                k = np.repeat(starts, counts) + (np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts))
                by = np.argsort(code[k], kind="stable")
                c, to = code[k][by], b[k][by]
                cuts = np.flatnonzero(np.diff(c)) + 1
                for seg_c, seg_to in zip(np.split(c, cuts), np.split(to, cuts), strict=True):
                    grown.append(((*steps, int(seg_c[0])), np.unique(seg_to)))
            if not grown:
                break
            scores = np.array([score(s) for s, _ in grown])
            out += [
                ScoredPath(s, self.verbalise(s), float(v), ends) for (s, ends), v in zip(grown, scores, strict=True)
            ]
            frontier = [grown[j] for j in np.argsort(-scores, kind="stable")[: self.config.beam]]
        return out

    def score(self, sub: Subgraph, question_emb: np.ndarray, question: str = "") -> np.ndarray:
        """Answer probability of each node (topic entities get none). Only ``question`` (the text, topic
        mentions masked) is used; ``question_emb`` is accepted for the :class:`NodeScorer` shape."""
        probs = np.zeros(sub.num_nodes)
        found = self.paths(sub, question)
        if not found:
            return probs
        best = max(p.score for p in found)
        for p in found:
            probs[p.ends] += np.exp((p.score - best) / self.config.tau)
        probs[np.unique(sub.seeds)] = 0.0
        total = probs.sum()
        return probs / total if total > 0 else probs


__all__ = ["PathScorerConfig", "RelationPathScorer", "ScoredPath", "question_words"]

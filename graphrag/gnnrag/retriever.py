"""The GNN-RAG retriever: question -> topic entities -> subgraph -> node scores -> candidates and paths.

After Mavromatis & Karypis, "GNN-RAG" (2024): a graph reasoner scores every node of the question's subgraph,
the nodes covering 95 % of the probability become answer candidates, and the shortest KG paths from the topic
entities to each candidate become the verbalised evidence an LLM reads. The reasoner is pluggable
(:class:`~graphrag.gnnrag.scorers.NodeScorer`): the trained :class:`~graphrag.gnnrag.scorers.GNNScorer`, or
the zero-shot :class:`~graphrag.gnnrag.zeroshot.PPRScorer` for KGs without training questions; both share the
candidate and path code. Topic entities come from :mod:`graphrag.gnnrag.topics`.

Use::

    index = KGIndex.from_store(store)  # once; the store can be closed afterwards
    retriever = GNNRAGRetriever.from_checkpoint(index, load_checkpoint("data/work/metaqa-2hop.pt"))
    candidates, paths, timings = retriever.retrieve("who directed the films starring [Tom Hanks]")
"""

from __future__ import annotations

import itertools
import time
from collections import OrderedDict
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from graphrag.gnnrag.checkpoint import GNNCheckpoint, RetrieverSettings
from graphrag.gnnrag.compare import ComparisonReasoner
from graphrag.gnnrag.data import relation_embeddings
from graphrag.gnnrag.paths import PathFinder, select_candidates, unique_paths, verbalise_paths
from graphrag.gnnrag.scorers import GNNScorer, NodeScorer
from graphrag.gnnrag.subgraph import KGIndex, Subgraph, SubgraphExtractor
from graphrag.gnnrag.topics import KGNameLinker, TopicLinker, resolve_topics
from graphrag.types import Candidate, ReasoningPath

if TYPE_CHECKING:
    from graphrag.embed.embedder import Embedder
    from graphrag.gnnrag.path_scorer import RelationPathScorer


class GraphRetrieval(NamedTuple):
    """What :meth:`GNNRAGRetriever.retrieve` returns: unpack as ``candidates, paths, timings = ...``.

    ``timings_s`` has ``embed``, ``link``, ``subgraph``, ``gnn``, ``paths`` and ``total`` seconds.
    """

    candidates: tuple[Candidate, ...]
    paths: tuple[ReasoningPath, ...]
    timings_s: dict[str, float]


class GraphTrace(NamedTuple):
    """What :meth:`GNNRAGRetriever.trace` returns: the retrieval, the topic entities' ids, and per candidate
    (by entity id) the KG edges ``(head id, predicate, tail id)`` and the entity ids on its reasoning paths."""

    retrieval: GraphRetrieval
    topic_ids: tuple[str, ...]
    path_edges: dict[str, tuple[tuple[str, str, str], ...]]
    path_entities: dict[str, tuple[str, ...]]


def comparison_reasoner(
    index: KGIndex, extractor: SubgraphExtractor, embedder: Embedder, *, paths: RelationPathScorer | None = None
) -> ComparisonReasoner:
    """The :class:`ComparisonReasoner` over ``index`` that reads question words with ``embedder`` (through
    ``paths`` when the retriever already has a relation-path scorer, so both share its embedding cache); it
    looks at most two hops from each topic ("the director's birth date"), whatever the reasoner's radius."""
    import dataclasses

    from graphrag.gnnrag.path_scorer import RelationPathScorer

    config = dataclasses.replace(extractor.config, max_hops=min(2, extractor.config.max_hops))
    scorer = paths if paths is not None else RelationPathScorer(index.predicates, embedder)
    return ComparisonReasoner(index, SubgraphExtractor(index, config), scorer)


class GNNRAGRetriever:
    """Answer candidates and reasoning paths for a question (see the module docstring).

    Args:
        index: the KG in memory.
        extractor: cuts question subgraphs.
        embedder: embeds questions (the one the scorer was trained with).
        scorer: scores subgraph nodes (:class:`GNNScorer` or a zero-shot scorer).
        settings: candidate threshold, caps and question masking.
        linker: finds topic entities of questions without ``[brackets]``; default :class:`KGNameLinker`.
        comparer: answers comparison questions over literal values ("who was born first, A or B?"); its winner
            becomes the top candidate, with the paths to the compared values (``None``: not used).
    """

    def __init__(
        self,
        index: KGIndex,
        extractor: SubgraphExtractor,
        embedder: Embedder,
        scorer: NodeScorer,
        settings: RetrieverSettings | None = None,
        *,
        linker: TopicLinker | None = None,
        comparer: ComparisonReasoner | None = None,
    ) -> None:
        self.index = index
        self.comparer = comparer
        self.extractor = extractor
        self.embedder = embedder
        self.scorer = scorer
        self.settings = settings or RetrieverSettings()
        self.linker = linker or KGNameLinker(index)
        self._embed_cache: OrderedDict[str, np.ndarray] = OrderedDict()

    @classmethod
    def from_checkpoint(
        cls,
        index: KGIndex,
        ckpt: GNNCheckpoint,
        *,
        embedder: Embedder | None = None,
        linker: TopicLinker | None = None,
    ) -> GNNRAGRetriever:
        """Build the retriever a checkpoint describes over ``index`` (e.g. ``KGIndex.from_store(store)``)."""
        from graphrag.embed import make_embedder

        emb = embedder or make_embedder(ckpt.retriever.embedder)
        scorer = GNNScorer(ckpt.build_model(), relation_embeddings(index.predicates, emb))
        extractor = SubgraphExtractor(index, ckpt.subgraph)
        comparer = comparison_reasoner(index, extractor, emb) if ckpt.retriever.compare else None
        return cls(index, extractor, emb, scorer, ckpt.retriever, linker=linker, comparer=comparer)

    # -- topic entities --------------------------------------------------------------------------------------
    def topic_nodes(self, question: str) -> tuple[list[int], str]:
        """KG node indices of the question's topic entities, and the question text to embed (see
        :func:`resolve_topics`)."""
        return resolve_topics(self.index, question, mask=self.settings.question_mask, linker=self.linker)

    def embed_question(self, text: str) -> np.ndarray:
        """The embedding of ``text`` (as rewritten by :meth:`topic_nodes`), from the LRU cache when there."""
        size = self.settings.embed_cache_size
        if size and text in self._embed_cache:
            self._embed_cache.move_to_end(text)
            return self._embed_cache[text]
        vec = self.embedder.embed([text])[0]
        if size:
            self._embed_cache[text] = vec
            if len(self._embed_cache) > size:
                self._embed_cache.popitem(last=False)
        return vec

    def clear_cache(self) -> None:
        """Forget cached question embeddings (e.g. to time a cold question)."""
        self._embed_cache.clear()

    # -- retrieval -------------------------------------------------------------------------------------------
    def retrieve(self, question: str, *, question_emb: np.ndarray | None = None) -> GraphRetrieval:
        """Candidates (best first, each with its paths), all paths deduplicated, and seconds per stage.

        ``question_emb`` skips the embedder (for evaluation with embeddings computed in one batch); it must be
        the embedding of the question as :meth:`topic_nodes` rewrites it.
        """
        t0 = time.perf_counter()
        topics, text = self.topic_nodes(question)
        t1 = time.perf_counter()
        return self.retrieve_topics(text, topics, question_emb=question_emb, link_s=t1 - t0)

    def retrieve_topics(
        self,
        question: str,
        topics: Sequence[int],
        *,
        question_emb: np.ndarray | None = None,
        link_s: float = 0.0,
    ) -> GraphRetrieval:
        """Like :meth:`retrieve` with the topic entities (KG node indices) already known."""
        return self._run(question, topics, question_emb=question_emb, link_s=link_s)[0]

    def trace(self, question: str) -> GraphTrace:
        """Like :meth:`retrieve`, plus the KG ids behind the answer: the topic entities and, per candidate, the
        entities and KG edges on its reasoning paths (so a caller can find the passages that state them)."""
        t0 = time.perf_counter()
        topics, text = self.topic_nodes(question)
        got, sub, chosen, finder = self._run(text, topics, link_s=time.perf_counter() - t0)
        topic_ids = tuple(self.index.ids[int(t)] for t in topics)
        if sub is None or finder is None:
            return GraphTrace(got, topic_ids, {}, {})
        t1 = time.perf_counter()
        ids, preds = self.index.ids, self.index.predicates
        edges: dict[str, tuple[tuple[str, str, str], ...]] = {}
        entities: dict[str, tuple[str, ...]] = {}
        for v in chosen:
            cand = ids[int(sub.nodes[v])]
            found_edges: dict[tuple[str, str, str], None] = {}
            found_nodes: dict[str, None] = {}
            for nodes, rels in finder.paths_to(int(v)):
                kg = [ids[int(sub.nodes[u])] for u in nodes]
                found_nodes.update(dict.fromkeys(kg))
                for (a, b), (p, inverse) in zip(itertools.pairwise(kg), rels, strict=True):
                    found_edges[(b, preds[p], a) if inverse else (a, preds[p], b)] = None
            edges[cand] = tuple(found_edges)
            entities[cand] = tuple(found_nodes)
        got.timings_s["paths"] += time.perf_counter() - t1
        got.timings_s["total"] = sum(v for k, v in got.timings_s.items() if k != "total")
        return GraphTrace(got, topic_ids, edges, entities)

    def _run(
        self,
        question: str,
        topics: Sequence[int],
        *,
        question_emb: np.ndarray | None = None,
        link_s: float = 0.0,
    ) -> tuple[GraphRetrieval, Subgraph | None, np.ndarray, PathFinder | None]:
        timings = {"link": link_s, "embed": 0.0, "subgraph": 0.0, "gnn": 0.0, "paths": 0.0}
        if not topics:
            timings["total"] = link_s
            return GraphRetrieval((), (), timings), None, np.zeros(0, np.int64), None
        t0 = time.perf_counter()
        q = question_emb if question_emb is not None else self.embed_question(question)
        t1 = time.perf_counter()
        sub = self.extractor.extract(topics)
        t2 = time.perf_counter()
        probs = self.scorer.score(sub, q, question)
        extra: dict[int, tuple[ReasoningPath, ...]] = {}
        if self.comparer is not None and len(sub.seeds) > 1:
            found = self.comparer.compare(question, [int(sub.nodes[v]) for v in sub.seeds])
            winner = int(sub.local([found.winner])[0]) if found is not None else -1
            if found is not None and winner >= 0:  # the winner takes half the mass; the rest keep their order
                probs = probs.copy()
                probs[winner] = 0.0
                probs[winner] = max(float(probs.sum()), 1.0)
                probs /= probs.sum()
                extra[winner] = found.paths
        t3 = time.perf_counter()
        candidates, paths, chosen, finder = self._candidates(sub, probs, extra)
        t4 = time.perf_counter()
        timings.update(embed=t1 - t0, subgraph=t2 - t1, gnn=t3 - t2, paths=t4 - t3)
        timings["total"] = sum(timings.values())
        return GraphRetrieval(candidates, paths, timings), sub, chosen, finder

    def topics_excluded(self, n_topics: int) -> bool:
        """Whether a question with ``n_topics`` topic entities gets none of them as candidates: always for a
        scorer that cannot tell (zero-shot), else as :attr:`RetrieverSettings.topic_answers` says."""
        mode = self.settings.topic_answers
        if not self.scorer.topics_can_answer or mode == "never":
            return True
        return mode == "choice" and n_topics < 2

    def candidates(self, sub: Subgraph, probs: np.ndarray) -> tuple[tuple[Candidate, ...], tuple[ReasoningPath, ...]]:
        """Candidates above the cumulative-probability threshold, with their verbalised shortest paths."""
        cands, paths, _, _ = self._candidates(sub, probs)
        return cands, paths

    def _candidates(
        self, sub: Subgraph, probs: np.ndarray, extra: dict[int, tuple[ReasoningPath, ...]] | None = None
    ) -> tuple[tuple[Candidate, ...], tuple[ReasoningPath, ...], np.ndarray, PathFinder | None]:
        """``extra``: paths (by local node) to show before a node's shortest paths; such a node may be a topic."""
        s = self.settings
        extra = extra or {}
        exclude = sub.seeds if self.topics_excluded(len(sub.seeds)) else np.zeros(0, np.int64)
        exclude = np.asarray([v for v in exclude if int(v) not in extra], dtype=np.int64)
        chosen = select_candidates(
            probs, threshold=s.candidate_threshold, max_candidates=s.max_candidates, exclude=exclude
        )
        kg_names, kg_nodes = self.index.names, sub.nodes

        def name_of(v: int) -> str:
            return kg_names[int(kg_nodes[v])]

        per = {}
        finder = None
        if s.max_paths > 0 and len(chosen):
            finder = PathFinder(sub, max_paths=s.max_paths)
            per = verbalise_paths(finder, chosen, name_of, self.index.predicates)
        for v, shown in extra.items():
            per[v] = tuple(dict.fromkeys((*shown, *per.get(v, ()))))
        cands = tuple(
            Candidate(
                entity_id=self.index.ids[int(sub.nodes[v])],
                name=name_of(int(v)),
                score=float(probs[v]),
                paths=per.get(int(v), ()),
            )
            for v in chosen
        )
        return cands, unique_paths(per), chosen, finder


__all__ = ["GNNRAGRetriever", "GraphRetrieval", "GraphTrace", "comparison_reasoner"]

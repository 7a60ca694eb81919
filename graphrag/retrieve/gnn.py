"""The GNN-RAG retriever: question -> topic entities -> subgraph -> node scores -> candidates and paths.

After Mavromatis & Karypis, "GNN-RAG" (2024): a graph reasoner scores every node of the question's subgraph,
the nodes covering 95 % of the probability become answer candidates, and the shortest KG paths from the topic
entities to each candidate become the verbalised evidence an LLM reads. The reasoner is pluggable
(:class:`NodeScorer`): the trained :class:`GNNScorer`, or the zero-shot
:class:`~graphrag.retrieve.zeroshot.PPRScorer` for KGs without training questions; both share the candidate
and path code.

Use::

    index = KGIndex.from_store(store)  # once; the store can be closed afterwards
    retriever = GNNRAGRetriever.from_checkpoint(index, load_checkpoint("data/work/metaqa-2hop.pt"))
    candidates, paths, timings = retriever.retrieve("who directed the films starring [Tom Hanks]")
"""

from __future__ import annotations

import itertools
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NamedTuple, Protocol

import numpy as np
import torch

from graphrag.eval.metaqa import BRACKETED, mask_topics
from graphrag.gnn.checkpoint import GNNCheckpoint, RetrieverSettings
from graphrag.gnn.data import relation_embeddings, subgraph_to_data
from graphrag.gnn.model import GNNReasoner
from graphrag.ids import entity_id
from graphrag.retrieve.reasoning_paths import PathFinder, select_candidates, unique_paths, verbalise_paths
from graphrag.retrieve.subgraph import KGIndex, Subgraph, SubgraphExtractor
from graphrag.types import Candidate, ReasoningPath

if TYPE_CHECKING:
    from graphrag.embed.base import Embedder

#: ``question -> [(surface text, entity id), ...]`` for questions without ``[brackets]``.
TopicLinker = Callable[[str], Sequence[tuple[str, str]]]


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


class NodeScorer(Protocol):
    """Scores every node of a question subgraph; the probabilities sum to 1 (or are all 0)."""

    name: str
    #: whether topic entities may be candidates (a trained model learns this; a zero-shot scorer may not)
    topics_can_answer: bool

    def score(self, sub: Subgraph, question_emb: np.ndarray) -> np.ndarray:
        """``(sub.num_nodes,)`` float probabilities."""


class GNNScorer:
    """Runs a trained :class:`~graphrag.gnn.model.GNNReasoner` on one subgraph.

    Args:
        model: the trained reasoner (put in eval mode here).
        relation_emb: ``(R, D)`` predicate-text embeddings of the KG, in :attr:`KGIndex.predicates` order.
    """

    name = "gnn"
    topics_can_answer = True

    def __init__(self, model: GNNReasoner, relation_emb: torch.Tensor) -> None:
        self.model = model.eval()
        self.relation_emb = relation_emb
        self.num_predicates = relation_emb.size(0)

    @torch.inference_mode()
    def score(self, sub: Subgraph, question_emb: np.ndarray) -> np.ndarray:
        """Answer probability of each node."""
        if sub.num_nodes == 0:
            return np.zeros(0)
        data = subgraph_to_data(sub, self.num_predicates, question_emb)
        return self.model(data, self.relation_emb).probs.numpy().astype(np.float64)


class KGNameLinker:
    """Finds topic entities by name: the longest word n-grams of the question that are entity names, exactly,
    else ignoring case. Only spans with a capitalised or numeric word count, so "films" never links to a tag
    called *films*. A small default for questions without brackets; any :data:`TopicLinker` can replace it.

    Args:
        index: the in-memory KG.
        max_ngram: longest span tried, in words.
        lowercase_spans: also link spans of two or more all-lowercase words that are an entity's exact name
            (KGs with lowercase names, such as MetaQA's tags: "films described by eva mendes").
    """

    def __init__(self, index: KGIndex, *, max_ngram: int = 8, lowercase_spans: bool = False) -> None:
        self.index = index
        self.max_ngram = max_ngram
        self.lowercase_spans = lowercase_spans

    def __call__(self, question: str) -> list[tuple[str, str]]:
        """``(surface, entity id)`` pairs, longest spans first."""
        words = question.replace("?", " ").split()
        taken = [False] * len(words)
        found: list[tuple[str, str]] = []
        for size in range(min(self.max_ngram, len(words)), 0, -1):
            for case_sensitive in (True, False):
                for i in range(len(words) - size + 1):
                    if any(taken[i : i + size]):
                        continue
                    span = " ".join(words[i : i + size]).strip(".,;:!\"'")
                    marked = any(w[:1].isupper() or w[:1].isdigit() for w in span.split())
                    if not marked and not (self.lowercase_spans and case_sensitive and size > 1):
                        continue
                    if size == 1 and not case_sensitive:
                        continue  # single words only link with their exact case ("It" is not the entity "IT")
                    nodes = self.index.lookup_name(span, case_sensitive=case_sensitive)
                    if nodes:
                        taken[i : i + size] = [True] * size
                        found += [(span, self.index.ids[n]) for n in nodes]
        return found


def resolve_topics(
    index: KGIndex, question: str, *, mask: str = "it", linker: TopicLinker | None = None
) -> tuple[list[int], str]:
    """KG node indices of the question's topic entities, and the question text to embed.

    ``[Bracketed]`` names are looked up exactly, then ignoring case, then by their entity id; a question
    without brackets goes to ``linker`` (default :class:`KGNameLinker`). Topic mentions are replaced by
    ``mask`` in the returned text (``""`` keeps the names, without brackets).
    """
    bracketed = [" ".join(m.split()) for m in BRACKETED.findall(question)]
    nodes: list[int] = []
    if bracketed:
        for name in bracketed:
            found = index.lookup_name(name) or index.lookup_name(name, case_sensitive=False)
            if not found and entity_id(name) in index.id_to_index:
                found = [index.id_to_index[entity_id(name)]]
            nodes += found
        text = mask_topics(question, mask) if mask else BRACKETED.sub(lambda m: m.group(1), question)
        return list(dict.fromkeys(nodes)), text
    text = question
    for surface, eid in (linker or KGNameLinker(index))(question):
        if eid in index.id_to_index:
            nodes.append(index.id_to_index[eid])
            if mask:
                text = text.replace(surface, mask)
    return list(dict.fromkeys(nodes)), " ".join(text.split())


class GNNRAGRetriever:
    """Answer candidates and reasoning paths for a question (see the module docstring).

    Args:
        index: the KG in memory.
        extractor: cuts question subgraphs.
        embedder: embeds questions (the one the scorer was trained with).
        scorer: scores subgraph nodes (:class:`GNNScorer` or a zero-shot scorer).
        settings: candidate threshold, caps and question masking.
        linker: finds topic entities of questions without ``[brackets]``; default :class:`KGNameLinker`.
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
    ) -> None:
        self.index = index
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
        return cls(index, SubgraphExtractor(index, ckpt.subgraph), emb, scorer, ckpt.retriever, linker=linker)

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
        probs = self.scorer.score(sub, q)
        t3 = time.perf_counter()
        candidates, paths, chosen, finder = self._candidates(sub, probs)
        t4 = time.perf_counter()
        timings.update(embed=t1 - t0, subgraph=t2 - t1, gnn=t3 - t2, paths=t4 - t3)
        timings["total"] = sum(timings.values())
        return GraphRetrieval(candidates, paths, timings), sub, chosen, finder

    def candidates(
        self, sub: Subgraph, probs: np.ndarray
    ) -> tuple[tuple[Candidate, ...], tuple[ReasoningPath, ...]]:
        """Candidates above the cumulative-probability threshold, with their verbalised shortest paths."""
        cands, paths, _, _ = self._candidates(sub, probs)
        return cands, paths

    def _candidates(
        self, sub: Subgraph, probs: np.ndarray
    ) -> tuple[tuple[Candidate, ...], tuple[ReasoningPath, ...], np.ndarray, PathFinder | None]:
        s = self.settings
        exclude = () if self.scorer.topics_can_answer else sub.seeds
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


__all__ = [
    "GNNRAGRetriever",
    "GNNScorer",
    "GraphRetrieval",
    "GraphTrace",
    "KGNameLinker",
    "NodeScorer",
    "TopicLinker",
    "resolve_topics",
]

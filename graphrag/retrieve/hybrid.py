"""The hybrid retriever: named retrievers with weights, fused by reciprocal rank, optionally reranked.

The components are a plain list of ``(name, retriever, weight)``, so another graph retriever is added by
registering it (:func:`graphrag.retrieve.registry.register_retriever`) and naming it in ``[retrieve]
components``. GNN-RAG joins as one more component when the store names a trained checkpoint
(:func:`graphrag.gnnrag.hybrid_retriever` builds the hybrid with it); its answer candidates and reasoning
paths come back in :attr:`HybridResult.candidates` and :attr:`HybridResult.kg_paths`.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from graphrag.config import RetrieveConfig
from graphrag.errors import ConfigError
from graphrag.retrieve.fusion import Reranker, reciprocal_rank_fusion
from graphrag.retrieve.protocols import ExplainingRetriever, PrefetchingRetriever, ReasoningEvidence, Retriever
from graphrag.retrieve.questions import QueryEncoder, check_question
from graphrag.retrieve.registry import RetrieverFactory, make_retriever
from graphrag.retrieve.resources import RetrievalResources
from graphrag.types import Candidate, Hit, ReasoningPath


@dataclass(frozen=True)
class Component:
    """One retriever of a hybrid and its fusion weight."""

    name: str
    retriever: Retriever
    weight: float = 1.0


@dataclass(frozen=True)
class HybridResult:
    """The fused hits, each component's own hits, graph evidence (``paths``: chunk id -> reasoning path, for
    fused hits that have one; ``links``: what the question was linked to), and seconds spent per step
    (``component/stage`` keys break a component's time down).

    With a KG reasoner among the components (GNN-RAG), ``candidates`` are its answer candidates, best first,
    and ``kg_paths`` its verbalisable reasoning paths, deduplicated, best candidate first.
    """

    question: str
    hits: tuple[Hit, ...]
    per_retriever: dict[str, tuple[Hit, ...]]
    paths: dict[str, ReasoningPath] = field(default_factory=dict)
    links: tuple[Any, ...] = ()
    timings_s: dict[str, float] = field(default_factory=dict)
    candidates: tuple[Candidate, ...] = ()
    kg_paths: tuple[ReasoningPath, ...] = ()


class HybridRetriever:
    """Runs each component, fuses their lists with weighted reciprocal rank fusion, optionally reranks.

    Args:
        components: the retrievers and their weights.
        depth: hits asked of each component before fusion.
        rrf_k: reciprocal-rank offset.
        reranker: re-orders the fused list (``None``: keep the fused order).
        encoder: if given, the question is embedded once up front (timed as ``embed``) and shared.
        max_question_chars: longer questions are refused with a clear error.
        name: the name fused hits carry.
        notes: warnings from setting it up (e.g. a GNN checkpoint that could not be used), shown with answers.
    """

    def __init__(
        self,
        components: Sequence[Component],
        *,
        depth: int = 50,
        rrf_k: int = 60,
        reranker: Reranker | None = None,
        encoder: QueryEncoder | None = None,
        max_question_chars: int = 2000,
        name: str = "hybrid",
        notes: Sequence[str] = (),
    ) -> None:
        if not components:
            raise ConfigError("a hybrid retriever needs at least one component")
        names = [c.name for c in components]
        if len(set(names)) != len(names):
            raise ConfigError(f"hybrid components must have distinct names, got {names}")
        self.components = tuple(components)
        self.depth = depth
        self.rrf_k = rrf_k
        self.reranker = reranker
        self.encoder = encoder
        self.max_question_chars = max_question_chars
        self.name = name
        self.notes = tuple(notes)

    @classmethod
    def from_config(
        cls,
        resources: RetrievalResources,
        config: RetrieveConfig | None = None,
        *,
        reranker: Reranker | None = None,
        registry: Mapping[str, RetrieverFactory] | None = None,
        extra: Sequence[Component] = (),
        notes: Sequence[str] = (),
    ) -> HybridRetriever:
        """Build the components named in ``config.components`` from ``registry`` (default: the process-wide
        :data:`~graphrag.retrieve.registry.RETRIEVERS`), then append ``extra`` components (e.g. GNN-RAG) in
        order; ``notes`` are shown with answers."""
        cfg = config or resources.config
        components = [
            Component(n, make_retriever(n, resources, registry=registry), float(w)) for n, w in cfg.components.items()
        ]
        return cls(
            [*components, *extra],
            depth=cfg.depth,
            rrf_k=cfg.rrf_k,
            reranker=reranker,
            encoder=resources.encoder(),
            max_question_chars=cfg.max_question_chars,
            notes=notes,
        )

    def component(self, name: str) -> Retriever | None:
        """The retriever of the component called ``name`` (e.g. ``gnn``), or ``None``."""
        return next((c.retriever for c in self.components if c.name == name), None)

    def _texts(self, q: str) -> list[str]:
        """What :meth:`run` embeds for the checked question ``q``: the question and what components will embed."""
        texts = [q]
        for comp in self.components:
            if isinstance(comp.retriever, PrefetchingRetriever):
                texts += comp.retriever.texts_to_embed(q)
        return list(dict.fromkeys(texts))

    def unembedded_texts(self, question: str) -> list[str]:
        """The texts :meth:`run` would embed for ``question`` that the encoder has not embedded yet (none without
        an encoder). A caller answering many questions at once can embed them elsewhere, together with other
        questions' texts, and hand the vectors back with :meth:`remember_embeddings` before :meth:`run`."""
        if self.encoder is None:
            return []
        return self.encoder.missing(self._texts(check_question(question, max_chars=self.max_question_chars)))

    def remember_embeddings(self, texts: Sequence[str], vectors: Any) -> None:
        """Give the encoder the vectors of ``texts`` (made by the same embedder), so :meth:`run` does not embed
        them again."""
        if self.encoder is not None:
            self.encoder.remember(texts, vectors)

    def retrieve(self, question: str, k: int) -> list[Hit]:
        """The ``k`` best fused hits."""
        return list(self.run(question, k).hits)

    def run(self, question: str, k: int, *, explain: bool = False) -> HybridResult:
        """Fused hits plus each component's hits, per-step timings and, with ``explain``, the graph
        evidence."""
        q = check_question(question, max_chars=self.max_question_chars)
        timings: dict[str, float] = {}
        if self.encoder is not None:
            t0 = time.perf_counter()
            self.encoder.encode_many(self._texts(q))  # one model call; components hit the cache
            timings["embed"] = time.perf_counter() - t0
        per: dict[str, tuple[Hit, ...]] = {}
        path_of: dict[str, ReasoningPath] = {}
        links: dict[str, Any] = {}
        candidates: list[Candidate] = []
        kg_paths: list[ReasoningPath] = []
        stages: dict[str, float] = {}
        depth = max(self.depth, k)
        for comp in self.components:
            t0 = time.perf_counter()
            if explain and isinstance(comp.retriever, ExplainingRetriever):
                ev = comp.retriever.evidence(q, depth)
                per[comp.name] = tuple(ev.hits)
                for cid, path in ev.paths.items():
                    path_of.setdefault(cid, path)
                for link in ev.links:  # two graph components often link the same span
                    links.setdefault(str(getattr(link, "surface", link)).casefold(), link)
                if isinstance(ev, ReasoningEvidence):
                    candidates += ev.candidates
                    kg_paths += ev.kg_paths
                    stages.update({f"{comp.name}/{key}": v for key, v in ev.timings_s.items()})
            else:
                per[comp.name] = tuple(comp.retriever.retrieve(q, depth))
            timings[comp.name] = time.perf_counter() - t0
        timings.update(stages)
        t0 = time.perf_counter()
        fused = reciprocal_rank_fusion(
            per, {c.name: c.weight for c in self.components}, rrf_k=self.rrf_k, name=self.name
        )
        if self.reranker is not None:
            fused = self.reranker.rerank(q, fused)
        timings["fusion"] = time.perf_counter() - t0
        kept = tuple(fused[:k])
        kept_paths = {h.chunk_id: path_of[h.chunk_id] for h in kept if h.chunk_id in path_of}
        return HybridResult(
            q, kept, per, kept_paths, tuple(links.values()), timings, tuple(candidates), tuple(kg_paths)
        )

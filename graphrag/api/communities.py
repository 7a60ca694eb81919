"""Communities through the Python API: ``rag.communities.build()``, ``.list()``, ``.ask(question)``.

A :class:`Communities` object belongs to a :class:`~graphrag.api.GraphRAG` and shares its store access and
models; the CLI (``graphrag communities``, ``graphrag ask --mode``) and the explorer's Communities page call it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from graphrag.api.store_access import StoreAccess, StoreProxy
from graphrag.config import GraphRAGConfig

if TYPE_CHECKING:
    from graphrag.api.loaded_models import LoadedModels
    from graphrag.communities import CommunityBuildReport, LeidenSettings
    from graphrag.communities.global_search import GlobalAnswer
    from graphrag.embed import Embedder
    from graphrag.explore.graph_view import GraphView
    from graphrag.generate.llm import LLM
    from graphrag.store.community_tables import StoredCommunity


@dataclass(frozen=True)
class CommunityView:
    """A stored community with its members' ids and its parsed report."""

    community: StoredCommunity
    members: tuple[str, ...]
    report: Any  # CommunityReport


class Communities:
    """Build, list and search a store's communities (see :mod:`graphrag.communities`)."""

    def __init__(self, access: StoreAccess, models: LoadedModels, config: GraphRAGConfig) -> None:
        self._access = access
        self._models = models
        self._config = config
        self._embedder: Embedder | None = None
        self._views: tuple[int, list[CommunityView]] | None = None  # parsed, until the database changes
        self._lock = threading.Lock()

    def build(
        self,
        *,
        full: bool = False,
        settings: LeidenSettings | None = None,
        llm: LLM | str | None = None,
        llm_levels: int = 1,
        **endpoint: str,
    ) -> CommunityBuildReport:
        """Compute the community tree and its reports, incrementally unless ``full`` (or never built). With
        ``llm`` (a name or an LLM object; ``endpoint`` may set ``model``/``base_url``) the reports of the levels
        below ``llm_levels`` are written by the model (title, summary, findings citing documents)."""
        from graphrag.communities import build_communities

        writer = None
        model, _ = self._models.llm(llm, passive=False, **endpoint)
        if model is not None:
            from graphrag.generate.community_report import llm_report_writer

            writer = llm_report_writer(model)
        with self._access.write() as store:
            return build_communities(store, settings=settings, full=full, writer=writer, writer_levels=llm_levels)

    def list(self, *, level: int | None = None) -> list[CommunityView]:
        """The stored communities (at ``level`` when given), coarsest first, largest first within a level."""
        from graphrag.communities.summary import CommunityReport
        from graphrag.store.community_tables import read_communities

        generation = self._access.refresh()
        with self._lock:
            cached = self._views if self._views is not None and self._views[0] == generation else None
        if cached is None:
            with self._access.read() as store:
                stored, members = read_communities(store)
            views = [
                CommunityView(c, tuple(sorted(members.get(c.id, ()))), CommunityReport.from_json(c.report))
                for c in stored
            ]
            views.sort(key=lambda v: (v.community.level, -v.community.size, v.community.id))
            with self._lock:
                self._views = (generation, views)
            cached = self._views
        return [v for v in cached[1] if level is None or v.community.level == level]

    def membership(self, *, level: int = 0) -> dict[str, tuple[str, str]]:
        """Entity id -> ``(community id, title)`` at ``level`` (for colouring graph views by community)."""
        return {e: (v.community.id, v.community.title) for v in self.list(level=level) for e in v.members}

    def subgraph(self, community_id: str, *, max_nodes: int = 60) -> GraphView:
        """A community's members (the most central first, at most ``max_nodes``) and the relations among them,
        each node grouped by the sub-community it belongs to."""
        from graphrag.explore.graph_view import GraphEdge, GraphNode, GraphView
        from graphrag.store import queries as Q

        views = self.list()
        match = [v for v in views if v.community.id == community_id]
        if not match:
            return GraphView(nodes=(), edges=())
        view = match[0]
        sub = {e: v.community.title for v in views if v.community.parent == community_id for e in v.members}
        with self._access.read() as store:
            rows = {r["id"]: r for r in store.execute(Q.ENTITIES_BY_IDS, {"ids": list(view.members)}).to_pylist()}
            central = {n: i for i, n in enumerate(view.report.central)}
            order = sorted(rows, key=lambda e: (central.get(rows[e]["name"], len(central)), rows[e]["name"] or e))
            kept = order[:max_nodes]
            edges = store.execute(Q.ENTITY_EDGES_AMONG, {"ids": kept, "limit": max_nodes * 20}).to_pylist()
        nodes = tuple(
            GraphNode(e, rows[e]["name"] or e, sub.get(e, view.community.title), rows[e]["type"] or "") for e in kept
        )
        return GraphView(
            nodes=nodes,
            edges=tuple(GraphEdge(r["src"], r["dst"], r["predicate"] or "") for r in edges),
            truncated=len(order) > max_nodes,
        )

    def _embed(self) -> Embedder:
        """The store's query embedder behind a memo: facet labels are embedded once, not per question."""
        from graphrag.extract.name_embedding_cache import CachedEmbedder
        from graphrag.retrieve.resources import embedder_for_store

        with self._lock:
            if self._embedder is None:
                rcfg = self._config.retrieve
                inner = embedder_for_store(StoreProxy(self._access), rcfg.embedder, threads=rcfg.query_threads)
                self._embedder = CachedEmbedder(inner)  # type: ignore[assignment]
            return self._embedder  # type: ignore[return-value]

    def ask(self, question: str, *, level: int = 0, llm: LLM | str | None = None, **endpoint: str) -> GlobalAnswer:
        """Answer a question about the whole corpus from the community reports at ``level`` (map-reduce). With
        ``llm`` (a model name such as ``local``/``openai``, or an LLM object; ``endpoint`` may set ``model`` and
        ``base_url``) the model writes each step; without one (``None``, ``none``, ``extractive``) the counts in the
        reports are aggregated."""
        from graphrag.communities.global_search import RankedReport, global_search

        views = self.list()
        reports = [RankedReport(v.community.id, v.community.level, v.report) for v in views]
        model, _ = self._models.llm(llm, passive=False, **endpoint)
        if model is not None:
            from graphrag.generate.global_answer import llm_global_answer

            return llm_global_answer(question, reports, model, level=level)
        return global_search(question, reports, self._embed().embed, level=level)

    def route(self, question: str) -> str:
        """``global`` when ``question`` is about the corpus as a whole and links no entity, else ``local``."""
        from graphrag.communities.global_search import is_global_question

        if not is_global_question(question, linked_entities=0):
            return "local"
        with self._access.read():
            result = self._models.retriever().run(question, 1, explain=True)
        return "global" if is_global_question(question, linked_entities=len(result.links)) else "local"


__all__ = ["Communities", "CommunityView"]

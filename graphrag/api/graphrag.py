"""The one entry point for Python users: a :class:`GraphRAG` object owns a store path, its configuration, the
models it loads and the process settings that make questions fast, and every job is one method call.

::

    from graphrag import GraphRAG

    with GraphRAG("data/work/demo.kuzu") as rag:
        rag.ingest(["data/demo/2wiki_passages.jsonl"])
        print(rag.ask("Who directed Gaby: A True Story?", llm="none").text)

The CLI, the pipeline steps and the explorer app are thin adapters over this class. The object is read-only
unless a write method is called (:meth:`~GraphRAG.ingest`, :meth:`~GraphRAG.import_triples`,
:meth:`~GraphRAG.delete`, :meth:`~GraphRAG.write_cypher`, :meth:`~GraphRAG.train_gnn`), and it opens the
database only for the duration of each call (:class:`~graphrag.api.store_access.StoreAccess`), so another
process can write between calls. Models and in-memory indexes are loaded on first use and kept: the retriever
until the database changes, the language models and the ingest models for the object's life.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graphrag.api.communities import Communities
from graphrag.api.loaded_models import CONFIGURED, LoadedModels
from graphrag.api.scoped_access import ScopedAccess
from graphrag.api.store_access import StoreAccess
from graphrag.api.writes import WriteMethods
from graphrag.config import GraphRAGConfig
from graphrag.runtime import Runtime

if TYPE_CHECKING:
    import numpy as np

    from graphrag.access import ViewReport
    from graphrag.acl import Principal
    from graphrag.embed import Embedder
    from graphrag.explore import EntityMatch, EntityPage, GraphView
    from graphrag.extract.schema_suggest import Suggestion
    from graphrag.generate.answer import AskResult
    from graphrag.generate.llm import LLM
    from graphrag.retrieve.hybrid import HybridResult
    from graphrag.store import GraphStore, QueryResult


class GraphRAG(WriteMethods):
    """A knowledge graph in a Kuzu database and everything that works on it (the writing methods are in
    :class:`~graphrag.api.writes.WriteMethods`).

    Args:
        db: the database directory (default: ``config.store.db``); created by the first write.
        config: store, ingest, retrieval and answer settings (:class:`~graphrag.config.GraphRAGConfig`, or
            ``GraphRAGConfig.from_toml(path)``).
        llm: the language model for :meth:`ask`: a name (``local``, ``none``, ``openai``, ``ollama``), an
            object with the :class:`~graphrag.generate.llm.LLM` protocol, ``None`` for no model, or
            :data:`CONFIGURED` for ``config.answer.llm``.
        runtime: process settings applied before questions are answered (OpenMP wait policy, BLAS threads).
        opener: opens the store (``opener(path, read_only=..., **options)``); default
            :class:`~graphrag.store.KuzuGraphStore`.
        principal: who is reading (:class:`~graphrag.acl.Principal`): every read then sees only what the
            documents the principal may read support, and every write is refused
            (:class:`~graphrag.errors.AccessDenied`); ``None`` (the default) reads and writes everything.
        read_only: refuse every write (ingest, import, delete, ACL changes, write Cypher, training, community
            builds) with :class:`~graphrag.errors.AccessDenied`; implied by ``principal``.
        embedder: embeds questions for retrieval; default: the model the store's chunks were embedded with
            (:meth:`question_embedder`), loaded with the retriever. Several objects over one store may share one
            (a server's workers share a :class:`~graphrag.embed.micro_batch.MicroBatchingEmbedder`); it must
            embed as the store's own embedder does.
    """

    def __init__(
        self,
        db: str | Path | None = None,
        *,
        config: GraphRAGConfig | None = None,
        llm: LLM | str | None = CONFIGURED,
        runtime: Runtime | None = None,
        opener: Callable[..., Any] | None = None,
        principal: Principal | None = None,
        read_only: bool = False,
        embedder: Embedder | None = None,
    ) -> None:
        self.config = config or GraphRAGConfig()
        if db is not None:
            store = dataclasses.replace(self.config.store, db=str(db))
            self.config = dataclasses.replace(self.config, store=store)
        self.runtime = runtime or Runtime()
        self._default_llm = llm
        if opener is None:
            from graphrag.store import KuzuGraphStore

            opener = functools.partial(KuzuGraphStore, engine=self.config.store.engine)
        access = StoreAccess(
            Path(self.config.store.db).expanduser(), opener=opener, lock_wait_s=self.config.store.lock_wait_s
        )
        self.principal = principal
        scoped = principal is not None or read_only
        self._access: StoreAccess | ScopedAccess = ScopedAccess(access, principal) if scoped else access
        self._models = LoadedModels(self._access, self.config, embedder=embedder)
        self.communities = Communities(self._access, self._models, self.config)  # build / list / global ask

    # -- lifecycle -------------------------------------------------------------------------------------------
    @property
    def db(self) -> Path:
        """The database directory."""
        return self._access.path

    @property
    def generation(self) -> int:
        """A number that changes whenever the database changes (here or in another process)."""
        return self._access.refresh()

    def exists(self) -> bool:
        """Whether the database exists yet."""
        return self._access.exists()

    def last_changed(self) -> datetime | None:
        """When the database was last written (here or by another process), in local time; ``None`` if there is
        none yet."""
        stamp = self._access.last_changed()
        return datetime.fromtimestamp(stamp) if stamp is not None else None

    def close(self) -> None:
        """Forget loaded indexes and models (the database itself is never held open between calls)."""
        self._models.clear()

    @contextlib.contextmanager
    def reading(self) -> Iterator[GraphStore]:
        """Keep the database open read-only for a block of several calls (they share one opening; a page
        that searches, then shows an entity and its neighbourhood, opens it once). Yields the read-only store,
        for code that works on it directly (an evaluation, an extension)."""
        with self._access.read() as store:
            yield store

    @contextlib.contextmanager
    def released(self) -> Iterator[Path]:
        """The database released by this object for the duration of the block, for a job that opens it itself
        (a benchmark, a training run); yields its path."""
        with self._access.exclusive() as path:
            yield path

    def __enter__(self) -> GraphRAG:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"GraphRAG({str(self.db)!r})"

    # -- reading ---------------------------------------------------------------------------------------------
    def stats(self, *, top_predicates: int = 25) -> dict[str, Any]:
        """Node and relationship counts by table, the top predicates, entity types and pending documents."""
        with self._access.read() as store:
            return store.stats(top_predicates=top_predicates)

    def documents(self) -> list[dict[str, Any]]:
        """Every document: id, source, title, kind, chunk count and whether its write is incomplete."""
        with self._access.read() as store:
            return store.list_documents()

    def access_report(self) -> ViewReport | None:
        """For an object with a principal, what its view of the store holds and hides (documents, entities, names
        cut to visible text, communities); ``None`` when it reads everything."""
        return self._access.report() if isinstance(self._access, ScopedAccess) else None

    def meta(self) -> dict[str, str]:
        """The store's settings: embedder, embedding size, the GNN checkpoint it names."""
        with self._access.read() as store:
            return store.meta()

    def suggest_schema(self, *, top: int = 30, min_count: int = 2) -> Suggestion:
        """A schema proposed from the store's ``top`` most frequent predicates (each on ``min_count`` edges or
        more), with the entity types they mostly join and example edges, to edit and ingest with."""
        from graphrag.extract.schema_suggest import suggest_schema

        with self._access.read() as store:
            return suggest_schema(store, top=top, min_count=min_count)

    def export(self, fmt: str, out: str | Path, *, embeddings: bool | None = None) -> dict[str, Any]:
        """Write the graph (what this object may read) as ``graphml``, ``neo4j-csv``, ``jsonl`` or ``parquet`` at
        ``out``, provenance kept; see :mod:`graphrag.store.exports`. Returns counts and seconds."""
        from graphrag.store.exports import export_store

        with self._access.read() as store:
            return export_store(store, fmt, out, embeddings=embeddings)

    def cypher(self, query: str, /, **params: Any) -> QueryResult:
        """Run a read-only Cypher query with ``$parameters``; a query that would write is refused
        (:class:`~graphrag.errors.ReadOnlyViolation`) before it runs, and the database is opened read-only."""
        with self._access.read() as store:
            return store.run_user_query(query, params, load_dirs=self.config.store.load_from_dirs)

    def search_entities(self, text: str, *, limit: int = 20) -> list[EntityMatch]:
        """Entities whose name or alias matches ``text`` (exact, prefix, substring, then fuzzy)."""
        from graphrag.explore import GraphExplorer

        with self._access.read() as store:
            return GraphExplorer(store).search(text, limit=limit)

    def entity(self, entity_id: str, **options: Any) -> EntityPage | None:
        """An entity's page: relations both ways, aliases and the passages that mention it (``None`` if no
        such entity); ``options`` go to :meth:`graphrag.explore.GraphExplorer.entity`."""
        from graphrag.explore import GraphExplorer

        with self._access.read() as store:
            return GraphExplorer(store).entity(entity_id, **options)

    def neighbourhood(self, entity_id: str, *, depth: int = 1, max_nodes: int = 60) -> GraphView:
        """The entities within ``depth`` relations of an entity, as a drawable graph."""
        from graphrag.explore import GraphExplorer

        with self._access.read() as store:
            return GraphExplorer(store).neighbourhood(entity_id, depth=depth, max_nodes=max_nodes)

    # -- questions -------------------------------------------------------------------------------------------
    def question_embedder(self) -> Embedder:
        """The embedder this object's retriever embeds questions with: the one passed in, else a newly loaded
        copy of the model the store's chunks were embedded with (reads the store's meta)."""
        with self._access.read_on_demand():
            return self._models.question_embedder()

    def texts_to_embed(self, question: str) -> list[str]:
        """The texts answering ``question`` would embed that this object has not embedded yet (the question,
        names in it, sentences of the passages it names). A server embeds them for several questions at once,
        outside the object, then hands them over with :meth:`add_embeddings`; the answer is the same."""
        from graphrag.retrieve.questions import check_question

        check_question(question, max_chars=self.config.retrieve.max_question_chars)  # before anything loads
        self.runtime.before_questions()
        with self._access.read_on_demand():
            return self._models.retriever().unembedded_texts(question)

    def add_embeddings(self, texts: Sequence[str], vectors: np.ndarray) -> None:
        """Remember the vectors of ``texts`` (made by this object's :meth:`question_embedder`, or one that
        embeds as it does) for the next questions; a text already embedded keeps its vector."""
        with self._access.read_on_demand():
            self._models.retriever().remember_embeddings(texts, vectors)

    def retrieve(self, question: str, *, k: int | None = None) -> HybridResult:
        """The hybrid retriever's ``k`` best passages for ``question`` (default ``config.answer.top_k``), with
        the graph evidence (linked entities, reasoning paths) and, when the store names a trained GNN, its
        answer candidates."""
        self.runtime.before_questions()
        with self._access.read_on_demand():  # the retriever's indexes are in memory: most questions read nothing
            return self._models.retriever().run(question, k or self.config.answer.top_k, explain=True)

    def ask(
        self,
        question: str,
        *,
        llm: LLM | str | None = CONFIGURED,
        k: int | None = None,
        model: str | None = None,
        base_url: str | None = None,
    ) -> AskResult:
        """Answer ``question`` from the graph: retrieval, cited context, the model's answer (or, without one,
        the evidence stated plainly), the reasoning paths and the time of each step.

        ``llm`` overrides the object's model for this question: a name, an LLM object, or ``None``; with a
        name, ``model`` (a model name, or a ``.gguf`` path for ``local``) and ``base_url`` (a remote endpoint)
        override the configured ones. The first question loads the indexes and models (``result.load_s``
        says how long the call spent before answering); later ones open the database only when they read from
        it (the extractive reader's stored mentions, a retriever rebuilt after a write).
        """
        from graphrag.retrieve.questions import check_question

        check_question(question, max_chars=self.config.retrieve.max_question_chars)  # before anything loads
        passive = self.runtime.before_questions()
        t0 = time.perf_counter()
        with self._access.read_on_demand():  # opened only if the answer reads the store (loading, mentions)
            endpoint = {k: v for k, v in (("model", model), ("base_url", base_url)) if v is not None}
            answerer = self._models.answerer(self._default_llm if llm == CONFIGURED else llm, passive, **endpoint)
            load_s = time.perf_counter() - t0  # opening the store, and what was not loaded yet
            result = answerer.answer(question, k=k or answerer.config.top_k)
        return dataclasses.replace(result, load_s=load_s)

    # -- evaluation ------------------------------------------------------------------------------------------
    def evaluate(self, kind: str, **options: Any) -> dict[str, Any]:
        """Run an evaluation over this store and write its report: ``retrieval`` (Recall@k and latency of
        each retriever), ``kgqa`` (GNN-RAG Hits@1 and more), ``triples`` (extraction P/R/F1 on WebNLG) or
        ``kgqa-ceiling``. ``options`` are the evaluation's own (see :data:`graphrag.api.evaluations.EVALUATIONS`);
        returns its summary."""
        from graphrag.api.evaluations import get_evaluation

        return get_evaluation(kind).run(self, **options)


__all__ = ["GraphRAG"]

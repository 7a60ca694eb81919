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
from graphrag.config import GraphRAGConfig
from graphrag.runtime import Runtime

if TYPE_CHECKING:
    from graphrag.access import ViewReport
    from graphrag.acl import Principal
    from graphrag.api.extraction_setup import ExtractionOptions
    from graphrag.embed import Embedder
    from graphrag.explore import EntityMatch, EntityPage, GraphView
    from graphrag.extract.analysis_worker import ChunkAnalyzer
    from graphrag.extract.pipeline import IngestReport
    from graphrag.extract.progress import IngestProgress
    from graphrag.extract.schema_suggest import Suggestion
    from graphrag.generate.answer import AskResult
    from graphrag.generate.llm import LLM
    from graphrag.importers import ImportReport
    from graphrag.importers.kg_import import ProgressFn
    from graphrag.retrieve.hybrid import HybridResult
    from graphrag.store import GraphStore, QueryResult


class GraphRAG:
    """A knowledge graph in a Kuzu database and everything that works on it.

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
        self._models = LoadedModels(self._access, self.config)
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
    def retrieve(self, question: str, *, k: int | None = None) -> HybridResult:
        """The hybrid retriever's ``k`` best passages for ``question`` (default ``config.answer.top_k``), with
        the graph evidence (linked entities, reasoning paths) and, when the store names a trained GNN, its
        answer candidates."""
        self.runtime.before_questions()
        with self._access.read():
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
        says how long the call spent before answering).
        """
        from graphrag.retrieve.questions import check_question

        check_question(question, max_chars=self.config.retrieve.max_question_chars)  # before anything loads
        passive = self.runtime.before_questions()
        t0 = time.perf_counter()
        with self._access.read():
            endpoint = {k: v for k, v in (("model", model), ("base_url", base_url)) if v is not None}
            answerer = self._models.answerer(self._default_llm if llm == CONFIGURED else llm, passive, **endpoint)
            load_s = time.perf_counter() - t0  # opening the store, and what was not loaded yet
            result = answerer.answer(question, k=k or answerer.config.top_k)
        return dataclasses.replace(result, load_s=load_s)

    # -- writing ---------------------------------------------------------------------------------------------
    def ingest(
        self,
        paths: Sequence[str | Path],
        *,
        fast: bool | None = None,
        docs_per_batch: int | None = None,
        embedder: Embedder | str | None = None,
        analyzer: ChunkAnalyzer | None = None,
        progress: IngestProgress | None = None,
        separate_process: bool = True,
        extraction: ExtractionOptions | None = None,
        strict: bool | None = None,
        acl: str | Sequence[str] | None = None,
        mask_pii: bool | None = None,
    ) -> IngestReport:
        """Extract chunks, entities and triples from files and directories into the graph, incrementally.

        Unchanged documents are skipped, changed ones replaced. ``embedder`` defaults to the one the store
        was built with (else ``config.ingest.embed.name``); ``fast`` embeds only each chunk's first 128 word
        pieces and skips entity name embeddings. Models are loaded once per object and reused by later
        calls. ``separate_process`` runs spaCy in a worker process beside the embedding. ``extraction``: an LLM
        extractor and a schema (:class:`~graphrag.api.extraction_setup.ExtractionOptions`; default: rules only).
        Unreadable records of a corpus are skipped one by one and listed in the report's ``errors``
        (``records_skipped``); ``strict=True`` skips such a file whole instead (default: ``config.ingest.strict``).
        ``acl`` (``"g1,g2"`` or a list; default ``config.ingest.acl``, public) says who may read the documents; a
        corpus record's own ``acl`` field wins. Re-ingesting unchanged documents with another ACL updates it.
        ``mask_pii`` replaces emails, phone, card and IBAN numbers, IP addresses and person names by typed
        placeholders before anything is chunked, embedded or stored (default ``config.ingest.mask_pii``).
        """
        from graphrag.api.extraction_setup import ExtractionOptions, checked_schema, extraction_stage
        from graphrag.extract.ingest import ingest, ingest_config

        if isinstance(paths, str | Path):
            paths = [paths]
        x = extraction or ExtractionOptions()
        chosen_schema = checked_schema(x.extractor, x.schema, x.schema_mode)
        cfg = dataclasses.replace(
            ingest_config(
                self.config.ingest,
                fast=fast,
                docs_per_batch=docs_per_batch,
                strict=strict,
                acl=acl,
                mask_pii=mask_pii,
            ),
            store=self.config.store,
        )
        choice = self._default_llm if x.llm == CONFIGURED else x.llm
        with self.released() as path, extraction_stage(self._models, choice, x, chosen_schema, progress, path) as llm:
            chosen = embedder if embedder is not None else self._models.ingest_embedder(cfg, separate_process)
            if analyzer is None and not separate_process:
                analyzer = self._models.inline_analyzer(cfg)
            return ingest(
                list(paths),
                db=path,
                config=cfg,
                embedder=chosen,
                analyzer=analyzer,
                progress=progress,
                separate_process=separate_process,
                llm_extractor=llm,
                schema=chosen_schema,
                schema_mode=x.schema_mode,
            )

    def import_triples(
        self,
        path: str | Path,
        *,
        format: str,  # noqa: A002 - the name users know from --format
        delimiter: str | None = None,
        skip_bad: bool = False,
        embed: bool = False,
        embedder: Embedder | str = "minilm",
        progress: ProgressFn | None = None,
        acl: str | Sequence[str] | None = None,
    ) -> ImportReport:
        """Load a knowledge-graph triple file (``metaqa``, ``tsv`` or ``csv``; plain or gzip) into the graph with
        ``file:line`` provenance. An unchanged file is skipped; a changed one replaces its old triples. A file
        with malformed lines is refused whole unless ``skip_bad``; ``embed`` embeds new entities' names. ``acl``
        says who may read its triples (default: public; an unchanged file imported with another ACL gets it)."""
        from graphrag.acl import normalise_acl
        from graphrag.importers import TripleImporter
        from graphrag.importers.triple_files import get_format

        get_format(format)  # an unknown format fails before anything is opened
        emb = None
        if embed:
            from graphrag.embed import make_embedder

            emb = make_embedder(embedder) if isinstance(embedder, str) else embedder
        dim = emb.dim if emb is not None else self._access.embedding_dim(self.config.store.embedding_dim)
        with self._access.write(embedding_dim=dim, buffer_pool_mb=self.config.store.buffer_pool_mb) as store:
            importer = TripleImporter(store, embedder=emb, progress=progress)
            access = None if acl is None else normalise_acl(acl)
            return importer.import_file(path, fmt=format, delimiter=delimiter, skip_bad=skip_bad, acl=access)

    def delete(self, target: str | Path) -> dict[str, int]:
        """Remove a document (by id) or every document of a file (by path) and whatever only it supported;
        returns the rows removed per table."""
        with self._access.write() as store:
            ids = store.documents_named(str(target))
            with store.transaction():
                return store.delete_documents(ids)

    def set_acl(self, target: str | Path, acl: str | Sequence[str]) -> int:
        """Set who may read a document (by id) or every document of a file (by path): ``acl`` is ``"g1,g2"`` or a
        list of groups (empty: public). An update, not a re-ingest; returns how many documents changed."""
        from graphrag.acl import normalise_acl

        access = normalise_acl(acl)
        with self._access.write() as store:
            ids = store.documents_named(str(target))
            return store.set_document_acls(dict.fromkeys(ids, access))

    def unmask(self, text: str) -> str:
        """``text`` with the PII placeholders of an ``ingest(mask_pii=True)`` replaced by their originals, from
        the vault beside the store; needs the key it was ingested with (``GRAPHRAG_PII_KEY``)."""
        from graphrag.extract.pii_stage import unmask

        if self.principal is not None:
            from graphrag.errors import AccessDenied

            raise AccessDenied(f"{self.principal} cannot unmask: only the store's owner holds the vault")
        return unmask(self.db, text)

    def write_cypher(self, query: str, /, **params: Any) -> QueryResult:
        """Run a Cypher query that may change data or schema (the one way to write Cypher through this object)."""
        with self._access.write() as store:
            return store.run_user_query(query, params, allow_write=True)

    def train_gnn(
        self,
        questions: Sequence[str | Path],
        *,
        out: str | Path,
        kb: str | Path | None = None,
        hops: int | None = None,
        max_nodes: int = 2000,
        hidden: int = 128,
        epochs: int = 20,
        patience: int = 3,
        batch_size: int = 32,
        lr: float = 3e-3,
        val_fraction: float = 0.1,
        max_minutes: float | None = None,
        seed: int = 0,
        embedder: str = "minilm",
        limit: int | None = None,
        skip: int = 0,
        co_mentions: bool = False,
        progress: bool = True,
        log: Callable[[str], None] | None = None,
    ) -> dict[str, Any]:
        """Train the GNN-RAG reasoner on question files (MetaQA's ``question<TAB>answer|answer`` with the topic
        in ``[brackets]``, or JSON/JSONL ``{question, answer|answers}``) over this store's KG (``kb`` imported
        first when given; ``co_mentions`` adds passage co-mention edges), save the checkpoint at ``out`` and
        name it in the store's meta, so :meth:`ask` uses it. Returns the training summary."""
        from graphrag.embed import make_embedder
        from graphrag.gnnrag.checkpoint import RetrieverSettings
        from graphrag.gnnrag.jobs import train_job
        from graphrag.gnnrag.train import TrainConfig

        train_cfg = TrainConfig(
            epochs=epochs,
            patience=patience,
            batch_size=batch_size,
            lr=lr,
            val_fraction=val_fraction,
            seed=seed,
            max_train_s=max_minutes * 60 if max_minutes is not None else None,
        )
        with self.released() as path:
            return train_job(
                db=path,
                questions=list(questions),
                out=out,
                kb=kb,
                hops=hops,
                max_nodes=max_nodes,
                hidden_channels=hidden,
                train=train_cfg,
                settings=RetrieverSettings(embedder=embedder, co_mentions=co_mentions),
                embedder=make_embedder(embedder),
                limit=limit,
                skip=skip,
                progress=progress,
                **({"log": log} if log is not None else {}),
            )

    # -- evaluation ------------------------------------------------------------------------------------------
    def evaluate(self, kind: str, **options: Any) -> dict[str, Any]:
        """Run an evaluation over this store and write its report: ``retrieval`` (Recall@k and latency of
        each retriever), ``kgqa`` (GNN-RAG Hits@1 and more), ``triples`` (extraction P/R/F1 on WebNLG) or
        ``kgqa-ceiling``. ``options`` are the evaluation's own (see :data:`graphrag.api.evaluations.EVALUATIONS`);
        returns its summary."""
        from graphrag.api.evaluations import get_evaluation

        return get_evaluation(kind).run(self, **options)


__all__ = ["GraphRAG"]

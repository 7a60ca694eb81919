"""The writing half of :class:`~graphrag.api.GraphRAG`: ingest, import, delete, ACL changes, write Cypher, GNN
training, and unmasking PII. Each opens the store for writing only for its own duration (a principal's or a
read-only object's access refuses them with :class:`~graphrag.errors.AccessDenied`)."""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graphrag.api.loaded_models import CONFIGURED

if TYPE_CHECKING:
    from graphrag.acl import Principal
    from graphrag.api.extraction_setup import ExtractionOptions
    from graphrag.api.loaded_models import LoadedModels
    from graphrag.config import GraphRAGConfig
    from graphrag.embed import Embedder
    from graphrag.extract.analysis_worker import ChunkAnalyzer
    from graphrag.extract.pipeline import IngestReport
    from graphrag.extract.progress import IngestProgress
    from graphrag.importers import ImportReport
    from graphrag.importers.kg_import import ProgressFn
    from graphrag.store import QueryResult


class WriteMethods:
    """Mixed into :class:`~graphrag.api.GraphRAG`, whose ``config``, ``principal``, ``_access``, ``_models``,
    ``_default_llm`` and ``released`` (declared here, defined there) these methods use."""

    config: GraphRAGConfig
    principal: Principal | None
    _access: Any
    _models: LoadedModels
    _default_llm: Any
    released: Callable[[], contextlib.AbstractContextManager[Path]]

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
        ray: str | None = None,
        ray_workers: int | None = None,
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
        ``ray`` runs chunking, analysis and embedding on the Ray cluster at that address (``local``: one started
        for the run) with ``ray_workers`` actors per stage (default ``config.ingest.engine`` and ``.ray``).
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
                ray=ray,
                ray_workers=ray_workers,
            ),
            store=self.config.store,
        )
        choice = self._default_llm if x.llm == CONFIGURED else x.llm
        with self.released() as path, extraction_stage(self._models, choice, x, chosen_schema, progress, path) as llm:
            if embedder is not None:
                chosen: Embedder | str = embedder
            elif cfg.engine == "ray":  # by name: the cluster's actors load their own (none is loaded here)
                chosen = self._models.ingest_embedder_name(cfg)
            else:
                chosen = self._models.ingest_embedder(cfg, separate_process)
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
        return unmask(self._access.path, text)

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


__all__ = ["WriteMethods"]

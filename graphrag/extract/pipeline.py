"""The extraction pipeline: files -> documents -> chunks -> mentions and triples -> entities -> Kuzu.

Stages:

1. **plan**: every input file is streamed once (:mod:`~graphrag.extract.readers`) and compared with the store
   (:mod:`~graphrag.extract.incremental`): unchanged documents are skipped (so a re-run of the same input does
   nothing), changed ones replaced, vanished corpus records deleted; a bad file is reported and skipped, and so
   is a bad record (the whole file with ``IngestConfig.strict``, before anything is written);
2. **read** the files again, a slice of at most ``IngestConfig.slice_mb`` of text or ``slice_docs`` documents at
   a time, and cut each slice into batches of ``IngestConfig.docs_per_batch`` documents, shortest first: memory
   follows the slice, never the file. Then, per batch:
3. **chunk** (:mod:`~graphrag.extract.chunking`);
4. **analyse** chunks with the NLP analyzer in a worker process (:mod:`~graphrag.extract.analysis_worker`), two batches
   ahead, while the main process **embeds** the current batch's chunks (or, steps 3-4, both on a Ray cluster:
   :mod:`~graphrag.extract.ray_compute`, given as ``compute``);
5. **resolve** each document's mentions to entities and link mentions and triples to entity ids
   (:mod:`~graphrag.extract.batch_linking`);
6. **load**: each batch deletes replaced documents and bulk-loads the new rows, all or nothing
   (:mod:`~graphrag.extract.write_batch`, :mod:`~graphrag.store.staged_write`); entity rows are loaded only for ids
   not stored yet, with name embeddings (in fast mode, ``IngestConfig.fast``, without them: see
   :func:`graphrag.extract.ingest.ingest`).

A run killed at any point leaves whole batches, and at most one batch marked pending; running it again replaces
that one, loads the rest and ends in the same state as an uninterrupted run.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphrag.acl import normalise_acl
from graphrag.config import IngestConfig
from graphrag.embed.embedder import Embedder
from graphrag.errors import ConfigError, InputError
from graphrag.extract.analysis_worker import ChunkAnalyzer, InlineAnalysisRunner, make_runner
from graphrag.extract.batch_compute import BatchCompute, analysis_inputs, chunk_embedding_text, embed_chunk_texts
from graphrag.extract.batch_linking import Resolver, display_forms, link_batch
from graphrag.extract.chunking import TokenChunker
from graphrag.extract.entity_resolution import EntityResolver
from graphrag.extract.incremental import FilePlan, IngestPlan, load_slices, plan_file, slice_batches, stored_by_file
from graphrag.extract.ingest_report import IngestReport, StageTimer
from graphrag.extract.name_embedding_cache import CachedEmbedder
from graphrag.extract.pii_stage import PII_VERSION, PiiStage
from graphrag.extract.progress import IngestProgress, NullProgress
from graphrag.extract.readers import discover
from graphrag.extract.records import AnalysedBatch, LoadCounts
from graphrag.extract.refiners import AnalysisRefiner, apply_refiners, refiners_version
from graphrag.extract.write_batch import commit_batch, delete_in_transaction
from graphrag.ids import content_hash
from graphrag.store.graph_store import GraphStore
from graphrag.types import Chunk, Document, Entity

# How many batches the analysis worker is given ahead of the embedding in the main process. A process pool
# holds one running and two queued batches that can no longer be cancelled; batches beyond those are the
# ones the main process can take over when the worker falls behind (see ``IngestPipeline._steal``).
_ANALYSIS_AHEAD = 4


ResolverFactory = Callable[[Embedder | None], Resolver]


@dataclass
class _Pending:
    docs: tuple[Document, ...]
    chunks: list[list[Chunk]]
    texts: list[str]  # unique chunk texts sent for analysis
    titles: list[str]  # the title of the (first) document of each text
    future: Any
    stolen: bool = False  # analysed in the main process after all


#: The version of what the pipeline itself derives from an analysis (topics, ABOUT edges); with the analyzer's
#: version it is part of every stored document's hash, so an upgraded toolkit re-extracts old stores.
PIPELINE_VERSION = "2"


def extraction_hash(doc: Document, analyzer_version: str) -> str:
    """The hash stored for a document: its content hash with the versions of the extraction that read it."""
    return content_hash(PIPELINE_VERSION, analyzer_version, doc.hash)


class IngestPipeline:
    """Ingests text files into a graph store.

    Args:
        store: the graph store to write (its ``embedding_dim`` must match the embedder's).
        embedder: embeds chunks and entity names; only touched when there is something to load.
        analyzer: finds mentions and triples in chunk texts (picklable when ``separate_process``).
        chunker: cuts documents into chunks.
        config: batch size (``docs_per_batch``) and the entity-resolution section.
        resolver_factory: builds the per-document entity resolver around the (memoising) embedder; default
            :class:`~graphrag.extract.entity_resolution.EntityResolver`.
        progress: where stage progress and notes go.
        separate_process: analyse in a worker process, overlapping the embedding (the default); ``False``
            analyses inline.
        on_commit: called after each committed batch with its number (1-based) and counts.
        refiners: stages that rewrite each batch's analyses before linking (LLM extraction, schema mapping),
            in order.
        pii: masks each document's PII before it is chunked (``--mask-pii``); part of the stored hash.
        compute: chunk, analyse and embed the batches there (a Ray cluster) instead of in this process and its
            worker; resolution and the writes stay here.
    """

    def __init__(
        self,
        store: GraphStore,
        *,
        embedder: Embedder,
        analyzer: ChunkAnalyzer,
        chunker: TokenChunker,
        config: IngestConfig | None = None,
        resolver_factory: ResolverFactory | None = None,
        progress: IngestProgress | None = None,
        separate_process: bool = True,
        on_commit: Callable[[int, LoadCounts], None] | None = None,
        refiners: Sequence[AnalysisRefiner] = (),
        pii: PiiStage | None = None,
        compute: BatchCompute | None = None,
    ) -> None:
        self.store = store
        self.compute = compute
        self.pii = pii
        self.refiners = tuple(refiners)
        self.embedder = embedder
        self.analyzer = analyzer
        self.chunker = chunker
        self.config = config or IngestConfig()
        if self.config.docs_per_batch < 1:
            raise ConfigError(f"docs_per_batch must be at least 1, got {self.config.docs_per_batch}")
        self._resolver_factory = resolver_factory or (lambda emb: EntityResolver(emb, self.config.resolve))
        self.progress = progress or NullProgress()
        self.separate_process = separate_process
        self.on_commit = on_commit
        self._version: str | None = None
        self._default_acl = normalise_acl(self.config.acl)

    # -- the run ---------------------------------------------------------------------------------------------
    def run(self, paths: Sequence[str | Path]) -> IngestReport:
        """Ingest ``paths`` (files or directories); a bad input file, or a bad record of a corpus (the whole file
        with ``config.strict``), is reported and skipped, never raised."""
        t_start = time.perf_counter()
        timer = StageTimer()
        errors: list[InputError] = []
        with timer("plan"):
            plan = self._plan(paths, errors)
        totals = {"chunks": 0, "entities": 0, "mentions": 0, "triples": 0, "about": 0, "batches": 0}
        if plan.to_load or plan.removed:
            self._check_embedder()
        if plan.to_load:
            self._load(plan, timer, totals, errors)
        elif plan.removed:
            with timer("load"):
                delete_in_transaction(self.store, plan.removed)
        if plan.acl_updates:
            with timer("load"):
                self.store.set_document_acls(dict(plan.acl_updates))
        skipped = plan.skipped
        return IngestReport(
            files=len(plan.files) + len(errors),
            files_skipped=len(errors),
            records_skipped=len(skipped),
            documents_new=plan.new,
            documents_changed=plan.changed,
            documents_unchanged=plan.unchanged,
            documents_removed=len(plan.removed),
            documents_acl_changed=len(plan.acl_updates),
            errors=tuple(str(e) for e in (*errors, *skipped)),
            timings_s={k: round(v, 3) for k, v in timer.seconds.items()},
            wall_s=round(time.perf_counter() - t_start, 3),
            extraction={r.name: r.report() for r in self.refiners if hasattr(r, "report") and hasattr(r, "name")},
            pii_masked=dict(sorted(self.pii.counts.items())) if self.pii is not None else {},
            **totals,
        )

    def _hash_of(self, doc: Document) -> str:
        """The hash ``doc`` is stored under: its content with the extraction's versions."""
        if self._version is None:
            version = str(getattr(self.analyzer, "version", ""))
            if self.refiners:
                version = f"{version}|{refiners_version(self.refiners)}"
            if self.pii is not None:
                version = f"{version}|{PII_VERSION}"
            self._version = version
        return extraction_hash(doc, self._version)

    def _acl_of(self, doc: Document) -> str:
        """The ACL ``doc`` is stored with: its record's own, else the run's (``config.acl``)."""
        return doc.acl or self._default_acl

    def _max_bytes(self) -> int:
        return self.config.max_file_mb * 1024 * 1024

    def _max_doc_bytes(self) -> int:
        return self.config.max_doc_mb * 1024 * 1024

    def _plan(self, paths: Sequence[str | Path], errors: list[InputError]) -> IngestPlan:
        """Stream every input file once and plan it against the store (nothing is kept of a file but its plan)."""
        files = discover(paths, errors)
        for e in errors:
            self.progress.note(f"skipped: {e}")
        self.progress.stage("read", len(files))
        stored = self.store.document_hashes()
        stored_acl = self.store.document_acls()
        owned = stored_by_file(files, stored)
        plans: list[FilePlan] = []
        for f in files:
            try:
                plan = plan_file(
                    f,
                    stored,
                    owned.get(str(f), set()),
                    hash_of=self._hash_of,
                    acl_of=self._acl_of,
                    stored_acl=stored_acl,
                    strict=self.config.strict,
                    max_bytes=self._max_bytes(),
                    max_doc_bytes=self._max_doc_bytes(),
                )
                plans.append(plan)
                for e in plan.skipped:
                    self.progress.note(f"record skipped: {e}")
            except InputError as exc:
                errors.append(exc)
                self.progress.note(f"skipped: {exc}")
            self.progress.advance("read")
        return IngestPlan(tuple(plans))

    def _check_embedder(self) -> None:
        meta = self.store.meta()
        stored = meta.get("embedder")
        if stored and stored != self.embedder.name:
            raise ConfigError(
                f"the database holds embeddings from {stored!r} but this run uses {self.embedder.name!r}; "
                "use the same embedder or a new --db"
            )
        if not stored:
            self.store.set_meta("embedder", self.embedder.name)

    def _batches(self, plan: IngestPlan, timer: StageTimer, errors: list[InputError]) -> Iterator[tuple[Document, ...]]:
        """The batches to load, read again slice by slice (see :func:`~graphrag.extract.incremental.load_slices`)."""

        def failed(exc: InputError) -> None:
            errors.append(exc)
            self.progress.note(f"skipped: {exc}")

        slices = load_slices(
            plan,
            hash_of=self._hash_of,
            acl_of=self._acl_of,
            max_bytes=self._max_bytes(),
            max_doc_bytes=self._max_doc_bytes(),
            max_docs=max(self.config.slice_docs, self.config.docs_per_batch),
            max_chars=self.config.slice_mb * 1024 * 1024,
            on_error=failed,
        )
        if self.pii is not None:
            slices = self._masked(slices, timer)
        batches = slice_batches(slices, self.config.docs_per_batch, self.config.batch_kb * 1024)
        while True:
            with timer("read"):
                batch = next(batches, None)
            if batch is None:
                return
            yield batch

    def _masked(self, slices: Iterator[list[Document]], timer: StageTimer) -> Iterator[list[Document]]:
        """Each slice with its documents' PII masked, the sealed originals written before any of it is stored."""
        assert self.pii is not None
        for docs in slices:
            with timer("mask_pii"):
                masked = [self.pii.apply(d) for d in docs]
                self.pii.flush()
            yield masked

    def _load(self, plan: IngestPlan, timer: StageTimer, totals: dict[str, int], errors: list[InputError]) -> None:
        n_docs = plan.to_load
        for stage in ("analyse", "embed", "load"):
            self.progress.stage(stage, n_docs)
        for r in self.refiners:  # how much text is coming, for a refiner's time estimate (the LLM's)
            start = getattr(r, "start", None)
            if start is not None:
                start(plan.chars)
        if self.compute is None:  # a cluster loads the models on its workers; here only on a cache miss
            with timer("load_models"):  # a lazy embedder loads its model here, so the stage times stay comparable
                self.embedder.embed(["warm-up"])
        names = CachedEmbedder(self.embedder)
        # fast mode leaves entity names unembedded: no vectors to store, and no similarity pass in resolution
        embed_names = not self.config.fast
        resolver = self._resolver_factory(names if embed_names else None)
        pending_removal: Sequence[str] = plan.removed
        replaced = plan.replaces
        done = 0
        batches = self._batches(plan, timer, errors)
        if self.compute is not None:
            stream = self.compute.run(batches, timer, embed_names=embed_names)
        else:
            stream = self._analysed_here(batches, timer)
        try:
            for k, pend in enumerate(stream, start=1):
                analyses = pend.analyses
                if self.refiners:
                    with timer("refine"):
                        analyses = apply_refiners(self.refiners, pend.texts, analyses)
                self.progress.advance("analyse", len(pend.docs))
                by_text = dict(zip(pend.texts, analyses, strict=True))
                if embed_names:
                    names.remember(pend.name_vectors)
                    with timer("embed_entities"):
                        names.prefetch(display_forms(by_text.values()))
                with timer("resolve"):
                    batch = link_batch(pend.docs, pend.chunks, by_text, pend.vectors, resolver)
                if embed_names:
                    with timer("embed_entities"):  # every name in memory before the transaction starts
                        names.prefetch([e.name for e in batch.entities])
                replaces = [d.id for d in pend.docs if d.id in replaced] + list(pending_removal)
                with timer("load"):
                    counts = commit_batch(
                        self.store,
                        batch,
                        entity_vectors=(lambda es: names.embed([e.name for e in es])) if embed_names else _no_vectors,
                        replaces=replaces,
                    )
                pending_removal = ()
                for key in ("chunks", "entities", "mentions", "triples", "about"):
                    totals[key] += getattr(counts, key)
                totals["batches"] += 1
                self.progress.advance("load", len(pend.docs))
                done += len(pend.docs)
                self.progress.note(
                    f"committed batch {k}: {counts.documents} documents ({done:,} of {n_docs:,}), "
                    f"{counts.chunks} chunks, "
                    f"{counts.entities} new entities, {counts.mentions} mentions, {counts.triples} triples",
                    detail=True,
                )
                if self.on_commit is not None:
                    self.on_commit(k, counts)
        finally:
            stream.close()

    def _analysed_here(
        self, batches: Iterator[tuple[Document, ...]], timer: StageTimer
    ) -> Generator[AnalysedBatch, None, None]:
        """Chunk, analyse (in the worker process, :data:`_ANALYSIS_AHEAD` batches ahead) and embed (here) each
        batch, in order."""
        runner = make_runner(self.analyzer, separate_process=self.separate_process)
        try:
            inflight: deque[_Pending] = deque()

            def submit() -> None:
                docs = next(batches, None)
                if docs is None:
                    return
                with timer("chunk"):
                    chunks = self.chunker.chunk(docs)
                texts, titles = analysis_inputs(docs, chunks)
                inflight.append(_Pending(docs, chunks, texts, titles, runner.submit(texts, titles)))

            for _ in range(_ANALYSIS_AHEAD):
                submit()
            while inflight:
                pend = inflight.popleft()
                submit()
                with timer("embed_chunks"):
                    vectors = embed_chunk_texts(self.embedder, pend.docs, pend.chunks)
                self.progress.advance("embed", len(pend.docs))
                while not pend.future.done() and self._steal(inflight, timer):
                    pass
                with timer("analyse_wait"):
                    analyses, busy_s = pend.future.result()
                if not pend.stolen:
                    timer.add("analyse_worker", busy_s)
                yield AnalysedBatch(pend.docs, pend.chunks, pend.texts, analyses, vectors)
        finally:
            runner.close()

    def _steal(self, inflight: deque[_Pending], timer: StageTimer) -> bool:
        """While the worker is behind, analyse its last queued (not started) batch here instead; ``False``
        when there is none. Whichever process is idle works, so neither waits for long."""
        if not self.separate_process:
            return False
        for pend in reversed(inflight):
            if pend.future.cancel():  # succeeds only for work the worker has not started
                with timer("analyse_main"):
                    pend.future = InlineAnalysisRunner(self.analyzer).submit(pend.texts, pend.titles)
                pend.stolen = True
                return True
        return False


def _no_vectors(entities: Sequence[Entity]) -> None:
    """Fast mode: entities are stored without name embeddings."""
    return None


__all__ = ["IngestPipeline", "IngestReport", "Resolver", "ResolverFactory", "chunk_embedding_text"]

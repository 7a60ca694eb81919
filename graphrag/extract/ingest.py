"""Wiring for ingest runs: builds the default components from config and runs the pipeline on a store.

:meth:`graphrag.api.GraphRAG.ingest` (behind ``graphrag ingest``, the ``ingest`` step and the app) calls :func:`ingest`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from graphrag.acl import normalise_acl
from graphrag.config import IngestConfig
from graphrag.embed.embedder import Embedder
from graphrag.errors import UnknownBackendError
from graphrag.extract.analysis_worker import ChunkAnalyzer
from graphrag.extract.chunking import TokenChunker, default_tokenizer
from graphrag.extract.embedding import make_ingest_embedder
from graphrag.extract.pii_stage import PiiStage
from graphrag.extract.pipeline import IngestPipeline, IngestReport
from graphrag.extract.progress import IngestProgress
from graphrag.extract.records import LoadCounts
from graphrag.extract.refiners import AnalysisRefiner
from graphrag.extract.schema import Schema
from graphrag.store import KuzuGraphStore

EMBEDDER_CHOICES = ("minilm", "hashing")
#: Where analysis and embedding run: here (with one worker process) or on a Ray cluster (``[ingest.ray]``).
ENGINE_CHOICES = ("local", "ray")


def ingest_config(
    base: IngestConfig | None = None,
    *,
    fast: bool | None = None,
    docs_per_batch: int | None = None,
    strict: bool | None = None,
    acl: str | Sequence[str] | None = None,
    mask_pii: bool | None = None,
    ray: str | None = None,
    ray_workers: int | None = None,
) -> IngestConfig:
    """``base`` (or the defaults) with the given options applied (``acl``: who may read the documents; ``ray``:
    run analysis and embedding on the Ray cluster at that address, ``local`` for one started for the run;
    ``ray_workers``: actors per stage there)."""
    cfg = base or IngestConfig()
    changes: dict[str, object] = {}
    if ray is not None or ray_workers is not None:
        changes["engine"] = "ray"
        ray_changes: dict[str, Any] = {"address": ray} if ray is not None else {}
        if ray_workers is not None:
            ray_changes["workers"] = ray_workers
        changes["ray"] = replace(cfg.ray, **ray_changes)
    if acl is not None:
        changes["acl"] = normalise_acl(acl)
    if mask_pii is not None:
        changes["mask_pii"] = mask_pii
    if strict is not None:
        changes["strict"] = strict
    if fast is not None:
        changes["fast"] = fast
    if docs_per_batch is not None:  # a batch size asked for is the batch size: no growing short batches
        changes["docs_per_batch"] = docs_per_batch
        changes["batch_kb"] = 0
    return replace(cfg, **changes) if changes else cfg


def embed_threads(separate_process: bool) -> int | None:
    """Torch threads for embedding: all cores but the NLP worker's (one on 2 cores), or torch's default."""
    return max(1, (os.cpu_count() or 2) - 1) if separate_process else None


def default_analyzer(config: IngestConfig) -> ChunkAnalyzer:
    """The spaCy analyzer (NER, parse, triple rules), loaded lazily in whichever process uses it."""
    from graphrag.extract.analysis import SpacyAnalyzer

    return SpacyAnalyzer(config.nlp)


def ingest(
    paths: Sequence[str | Path],
    *,
    db: str | Path,
    config: IngestConfig | None = None,
    embedder: Embedder | str = "minilm",
    analyzer: ChunkAnalyzer | None = None,
    progress: IngestProgress | None = None,
    separate_process: bool = True,
    on_commit: Callable[[int, LoadCounts], None] | None = None,
    llm_extractor: AnalysisRefiner | None = None,
    schema: Schema | None = None,
    schema_mode: str = "open",
) -> IngestReport:
    """Ingest ``paths`` into the Kuzu database at ``db`` and report what was done.

    Args:
        paths: files and directories (``.txt``, ``.md``, ``.json``, ``.jsonl``, optionally gzipped).
        db: the database directory (created if missing).
        config: chunking, NLP, resolution, embedding and batch settings. ``config.fast`` is the fast mode:
            chunk embeddings see only the first 128 word pieces, and entities are stored without name
            embeddings (and resolved without the embedding-similarity pass).
        embedder: an embedder, or a registered name (``minilm`` or ``hashing``).
        analyzer: the NLP analyzer (default: spaCy, see :func:`default_analyzer`).
        progress: where progress goes (default: nowhere).
        separate_process: run the analyzer in a worker process, overlapping the embedding.
        on_commit: called after each committed batch.
        llm_extractor: an LLM triple extractor (:class:`~graphrag.extract.llm_extractor.LLMTripleExtractor`)
            run on every chunk after the rules.
        schema: map predicates onto this schema's relations (by alias, then by the embedder's similarity).
        schema_mode: ``open`` keeps triples no relation fits, ``strict`` drops them.

    With ``config.engine == "ray"`` chunking, analysis and embedding run on a Ray cluster
    (:mod:`~graphrag.extract.ray_compute`, ``config.ray``) and this process plans, resolves and writes; the
    store ends the same as after a local run.
    """
    cfg = config or IngestConfig()
    if cfg.engine not in ENGINE_CHOICES:
        raise UnknownBackendError("ingest engine", cfg.engine, list(ENGINE_CHOICES))
    on_ray = cfg.engine == "ray"
    name = embedder if isinstance(embedder, str) else None
    if name is not None:
        embedder = make_ingest_embedder(
            name, config=cfg.embed, fast=cfg.fast, threads=None if on_ray else embed_threads(separate_process)
        )
    refiners: list[AnalysisRefiner] = [llm_extractor] if llm_extractor is not None else []
    if schema is not None:
        from graphrag.extract.schema_mapping import SchemaMapper, SchemaRefiner

        refiners.append(SchemaRefiner(SchemaMapper(schema, embedder), mode=schema_mode))
    chosen = analyzer or default_analyzer(cfg)
    chunker = TokenChunker(default_tokenizer(), cfg.chunk)
    compute = None
    if on_ray:
        from graphrag.extract.ray_compute import RayBatchCompute

        # an embedder given by name is built afresh for the cluster (the driver's copy only fills gaps, and is not
        # sent loaded); each actor loads its own, on as many torch threads as its CPUs
        cluster_embedder = (
            embedder
            if name is None
            else make_ingest_embedder(
                name, config=cfg.embed, fast=cfg.fast, threads=max(1, int(cfg.ray.cpus_per_worker))
            )
        )
        compute = RayBatchCompute(
            chunker=chunker, analyzer=chosen, embedder=cluster_embedder, config=cfg.ray, progress=progress
        )
    pii = pii_stage(db, cfg, chosen) if cfg.mask_pii else None
    store_cfg = cfg.store
    with KuzuGraphStore(
        db, embedding_dim=embedder.dim, buffer_pool_mb=store_cfg.buffer_pool_mb, engine=store_cfg.engine
    ) as store:
        pipeline = IngestPipeline(
            store,
            embedder=embedder,
            analyzer=chosen,
            chunker=chunker,
            config=cfg,
            progress=progress,
            separate_process=separate_process,
            on_commit=on_commit,
            refiners=refiners,
            pii=pii,
            compute=compute,
        )
        return pipeline.run(paths)


def pii_stage(db: str | Path, config: IngestConfig, analyzer: ChunkAnalyzer) -> PiiStage:
    """The masking stage of ``--mask-pii``: every kind of PII, persons found by the analyzer's spaCy pipeline
    (else the configured model, loaded here), and a vault beside the store when ``GRAPHRAG_PII_KEY`` is set."""
    from graphrag.extract.pii_stage import PiiStage, vault_path
    from graphrag.privacy import PiiMasker, PiiVault, spacy_person_finder

    nlp = getattr(analyzer, "nlp", None)
    if nlp is None:
        from graphrag.extract.analysis import SpacyAnalyzer

        nlp = SpacyAnalyzer(config.nlp).nlp
    vault = PiiVault.from_env()
    masker = PiiMasker(
        person_finder=spacy_person_finder(nlp), placeholder_key=vault.placeholder_key if vault is not None else None
    )
    return PiiStage(masker, vault=vault, path=vault_path(db) if vault is not None else None)


__all__ = ["EMBEDDER_CHOICES", "ENGINE_CHOICES", "default_analyzer", "embed_threads", "ingest", "ingest_config"]

"""What a :class:`~graphrag.api.GraphRAG` object loads once and keeps: the hybrid retriever (until the database
changes), the language models (per setting) and the ingest models (embedder, in-process spaCy).

Loading is the slow part of a question on a small machine (MiniLM, the indexes, a GGUF model: seconds), so a
long-lived object (the explorer, a notebook, a server) pays it once. Everything here is guarded by one lock, so
threads sharing an object (Streamlit sessions) never build the same thing twice.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from graphrag.api.store_access import StoreAccess, StoreProxy
from graphrag.config import AnswerConfig, GraphRAGConfig, IngestConfig
from graphrag.errors import ConfigError

if TYPE_CHECKING:
    from graphrag.embed import Embedder
    from graphrag.extract.analysis_worker import ChunkAnalyzer
    from graphrag.generate.answer import Answerer
    from graphrag.generate.extractive import ExtractiveReader
    from graphrag.generate.llm import LLM
    from graphrag.retrieve.hybrid import HybridRetriever

#: ``llm=CONFIGURED`` (the default) answers with the model named in the configuration's ``[answer]`` section.
CONFIGURED = "config"
LLM_CHOICES = ("local", "gemma", "none", "extractive", "openai", "ollama")


class LoadedModels:
    """The loaded retriever and models of one GraphRAG object.

    Args:
        access: the object's store access (its generation tells when the retriever is stale).
        config: the object's settings.
        embedder: the question embedder to use (``None``: load the store's own with the retriever).
    """

    def __init__(self, access: StoreAccess, config: GraphRAGConfig, *, embedder: Embedder | None = None) -> None:
        self.access = access
        self.config = config
        self.embedder = embedder
        self._lock = threading.RLock()
        self._retriever: tuple[int, HybridRetriever] | None = None
        self._llms: dict[tuple[Any, ...], LLM | None] = {}
        self._ingest: dict[tuple[Any, ...], Any] = {}
        self._reader: ExtractiveReader | None = None

    def clear(self) -> None:
        """Forget everything loaded."""
        with self._lock:
            self._retriever = None
            self._llms.clear()
            self._ingest.clear()
            self._reader = None

    def retriever(self) -> HybridRetriever:
        """The hybrid retriever (with GNN-RAG when the store names a checkpoint) for the database as it is now;
        call inside ``access.read()`` or ``access.read_on_demand()``. It reads through a :class:`StoreProxy`,
        so keeping it keeps no database open."""
        from graphrag.gnnrag import hybrid_retriever
        from graphrag.retrieve.resources import RetrievalResources, embedder_for_store

        generation = self.access.generation
        with self._lock:
            if self._retriever is not None and self._retriever[0] == generation:
                return self._retriever[1]
            rcfg = self.config.retrieve
            proxy: Any = StoreProxy(self.access)
            embedder = self.embedder or embedder_for_store(proxy, rcfg.embedder, threads=rcfg.query_threads)
            retriever = hybrid_retriever(RetrievalResources(proxy, embedder, rcfg), rcfg)
            self._retriever = (generation, retriever)
            return retriever

    def question_embedder(self) -> Embedder:
        """The embedder passed in, else a newly loaded one for the store (call inside ``access.read()`` or
        ``access.read_on_demand()``)."""
        from graphrag.retrieve.resources import embedder_for_store

        if self.embedder is not None:
            return self.embedder
        rcfg = self.config.retrieve
        return embedder_for_store(StoreProxy(self.access), rcfg.embedder, threads=rcfg.query_threads)

    def llm(self, choice: LLM | str | None, passive: bool, **endpoint: str) -> tuple[LLM | None, AnswerConfig]:
        """The model for ``choice`` (a name, an LLM object, ``None`` or :data:`CONFIGURED`), loaded once per
        setting, and the answer settings to use with it; ``endpoint`` may set ``model`` and ``base_url``.
        ``passive`` says whether OpenMP waits passively in this process (see :mod:`graphrag.runtime`)."""
        from graphrag.generate.llm import make_llm

        config = dataclasses.replace(self.config.answer, **endpoint)
        if choice is None or choice in ("none", "extractive"):
            return None, dataclasses.replace(config, llm=choice or "none")
        if choice == CONFIGURED and config.llm == "extractive":
            return None, config
        if not isinstance(choice, str):
            return choice, config
        if choice != CONFIGURED:
            if choice not in LLM_CHOICES:
                raise ConfigError(f"unknown llm {choice!r}; choose one of: {', '.join(LLM_CHOICES)}")
            config = dataclasses.replace(config, llm=choice)
        if config.llm in ("local", "gemma") and not passive and _default_speed_settings(config):
            # OpenMP started with spinning waiters before this call (see graphrag.runtime); llama.cpp's batched
            # kernels then crawl on 2 busy cores (55 s for one answer, measured); one thread, one token: 6 s.
            config = dataclasses.replace(config, threads=1, batch_tokens=1)
        key = (config.llm, config.model, config.base_url, config.threads, config.batch_tokens, config.temperature,
               config.max_answer_tokens, config.timeout_s, config.retries)  # what make_llm reads
        with self._lock:
            if key not in self._llms:
                self._llms[key] = make_llm(config)
            return self._llms[key], config

    def answerer(self, choice: LLM | str | None, passive: bool, **endpoint: str) -> Answerer:
        """An answerer over the current retriever with the model for ``choice`` (see :meth:`llm`), the extractive
        reader when it needs one, and the entities ingest stored for the passages; call inside
        ``access.read()`` or ``access.read_on_demand()``."""
        from graphrag.generate.answer import Answerer, needs_reader

        retriever = self.retriever()
        chosen, config = self.llm(choice, passive, **endpoint)
        reader = self.reader() if needs_reader(config, chosen) else None
        proxy = StoreProxy(self.access)

        def mentions(chunk_ids: Sequence[str]) -> dict[str, list[tuple[int, int, str, str]]]:
            return proxy.chunk_mentions(chunk_ids)  # looked up when called: building the answerer reads nothing

        return Answerer(retriever, chosen, config, reader=reader, mentions=mentions)

    def reader(self) -> ExtractiveReader:
        """The extractive answerer's reader (spaCy's English pipeline for entities), loaded once."""
        with self._lock:
            if self._reader is None:
                from graphrag.generate.extractive import lazy_reader

                self._reader = lazy_reader(self.config.ingest.nlp)
            return self._reader

    def ingest_embedder(self, cfg: IngestConfig, separate_process: bool) -> Embedder:
        """The ingest embedder the store was built with (else ``cfg.embed.name``), loaded once."""
        from graphrag.extract.embedding import make_ingest_embedder
        from graphrag.extract.ingest import embed_threads

        name = self.ingest_embedder_name(cfg)
        key = ("embedder", name, cfg.fast, separate_process)
        with self._lock:
            if key not in self._ingest:
                self._ingest[key] = make_ingest_embedder(
                    name, config=cfg.embed, fast=cfg.fast, threads=embed_threads(separate_process)
                )
            return self._ingest[key]

    def ingest_embedder_name(self, cfg: IngestConfig) -> str:
        """The registered name of the embedder the store was built with, else ``cfg.embed.name``."""
        from graphrag.extract.embedding import recorded_embedder

        if not self.access.exists():
            return cfg.embed.name
        with self.access.read() as store:
            return recorded_embedder(store.meta().get("embedder", ""), cfg.embed.name)

    def inline_analyzer(self, cfg: IngestConfig) -> ChunkAnalyzer:
        """The spaCy analyzer kept loaded in this process between ingests (when no worker process is used)."""
        from graphrag.extract.ingest import default_analyzer

        key = ("analyzer", cfg.nlp)
        with self._lock:
            if key not in self._ingest:
                self._ingest[key] = default_analyzer(cfg)
            return self._ingest[key]


def _default_speed_settings(config: AnswerConfig) -> bool:
    """Whether the local model's thread and batch settings were left at their defaults."""
    default = AnswerConfig()
    return config.threads == default.threads and config.batch_tokens == default.batch_tokens


__all__ = ["CONFIGURED", "LLM_CHOICES", "LoadedModels"]

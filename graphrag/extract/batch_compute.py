"""One batch's compute before linking: the chunk texts it sends to analysis, its chunk embeddings, and the seam
(:class:`BatchCompute`) through which that work can run somewhere other than the ingesting process.

:class:`~graphrag.extract.pipeline.IngestPipeline` does it itself by default (spaCy in one worker process, embedding
in the main one); :class:`~graphrag.extract.ray_compute.RayBatchCompute` does it on a Ray cluster. Both use the
functions here, so a batch is cut, analysed and embedded the same way wherever it runs.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator, Sequence
from typing import Protocol

import numpy as np

from graphrag.embed.embedder import Embedder
from graphrag.extract.ingest_report import StageTimer
from graphrag.extract.records import AnalysedBatch
from graphrag.types import Chunk, Document


class BatchCompute(Protocol):
    """Where a run's analysis and chunk embedding happen when not in this process and its worker (a Ray
    cluster: :mod:`graphrag.extract.ray_compute`)."""

    def run(
        self, batches: Iterator[tuple[Document, ...]], timer: StageTimer, *, embed_names: bool
    ) -> Generator[AnalysedBatch, None, None]:
        """Chunk, analyse and embed ``batches``; yield each result in the order given, exactly once.
        ``embed_names``: also embed the names the analyses mention (``AnalysedBatch.name_vectors``)."""


def chunk_embedding_text(doc: Document, chunk: Chunk) -> str:
    """What is embedded for a chunk: the document title on its own line, then the chunk text."""
    return f"{doc.title}\n{chunk.text}" if doc.title else chunk.text


def analysis_inputs(docs: Sequence[Document], chunks: Sequence[Sequence[Chunk]]) -> tuple[list[str], list[str]]:
    """The unique chunk texts of a batch to analyse, each with the title of the first document that has it."""
    title_of: dict[str, str] = {}
    for doc, cs in zip(docs, chunks, strict=True):
        for c in cs:
            title_of.setdefault(c.text, doc.title)
    return list(title_of), list(title_of.values())


def embed_chunk_texts(embedder: Embedder, docs: Sequence[Document], chunks: Sequence[Sequence[Chunk]]) -> np.ndarray:
    """The embeddings of a batch's chunks in chunk order (each unique text embedded once)."""
    texts = [chunk_embedding_text(d, c) for d, cs in zip(docs, chunks, strict=True) for c in cs]
    unique = list(dict.fromkeys(texts))
    if not unique:
        return np.zeros((0, embedder.dim), dtype=np.float32)
    vecs = embedder.embed(unique)
    if len(unique) == len(texts):
        return vecs
    row = {t: i for i, t in enumerate(unique)}
    return vecs[[row[t] for t in texts]]


__all__ = ["BatchCompute", "analysis_inputs", "chunk_embedding_text", "embed_chunk_texts"]

"""Linking a batch takes time in proportion to its documents (batches of short documents hold thousands)."""

from __future__ import annotations

import time

import numpy as np

from graphrag.extract.batch_linking import link_batch
from graphrag.extract.entity_resolution import EntityResolver
from graphrag.extract.records import ChunkAnalysis, ExtractedMention
from graphrag.types import Chunk, Document


def batch(n: int):
    docs = [Document(id=f"d{i}", source="s", title=f"Doc {i}", text=f"t{i}", hash="h") for i in range(n)]
    chunks = [
        [Chunk(f"c{i}", f"d{i}", f"Record {i} names Entity {i % 97}.", 0, 0, 30, 5)] for i in range(n)
    ]
    by_text = {
        c[0].text: ChunkAnalysis(
            mentions=(ExtractedMention(f"Entity {i % 97}", "ORG", 17, 26),),
            triples=(),
            about=(f"Doc {i}", ""),
            about_source="title",
            aliases=(),
        )
        for i, c in enumerate(chunks)
    }
    return docs, chunks, by_text, np.zeros((n, 4), np.float32)


def test_ten_thousand_one_line_documents_link_in_seconds() -> None:
    """Each chunk's ABOUT edge was checked against every earlier one of the batch (10,000 took ~12 s)."""
    docs, chunks, by_text, vectors = batch(10_000)
    start = time.perf_counter()
    linked = link_batch(docs, chunks, by_text, vectors, EntityResolver(None))
    elapsed = time.perf_counter() - start
    assert len(linked.about) == 10_000 and len(linked.mentions) == 10_000
    assert len({e.name for e in linked.entities}) == 10_000 + 97
    assert elapsed < 5.0, f"{elapsed:.1f} s"

"""Shared test fixtures. Add fixtures here; keep each small and built in the test (no /work/shared reads)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pyarrow as pa
import pytest

from graphrag.ids import chunk_id, content_hash, document_id, entity_id


def add_text_document(
    store,
    title: str,
    text: str,
    *,
    entities: Sequence[tuple[str, str]] = (),
    triples: Sequence[tuple[str, str, str]] = (),
    embedding: Sequence[float] | None = None,
) -> str:
    """Store one text document the way ingest would: a Document, one Chunk, mentioned Entities, and triples.

    ``entities`` are ``(name, type)`` pairs mentioned by the chunk (created unless they exist); ``triples``
    are ``(subject, predicate, object)`` names among them, with the chunk as provenance. Returns the doc id.
    """
    source = f"/corpus/{title}.txt"
    doc = document_id(source)
    chunk = chunk_id(doc, 0, text)
    dim = store.embedding_dim
    vec_type = pa.list_(pa.float32(), dim)
    store.bulk_load(
        "Document",
        pa.table(
            {
                "id": [doc],
                "source": [source],
                "title": [title],
                "hash": [content_hash(title, text)],
                "acl": [""],
                "kind": ["text"],
                "n_chunks": pa.array([1], pa.int64()),
            }
        ),
    )
    store.bulk_load(
        "Chunk",
        pa.table(
            {
                "id": [chunk],
                "doc_id": [doc],
                "text": [text],
                "position": pa.array([0], pa.int64()),
                "start_char": pa.array([0], pa.int64()),
                "end_char": pa.array([len(text)], pa.int64()),
                "n_tokens": pa.array([len(text.split())], pa.int64()),
                "embedding": pa.nulls(1, vec_type),
            }
        ),
    )
    store.bulk_load("HAS_CHUNK", pa.table({"from": [doc], "to": [chunk]}))
    ids = {name: entity_id(name) for name, _ in entities}
    existing = store.existing_ids("Entity", list(ids.values()))
    new = [(n, t) for n, t in entities if ids[n] not in existing]
    if new:
        emb = (
            pa.nulls(len(new), vec_type)
            if embedding is None
            else pa.array([list(embedding)] * len(new), vec_type)
        )
        store.bulk_load(
            "Entity",
            pa.table(
                {
                    "id": [ids[n] for n, _ in new],
                    "name": [n for n, _ in new],
                    "type": [t for _, t in new],
                    "aliases": pa.array([[] for _ in new], pa.list_(pa.string())),
                    "embedding": emb,
                }
            ),
        )
    if entities:
        store.bulk_load(
            "MENTIONS",
            pa.table(
                {
                    "from": [chunk] * len(ids),
                    "to": list(ids.values()),
                    "doc_id": [doc] * len(ids),
                    "text": list(ids),
                    "label": [t for _, t in entities],
                    "start_char": pa.array([0] * len(ids), pa.int64()),
                    "end_char": pa.array([0] * len(ids), pa.int64()),
                }
            ),
        )
    if triples:
        store.bulk_load(
            "RELATION",
            pa.table(
                {
                    "from": [ids[s] for s, _, _ in triples],
                    "to": [ids[o] for _, _, o in triples],
                    "predicate": [p for _, p, _ in triples],
                    "chunk_id": [chunk] * len(triples),
                    "doc_id": [doc] * len(triples),
                    "source": [source] * len(triples),
                    "confidence": pa.array([0.9] * len(triples), pa.float64()),
                }
            ),
        )
    return doc


@pytest.fixture(scope="session")
def text_doc() -> Callable[..., str]:
    """:func:`add_text_document`: store a small text document with entities and triples in a test store."""
    return add_text_document


@pytest.fixture(scope="session")
def spacy_analyzer():
    """One loaded :class:`graphrag.extract.nlp.SpacyAnalyzer` (the real small English model) for the session."""
    from graphrag.extract.nlp import SpacyAnalyzer

    analyzer = SpacyAnalyzer()
    analyzer.nlp  # load once here, not inside the first test  # noqa: B018
    return analyzer

"""Bulk loading of one extracted batch: Arrow tables, one ``COPY`` per table, all or nothing.

A batch lands whole or not at all: the old versions of changed documents (and records that disappeared from
their corpus) are deleted and the new rows are loaded by the store's ``write_documents``. Entities are shared
across documents, so only entity ids that the store does not hold yet are loaded, each once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pyarrow as pa

from graphrag.errors import StoreError
from graphrag.extract.records import ExtractedBatch, LinkedAbout, LinkedMention, LinkedTriple, LoadCounts
from graphrag.store import queries as Q
from graphrag.store.graph_store import GraphStore
from graphrag.store.schema import COLUMNS
from graphrag.types import Chunk, Document, Entity

DOCUMENT_KIND = "text"


def _vectors(vecs: np.ndarray, dim: int) -> pa.FixedSizeListArray:
    arr = np.ascontiguousarray(vecs, dtype=np.float32)
    if arr.ndim != 2 or arr.shape[1] != dim:
        raise ValueError(f"embeddings must have shape (n, {dim}), got {arr.shape}")
    return pa.FixedSizeListArray.from_arrays(pa.array(arr.reshape(-1), type=pa.float32()), dim)


def _vector_type(dim: int) -> pa.DataType:
    return pa.list_(pa.float32(), dim)


def _table(name: str, columns: dict[str, pa.Array | list]) -> pa.Table:
    if tuple(columns) != COLUMNS[name]:
        raise ValueError(f"{name} needs columns {COLUMNS[name]}, got {tuple(columns)}")
    return pa.table(columns)


def document_table(docs: Sequence[Document], n_chunks: dict[str, int]) -> pa.Table:
    """``Document`` rows (kind ``text``) with their ACLs."""
    return _table(
        "Document",
        {
            "id": pa.array([d.id for d in docs], pa.string()),
            "source": pa.array([d.source for d in docs], pa.string()),
            "title": pa.array([d.title for d in docs], pa.string()),
            "hash": pa.array([d.hash for d in docs], pa.string()),
            "acl": pa.array([d.acl for d in docs], pa.string()),
            "kind": pa.array([DOCUMENT_KIND] * len(docs), pa.string()),
            "n_chunks": pa.array([n_chunks.get(d.id, 0) for d in docs], pa.int64()),
        },
    )


def chunk_table(chunks: Sequence[Chunk], vectors: np.ndarray, dim: int) -> pa.Table:
    """``Chunk`` rows with their embeddings."""
    return _table(
        "Chunk",
        {
            "id": pa.array([c.id for c in chunks], pa.string()),
            "doc_id": pa.array([c.doc_id for c in chunks], pa.string()),
            "text": pa.array([c.text for c in chunks], pa.string()),
            "position": pa.array([c.position for c in chunks], pa.int64()),
            "start_char": pa.array([c.start_char for c in chunks], pa.int64()),
            "end_char": pa.array([c.end_char for c in chunks], pa.int64()),
            "n_tokens": pa.array([c.n_tokens for c in chunks], pa.int64()),
            "embedding": _vectors(vectors, dim),
        },
    )


def entity_table(entities: Sequence[Entity], vectors: np.ndarray | None, dim: int) -> pa.Table:
    """``Entity`` rows with name embeddings (null embeddings when ``vectors`` is ``None``)."""
    return _table(
        "Entity",
        {
            "id": pa.array([e.id for e in entities], pa.string()),
            "name": pa.array([e.name for e in entities], pa.string()),
            "type": pa.array([e.type for e in entities], pa.string()),
            "aliases": pa.array([list(e.aliases) for e in entities], pa.list_(pa.string())),
            "embedding": _vectors(vectors, dim) if vectors is not None else pa.nulls(len(entities), _vector_type(dim)),
        },
    )


def has_chunk_table(chunks: Sequence[Chunk]) -> pa.Table:
    """``HAS_CHUNK`` (Document -> Chunk) rows."""
    return _table(
        "HAS_CHUNK",
        {
            "from": pa.array([c.doc_id for c in chunks], pa.string()),
            "to": pa.array([c.id for c in chunks], pa.string()),
        },
    )


def mentions_table(mentions: Sequence[LinkedMention]) -> pa.Table:
    """``MENTIONS`` (Chunk -> Entity) rows."""
    return _table(
        "MENTIONS",
        {
            "from": pa.array([m.mention.chunk_id for m in mentions], pa.string()),
            "to": pa.array([m.entity_id for m in mentions], pa.string()),
            "doc_id": pa.array([m.doc_id for m in mentions], pa.string()),
            "text": pa.array([m.mention.text for m in mentions], pa.string()),
            "label": pa.array([m.mention.label for m in mentions], pa.string()),
            "start_char": pa.array([m.mention.start_char for m in mentions], pa.int64()),
            "end_char": pa.array([m.mention.end_char for m in mentions], pa.int64()),
        },
    )


def relation_table(triples: Sequence[LinkedTriple]) -> pa.Table:
    """``RELATION`` (Entity -> Entity) rows, each with its chunk and document."""
    return _table(
        "RELATION",
        {
            "from": pa.array([t.subject_id for t in triples], pa.string()),
            "to": pa.array([t.object_id for t in triples], pa.string()),
            "predicate": pa.array([t.triple.predicate for t in triples], pa.string()),
            "chunk_id": pa.array([t.triple.chunk_id for t in triples], pa.string()),
            "doc_id": pa.array([t.triple.doc_id for t in triples], pa.string()),
            "source": pa.array([t.triple.source for t in triples], pa.string()),
            "confidence": pa.array([t.triple.confidence for t in triples], pa.float64()),
            "start_char": pa.array([t.start_char for t in triples], pa.int64()),
            "end_char": pa.array([t.end_char for t in triples], pa.int64()),
            "rule": pa.array([t.triple.rule for t in triples], pa.string()),
        },
    )


def about_table(about: Sequence[LinkedAbout]) -> pa.Table:
    """``ABOUT`` (Chunk -> Entity) rows: what each chunk is about, and how that was found."""
    return _table(
        "ABOUT",
        {
            "from": pa.array([a.chunk_id for a in about], pa.string()),
            "to": pa.array([a.entity_id for a in about], pa.string()),
            "doc_id": pa.array([a.doc_id for a in about], pa.string()),
            "source": pa.array([a.source for a in about], pa.string()),
        },
    )


EntityVectors = Callable[[Sequence[Entity]], "np.ndarray | None"]


def check_batch(store: GraphStore, batch: ExtractedBatch, replaces: Sequence[str]) -> None:
    """Refuse a batch that could make a ``COPY`` fail inside its transaction (see :func:`commit_batch`).

    Ids must be unique within the batch; every edge must end at a node of the batch; document and chunk ids
    that the store already holds must belong to documents this batch replaces.
    """
    doc_ids = [d.id for d in batch.documents]
    chunk_ids = [c.id for c in batch.chunks]
    entity_ids = [e.id for e in batch.entities]
    for name, ids in (("document", doc_ids), ("chunk", chunk_ids), ("entity", entity_ids)):
        if len(set(ids)) != len(ids):
            raise StoreError(f"refusing to load a batch with repeated {name} ids")
    if len(batch.chunk_vectors) != len(batch.chunks):
        raise StoreError(f"{len(batch.chunks)} chunks but {len(batch.chunk_vectors)} chunk embeddings")
    docs, chunks, ents = set(doc_ids), set(chunk_ids), set(entity_ids)
    if any(c.doc_id not in docs for c in batch.chunks):
        raise StoreError("refusing to load a chunk whose document is not in the batch")
    if any(m.mention.chunk_id not in chunks or m.entity_id not in ents for m in batch.mentions):
        raise StoreError("refusing to load a mention whose chunk or entity is not in the batch")
    if any(
        t.subject_id not in ents or t.object_id not in ents or t.triple.chunk_id not in chunks for t in batch.triples
    ):
        raise StoreError("refusing to load a triple whose entities or chunk are not in the batch")
    if any(a.chunk_id not in chunks or a.entity_id not in ents for a in batch.about):
        raise StoreError("refusing to load an ABOUT edge whose chunk or entity is not in the batch")
    replaced = set(replaces)
    clash = store.existing_ids("Document", doc_ids) - replaced
    if clash:
        raise StoreError(f"documents {sorted(clash)[:3]} are stored already and not being replaced")
    if chunk_ids:
        t = store.execute(Q.CHUNK_DOCS, {"ids": chunk_ids})
        stale = [
            c
            for c, d in zip(t.column("id").to_pylist(), t.column("doc_id").to_pylist(), strict=True)
            if d not in replaced
        ]
        if stale:
            raise StoreError(
                f"chunks {stale[:3]} are stored already under another document; "
                "remove orphans first (KuzuGraphStore.remove_orphans)"
            )


def commit_batch(
    store: GraphStore,
    batch: ExtractedBatch,
    *,
    entity_vectors: EntityVectors,
    replaces: Sequence[str] = (),
) -> LoadCounts:
    """Delete ``replaces`` (old document versions) and load ``batch``, all or nothing.

    ``entity_vectors`` gives the vectors of the entities that turn out to be new (``None``: leave them without
    embeddings); it is called inside the first transaction, after the deletes (an entity that only a replaced
    document supported is loaded again, with the new version's name, type and aliases), so it should answer
    from memory (the pipeline fills a name cache before calling this).

    The batch is checked first (:func:`check_batch`) and every Arrow table built before anything is written;
    :meth:`~graphrag.store.kuzu_store.KuzuGraphStore.write_documents` then writes it without ever rolling back
    a relationship ``COPY`` (Kuzu 0.11 would lose the table's committed rows).
    """
    dim = store.embedding_dim
    check_batch(store, batch, replaces)
    n_chunks: dict[str, int] = {}
    for c in batch.chunks:
        n_chunks[c.doc_id] = n_chunks.get(c.doc_id, 0) + 1
    tables = {
        "Document": document_table(batch.documents, n_chunks),
        "Chunk": chunk_table(batch.chunks, batch.chunk_vectors, dim),
        "HAS_CHUNK": has_chunk_table(batch.chunks),
        "MENTIONS": mentions_table(batch.mentions),
        "ABOUT": about_table(batch.about),
        "RELATION": relation_table(batch.triples),
    }
    new_entities: list[Entity] = []

    def entity_rows() -> pa.Table:
        existing = store.existing_ids("Entity", [e.id for e in batch.entities])
        new_entities[:] = [e for e in batch.entities if e.id not in existing]
        # names a later batch found for a stored entity join its aliases: batching does not decide them
        store.add_entity_aliases({e.id: e.aliases for e in batch.entities if e.id in existing and e.aliases})
        vectors = entity_vectors(new_entities) if new_entities else None
        return entity_table(new_entities, vectors, dim)

    removed = store.write_documents(tables, replaces=list(replaces), entities=entity_rows, keep_entities=False)
    return LoadCounts(
        documents=len(batch.documents),
        chunks=len(batch.chunks),
        entities=len(new_entities),
        mentions=len(batch.mentions),
        triples=len(batch.triples),
        removed=removed,
        about=len(batch.about),
    )


def delete_in_transaction(store: GraphStore, doc_ids: Sequence[str]) -> dict[str, int]:
    """Delete documents (and what only they supported) in one transaction."""
    if not doc_ids:
        return {}
    with store.transaction():
        return store.delete_documents(list(doc_ids))


__all__ = [
    "ExtractedBatch",
    "LinkedMention",
    "LinkedTriple",
    "LoadCounts",
    "about_table",
    "check_batch",
    "commit_batch",
    "delete_in_transaction",
    "chunk_table",
    "document_table",
    "entity_table",
    "has_chunk_table",
    "mentions_table",
    "relation_table",
]

"""Writing documents to Kuzu so that no failure can lose rows that were already committed.

Kuzu 0.11.3 cannot undo a relationship ``COPY``: when a transaction that bulk-loaded relationships into a
non-empty table is rolled back (an explicit ``ROLLBACK``, closing the connection before ``COMMIT``, or Kuzu's own
abort after any later statement fails), the table loses its *committed* relationships as well, and the loss
persists. A ``COPY`` that fails by itself (bad key, full buffer pool) leaves the table intact, node-table
``COPY`` rolls back correctly, and a killed process is safe (recovery replays only committed work).

So a write of documents happens in four steps, none of which ever rolls back a relationship ``COPY``:

1. one transaction deletes the rows of the documents being replaced (keeping their entities for now) and loads
   the node tables, with each new ``Document``'s hash marked *pending*;
2. each relationship table is loaded by one ``COPY`` statement of its own, committed by itself;
3. one transaction sets the real hashes and prunes entities that only the replaced versions used.
4. If step 2 or 3 fails, one transaction deletes what steps 1-2 wrote for these documents (compensation)
   and the error is raised again.

A crash between steps leaves the documents *pending*: :meth:`~graphrag.store.kuzu_store.KuzuGraphStore.stats`
counts them, their hash never matches a source's, so the next ingest or import of that source replaces them,
and ``graphrag delete`` removes them. Ctrl-C is held until the write is over.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.compute as pc

from graphrag.interrupts import interrupts_deferred
from graphrag.store import queries as Q
from graphrag.store.schema import REL_TABLES

if TYPE_CHECKING:
    from graphrag.store.kuzu_store import KuzuGraphStore

#: Prefix of a ``Document.hash`` whose relationships may not all be written yet.
PENDING_PREFIX = "pending:"

#: Node tables a write may load besides ``Document`` (entities come from the ``entities`` callback).
_NODE_TABLES = ("Chunk",)


def is_pending(digest: str | None) -> bool:
    """Whether a stored ``Document.hash`` marks a write that never finished."""
    return bool(digest) and str(digest).startswith(PENDING_PREFIX)


def write_documents(
    store: KuzuGraphStore,
    tables: Mapping[str, pa.Table],
    *,
    replaces: Sequence[str] = (),
    entities: Callable[[], pa.Table] | None = None,
    keep_entities: bool = True,
) -> dict[str, int]:
    """Replace the documents ``replaces`` and load ``tables``, as described in this module's docstring.

    Args:
        store: an open, writable store.
        tables: rows by table name: ``Document`` (required, with the real hashes), ``Chunk`` and any of
            :data:`~graphrag.store.schema.REL_TABLES`.
        replaces: ids of stored documents to delete first (old versions of changed documents).
        entities: called after the deletes, inside the first transaction; returns the ``Entity`` rows to add
            (so it can ask :meth:`existing_ids` what is still stored).
        keep_entities: keep the entities of replaced documents until the new rows are in (so entities both
            versions use keep their embeddings), then prune those nothing uses; ``False`` deletes the ones only
            the replaced documents used first, so ``entities`` recreates them from the new version.

    Returns:
        rows removed per table (``Document``, ``Chunk``, ``RELATION``, ``Entity``).
    """
    unknown = set(tables) - {"Document", *_NODE_TABLES, *REL_TABLES}
    if unknown or "Document" not in tables:
        raise ValueError(
            f"write_documents needs a Document table and knows {sorted(_NODE_TABLES + REL_TABLES)}; "
            f"got {sorted(tables)}"
        )
    docs = tables["Document"]
    doc_ids = docs.column("id").to_pylist()
    hashes = docs.column("hash").to_pylist()
    pending = docs.set_column(
        docs.column_names.index("hash"), "hash", pc.binary_join_element_wise(PENDING_PREFIX, docs["hash"], "")
    )
    with interrupts_deferred():
        with store.transaction():
            touched = store.entities_of_documents(list(replaces)) if replaces else []
            removed = store.delete_document_rows(list(replaces)) if replaces else {}
            if replaces and not keep_entities:
                removed["Entity"] = store.prune_entities(touched)
                touched = []
            store.bulk_load("Document", pending)
            for name in _NODE_TABLES:
                if name in tables:
                    store.bulk_load(name, tables[name])
            added = entities() if entities is not None else None
            if added is not None:
                store.bulk_load("Entity", added)
        try:
            for name in REL_TABLES:  # one statement each, committed by itself: nothing to roll back
                if name in tables:
                    store.bulk_load(name, tables[name])
            with store.transaction():
                rows = [{"id": i, "hash": h} for i, h in zip(doc_ids, hashes, strict=True)]
                store.execute(Q.SET_DOCUMENT_HASHES, {"rows": rows})
                if replaces and keep_entities:
                    removed["Entity"] = store.prune_entities(touched)
        except BaseException:
            new_ids = added.column("id").to_pylist() if added is not None else []
            discard_documents(store, doc_ids, also_prune=[*touched, *new_ids])
            raise
    return removed


def discard_documents(store: KuzuGraphStore, doc_ids: Sequence[str], *, also_prune: Sequence[str] = ()) -> None:
    """Delete what a failed :func:`write_documents` wrote for ``doc_ids`` (and entities nothing else uses).

    If this fails as well the documents stay pending, to be replaced by the next write or removed by
    ``graphrag delete``; the original error is the one the caller sees.
    """
    with contextlib.suppress(Exception), store.transaction():
        touched = store.entities_of_documents(list(doc_ids))
        store.delete_document_rows(list(doc_ids))
        store.prune_entities(sorted(set(touched) | set(also_prune)))


__all__ = ["PENDING_PREFIX", "discard_documents", "interrupts_deferred", "is_pending", "write_documents"]

"""The embedded Kuzu implementation of the :class:`~graphrag.store.graph_store.GraphStore` seam."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa

from graphrag.errors import InputError, StoreError
from graphrag.store import queries as Q
from graphrag.store.document_rows import DocumentRows
from graphrag.store.engines import engine_module, forward_only_mentions, resolve_engine
from graphrag.store.graph_store import QueryResult
from graphrag.store.kuzu_open import open_database, take_lock
from graphrag.store.readonly import calls_procedure, ensure_files_allowed, ensure_read_only, split_statements
from graphrag.store.retrieval_reads import RetrievalReads
from graphrag.store.schema import (
    COLUMNS,
    FORWARD_ONLY_TABLES,
    NODE_TABLES,
    REL_TABLES,
    SCHEMA_VERSION,
    UPGRADE_DEFAULTS,
    UPGRADES,
    schema_ddl,
)
from graphrag.store.staged_write import write_documents

# UNWIND + primary-key lookup: ``WHERE n.id IN $ids`` scans the list for every row (43k ids took 73 s).
_EXISTING_IDS = {
    t: f"UNWIND $ids AS i MATCH (n:{t} {{id: i}}) RETURN n.id AS id" for t in ("Document", "Chunk", "Entity")
}


def _arrow_type(value: object) -> pa.DataType:
    return pa.string() if isinstance(value, str) else pa.int64()


_INTERNAL_KEYS = {k.upper(): k for k in ("_id", "_label", "_src", "_dst", "_nodes", "_rels")}


def _kuzu_keys(value: Any) -> Any:
    """A query value with the engine's internal keys of nodes, relationships and paths spelled as Kuzu does."""
    if isinstance(value, dict):
        return {_INTERNAL_KEYS.get(k, k): _kuzu_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_kuzu_keys(v) for v in value]
    return value


class KuzuGraphStore(RetrievalReads, DocumentRows):
    """A knowledge graph in an embedded Kuzu-family database at ``path`` (Kuzu 0.11.3 or LadybugDB).

    Args:
        path: the database file (created if missing, unless ``read_only``); ``":memory:"`` for one in memory.
        read_only: open without write access; several readers may share a database.
        embedding_dim: floats per embedding, fixed when the database is created.
        buffer_pool_mb: the engine's buffer pool size; ``None`` lets it choose.
        engine: ``kuzu``, ``ladybug`` or ``auto`` (an existing store opens with the engine that wrote it; a new
            one gets ``$GRAPHRAG_ENGINE``, else Kuzu); see :mod:`graphrag.store.engines`.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        read_only: bool = False,
        embedding_dim: int = 384,
        buffer_pool_mb: int | None = 1024,
        engine: str = "auto",
    ) -> None:
        self.path = Path(path)
        self.engine = resolve_engine(self.path, engine)
        self.read_only = read_only
        if read_only and not self.path.exists():
            raise StoreError(f"no database at {self.path} (run `graphrag ingest` or `graphrag import-triples` first)")
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        in_memory = str(path) == ":memory:"
        self._lock = None if self.engine == "kuzu" or in_memory else take_lock(self.path, shared=read_only)
        try:
            self._db = open_database(self.path, read_only=read_only, buffer_pool_mb=buffer_pool_mb, engine=self.engine)
        except BaseException:
            if self._lock is not None:
                self._lock.close()
            raise
        self._conn = engine_module(self.engine).Connection(self._db)
        self._in_transaction = False
        self.embedding_dim = embedding_dim
        if read_only:
            meta = self.meta()
            if "embedding_dim" in meta:
                self.embedding_dim = int(meta["embedding_dim"])
        else:
            self._ensure_schema(embedding_dim)
        self.mentions_forward_only = bool(self.forward_only_tables())  # fixed when the store was created

    # -- lifecycle -----------------------------------------------------------------------------------------------
    def close(self) -> None:
        """Release the connection and the database (and its file lock)."""
        self._conn.close()
        self._db.close()
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    def __enter__(self) -> KuzuGraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _ensure_schema(self, embedding_dim: int) -> None:
        existing = set(self.execute("CALL show_tables() RETURN name").column("name").to_pylist())
        if "Meta" in existing:
            meta = self.meta()
            stored = int(meta.get("embedding_dim", embedding_dim))
            if stored != embedding_dim:
                raise StoreError(
                    f"the database at {self.path} holds {stored}-d embeddings but the embedder makes "
                    f"{embedding_dim}-d ones; use the same embedder or a new --db"
                )
        for ddl in schema_ddl(embedding_dim, forward_only=forward_only_mentions(self.engine)):
            self._conn.execute(ddl)  # an existing table keeps its layout: old stores keep both directions
        for table, column, spec in UPGRADES:  # a store from an earlier version gets the columns it lacks
            if column not in self.columns(table):
                self._conn.execute(f"ALTER TABLE {table} ADD {column} {spec}")
        self.set_meta("schema_version", SCHEMA_VERSION)
        self.set_meta("embedding_dim", str(embedding_dim))

    # -- queries -------------------------------------------------------------------------------------------------
    def execute(self, query: str, params: Mapping[str, Any] | None = None) -> pa.Table:
        """Run a trusted, library-owned query (one statement) and return its rows as an Arrow table."""
        try:
            result = self._conn.execute(query, dict(params or {}))
        except RuntimeError as exc:
            raise StoreError(f"query failed: {_explain(exc)}") from exc
        if isinstance(result, list):
            result = result[-1]
        if not result.get_column_names():  # a statement with no RETURN
            result.close()
            return pa.table({})
        table = result.get_as_arrow()
        result.close()
        return table

    def scalar(self, query: str, params: Mapping[str, Any] | None = None) -> Any:
        """The single value a query returns (e.g. a count)."""
        table = self.execute(query, params)
        return table.column(0)[0].as_py() if table.num_rows else None

    def run_user_query(
        self,
        query: str,
        params: Mapping[str, Any] | None = None,
        *,
        allow_write: bool = False,
        load_dirs: Sequence[str | Path] = (),
    ) -> QueryResult:
        """Run a user's Cypher. Without ``allow_write`` any writing query is refused before it runs, and so is
        a ``LOAD FROM`` of a file outside ``load_dirs``."""
        if not allow_write:
            ensure_read_only(query)
            ensure_files_allowed(query, params, load_dirs)
        if self.engine == "kuzu" and calls_procedure(query, "show_functions"):
            # Kuzu 0.11.3 dereferences a null pointer in show_functions() for any macro in the catalog (a full-text
            # index defines some): the process would die with SIGSEGV, which no caller can catch.
            raise StoreError(
                "show_functions() is refused on Kuzu 0.11.3: it crashes the engine when the database holds a macro "
                "(every full-text index defines some)"
            )
        if params and len(split_statements(query)) > 1:  # Kuzu cannot prepare several statements at once
            raise StoreError("a query with $parameters must be one statement; run the statements one by one")
        try:
            result = self._conn.execute(query, dict(params or {}))
        except RuntimeError as exc:
            message = str(exc).removeprefix("Binder exception: ").strip()
            if "storage direction to BOTH" in message:
                message += (
                    f" (this store keeps {' and '.join(FORWARD_ONLY_TABLES)} forward only, chunk -> entity: match "
                    "them from the chunk, e.g. MATCH (c:Chunk)-[:MENTIONS]->(e:Entity) WHERE e.id = $id, not inside "
                    "EXISTS/COUNT/OPTIONAL MATCH from the entity)"
                )
            raise StoreError(message) from exc
        results = result if isinstance(result, list) else [result]
        last = results[-1]
        columns = tuple(last.get_column_names())
        rows: list[tuple[Any, ...]] = []
        while last.has_next():
            rows.append(tuple(last.get_next()))
        for r in results:
            r.close()
        if self.engine != "kuzu":  # LadybugDB spells a node's internals _ID, _LABEL ...: one spelling for callers
            rows = [tuple(_kuzu_keys(v) for v in row) for row in rows]
        return QueryResult(columns=columns, rows=tuple(rows))

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """All statements inside commit together or not at all (also across a crash).

        Relationship tables cannot be bulk-loaded inside (see :mod:`graphrag.store.staged_write`): use
        :meth:`write_documents`.
        """
        if self._in_transaction:
            raise StoreError("transactions do not nest")
        self._conn.execute("BEGIN TRANSACTION")
        self._in_transaction = True
        try:
            yield
        except BaseException:
            # Kuzu has already aborted the transaction if one of its statements failed.
            with contextlib.suppress(RuntimeError):
                self._conn.execute("ROLLBACK")
            raise
        finally:
            self._in_transaction = False
        try:
            self._conn.execute("COMMIT")
        except RuntimeError as exc:
            if "committed successfully" in str(exc).lower():  # LadybugDB: the data is in, its checkpoint is not
                why = _explain(exc)
                raise StoreError(f"the write was committed but the checkpoint after it failed: {why}") from exc
            with contextlib.suppress(RuntimeError):
                self._conn.execute("ROLLBACK")
            raise StoreError(f"commit failed (the transaction was rolled back): {_explain(exc)}") from exc

    # -- bulk load -----------------------------------------------------------------------------------------------
    def bulk_load(self, table: str, data: pa.Table) -> int:
        """Append ``data`` (columns in :data:`COLUMNS` order) to ``table`` with one ``COPY``."""
        if table not in COLUMNS or table == "Meta":
            raise ValueError(f"unknown table {table!r}; choose one of {sorted(COLUMNS)}")
        expected = list(COLUMNS[table])
        later = [c for c in expected if c not in data.column_names and (table, c) in UPGRADE_DEFAULTS]
        if later and data.column_names == [c for c in expected if c not in later]:
            for c in later:  # rows shaped before a column was added get its default
                value = UPGRADE_DEFAULTS[(table, c)]
                data = data.append_column(c, pa.array([value] * data.num_rows, _arrow_type(value)))
            data = data.select(expected)
        if data.column_names != expected:
            raise ValueError(f"{table} rows need columns {expected}, got {data.column_names}")
        if data.num_rows == 0:
            return 0
        if table in REL_TABLES and self._in_transaction:
            raise StoreError(
                f"refusing to bulk-load {table} inside a transaction: Kuzu 0.11 loses the table's committed "
                "relationships if that transaction rolls back; use write_documents"
            )
        _rows = data  # Kuzu's COPY finds the Arrow table by its variable name in this frame
        try:
            self._conn.execute(f"COPY {table} FROM _rows")
        except RuntimeError as exc:
            raise StoreError(f"bulk load into {table} failed: {_explain(exc)}") from exc
        return data.num_rows

    def write_documents(
        self,
        tables: Mapping[str, pa.Table],
        *,
        replaces: Sequence[str] = (),
        entities: Callable[[], pa.Table] | None = None,
        keep_entities: bool = True,
    ) -> dict[str, int]:
        """Replace the documents ``replaces`` and load ``tables`` (``Document``, ``Chunk``, relationship tables),
        plus the ``Entity`` rows that ``entities()`` returns once the old versions are gone.

        Readers see all of it or, after a failure, none of it; a crash part-way leaves the new documents
        marked pending, to be replaced by the next write (:mod:`graphrag.store.staged_write` says why and how).
        Returns the rows removed per table.
        """
        return write_documents(self, tables, replaces=replaces, entities=entities, keep_entities=keep_entities)

    # -- documents -----------------------------------------------------------------------------------------------
    def document_hashes(self, sources: Sequence[str] | None = None) -> dict[str, tuple[str, str]]:
        """``doc_id -> (source, hash)`` of committed documents, optionally only those from ``sources``."""
        if sources is None:
            t = self.execute(Q.DOCUMENT_HASHES)
        else:
            t = self.execute(Q.DOCUMENT_HASHES_FOR_SOURCES, {"sources": list(sources)})
        ids, srcs, hashes = (t.column(c).to_pylist() for c in ("id", "source", "hash"))
        return {i: (s, h) for i, s, h in zip(ids, srcs, hashes, strict=True)}

    def document_acls(self) -> dict[str, str]:
        """``doc_id -> ACL`` of every document (``""``: public)."""
        t = self.execute(Q.DOCUMENT_ACLS)
        return {i: a or "" for i, a in zip(t.column("id").to_pylist(), t.column("acl").to_pylist(), strict=True)}

    def set_document_acls(self, acls: Mapping[str, str]) -> int:
        """Set the ACLs of documents by id in one transaction (an update: nothing is re-extracted); returns how
        many documents were found."""
        rows = [{"id": k, "acl": v} for k, v in acls.items()]
        if not rows:
            return 0
        with self.transaction():
            return int(self.scalar(Q.SET_DOCUMENT_ACLS, {"rows": rows}) or 0)

    def documents_for(self, source: str) -> list[str]:
        """Ids of documents from file ``source`` (and its records ``source#...``)."""
        t = self.execute(Q.DOCUMENTS_BY_SOURCE_PREFIX, {"source": source, "prefix": source + "#"})
        return t.column("id").to_pylist()

    def documents_named(self, target: str) -> list[str]:
        """The documents ``target`` names: a document id, else the resolved path of an ingested or imported file
        (every record of a corpus). Raises :class:`~graphrag.errors.InputError` when it names none."""
        ids = self.existing_ids("Document", [target])
        if not ids:
            ids = set(self.documents_for(str(Path(target).resolve())))
        if not ids:
            raise InputError(f"no document with id or source {target!r} (see `graphrag documents`)")
        return sorted(ids)

    def list_documents(self) -> list[dict[str, Any]]:
        """Every committed document: id, source, title, kind and chunk count."""
        return self.execute(Q.LIST_DOCUMENTS).to_pylist()

    def existing_ids(self, table: str, ids: Sequence[str]) -> set[str]:
        """Which of ``ids`` are already primary keys of ``table``."""
        if table not in _EXISTING_IDS:
            raise ValueError(f"unknown node table {table!r}; choose one of {sorted(_EXISTING_IDS)}")
        if not ids:
            return set()
        return set(self.execute(_EXISTING_IDS[table], {"ids": list(ids)}).column("id").to_pylist())

    # -- meta and stats ------------------------------------------------------------------------------------------
    def meta(self) -> dict[str, str]:
        """Key/value facts stored with the database (schema version, embedding model, ...)."""
        t = self.execute(Q.GET_META)
        return dict(zip(t.column("key").to_pylist(), t.column("value").to_pylist(), strict=True))

    def set_meta(self, key: str, value: str) -> None:
        """Record a fact about the store."""
        self.execute(Q.SET_META, {"key": key, "value": value})

    def tables(self) -> set[str]:
        """The names of the store's tables."""
        return set(self.execute("CALL show_tables() RETURN name").column("name").to_pylist())

    def columns(self, table: str) -> set[str]:
        """The property names of ``table`` (one of the schema's: a store of an earlier version opened read-only
        may lack the newer ones)."""
        if table not in COLUMNS:
            raise ValueError(f"unknown table {table!r}; choose one of {sorted(COLUMNS)}")
        return set(self.execute(f"CALL table_info('{table}') RETURN name").column("name").to_pylist())

    def forward_only_tables(self) -> set[str]:
        """Which of :data:`~graphrag.store.schema.FORWARD_ONLY_TABLES` this store keeps forward only (fixed when
        the store was created: see :func:`~graphrag.store.engines.forward_only_mentions`)."""
        have = self.tables()
        out = set()
        for table in FORWARD_ONLY_TABLES:
            if table in have:
                info = self.execute(f"CALL table_info('{table}') RETURN *")
                if "storage_direction" in info.column_names and "fwd" in info.column("storage_direction").to_pylist():
                    out.add(table)
        return out

    def stats(self, *, top_predicates: int = 25) -> dict[str, Any]:
        """Counts by node table, relationship table, predicate and entity type."""
        nodes = {t: int(self.scalar(q) or 0) for t, q in Q.COUNT_NODES.items()}
        have = self.tables()  # a store of an earlier schema opened read-only may lack newer tables
        rels = {t: int(self.scalar(q) or 0) if t in have else 0 for t, q in Q.COUNT_RELS.items()}
        preds = self.execute(Q.PREDICATE_COUNTS, {"limit": top_predicates}).to_pylist()
        types = self.execute(Q.ENTITY_TYPE_COUNTS).to_pylist()
        return {
            "nodes": nodes,
            "relationships": rels,
            "pending_documents": int(self.scalar(Q.COUNT_PENDING_DOCUMENTS) or 0),
            "predicates": {r["predicate"]: int(r["n"]) for r in preds},
            "entity_types": {(r["type"] or ""): int(r["n"]) for r in types},
        }


def _explain(exc: RuntimeError) -> str:
    """Kuzu's message, with what to do when it is the buffer pool that ran out."""
    text = str(exc)
    if "buffer pool is full" in text.lower():
        text += " (the engine's buffer pool is too small for this store: raise [store] buffer_pool_mb)"
    return text


__all__ = ["KuzuGraphStore", "NODE_TABLES"]

"""The store's reads for retrieval: whole tables in bulk for the in-memory indexes (chunks, entities, mentions,
ABOUT and relation edges, the KG's adjacency), the mentions of given chunks, and the engine's own vector and
full-text indexes. A mixin of :class:`~graphrag.store.kuzu_store.KuzuGraphStore`, which provides ``execute`` and
``tables``."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pyarrow as pa

from graphrag.errors import StoreError
from graphrag.store import queries as Q

# One call of each index function on the table ``''``, which no schema holds: it binds (or fails to find the
# function) and never runs, so it writes nothing, read-only stores included (see ``has_index_functions``).
_INDEX_FUNCTION_PROBES = (
    ("CREATE_VECTOR_INDEX", "CALL CREATE_VECTOR_INDEX('', '', '')"),
    ("CREATE_FTS_INDEX", "CALL CREATE_FTS_INDEX('', '', [''])"),
)


class RetrievalReads:
    """Bulk reads and index queries over ``self.execute`` (see the module's docstring)."""

    # provided by the store this is mixed into (declared, not defined, here)
    execute: Callable[..., pa.Table]
    tables: Callable[[], set[str]]
    columns: Callable[[str], set[str]]
    _index_functions: bool | None  # has_index_functions()'s answer, once asked

    def retrieval_chunks(self) -> pa.Table:
        """Every chunk of a committed document: id, doc_id, title, text, position, embedding."""
        return self.execute(Q.RETRIEVAL_CHUNKS)

    def retrieval_entities(self) -> pa.Table:
        """Every entity: id, name, type, aliases, embedding."""
        return self.execute(Q.RETRIEVAL_ENTITIES)

    def retrieval_mentions(self) -> pa.Table:
        """Every ``(chunk_id, entity_id)`` mention edge."""
        return self.execute(Q.RETRIEVAL_MENTIONS)

    def chunk_mentions(self, chunk_ids: Sequence[str]) -> dict[str, list[tuple[int, int, str, str]]]:
        """The named-entity mentions ingest found in each of ``chunk_ids``: ``(start, end, label, text)`` with
        character offsets into the chunk's text, in reading order (chunks without any are absent)."""
        if not chunk_ids:
            return {}
        table = self.execute(Q.CHUNK_MENTIONS, {"ids": list(dict.fromkeys(chunk_ids))})
        out: dict[str, list[tuple[int, int, str, str]]] = {}
        for row in table.to_pylist():
            out.setdefault(row["chunk_id"], []).append((int(row["s"]), int(row["e"]), row["label"], row["text"]))
        for spans in out.values():
            spans.sort()
        return out

    def retrieval_about(self) -> pa.Table:
        """Every ABOUT edge (``chunk_id``, ``entity_id``, ``source``): what each passage is about and how that was
        found (none in a store made before
        ABOUT edges existed and opened read-only, which cannot be upgraded)."""
        if "ABOUT" not in self.tables():
            empty = pa.array([], pa.string())
            return pa.table({"chunk_id": empty, "entity_id": empty, "source": empty})
        return self.execute(Q.RETRIEVAL_ABOUT)

    def retrieval_relations(self) -> pa.Table:
        """Every relation edge: subject id, predicate, object id, the chunk it came from and the rule that found
        it (empty for imported triples and in stores made before rules were recorded)."""
        if "rule" in self.columns("RELATION"):
            return self.execute(Q.RETRIEVAL_RELATIONS)
        return self.execute(Q.RETRIEVAL_RELATIONS_NO_RULE)

    def kg_edges(self) -> pa.Table:
        """Every relation edge as ``src``, ``dst`` (entity ids) and ``predicate``: the KG's adjacency."""
        return self.execute(Q.KG_EDGES)

    def kg_entity_names(self) -> pa.Table:
        """``id``, ``name`` and ``aliases`` of every entity, ordered by id (no embeddings: cheap to read)."""
        return self.execute(Q.KG_ENTITY_NAMES)

    def kg_passage_mentions(self) -> pa.Table:
        """``src`` (the entity a passage is about) and ``dst`` (another entity it mentions), distinct pairs."""
        return self.execute(Q.KG_PASSAGE_MENTIONS)

    def index_names(self) -> dict[str, str]:
        """``index name -> index type`` (``HNSW``, ``FTS``) of the indexes in this database."""
        t = self.execute(Q.SHOW_INDEXES)
        return dict(zip(t.column("index_name").to_pylist(), t.column("index_type").to_pylist(), strict=True))

    def has_index_functions(self) -> bool:
        """Whether the engine has its vector and full-text index functions without downloading an extension
        (Kuzu 0.11.3 links them in; LadybugDB 0.22 installs them from the network, which an offline box lacks).

        Asked once per store, by binding each function on a table that cannot exist (``''``): a function the
        engine lacks fails with "function ... does not exist / is not defined", one it has with the missing table;
        nothing runs. Not ``CALL show_functions()``: Kuzu 0.11.3 dereferences a null pointer there for any macro in
        the catalog, and ``CREATE_FTS_INDEX`` defines macros, so on a store with a full-text index the process died
        (SIGSEGV, uncatchable). Not inside :meth:`transaction` either: a failed statement aborts it."""
        cached = getattr(self, "_index_functions", None)
        if cached is not None:
            return cached
        if getattr(self, "_in_transaction", False):
            raise StoreError("has_index_functions() cannot be asked inside a transaction (its probe would abort it)")
        found = all(self._engine_has_function(name, probe) for name, probe in _INDEX_FUNCTION_PROBES)
        self._index_functions = found
        return found

    def _engine_has_function(self, name: str, probe: str) -> bool:
        """Whether binding ``probe`` (a call of function ``name`` on no table) finds the function."""
        try:
            self.execute(probe)
        except StoreError as exc:
            text = str(exc).lower()
            return not (f"function {name.lower()} " in text and ("does not exist" in text or "not defined" in text))
        return True

    def ensure_chunk_vector_index(self, *, rebuild: bool = False) -> bool:
        """Build Kuzu's HNSW index over chunk embeddings if missing; returns whether it was (re)built."""
        exists = Q.CHUNK_VECTOR_INDEX in self.index_names()
        if exists and not rebuild:
            return False
        if exists:
            self.execute(Q.DROP_CHUNK_VECTOR_INDEX)
        self.execute(Q.CREATE_CHUNK_VECTOR_INDEX)
        return True

    def ensure_chunk_fts_index(self, *, rebuild: bool = False) -> bool:
        """Build Kuzu's full-text (BM25) index over chunk text if missing; returns whether it was (re)built."""
        exists = Q.CHUNK_FTS_INDEX in self.index_names()
        if exists and not rebuild:
            return False
        if exists:
            self.execute(Q.DROP_CHUNK_FTS_INDEX)
        self.execute(Q.CREATE_CHUNK_FTS_INDEX)
        return True

    def query_chunk_vector_index(self, vector: Sequence[float], k: int) -> list[tuple[str, float]]:
        """The ``k`` chunks nearest to ``vector`` by the HNSW index: ``(chunk id, cosine distance)``, nearest first."""
        t = self.execute(Q.QUERY_CHUNK_VECTOR_INDEX, {"vector": [float(x) for x in vector], "k": int(k)})
        return list(zip(t.column("id").to_pylist(), t.column("distance").to_pylist(), strict=True))

    def query_chunk_fts_index(self, query: str, k: int) -> list[tuple[str, float]]:
        """The ``k`` best chunks for ``query`` by the full-text index: ``(chunk id, BM25 score)``, best first."""
        t = self.execute(Q.QUERY_CHUNK_FTS_INDEX, {"query": query, "k": int(k)})
        if not t.num_rows:
            return []
        return list(zip(t.column("id").to_pylist(), t.column("score").to_pylist(), strict=True))


__all__ = ["RetrievalReads"]

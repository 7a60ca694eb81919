"""The graph store seam (:class:`GraphStore`) and its embedded Kuzu implementation: schema DDL in one module,
named Cypher queries with ``$parameters``, bulk loads staged so that no failure loses committed rows
(:mod:`~graphrag.store.staged_write`), and the read-only guard for users' Cypher. Everything that touches the
database goes through here; another engine is another class with the :class:`GraphStore` protocol."""

from graphrag.store.graph_store import GraphStore, QueryResult
from graphrag.store.kuzu_store import KuzuGraphStore
from graphrag.store.readonly import ensure_read_only, write_reason

__all__ = ["GraphStore", "KuzuGraphStore", "QueryResult", "ensure_read_only", "write_reason"]

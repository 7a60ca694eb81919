"""The graph store seam and its Kuzu implementation."""

from graphrag.store.graph_store import GraphStore, QueryResult
from graphrag.store.kuzu_store import KuzuGraphStore
from graphrag.store.readonly import ensure_read_only, write_reason

__all__ = ["GraphStore", "KuzuGraphStore", "QueryResult", "ensure_read_only", "write_reason"]

"""The graph-store seam.

Everything that touches the database goes through this Protocol, so a server-class engine can replace the embedded Kuzu
store without changes elsewhere. Tables are exchanged as :class:`pyarrow.Table` (columns in :data:`COLUMNS` order).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import pyarrow as pa


@dataclass(frozen=True, slots=True)
class QueryResult:
    """Rows returned by a Cypher query, with column names."""

    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]

    def records(self) -> list[dict[str, Any]]:
        """The rows as dictionaries keyed by column name."""
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


@runtime_checkable
class GraphStore(Protocol):
    """What the rest of the toolkit needs from a graph database."""

    embedding_dim: int
    path: Path

    def close(self) -> None:
        """Release the database."""

    def transaction(self) -> AbstractContextManager[None]:
        """A block whose statements commit together or not at all."""

    def meta(self) -> dict[str, str]:
        """The store's key-value settings (embedder, embedding size, GNN checkpoint, ...)."""

    def set_meta(self, key: str, value: str) -> None:
        """Set one key of :meth:`meta`."""

    def execute(self, query: str, params: Mapping[str, Any] | None = None) -> pa.Table:
        """Run one trusted (library-owned) query with ``$parameters`` and return its rows."""

    def run_user_query(
        self,
        query: str,
        params: Mapping[str, Any] | None = None,
        *,
        allow_write: bool = False,
        load_dirs: Sequence[str | Path] = (),
    ) -> QueryResult:
        """Run a user's Cypher; refused with :class:`ReadOnlyViolation` if it writes and ``allow_write`` is false,
        or if it reads a file outside ``load_dirs`` with ``LOAD FROM``."""

    def bulk_load(self, table: str, data: pa.Table) -> int:
        """Append rows to ``table`` in one bulk operation; returns the row count."""

    def write_documents(
        self,
        tables: Mapping[str, pa.Table],
        *,
        replaces: Sequence[str] = (),
        entities: Callable[[], pa.Table] | None = None,
        keep_entities: bool = True,
    ) -> dict[str, int]:
        """Replace the documents ``replaces`` and load ``tables`` so that readers see all of it or none of it;
        returns the rows removed per table."""

    def list_documents(self) -> list[dict[str, Any]]:
        """Every committed document: id, source, title, kind, chunk count and whether it is pending."""

    def documents_for(self, source: str) -> list[str]:
        """Ids of documents from file ``source`` (and its records ``source#...``)."""

    def document_hashes(self, sources: Sequence[str] | None = None) -> dict[str, tuple[str, str]]:
        """``doc_id -> (source, hash)`` for committed documents, optionally only those from ``sources``."""

    def documents_named(self, target: str) -> list[str]:
        """The documents a document id or an ingested file's path names (an ``InputError`` when none)."""

    def document_acls(self) -> dict[str, str]:
        """``doc_id -> ACL`` of every document (``""``: public)."""

    def set_document_acls(self, acls: Mapping[str, str]) -> int:
        """Set the ACLs of documents by id (an update: nothing is re-extracted); returns how many changed."""

    def existing_ids(self, table: str, ids: Sequence[str]) -> set[str]:
        """Which of ``ids`` already exist as primary keys of node table ``table``."""

    def add_entity_aliases(self, aliases: Mapping[str, Sequence[str]]) -> int:
        """Add names to stored entities' aliases (id -> names; kept sorted, once each, never the entity's own
        name); returns how many entities changed."""

    def delete_documents(self, doc_ids: Sequence[str]) -> dict[str, int]:
        """Remove documents and all that only they supported; returns counts removed per table."""

    def remove_orphans(self) -> dict[str, int]:
        """Remove rows left by an interrupted load (chunks and facts of uncommitted documents, unused entities)."""

    def stats(self) -> dict[str, Any]:
        """Node and relationship counts by table, and relation counts by predicate."""

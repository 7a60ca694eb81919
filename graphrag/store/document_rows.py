"""Keeping a store's rows in step with its documents: removing documents with what only they supported (chunks,
mentions, triples, then entities nothing uses), clearing rows an interrupted load left behind, and adding the names a
later document finds for a stored entity to its aliases. A mixin of
:class:`~graphrag.store.kuzu_store.KuzuGraphStore`, which provides ``execute``, ``scalar`` and
``mentions_forward_only``."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pyarrow as pa

from graphrag.store import queries as Q


class DocumentRows:
    """Document removal and entity upkeep over ``self.execute`` / ``self.scalar`` (see the module's docstring)."""

    # provided by the store this is mixed into (declared, not defined, here)
    execute: Callable[..., pa.Table]
    scalar: Callable[..., Any]
    #: whether this store keeps MENTIONS and ABOUT forward only (graphrag.store.schema), set when it is opened
    mentions_forward_only: bool

    def delete_documents(self, doc_ids: Sequence[str]) -> dict[str, int]:
        """Remove documents, their chunks, mentions and triples, and entities nothing else supports."""
        ids = list(doc_ids)
        if not ids:
            return {"Document": 0, "Chunk": 0, "RELATION": 0, "Entity": 0}
        touched = self.entities_of_documents(ids)
        removed = self.delete_document_rows(ids)
        removed["Entity"] = self.prune_entities(touched)
        return removed

    def entities_of_documents(self, doc_ids: Sequence[str]) -> list[str]:
        """Ids of the entities that the chunks and triples of ``doc_ids`` mention."""
        return self.execute(Q.ENTITIES_OF_DOCS, {"ids": list(doc_ids)}).column("id").to_pylist()

    def prune_entities(self, entity_ids: Sequence[str]) -> int:
        """Delete those of ``entity_ids`` that no chunk mentions and no triple uses; returns how many."""
        if not entity_ids:
            return 0
        ids = list(dict.fromkeys(entity_ids))
        if not self.mentions_forward_only:
            return int(self.scalar(Q.DELETE_ORPHAN_ENTITIES_AMONG, {"ids": ids}) or 0)
        # Forward-only MENTIONS/ABOUT (see graphrag.store.schema): what still cites an entity is found from the chunks.
        cited = set(self.execute(Q.ENTITIES_WITH_PASSAGES_AMONG, {"ids": ids}).column("id").to_pylist())
        unused = [i for i in ids if i not in cited]
        if not unused:
            return 0
        return int(self.scalar(Q.DELETE_UNRELATED_ENTITIES_AMONG, {"ids": unused}) or 0)

    def delete_document_rows(self, doc_ids: Sequence[str]) -> dict[str, int]:
        """Remove documents with their chunks, mentions and triples, but keep every entity.

        For replacing a document: load its new version, then :meth:`prune_entities` over what the old one
        touched (:meth:`entities_of_documents`), so entities both versions use keep their embeddings.
        """
        ids = list(doc_ids)
        if not ids:
            return {"Document": 0, "Chunk": 0, "RELATION": 0}
        return {
            "RELATION": int(self.scalar(Q.DELETE_RELATIONS_OF_DOCS, {"ids": ids}) or 0),
            "Chunk": int(self.scalar(Q.DELETE_CHUNKS_OF_DOCS, {"ids": ids}) or 0),
            "Document": int(self.scalar(Q.DELETE_DOCS, {"ids": ids}) or 0),
        }

    def remove_orphans(self) -> dict[str, int]:
        """Remove chunks and triples whose document is gone, then entities nothing refers to."""
        return {
            "Chunk": int(self.scalar(Q.DELETE_ORPHAN_CHUNKS) or 0),
            "RELATION": int(self.scalar(Q.DELETE_ORPHAN_RELATIONS) or 0),
            "Entity": self.prune_entities(self.execute(Q.ENTITIES_WITHOUT_RELATIONS).column("id").to_pylist())
            if self.mentions_forward_only
            else int(self.scalar(Q.DELETE_ALL_ORPHAN_ENTITIES) or 0),
        }

    def add_entity_aliases(self, aliases: Mapping[str, Sequence[str]]) -> int:
        """Add names to stored entities' aliases (sorted, once each, never the entity's own name), so an entity's
        aliases do not depend on which batch or ingest met it first; returns how many entities changed."""
        wanted = {k: set(v) for k, v in aliases.items() if v}
        if not wanted:
            return 0
        rows = []
        for row in self.execute(Q.ENTITY_ALIASES, {"ids": sorted(wanted)}).to_pylist():
            stored = list(row["aliases"] or [])
            union = sorted((set(stored) | wanted[row["id"]]) - {row["name"]})
            if union != stored:
                rows.append({"id": row["id"], "aliases": union})
        if rows:
            self.execute(Q.SET_ENTITY_ALIASES, {"rows": rows})
        return len(rows)


__all__ = ["DocumentRows"]

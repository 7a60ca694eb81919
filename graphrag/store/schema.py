"""Kuzu schema DDL: idempotent, in one place.

Node tables: ``Document``, ``Chunk``, ``Entity`` and ``Meta`` (key/value facts about the store such as the embedding
dimension). Relationship tables: ``HAS_CHUNK`` (Document -> Chunk), ``MENTIONS`` (Chunk -> Entity), ``ABOUT`` (Chunk
-> Entity: what a passage is about, from its title or its first sentence) and ``RELATION`` (Entity -> Entity) where
every triple keeps its ``chunk_id``, ``doc_id``, ``source`` (``file:line`` for imports) and the character span of
the sentence it was read from (``start_char``/``end_char`` within the chunk; -1 when there is none) and the ``rule``
that extracted it (``path`` for the path fallback, ``llm``; empty for imported triples and older stores).

Communities of the entity graph (:mod:`graphrag.communities`) live in ``Community`` nodes (level 0 the coarsest,
each with its summary and its parent's id), ``IN_COMMUNITY`` (Entity -> Community, every level) and ``SUB_COMMUNITY``
(parent Community -> child Community).

A store made by an earlier schema version is brought up to date when it is opened for writing (:data:`UPGRADES`).

``MENTIONS`` and ``ABOUT`` can be stored forward only (:data:`FORWARD_ONLY_TABLES`, ``storage_direction = 'fwd'``):
each chunk keeps its list of entities, but no entity keeps the list of chunks pointing at it. A ``COPY`` into a
relationship table rewrites the incoming lists of every entity it points to, and a few entities (countries, years;
in synthetic data "entity N") recur in every batch, so with both directions each batch of a long ingest wrote more
than the one before (issue 17). A store's layout is fixed when it is created (an older store keeps both
directions; nothing is migrated). The library's queries read these tables from the chunk, with the entity as a join
key, so they run on either layout; only the orphan checks have a faster form for stores with both directions
(:class:`~graphrag.store.document_rows.DocumentRows` picks it). Which engines get the forward-only layout:
:func:`graphrag.store.engines.forward_only_mentions`.
"""

from __future__ import annotations

SCHEMA_VERSION = "3"  # 3: RELATION.rule

NODE_TABLES = ("Document", "Chunk", "Entity", "Meta")
REL_TABLES = ("HAS_CHUNK", "MENTIONS", "ABOUT", "RELATION")
COMMUNITY_TABLES = ("Community", "IN_COMMUNITY", "SUB_COMMUNITY")
#: Chunk -> Entity tables that a new store keeps forward only where the engine allows it (see the module docstring).
FORWARD_ONLY_TABLES = ("MENTIONS", "ABOUT")
_FORWARD_ONLY = " WITH (storage_direction = 'fwd')"


def schema_ddl(embedding_dim: int, *, forward_only: bool = False) -> list[str]:
    """The ``CREATE ... IF NOT EXISTS`` statements for a store whose embeddings have ``embedding_dim`` floats;
    ``forward_only``: create :data:`FORWARD_ONLY_TABLES` without their backward (entity -> chunk) lists. An existing
    table keeps the layout it was created with."""
    if embedding_dim <= 0:
        raise ValueError(f"embedding_dim must be positive, got {embedding_dim}")
    d = int(embedding_dim)
    fwd = _FORWARD_ONLY if forward_only else ""
    return [
        "CREATE NODE TABLE IF NOT EXISTS Meta(key STRING PRIMARY KEY, value STRING)",
        "CREATE NODE TABLE IF NOT EXISTS Document(id STRING PRIMARY KEY, source STRING, title STRING, "
        "hash STRING, acl STRING, kind STRING, n_chunks INT64)",
        "CREATE NODE TABLE IF NOT EXISTS Chunk(id STRING PRIMARY KEY, doc_id STRING, text STRING, "
        f"position INT64, start_char INT64, end_char INT64, n_tokens INT64, embedding FLOAT[{d}])",
        "CREATE NODE TABLE IF NOT EXISTS Entity(id STRING PRIMARY KEY, name STRING, type STRING, "
        f"aliases STRING[], embedding FLOAT[{d}])",
        "CREATE REL TABLE IF NOT EXISTS HAS_CHUNK(FROM Document TO Chunk)",
        "CREATE REL TABLE IF NOT EXISTS MENTIONS(FROM Chunk TO Entity, doc_id STRING, text STRING, "
        f"label STRING, start_char INT64, end_char INT64){fwd}",
        f"CREATE REL TABLE IF NOT EXISTS ABOUT(FROM Chunk TO Entity, doc_id STRING, source STRING){fwd}",
        "CREATE REL TABLE IF NOT EXISTS RELATION(FROM Entity TO Entity, predicate STRING, chunk_id STRING, "
        "doc_id STRING, source STRING, confidence DOUBLE, start_char INT64, end_char INT64, rule STRING)",
        "CREATE NODE TABLE IF NOT EXISTS Community(id STRING PRIMARY KEY, level INT64, parent STRING, size INT64, "
        f"fingerprint STRING, title STRING, summary STRING, report STRING, embedding FLOAT[{d}])",
        "CREATE REL TABLE IF NOT EXISTS IN_COMMUNITY(FROM Entity TO Community)",
        "CREATE REL TABLE IF NOT EXISTS SUB_COMMUNITY(FROM Community TO Community)",
    ]


#: Columns added after a table was first released: ``(table, column, DDL type and default)``; a store opened for
#: writing gets the ones it lacks (``ALTER TABLE ... ADD``), so old stores keep working.
UPGRADES: tuple[tuple[str, str, str], ...] = (
    ("RELATION", "start_char", "INT64 DEFAULT -1"),
    ("RELATION", "end_char", "INT64 DEFAULT -1"),
    ("RELATION", "rule", "STRING DEFAULT ''"),
)
#: The value rows written without an upgraded column get (so callers written before it keep working).
UPGRADE_DEFAULTS: dict[tuple[str, str], object] = {
    ("RELATION", "start_char"): -1,
    ("RELATION", "end_char"): -1,
    ("RELATION", "rule"): "",
}


# Columns of each table in bulk-load order (Kuzu's COPY maps columns by position).
COLUMNS: dict[str, tuple[str, ...]] = {
    "Document": ("id", "source", "title", "hash", "acl", "kind", "n_chunks"),
    "Chunk": ("id", "doc_id", "text", "position", "start_char", "end_char", "n_tokens", "embedding"),
    "Entity": ("id", "name", "type", "aliases", "embedding"),
    "HAS_CHUNK": ("from", "to"),
    "MENTIONS": ("from", "to", "doc_id", "text", "label", "start_char", "end_char"),
    "ABOUT": ("from", "to", "doc_id", "source"),
    "RELATION": (
        "from", "to", "predicate", "chunk_id", "doc_id", "source", "confidence", "start_char", "end_char", "rule"
    ),
    "Community": ("id", "level", "parent", "size", "fingerprint", "title", "summary", "report", "embedding"),
    "IN_COMMUNITY": ("from", "to"),
    "SUB_COMMUNITY": ("from", "to"),
}

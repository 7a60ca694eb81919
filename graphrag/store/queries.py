"""Named Cypher queries. Values always travel as ``$parameters``; no query is assembled from user text."""

from __future__ import annotations

DOCUMENT_HASHES = "MATCH (d:Document) RETURN d.id AS id, d.source AS source, d.hash AS hash"
DOCUMENT_HASHES_FOR_SOURCES = (
    "MATCH (d:Document) WHERE d.source IN $sources RETURN d.id AS id, d.source AS source, d.hash AS hash"
)
DOCUMENTS_BY_SOURCE_PREFIX = (
    "MATCH (d:Document) WHERE d.source = $source OR starts_with(d.source, $prefix) RETURN d.id AS id"
)
LIST_DOCUMENTS = (
    "MATCH (d:Document) RETURN d.id AS id, d.source AS source, d.title AS title, d.kind AS kind, "
    "d.n_chunks AS n_chunks ORDER BY d.source, d.title"
)

# Entities touched by documents, gathered before a delete so only they are checked for orphanhood.
ENTITIES_OF_DOCS = """
MATCH (c:Chunk)-[:MENTIONS]->(e:Entity) WHERE c.doc_id IN $ids RETURN DISTINCT e.id AS id
UNION
MATCH (e:Entity)-[r:RELATION]-(:Entity) WHERE r.doc_id IN $ids RETURN DISTINCT e.id AS id
"""
DELETE_RELATIONS_OF_DOCS = "MATCH (:Entity)-[r:RELATION]->(:Entity) WHERE r.doc_id IN $ids DELETE r RETURN count(*)"
DELETE_CHUNKS_OF_DOCS = "MATCH (c:Chunk) WHERE c.doc_id IN $ids DETACH DELETE c RETURN count(*)"
DELETE_DOCS = "MATCH (d:Document) WHERE d.id IN $ids DETACH DELETE d RETURN count(*)"
DELETE_ORPHAN_ENTITIES_AMONG = """
MATCH (e:Entity) WHERE e.id IN $ids
  AND NOT EXISTS { MATCH (e)<-[:MENTIONS]-(:Chunk) }
  AND NOT EXISTS { MATCH (e)-[:RELATION]-(:Entity) }
DELETE e RETURN count(*)
"""
DELETE_ORPHAN_CHUNKS = """
MATCH (c:Chunk) WHERE NOT EXISTS { MATCH (:Document)-[:HAS_CHUNK]->(c) }
DETACH DELETE c RETURN count(*)
"""
DELETE_ORPHAN_RELATIONS = """
MATCH (:Entity)-[r:RELATION]->(:Entity)
WHERE NOT EXISTS { MATCH (d:Document) WHERE d.id = r.doc_id }
DELETE r RETURN count(*)
"""
DELETE_ALL_ORPHAN_ENTITIES = """
MATCH (e:Entity)
WHERE NOT EXISTS { MATCH (e)<-[:MENTIONS]-(:Chunk) } AND NOT EXISTS { MATCH (e)-[:RELATION]-(:Entity) }
DELETE e RETURN count(*)
"""

COUNT_NODES = {
    "Document": "MATCH (n:Document) RETURN count(*)",
    "Chunk": "MATCH (n:Chunk) RETURN count(*)",
    "Entity": "MATCH (n:Entity) RETURN count(*)",
}
COUNT_RELS = {
    "HAS_CHUNK": "MATCH ()-[r:HAS_CHUNK]->() RETURN count(*)",
    "MENTIONS": "MATCH ()-[r:MENTIONS]->() RETURN count(*)",
    "RELATION": "MATCH ()-[r:RELATION]->() RETURN count(*)",
}
PREDICATE_COUNTS = (
    "MATCH ()-[r:RELATION]->() RETURN r.predicate AS predicate, count(*) AS n ORDER BY n DESC, predicate LIMIT $limit"
)
ENTITY_TYPE_COUNTS = "MATCH (e:Entity) RETURN e.type AS type, count(*) AS n ORDER BY n DESC, type"
GET_META = "MATCH (m:Meta) RETURN m.key AS key, m.value AS value"
SET_META = "MERGE (m:Meta {key: $key}) SET m.value = $value"

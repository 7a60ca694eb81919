"""Named Cypher queries. Values always travel as ``$parameters``; no query is assembled from user text.

A query given a list of keys looks each one up by itself: ``UNWIND $ids AS i MATCH (n:T {id: i})`` (a primary-key
lookup) or ``UNWIND $ids AS i MATCH (n:T) WHERE n.key = i`` (a hash join). Kuzu 0.11's planner turns
``WHERE n.id IN $ids`` into a scan that tests every row against the whole list, and a key read from a struct
(``UNWIND $rows AS r MATCH (n:T {id: r.id})``) into a cross product of the list and the table: either costs
stored rows x listed keys, which made every batch of a long ingest slower than the one before (a batch's hashes
took 0.2 s on an empty store and 3 s at 90,000 documents). Take the struct's fields out first (``WITH r.id AS i``).
"""

from __future__ import annotations

DOCUMENT_HASHES = "MATCH (d:Document) RETURN d.id AS id, d.source AS source, d.hash AS hash"
DOCUMENT_HASHES_FOR_SOURCES = (
    "MATCH (d:Document) WHERE d.source IN $sources RETURN d.id AS id, d.source AS source, d.hash AS hash"
)
DOCUMENTS_BY_SOURCE_PREFIX = (
    "MATCH (d:Document) WHERE d.source = $source OR starts_with(d.source, $prefix) RETURN d.id AS id"
)
# Which of the given chunk ids exist, and their documents (ingest checks a batch before loading it).
CHUNK_DOCS = "UNWIND $ids AS i MATCH (c:Chunk {id: i}) RETURN c.id AS id, c.doc_id AS doc_id"
LIST_DOCUMENTS = (
    "MATCH (d:Document) RETURN d.id AS id, d.source AS source, d.title AS title, d.kind AS kind, "
    "d.n_chunks AS n_chunks, d.acl AS acl, starts_with(d.hash, 'pending:') AS pending ORDER BY d.source, d.title"
)
DOCUMENT_ACLS = "MATCH (d:Document) RETURN d.id AS id, d.acl AS acl"
SET_DOCUMENT_ACLS = (
    "UNWIND $rows AS r WITH r.id AS i, r.acl AS acl MATCH (d:Document {id: i}) SET d.acl = acl RETURN count(*)"
)
# The last step of a staged write (graphrag.store.staged_write): the documents' real hashes replace the marks.
SET_DOCUMENT_HASHES = "UNWIND $rows AS r WITH r.id AS i, r.hash AS h MATCH (d:Document {id: i}) SET d.hash = h"
COUNT_PENDING_DOCUMENTS = "MATCH (d:Document) WHERE starts_with(d.hash, 'pending:') RETURN count(*)"

# Entities touched by documents, gathered before a delete so only they are checked for orphanhood.
ENTITIES_OF_DOCS = """
UNWIND $ids AS i MATCH (c:Chunk)-[:MENTIONS]->(e:Entity) WHERE c.doc_id = i RETURN DISTINCT e.id AS id
UNION
UNWIND $ids AS i MATCH (c:Chunk)-[:ABOUT]->(e:Entity) WHERE c.doc_id = i RETURN DISTINCT e.id AS id
UNION
UNWIND $ids AS i MATCH (e:Entity)-[r:RELATION]-(:Entity) WHERE r.doc_id = i RETURN DISTINCT e.id AS id
"""
DELETE_RELATIONS_OF_DOCS = (
    "UNWIND $ids AS i MATCH (:Entity)-[r:RELATION]->(:Entity) WHERE r.doc_id = i DELETE r RETURN count(*)"
)
DELETE_CHUNKS_OF_DOCS = "UNWIND $ids AS i MATCH (c:Chunk) WHERE c.doc_id = i DETACH DELETE c RETURN count(*)"
DELETE_DOCS = "UNWIND $ids AS i MATCH (d:Document {id: i}) DETACH DELETE d RETURN count(*)"
DELETE_ORPHAN_ENTITIES_AMONG = """
UNWIND $ids AS i MATCH (e:Entity {id: i})
WHERE NOT EXISTS { MATCH (e)<-[:MENTIONS]-(:Chunk) }
  AND NOT EXISTS { MATCH (e)<-[:ABOUT]-(:Chunk) }
  AND NOT EXISTS { MATCH (e)-[:RELATION]-(:Entity) }
DETACH DELETE e RETURN count(*)
"""
DELETE_ALL_ORPHAN_ENTITIES = """
MATCH (e:Entity)
WHERE NOT EXISTS { MATCH (e)<-[:MENTIONS]-(:Chunk) } AND NOT EXISTS { MATCH (e)<-[:ABOUT]-(:Chunk) }
  AND NOT EXISTS { MATCH (e)-[:RELATION]-(:Entity) }
DETACH DELETE e RETURN count(*)
"""
# The same on a store whose MENTIONS and ABOUT are forward only (graphrag.store.schema), in two steps: LadybugDB
# refuses a backward walk of such a table inside EXISTS, COUNT or OPTIONAL MATCH, so what still cites an entity is
# matched from the chunks (a forward scan joined on the entity). The queries above stay for stores with both
# directions, where each entity's incoming lists answer at once (0.34 s against 1.2 s for 4,096 ids over 423,000
# mentions on Kuzu).
# Which of the given entities a chunk still mentions or is about.
ENTITIES_WITH_PASSAGES_AMONG = """
UNWIND $ids AS i MATCH (:Chunk)-[:MENTIONS]->(e:Entity {id: i}) RETURN DISTINCT e.id AS id
UNION
UNWIND $ids AS i MATCH (:Chunk)-[:ABOUT]->(e:Entity {id: i}) RETURN DISTINCT e.id AS id
"""
# Entities in no triple (candidates for orphans; the ones a chunk mentions are taken out by the query above).
ENTITIES_WITHOUT_RELATIONS = "MATCH (e:Entity) WHERE NOT EXISTS { MATCH (e)-[:RELATION]-(:Entity) } RETURN e.id AS id"
# Delete those of the given entities that no triple uses. Only for ids no chunk mentions or is about (checked with
# ENTITIES_WITH_PASSAGES_AMONG first): LadybugDB's DETACH DELETE leaves a forward-only edge into a deleted entity.
DELETE_UNRELATED_ENTITIES_AMONG = """
UNWIND $ids AS i MATCH (e:Entity {id: i})
WHERE NOT EXISTS { MATCH (e)-[:RELATION]-(:Entity) }
DETACH DELETE e RETURN count(*)
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

# Communities (graphrag.communities): the stored tree, its members, and what a rebuild removes.
COMMUNITIES = (
    "MATCH (c:Community) RETURN c.id AS id, c.level AS level, c.parent AS parent, c.size AS size, "
    "c.fingerprint AS fingerprint, c.title AS title, c.summary AS summary, c.report AS report ORDER BY c.level, c.id"
)
COMMUNITY_TREE = (
    "MATCH (c:Community) RETURN c.id AS id, c.level AS level, c.parent AS parent, c.size AS size, "
    "c.fingerprint AS fingerprint, '' AS title, '' AS summary, '' AS report ORDER BY c.level, c.id"
)
COMMUNITY_MEMBERS = "MATCH (e:Entity)-[:IN_COMMUNITY]->(c:Community) RETURN c.id AS community, e.id AS entity"
COMMUNITY_CHUNK_TEXTS = (
    "UNWIND $ids AS i MATCH (c:Chunk {id: i}) OPTIONAL MATCH (d:Document)-[:HAS_CHUNK]->(c) "
    "RETURN c.id AS id, c.text AS text, d.title AS title"
)
SET_COMMUNITY_PARENT = (
    "UNWIND $rows AS r WITH r.id AS i, r.parent AS p MATCH (c:Community {id: i}) SET c.parent = p"
)
DETACH_FROM_PARENT = "UNWIND $ids AS i MATCH (:Community)-[s:SUB_COMMUNITY]->(c:Community {id: i}) DELETE s"
ATTACH_TO_PARENT = (
    "UNWIND $rows AS r WITH r.id AS i, r.parent AS pi MATCH (c:Community {id: i}) "
    "WITH c, pi MATCH (p:Community {id: pi}) CREATE (p)-[:SUB_COMMUNITY]->(c)"
)
# Evaluation of communities: a labelling predicate's objects, and each document's topic entities.
ENTITY_LABELS = (
    "MATCH (e:Entity)-[r:RELATION]->(l:Entity) WHERE r.predicate = $predicate RETURN e.id AS entity, l.name AS label"
)
DOCUMENT_TOPICS = (
    "MATCH (d:Document)-[:HAS_CHUNK]->(:Chunk)-[:ABOUT]->(e:Entity) RETURN DISTINCT d.title AS title, e.id AS entity"
)
ENTITY_ALIASES = "UNWIND $ids AS i MATCH (e:Entity {id: i}) RETURN e.id AS id, e.name AS name, e.aliases AS aliases"
SET_ENTITY_ALIASES = "UNWIND $rows AS r WITH r.id AS i, r.aliases AS a MATCH (e:Entity {id: i}) SET e.aliases = a"
ENTITIES_BY_IDS = "UNWIND $ids AS i MATCH (e:Entity {id: i}) RETURN e.id AS id, e.name AS name, e.type AS type"
ALL_COMMUNITY_IDS = "MATCH (c:Community) RETURN c.id AS id"
DELETE_COMMUNITIES = "UNWIND $ids AS i MATCH (c:Community {id: i}) DETACH DELETE c RETURN count(*)"
ENTITY_GRAPH_NODES = "MATCH (e:Entity) RETURN e.id AS id, e.name AS name, e.type AS type"
ENTITY_GRAPH_RELATIONS = (
    "MATCH (a:Entity)-[r:RELATION]->(b:Entity) WHERE a.id <> b.id "
    "RETURN a.id AS src, b.id AS dst, r.predicate AS predicate, count(*) AS n"
)

COUNT_NODES = {
    "Document": "MATCH (n:Document) RETURN count(*)",
    "Chunk": "MATCH (n:Chunk) RETURN count(*)",
    "Entity": "MATCH (n:Entity) RETURN count(*)",
}
COUNT_RELS = {
    "HAS_CHUNK": "MATCH ()-[r:HAS_CHUNK]->() RETURN count(*)",
    "MENTIONS": "MATCH ()-[r:MENTIONS]->() RETURN count(*)",
    "ABOUT": "MATCH ()-[r:ABOUT]->() RETURN count(*)",
    "RELATION": "MATCH ()-[r:RELATION]->() RETURN count(*)",
}
PREDICATE_COUNTS = (
    "MATCH ()-[r:RELATION]->() RETURN r.predicate AS predicate, count(*) AS n ORDER BY n DESC, predicate LIMIT $limit"
)
ENTITY_TYPE_COUNTS = "MATCH (e:Entity) RETURN e.type AS type, count(*) AS n ORDER BY n DESC, type"
GET_META = "MATCH (m:Meta) RETURN m.key AS key, m.value AS value"
SET_META = "MERGE (m:Meta {key: $key}) SET m.value = $value"

# -- explorer (graphrag.explore.entities): entity search, entity pages, neighbourhoods --------------------------------
# Fuzzy entity search: exact, prefix and substring matches of the name, substring matches of an alias, then
# names within a small edit distance. ``$q`` is the lower-cased query; ``$max_dist`` the largest distance.
ENTITY_SEARCH = """
MATCH (e:Entity)
WITH e, lower(e.name) AS n, lower(list_to_string('|', e.aliases)) AS al
WITH e, CASE WHEN n = $q THEN 0 WHEN starts_with(n, $q) THEN 1 WHEN contains(n, $q) THEN 2
             WHEN contains(al, $q) THEN 3 ELSE 4 END AS tier,
        levenshtein(n, $q) AS dist
WHERE tier < 4 OR dist <= $max_dist
RETURN e.id AS id, e.name AS name, e.type AS type, e.aliases AS aliases, tier, dist
ORDER BY tier, dist, size(e.name), e.name LIMIT $limit
"""
# The slower fallback when nothing is close as a whole: names or aliases with a word a few edits from ``$q``.
ENTITY_SEARCH_WORDS = """
MATCH (e:Entity)
WITH e, $q AS q, string_split(concat(lower(e.name), ' ', lower(list_to_string(' ', e.aliases))), ' ') AS words
WITH e, list_sort(list_transform(words, w -> levenshtein(w, q)))[1] AS dist
WHERE dist <= $max_dist
RETURN e.id AS id, e.name AS name, e.type AS type, e.aliases AS aliases, 5 AS tier, dist
ORDER BY dist, size(e.name), e.name LIMIT $limit
"""
ENTITY_BY_ID = (
    "MATCH (e:Entity) WHERE e.id = $id RETURN e.id AS id, e.name AS name, e.type AS type, e.aliases AS aliases"
)
ENTITY_DEGREES = """
MATCH (e:Entity) WHERE e.id = $id
RETURN COUNT { MATCH (e)-[:RELATION]->(:Entity) } AS n_out,
       COUNT { MATCH (e)<-[:RELATION]-(:Entity) } AS n_in
"""
# Mentions of an entity, matched from the chunks (MENTIONS may be stored forward only: see the orphan queries).
ENTITY_MENTION_COUNT = "MATCH (:Chunk)-[:MENTIONS]->(e:Entity) WHERE e.id = $id RETURN count(*) AS n"
ENTITY_RELATIONS_OUT = """
MATCH (e:Entity)-[r:RELATION]->(o:Entity) WHERE e.id = $id
RETURN r.predicate AS predicate, o.id AS other_id, o.name AS other_name, o.type AS other_type,
       r.chunk_id AS chunk_id, r.doc_id AS doc_id, r.source AS source, r.confidence AS confidence
ORDER BY predicate, other_name LIMIT $limit
"""
ENTITY_RELATIONS_IN = """
MATCH (o:Entity)-[r:RELATION]->(e:Entity) WHERE e.id = $id
RETURN r.predicate AS predicate, o.id AS other_id, o.name AS other_name, o.type AS other_type,
       r.chunk_id AS chunk_id, r.doc_id AS doc_id, r.source AS source, r.confidence AS confidence
ORDER BY predicate, other_name LIMIT $limit
"""
ENTITY_PASSAGES = """
MATCH (c:Chunk)-[m:MENTIONS]->(e:Entity) WHERE e.id = $id
OPTIONAL MATCH (d:Document)-[:HAS_CHUNK]->(c)
RETURN c.id AS chunk_id, c.doc_id AS doc_id, d.title AS title, c.text AS text, c.position AS position,
       collect(DISTINCT m.text) AS mentions
ORDER BY title, position LIMIT $limit
"""
# The relations among a set of entities (the edges of a neighbourhood once its nodes are chosen).
ENTITY_EDGES_AMONG = """
MATCH (a:Entity)-[r:RELATION]->(b:Entity) WHERE a.id IN $ids AND b.id IN $ids
RETURN DISTINCT a.id AS src, r.predicate AS predicate, b.id AS dst
LIMIT $limit
"""
# One hop of a neighbourhood: the relations touching any of ``$ids`` (both directions), capped by ``$limit``.
ENTITY_NEIGHBOUR_EDGES = """
MATCH (a:Entity)-[r:RELATION]->(b:Entity) WHERE a.id IN $ids OR b.id IN $ids
RETURN a.id AS src, a.name AS src_name, a.type AS src_type, r.predicate AS predicate,
       b.id AS dst, b.name AS dst_name, b.type AS dst_type
LIMIT $limit
"""

# -- retrieval (hybrid retriever, issue 3): what retrievers load once, and Kuzu's vector and full-text indexes --------
RETRIEVAL_CHUNKS = """
MATCH (d:Document)-[:HAS_CHUNK]->(c:Chunk)
RETURN c.id AS id, c.doc_id AS doc_id, d.title AS title, c.text AS text, c.position AS position,
       c.embedding AS embedding
ORDER BY c.doc_id, c.position
"""
RETRIEVAL_ENTITIES = (
    "MATCH (e:Entity) RETURN e.id AS id, e.name AS name, e.type AS type, e.aliases AS aliases, "
    "e.embedding AS embedding ORDER BY e.id"
)
RETRIEVAL_MENTIONS = "MATCH (c:Chunk)-[:MENTIONS]->(e:Entity) RETURN c.id AS chunk_id, e.id AS entity_id"
#: The named-entity mentions of some chunks, with their labels and offsets in the chunk's text (noun phrases that
#: became entities without a label are left out).
CHUNK_MENTIONS = (
    "UNWIND $ids AS i MATCH (c:Chunk {id: i})-[m:MENTIONS]->(:Entity) WHERE m.label <> '' "
    "RETURN c.id AS chunk_id, m.start_char AS s, m.end_char AS e, m.label AS label, m.text AS text"
)
RETRIEVAL_ABOUT = "MATCH (c:Chunk)-[a:ABOUT]->(e:Entity) RETURN c.id AS chunk_id, e.id AS entity_id, a.source AS source"
RETRIEVAL_RELATIONS = (
    "MATCH (a:Entity)-[r:RELATION]->(b:Entity) "
    "RETURN a.id AS subject, r.predicate AS predicate, b.id AS object, r.chunk_id AS chunk_id, r.rule AS rule"
)
#: The same for a store made before triples recorded their rule (opened read-only, so not upgraded).
RETRIEVAL_RELATIONS_NO_RULE = (
    "MATCH (a:Entity)-[r:RELATION]->(b:Entity) "
    "RETURN a.id AS subject, r.predicate AS predicate, b.id AS object, r.chunk_id AS chunk_id, '' AS rule"
)
SHOW_INDEXES = "CALL SHOW_INDEXES() RETURN table_name, index_name, index_type"
CHUNK_VECTOR_INDEX = "chunk_embedding_idx"
CHUNK_FTS_INDEX = "chunk_text_fts"
CREATE_CHUNK_VECTOR_INDEX = (
    f"CALL CREATE_VECTOR_INDEX('Chunk', '{CHUNK_VECTOR_INDEX}', 'embedding', metric := 'cosine')"
)
DROP_CHUNK_VECTOR_INDEX = f"CALL DROP_VECTOR_INDEX('Chunk', '{CHUNK_VECTOR_INDEX}')"
QUERY_CHUNK_VECTOR_INDEX = (
    f"CALL QUERY_VECTOR_INDEX('Chunk', '{CHUNK_VECTOR_INDEX}', $vector, $k) "
    "RETURN node.id AS id, distance ORDER BY distance, id"
)
CREATE_CHUNK_FTS_INDEX = f"CALL CREATE_FTS_INDEX('Chunk', '{CHUNK_FTS_INDEX}', ['text'], stemmer := 'english')"
DROP_CHUNK_FTS_INDEX = f"CALL DROP_FTS_INDEX('Chunk', '{CHUNK_FTS_INDEX}')"
QUERY_CHUNK_FTS_INDEX = (
    f"CALL QUERY_FTS_INDEX('Chunk', '{CHUNK_FTS_INDEX}', $query, top := $k) "
    "RETURN node.id AS id, score ORDER BY score DESC, id"
)

# Knowledge-graph adjacency and entity names, read once into the in-memory index of graph reasoners (GNN-RAG).
KG_EDGES = "MATCH (a:Entity)-[r:RELATION]->(b:Entity) RETURN a.id AS src, b.id AS dst, r.predicate AS predicate"
KG_ENTITY_NAMES = "MATCH (e:Entity) RETURN e.id AS id, e.name AS name, e.aliases AS aliases ORDER BY e.id"
# Co-mentions through passages: the entity a passage is about, and each other entity the passage mentions.
KG_PASSAGE_MENTIONS = (
    "MATCH (c:Chunk)-[:ABOUT]->(t:Entity), (c)-[:MENTIONS]->(e:Entity) WHERE t.id <> e.id "
    "RETURN DISTINCT t.id AS src, e.id AS dst"
)

# How often each predicate joins entities of each pair of types (``graphrag schema suggest``).
PREDICATE_PROFILE = (
    "MATCH (a:Entity)-[r:RELATION]->(b:Entity) "
    "RETURN r.predicate AS predicate, a.type AS s_type, b.type AS o_type, count(*) AS n"
)
# A few edges of one predicate, with the names they join.
PREDICATE_EXAMPLES = (
    "MATCH (a:Entity)-[r:RELATION]->(b:Entity) WHERE r.predicate = $predicate RETURN a.name AS s, b.name AS o LIMIT $k"
)

"""The read-only Cypher guard: writes are refused before they run, reads with write words in them pass.

Every refused query runs against a *writable* store, so only the guard stands between it and the data; a
snapshot of data, schema, indexes, settings and files shows that nothing changed. A second test runs the
effective ones with writes allowed on a fresh store and checks that the snapshot does change, so the first
test can fail.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from graphrag.errors import ReadOnlyViolation, StoreError
from graphrag.store import KuzuGraphStore, write_reason
from graphrag.store.readonly import ensure_read_only, split_statements


def populate(store: KuzuGraphStore) -> None:
    for q in (
        "CREATE (:Entity {id: 'e1', name: 'Ada', type: 'PERSON', aliases: [], embedding: NULL})",
        "CREATE (:Entity {id: 'e2', name: 'London', type: 'GPE', aliases: [], embedding: NULL})",
        "CREATE (:Entity {id: 'e3', name: 'CREATE', type: '', aliases: [], embedding: NULL})",
        "MATCH (a:Entity {id: 'e1'}), (b:Entity {id: 'e2'}) CREATE (a)-[:RELATION {predicate: 'born in', "
        "chunk_id: '', doc_id: 'd1', source: 'kb.txt:1', confidence: 1.0}]->(b)",
        "CREATE (:Document {id: 'd1', source: 'kb.txt', title: 'kb', hash: 'h', acl: '', kind: 'kg', n_chunks: 0})",
    ):
        store.execute(q)


def snapshot(store: KuzuGraphStore, root: Path) -> dict:
    """Everything a write could touch: rows, schema, comments, indexes, sequences, macros, settings, files."""

    def rows(q: str) -> list | str:
        try:
            return store.execute(q).to_pylist()
        except StoreError as exc:  # a dropped table is a change too
            return str(exc)

    try:
        macro = store.scalar("RETURN addone(1)")
    except StoreError:
        macro = None
    return {
        "tables": rows("CALL show_tables() RETURN * ORDER BY name"),
        "entity_columns": rows("CALL table_info('Entity') RETURN *"),
        "entities": rows("MATCH (e:Entity) RETURN e.id, e.name, e.type ORDER BY e.id"),
        "relations": rows("MATCH (a)-[r:RELATION]->(b) RETURN a.id, b.id, r.predicate ORDER BY a.id"),
        "documents": rows("MATCH (d:Document) RETURN d.* ORDER BY d.id"),
        "meta": store.meta(),
        "indexes": rows("CALL show_indexes() RETURN *"),
        "sequences": rows("CALL show_sequences() RETURN *"),
        "attached": rows("CALL show_attached_databases() RETURN *"),
        "threads": rows("CALL current_setting('threads') RETURN *"),
        "macro": macro,
        "files": sorted(p.name for p in root.iterdir()),
    }


@pytest.fixture(scope="module")
def guarded(tmp_path_factory):
    root = tmp_path_factory.mktemp("guard")
    with KuzuGraphStore(root / "g.kuzu", embedding_dim=8) as store:
        populate(store)
        yield store, root


# (query, words the refusal must name, whether running it for real changes the snapshot)
WRITES = [
    ("CREATE (:Entity {id: 'x', name: 'X'})", "CREATE clause", True),
    ("MATCH (e:Entity {id: 'e1'}) SET e.type = 'HACKED'", "SET clause", True),
    ("MERGE (e:Entity {id: 'm1'})", "MERGE clause", True),
    ("MATCH ()-[r:RELATION]->() DELETE r", "DELETE clause", True),
    ("MATCH (e:Entity) DETACH DELETE e", "DETACH clause", True),
    ("MATCH (e:Entity) REMOVE e.type", "REMOVE clause", False),
    ("DROP TABLE RELATION", "DROP clause", True),
    ("ALTER TABLE Entity ADD extra STRING", "ALTER clause", True),
    ("COPY Entity FROM '{root}/rows.csv'", "COPY clause", False),
    ("COPY (MATCH (e:Entity) RETURN e.name) TO '{root}/leak.csv'", "COPY clause", True),
    ("INSTALL fts", "INSTALL clause", False),
    ("LOAD EXTENSION fts", "LOAD of an extension", False),
    ("LOAD fts", "LOAD of an extension", False),
    ("UNINSTALL fts", "UNINSTALL clause", False),
    ("UPDATE fts", "UPDATE clause", False),
    ("CALL create_fts_index('Entity', 'ent_fts', ['name'])", "CALL create_fts_index", True),
    ("CALL CREATE_VECTOR_INDEX('Entity', 'ent_vec', 'embedding')", "CALL CREATE_VECTOR_INDEX", True),
    ("CALL `drop_fts_index`('Entity', 'ent_fts')", "CALL drop_fts_index", False),
    ("CALL threads=1", "CALL threads = ... (changes a setting)", True),
    ("CALL threads = 1", "changes a setting", True),
    ("cReAtE (:Entity {id: 'mixed'})", "CREATE clause", True),
    ("MATCH (n:Entity {id: 'e1'}) /* x */ cReAtE (:Entity {id: 'c1'})", "CREATE clause", True),
    ("MATCH (n:Entity) // harmless?\nSET n.name = 'x'", "SET clause", True),
    ("MATCH (n:Entity)/**/SET/**/n.name='x'", "SET clause", True),
    ("MATCH (e:Entity)\n\tDETACH\n\tDELETE e", "DETACH clause", True),
    ("MATCH (n:Entity) RETURN n.name; CREATE (:Entity {id: 'second'})", "CREATE clause", True),
    ("RETURN 1;; /* ; */ MATCH (n:Entity) DETACH DELETE n", "DETACH clause", True),
    ("RETURN 'it\\'s; fine' AS s; CREATE (:Entity {id: 'esc'})", "CREATE clause", True),
    ("UNWIND [1, 2, 3] AS i CREATE (:Entity {id: 'u' + string(i)})", "CREATE clause", True),
    ("MATCH (a:Entity) WHERE EXISTS { MATCH (a)-[:RELATION]->() } SET a.type = 'x'", "SET clause", True),
    ("EXPORT DATABASE '{root}/export'", "EXPORT clause", True),
    ("IMPORT DATABASE '{root}/export'", "IMPORT clause", False),
    ("ATTACH '{root}/other.kuzu' AS other (dbtype kuzu)", "ATTACH clause", False),
    ("DETACH other", "DETACH clause", False),
    ("USE other", "USE clause", False),
    ("CHECKPOINT", "CHECKPOINT clause", False),
    ("BEGIN TRANSACTION", "BEGIN TRANSACTION", False),
    ("COMMIT", "COMMIT clause", False),
    ("ROLLBACK", "ROLLBACK clause", False),
    ("CREATE MACRO addone(x) AS x + 1", "CREATE clause", True),
    ("CREATE SEQUENCE seq", "CREATE clause", True),
    ("RETURN nextval('seq')", "nextval() changes a sequence", False),
    ("CREATE NODE TABLE T(id INT64 PRIMARY KEY)", "CREATE clause", True),
    ("COMMENT ON TABLE Entity IS 'x'", "COMMENT ON", True),
    ("PROFILE MATCH (e:Entity) SET e.name = 'p'", "SET clause", True),
    ("EXPLAIN CREATE (:Entity {id: 'e'})", "CREATE clause", False),
    ("CALL clear_warnings()", "CALL clear_warnings (not a known read-only procedure)", False),
    ("CALL project_graph('g', ['Entity'], ['RELATION'])", "CALL project_graph", False),
    ("CALL", "CALL without a procedure name", False),
    ("DrOp TaBlE HAS_CHUNK", "DROP clause", True),
]


def _fill(query: str, root: Path) -> str:
    return query.replace("{root}", str(root))


@pytest.mark.parametrize(("query", "reason", "effective"), WRITES, ids=[w[0][:40] for w in WRITES])
def test_write_is_refused_and_nothing_changes(guarded, query, reason, effective):
    store, root = guarded
    before = snapshot(store, root)
    with pytest.raises(ReadOnlyViolation) as exc:
        store.run_user_query(_fill(query, root))
    msg = str(exc.value)
    assert msg.startswith("refused: this query would change the database (")
    assert reason in msg
    assert "graphrag cypher --write" in msg
    assert snapshot(store, root) == before


EFFECTIVE = [w for w in WRITES if w[2]]


def test_there_are_at_least_30_refused_writes_and_20_proven_effective():
    assert len(WRITES) >= 30 and len(EFFECTIVE) >= 20


@pytest.mark.parametrize(("query", "reason", "effective"), EFFECTIVE, ids=[w[0][:40] for w in EFFECTIVE])
def test_the_same_query_does_write_when_allowed(tmp_path, query, reason, effective):
    """Proof that the refused queries are real writes: with allow_write they change the snapshot."""
    with KuzuGraphStore(tmp_path / "g.kuzu", embedding_dim=8) as store:
        if "_INDEX" in query.upper() and not store.has_index_functions():
            pytest.skip(f"the {store.engine} engine has no index functions offline")
        populate(store)
        before = snapshot(store, tmp_path)
        store.run_user_query(_fill(query, tmp_path), allow_write=True)
        assert snapshot(store, tmp_path) != before


READS = [
    ("MATCH (e:Entity) WHERE e.name = 'CREATE' RETURN e.id", [("e3",)]),
    ("MATCH (e:Entity) WHERE e.name = \"CREATE\" OR e.name CONTAINS 'DELETE' RETURN e.id", [("e3",)]),
    ("MATCH (e:Entity) WHERE e.id = 'e1' RETURN e.name // DELETE everything", [("Ada",)]),
    ("MATCH (e:Entity) /* DROP TABLE Entity; SET x */ RETURN count(*)", [(3,)]),
    ("MATCH (e:Entity) WHERE e.id = 'e2' RETURN e.name AS set", [("London",)]),
    ("MATCH (e:Entity) WHERE e.name = $name RETURN e.id AS delete", [("e1",)]),
    ("MATCH (`delete`:Entity {id: 'e1'}) RETURN `delete`.name", [("Ada",)]),
    ("RETURN {merge_count: 1, set_size: 2} AS m", [({"merge_count": 1, "set_size": 2},)]),
    ("UNWIND ['CREATE', 'SET;'] AS w RETURN w", [("CREATE",), ("SET;",)]),
    ("RETURN 'a; DROP TABLE Entity' AS s", [("a; DROP TABLE Entity",)]),
    ("RETURN 'it\\'s -- CREATE' AS s", [("it's -- CREATE",)]),
    (
        "MATCH (a:Entity)-[r:RELATION]->(b) WHERE r.source STARTS WITH 'kb' RETURN a.name, r.predicate, b.name",
        [("Ada", "born in", "London")],
    ),
    ("MATCH p = (a:Entity)-[:RELATION*1..2]->(:Entity) RETURN count(p)", [(1,)]),
    ("MATCH (e:Entity) WHERE e.type <> '' RETURN e.name ORDER BY e.name DESC", [("London",), ("Ada",)]),
    ("CALL show_tables() WHERE name = 'Entity' RETURN name", [("Entity",)]),
    ("CALL table_info('Document') WHERE name = 'kind' RETURN type", [("STRING",)]),
    ("CALL current_setting('threads') RETURN count(*)", [(1,)]),
    ("LOAD FROM '{root}/people.csv' (header = true) RETURN name ORDER BY name", [("Grace",), ("Linus",)]),
    ("MATCH (n:Entity) RETURN count(*); MATCH (d:Document) RETURN d.kind", [("kg",)]),
]


@pytest.mark.parametrize(("query", "expected"), READS, ids=[r[0][:40] for r in READS])
def test_reads_with_write_words_in_strings_names_and_comments_pass(guarded, query, expected):
    store, root = guarded
    (root / "people.csv").write_text("name\nLinus\nGrace\n")
    before = snapshot(store, root)
    params = {"name": "Ada"} if "$name" in query else None
    result = store.run_user_query(_fill(query, root), params, load_dirs=[root])  # LOAD FROM: only inside root
    assert list(result.rows) == expected
    assert snapshot(store, root) == before


@pytest.mark.parametrize(
    ("query", "params", "why"),
    [
        ("LOAD FROM '/etc/passwd' RETURN *", None, "outside the folders"),
        ("LOAD FROM '{root}/../secret.csv' RETURN *", None, "outside the folders"),
        ("LOAD WITH HEADERS (a STRING) FROM '{root}/../secret.csv' RETURN *", None, "outside the folders"),
        ("LOAD FROM ['{root}/people.csv', '/etc/hosts'] RETURN *", None, "outside the folders"),
        ("LOAD FROM $f RETURN *", {"f": "/etc/hosts"}, "outside the folders"),
        ("LOAD FROM '{root}/[.][.]/secret.csv' RETURN *", None, "outside the folders"),
        ("LOAD FROM '{root}/*/secret.csv' RETURN *", None, "outside the folders"),  # a glob past a symlink
        ("LOAD FROM '{root}/peopl?.csv' RETURN *", None, "outside the folders"),
        ("LOAD FROM store RETURN *", None, "quoted file path"),
        ("RETURN 1; LOAD FROM '/etc/passwd' RETURN *", None, "outside the folders"),
    ],
)
def test_load_from_reads_only_files_inside_the_allowed_folders(guarded, query, params, why):
    """A read-only query may not read the server's files: ``LOAD FROM`` takes only quoted paths inside the
    configured folders (none unless configured), symlinks and ``..`` resolved first."""
    store, root = guarded
    (root / "people.csv").write_text("name\nLinus\n")
    (root.parent / "secret.csv").write_text("key\nhunter2\n")
    with pytest.raises(ReadOnlyViolation, match=why):
        store.run_user_query(_fill(query, root), params, load_dirs=[root])
    with pytest.raises(ReadOnlyViolation, match="none are allowed"):
        store.run_user_query(f"LOAD FROM '{root}/people.csv' RETURN *")


def test_a_symlink_out_of_the_allowed_folder_is_refused(guarded, tmp_path):
    store, root = guarded
    (tmp_path / "outside.csv").write_text("key\nhunter2\n")
    (root / "link.csv").symlink_to(tmp_path / "outside.csv")
    with pytest.raises(ReadOnlyViolation, match="outside the folders"):
        store.run_user_query(f"LOAD FROM '{root}/link.csv' RETURN *", load_dirs=[root])


@pytest.mark.parametrize(
    "query",
    [
        "MATCH (n) RETURN n.set, n.delete, n.CREATE",
        "RETURN {set: 1, create: 2}",
        "RETURN $merge",
        "MATCH (n) RETURN n.name AS drop",
        "MATCH (n) RETURN n.x // CREATE",
        "RETURN `SET`",
    ],
)
def test_property_names_parameters_aliases_and_map_keys_are_not_clauses(query):
    assert write_reason(query) is None


def test_empty_query_is_refused():
    for q in ("", "   \n"):
        with pytest.raises(ReadOnlyViolation, match="empty query"):
            ensure_read_only(q)


def test_statements_are_split_outside_strings_and_comments():
    stmts = split_statements("RETURN 'a;b'; /* ; */ RETURN 2 // ;\n;")
    assert [[t for _, t in s] for s in stmts] == [["RETURN", "'a;b'"], ["RETURN", "2"]]


def test_a_read_only_store_refuses_writes_even_when_allowed(tmp_path):
    """Kuzu is the last line: a store opened read-only fails any write the guard let through."""
    with KuzuGraphStore(tmp_path / "g.kuzu", embedding_dim=8) as store:
        populate(store)
    with KuzuGraphStore(tmp_path / "g.kuzu", read_only=True) as ro:
        with pytest.raises(StoreError, match="read-only|read only"):
            ro.run_user_query("CREATE (:Entity {id: 'x'})", allow_write=True)
        assert ro.scalar("MATCH (e:Entity) RETURN count(*)") == 3

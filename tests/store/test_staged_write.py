"""write_documents: a failed or interrupted write never costs rows that were committed before it.

Kuzu 0.11.3 drops a relationship table's committed rows when a transaction that bulk-loaded into it rolls back
(see ``test_kuzu_still_loses_committed_relationships...`` in test_kuzu_store.py); these tests pin the workaround.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pyarrow as pa
import pytest

from graphrag.errors import StoreError
from graphrag.ids import entity_id
from graphrag.importers import TripleImporter
from graphrag.store import KuzuGraphStore
from graphrag.store.staged_write import PENDING_PREFIX, is_pending

DIM = 8


@pytest.fixture
def store(tmp_path):
    with KuzuGraphStore(tmp_path / "g.kuzu", embedding_dim=DIM) as s:
        yield s


def entity_rows(names):
    return pa.table(
        {
            "id": [entity_id(n) for n in names],
            "name": list(names),
            "type": [""] * len(names),
            "aliases": pa.array([[] for _ in names], pa.list_(pa.string())),
            "embedding": pa.nulls(len(names), pa.list_(pa.float32(), DIM)),
        }
    )


def kg_tables(doc, triples, digest="h1"):
    """A ``kind = kg`` document and its triples (names), as write_documents takes them."""
    n = len(triples)
    return {
        "Document": pa.table({"id": [doc], "source": [f"/kg/{doc}"], "title": [doc], "hash": [digest], "acl": [""],
                              "kind": ["kg"], "n_chunks": pa.array([0], pa.int64())}),
        "RELATION": pa.table({
            "from": [entity_id(s) for s, _, _ in triples], "to": [entity_id(o) for _, _, o in triples],
            "predicate": [p for _, p, _ in triples], "chunk_id": [""] * n, "doc_id": [doc] * n,
            "source": [f"/kg/{doc}:{i + 1}" for i in range(n)], "confidence": pa.array([1.0] * n, pa.float64()),
            "start_char": pa.array([-1] * n, pa.int64()), "end_char": pa.array([-1] * n, pa.int64()),
        }),
    }


def new_entities(store, names):
    def rows():
        existing = store.existing_ids("Entity", [entity_id(n) for n in names])
        return entity_rows([n for n in names if entity_id(n) not in existing])
    return rows


def counts(store):
    s = store.stats()
    return {**s["nodes"], **s["relationships"], "pending": s["pending_documents"]}


@pytest.fixture
def stocked(store, text_doc):
    """Two text documents (chunks, mentions, triples) and one KG document, all committed."""
    text_doc(store, "One", "Ada met Bob.", entities=[("Ada", "PERSON"), ("Bob", "PERSON")],
             triples=[("Ada", "met", "Bob")])
    text_doc(store, "Two", "Bob met Cy.", entities=[("Bob", "PERSON"), ("Cy", "PERSON")],
             triples=[("Bob", "met", "Cy")])
    store.write_documents(kg_tables("kg1", [("Ada", "knows", "Cy"), ("Cy", "knows", "Dee")]),
                          entities=new_entities(store, ["Ada", "Cy", "Dee"]))
    return store


def test_a_write_lands_whole_with_real_hashes(stocked):
    c = counts(stocked)
    assert c == {
        "Document": 3, "Chunk": 2, "Entity": 4, "HAS_CHUNK": 2, "MENTIONS": 4, "ABOUT": 0, "RELATION": 4, "pending": 0
    }
    assert stocked.document_hashes()["kg1"] == ("/kg/kg1", "h1")
    assert not any(d["pending"] for d in stocked.list_documents())


def test_a_failing_relationship_copy_keeps_every_committed_row(stocked):
    before = counts(stocked)
    bad = kg_tables("kg2", [("Eve", "knows", "Ada"), ("Eve", "knows", "Nobody")])  # "Nobody" is no entity
    with pytest.raises(StoreError, match="bulk load into RELATION failed"):
        stocked.write_documents(bad, entities=new_entities(stocked, ["Eve", "Ada"]))
    assert counts(stocked) == before  # not one committed relationship lost, and Eve pruned again
    assert "kg2" not in stocked.document_hashes()


def test_a_relationship_copy_failing_after_others_succeeded_keeps_every_committed_row(stocked):
    """The case that emptied HAS_CHUNK and MENTIONS when one transaction held all three COPYs."""
    before = counts(stocked)
    doc, chunk = "d3", "c3"
    tables = {
        "Document": pa.table({"id": [doc], "source": ["/corpus/Three.txt"], "title": ["Three"], "hash": ["h"],
                              "acl": [""], "kind": ["text"], "n_chunks": pa.array([1], pa.int64())}),
        "Chunk": pa.table({"id": [chunk], "doc_id": [doc], "text": ["Ada met Eve."],
                           "position": pa.array([0], pa.int64()), "start_char": pa.array([0], pa.int64()),
                           "end_char": pa.array([12], pa.int64()), "n_tokens": pa.array([3], pa.int64()),
                           "embedding": pa.nulls(1, pa.list_(pa.float32(), DIM))}),
        "HAS_CHUNK": pa.table({"from": [doc], "to": [chunk]}),
        "MENTIONS": pa.table({"from": [chunk], "to": [entity_id("Eve")], "doc_id": [doc], "text": ["Eve"],
                              "label": ["PERSON"], "start_char": pa.array([8], pa.int64()),
                              "end_char": pa.array([11], pa.int64())}),
        "RELATION": kg_tables(doc, [("Ada", "met", "Nobody")])["RELATION"],
    }
    with pytest.raises(StoreError, match="bulk load into RELATION failed"):
        stocked.write_documents(tables, entities=new_entities(stocked, ["Eve"]))
    assert counts(stocked) == before


def test_an_interrupt_during_the_relationship_load_is_undone(stocked, monkeypatch):
    before = counts(stocked)
    real = stocked.bulk_load

    def interrupted(table, data):
        if table == "RELATION":
            raise KeyboardInterrupt
        return real(table, data)

    monkeypatch.setattr(stocked, "bulk_load", interrupted)
    with pytest.raises(KeyboardInterrupt):
        stocked.write_documents(kg_tables("kg2", [("Eve", "knows", "Ada")]), entities=new_entities(stocked, ["Eve"]))
    assert counts(stocked) == before


def test_replacing_keeps_shared_entities_and_prunes_the_rest(stocked):
    ada = entity_id("Ada")
    stocked.execute("MATCH (e:Entity {id: $id}) SET e.type = 'KEEP'", {"id": ada})
    removed = stocked.write_documents(kg_tables("kg1", [("Ada", "knows", "Bob")], digest="h2"), replaces=["kg1"],
                                      entities=new_entities(stocked, ["Ada", "Bob"]))
    assert removed == {"RELATION": 2, "Chunk": 0, "Document": 1, "Entity": 1}  # Dee went with the old version
    assert stocked.scalar("MATCH (e:Entity {id: $id}) RETURN e.type", {"id": ada}) == "KEEP"
    assert counts(stocked)["RELATION"] == 3 and stocked.document_hashes()["kg1"][1] == "h2"


def test_replacing_without_keeping_entities_recreates_them_from_the_new_version(stocked):
    dee = entity_id("Dee")
    stocked.execute("MATCH (e:Entity {id: $id}) SET e.type = 'OLD'", {"id": dee})

    def dee_again():
        existing = stocked.existing_ids("Entity", [dee])
        rows = entity_rows([] if dee in existing else ["Dee"])
        return rows.set_column(2, "type", pa.array(["NEW"] * rows.num_rows, pa.string()))

    removed = stocked.write_documents(kg_tables("kg1", [("Cy", "knows", "Dee")], digest="h2"), replaces=["kg1"],
                                      entities=dee_again, keep_entities=False)
    assert removed["Entity"] == 1  # Dee went with the old version and came back with the new one
    assert stocked.scalar("MATCH (e:Entity {id: $id}) RETURN e.type", {"id": dee}) == "NEW"


def test_bad_tables_are_refused_before_anything_is_written(stocked):
    before = counts(stocked)
    with pytest.raises(ValueError, match="needs a Document table"):
        stocked.write_documents({"RELATION": kg_tables("x", [])["RELATION"]})
    with pytest.raises(ValueError, match="needs a Document table"):
        stocked.write_documents({**kg_tables("x", []), "Meta": pa.table({"key": ["k"], "value": ["v"]})})
    assert counts(stocked) == before


def test_pending_marks():
    assert is_pending(PENDING_PREFIX + "abc") and not is_pending("abc") and not is_pending(None)


KB_A = "Kismet|directed_by|William Dieterle\nKismet|starred_actors|Marlene Dietrich\n"
KB_B = "Gilda|directed_by|Charles Vidor\nGilda|starred_actors|Rita Hayworth\nGilda|release_year|1946\n"


def test_a_process_killed_between_steps_is_repaired_by_the_next_import(tmp_path):
    db, a, b = tmp_path / "kg.kuzu", tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(KB_A)
    b.write_text(KB_B)
    with KuzuGraphStore(db) as store:
        TripleImporter(store).import_file(a)
        committed = counts(store)
    script = textwrap.dedent(f"""
        import os
        from graphrag.importers import TripleImporter
        from graphrag.store import KuzuGraphStore
        store = KuzuGraphStore({str(db)!r})
        real = store.bulk_load
        def dying(table, data):
            if table == "RELATION":
                os._exit(9)  # killed after the nodes committed, before the triples
            return real(table, data)
        store.bulk_load = dying
        TripleImporter(store).import_file({str(b)!r})
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 9, done.stderr
    with KuzuGraphStore(db) as store:
        after = counts(store)
        assert after["pending"] == 1 and after["RELATION"] == committed["RELATION"]  # a.txt's triples all there
        assert [d["pending"] for d in store.list_documents() if d["title"] == "b.txt"] == [True]
        assert TripleImporter(store).import_file(b).status == "replaced"  # a pending hash never matches
        repaired = counts(store)
    with KuzuGraphStore(tmp_path / "clean.kuzu") as clean:
        TripleImporter(clean).import_file(a)
        TripleImporter(clean).import_file(b)
        assert repaired == counts(clean)

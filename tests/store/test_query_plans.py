"""The store's queries that take a list of keys look each key up instead of testing every stored row against the
whole list (which made each batch of a long ingest slower than the one before)."""

from __future__ import annotations

import re

import pytest

from graphrag.store import KuzuGraphStore
from graphrag.store import queries as Q

DIM = 8

#: Queries that run once per ingest batch, per delete or per question with a list of keys.
LIST_QUERIES = [
    "CHUNK_DOCS",
    "SET_DOCUMENT_ACLS",
    "SET_DOCUMENT_HASHES",
    "ENTITIES_OF_DOCS",
    "DELETE_RELATIONS_OF_DOCS",
    "DELETE_CHUNKS_OF_DOCS",
    "DELETE_DOCS",
    "ENTITIES_WITH_PASSAGES_AMONG",
    "DELETE_ORPHAN_ENTITIES_AMONG",
    "DELETE_UNRELATED_ENTITIES_AMONG",
    "SET_COMMUNITY_PARENT",
    "ATTACH_TO_PARENT",
    "DETACH_FROM_PARENT",
    "DELETE_COMMUNITIES",
    "COMMUNITY_CHUNK_TEXTS",
    "ENTITIES_BY_IDS",
    "ENTITY_ALIASES",
    "SET_ENTITY_ALIASES",
    "CHUNK_MENTIONS",
]

ROW = {"id": "a", "parent": "b", "hash": "h", "acl": "", "aliases": ["x"]}


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    with KuzuGraphStore(tmp_path_factory.mktemp("plans") / "g.kuzu", embedding_dim=DIM) as s:
        yield s


def plan_operators(store: KuzuGraphStore, query: str) -> set[str]:
    params = {"rows": [ROW]} if "$rows" in query else {"ids": ["a"]}
    text = "\n".join(str(v) for v in store.execute("EXPLAIN " + query, params).column(0).to_pylist())
    return {m.group(1) for m in re.finditer(r"([A-Z_]{4,})\[\d+\]", text)}


@pytest.mark.parametrize("name", LIST_QUERIES)
def test_a_list_of_keys_is_looked_up_not_crossed_with_the_table(store, name):
    query = getattr(Q, name)
    assert " IN $" not in query, f"{name} tests every row against the whole list"
    ops = plan_operators(store, query)
    assert "UNWIND" in ops and "CROSS_PRODUCT" not in ops, f"{name}: {sorted(ops)}"


def test_the_plan_check_catches_a_key_read_from_a_struct(store):
    """The check above can fail: the old form of SET_DOCUMENT_HASHES planned a cross product (on Kuzu 0.11;
    LadybugDB plans it as a primary-key lookup)."""
    if store.engine != "kuzu":
        pytest.skip("LadybugDB looks a struct's key up by the primary key")
    old = "UNWIND $rows AS r MATCH (d:Document {id: r.id}) SET d.hash = r.hash"
    assert "CROSS_PRODUCT" in plan_operators(store, old)


def test_hashes_of_a_large_store_are_set_in_time_independent_of_its_size(store):
    """4,096 hashes set over 40,960 stored documents: a cross product made this take seconds."""
    import time

    import pyarrow as pa

    n, batch = 40_960, 4_096
    ids = [f"doc{i:06d}" for i in range(n)]
    blank = [""] * n
    store.bulk_load(
        "Document",
        pa.table(
            {
                "id": ids,
                "source": blank,
                "title": blank,
                "hash": ["pending:x"] * n,
                "acl": blank,
                "kind": blank,
                "n_chunks": pa.array([1] * n, pa.int64()),
            }
        ),
    )
    rows = [{"id": i, "hash": "done"} for i in ids[-batch:]]
    start = time.perf_counter()
    store.execute(Q.SET_DOCUMENT_HASHES, {"rows": rows})
    elapsed = time.perf_counter() - start
    done = store.execute("MATCH (d:Document) WHERE d.hash = 'done' RETURN count(*) AS n").column("n")[0].as_py()
    assert done == batch
    assert elapsed < 2.0, f"{elapsed:.2f} s"

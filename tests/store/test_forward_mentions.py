"""``MENTIONS`` and ``ABOUT`` stored forward only (issue 17): new stores get the layout where the engine allows it,
old stores keep both directions, and every query that reaches chunks from an entity gives the same answers under
either layout: entity pages, orphan pruning, document deletes, the passage co-mentions of graph reasoners."""

from __future__ import annotations

import re
from collections import defaultdict

import pyarrow as pa
import pytest
from lovelace_graph import build_tiny_db

from graphrag.errors import StoreError
from graphrag.explore import GraphExplorer
from graphrag.store import KuzuGraphStore
from graphrag.store import queries as Q
from graphrag.store.engines import default_engine, engine_module, forward_only_mentions
from graphrag.store.schema import FORWARD_ONLY_TABLES, schema_ddl

DIM = 384  # build_tiny_db's embedder
ENGINE = default_engine()
#: The layouts a store of this engine can have: both directions (every store before issue 17; Kuzu's new ones)
#: and, where the engine can still delete entities with it, forward only.
LAYOUTS = [False, True] if forward_only_mentions(ENGINE) else [False]


def _precreate(path, forward_only: bool):
    """An empty store whose tables were made with the given layout (as an older version of the library did)."""
    mod = engine_module(ENGINE)
    db = mod.Database(str(path))
    conn = mod.Connection(db)
    for ddl in schema_ddl(DIM, forward_only=forward_only):
        conn.execute(ddl)
    conn.close()
    db.close()
    return path


def _tiny(tmp_path, forward_only: bool):
    """build_tiny_db's store in the given layout, with an ABOUT edge from each chunk to an entity it mentions."""
    path = build_tiny_db(_precreate(tmp_path / f"g-{int(forward_only)}.kuzu", forward_only))
    with KuzuGraphStore(path) as store:
        rows = store.execute(
            "MATCH (c:Chunk)-[:MENTIONS]->(e:Entity) RETURN c.id AS c, c.doc_id AS d, min(e.id) AS e ORDER BY c"
        ).to_pylist()
        about = pa.table({"from": [r["c"] for r in rows], "to": [r["e"] for r in rows],
                          "doc_id": [r["d"] for r in rows], "source": ["title"] * len(rows)})  # fmt: skip
        store.bulk_load("ABOUT", about)
    return path


def _orphan(store: KuzuGraphStore, name: str) -> str:
    """Add an entity nothing refers to; returns its id."""
    vec = pa.list_(pa.float32(), DIM)
    store.bulk_load(
        "Entity",
        pa.table({"id": [name], "name": [name], "type": [""], "aliases": pa.array([[]], pa.list_(pa.string())),
                  "embedding": pa.array([[0.0] * DIM], vec)}),
    )  # fmt: skip
    return name


def _support(store: KuzuGraphStore) -> dict[str, set[str]]:
    """entity id -> the documents whose mentions, ABOUT edges or triples use it, read forward."""
    doc_of = dict(zip(*(store.execute("MATCH (c:Chunk) RETURN c.id AS id, c.doc_id AS d").column(k).to_pylist()
                        for k in ("id", "d")), strict=True))  # fmt: skip
    out: dict[str, set[str]] = defaultdict(set)
    for r in store.execute(Q.RETRIEVAL_MENTIONS).to_pylist() + store.execute(Q.RETRIEVAL_ABOUT).to_pylist():
        out[r["entity_id"]].add(doc_of[r["chunk_id"]])
    for r in store.execute("MATCH (a:Entity)-[r:RELATION]->(b:Entity) RETURN a.id AS a, b.id AS b, r.doc_id AS d")\
            .to_pylist():  # fmt: skip
        out[r["a"]].add(r["d"])
        out[r["b"]].add(r["d"])
    return out


def _entity_ids(store: KuzuGraphStore) -> set[str]:
    return set(store.execute("MATCH (e:Entity) RETURN e.id AS id").column("id").to_pylist())


def test_a_new_store_gets_the_engines_layout(tmp_path):
    with KuzuGraphStore(tmp_path / "new.kuzu", embedding_dim=8) as store:
        want = set(FORWARD_ONLY_TABLES) if forward_only_mentions(ENGINE) else set()
        assert store.forward_only_tables() == want


@pytest.mark.parametrize("forward_only", LAYOUTS, ids=lambda f: "fwd" if f else "both")
def test_a_store_keeps_its_layout_when_opened_for_writing_and_read_only(tmp_path, forward_only):
    path = _tiny(tmp_path, forward_only)
    want = set(FORWARD_ONLY_TABLES) if forward_only else set()
    with KuzuGraphStore(path) as store:
        assert store.forward_only_tables() == want
        assert store.meta()["schema_version"] == "3"
    with KuzuGraphStore(path, read_only=True) as store:
        assert store.forward_only_tables() == want
        page = GraphExplorer(store).entity(GraphExplorer(store).search("Ada Lovelace")[0].id)
        assert page is not None and page.n_passages == 2


@pytest.mark.parametrize("forward_only", LAYOUTS, ids=lambda f: "fwd" if f else "both")
def test_entity_page_counts_and_lists_the_passages_that_mention_it(tmp_path, forward_only):
    with KuzuGraphStore(_tiny(tmp_path, forward_only)) as store:
        mentions = store.execute(Q.RETRIEVAL_MENTIONS).to_pylist()
        ex = GraphExplorer(store)
        for eid in _entity_ids(store):
            chunks = [m["chunk_id"] for m in mentions if m["entity_id"] == eid]
            page = ex.entity(eid)
            assert page is not None
            assert page.n_passages == len(chunks)
            assert sorted(p.chunk_id for p in page.passages) == sorted(set(chunks))
        assert ex.entity("no such entity") is None


@pytest.mark.parametrize("forward_only", LAYOUTS, ids=lambda f: "fwd" if f else "both")
def test_passage_co_mentions_are_the_join_of_about_and_mentions(tmp_path, forward_only):
    with KuzuGraphStore(_tiny(tmp_path, forward_only)) as store:
        men = defaultdict(set)
        for m in store.execute(Q.RETRIEVAL_MENTIONS).to_pylist():
            men[m["chunk_id"]].add(m["entity_id"])
        want = {(a["entity_id"], e) for a in store.execute(Q.RETRIEVAL_ABOUT).to_pylist()
                for e in men[a["chunk_id"]] if e != a["entity_id"]}  # fmt: skip
        got = {(r["src"], r["dst"]) for r in store.execute(Q.KG_PASSAGE_MENTIONS).to_pylist()}
        assert got == want and got


@pytest.mark.parametrize("forward_only", LAYOUTS, ids=lambda f: "fwd" if f else "both")
def test_prune_entities_removes_only_the_unused_ones(tmp_path, forward_only):
    with KuzuGraphStore(_tiny(tmp_path, forward_only)) as store:
        used = _entity_ids(store)
        lonely = [_orphan(store, "lonely one"), _orphan(store, "lonely two")]
        # every used entity as a candidate too: none of them may go
        assert store.prune_entities([*sorted(used), *lonely, lonely[0]]) == 2
        assert _entity_ids(store) == used
        assert store.prune_entities(sorted(used)) == 0
        assert store.prune_entities([]) == 0


@pytest.mark.parametrize("forward_only", LAYOUTS, ids=lambda f: "fwd" if f else "both")
def test_remove_orphans_removes_entities_nothing_refers_to(tmp_path, forward_only):
    with KuzuGraphStore(_tiny(tmp_path, forward_only)) as store:
        used = _entity_ids(store)
        _orphan(store, "lonely")
        assert store.remove_orphans() == {"Chunk": 0, "RELATION": 0, "Entity": 1}
        assert _entity_ids(store) == used
        n_mentions = store.stats()["relationships"]["MENTIONS"]
        assert store.remove_orphans()["Entity"] == 0 and store.stats()["relationships"]["MENTIONS"] == n_mentions


@pytest.mark.parametrize("forward_only", LAYOUTS, ids=lambda f: "fwd" if f else "both")
def test_deleting_a_document_removes_the_entities_only_it_supported(tmp_path, forward_only):
    with KuzuGraphStore(_tiny(tmp_path, forward_only)) as store:
        support = _support(store)
        docs = store.execute("MATCH (d:Document) RETURN d.id AS id ORDER BY id").column("id").to_pylist()
        for doc in docs:
            only = {e for e, ds in support.items() if ds == {doc}}
            before = _entity_ids(store)
            removed = store.delete_documents([doc])
            assert removed["Document"] == 1 and removed["Entity"] == len(only)
            assert _entity_ids(store) == before - only
            support = {e: ds - {doc} for e, ds in support.items() if ds - {doc}}
            assert set(support) == _entity_ids(store)  # every entity left is still supported
            rels = store.stats()["relationships"]
            assert rels["MENTIONS"] == len(store.execute(Q.RETRIEVAL_MENTIONS))  # no edge into a deleted entity
            assert rels["ABOUT"] == len(store.execute(Q.RETRIEVAL_ABOUT))
        assert store.stats()["nodes"] == {"Document": 0, "Chunk": 0, "Entity": 0}


@pytest.mark.skipif(len(LAYOUTS) < 2, reason="this engine makes one layout only")
def test_both_layouts_give_the_same_answers(tmp_path):
    with KuzuGraphStore(_tiny(tmp_path, False)) as both, KuzuGraphStore(_tiny(tmp_path, True)) as fwd:
        for name in ("RETRIEVAL_MENTIONS", "RETRIEVAL_ABOUT", "KG_PASSAGE_MENTIONS", "DOCUMENT_TOPICS"):
            q = getattr(Q, name)
            assert sorted(map(str, both.execute(q).to_pylist())) == sorted(map(str, fwd.execute(q).to_pylist())), name
        chunks = both.execute("MATCH (c:Chunk) RETURN c.id AS id").column("id").to_pylist()
        assert both.chunk_mentions(chunks) == fwd.chunk_mentions(chunks)
        ids = sorted(_entity_ids(both))
        pages = [(GraphExplorer(s).entity(i) for i in ids) for s in (both, fwd)]
        assert [p.n_passages for p in pages[0]] == [p.n_passages for p in pages[1]]


#: The orphan queries for stores that keep both directions (one statement each, answered from the entities' incoming
#: lists); a forward-only store runs ENTITIES_WITH_PASSAGES_AMONG and DELETE_UNRELATED_ENTITIES_AMONG instead.
BOTH_DIRECTIONS_ONLY = {"DELETE_ORPHAN_ENTITIES_AMONG", "DELETE_ALL_ORPHAN_ENTITIES"}
_PARAMS = {"ids": ["x"], "id": "x", "limit": 5, "rows": [{"id": "x", "aliases": ["y"]}], "k": 3, "predicate": "p"}


def test_no_library_query_walks_mentions_or_about_backward():
    """LadybugDB refuses a backward walk of a forward-only table inside EXISTS, COUNT or OPTIONAL MATCH; Kuzu
    answers it with a scan of the whole table for each row. Write them from the chunk."""
    backward = re.compile(r"<-\[[^\]]*:(MENTIONS|ABOUT)\b")
    walks = {name for name, q in vars(Q).items() if isinstance(q, str) and backward.search(q)}
    assert walks == BOTH_DIRECTIONS_ONLY


def test_a_forward_only_store_never_runs_the_queries_for_both_directions(tmp_path, monkeypatch):
    with KuzuGraphStore(_tiny(tmp_path, True)) as store:
        store.mentions_forward_only = True  # as a LadybugDB store is; on Kuzu this checks the choice of queries
        ran = []
        execute = store.execute
        monkeypatch.setattr(store, "execute", lambda q, p=None: ran.append(q) or execute(q, p))
        if ENGINE == "kuzu":
            monkeypatch.setattr(store, "scalar", lambda q, p=None: ran.append(q) or 0)  # Kuzu cannot delete here
        store.prune_entities([_orphan(store, "lonely")])
        store.remove_orphans()
        assert ran and not {getattr(Q, n) for n in BOTH_DIRECTIONS_ONLY} & set(ran)


@pytest.mark.parametrize("forward_only", [True], ids=["fwd"])
def test_every_read_of_mentions_or_about_runs_on_a_forward_only_store(tmp_path, forward_only):
    with KuzuGraphStore(_tiny(tmp_path, forward_only)) as store:
        for name, q in vars(Q).items():
            if not isinstance(q, str) or not re.search(r"\b(MENTIONS|ABOUT)\b", q) or "DELETE" in q:
                continue
            params = {p: _PARAMS[p] for p in re.findall(r"\$(\w+)", q)}
            try:
                store.execute(q, params)
            except StoreError as exc:  # the engine cannot run it on this layout
                raise AssertionError(f"{name}: {exc}") from exc


def test_kuzu_cannot_delete_an_entity_of_a_forward_only_layout(tmp_path):
    """Why Kuzu's new stores keep both directions (graphrag.store.engines.forward_only_mentions). If this starts
    failing, a Kuzu that can delete such entities is installed: its stores could be forward only too."""
    if ENGINE != "kuzu":
        pytest.skip("Kuzu 0.11.3 only")
    with KuzuGraphStore(_precreate(tmp_path / "g.kuzu", True), embedding_dim=DIM) as store:
        eid = _orphan(store, "lonely")
        with pytest.raises(StoreError, match="bwd"):
            store.execute("MATCH (e:Entity {id: $id}) DETACH DELETE e", {"id": eid})


def test_a_users_backward_walk_on_a_forward_only_store_gets_a_hint(tmp_path):
    if not forward_only_mentions(ENGINE):
        pytest.skip("this engine keeps both directions")
    with KuzuGraphStore(_tiny(tmp_path, True)) as store:
        with pytest.raises(StoreError, match=r"forward only.*MATCH \(c:Chunk\)-\[:MENTIONS\]->"):
            store.run_user_query("MATCH (e:Entity) RETURN e.id, COUNT { MATCH (e)<-[:MENTIONS]-(:Chunk) } AS n")
        ok = store.run_user_query("MATCH (c:Chunk)-[:MENTIONS]->(e:Entity) RETURN e.id, count(*) AS n")
        assert ok.rows

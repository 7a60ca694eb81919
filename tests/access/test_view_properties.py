"""Property tests of a principal's view: for random stores (documents with random ACLs, entities mentioned under
shared and document-specific names, triples) and random principals, the view holds every row of every document
the principal may read and no string that only another document holds.

Every string a document contributes ends in ``<i>zz`` (its text, title, predicates, the names it gives entities),
so a leak is a substring check over a dump of every table of the view.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphrag.access import principal_view
from graphrag.acl import Principal, normalise_acl
from graphrag.store import KuzuGraphStore

GROUPS = ["a", "b", "c"]
DIM = 4


@st.composite
def stores(draw: st.DrawFn) -> dict:
    n_docs = draw(st.integers(1, 6))
    n_ents = draw(st.integers(1, 6))
    docs = []
    for _ in range(n_docs):
        acl = normalise_acl(draw(st.lists(st.sampled_from([*GROUPS, "user:eve"]), max_size=2)))
        mentioned = draw(st.lists(st.integers(0, n_ents - 1), min_size=1, max_size=n_ents, unique=True))
        # each mention either uses the entity's shared name or a name only this document gives it
        own_name = {j: draw(st.booleans()) for j in mentioned}
        pairs = [(a, b) for a in mentioned for b in mentioned if a != b]
        triples = draw(st.lists(st.sampled_from(pairs), max_size=3, unique=True)) if pairs else []
        docs.append({"acl": acl, "mentioned": mentioned, "own_name": own_name, "triples": triples})
    user_groups = draw(st.lists(st.sampled_from(GROUPS), max_size=3, unique=True))
    user = draw(st.sampled_from(["eve", "mallory"]))
    return {"docs": docs, "n_ents": n_ents, "principal": Principal.of(user, user_groups)}


def _surface(i: int, j: int, own: bool) -> str:
    return f"Ali{j}doc{i}zz" if own else f"Ent{j}"


def build(path: Path, spec: dict) -> None:
    """Write the store ``spec`` describes (names as the module's docstring says)."""
    docs = spec["docs"]
    first_surface: dict[int, str] = {}
    aliases: dict[int, set[str]] = {}
    for i, d in enumerate(docs):
        for j in d["mentioned"]:
            s = _surface(i, j, d["own_name"][j])
            first_surface.setdefault(j, s)  # an entity is named by the first document that mentions it
            aliases.setdefault(j, set()).add(s)
    ents = sorted(first_surface)
    vec = pa.list_(pa.float32(), DIM)
    with KuzuGraphStore(path, embedding_dim=DIM) as store:
        store.bulk_load("Entity", pa.table({
            "id": [f"e{j}" for j in ents], "name": [first_surface[j] for j in ents], "type": [""] * len(ents),
            "aliases": pa.array([sorted(aliases[j] - {first_surface[j]}) for j in ents], pa.list_(pa.string())),
            "embedding": pa.array([[1.0] * DIM] * len(ents), vec),
        }))  # fmt: skip
        for i, d in enumerate(docs):
            doc, chunk = f"d{i}", f"c{i}"
            surfaces = [_surface(i, j, d["own_name"][j]) for j in d["mentioned"]]
            text = f"sec{i}zz " + " ".join(surfaces)
            store.bulk_load(
                "Document",
                pa.table(
                    {
                        "id": [doc],
                        "source": [f"/corpus/src{i}zz"],
                        "title": [f"title{i}zz"],
                        "hash": ["h"],
                        "acl": [d["acl"]],
                        "kind": ["record"],
                        "n_chunks": pa.array([1], pa.int64()),
                    }
                ),
            )
            store.bulk_load(
                "Chunk",
                pa.table(
                    {
                        "id": [chunk],
                        "doc_id": [doc],
                        "text": [text],
                        "position": pa.array([0], pa.int64()),
                        "start_char": pa.array([0], pa.int64()),
                        "end_char": pa.array([len(text)], pa.int64()),
                        "n_tokens": pa.array([3], pa.int64()),
                        "embedding": pa.array([[0.5] * DIM], vec),
                    }
                ),
            )
            store.bulk_load("HAS_CHUNK", pa.table({"from": [doc], "to": [chunk]}))
            n = len(surfaces)
            store.bulk_load(
                "MENTIONS",
                pa.table(
                    {
                        "from": [chunk] * n,
                        "to": [f"e{j}" for j in d["mentioned"]],
                        "doc_id": [doc] * n,
                        "text": surfaces,
                        "label": [""] * n,
                        "start_char": pa.array([0] * n, pa.int64()),
                        "end_char": pa.array([0] * n, pa.int64()),
                    }
                ),
            )
            store.bulk_load(
                "ABOUT",
                pa.table(
                    {
                        "from": [chunk],
                        "to": [f"e{d['mentioned'][0]}"],
                        "doc_id": [doc],
                        "source": ["subject"],
                    }
                ),
            )
            if d["triples"]:
                k = len(d["triples"])
                store.bulk_load("RELATION", pa.table({
                    "from": [f"e{a}" for a, _ in d["triples"]], "to": [f"e{b}" for _, b in d["triples"]],
                    "predicate": [f"pred{i}zz"] * k, "chunk_id": [chunk] * k, "doc_id": [doc] * k,
                    "source": [f"/corpus/src{i}zz"] * k, "confidence": pa.array([0.9] * k, pa.float64()),
                    "start_char": pa.array([-1] * k, pa.int64()), "end_char": pa.array([-1] * k, pa.int64()),
                }))  # fmt: skip


DUMP = [
    "MATCH (n:Document) RETURN n.id, n.source, n.title, n.acl",
    "MATCH (n:Chunk) RETURN n.id, n.doc_id, n.text",
    "MATCH (n:Entity) RETURN n.id, n.name, n.type, n.aliases",
    "MATCH (a)-[r:MENTIONS]->(b) RETURN a.id, b.id, r.doc_id, r.text",
    "MATCH (a)-[r:ABOUT]->(b) RETURN a.id, b.id, r.doc_id, r.source",
    "MATCH (a)-[r:RELATION]->(b) RETURN a.id, b.id, r.predicate, r.chunk_id, r.doc_id, r.source",
    "MATCH (a)-[r:HAS_CHUNK]->(b) RETURN a.id, b.id",
]


def check_view(spec: dict) -> None:
    principal = spec["principal"]
    docs = spec["docs"]
    with tempfile.TemporaryDirectory() as tmp:
        build(Path(tmp) / "s.kuzu", spec)
        with KuzuGraphStore(Path(tmp) / "s.kuzu", read_only=True) as source:
            view, report = principal_view(source, principal)
        try:
            dump = " ".join(str(view.execute(q).to_pylist()) for q in DUMP)
            visible = [i for i, d in enumerate(docs) if principal.can_read(d["acl"])]
            hidden = [i for i in range(len(docs)) if i not in visible]
            for i in hidden:
                assert f"{i}zz" not in dump, f"document {i} leaks into the view of {principal}"
            for i in visible:  # nothing readable is lost
                assert f"sec{i}zz" in dump and f"title{i}zz" in dump
                n = len(docs[i]["triples"])
                got = view.scalar("MATCH ()-[r:RELATION]->() WHERE r.doc_id = $d RETURN count(*)", {"d": f"d{i}"})
                assert got == n
                assert view.scalar("MATCH ()-[r:MENTIONS]->() WHERE r.doc_id = $d RETURN count(*)",
                                   {"d": f"d{i}"}) == len(docs[i]["mentioned"])  # fmt: skip
            seen = {j for i in visible for j in docs[i]["mentioned"]}
            names = view.execute("MATCH (e:Entity) RETURN e.id AS id").column("id").to_pylist()
            assert sorted(names) == sorted(f"e{j}" for j in seen)
            assert report.documents == len(visible) and report.documents_hidden == len(hidden)
        finally:
            view.close()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stores())
def test_random_acls_never_leak_and_never_lose_a_readable_row(spec: dict) -> None:
    check_view(spec)


@pytest.mark.slow
@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stores())
def test_random_acls_never_leak_many(spec: dict) -> None:
    check_view(spec)


def test_a_whole_word_witnesses_a_name() -> None:
    from graphrag.access.view import _witnessed

    assert _witnessed("Ada", ["ada lovelace was born"]) and not _witnessed("Ada", ["born in canada"])
    assert not _witnessed("", ["anything"])


def test_a_community_whose_report_names_a_partly_visible_neighbour_is_hidden(tmp_path: Path) -> None:
    """A report's facets name the objects of its members' relations, which need not be members: a community of
    wholly visible entities is still hidden when one of them relates to an entity a hidden document also names
    (the report may carry the hidden name)."""
    spec = {
        "docs": [
            {"acl": "", "mentioned": [0, 1], "own_name": {0: False, 1: False}, "triples": [(0, 1)]},
            {"acl": "finance", "mentioned": [1], "own_name": {1: True}, "triples": []},
            {"acl": "", "mentioned": [2], "own_name": {2: False}, "triples": []},
        ],
        "n_ents": 3,
        "principal": Principal.of("eve"),
    }
    path = tmp_path / "s.kuzu"
    build(path, spec)
    vec = pa.list_(pa.float32(), DIM)
    with KuzuGraphStore(path, embedding_dim=DIM) as store:
        store.bulk_load("Community", pa.table({
            "id": ["c0", "c2"], "level": pa.array([0, 0], pa.int64()), "parent": ["", ""],
            "size": pa.array([1, 1], pa.int64()), "fingerprint": ["f", "g"], "title": ["Ent0", "Ent2"],
            "summary": ["Ent0 relates to Ali1doc1zz", "Ent2"], "report": ["{}", "{}"],
            "embedding": pa.array([None, None], vec),
        }))  # fmt: skip
        store.bulk_load("IN_COMMUNITY", pa.table({"from": ["e0", "e2"], "to": ["c0", "c2"]}))
    with KuzuGraphStore(path, read_only=True) as source:
        view, report = principal_view(source, spec["principal"])
    try:
        kept = view.execute("MATCH (c:Community) RETURN c.id AS id").column("id").to_pylist()
        assert kept == ["c2"] and (report.communities, report.communities_hidden) == (1, 1)
    finally:
        view.close()

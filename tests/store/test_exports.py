"""``graphrag export``: GraphML, Neo4j admin-import CSV, JSON Lines and Parquet, each read back (networkx, csv,
json, a new store) with the same counts and the triples' provenance; a principal exports only what it may read."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import networkx as nx
import pytest

from graphrag import GraphRAG
from graphrag.acl import Principal
from graphrag.cli import main
from graphrag.errors import ConfigError
from graphrag.store import KuzuGraphStore
from graphrag.store.exports import export_store
from graphrag.store.table_io import fingerprint, import_tables, read_tables


@pytest.fixture
def db(tmp_path: Path, text_doc) -> Path:
    path = tmp_path / "g.kuzu"
    with KuzuGraphStore(path) as store:
        store.set_meta("embedder", "hashing-384")
        text_doc(store, "Ada", "Ada Lovelace was born in London.", entities=[("Ada Lovelace", "PERSON"),
                 ("London", "GPE")], triples=[("Ada Lovelace", "born in", "London")])  # fmt: skip
        secret = text_doc(store, "Memo", "Charles Babbage owed Ada Lovelace money.", entities=[
            ("Charles Babbage", "PERSON"), ("Ada Lovelace", "PERSON")], triples=[("Charles Babbage", "owed",
            "Ada Lovelace")])  # fmt: skip
        store.set_document_acls({secret: "finance"})
    return path


def _counts(path: Path) -> tuple[int, int]:
    with KuzuGraphStore(path, read_only=True) as store:
        s = store.stats()
    return sum(s["nodes"].values()), sum(s["relationships"].values())


def test_graphml_reads_back_into_networkx(db: Path, tmp_path: Path) -> None:
    report = GraphRAG(db).export("graphml", tmp_path / "g.graphml")
    g = nx.read_graphml(tmp_path / "g.graphml")
    assert (g.number_of_nodes(), g.number_of_edges()) == _counts(db) == (report["nodes"], report["edges"])
    born = [d for _, _, d in g.edges(data=True) if d.get("predicate") == "born in"]
    assert len(born) == 1 and born[0]["type"] == "RELATION" and born[0]["source"] == "/corpus/Ada.txt"
    assert g.nodes[next(n for n in g if n.startswith("Entity:"))]["label"] == "Entity"


def test_neo4j_csv_has_typed_headers_and_every_row(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "neo4j"
    assert main(["export", "--db", str(db), "--format", "neo4j-csv", "--out", str(out)]) == 0
    with (out / "rels_RELATION.csv").open() as f:
        rows = list(csv.reader(f))
    assert rows[0][:3] == [":START_ID(Entity)", ":END_ID(Entity)", "predicate"] and "confidence:double" in rows[0]
    assert len(rows) - 1 == 2
    total = sum(sum(1 for _ in p.open()) - 1 for p in out.glob("*.csv"))
    assert total == sum(_counts(db))
    assert "--nodes=Entity=nodes_Entity.csv" in (out / "import.sh").read_text()


def test_jsonl_and_parquet_round_trip(db: Path, tmp_path: Path) -> None:
    GraphRAG(db).export("jsonl", tmp_path / "g.jsonl")
    lines = [json.loads(x) for x in (tmp_path / "g.jsonl").read_text().splitlines()]
    nodes = [x for x in lines if x["type"] == "node"]
    edges = [x for x in lines if x["type"] == "relationship"]
    assert (len(nodes), len(edges)) == _counts(db)
    owed = next(e for e in edges if e["properties"].get("predicate") == "owed")
    assert owed["start"]["labels"] == ["Entity"] and owed["properties"]["source"] == "/corpus/Memo.txt"
    GraphRAG(db).export("parquet", tmp_path / "pq")
    assert (tmp_path / "pq" / "Chunk.parquet").exists()
    (tmp_path / "pq" / "meta.json").write_text(json.dumps({"meta": {}, "embedding_dim": 384}))
    copy = import_tables(tmp_path / "pq", tmp_path / "copy.kuzu", "auto")
    with KuzuGraphStore(db, read_only=True) as store:
        assert copy == fingerprint(read_tables(store))


def test_a_principal_exports_only_what_it_may_read(db: Path, tmp_path: Path) -> None:
    GraphRAG(db, principal=Principal.of("bob")).export("jsonl", tmp_path / "bob.jsonl")
    text = (tmp_path / "bob.jsonl").read_text()
    assert "Ada Lovelace" in text and "Babbage" not in text and "owed" not in text
    with pytest.raises(ConfigError, match="unknown export format 'dot'"), KuzuGraphStore(db, read_only=True) as s:
        export_store(s, "dot", tmp_path / "x")

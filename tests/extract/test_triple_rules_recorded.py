"""Every extracted triple records the rule that found it (``RELATION.rule``); the graph retrievers leave out the
rules ``[retrieve] graph_skip_rules`` names (the path fallback by default) while the store keeps them; stores made
before the column existed still read."""

from __future__ import annotations

from pathlib import Path

from graphrag.config import IngestConfig, RetrieveConfig
from graphrag.embed import HashingEmbedder
from graphrag.extract.ingest import ingest
from graphrag.retrieve.resources import RetrievalResources
from graphrag.store import KuzuGraphStore
from graphrag.store.table_io import read_table

TEXT = "Akron is located within the country of Ohio. Ridley Scott directed Alien in London."


def build(tmp_path: Path, analyzer) -> Path:
    corpus = tmp_path / "docs"
    corpus.mkdir()
    (corpus / "notes.txt").write_text(TEXT, encoding="utf-8")
    db = tmp_path / "g.kuzu"
    ingest([str(corpus)], db=db, config=IngestConfig(), embedder=HashingEmbedder(), analyzer=analyzer)
    return db


def rules_by_pair(store: KuzuGraphStore) -> dict[tuple[str, str], str]:
    rows = store.execute(
        "MATCH (a:Entity)-[r:RELATION]->(b:Entity) RETURN a.name AS s, b.name AS o, r.rule AS rule"
    ).to_pylist()
    return {(r["s"], r["o"]): r["rule"] for r in rows}


def graph_triples(store: KuzuGraphStore, config: RetrieveConfig) -> set[tuple[str, str, str]]:
    graph = RetrievalResources(store, HashingEmbedder(), config).graph()
    return {t for ts in graph.triples.values() for t in ts}


def test_the_store_keeps_each_triples_rule_and_the_retriever_skips_path_triples(tmp_path, spacy_analyzer) -> None:
    db = build(tmp_path, spacy_analyzer)
    with KuzuGraphStore(db, read_only=True, embedding_dim=HashingEmbedder().dim) as store:
        rules = rules_by_pair(store)
        assert rules[("Akron", "Ohio")] == "path"
        assert rules[("Alien", "Ridley Scott")] == "svo"
        assert all(rules.values()), rules  # every extracted triple names its rule
        walked = graph_triples(store, RetrieveConfig())
        everything = graph_triples(store, RetrieveConfig(graph_skip_rules=()))
    assert ("Akron", "located within country of", "Ohio") in everything - walked
    assert any((s, o) == ("Alien", "Ridley Scott") for s, _, o in walked)  # the other rules' triples stay


def test_a_store_made_before_rules_were_recorded_still_reads(tmp_path, spacy_analyzer) -> None:
    db = build(tmp_path, spacy_analyzer)
    with KuzuGraphStore(db, embedding_dim=HashingEmbedder().dim) as store:
        n = store.execute("MATCH ()-[r:RELATION]->() RETURN count(*) AS n").column("n")[0].as_py()
        store.execute("ALTER TABLE RELATION DROP rule")
    with KuzuGraphStore(db, read_only=True, embedding_dim=HashingEmbedder().dim) as old:
        assert "rule" not in old.columns("RELATION")
        assert set(old.retrieval_relations().column("rule").to_pylist()) == {""}
        table = read_table(old, "RELATION")
        assert table.num_rows == n and set(table.column("rule").to_pylist()) == {""}
        assert len(graph_triples(old, RetrieveConfig())) > 0  # nothing known to skip: every triple is walked
    with KuzuGraphStore(db, embedding_dim=HashingEmbedder().dim) as upgraded:  # opened for writing: the column is back
        assert "rule" in upgraded.columns("RELATION")

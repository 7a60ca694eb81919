"""What passages are about: ABOUT edges from titles and first sentences through ingest, topic aliases merged
into one entity, re-extraction when the extractor changes, and graph retrieval over a corpus without titles."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from graphrag import GraphRAG
from graphrag.config import GraphRAGConfig, IngestConfig, RetrieveConfig
from graphrag.embed import HashingEmbedder
from graphrag.extract.analysis import SpacyAnalyzer
from graphrag.extract.dependency_triples import TripleRules
from graphrag.extract.ingest import ingest
from graphrag.store import KuzuGraphStore

UNTITLED = [
    {
        "title": "doc-00001",
        "text": "Kestrel Lane is a 2017 drama film directed by Mira Okafor. The film was shot in Peru.",
    },
    {"title": "doc-00002", "text": "Mira Okafor (born 3 May 1970) is a Peruvian film director. She was born in Lima."},
    {"title": "doc-00003", "text": "Lima is the capital of Peru. It lies on the Pacific coast."},
    {"title": "doc-00004", "text": "Harbour of Glass is a 1961 film directed by Arun Mehta, who was born in Pune."},
]


def write(path: Path, records: list[dict[str, str]]) -> Path:
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    return path


def about(db: Path) -> set[tuple[str, str, str]]:
    with KuzuGraphStore(db, read_only=True) as store:
        rows = store.run_user_query(
            "MATCH (d:Document)-[:HAS_CHUNK]->(c:Chunk)-[a:ABOUT]->(e:Entity) RETURN d.title, e.name, a.source"
        ).rows
    return {tuple(r) for r in rows}


def test_untitled_passages_are_about_their_first_subject(tmp_path: Path, spacy_analyzer: SpacyAnalyzer) -> None:
    db = tmp_path / "g.kuzu"
    ingest([write(tmp_path / "c.jsonl", UNTITLED)], db=db, embedder=HashingEmbedder(), analyzer=spacy_analyzer,
           separate_process=False)  # fmt: skip
    found = about(db)
    assert ("doc-00001", "Kestrel Lane", "subject") in found and ("doc-00002", "Mira Okafor", "subject") in found
    assert not any(name.startswith("doc-") for _, name, _ in found)  # an id is never taken for a name
    with KuzuGraphStore(db, read_only=True) as store:
        born = store.run_user_query(
            "MATCH (e:Entity {name: 'Mira Okafor'})-[r:RELATION]->(d) WHERE r.predicate = 'born' "
            "RETURN d.name, r.start_char, r.end_char"
        ).rows
    assert born and born[0][0] == "3 May 1970" and born[0][1] == 0 and born[0][2] > 0  # with its sentence


def test_a_title_is_the_topic_and_the_first_subject_an_alias(tmp_path: Path, spacy_analyzer: SpacyAnalyzer) -> None:
    records = [{"title": "Andy Summers", "text": "Andrew James Somers (born 31 December 1942), known professionally "
                "as Andy Summers, is an English guitarist. He joined the Police in 1977."}]  # fmt: skip
    db = tmp_path / "t.kuzu"
    ingest([write(tmp_path / "t.jsonl", records)], db=db, embedder=HashingEmbedder(), analyzer=spacy_analyzer,
           separate_process=False)  # fmt: skip
    assert ("Andy Summers", "Andy Summers", "title") in about(db)
    with KuzuGraphStore(db, read_only=True) as store:
        rows = store.run_user_query(
            "MATCH (e:Entity {name: 'Andy Summers'})-[r:RELATION]->(o) RETURN e.aliases, r.predicate, o.name"
        ).rows
    assert rows and "Andrew James Somers" in rows[0][0]  # one entity, known by both names
    assert {(p, o) for _, p, o in rows} >= {("born", "31 December 1942"), ("nationality", "English")}


def test_a_changed_extractor_extracts_the_stored_documents_again(tmp_path: Path, spacy_analyzer) -> None:
    corpus = write(tmp_path / "c.jsonl", UNTITLED)
    db = tmp_path / "v.kuzu"
    kw = {"db": db, "embedder": HashingEmbedder(), "separate_process": False}
    assert ingest([corpus], analyzer=spacy_analyzer, **kw).documents_new == 4
    assert ingest([corpus], analyzer=spacy_analyzer, **kw).documents_unchanged == 4
    other = SpacyAnalyzer(rules=TripleRules(min_noun_words=3))  # other rules: stored extractions are out of date
    assert ingest([corpus], analyzer=other, **kw).documents_changed == 4


def test_graph_retrieval_finds_untitled_passages_through_what_they_are_about(tmp_path: Path) -> None:
    pytest.importorskip("spacy")
    cfg = GraphRAGConfig(retrieve=RetrieveConfig(components={"graph": 1.0}, gnn="off"))
    cfg = dataclasses.replace(cfg, ingest=IngestConfig(docs_per_batch=8))
    rag = GraphRAG(tmp_path / "r.kuzu", config=cfg)
    rag.ingest([write(tmp_path / "c.jsonl", UNTITLED)], embedder="hashing", separate_process=False)
    hits = rag.retrieve("Where was the director of Kestrel Lane born?", k=2).hits
    assert [h.title for h in hits] == ["doc-00001", "doc-00002"]  # the film, then its director's passage


def test_a_person_is_found_by_a_shorter_form_of_their_name(tmp_path: Path) -> None:
    pytest.importorskip("spacy")
    records = [
        {"title": "doc-1", "text": "Tobias Wendell Marsh (4 June 1892 – 6 January 1963) was an American director."},
        {"title": "doc-2", "text": "Lantern Row is a 1931 comedy film. It stars Ada Quill and Tom Reyes."},
        {"title": "doc-3", "text": "Ada Quill (born 1901) was an American actress. She was born in Ohio."},
    ]
    cfg = GraphRAGConfig(retrieve=RetrieveConfig(components={"graph": 1.0}, gnn="off"))
    rag = GraphRAG(tmp_path / "n.kuzu", config=cfg)
    rag.ingest([write(tmp_path / "n.jsonl", records)], embedder="hashing", separate_process=False)
    hits = rag.retrieve("When did Tobias Marsh die?", k=1).hits
    assert [h.title for h in hits] == ["doc-1"]


def test_the_name_a_person_is_known_by_is_an_alias_that_links(tmp_path: Path) -> None:
    pytest.importorskip("spacy")
    records = [
        {"title": "doc-1", "text": "Giuseppe Avati, better known as Pupi Avati (born 3 November 1938), is an Italian "
                                   "film director. He was born in Bologna."},
        {"title": "doc-2", "text": "Zeder is a 1983 horror film directed by Pupi Avati."},
        {"title": "doc-3", "text": "Ada Quill (born 1901) was an American actress. She was born in Ohio."},
    ]  # fmt: skip
    cfg = GraphRAGConfig(retrieve=RetrieveConfig(components={"graph": 1.0}, gnn="off"))
    rag = GraphRAG(tmp_path / "k.kuzu", config=cfg)
    rag.ingest([write(tmp_path / "k.jsonl", records)], embedder="hashing", separate_process=False)
    with KuzuGraphStore(tmp_path / "k.kuzu", read_only=True) as store:
        rows = store.run_user_query(
            "MATCH (c:Chunk)-[:ABOUT]->(e:Entity) WHERE e.name = 'Giuseppe Avati' RETURN e.aliases"
        ).rows
    assert rows and "Pupi Avati" in rows[0][0]
    assert [h.title for h in rag.retrieve("Where was Pupi Avati born?", k=1).hits] == ["doc-1"]

"""graphrag eval kg: recall of gold evidence triples in a store, by name, by date value and by passage; and
the untitled copy of a corpus that it pairs with."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pyarrow as pa
import pytest

from graphrag.errors import InputError
from graphrag.eval.kg_recall import kg_recall, load_evidence, markdown, name_keys
from graphrag.eval.untitled import untitled_copy
from graphrag.ids import chunk_id, document_id, entity_id
from graphrag.store import KuzuGraphStore

PASSAGES = {
    "Kestrel Lane": "Kestrel Lane is a film directed by Mira Okafor.",
    "Mira Okafor": "Mira Okafor (born June 8, 1969).",
}
ENTITIES = ["Kestrel Lane", "Mira Okafor", "8 June 1969"]
EDGES = [
    ("Kestrel Lane", "directed by", "Mira Okafor", "Kestrel Lane"),
    ("Mira Okafor", "born", "8 June 1969", "Mira Okafor"),
]


def build(path: Path, titles: dict[str, str] | None = None) -> Path:
    titles = titles or {t: t for t in PASSAGES}
    docs = {t: document_id(f"c.json#{titles[t]}") for t in PASSAGES}
    chunks = {t: chunk_id(docs[t], 0, text) for t, text in PASSAGES.items()}
    with KuzuGraphStore(path, embedding_dim=8) as store:
        store.bulk_load("Document", pa.table({
            "id": list(docs.values()), "source": [f"c.json#{titles[t]}" for t in PASSAGES],
            "title": [titles[t] for t in PASSAGES],
            "hash": ["h", "h"], "acl": ["", ""], "kind": ["record"] * 2, "n_chunks": [1, 1]}))
        store.bulk_load("Chunk", pa.table({
            "id": list(chunks.values()), "doc_id": list(docs.values()), "text": list(PASSAGES.values()),
            "position": [0, 0], "start_char": [0, 0], "end_char": [1, 1], "n_tokens": [1, 1],
            "embedding": pa.array([[0.0] * 8] * 2, pa.list_(pa.float32(), 8))}))
        store.bulk_load("Entity", pa.table({
            "id": [entity_id(n) for n in ENTITIES], "name": ENTITIES, "type": [""] * 3,
            "aliases": pa.array([[], ["Okafor"], []], pa.list_(pa.string())),
            "embedding": pa.array([None] * 3, pa.list_(pa.float32(), 8))}))
        store.bulk_load("MENTIONS", pa.table({
            "from": [chunks["Kestrel Lane"]] * 2, "to": [entity_id("Kestrel Lane"), entity_id("Mira Okafor")],
            "doc_id": [docs["Kestrel Lane"]] * 2, "text": ["Kestrel Lane", "Mira Okafor"], "label": ["", ""],
            "start_char": [0, 0], "end_char": [1, 1]}))
        store.bulk_load("RELATION", pa.table({
            "from": [entity_id(s) for s, *_ in EDGES], "to": [entity_id(o) for _, _, o, _ in EDGES],
            "predicate": [p for _, p, _, _ in EDGES], "chunk_id": [chunks[d] for *_, d in EDGES],
            "doc_id": [docs[d] for *_, d in EDGES], "source": ["", ""], "confidence": [1.0, 1.0],
            "start_char": [-1, -1], "end_char": [-1, -1]}))
    return path  # fmt: skip


def questions(path: Path) -> Path:
    path.write_text(json.dumps([
        {"id": "q1", "question_type": "compositional", "evidence": [
            ["Kestrel Lane", "director", "Mira Okafor"], ["Mira Okafor", "date of birth", "June 8, 1969"]]},
        {"id": "q2", "question_type": "comparison", "evidence": [["Kestrel Lane", "country of origin", "Peru"],
                                                                 ["Nowhere Town", "director", "Mira Okafor"]]},
    ]))
    return path  # fmt: skip


def test_recall_counts_edges_from_the_subjects_passage(tmp_path: Path) -> None:
    facts = load_evidence(questions(tmp_path / "q.json"))
    with KuzuGraphStore(build(tmp_path / "g.kuzu"), read_only=True) as store:
        report = kg_recall(store, facts).as_dict()
    assert report["facts"] == 4
    assert report["entity_pair_recall"] == 50.0  # the director edge, and the birth date by its value
    assert report["no_passage"] == 1  # "Nowhere Town" has no passage
    assert report["by_relation"]["date of birth"]["recall"] == 100.0
    assert report["by_relation"]["country of origin"]["recall"] == 0.0
    assert report["predicates_by_relation"]["director"] == {"directed by": 1}
    assert [e["triple"][0] for e in report["missed_examples"]] == ["Kestrel Lane", "Nowhere Town"]
    assert "| director | 2 |" in markdown(report)
    assert report["per_question"] == [
        {"question": "q1", "facts": 2, "recovered": 2, "strict": 0},
        {"question": "q2", "facts": 2, "recovered": 0, "strict": 0},
    ]


def test_strict_recall_needs_the_predicate_to_map_onto_the_gold_relation(tmp_path: Path) -> None:
    from graphrag.extract.schema import parse_schema
    from graphrag.extract.schema_mapping import SchemaMapper

    facts = load_evidence(questions(tmp_path / "q.json"))
    relations = [
        {"name": "director", "aliases": ["directed by"]},
        {"name": "date_of_death", "aliases": ["died on"]},  # "born" maps nowhere: the pair alone is not enough
    ]
    with KuzuGraphStore(build(tmp_path / "g.kuzu"), read_only=True) as store:
        plain = kg_recall(store, facts).as_dict()
        strict = kg_recall(store, facts, mapper=SchemaMapper(parse_schema({"relations": relations}), None)).as_dict()
        inverse = [{"name": "director", "inverse_aliases": ["directed by"]}]  # the edge read the other way round
        wrong_way = kg_recall(store, facts, mapper=SchemaMapper(parse_schema({"relations": inverse}), None))
        # "born" with a date shares its stem with date_of_birth's "birth": mapped without an alias
        by_stem = [*relations, {"name": "date_of_birth"}]
        stemmed = kg_recall(store, facts, mapper=SchemaMapper(parse_schema({"relations": by_stem}), None)).as_dict()
    assert plain["strict_recall"] is None and "Strict recall" not in markdown(plain)
    assert strict["entity_pair_recall"] == 50.0 and strict["strict_recall"] == 25.0
    assert strict["by_relation"]["director"]["strict"] == 50.0
    assert strict["by_relation"]["date of birth"]["strict"] == 0.0
    assert "Strict recall (predicate mapped onto the gold relation) **25.0 %**" in markdown(strict)
    assert wrong_way.as_dict()["strict_recall"] == 0.0
    assert stemmed["strict_recall"] == 50.0 and stemmed["by_relation"]["date of birth"]["strict"] == 100.0


def test_an_untitled_store_is_scored_through_the_title_map(tmp_path: Path) -> None:
    ids = {"Kestrel Lane": "doc-1", "Mira Okafor": "doc-2"}
    facts = load_evidence(questions(tmp_path / "q.json"))
    with KuzuGraphStore(build(tmp_path / "u.kuzu", ids), read_only=True) as store:
        assert kg_recall(store, facts).as_dict()["entity_pair_recall"] == 0.0  # no passage is found by title
        assert kg_recall(store, facts, title_map=ids).as_dict()["entity_pair_recall"] == 50.0


def test_name_keys_and_bad_question_files(tmp_path: Path) -> None:
    assert name_keys("Burbank, California") == {"burbank california", "burbank"}
    assert name_keys("June 8, 1969") == {"date:1969-06-08"}
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([{"id": "x", "evidence": [["a", "b"]]}]))
    with pytest.raises(InputError, match="not \\[subject, relation, object\\]"):
        load_evidence(bad)


def test_untitled_copy_hides_titles_and_rewrites_the_gold(tmp_path: Path) -> None:
    corpus = tmp_path / "c.json.gz"
    corpus.write_bytes(gzip.compress(json.dumps([{"title": "A", "text": "a"}, {"title": "B", "text": "b"}]).encode()))
    gold = tmp_path / "g.json"
    gold.write_text(json.dumps({"q1": ["B", "A"]}))
    copy = untitled_copy(corpus, gold, tmp_path / "out")
    records = json.loads(gzip.decompress(copy.corpus.read_bytes()))
    assert [r["title"] for r in records] == ["doc-00001", "doc-00002"] and records[1]["text"] == "b"
    assert json.loads(copy.gold.read_text()) == {"q1": ["doc-00002", "doc-00001"]}
    assert json.loads(copy.titles.read_text()) == {"A": "doc-00001", "B": "doc-00002"}
    before = copy.corpus.stat().st_mtime_ns
    untitled_copy(corpus, gold, tmp_path / "out")  # unchanged: the file is left alone (re-ingest skips it)
    assert copy.corpus.stat().st_mtime_ns == before
    gold.write_text(json.dumps({"q1": ["C"]}))
    with pytest.raises(InputError, match="not in the corpus"):
        untitled_copy(corpus, gold, tmp_path / "out2")


def test_a_sample_of_triples_with_their_sentences_to_judge(tmp_path: Path) -> None:
    from graphrag.eval.kg_recall import sample_markdown, triple_sample

    with KuzuGraphStore(build(tmp_path / "g.kuzu"), read_only=True) as store:
        sample = triple_sample(store, 100)
        assert triple_sample(store, 100) == sample  # seeded
    assert len(sample) == 2 and {t["predicate"] for t in sample} == {"directed by", "born"}
    assert all(t["sentence"] for t in sample)
    table = sample_markdown(sample)
    assert table.count("\n| ") == 3 and "| verdict |" in table
